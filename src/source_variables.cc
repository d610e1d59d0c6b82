#include "source_variables.h"

#include <optional>

#include <string_view>

#include "builtin_profiles.h"
#include "profile_vars.h"

namespace iam_audit {
namespace {

struct PseudoParameter {
  std::string_view name;      // CloudFormation's
  std::string_view variable;  // the profile variable that gives it
  bool defaulted_too;         // taken even when the profile defaults it
};

constexpr PseudoParameter kPseudoParameters[] = {
    {"AWS::Region", "region_name", true},
    {"AWS::AccountId", "account_id", true},
    // The profile's partition defaults to "aws" whatever the region: a
    // default is left to CloudFormation's rule (the partition of the region).
    {"AWS::Partition", "partition", false},
};

}  // namespace

SourceVariableMap SourceVariables(const std::vector<std::string>& assignments) {
  SourceVariableMap out;
  for (VariableInput& v : ParseVarAssignments(assignments)) {
    out[v.name] = std::move(v.values.front());
  }
  return out;
}

void AddPseudoParameters(const Bindings& bindings, SourceVariableMap& vars) {
  for (const PseudoParameter& p : kPseudoParameters) {
    const auto b = bindings.find(p.variable);
    if (b == bindings.end() || b->second.items.size() != 1 || b->second.items[0].empty()) continue;
    if (!p.defaulted_too && b->second.origin == "default") continue;
    vars.emplace(std::string(p.name), b->second.items[0]);
  }
}

SourceVariableMap SourceVariables(const ResolvedSettings& settings, const Catalog& catalog) {
  return SourceVariables(settings, catalog, nullptr);
}

SourceVariableMap SourceVariables(const ResolvedSettings& settings, const Catalog& catalog,
                                  const Profile* loaded) {
  SourceVariableMap vars = SourceVariables(settings.vars.vars);
  if (settings.profile.empty()) return vars;
  try {
    std::optional<Profile> own;
    if (!loaded) own.emplace(LoadProfile(settings.profile, catalog));
    const Profile& profile = loaded ? *loaded : *own;
    VariableOptions known = settings.vars;
    known.vars.clear();
    const std::vector<VariableInput> given = ParseVarAssignments(settings.vars.vars);
    for (std::size_t i = 0; i < given.size(); ++i) {
      if (profile.FindVariable(given[i].name) != nullptr) {
        known.vars.push_back(settings.vars.vars[i]);
      }
    }
    AddPseudoParameters(ResolveVariables(profile, known, settings.config_vars), vars);
  } catch (const InputError&) {
    // reported by the audit, which resolves the same profile
  }
  return vars;
}

}  // namespace iam_audit
