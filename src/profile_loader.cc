// Profile loading: YAML -> a validated Profile, every problem reported as a
// FILE:LINE:COLUMN diagnostic (include/iam_audit/profile.h, docs/profiles.md).

#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "ascii.h"
#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "iam_audit/principal.h"
#include "iam_audit/profile.h"
#include "profile_internal.h"
#include "yaml_util.h"

namespace iam_audit {
namespace {

using ascii::Lower;
using profile_internal::IsIdentifier;
using profile_internal::IsIdentifierChar;
using profile_internal::ParseBoolText;
using profile_internal::ParseTemplate;
using profile_internal::ParseVariableType;
using profile_internal::ParseWhen;
using profile_internal::TemplateError;
using profile_internal::WhenError;
using yaml_util::Entry;
using yaml_util::Node;
using yaml_util::Where;
using yaml_util::WhereInScalar;

constexpr std::array<std::string_view, 4> kOrigins = {"documented", "code", "athena", "aws-doc"};

constexpr std::array<std::string_view, 8> kTopKeys = {
    "name",      "description", "dbt_adapter",     "sources",
    "variables", "groups",      "accepted_extras", "unsupported"};
constexpr std::array<std::string_view, 2> kUnsupportedKeys = {"when", "message"};
constexpr std::array<std::string_view, 3> kSourceKeys = {"id", "title", "url"};
constexpr std::array<std::string_view, 7> kVariableKeys = {
    "type", "items", "required", "default", "description", "from", "dbt_field"};
constexpr std::array<std::string_view, 11> kGroupKeys = {
    "id",       "title",  "description", "when",       "actions", "resources",
    "severity", "origin", "source",      "beyond_doc", "context"};
constexpr std::array<std::string_view, 2> kResourceKeys = {"arn", "type"};
// The lists of mappings, as their messages name them.
constexpr yaml_util::Reader::ListOfMappings kSourcesList = {
    "'sources' must be a list of {id, title, url}",
    "each source must be a mapping with id, title and url"};
constexpr yaml_util::Reader::ListOfMappings kUnsupportedList = {
    "'unsupported' must be a list of {when, message}",
    "each 'unsupported' entry must be a mapping with when and message"};

// A topological order of nodes 0..n-1 where deps[i] lists the nodes i
// depends on: dependencies come first. Iterative depth-first search (a chain
// of any length costs no stack); each cycle is reported once, as the path
// from its first node, and broken there.
std::vector<std::size_t> DependencyOrder(
    const std::vector<std::vector<std::size_t>>& deps,
    const std::function<void(const std::vector<std::size_t>&)>& on_cycle) {
  const std::size_t n = deps.size();
  enum class State : unsigned char { kNew, kOnPath, kDone };
  std::vector<State> state(n, State::kNew);
  std::vector<std::size_t> order;
  std::vector<std::size_t> path;         // the nodes being visited, root first
  std::vector<std::size_t> next_dep;     // parallel to path: the next dependency to visit
  std::vector<std::size_t> path_pos(n);  // a node's index in `path` while kOnPath
  for (std::size_t root = 0; root < n; ++root) {
    if (state[root] != State::kNew) continue;
    const auto enter = [&](std::size_t i) {
      state[i] = State::kOnPath;
      path_pos[i] = path.size();
      path.push_back(i);
      next_dep.push_back(0);
    };
    enter(root);
    while (!path.empty()) {
      const std::size_t i = path.back();
      if (next_dep.back() < deps[i].size()) {
        const std::size_t j = deps[i][next_dep.back()++];
        if (state[j] == State::kNew) {
          enter(j);
        } else if (state[j] == State::kOnPath) {
          on_cycle(std::vector<std::size_t>(path.begin() + path_pos[j], path.end()));
        }
        continue;
      }
      state[i] = State::kDone;
      order.push_back(i);
      path.pop_back();
      next_dep.pop_back();
    }
  }
  return order;
}

}  // namespace

class ProfileLoader : yaml_util::Reader {
 public:
  ProfileLoader(const std::string& file, const Catalog& catalog)
      : Reader(file),
        catalog_(catalog),
        matcher_(catalog, [this](SourceLocation where, std::string message) {
          Error(where, std::move(message));
        }) {
    profile_.file_ = file;
  }

  ProfileLoadResult Load(const Node& top) {
    if (!top.IsMap()) {
      Error(Where(top), "a profile must be a mapping with name, description, variables and groups");
      return Finish();
    }
    std::optional<Node> groups_node;
    std::optional<Node> unsupported_node;
    ForEachKey(top, "the profile", kTopKeys, [&](const std::string& key, const Node& v) {
      if (key == "name") {
        GetString(v, "name", &profile_.name_);
      } else if (key == "description") {
        GetString(v, "description", &profile_.description_);
      } else if (key == "dbt_adapter") {
        GetString(v, "dbt_adapter", &profile_.dbt_adapter_);
      } else if (key == "sources") {
        LoadSources(v);
      } else if (key == "variables") {
        LoadVariables(v);
      } else if (key == "groups") {
        groups_node.emplace(v);
      } else if (key == "accepted_extras") {
        LoadAcceptedExtras(v);
      } else if (key == "unsupported") {
        unsupported_node.emplace(v);
      }
    });
    if (!top["name"]) Error(Where(top), "the profile has no 'name'");
    ResolveDefaultOrder();
    if (unsupported_node) LoadUnsupported(*unsupported_node);
    if (!groups_node) {
      Error(Where(top), "the profile has no 'groups'");
    } else {
      LoadGroups(*groups_node);
    }
    return Finish();
  }

 private:
  ProfileLoadResult Finish() {
    if (!errors_.empty()) return {std::nullopt, std::move(errors_)};
    return {std::move(profile_), {}};
  }

  bool GetString(const Node& node, std::string_view what, std::string* out) {
    if (!node.IsScalar()) {
      Error(Where(node),
            std::string(what) + " must be a string, not " + std::string(yaml_util::KindName(node)));
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  // A string, or a list of strings. Locations per item when `where` is given.
  bool GetStringList(const Node& node, std::string_view what, std::vector<std::string>* out,
                     std::vector<Node>* nodes = nullptr) {
    if (node.IsScalar()) {
      out->push_back(node.Scalar());
      if (nodes) nodes->push_back(node);
      return true;
    }
    if (!node.IsSequence()) {
      Error(Where(node), std::string(what) + " must be a string or a list of strings");
      return false;
    }
    bool ok = true;
    for (const Node& item : node.items()) {
      if (!item.IsScalar()) {
        Error(Where(item), "each entry of " + std::string(what) + " must be a string, not " +
                               std::string(yaml_util::KindName(item)));
        ok = false;
        continue;
      }
      out->push_back(item.Scalar());
      if (nodes) nodes->push_back(item);
    }
    return ok;
  }

  // Parses a template from a scalar node and checks its variable references.
  // `scalar_only`: references to list variables are errors (scalar defaults).
  std::optional<ValueTemplate> Template(const Node& node, bool scalar_only,
                                        std::vector<std::string>* deps = nullptr) {
    std::vector<TemplateError> errs;
    std::optional<ValueTemplate> t = ParseTemplate(node.Scalar(), &errs);
    for (const TemplateError& e : errs) Error(WhereInScalar(node, e.offset), e.message);
    if (!t) return std::nullopt;
    t->where = Where(node);
    bool ok = true;
    std::size_t offset = 0;
    for (const ValueTemplate::Part& p : t->parts) {
      if (p.variable.empty()) {
        offset += p.text.size();
        continue;
      }
      const std::size_t pos = node.Scalar().find("${" + p.variable, offset);
      const SourceLocation at = WhereInScalar(node, pos == std::string::npos ? 0 : pos);
      if (pos != std::string::npos) offset = pos;
      offset += 3 + p.variable.size() + (p.field.empty() ? 0 : p.field.size() + 1);
      const ProfileVariable* v = FindVariable(p.variable);
      if (!v) {
        Error(at, "unknown variable '" + p.variable + "'" + KnownVariables());
        ok = false;
        continue;
      }
      const bool s3 = v->type == VariableType::kS3Location ||
                      (v->type == VariableType::kList && v->item_type == VariableType::kS3Location);
      if (!p.field.empty() && !s3) {
        Error(at, "'." + p.field + "' needs an s3_location variable; '" + p.variable + "' is a " +
                      std::string(VariableTypeName(v->type)));
        ok = false;
      }
      if (scalar_only && v->type == VariableType::kList) {
        Error(at, "the default of a single-valued variable cannot use list variable '" +
                      p.variable + "'");
        ok = false;
      }
      if (deps) deps->push_back(p.variable);
    }
    if (!ok) return std::nullopt;
    return t;
  }

  std::string KnownVariables() const {
    std::vector<std::string> names;
    for (const ProfileVariable& v : profile_.variables_) names.push_back(v.name);
    if (names.empty()) return " (the profile declares no variables)";
    return " (variables: " + ascii::JoinComma(names) + ")";
  }

  const ProfileVariable* FindVariable(std::string_view name) const {
    const auto it = variable_index_.find(name);
    return it == variable_index_.end() ? nullptr : &profile_.variables_[it->second];
  }

  void LoadSources(const Node& node) {
    ForEachMapping(node, kSourcesList, [&](const Node& item) {
      ProfileSource s;
      ForEachKey(item, "a source", kSourceKeys, [&](const std::string& key, const Node& v) {
        GetString(v, key, key == "id" ? &s.id : key == "title" ? &s.title : &s.url);
      });
      if (s.id.empty()) Error(Where(item), "a source needs an 'id'");
      profile_.sources_.push_back(std::move(s));
    });
  }

  void LoadVariables(const Node& node) {
    if (!node.IsMap()) {
      Error(Where(node), "'variables' must be a mapping from variable name to its description");
      return;
    }
    // Names first, so defaults may refer to variables declared later.
    std::set<std::string> seen;
    std::vector<std::pair<Node, Node>> entries;
    for (const Entry& it : node.entries()) {
      const std::string name = it.key.Scalar();
      if (!IsIdentifier(name)) {
        Error(Where(it.key), "variable name '" + name +
                                 "' must be a letter or '_' followed by letters, digits or '_'");
        continue;
      }
      if (!seen.insert(name).second) {
        Error(Where(it.key), "duplicate variable '" + name + "'");
        continue;
      }
      ProfileVariable v;
      v.name = name;
      v.where = Where(it.key);
      variable_index_.emplace(name, profile_.variables_.size());
      profile_.variables_.push_back(std::move(v));
      entries.emplace_back(it.key, it.value);
    }
    default_nodes_.resize(profile_.variables_.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      LoadVariable(profile_.variables_[i], entries[i].second, &default_nodes_[i]);
    }
  }

  void LoadVariable(ProfileVariable& v, const Node& spec, std::optional<Node>* default_node) {
    if (!spec.IsMap()) {
      Error(Where(spec), "variable '" + v.name +
                             "' must be a mapping (type, required, default, description...)");
      return;
    }
    const std::string what = "variable '" + v.name + "'";
    std::optional<Node> items_node;
    ForEachKey(spec, what, kVariableKeys, [&](const std::string& key, const Node& val) {
      std::string s;
      if (key == "type") {
        if (!GetString(val, "type", &s)) return;
        if (const auto t = ParseVariableType(s)) {
          v.type = *t;
        } else {
          Error(Where(val), "unknown variable type '" + s +
                                "' (expected one of: string, list, bool, s3_location, account_id)");
        }
      } else if (key == "items") {
        items_node.emplace(val);
      } else if (key == "required") {
        GetBool(val, "required", &v.required);
      } else if (key == "default") {
        default_node->emplace(val);
      } else if (key == "description") {
        GetString(val, "description", &v.description);
      } else if (key == "from") {
        GetString(val, "from", &v.from);
      } else if (key == "dbt_field") {
        GetStringList(val, "dbt_field", &v.dbt_fields);
      }
    });
    if (items_node) {
      std::string s;
      if (v.type != VariableType::kList) {
        Error(Where(*items_node), "'items' applies to list variables only");
      } else if (GetString(*items_node, "items", &s)) {
        if (s == "string") {
          v.item_type = VariableType::kString;
        } else if (s == "s3_location") {
          v.item_type = VariableType::kS3Location;
        } else {
          Error(Where(*items_node),
                "list items must be 'string' or 's3_location', not '" + s + "'");
        }
      }
    }
    if (v.required && *default_node) {
      Error(Where(**default_node), "required variable '" + v.name + "' cannot have a default");
      default_node->reset();
    }
  }

  // Parses the defaults (now that every variable's type is known) and orders
  // the variables so that each default's dependencies come first.
  void ResolveDefaultOrder() {
    const std::size_t n = profile_.variables_.size();
    std::vector<std::vector<std::size_t>> deps(n);
    for (std::size_t i = 0; i < n && i < default_nodes_.size(); ++i) {
      ProfileVariable& v = profile_.variables_[i];
      if (!default_nodes_[i]) continue;
      const Node& d = *default_nodes_[i];
      std::vector<Node> nodes;
      std::vector<std::string> values;
      if (v.type == VariableType::kList) {
        if (!d.IsSequence()) {
          Error(Where(d), "the default of list variable '" + v.name + "' must be a list (e.g. [])");
          continue;
        }
        if (!GetStringList(d, "default", &values, &nodes)) continue;
      } else {
        if (d.IsSequence()) {  // alternatives: the first whose variables are set
          if (d.size() == 0) {
            Error(Where(d), "the default of '" + v.name +
                                "' lists no alternatives (leave 'default' out instead)");
            continue;
          }
          if (!GetStringList(d, "default", &values, &nodes)) continue;
        } else if (!d.IsScalar()) {
          Error(Where(d),
                "the default of '" + v.name + "' must be a single value or a list of alternatives");
          continue;
        } else {
          values.push_back(d.Scalar());
          nodes.push_back(d);
        }
      }
      bool ok = true;
      std::vector<std::string> names;
      for (const Node& item : nodes) {
        std::optional<ValueTemplate> t = Template(item, v.type != VariableType::kList, &names);
        if (!t) {
          ok = false;
          continue;
        }
        if (t->parts.size() == 1 && t->parts[0].variable.empty()) {
          ok = CheckLiteralValue(v, t->text, Where(item)) && ok;
        }
      }
      if (!ok) continue;
      v.default_value = std::move(values);
      for (const std::string& name : names) {
        if (const auto it = variable_index_.find(name); it != variable_index_.end())
          deps[i].push_back(it->second);
      }
    }
    profile_.default_order_ = DependencyOrder(deps, [&](const std::vector<std::size_t>& cycle) {
      std::string path;
      for (std::size_t k : cycle) path += profile_.variables_[k].name + " -> ";
      path += profile_.variables_[cycle.front()].name;
      Error(profile_.variables_[cycle.front()].where,
            "the defaults of these variables depend on each other: " + path);
    });
  }

  // Checks a literal default against its variable's type.
  bool CheckLiteralValue(const ProfileVariable& v, std::string_view text, SourceLocation where) {
    const VariableType t = v.type == VariableType::kList ? v.item_type : v.type;
    std::string error;
    if (t == VariableType::kBool && !ParseBoolText(text)) {
      Error(where, "default of bool variable '" + v.name + "' must be true or false");
      return false;
    }
    if (t == VariableType::kS3Location && !S3Location::Parse(text, &error)) {
      Error(where, "default of '" + v.name + "': " + error);
      return false;
    }
    if (t == VariableType::kAccountId && !IsAccountId(text)) {
      Error(where, "default of account_id variable '" + v.name + "' must be 12 digits");
      return false;
    }
    return true;
  }

  void LoadGroups(const Node& node) {
    if (!node.IsSequence()) {
      Error(Where(node), "'groups' must be a list of groups");
      return;
    }
    std::set<std::string> ids;
    for (const Node& item : node.items()) {
      if (!item.IsMap()) {
        Error(Where(item), "each group must be a mapping (id, title, actions, resources...)");
        continue;
      }
      const std::size_t before = errors_.size();
      ProfileGroup g;
      g.where = Where(item);
      LoadGroup(item, g);
      if (!g.id.empty() && !ids.insert(g.id).second) {
        Error(Where(item["id"]), "duplicate group id '" + g.id + "'");
      }
      if (errors_.size() == before) matcher_.ComputeChecks(g);
      profile_.groups_.push_back(std::move(g));
    }
  }

  void LoadGroup(const Node& item, ProfileGroup& g) {
    std::string what = "a group";
    if (item["id"] && item["id"].IsScalar()) what = "group '" + item["id"].Scalar() + "'";
    bool has_actions = false;
    ForEachKey(item, what, kGroupKeys, [&](const std::string& key, const Node& v) {
      std::string s;
      if (key == "id") {
        if (GetString(v, "id", &g.id) && !IsGroupId(g.id)) {
          Error(Where(v), "group id '" + g.id + "' must use only letters, digits, '-' and '_'");
        }
      } else if (key == "title") {
        GetString(v, "title", &g.title);
      } else if (key == "description") {
        GetString(v, "description", &g.description);
      } else if (key == "when") {
        LoadWhen(v, g);
      } else if (key == "actions") {
        has_actions = true;
        LoadActions(v, g);
      } else if (key == "resources") {
        LoadResources(v, g);
      } else if (key == "severity") {
        if (!GetString(v, "severity", &s)) return;
        if (const auto sev = ParseSeverity(s)) {
          g.severity = *sev;
        } else {
          Error(Where(v), "unknown severity '" + s + "' (expected error, warning or note)");
        }
      } else if (key == "origin") {
        if (!GetString(v, "origin", &g.origin)) return;
        if (std::find(kOrigins.begin(), kOrigins.end(), g.origin) == kOrigins.end()) {
          Error(Where(v), "unknown origin '" + g.origin +
                              "' (expected one of: " + ascii::JoinComma(kOrigins) + ")");
        }
      } else if (key == "source") {
        GetString(v, "source", &g.source);
      } else if (key == "beyond_doc") {
        GetBool(v, "beyond_doc", &g.beyond_doc);
      } else if (key == "context") {
        LoadContext(v, g);
      }
    });
    for (const char* required : {"id", "title", "origin"}) {
      if (!item[required]) Error(g.where, what + " has no '" + required + "'");
    }
    if (!has_actions) Error(g.where, what + " has no 'actions'");
  }

  static bool IsGroupId(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(),
                                      [](char c) { return IsIdentifierChar(c) || c == '-'; });
  }

  // A `when` expression over the profile's variables; nullopt after an error.
  std::optional<WhenCondition> ReadWhen(const Node& v) {
    std::string text;
    if (!GetString(v, "when", &text)) return std::nullopt;
    WhenError error;
    std::optional<WhenCondition> c = ParseWhen(
        text, [this](std::string_view name) { return FindVariable(name); }, &error);
    if (!c) Error(WhereInScalar(v, error.offset), "in 'when': " + error.message);
    return c;
  }

  void LoadWhen(const Node& v, ProfileGroup& g) {
    if (std::optional<WhenCondition> c = ReadWhen(v)) g.when = std::move(*c);
  }

  // Actions the tool's users commonly grant beyond the requirements, accepted
  // by the risk model (risk.h): each must match a catalog action.
  void LoadAcceptedExtras(const Node& v) {
    std::vector<Node> nodes;
    if (!GetStringList(v, "accepted_extras", &profile_.accepted_extras_, &nodes)) return;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::optional<ActionPattern> p = ActionPattern::Parse(profile_.accepted_extras_[i]);
      if (!p || p->MatchesAllActions() || ExpandActions(catalog_, *p).empty()) {
        Error(Where(nodes[i]), "accepted_extras: '" + profile_.accepted_extras_[i] +
                                   "' is not an action (or pattern) of the catalog");
      }
    }
  }

  // `unsupported`: configurations the profile refuses rather than audit wrongly.
  void LoadUnsupported(const Node& node) {
    ForEachMapping(node, kUnsupportedList, [&](const Node& item) {
      ProfileRefusal r;
      r.where = Where(item);
      bool has_when = false;
      ForEachKey(item, "an 'unsupported' entry", kUnsupportedKeys,
                 [&](const std::string& key, const Node& v) {
                   if (key == "message") {
                     GetString(v, "message", &r.message);
                     return;
                   }
                   has_when = true;
                   if (std::optional<WhenCondition> c = ReadWhen(v)) r.when = std::move(*c);
                 });
      if (!has_when || r.message.empty()) {
        Error(r.where, "an 'unsupported' entry needs both 'when' and 'message'");
        return;
      }
      profile_.unsupported_.push_back(std::move(r));
    });
  }

  void LoadActions(const Node& v, ProfileGroup& g) {
    std::vector<std::string> patterns;
    std::vector<Node> nodes;
    if (!GetStringList(v, "actions", &patterns, &nodes)) return;
    if (patterns.empty()) Error(Where(v), "'actions' is empty");
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      std::string error;
      const std::optional<ActionPattern> p = ActionPattern::Parse(patterns[i], &error);
      if (!p) {
        Error(Where(nodes[i]), error);
        continue;
      }
      ProfileAction a;
      a.pattern = patterns[i];
      a.where = Where(nodes[i]);
      if (p->MatchesAllActions()) {
        Error(a.where,
              "'" + a.pattern + "' grants every action; a profile must name what it needs");
        continue;
      }
      if (!p->HasWildcards()) {
        if (const auto id = catalog_.FindAction(a.pattern))
          a.actions.push_back(catalog_.action(*id).FullName());
      } else {
        for (ActionId id : ExpandActions(catalog_, *p))
          a.actions.push_back(catalog_.action(id).FullName());
      }
      if (a.actions.empty()) {
        std::string message = "action pattern '" + a.pattern + "' matches no action in the catalog";
        const std::vector<std::string> hints = SuggestActions(catalog_, a.pattern);
        if (!hints.empty()) message += " (did you mean " + ascii::JoinComma(hints) + "?)";
        Error(a.where, message);
        continue;
      }
      g.actions.push_back(std::move(a));
    }
  }

  void LoadResources(const Node& v, ProfileGroup& g) {
    if (!v.IsSequence()) {
      Error(Where(v), "'resources' must be a list of ARN templates");
      return;
    }
    for (const Node& item : v.items()) {
      ProfileResource r;
      std::optional<Node> arn;
      if (!item.IsMap()) {
        arn.emplace(item);
      } else {
        ForEachKey(item, "a resource", kResourceKeys, [&](const std::string& key, const Node& val) {
          if (key == "arn") {
            arn.emplace(val);
          } else {
            GetString(val, "type", &r.type_hint);
          }
        });
        if (!arn) {
          Error(Where(item), "a resource mapping needs 'arn' (and optionally 'type')");
          continue;
        }
      }
      if (!arn->IsScalar()) {
        Error(Where(*arn), "a resource must be an ARN template string or {arn, type}");
        continue;
      }
      std::optional<ValueTemplate> t = Template(*arn, /*scalar_only=*/false);
      if (!t) continue;
      r.arn = std::move(*t);
      r.any = r.arn.text == "*";
      g.resources.push_back(std::move(r));
    }
  }

  void LoadContext(const Node& v, ProfileGroup& g) {
    if (!v.IsMap()) {
      Error(Where(v), "'context' must map condition keys to a value or a list of values");
      return;
    }
    std::set<std::string> seen;
    for (const Entry& it : v.entries()) {
      ProfileContextEntry e;
      if (!GetString(it.key, "a context key", &e.key)) continue;
      e.where = Where(it.key);
      if (e.key.find(':') == std::string::npos) {
        Error(e.where,
              "context key '" + e.key + "' is not a condition key (expected 'service:Key')");
        continue;
      }
      if (!seen.insert(Lower(e.key)).second) {
        Error(e.where, "duplicate context key '" + e.key + "'");
        continue;
      }
      std::vector<std::string> values;
      std::vector<Node> nodes;
      if (!GetStringList(it.value, "context value", &values, &nodes)) continue;
      bool ok = true;
      for (const Node& n : nodes) {
        std::optional<ValueTemplate> t = Template(n, /*scalar_only=*/false);
        if (!t) {
          ok = false;
          continue;
        }
        e.values.push_back(std::move(*t));
      }
      if (ok) g.context.push_back(std::move(e));
    }
  }

  const Catalog& catalog_;
  Profile profile_;
  std::vector<std::optional<Node>> default_nodes_;
  profile_internal::ResourceTypeMatcher matcher_;
  std::map<std::string, std::size_t, std::less<>> variable_index_;  // name -> index
};

ProfileLoadResult Profile::Load(std::string_view yaml, const std::string& file,
                                const Catalog& catalog) {
  Diagnostic syntax;
  const std::optional<Node> root = yaml_util::Parse(yaml, file, &syntax);
  if (!root) return {std::nullopt, {syntax}};
  return profile_internal::LoadTree(*root, file, catalog);
}

ProfileLoadResult profile_internal::LoadTree(const yaml_tree::Node& root, const std::string& file,
                                             const Catalog& catalog) {
  return ProfileLoader(file, catalog).Load(root);
}

Profile Profile::LoadOrThrow(std::string_view yaml, const std::string& file,
                             const Catalog& catalog) {
  ProfileLoadResult r = Load(yaml, file, catalog);
  if (!r.profile) throw InputError(std::move(r.errors));
  return std::move(*r.profile);
}

}  // namespace iam_audit
