// Finding: one problem the audit reports, and the table of every kind of
// finding iam-audit can produce.
//
// The table (FindingRules()) is the single source of each finding's stable id
// ("missing-permission"), category, default severity, title and help text: the
// text, JSON and SARIF reports read it, and tests/finding_test.cc checks that
// docs/audit.md's "Findings" table documents every row with its category and
// severity. Ids never change once released; new kinds are appended.
//
// A Finding is a value: what was found (id, severity, message), where (file,
// line, column of the statement or element responsible; for a permission no
// statement grants, the policy document), what it is about (profile groups,
// action, resource, statement Sid), how to fix it (a JSON statement to add,
// for missing and partial permissions) and a fingerprint that identifies the
// same finding across runs (see Fingerprint()).
//
//   Finding f = MakeFinding(FindingId::kMissingPermission, "policy.json", {1, 1});
//   f.action = "s3:GetObject"; ...
//   f.fingerprint = Fingerprint(f, "");
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/severity.h"

namespace iam_audit {

struct Statement;

enum class FindingId : std::uint8_t {
  kMissingPermission,
  kDeniedPermission,
  kPartialPermission,
  kConditionalPermission,
  kOverBroadAction,
  kOverBroadResource,
  kUnknownAction,
  // Configuration hygiene (suppression.h): appended, ids never change.
  kStaleSuppression,
  kExpiredSuppression,
  // Lint rules (lint.h): appended, ids never change.
  kAllowAllActions,
  kAllowNotAction,
  kPassRoleWildcard,
  // Lint rules of issue 15 (lint.h, docs/lint.md): appended, ids never change.
  kAllowNotResource,
  kRedundantAction,
  kUnknownConditionKey,
  kConditionTypeMismatch,
  kSetOperatorOnSingleValuedKey,
  kMultivaluedKeyWithoutSetOperator,
  kMfaBoolFalse,
  kWildcardWithoutLike,
  kPrivateSourceIp,
  kConditionValueNeverMatches,
  kConditionKeyNotForAction,
  kInvalidArn,
  kResourceTypeMismatch,
  kMissingResource,
  kPublicPrincipal,
  kAllowNotPrincipal,
  kInvalidPrincipal,
  kFederatedPrincipalWithoutCondition,
  kServicePrincipalWithoutSource,
  kElementNotAllowedForPolicyType,
  kMissingVersion,
  kOldVersion,
  kVariableWithoutVersion,
  kMalformedVariable,
  kPolicySizeExceedsQuota,
  kDuplicateStatement,
  kStatementShadowedByDeny,
  // Risk categories (risk.h, rules/risk/risks.yaml): appended, ids never change.
  kPrivilegeEscalation,
  kCredentialsExposure,
  kResourceExposure,
  kDataDestruction,
  kDataExfiltration,
  kServiceWildcard,
  // Resource side (resource policies, RCPs, cross-account, KMS keys, trust).
  kResourcePolicyDenied,
  kResourcePolicyNotGiven,
  // Input (the files themselves): appended, ids never change.
  kInvalidPolicy,
  kPolicyWarning,
  // Lint rules from Access Analyzer's checks (lint.h, docs/lint.md): appended.
  kRedundantResource,
  kRedundantPrincipal,
  kMissingPairedConditionKey,
  kInvalidVpcId,
  kResourceEffectivelyStar,
  kTrustPolicyAction,
};

// What produces a kind of finding. Lint rules run with or without a profile;
// audit findings need a profile; risk findings classify what a policy allows
// beyond what it needs; input findings report files that cannot be read;
// config findings report the configuration itself (suppressions).
enum class FindingCategory : std::uint8_t { kAudit, kLint, kRisk, kInput, kConfig };

constexpr std::string_view CategoryName(FindingCategory c) {
  switch (c) {
    case FindingCategory::kAudit:
      return "audit";
    case FindingCategory::kLint:
      return "lint";
    case FindingCategory::kRisk:
      return "risk";
    case FindingCategory::kInput:
      return "input";
    case FindingCategory::kConfig:
      return "config";
  }
  return "audit";
}

// One row of the finding table.
struct FindingRule {
  FindingId id;
  std::string_view name;        // stable id: "missing-permission"
  std::string_view sarif_name;  // PascalCase, SARIF reportingDescriptor.name: "MissingPermission"
  FindingCategory category;     // which part of iam-audit produces it
  Severity severity;            // default severity
  std::string_view title;       // one line: "Required permission not granted"
  std::string_view help;        // a paragraph: what it means and how to fix it
};

// Every rule, in FindingId order.
std::span<const FindingRule> FindingRules();
const FindingRule& RuleFor(FindingId id);
// By stable id ("missing-permission"); nullopt if unknown.
std::optional<FindingId> ParseFindingId(std::string_view name);

// Where a rule is documented: "docs/rules.md#missing-permission" (a path
// of the source tree and the heading's anchor), and the same as an absolute
// URL under the project's published source tree (SARIF helpUri), "" when the
// build does not know where that is (IAM_AUDIT_DOCS_URL, docs/output.md).
std::string RuleDocsAnchor(const FindingRule& rule);
std::string RuleHelpUri(const FindingRule& rule);
// GitHub code scanning's rank of a rule (SARIF properties.security-severity):
// "8.0" for a default error, "5.0" for a warning, "2.0" for a note.
std::string_view RuleSecuritySeverity(const FindingRule& rule);

// How a finding was set aside (suppression.h, baseline.h): it is still
// reported, marked, but does not count for the exit code or the summary.
struct FindingSuppression {
  enum class Kind : unsigned char {
    kConfig,    // a `suppressions` entry of .iam-audit.yaml
    kBaseline,  // recorded in the --baseline file
    kTemplate,  // a CloudFormation resource's Metadata (suppression.h)
  };
  Kind kind = Kind::kConfig;
  std::string reason;    // the entry's `reason` ("recorded in the baseline" for a baseline)
  std::string file;      // the configuration, baseline or template file
  SourceLocation where;  // the suppression entry (0:0 for a baseline)
  std::string expires;   // "YYYY-MM-DD", or "" when it does not expire
};

// A secondary location (another statement involved, the policy a layer lacks...).
struct RelatedLocation {
  std::string file;
  SourceLocation where;
  std::string message;
};

// A statement to add to a policy, or to use instead of one (Finding::fix):
// data, which each report format renders (StatementJson()).
struct SuggestedCondition {
  std::string op;   // "StringEquals"
  std::string key;  // "aws:ResourceTag/team"
  std::vector<std::string> values;
};
struct SuggestedStatement {
  std::optional<std::string> sid;
  bool allow = true;
  std::vector<std::string> actions;
  bool has_resource = true;  // false: neither Resource nor NotResource
  bool not_resource = false;
  std::vector<std::string> resources;
  std::vector<SuggestedCondition> conditions;
};
// The statement as IAM policy JSON: Sid, Effect, Action, Resource (or
// NotResource), Condition, in that order; a list of one item is a string.
nlohmann::ordered_json StatementJson(const SuggestedStatement& statement);
// StatementJson() as dump(2) text ("" for nullopt).
std::string StatementText(const std::optional<SuggestedStatement>& statement);

struct Finding {
  FindingId id = FindingId::kMissingPermission;
  Severity severity = Severity::kError;
  std::string message;
  std::string file;
  SourceLocation where;  // 0:0 = the file as a whole
  std::string group;     // profile group id ("" when not tied to a group)
  // The other groups that require the same action on the same resource: one
  // gap is one finding, naming every group (audit.h), after `group`.
  std::vector<std::string> other_groups;
  std::string action;     // "s3:GetObject" ("" when not tied to one action)
  std::string resource;   // the required resource pattern, or the policy's Resource entry
  std::string sid;        // Sid of the statement responsible ("" if none or no Sid)
  std::string principal;  // the role or user audited when a file describes several ("" if not)
  std::optional<SuggestedStatement> fix;  // a statement to add or use instead
  std::vector<RelatedLocation> related;
  std::string fingerprint;                       // see Fingerprint()
  std::optional<FindingSuppression> suppressed;  // set when a suppression or the baseline matched

  std::string_view name() const;  // RuleFor(id).name
};

// A finding of kind `id` with the rule's default severity at `file`:`where`.
Finding MakeFinding(FindingId id, std::string file, SourceLocation where);

// A stable key for a statement that survives reformatting and moves: "sid:" +
// its Sid when it has one, else "content:" + its normalised content (effect,
// actions and resources lower-cased where IAM ignores case, sorted, and the
// conditions), with no line numbers.
std::string StatementKey(const Statement& statement);
// The "content:" key of StatementKey, whether or not the statement has a Sid.
std::string StatementContentKey(const Statement& statement);

// The fingerprint of `finding`: 16 hex digits of a 64-bit FNV-1a hash of
// id, file, action (case-insensitively), resource and `statement_key` (StatementKey() of the
// statement responsible, "" for none). Line and column are not part of it, so
// moving or reformatting a policy keeps its findings' fingerprints.
std::string Fingerprint(const Finding& finding, std::string_view statement_key);

// Orders findings by file, line, column, then id, action and resource.
bool FindingLess(const Finding& a, const Finding& b);
void SortFindings(std::vector<Finding>& findings);  // stable, by FindingLess

}  // namespace iam_audit
