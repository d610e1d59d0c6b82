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
// Each entry becomes a Suppression whose scope is its resource: the part of
// the template from the resource's logical id to the next resource, and the
// principal the resource is ("TYPE LogicalId", as policy_source.h names
// subjects).
#pragma once

#include <string>
#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/suppression.h"

namespace iam_audit {

// Reads the entries of `root` (a template, JSON or converted from YAML) named
// `file`. Appends them to `out` and each malformed one (an unknown key or
// finding id, no reason, a bad date) to `errors`, at FILE:LINE:COLUMN.
void ReadTemplateSuppressions(const json::Value& root, const std::string& file,
                              std::vector<Suppression>* out, Diagnostics* errors);

}  // namespace iam_audit
