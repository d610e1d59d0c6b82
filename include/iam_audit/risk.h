// Risk: what a principal's policies allow beyond what its tool needs, and
// which of those extra grants are dangerous ("nothing dangerously more").
//
//   const RiskTable& table = BuiltinRiskTable();       // rules/risk/risks.yaml
//   RiskOptions options;  options.mode = RiskMode::kAudit;  options.profile_name = "dbt-athena";
//   std::vector<Finding> f = AssessRisk(catalog, set, evaluator, requirements, options);
//
// The risk table is data (rules/risk/risks.yaml, embedded at build time;
// docs/risks.md explains it and cites each row's source): rows of actions
// (exact names or patterns), optionally a combination (`with_any`: the
// principal must also be allowed one of those actions, on anything), the
// resource scope that makes the grant dangerous, the condition keys that
// defuse it, a rationale and sources; plus each category's default severity
// in an audit and in lint.
//
// AssessRisk looks at every identity Allow statement (no Principal) of
// `policies`, every action of every service it allows (catalog expansion;
// NotAction is the complement), on each Resource entry (a NotResource is
// "everything but", unless an entry is "*"):
//   - a grant is EXTRA when the action is not required on that entry: not
//     required at all, or required only on patterns none of which covers the
//     entry (audit), or always (lint, no requirements); actions the profile
//     accepts (Profile::accepted_extras) are never extra;
//   - a grant is REMOVED when a Deny (any layer) covers the entry with true
//     conditions, or a permissions boundary, SCP level or session policy
//     given has no Allow that reaches the entry (and, for scope `every`,
//     that still reaches every resource of the type);
//   - a statement whose conditions are false (with RiskOptions::context) grants
//     nothing; one whose conditions are undecided still counts, and the
//     finding says it is conditional; a positive condition on an `unless`
//     key of a row defuses that row;
//   - scope: `every` = the entry covers every resource of one of the action's
//     resource types in its account (ArnPattern::Covers of the catalog's ARN
//     template with the entry's partition, region and account; "*" for an
//     action without resource types); `any` = the entry reaches a resource of
//     the action at all; `unowned` / `unread` = beyond the resources the
//     profile requires Write actions / any action on in that service (in lint,
//     as `every`). Entries with policy variables are only `any`.
// Findings: one per statement and category (privilege-escalation,
// credentials-exposure, resource-exposure, data-destruction,
// data-exfiltration, service-wildcard), riskiest actions first (table
// order) with their count, at the Action entry granting the first one; in an
// audit also over-broad-action (the other extra actions: warning when one
// is Write, Tagging or Permissions management, else a note) and
// over-broad-resource (a required Write/Tagging/Permissions-management
// action on a Resource entry wider than every pattern it is required on),
// each grant reported once, under its riskiest category. In an audit the fix
// is the statement narrowed to the required actions on the required
// resources (never "*" for what is needed on less).
//
// Cost: a statement's patterns are matched against the table's few hundred
// actions only (ActionSubset, compiled once per process for the built-in
// table and catalog); an audit also expands them over the catalog, once per
// statement, for the over-broad findings. Resource patterns are compiled
// only for the few actions the table names (and, in an audit, for the
// required ones).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/profile.h"
#include "iam_audit/severity.h"

namespace iam_audit {

class Catalog;

enum class RiskScope : unsigned char { kEvery, kAny, kUnowned, kUnread };
enum class RiskMode : unsigned char { kAudit, kLint };

struct RiskRow {
  std::string id;                     // "iam-policy-version"
  FindingId category;                 // kPrivilegeEscalation...
  std::vector<std::string> actions;   // as written: exact names or patterns
  std::vector<std::string> with_any;  // combination: one of these must also be allowed
  RiskScope scope = RiskScope::kEvery;
  // The resource types whose reach makes the grant dangerous (empty: any of
  // the action's types): ssm:SendCommand on every document but no instance
  // runs nothing.
  std::vector<std::string> resource_types;
  std::vector<std::string> unless;  // condition keys that defuse the grant
  std::string why;
  std::vector<std::string> sources;  // ids of RiskTable::sources
  SourceLocation where;              // the row in the table file
};

struct RiskSeverities {
  Severity audit = Severity::kError;
  Severity lint = Severity::kWarning;
  Severity For(RiskMode mode) const { return mode == RiskMode::kAudit ? audit : lint; }
};

struct RiskTable {
  std::vector<std::pair<FindingId, RiskSeverities>> categories;
  // service-wildcard: the defaults, and the raised severities of the services listed ("*" too).
  RiskSeverities service_wildcard{Severity::kWarning, Severity::kNote};
  RiskSeverities service_wildcard_raised{Severity::kError, Severity::kWarning};
  std::vector<std::string> raised_services;  // lower-case prefixes, "*" for every action
  std::vector<std::pair<std::string, std::string>> sources;  // id -> title
  std::vector<RiskRow> rows;

  // The severity of a risk category in `mode`; the finding table's default if
  // the table does not list it.
  Severity SeverityOf(FindingId id, RiskMode mode) const;
};

struct RiskTableLoadResult {
  std::optional<RiskTable> table;  // set when errors is empty
  Diagnostics errors;              // FILE:LINE:COLUMN of every problem
};

// Parses and validates a risk table: known categories and scopes, sources that
// exist, and (with a catalog) action names and patterns that match actions.
RiskTableLoadResult LoadRiskTable(std::string_view yaml, const std::string& file,
                                  const Catalog* catalog = nullptr);

// The table embedded at build time (rules/risk/risks.yaml), parsed on first
// use; the test suite checks that it loads without errors against the catalog.
const RiskTable& BuiltinRiskTable();

struct RiskOptions {
  RiskMode mode = RiskMode::kAudit;
  std::string profile_name;           // in messages: "... that dbt-athena does not need"
  RequestContext context;             // --context: decides conditions
  std::vector<std::string> accepted;  // actions (or patterns) the profile accepts as extra
  const RiskTable* table = nullptr;   // nullptr: BuiltinRiskTable()
};

// The risk findings of `policies` (compiled as `evaluator`) beyond
// `requirements` (empty in lint), in statement order, with fingerprints.
std::vector<Finding> AssessRisk(const Catalog& catalog, const PolicySet& policies,
                                const Evaluator& evaluator,
                                std::span<const Requirement> requirements,
                                const RiskOptions& options);

}  // namespace iam_audit
