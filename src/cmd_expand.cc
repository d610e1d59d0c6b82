// `iam-audit expand PATTERN...`: the concrete catalog actions that IAM action
// patterns match. See docs/catalog.md for the semantics.
#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ascii.h"
#include "cli.h"
#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"

namespace iam_audit::cli {
namespace {

struct ExpandOptions {
  std::vector<std::string> patterns;
  std::string format = "text";
  std::string access_levels;  // comma-separated, "" = all
};

constexpr std::size_t kSuggestions = 3;

std::string AccessLevelChoices() {
  return ascii::JoinComma(kAllAccessLevels, AccessLevelOptionName);
}

nlohmann::ordered_json ActionJson(const Catalog& catalog, ActionId id) {
  const ActionInfo info = catalog.action(id);
  nlohmann::ordered_json resources = nlohmann::ordered_json::array();
  for (const ActionResource& r : info.resource_types) {
    resources.push_back({{"name", r.name}, {"arn", r.arn_template}, {"required", r.required}});
  }
  return {{"action", info.FullName()},
          {"access_level", AccessLevelsToString(info.access)},
          {"resource_types", std::move(resources)}};
}

void PrintActions(const Catalog& catalog, const ActionSet& actions, const std::string& format,
                  std::ostream& out) {
  if (format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (ActionId id : actions) list.push_back(ActionJson(catalog, id));
    out << list.dump(2) << '\n';
    return;
  }
  std::string text;
  for (ActionId id : actions) {
    text += catalog.action_service(id);
    text += ':';
    text += catalog.action_name(id);
    text += '\n';
  }
  out << text;
}

void ReportNoMatch(const Catalog& catalog, const std::string& pattern, std::ostream& err) {
  err << "iam-audit: '" << pattern << "' matches no action in the catalog";
  const std::vector<std::string> suggestions = SuggestActions(catalog, pattern, kSuggestions);
  for (std::size_t i = 0; i < suggestions.size(); ++i) {
    err << (i == 0 ? "; did you mean: " : ", ") << suggestions[i];
  }
  err << (suggestions.empty() ? "\n" : "?\n");
}

int RunExpand(const ExpandOptions& opts, Context& ctx) {
  AccessLevels filter = 0;
  if (!opts.access_levels.empty()) {
    std::string unknown;
    const std::optional<AccessLevels> levels = ParseAccessLevelList(opts.access_levels, &unknown);
    if (!levels) {
      ctx.err << "iam-audit: unknown access level '" << unknown
              << "' in --access-level (expected a comma-separated list of: " << AccessLevelChoices()
              << ")\n";
      return kExitUsage;
    }
    filter = *levels;
  }
  std::vector<ActionPattern> patterns;
  bool malformed = false;
  for (const std::string& text : opts.patterns) {
    std::string error;
    if (std::optional<ActionPattern> p = ActionPattern::Parse(text, &error)) {
      patterns.push_back(std::move(*p));
    } else {
      ctx.err << "iam-audit: " << error << '\n';
      malformed = true;
    }
  }
  if (malformed) return kExitUsage;

  const Catalog& catalog = ctx.catalog();
  ActionSet all(catalog.action_count());
  std::vector<const ActionPattern*> unmatched;
  ActionSet one(catalog.action_count());
  for (const ActionPattern& p : patterns) {
    one.clear();
    ExpandActionsInto(catalog, p, one);
    if (one.empty()) unmatched.push_back(&p);
    all |= one;
  }
  if (filter != 0) {
    for (ActionId id : all) {  // erasing the current id leaves the iteration intact
      if ((catalog.action_access(id) & filter) == 0) all.erase(id);
    }
  }
  PrintActions(catalog, all, opts.format, ctx.out);
  for (const ActionPattern* p : unmatched) ReportNoMatch(catalog, p->text(), ctx.err);
  return unmatched.empty() ? kExitClean : kExitFindings;
}

}  // namespace

void RegisterExpandCommand(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<ExpandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "expand",
      "List the catalog actions that IAM action patterns match (case-insensitive; * and ?)");
  cmd->add_option("PATTERN", opts->patterns, "Action patterns, e.g. s3:Get*Tagging '*:Describe*'")
      ->required();
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--access-level", opts->access_levels,
                  "Keep only actions with one of these access levels (comma-separated: " +
                      AccessLevelChoices() + ")");
  cmd->callback([opts, &ctx] { ctx.exit_code = RunExpand(*opts, ctx); });
}

}  // namespace iam_audit::cli
