// Lint: problems a policy has whatever it is meant for, found without a
// profile. `iam-audit check` reports them for every file (with a profile,
// beside the audit's findings; docs/lint.md).
//
//   PolicySet set;  set.identity = {ParsePolicy(...).policy.value()};
//   LintResult r = Lint(catalog, set);
//   // r.findings: sorted (SortFindings), each with its fingerprint
//
// Rules are rows of one table (LintRules(), src/lint.cc): each row names the
// finding it reports (its id, severity and help text live in the finding
// table, finding.h, with FindingCategory::kLint) and the function that checks
// one statement or one document. docs/lint.md describes every rule and maps
// Parliament's and Access Analyzer's checks to them.
//
// Policy types. Each document is linted as what it is (LintPolicyType): the
// policies of PolicySet::identity are identity policies, unless a statement
// has a Principal (then a resource policy, or a role trust policy when every
// action is an sts:Assume* action); PolicySet::boundary is a permissions
// boundary, PolicySet::scps are SCPs, PolicySet::resource is a resource
// policy. LintOptions::policy_type (`--policy-type`) forces the type of every
// document. Each type has its own grammar and size quota.
//
// "Identity statements" are the statements of identity policies without
// Principal/NotPrincipal: boundaries and SCPs allow broadly by design, so the
// rules about what a statement grants (allow-all-actions, allow-not-action,
// pass-role-wildcard, allow-not-resource) look only at those.
// Resource entries with policy variables are never "every resource".
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"

namespace iam_audit {

class Catalog;

// What a policy document is, for its grammar and quotas.
enum class LintPolicyType : unsigned char {
  kIdentity,  // managed or inline policy of a user, group or role
  kResource,  // resource-based policy (S3 bucket, KMS key, SQS, SNS, Lambda...)
  kTrust,     // role trust policy (AssumeRolePolicyDocument)
  kScp,       // service control policy
  kRcp,       // resource control policy
  kBoundary,  // permissions boundary
};
std::string_view LintPolicyTypeName(LintPolicyType type);  // "identity", "resource", ...
// By name ("identity", "resource", "trust", "scp", "rcp", "boundary"); nullopt if unknown.
std::optional<LintPolicyType> ParseLintPolicyType(std::string_view name);
std::span<const std::string_view> LintPolicyTypeNames();

struct LintOptions {
  // --policy-type: the type of every document; nullopt detects it (above).
  std::optional<LintPolicyType> policy_type;
  // Also the risk model's findings (risk.h), with lint's severities. An
  // audit assesses risk per principal instead, with the audit's.
  bool risk = true;
};

struct LintResult {
  Diagnostics errors;  // policies that cannot be compiled (Evaluator::Compile); no findings then
  std::vector<Finding> findings;  // sorted (SortFindings)
};

LintResult Lint(const Catalog& catalog, const PolicySet& policies, const LintOptions& options = {});

// The same for policies already compiled: `evaluator` is the result of
// Evaluator::Compile(policies). Findings in statement order (unsorted).
std::vector<Finding> Lint(const Catalog& catalog, const PolicySet& policies,
                          const Evaluator& evaluator, const LintOptions& options = {});

// The rule table: one row per lint rule, in the order rules run.
struct LintRuleInfo {
  FindingId id;
  bool per_statement;  // false: the rule checks whole documents
};
std::span<const LintRuleInfo> LintRules();

// Is `id` one of the kinds Lint() reports?
bool IsLintFinding(FindingId id);

}  // namespace iam_audit
