// Suppression: a finding the team has decided to accept, written in the
// `suppressions` list of .iam-audit.yaml (config.h) with the reason.
//
//   suppressions:
//     - id: over-broad-action          # a finding id (finding.h), or a list of them
//       paths: legacy/*.json           # .gitignore-style glob(s), relative to the config file
//       action: "s3:*"                 # optional: IAM wildcard, any case, on the finding's action
//       resource: "arn:aws:s3:::legacy-*"   # optional: IAM wildcard on its resource
//       reason: the legacy role is replaced in Q3 (JIRA-123)   # mandatory
//       expires: 2026-09-30            # optional: last day it applies
//
// There is no wildcard id: a suppression names the kinds of finding it
// accepts (to skip whole files, use the configuration's `exclude`).
//
// A suppressed finding is still reported, marked with the suppression (text:
// "suppressed: REASON"; JSON: "suppressed": {...}; SARIF: a `suppressions`
// entry of kind "external" with the reason as justification), but it does
// not count for the summary nor for the exit code.
//
// Hygiene, reported as findings located at the entry in the configuration:
//   - expired-suppression: today is after `expires`. The entry no longer
//     suppresses anything (the findings it matches count again) and says so.
//   - stale-suppression: the entry matched no finding, although at least one
//     audited file matches its paths (an entry about files that were not
//     audited in this run, say by a pre-commit hook given only the changed
//     files, is not judged).
// Suppressions are applied before the baseline (baseline.h).
//
// In-template suppressions: a CloudFormation resource may carry its own, in
// its Metadata (read by ReadTemplateSuppressions, template_suppressions.h),
//
//   DbtRunnerRole:
//     Type: AWS::IAM::Role
//     Metadata:
//       iam-audit:
//         skip:
//           - id: over-broad-action          # or a list; no '*'
//             reason: the role is replaced in Q3 (JIRA-123)   # mandatory
//             expires: 2026-09-30            # optional; action/resource too
//
// with the same keys (but `paths`) and the same rules: reason, expiry,
// expired- and stale-suppression findings (located at the entry in the
// template). Such an entry has a `scope`: it applies to the findings of its
// template located in the resource (from the resource's logical id to the
// next resource), and to every finding of the audit of the principal the
// resource is (a role's missing permissions).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "iam_audit/diagnostic.h"
#include "iam_audit/finding.h"
#include "iam_audit/glob.h"

namespace iam_audit {

struct Report;

struct Suppression {
  std::vector<FindingId> ids;
  std::vector<std::string> paths;  // .gitignore-style, relative to the configuration's folder
  std::optional<Glob> action;      // case-insensitive
  std::optional<Glob> resource;    // case-sensitive
  std::string action_text, resource_text;  // as written ("" when not given)
  std::string reason;
  std::optional<std::chrono::sys_days> expires;
  std::string expires_text;  // "YYYY-MM-DD" or ""
  std::string file;          // the configuration file (the template for a scoped entry)
  SourceLocation where;      // the entry

  // An in-template entry: the part of `file` it covers, [begin, end) (end
  // 0:0: to the end of the file), and the principal that resource is
  // (AuditRun::subject, "AWS::IAM::Role DbtRunnerRole"; "" if none).
  struct Scope {
    std::string resource;  // the logical id
    SourceLocation begin, end;
    std::string subject;
  };
  std::optional<Scope> scope;

  // Does the entry apply to `finding`, whose file is `relative_path` from the
  // configuration's folder, found by the audit of `subject` (AuditRun::subject)?
  // (Expiry is not considered here.)
  bool Matches(const Finding& finding, std::string_view relative_path,
               std::string_view subject = {}) const;
  bool MatchesPath(std::string_view relative_path) const;
  // A scoped entry: is the finding in its resource, or of its principal?
  bool InScope(const Finding& finding, std::string_view subject) const;
  bool ExpiredOn(std::chrono::sys_days today) const { return expires && today > *expires; }
  // "over-broad-action in 'legacy/*.json' (action 's3:*')": for messages.
  std::string Describe() const;
};

// The rules of an entry's values, wherever it is written (.iam-audit.yaml,
// a template's Metadata). Each sets the value and returns "" when it is
// valid, else the error message.
//   id: a finding id of the table; '*' is not one.
std::string SuppressionIdProblem(std::string_view name, FindingId* id);
//   reason: mandatory, not blank.
std::string SuppressionReasonProblem(std::string_view reason);
//   expires: a real date YYYY-MM-DD.
std::string SuppressionExpiresProblem(std::string_view text,
                                      std::optional<std::chrono::sys_days>* day);

// "2026-09-30" -> that day; nullopt unless it is a real date in that form.
std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text);
// Today's date (UTC).
std::chrono::sys_days Today();

struct SuppressionOptions {
  // The folder the suppressions' paths are relative to (Config::root); ""
  // matches the findings' file names as they are.
  std::string root;
  std::chrono::sys_days today = Today();
};

struct SuppressionOutcome {
  std::size_t suppressed = 0;  // findings newly marked
  // expired-suppression and stale-suppression findings, in the order of the
  // entries in the configuration.
  std::vector<Finding> hygiene;
};

// Marks each finding of `findings` that an unexpired entry matches (the first
// such entry wins) and judges every entry. `audited_files` are the files
// audited in this run, as the findings name them. `subjects`, when not
// empty, is parallel to `findings`: the principal whose audit found each.
SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions,
                                     std::span<Finding* const> findings,
                                     std::span<const std::string> audited_files,
                                     const SuppressionOptions& options,
                                     std::span<const std::string> subjects = {});

// The same over every run of every report of one iam-audit run at once (the
// audited files are the runs' files), so that each entry is judged once: an
// expired entry is one finding however many audit groups there are, and an
// entry is stale only when no report's findings match it. A lint report is
// matched and judged only by the entries that name a lint finding
// (IsLintFinding, lint.h): the others are for an audit. Each hygiene finding
// is appended to the last run of the first report the entry applies to.
SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions,
                                     std::span<Report> reports, const SuppressionOptions& options);
SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions, Report& report,
                                     const SuppressionOptions& options);

// Every finding of a report, for the functions above (and baseline.h).
std::vector<Finding*> AllFindings(Report& report);

// How a suppressed finding is shown in the JSON report: {"kind": "config" |
// "template" | "baseline", "reason", "file", "line", "column", "expires"} (line, column
// and expires only when known).
nlohmann::ordered_json SuppressionJson(const FindingSuppression& s);
// A SARIF 2.1.0 `suppression` object: {"kind": "external" ("inSource" for a
// template's entry), "status":
// "accepted", "justification": reason, "location": the entry, "properties":
// {"iamAuditKind", "expires"}}.
nlohmann::ordered_json SarifSuppressionJson(const FindingSuppression& s);

}  // namespace iam_audit
