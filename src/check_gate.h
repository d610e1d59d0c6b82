// What `iam-audit check` does around the audit itself to serve as a CI gate
// and a pre-commit hook: finding .iam-audit.yaml, expanding directories and
// dropping excluded files, grouping files by their settings, applying
// suppressions and the baseline, and the exit code (the formats: output_format.h). cmd_check.cc
// calls these; each is tested through the binary (tests/cmd_check_ci_test.cc) and through the units
// it uses (config.h, suppression.h, baseline.h, report_github.h).
#pragma once

#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include "config.h"
#include "iam_audit/report.h"

namespace iam_audit::cli {

// --config FILE, else (unless --no-config) the nearest .iam-audit.yaml from
// the current directory up; an empty Config (root: the current directory)
// when there is none. Throws InputError.
Config LoadCheckConfig(const std::string& config_file, bool no_config);

struct InputFiles {
  std::vector<std::string> files;        // in command-line order, each directory's files sorted
  std::size_t excluded = 0;              // dropped by the configuration's `exclude`
  std::vector<std::string> directories;  // the directories given, in order
  // The files found in directories (not named), each with its index in
  // `directories`. They are sniffed as they are read (Sniff::kLeaveToReader):
  // one plainly not IAM is skipped, and a directory all of whose files are
  // skipped is an error (CheckNoEmptyDirectory in check_run.cc).
  std::map<std::string, std::size_t> scanned;
};
// Directories among `args` are scanned (FindPolicyFiles); every file, found
// or named, that the configuration excludes is dropped ("-" is kept). Paths
// are written lexically normal ("./a//b.json" -> "a/b.json"), so findings and
// baseline fingerprints do not depend on how a path was typed. Throws
// InputError for an unreadable directory.
InputFiles ExpandInputs(const std::vector<std::string>& args, const Config& config);

// Files that share their settings (the same matching overrides), in the
// order of their first file.
struct FileGroup {
  std::vector<std::size_t> overrides;  // Config::OverridesFor
  std::vector<std::string> files;
};
std::vector<FileGroup> GroupBySettings(const std::vector<std::string>& files, const Config& config);

struct GateOptions {
  std::string baseline;        // --baseline, else the configuration's ("" = none)
  std::string write_baseline;  // --write-baseline
  // In-template suppressions of the files read (PolicySourceResult::suppressions),
  // applied and judged with the configuration's.
  std::vector<Suppression> template_suppressions;
};
struct GateSummary {
  std::size_t suppressed = 0;  // by the configuration
  std::size_t baselined = 0;   // by the baseline
};
// Applies the configuration's suppressions, then the baseline (or records
// the findings with --write-baseline, which then count as baselined), to
// every report. A lint report (Report::lint()) only applies and judges the
// entries that name a lint finding (lint.h): the others are the audit's, not
// stale. Throws InputError (baseline I/O).
GateSummary ApplyGate(std::vector<Report>& reports, const Config& config,
                      const GateOptions& options);

// Drops the findings `checks` does not report and gives the others their
// severity (RuleSettings); a requirement whose finding is dropped keeps its
// coverage, without a finding.
void ApplyRuleSettings(std::vector<Report>& reports, const RuleSettings& checks);

// 0 when no unsuppressed finding of any report is at or above `fail_on`
// ("never": always 0), else 1.
int GateExitCode(const std::vector<Report>& reports, const std::string& fail_on);

}  // namespace iam_audit::cli
