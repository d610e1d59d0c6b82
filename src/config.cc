#include "config.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "ascii.h"
#include "builtin_profiles.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_source.h"
#include "suggest.h"
#include "yaml_util.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;

namespace fs = std::filesystem;
using yaml_util::Node;
using yaml_util::Where;

// The keys each mapping accepts (data: the messages and the checks read these).
constexpr std::array<std::string_view, 11> kTopKeys = {
    "profile",  "vars",    "dbt-profiles", "context",      "each",  "fail-on",
    "baseline", "exclude", "overrides",    "suppressions", "checks"};
constexpr std::array<std::string_view, 3> kChecksKeys = {"enable", "disable", "severity"};
constexpr std::array<std::string_view, 3> kSeverityValues = {"error", "warning", "note"};
constexpr std::array<std::string_view, 6> kOverrideKeys = {"paths",        "profile", "vars",
                                                           "dbt-profiles", "context", "each"};
constexpr std::array<std::string_view, 3> kDbtKeys = {"path", "profile", "target"};
constexpr std::array<std::string_view, 6> kSuppressionKeys = {"id",       "paths",  "action",
                                                              "resource", "reason", "expires"};
constexpr std::array<std::string_view, 4> kFailOnValues = {"error", "warning", "note", "never"};
// The lists of mappings, as their messages name them.
constexpr yaml_util::Reader::ListOfMappings kOverridesList = {
    "overrides must be a list of entries with 'paths'",
    "each entry of overrides must be a mapping with 'paths'"};
constexpr yaml_util::Reader::ListOfMappings kSuppressionsList = {
    "suppressions must be a list", "each suppression must be a mapping with id, paths and reason"};

std::string_view ContextKey(std::string_view assignment) {
  return assignment.substr(0, assignment.find('='));
}

// Appends `over` to `base`, first dropping the assignments of `base` whose
// key `over` sets (condition keys are case-insensitive).
void MergeContext(std::vector<std::string>& base, const std::vector<std::string>& over) {
  std::erase_if(base, [&](const std::string& b) {
    return std::any_of(over.begin(), over.end(), [&](const std::string& o) {
      return EqualsIgnoreCase(ContextKey(b), ContextKey(o));
    });
  });
  base.insert(base.end(), over.begin(), over.end());
}

class Loader : yaml_util::Reader {
 public:
  Loader(std::string file, std::string root) : Reader(std::move(file)), root_(std::move(root)) {}

  Config Load(std::string_view text) {
    Config config;
    config.file = file_;
    config.root = root_;
    Diagnostic syntax;
    const std::optional<Node> doc = yaml_util::Parse(text, file_, &syntax);
    if (!doc) throw InputError(Diagnostics{syntax});
    if (doc->IsNull()) return config;  // an empty file: every default
    if (!doc->IsMap()) {
      Error(*doc, "the configuration must be a mapping of settings, not " +
                      std::string(yaml_util::KindName(*doc)));
      throw InputError(std::move(errors_));
    }
    ForEachKey(*doc, "the configuration", kTopKeys, [&](const std::string& key, const Node& v) {
      if (LoadSetting(key, v, config.defaults)) return;
      if (key == "fail-on") {
        std::string s;
        if (GetChoice(v, "fail-on", kFailOnValues, &s)) config.fail_on = s;
      } else if (key == "baseline") {
        std::string s;
        if (GetString(v, "baseline", &s)) config.baseline = Absolute(s);
      } else if (key == "exclude") {
        GetPatterns(v, "exclude", &config.exclude);
      } else if (key == "overrides") {
        LoadOverrides(v, &config.overrides);
      } else if (key == "suppressions") {
        LoadSuppressions(v, &config.suppressions);
      } else if (key == "checks") {
        LoadChecks(v, &config.checks);
      }
    });
    if (!errors_.empty()) throw InputError(std::move(errors_));
    return config;
  }

 private:
  std::string Origin(const Node& node) const {
    const SourceLocation w = Where(node);
    return file_ + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
  }

  std::string Absolute(const std::string& path) const {
    return (fs::path(root_) / path).lexically_normal().string();
  }

  bool GetString(const Node& node, std::string_view what, std::string* out) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      Error(node, std::string(what) + " must be a non-empty string, not " +
                      std::string(node.IsScalar() ? "an empty one" : yaml_util::KindName(node)));
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  template <std::size_t N>
  bool GetChoice(const Node& node, std::string_view what,
                 const std::array<std::string_view, N>& choices, std::string* out) {
    if (!GetString(node, what, out)) return false;
    if (std::find(choices.begin(), choices.end(), *out) != choices.end()) return true;
    Error(node, std::string(what) + " must be one of " + ascii::JoinComma(choices) + ", not " +
                    Quoted(*out));
    return false;
  }

  // A string or a list of strings (each non-empty), with each item's node.
  bool GetStrings(const Node& node, std::string_view what, std::vector<std::string>* out,
                  std::vector<Node>* nodes = nullptr) {
    if (node.IsScalar()) {
      std::string s;
      if (!GetString(node, what, &s)) return false;
      out->push_back(std::move(s));
      if (nodes) nodes->push_back(node);
      return true;
    }
    if (!node.IsSequence() || node.size() == 0) {
      Error(node, std::string(what) + " must be a string or a non-empty list of strings, not " +
                      std::string(node.IsSequence() ? "an empty list" : yaml_util::KindName(node)));
      return false;
    }
    bool ok = true;
    for (const Node& item : node.items()) {
      std::string s;
      if (!GetString(item, "each entry of " + std::string(what), &s)) {
        ok = false;
        continue;
      }
      out->push_back(std::move(s));
      if (nodes) nodes->push_back(item);
    }
    return ok;
  }

  // .gitignore-style patterns (a string or a list).
  void GetPatterns(const Node& node, std::string_view what, std::vector<std::string>* out) {
    GetStrings(node, what, out);
  }

  // The settings both the top level and an override may hold; false when
  // `key` is not one of them.
  bool LoadSetting(const std::string& key, const Node& v, AuditSettings& s) {
    if (key == "profile") {
      std::string name;
      if (GetString(v, "profile", &name)) s.profile = ProfileReference(name);
    } else if (key == "vars") {
      LoadVars(v, &s.vars);
    } else if (key == "dbt-profiles") {
      LoadDbt(v, &s.dbt);
    } else if (key == "context") {
      LoadContext(v, &s.context);
    } else if (key == "each") {
      bool b = false;
      if (GetBool(v, "each", &b)) s.each = b;
    } else {
      return false;
    }
    return true;
  }

  // A built-in profile name stays as it is; anything else is a file relative
  // to the configuration.
  std::string ProfileReference(const std::string& name) const {
    for (const BuiltinProfile& p : BuiltinProfiles()) {
      if (p.name == name) return name;
    }
    return Absolute(name);
  }

  void LoadVars(const Node& node, std::vector<VariableInput>* out) {
    if (!node.IsMap()) {
      Error(node, "vars must be a mapping of variable names to values, not " +
                      std::string(yaml_util::KindName(node)));
      return;
    }
    for (const yaml_util::Entry& it : node.entries()) {
      const Node& key = it.key;
      const Node& value = it.value;
      if (!key.IsScalar() || key.Scalar().empty()) {
        Error(key, "variable names must be non-empty strings");
        continue;
      }
      VariableInput in;
      in.name = key.Scalar();
      in.origin = Origin(value.IsNull() ? key : value);
      if (value.IsScalar()) {
        in.values = {value.Scalar()};
      } else if (value.IsSequence()) {
        in.sequence = true;
        bool ok = true;
        for (const Node& item : value.items()) {
          if (!item.IsScalar()) {
            Error(item, "each entry of variable " + Quoted(in.name) + " must be a string, not " +
                            std::string(yaml_util::KindName(item)));
            ok = false;
            continue;
          }
          in.values.push_back(item.Scalar());
        }
        if (!ok) continue;
      } else {
        Error(value.IsNull() ? key : value, "variable " + Quoted(in.name) +
                                                " must be a string or a list of strings, not " +
                                                std::string(yaml_util::KindName(value)));
        continue;
      }
      out->push_back(std::move(in));
    }
  }

  void LoadDbt(const Node& node, std::optional<DbtProfilesOptions>* out) {
    DbtProfilesOptions dbt;
    if (node.IsScalar()) {
      if (!GetString(node, "dbt-profiles", &dbt.path)) return;
    } else if (node.IsMap()) {
      ForEachKey(node, "dbt-profiles", kDbtKeys, [&](const std::string& key, const Node& v) {
        std::string* field = key == "path"      ? &dbt.path
                             : key == "profile" ? &dbt.profile
                                                : &dbt.target;
        GetString(v, "dbt-profiles " + key, field);
      });
      if (!node["path"]) {
        Error(node, "dbt-profiles needs a 'path' (the profiles.yml file or its folder)");
        return;
      }
    } else {
      Error(node, "dbt-profiles must be a path or a mapping with path, profile and target, not " +
                      std::string(yaml_util::KindName(node)));
      return;
    }
    if (dbt.path.empty()) return;
    dbt.path = Absolute(dbt.path);
    *out = std::move(dbt);
  }

  void LoadContext(const Node& node, std::vector<std::string>* out) {
    if (!node.IsMap()) {
      Error(node, "context must be a mapping of condition keys to values, not " +
                      std::string(yaml_util::KindName(node)));
      return;
    }
    for (const yaml_util::Entry& it : node.entries()) {
      if (!it.key.IsScalar() || it.key.Scalar().empty()) {
        Error(it.key, "condition keys must be non-empty strings");
        continue;
      }
      const std::string& key = it.key.Scalar();
      std::vector<std::string> values;
      if (it.value.IsNull()) {
        Error(it.key, "context key " + Quoted(key) + " needs a value or a list of values");
        continue;
      }
      if (!GetStrings(it.value, "context key " + Quoted(key), &values)) continue;
      for (const std::string& v : values) {
        std::string assignment = key + "=" + v;
        if (std::find(out->begin(), out->end(), assignment) == out->end()) {
          out->push_back(std::move(assignment));
        }
      }
    }
  }

  void LoadOverrides(const Node& node, std::vector<PathOverride>* out) {
    ForEachMapping(node, kOverridesList, [&](const Node& entry) {
      PathOverride o;
      o.where = Where(entry);
      ForEachKey(entry, "an overrides entry", kOverrideKeys,
                 [&](const std::string& key, const Node& v) {
                   if (key == "paths") {
                     GetPatterns(v, "paths", &o.paths);
                   } else {
                     LoadSetting(key, v, o.settings);
                   }
                 });
      if (!entry["paths"])
        Error(entry, "an overrides entry needs 'paths' (the files it applies to)");
      out->push_back(std::move(o));
    });
  }

  void LoadSuppressions(const Node& node, std::vector<Suppression>* out) {
    ForEachMapping(node, kSuppressionsList, [&](const Node& entry) {
      Suppression s;
      s.file = file_;
      s.where = Where(entry);
      bool ok = true;
      ForEachKey(entry, "a suppression", kSuppressionKeys,
                 [&](const std::string& key, const Node& v) {
                   if (key == "id") {
                     ok = LoadIds(v, &s.ids) && ok;
                   } else if (key == "paths") {
                     ok = GetStrings(v, "paths", &s.paths) && ok;
                   } else if (key == "action") {
                     ok = GetString(v, "action", &s.action_text) && ok;
                     if (!s.action_text.empty())
                       s.action = Glob::Compile(s.action_text, Glob::Case::kInsensitive);
                   } else if (key == "resource") {
                     ok = GetString(v, "resource", &s.resource_text) && ok;
                     if (!s.resource_text.empty()) s.resource = Glob::Compile(s.resource_text);
                   } else if (key == "reason") {
                     ok = GetString(v, "reason", &s.reason) && ok;
                     if (const std::string problem = SuppressionReasonProblem(s.reason);
                         !s.reason.empty() && !problem.empty()) {
                       Error(v, problem);
                       ok = false;
                     }
                   } else if (key == "expires") {
                     ok = GetString(v, "expires", &s.expires_text) && ok;
                     if (!s.expires_text.empty()) {
                       if (const std::string problem =
                               SuppressionExpiresProblem(s.expires_text, &s.expires);
                           !problem.empty()) {
                         Error(v, problem);
                         ok = false;
                       }
                     }
                   }
                 });
      for (const auto& [key, what] :
           {std::pair<const char*, const char*>{"id", "the finding id it accepts"},
            {"paths", "the files it applies to"},
            {"reason", "why the finding is accepted"}}) {
        if (!entry[key]) {
          Error(entry, std::string("a suppression needs '") + key + "' (" + what + ")");
          ok = false;
        }
      }
      if (ok) out->push_back(std::move(s));
    });
  }

  // checks: {enable: [ID...], disable: [ID...], severity: {ID: LEVEL}}
  void LoadChecks(const Node& node, RuleSettings* out) {
    if (!node.IsMap()) {
      Error(node, "checks must be a mapping with enable, disable and severity");
      return;
    }
    ForEachKey(node, "checks", kChecksKeys, [&](const std::string& key, const Node& v) {
      if (key == "enable") {
        LoadIds(v, &out->enable);
      } else if (key == "disable") {
        LoadIds(v, &out->disable);
      } else if (!v.IsMap()) {
        Error(v, "checks.severity must be a mapping of finding id to error, warning or note");
      } else {
        for (const yaml_util::Entry& it : v.entries()) {
          std::vector<FindingId> id;
          std::string level;
          if (LoadIds(it.key, &id) && GetChoice(it.value, "severity", kSeverityValues, &level)) {
            out->severity.emplace_back(id.front(), *ParseSeverity(level));
          }
        }
      }
    });
  }

  bool LoadIds(const Node& node, std::vector<FindingId>* out) {
    std::vector<std::string> names;
    std::vector<Node> nodes;
    if (!GetStrings(node, "id", &names, &nodes)) return false;
    bool ok = true;
    for (std::size_t i = 0; i < names.size(); ++i) {
      FindingId id{};
      if (const std::string problem = SuppressionIdProblem(names[i], &id); !problem.empty()) {
        Error(nodes[i], problem);
        ok = false;
        continue;
      }
      out->push_back(id);
    }
    return ok;
  }

  std::string root_;
};

}  // namespace

void AuditSettings::Merge(const AuditSettings& over) {
  if (over.profile) profile = over.profile;
  if (over.dbt) dbt = over.dbt;
  if (over.each) each = over.each;
  // Later inputs win in Profile::Bind, so appending is enough for variables.
  vars.insert(vars.end(), over.vars.begin(), over.vars.end());
  MergeContext(context, over.context);
}

bool RuleSettings::Reported(FindingId id) const {
  if (std::find(disable.begin(), disable.end(), id) != disable.end()) return false;
  if (enable.empty() || RuleFor(id).category == FindingCategory::kInput) return true;
  return std::find(enable.begin(), enable.end(), id) != enable.end();
}

void RuleSettings::Merge(const RuleSettings& over) {
  if (!over.enable.empty()) {
    enable = over.enable;
    std::erase_if(disable, [&](FindingId id) {
      return std::find(enable.begin(), enable.end(), id) != enable.end();
    });
  }
  disable.insert(disable.end(), over.disable.begin(), over.disable.end());
  severity.insert(severity.end(), over.severity.begin(), over.severity.end());
}

std::string RelativeToRoot(std::string_view root, std::string_view path) {
  std::error_code ec;
  fs::path p(path);
  if (p.is_relative()) {
    const fs::path cwd = fs::current_path(ec);
    if (!ec) p = cwd / p;
  }
  p = p.lexically_normal();
  if (root.empty()) return p.generic_string();
  const fs::path rel = p.lexically_relative(fs::path(root).lexically_normal());
  return rel.empty() ? p.generic_string() : rel.generic_string();
}

std::string Config::Relative(std::string_view path) const { return RelativeToRoot(root, path); }

bool Config::Excluded(std::string_view path) const {
  return !exclude.empty() && IsExcluded(Relative(path), false, exclude);
}

std::vector<std::size_t> Config::OverridesFor(std::string_view path) const {
  std::vector<std::size_t> out;
  if (overrides.empty()) return out;
  const std::string relative = Relative(path);
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    if (IsExcluded(relative, false, overrides[i].paths)) out.push_back(i);
  }
  return out;
}

AuditSettings Config::SettingsFor(std::string_view path) const {
  AuditSettings s = defaults;
  for (const std::size_t i : OverridesFor(path)) s.Merge(overrides[i].settings);
  return s;
}

std::optional<std::string> FindConfig(const fs::path& start) {
  std::error_code ec;
  for (fs::path dir = start.lexically_normal();; dir = dir.parent_path()) {
    const fs::path candidate = dir / kConfigFileName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.parent_path() || dir.empty()) return std::nullopt;
  }
}

Config ParseConfig(std::string_view text, const std::string& file, const std::string& root) {
  return Loader(file, root).Load(text);
}

Config LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(path), ec).lexically_normal().parent_path();
  return ParseConfig(text.str(), path, dir.string());
}

ResolvedSettings ResolveSettings(const AuditSettings& config, const CommandLineSettings& cli) {
  ResolvedSettings out;
  out.profile = !cli.profile.empty() ? cli.profile : config.profile.value_or("");
  out.vars = cli.vars;
  if (cli.vars.dbt.path.empty() && config.dbt) out.vars.dbt = *config.dbt;
  out.config_vars = config.vars;
  out.context = config.context;
  MergeContext(out.context, cli.context);
  out.each = cli.each || config.each.value_or(false);
  return out;
}

}  // namespace iam_audit
