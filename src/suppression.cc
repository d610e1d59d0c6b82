#include "suppression.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/report.h"

namespace iam_audit {
namespace {

using Json = nlohmann::ordered_json;

std::string JoinQuoted(std::span<const std::string> items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += Quoted(s);
  }
  return out;
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

Finding HygieneFinding(FindingId id, const Suppression& s, std::string message) {
  Finding f = MakeFinding(id, s.file, s.where);
  f.message = std::move(message);
  f.action = s.action_text;
  f.resource = s.resource_text;
  // The entry's identity: what it suppresses, not where it sits in the file.
  f.fingerprint = Fingerprint(f, s.Describe());
  return f;
}

}  // namespace

bool Suppression::MatchesPath(std::string_view relative_path) const {
  return IsExcluded(relative_path, false, paths);  // .gitignore rules: the last match wins
}

bool Suppression::Matches(const Finding& finding, std::string_view relative_path) const {
  if (std::find(ids.begin(), ids.end(), finding.id) == ids.end()) return false;
  if (action && !action->Matches(finding.action)) return false;
  if (resource && !resource->Matches(finding.resource)) return false;
  return MatchesPath(relative_path);
}

std::string Suppression::Describe() const {
  std::string out;
  for (const FindingId id : ids) {
    if (!out.empty()) out += ", ";
    out += RuleFor(id).name;
  }
  out += " in " + JoinQuoted(paths);
  if (!action_text.empty()) out += " (action " + Quoted(action_text) + ")";
  if (!resource_text.empty()) out += " (resource " + Quoted(resource_text) + ")";
  return out;
}

std::optional<std::chrono::sys_days> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto number = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int n = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      n = n * 10 + (text[i] - '0');
    }
    return n;
  };
  const std::optional<int> y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*y),
                                         std::chrono::month(static_cast<unsigned>(*m)),
                                         std::chrono::day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date);
}

std::chrono::sys_days Today() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions,
                                     std::span<Finding* const> findings,
                                     std::span<const std::string> audited_files,
                                     const SuppressionOptions& options) {
  SuppressionOutcome outcome;
  if (suppressions.empty()) return outcome;
  const auto relative = [&](std::string_view path) {
    return options.root.empty() ? std::string(path) : RelativeToRoot(options.root, path);
  };
  std::vector<std::string> finding_paths;
  finding_paths.reserve(findings.size());
  for (const Finding* f : findings) finding_paths.push_back(relative(f->file));
  std::vector<std::string> audited_paths;
  audited_paths.reserve(audited_files.size());
  for (const std::string& f : audited_files) audited_paths.push_back(relative(f));

  for (const Suppression& s : suppressions) {
    const bool expired = s.ExpiredOn(options.today);
    std::size_t matched = 0;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      Finding& f = *findings[i];
      if (f.id == FindingId::kStaleSuppression || f.id == FindingId::kExpiredSuppression) continue;
      if (!s.Matches(f, finding_paths[i])) continue;
      ++matched;
      if (expired || f.suppressed) continue;
      f.suppressed = FindingSuppression{FindingSuppression::Kind::kConfig, s.reason, s.file,
                                        s.where, s.expires_text};
      ++outcome.suppressed;
    }
    if (expired) {
      outcome.hygiene.push_back(HygieneFinding(
          FindingId::kExpiredSuppression, s,
          "suppression of " + s.Describe() + " expired on " + s.expires_text +
              " (reason: " + s.reason + "); it no longer suppresses anything" +
              (matched > 0
                   ? ": " +
                         Plural(matched, "finding it matches counts", "findings it matches count") +
                         " again"
                   : " and matches no finding: remove it")));
      continue;
    }
    const bool judged = std::any_of(audited_paths.begin(), audited_paths.end(),
                                    [&](const std::string& p) { return s.MatchesPath(p); });
    if (matched == 0 && judged) {
      outcome.hygiene.push_back(HygieneFinding(
          FindingId::kStaleSuppression, s,
          "suppression of " + s.Describe() +
              " matches no finding of the files audited: remove it (reason was: " + s.reason +
              ")"));
    }
  }
  return outcome;
}

std::vector<Finding*> AllFindings(Report& report) {
  std::vector<Finding*> out;
  for (AuditRun& run : report.runs) {
    for (Finding& f : run.result.findings) out.push_back(&f);
  }
  return out;
}

SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions, Report& report,
                                     const SuppressionOptions& options) {
  std::vector<std::string> audited;
  for (const AuditRun& run : report.runs)
    audited.insert(audited.end(), run.files.begin(), run.files.end());
  const std::vector<Finding*> findings = AllFindings(report);
  SuppressionOutcome outcome = ApplySuppressions(suppressions, findings, audited, options);
  if (!outcome.hygiene.empty() && !report.runs.empty()) {
    std::vector<Finding>& last = report.runs.back().result.findings;
    last.insert(last.end(), outcome.hygiene.begin(), outcome.hygiene.end());
  }
  return outcome;
}

Json SuppressionJson(const FindingSuppression& s) {
  Json out = {{"kind", s.kind == FindingSuppression::Kind::kConfig ? "config" : "baseline"},
              {"reason", s.reason},
              {"file", s.file}};
  if (s.where.line > 0) {
    out["line"] = s.where.line;
    out["column"] = s.where.column;
  }
  if (!s.expires.empty()) out["expires"] = s.expires;
  return out;
}

Json SarifSuppressionJson(const FindingSuppression& s) {
  Json out = {{"kind", "external"}, {"status", "accepted"}, {"justification", s.reason}};
  Json physical = {{"artifactLocation", {{"uri", PathToUri(s.file)}}}};
  if (s.where.line > 0) {
    physical["region"] = {{"startLine", s.where.line},
                          {"startColumn", std::max(s.where.column, 1)}};
  }
  out["location"] = {{"physicalLocation", std::move(physical)}};
  Json properties = {
      {"iamAuditKind", s.kind == FindingSuppression::Kind::kConfig ? "config" : "baseline"}};
  if (!s.expires.empty()) properties["expires"] = s.expires;
  out["properties"] = std::move(properties);
  return out;
}

}  // namespace iam_audit
