// Audit: does one principal's set of policies grant what a profile requires?
//
//   PolicySet set;  set.identity = {...};       // + optional boundary, SCP levels
//   std::vector<Requirement> reqs = profile.Requirements(bindings);
//   AuditOptions options;  options.profile_name = profile.name();
//   AuditResult r = Audit(catalog, set, reqs, options);
//   // r.results[i] answers reqs[i]; r.findings lists every problem.
//
// Coverage (docs/audit.md has the details and examples). A requirement is an
// action and a resource PATTERN R (it may contain `*`: "bucket/dbt/*"), so the
// question is containment, not a single-string match. The statements are the
// Evaluator's compiled ones (Evaluator::Compile): action matching, Resource
// patterns, policy variables and conditions are not re-implemented here.
//   - An Allow statement grants R fully when its action matches and one of its
//     Resource patterns COVERS R (ArnPattern::Covers); with NotResource, when
//     no NotResource entry overlaps R. It grants R in part when a pattern only
//     overlaps R (or a NotResource entry overlaps without covering it).
//   - Actions without resource types in the catalog (wildcard-only) are
//     checked on the literal resource "*": only a Resource matching "*"
//     grants them, never a specific ARN.
//   - Conditions are evaluated three-valued, with the requirement's request
//     context (from the profile) overridden by AuditOptions::context: a
//     condition on a key neither supplies is unknown, and the keys are named.
//   - A Deny (in any policy given) whose action matches and whose resource
//     covers R with true conditions denies it; one that only overlaps R makes
//     it partial; one with unknown conditions makes it conditional.
//   - A permissions boundary, every SCP level and a session policy, when
//     given, must each allow too; a layer that does not is named.
// The status of a requirement is the worst of the identity policies' answer,
// each other layer's answer and the Deny answer, in the order granted <
// conditional < partial < missing < denied.
//
// Findings: one per requirement not granted (missing-permission,
// denied-permission, partial-permission, conditional-permission; severity is
// the lower of the rule's and the profile group's), plus over-broad-action
// (per identity Allow statement granting actions of the profile's services
// beyond the required set), over-broad-resource (per Resource entry and
// required Write/Tagging/Permissions-management action, when the entry is
// wider than every pattern the action is required on) and the lint findings
// (lint.h: unknown-action, allow-all-actions, allow-not-action,
// pass-role-wildcard), computed on the same compiled statements.
//
// Cost: linear in requirements x statements, with resource containment
// computed once per (statement, distinct required resource); a 100-statement
// policy against dbt-athena audits in well under a millisecond.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/profile.h"

namespace iam_audit {

class Catalog;

struct AuditOptions {
  std::string profile_name;  // used in messages ("... that dbt-athena does not need")
  // Request context given by the user (--context): for each key it holds,
  // replaces the profile's values.
  RequestContext context;
  // The risk findings (risk.h): privilege-escalation... service-wildcard,
  // over-broad-action and over-broad-resource.
  bool over_broad = true;
  // Actions the profile accepts beyond its requirements (Profile::accepted_extras()).
  std::vector<std::string> accepted_extras;
  bool lint = true;  // the lint rules (lint.h): unknown-action, allow-all-actions...
  // Shared policies (PolicySet::shared_identity...) compiled once for all the
  // audits of a run (evaluator.h); nullptr compiles them for this audit.
  PolicyCompileCache* compile_cache = nullptr;
};

// Ordered from best to worst.
enum class Coverage : unsigned char { kGranted, kConditional, kPartial, kMissing, kDenied };
std::string_view CoverageName(
    Coverage c);  // "granted", "conditional", "partial", "missing", "denied"

// A statement that decided (or took part in) a requirement's answer.
struct StatementRef {
  std::string file;
  SourceLocation where;  // the statement (its opening brace)
  std::string sid;       // "" when the statement has none
  PolicyKind kind = PolicyKind::kIdentity;
};

struct RequirementResult {
  Coverage coverage = Coverage::kMissing;
  // For a requirement not granted because of a layer other than the identity
  // policies: that layer (kBoundary, kScp with scp_level, kSession).
  PolicyKind layer = PolicyKind::kIdentity;
  int scp_level = 0;
  // Granted: the Allow statements that grant it; denied: the Deny statements;
  // partial / conditional: the statements that allow in part, allow under
  // conditions, or deny in part / under conditions.
  std::vector<StatementRef> deciding;
  std::vector<std::string> missing_keys;  // conditional: the undecided condition keys
  int finding = -1;                       // index into AuditResult::findings, -1 if none
};

struct AuditResult {
  Diagnostics errors;  // policies that cannot be compiled; nothing else is set then
  std::vector<RequirementResult> results;  // parallel to the requirements audited
  std::vector<Finding> findings;           // sorted (SortFindings)
};

AuditResult Audit(const Catalog& catalog, const PolicySet& policies,
                  std::span<const Requirement> requirements, const AuditOptions& options);

// The resources of the requests Audit() evaluates for `requirements` (each
// once, in order): only the resource policies that govern one of them
// (ResourcePolicyCovers) can change its answer.
std::vector<std::string> RequestedResources(std::span<const Requirement> requirements);

// A policy document (pretty-printed JSON) with the statements that grant every
// missing or partial requirement of `result` whose gap is in the identity
// policies: per profile group, actions that need the same resources share one
// statement, with a Sid made from the group id. "" when there is nothing to add.
std::string SuggestedPolicy(std::span<const Requirement> requirements, const AuditResult& result);

// "GlueWriteDatabases" for "glue-write-databases": a valid Sid (letters and digits).
std::string SidFromGroupId(std::string_view group_id);

}  // namespace iam_audit
