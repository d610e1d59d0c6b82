// In-template suppressions: the `iam-audit: {skip: [...]}` entries of the
// Metadata of CloudFormation resources (the rules are suppression.h's).
//
//   Resources:
//     DbtRunnerRole:
//       Type: AWS::IAM::Role
//       Metadata:
//         iam-audit:
//           skip:
//             - id: over-broad-action
//               reason: replaced by the scoped role in Q3 (JIRA-123)
//               expires: 2026-09-30
//
// Each entry becomes a TemplateSuppression (policy_source.h) whose scope is
// its resource: the part of the template from the resource's logical id to
// the next resource, and the principal the resource is ("TYPE LogicalId", as
// policy_source.h names subjects); the gate applies it as a Suppression
// (suppression.h) with a scope.
#pragma once

#include <string>
#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/policy_source.h"
#include "suppression.h"

namespace iam_audit {

// Reads the entries of `root` (a template, JSON or converted from YAML) named
// `file`. Appends them to `out` and each malformed one (an unknown key or
// finding id, no reason, a bad date) to `errors`, at FILE:LINE:COLUMN.
void ReadTemplateSuppressions(const json::Value& root, const std::string& file,
                              std::vector<TemplateSuppression>* out, Diagnostics* errors);

// The entry as a suppression the gate applies (Suppression::scope set).
Suppression ToSuppression(const TemplateSuppression& entry);

}  // namespace iam_audit
