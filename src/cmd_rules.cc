// `iam-audit rules [--format text|json]`: every finding id iam-audit can
// report, from the finding table (finding.h): its category, default
// severity, one-line description and where it is documented.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli.h"
#include "iam_audit/finding.h"
#include "iam_audit/severity.h"

namespace iam_audit::cli {
namespace {

struct RulesOptions {
  std::string format = "text";
};

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  out.resize(std::max(width, text.size()), ' ');
  return out;
}

int RunRules(const RulesOptions& opts, Context& ctx) {
  if (opts.format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const FindingRule& r : FindingRules()) {
      rules.push_back({{"id", r.name},
                       {"category", CategoryName(r.category)},
                       {"severity", SeverityName(r.severity)},
                       {"description", r.title},
                       {"help", r.help},
                       {"docs", RuleDocsAnchor(r)}});
    }
    ctx.out << rules.dump(2) << '\n';
    return kExitClean;
  }
  std::size_t width = 0;
  for (const FindingRule& r : FindingRules()) width = std::max(width, r.name.size());
  std::string text = Pad("ID", width) + "  CATEGORY  SEVERITY  DESCRIPTION\n";
  for (const FindingRule& r : FindingRules()) {
    text += Pad(r.name, width) + "  " + Pad(CategoryName(r.category), 8) + "  " +
            Pad(SeverityName(r.severity), 8) + "  " + std::string(r.title) + "\n";
    text += std::string(width + 22, ' ') + RuleDocsAnchor(r) + "\n";
  }
  ctx.out << text;
  return kExitClean;
}

}  // namespace

void RegisterRulesCommand(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<RulesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "rules", "List every finding id: category, default severity, description and documentation");
  cmd->add_option("--format", opts->format, "text (default) or json")
      ->type_name("text|json")
      ->check(CLI::IsMember({"text", "json"}).description(""));
  cmd->callback([opts, &ctx] { ctx.exit_code = RunRules(*opts, ctx); });
}

}  // namespace iam_audit::cli
