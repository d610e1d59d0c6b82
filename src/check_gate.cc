#include "check_gate.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <string_view>
#include <system_error>

#include "baseline.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/severity.h"
#include "report_github.h"
#include "suppression.h"

namespace iam_audit::cli {
namespace {

namespace fs = std::filesystem;

// Is `path` already what lexically_normal() makes of it: no empty or "."
// segment, ".." only leading a relative path ("../corpus/a.json"), no
// trailing '/'? (Every file a directory scan finds is; the
// general case parsed each one's components: 11 M instructions per 1,645.)
bool LooksNormal(std::string_view path) {
  if (path.empty() || path.back() == '/') return false;
  const bool absolute = path.front() == '/';
  bool named = false;  // a segment other than ".." seen: no ".." may follow
  for (std::size_t start = absolute ? 1 : 0; start <= path.size();) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == ".") return false;
    if (segment == "..") {
      if (absolute || named) return false;  // "/.." is "/"; "a/.." is "."
    } else {
      named = true;
    }
    start = end + 1;
  }
  return true;
}

std::string Normal(const std::string& path) {
  if (path == "-" || LooksNormal(path)) return path;
  std::string out = fs::path(path).lexically_normal().generic_string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

bool SameDirectory(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

}  // namespace

Config LoadCheckConfig(const std::string& config_file, bool no_config) {
  if (!config_file.empty()) return LoadConfig(config_file);
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!no_config && !ec) {
    if (const std::optional<std::string> found = FindConfig(cwd)) {
      // Named relative to the current directory in messages and reports
      // (".iam-audit.yaml" from the repository root, as CI runs).
      return LoadConfig(fs::path(*found).lexically_relative(cwd).generic_string());
    }
  }
  Config none;
  none.root = cwd.string();
  return none;
}

InputFiles ExpandInputs(const std::vector<std::string>& args, const Config& config) {
  InputFiles out;
  for (const std::string& arg : args) {
    std::error_code ec;
    if (arg != "-" && fs::is_directory(arg, ec)) {
      // Excludes are relative to the configuration's folder: the scan can
      // prune with them only when it starts there; otherwise every file found
      // is checked below.
      const bool at_root = !config.file.empty() && SameDirectory(arg, config.root);
      const PolicyFileScan scan = FindPolicyFiles(
          Normal(arg),
          at_root ? std::span<const std::string>(config.exclude) : std::span<const std::string>(),
          Sniff::kLeaveToReader);
      out.excluded += scan.excluded;
      out.directories.push_back(arg);
      for (const std::string& f : scan.files) {
        if (config.Excluded(f)) {
          ++out.excluded;
        } else {
          out.files.push_back(Normal(f));
          out.scanned.emplace(out.files.back(), out.directories.size() - 1);
        }
      }
      continue;
    }
    if (arg != "-" && config.Excluded(arg)) {
      ++out.excluded;
      continue;
    }
    out.files.push_back(Normal(arg));
  }
  return out;
}

std::vector<FileGroup> GroupBySettings(const std::vector<std::string>& files,
                                       const Config& config) {
  std::vector<FileGroup> groups;
  std::map<std::vector<std::size_t>, std::size_t> index;
  for (const std::string& f : files) {
    std::vector<std::size_t> key = f == "-" ? std::vector<std::size_t>{} : config.OverridesFor(f);
    const auto [it, added] = index.emplace(key, groups.size());
    if (added) groups.push_back({std::move(key), {}});
    groups[it->second].files.push_back(f);
  }
  return groups;
}

GateSummary ApplyGate(std::vector<Report>& reports, const Config& config,
                      const GateOptions& options) {
  GateSummary summary;
  SuppressionOptions suppression_options;
  suppression_options.root = config.root;
  // Every report at once: each entry is judged once per run (suppression.h).
  std::vector<Suppression> all = config.suppressions;
  all.insert(all.end(), options.template_suppressions.begin(), options.template_suppressions.end());
  summary.suppressed += ApplySuppressions(all, reports, suppression_options).suppressed;
  std::vector<Finding*> findings;
  for (Report& report : reports) {
    const std::vector<Finding*> some = AllFindings(report);
    findings.insert(findings.end(), some.begin(), some.end());
  }
  if (!options.write_baseline.empty()) {
    Baseline baseline = MakeBaseline(findings);
    WriteBaseline(options.write_baseline, baseline);
    baseline.file = options.write_baseline;
    summary.baselined = ApplyBaseline(baseline, findings);
  } else if (!options.baseline.empty()) {
    summary.baselined = ApplyBaseline(ReadBaseline(options.baseline), findings);
  }
  return summary;
}

void ApplyRuleSettings(std::vector<Report>& reports, const RuleSettings& checks) {
  for (Report& report : reports) {
    for (AuditRun& run : report.runs) {
      // In place: a new vector per run, freed on one thread, cost a lint of
      // the managed corpus 5 ms of glibc's chunk consolidation.
      std::vector<Finding>& findings = run.result.findings;
      std::vector<int> index(findings.size(), -1);  // old -> new position
      std::size_t kept = 0;
      for (std::size_t i = 0; i < findings.size(); ++i) {
        if (!checks.Reported(findings[i].id)) continue;
        for (const auto& [id, severity] : checks.severity) {
          if (id == findings[i].id) findings[i].severity = severity;
        }
        index[i] = static_cast<int>(kept);
        if (kept != i) findings[kept] = std::move(findings[i]);
        ++kept;
      }
      findings.erase(findings.begin() + static_cast<std::ptrdiff_t>(kept), findings.end());
      for (RequirementResult& rr : run.result.results) {
        if (rr.finding >= 0) rr.finding = index[static_cast<std::size_t>(rr.finding)];
      }
    }
  }
}

int GateExitCode(const std::vector<Report>& reports, const std::string& fail_on) {
  if (fail_on == "never") return 0;
  const Severity threshold = ParseSeverity(fail_on).value_or(Severity::kError);
  for (const Report& report : reports) {
    for (const AuditRun& run : report.runs) {
      for (const Finding& f : run.result.findings) {
        if (!f.suppressed && f.severity >= threshold) return 1;
      }
    }
  }
  return 0;
}

}  // namespace iam_audit::cli
