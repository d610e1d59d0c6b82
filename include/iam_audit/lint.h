// Lint: problems a policy has whatever it is meant for, found without a
// profile. `iam-audit check` reports them for every file (with a profile,
// beside the audit's findings; docs/lint.md).
//
//   PolicySet set;  set.identity = {ParsePolicy(...).policy.value()};
//   LintResult r = Lint(catalog, set);
//   // r.findings: sorted (SortFindings), each with its fingerprint
//
// The rules (their ids, severities and help text live in the finding table,
// finding.h). "Identity statements" are the statements of PolicySet::identity
// without Principal/NotPrincipal (a bucket or trust policy checked as a file
// has one): boundaries and SCPs allow broadly by design.
//   - allow-all-actions (error): an identity Allow statement with an Action
//     entry matching every action ("*", "*:*") and a Resource entry that is
//     "*" (ArnPattern::MatchesEverything), or a NotResource none of whose
//     entries is "*": administrator access. Reported at that Action entry,
//     with a Condition too (the message says so).
//   - allow-not-action (warning): an identity Allow statement with NotAction:
//     it allows every action not listed, in every service, including actions
//     AWS adds later. Reported at the NotAction key.
//   - pass-role-wildcard (warning): an identity Allow statement whose Action or
//     NotAction allows iam:PassRole (CompiledStatement::MatchesAction: "*",
//     "iam:*", "iam:Pass*"...) on a Resource entry that covers every role of an
//     account ("*", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:*";
//     ArnPattern::Covers), or with a NotResource that does not exclude every
//     role. Reported at the Resource entry (the NotResource key). Not reported
//     for a statement that is already allow-all-actions.
//   - unknown-action (warning): an Action/NotAction entry of any policy of the
//     set that matches no action of the catalog (ExpandActions): IAM ignores it.
//     The message suggests close names.
// Resource entries with policy variables are never "every resource".
#pragma once

#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"

namespace iam_audit {

class Catalog;

struct LintResult {
  Diagnostics errors;  // policies that cannot be compiled (Evaluator::Compile); no findings then
  std::vector<Finding> findings;  // sorted (SortFindings)
};

LintResult Lint(const Catalog& catalog, const PolicySet& policies);

// The same for policies already compiled: `evaluator` is the result of
// Evaluator::Compile(policies). Findings in statement order (unsorted).
std::vector<Finding> Lint(const Catalog& catalog, const PolicySet& policies,
                          const Evaluator& evaluator);

// Is `id` one of the kinds Lint() reports?
bool IsLintFinding(FindingId id);

}  // namespace iam_audit
