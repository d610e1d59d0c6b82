// `iam-audit catalog`: what the action catalog in use is (package, version,
// date, where it was loaded from) and how big it is.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli.h"
#include "iam_audit/catalog.h"

namespace iam_audit::cli {
namespace {

struct CatalogOptions {
  std::string format = "text";
};

int RunCatalog(const CatalogOptions& opts, Context& ctx) {
  const CatalogInfo info = ctx.catalog().info();
  const std::string source = ctx.catalog_dir.empty() ? "embedded" : ctx.catalog_dir;
  if (opts.format == "json") {
    const nlohmann::ordered_json j = {
        {"package", info.package_name},
        {"version", info.package_version},
        {"date", info.data_date},
        {"source", source},
        {"services", info.services},
        {"actions", info.actions},
        {"resource_types", info.resource_types},
        {"condition_keys", info.condition_keys},
    };
    ctx.out << j.dump(2) << '\n';
    return kExitClean;
  }
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"package",
       (info.package_name.empty() ? "" : info.package_name + " ") + info.package_version},
      {"date", info.data_date},
      {"source", source},
      {"services", std::to_string(info.services)},
      {"actions", std::to_string(info.actions)},
      {"resource types", std::to_string(info.resource_types)},
      {"condition keys", std::to_string(info.condition_keys)},
  };
  std::string text;
  for (const auto& [label, value] : rows) {
    text += label + ":";
    text.append(16 - label.size(), ' ');
    text += value + '\n';
  }
  ctx.out << text;
  return kExitClean;
}

}  // namespace

void RegisterCatalogCommand(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand(
      "catalog", "Show the AWS action catalog in use: data package, version, date and counts");
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([opts, &ctx] { ctx.exit_code = RunCatalog(*opts, ctx); });
}

}  // namespace iam_audit::cli
