// The risk table's loader (rules/risk/risks.yaml; format in risk.h and
// docs/risks.md).
#include <algorithm>

#include "ascii.h"
#include "embedded.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "iam_audit/risk.h"
#include "risk_internal.h"
#include "yaml_util.h"

namespace iam_audit {
namespace {

using yaml_util::Node;
using yaml_util::Where;

constexpr FindingId kCategories[] = {
    FindingId::kPrivilegeEscalation, FindingId::kCredentialsExposure, FindingId::kResourceExposure,
    FindingId::kDataDestruction,     FindingId::kDataExfiltration,
};

std::optional<FindingId> ParseCategory(std::string_view name) {
  const std::optional<FindingId> id = ParseFindingId(name);
  if (!id ||
      std::find(std::begin(kCategories), std::end(kCategories), *id) == std::end(kCategories)) {
    return std::nullopt;
  }
  return id;
}

std::optional<RiskScope> ParseScope(std::string_view name) {
  if (name == "every") return RiskScope::kEvery;
  if (name == "any") return RiskScope::kAny;
  if (name == "unowned") return RiskScope::kUnowned;
  if (name == "unread") return RiskScope::kUnread;
  return std::nullopt;
}

class Loader {
 public:
  Loader(const std::string& file, const Catalog* catalog) : file_(file), catalog_(catalog) {}

  RiskTableLoadResult Load(const Node& root) {
    RiskTableLoadResult out;
    if (!root.IsMap()) {
      Error(root, "the risk table must be a mapping");
      out.errors = std::move(errors_);
      return out;
    }
    RiskTable table;
    Categories(root["categories"], &table);
    ServiceWildcard(root["service_wildcard"], &table);
    Sources(root["sources"], &table);
    Rows(root["risks"], &table);
    if (errors_.empty()) {
      out.table = std::move(table);
    } else {
      out.errors = std::move(errors_);
    }
    return out;
  }

 private:
  void Error(const Node& node, std::string message) {
    errors_.push_back({file_, Where(node), std::move(message)});
  }
  std::optional<std::string> Text(const Node& node, std::string_view what) {
    if (!node || !node.IsScalar() || node.Scalar().empty()) {
      Error(node, std::string(what) + " must be a non-empty string, not " +
                      std::string(yaml_util::KindName(node)));
      return std::nullopt;
    }
    return node.Scalar();
  }
  std::optional<Severity> SeverityAt(const Node& node, std::string_view what) {
    const std::optional<std::string> text = Text(node, what);
    if (!text) return std::nullopt;
    const std::optional<Severity> s = ParseSeverity(*text);
    if (!s) Error(node, std::string(what) + ": unknown severity '" + *text + "'");
    return s;
  }
  std::optional<RiskSeverities> Severities(const Node& node, std::string_view what) {
    if (!node.IsMap()) {
      Error(node, std::string(what) + " must be a mapping {audit: S, lint: S}");
      return std::nullopt;
    }
    const std::optional<Severity> audit = SeverityAt(node["audit"], std::string(what) + ".audit");
    const std::optional<Severity> lint = SeverityAt(node["lint"], std::string(what) + ".lint");
    if (!audit || !lint) return std::nullopt;
    return RiskSeverities{*audit, *lint};
  }
  std::vector<std::string> List(const Node& node, std::string_view what, bool required) {
    std::vector<std::string> out;
    if (!node) {
      if (required) Error(node, std::string(what) + " is required");
      return out;
    }
    if (!node.IsSequence()) {
      Error(node, std::string(what) + " must be a list");
      return out;
    }
    for (const Node& item : node.items()) {
      if (const std::optional<std::string> t = Text(item, what)) out.push_back(*t);
    }
    if (required && out.empty()) Error(node, std::string(what) + " must not be empty");
    return out;
  }
  void Actions(const Node& node, const std::vector<std::string>& actions) {
    if (!catalog_) return;
    std::size_t k = 0;
    for (const Node& item : node.items()) {
      const std::string& a = actions[std::min(k++, actions.size() - 1)];
      const std::optional<ActionPattern> p = ActionPattern::Parse(a);
      if (!p || ExpandActions(*catalog_, *p).empty()) {
        Error(item, "'" + a + "' matches no action of the catalog");
      }
    }
  }

  // Each resource type must be one of some action of the row.
  void ResourceTypes(const Node& node, const RiskRow& row) {
    if (!catalog_) return;
    std::size_t k = 0;
    for (const Node& item : node.items()) {
      const std::string& type = row.resource_types[std::min(k++, row.resource_types.size() - 1)];
      bool found = false;
      for (const std::string& a : row.actions) {
        const std::optional<ActionPattern> p = ActionPattern::Parse(a);
        if (!p) continue;
        for (const ActionId id : ExpandActions(*catalog_, *p)) {
          const ActionInfo info = catalog_->action(id);
          for (const ActionResource& r : info.resource_types) found = found || r.name == type;
        }
      }
      if (!found) Error(item, "'" + type + "' is a resource type of none of the row's actions");
    }
  }

  void Categories(const Node& node, RiskTable* table) {
    if (!node || !node.IsMap()) return Error(node, "categories must be a mapping");
    for (const yaml_util::Entry& kv : node.entries()) {
      const std::string& name = kv.key.Scalar();
      const std::optional<FindingId> id = ParseCategory(name);
      if (!id) {
        Error(kv.key, "unknown risk category '" + name + "'");
        continue;
      }
      if (const std::optional<RiskSeverities> s = Severities(kv.value, name)) {
        table->categories.emplace_back(*id, *s);
      }
    }
  }
  void ServiceWildcard(const Node& node, RiskTable* table) {
    if (!node || !node.IsMap()) return Error(node, "service_wildcard must be a mapping");
    const std::optional<Severity> audit = SeverityAt(node["audit"], "service_wildcard.audit");
    const std::optional<Severity> lint = SeverityAt(node["lint"], "service_wildcard.lint");
    if (audit && lint) table->service_wildcard = {*audit, *lint};
    if (const auto raised = Severities(node["raised"], "service_wildcard.raised")) {
      table->service_wildcard_raised = *raised;
    }
    for (const std::string& s : List(node["raised_services"], "raised_services", true)) {
      table->raised_services.push_back(ascii::Lower(s));
    }
  }
  void Sources(const Node& node, RiskTable* table) {
    if (!node || !node.IsMap()) return Error(node, "sources must be a mapping");
    for (const yaml_util::Entry& kv : node.entries()) {
      if (const std::optional<std::string> title = Text(kv.value, "a source's title")) {
        table->sources.emplace_back(kv.key.Scalar(), *title);
      }
    }
  }
  void Rows(const Node& node, RiskTable* table) {
    if (!node || !node.IsSequence()) return Error(node, "risks must be a list");
    for (const Node& row : node.items()) {
      if (!row.IsMap()) {
        Error(row, "a risk must be a mapping");
        continue;
      }
      RiskRow r;
      r.where = Where(row);
      r.id = Text(row["id"], "id").value_or("");
      const std::optional<std::string> category = Text(row["category"], "category");
      if (category) {
        if (const auto id = ParseCategory(*category)) {
          r.category = *id;
        } else {
          Error(row["category"], "unknown risk category '" + *category + "'");
        }
      }
      r.actions = List(row["actions"], "actions", true);
      if (!r.actions.empty()) Actions(row["actions"], r.actions);
      r.with_any = List(row["with_any"], "with_any", false);
      if (!r.with_any.empty()) Actions(row["with_any"], r.with_any);
      if (const auto scope = Text(row["scope"], "scope")) {
        if (const auto s = ParseScope(*scope)) {
          r.scope = *s;
        } else {
          Error(row["scope"], "unknown scope '" + *scope + "' (every, any, unowned, unread)");
        }
      }
      r.resource_types = List(row["resource_types"], "resource_types", false);
      if (!r.resource_types.empty()) ResourceTypes(row["resource_types"], r);
      r.unless = List(row["unless"], "unless", false);
      r.why = Text(row["why"], "why").value_or("");
      r.sources = List(row["source"], "source", true);
      for (const std::string& s : r.sources) {
        const bool known = std::any_of(table->sources.begin(), table->sources.end(),
                                       [&](const auto& e) { return e.first == s; });
        if (!known) Error(row["source"], "unknown source '" + s + "'");
      }
      const bool duplicate = std::any_of(table->rows.begin(), table->rows.end(),
                                         [&](const RiskRow& o) { return o.id == r.id; });
      if (duplicate) Error(row["id"], "duplicate risk id '" + r.id + "'");
      table->rows.push_back(std::move(r));
    }
  }

  const std::string& file_;
  const Catalog* catalog_;
  Diagnostics errors_;
};

}  // namespace

Severity RiskTable::SeverityOf(FindingId id, RiskMode mode) const {
  if (id == FindingId::kServiceWildcard) return service_wildcard.For(mode);
  for (const auto& [category, severities] : categories) {
    if (category == id) return severities.For(mode);
  }
  return RuleFor(id).severity;
}

RiskTableLoadResult LoadRiskTable(std::string_view yaml, const std::string& file,
                                  const Catalog* catalog) {
  Diagnostic error;
  const std::optional<Node> root = yaml_util::Parse(yaml, file, &error);
  if (!root) return {std::nullopt, {std::move(error)}};
  return risk_internal::LoadRiskTableTree(*root, file, catalog);
}

RiskTableLoadResult risk_internal::LoadRiskTableTree(const yaml_tree::Node& root,
                                                     const std::string& file,
                                                     const Catalog* catalog) {
  return Loader(file, catalog).Load(root);
}

const RiskTable& BuiltinRiskTable() {
  // Read once from the tree embedded at build time (no YAML parse at run
  // time); immutable afterwards (a function-local static is thread-safe).
  static const RiskTable table = [] {
    const std::string file = "rules/risk/risks.yaml";
    const std::optional<yaml_tree::Node> root = yaml_tree::Deserialize(embedded::RiskTableTree());
    if (!root) throw InputError(file + ": the embedded tree is corrupt (rebuild iam-audit)");
    RiskTableLoadResult r = risk_internal::LoadRiskTableTree(*root, file, nullptr);
    if (!r.table) throw InputError(std::move(r.errors));
    return std::move(*r.table);
  }();
  return table;
}

}  // namespace iam_audit
