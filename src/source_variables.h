// The variables a policy file is read with (PolicySourceOptions::variables):
// CloudFormation parameters and pseudo parameters.
//
// They are the --var assignments, plus the pseudo parameters the audit
// already knows from its profile: AWS::Region from the profile variable
// region_name, AWS::AccountId from account_id, AWS::Partition from partition
// (when it is given, not defaulted: a cn-* or us-gov-* region then decides the
// partition as CloudFormation does). A --var AWS::Region=... wins over the
// profile. So a template audited with --var region_name=eu-west-1 (or the
// region of a dbt profiles.yml) reads ${AWS::Region} as eu-west-1.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "config.h"
#include "iam_audit/catalog.h"
#include "iam_audit/profile.h"

namespace iam_audit {

using SourceVariableMap = std::map<std::string, std::string, std::less<>>;

// The --var assignments as a map (the last of a name wins). Throws InputError
// for an assignment without '=' (ParseVarAssignments).
SourceVariableMap SourceVariables(const std::vector<std::string>& assignments);

// Adds to `vars` the pseudo parameters `bindings` give and `vars` does not
// have yet.
void AddPseudoParameters(const Bindings& bindings, SourceVariableMap& vars);

// SourceVariables of `settings`, with the pseudo parameters of its profile's
// variables (none without a profile). The profile and its variables are
// resolved leniently here: the --var names the profile does not declare are
// left out, and a profile or variable error gives no pseudo parameter (the
// audit reports it when it resolves the same profile).
SourceVariableMap SourceVariables(const ResolvedSettings& settings, const Catalog& catalog);
// The same with the profile already loaded (`profile` is settings.profile's;
// nullptr: load it here).
SourceVariableMap SourceVariables(const ResolvedSettings& settings, const Catalog& catalog,
                                  const Profile* profile);

}  // namespace iam_audit
