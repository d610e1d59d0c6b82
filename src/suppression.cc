#include "suppression.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ascii.h"
#include "config.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/report.h"
#include "suggest.h"

namespace iam_audit {
namespace {

using Json = nlohmann::ordered_json;

std::string JoinQuoted(std::span<const std::string> items) {
  return ascii::JoinComma(items, [](const std::string& s) { return Quoted(s); });
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

bool Suppression::Matches(const Finding& finding, std::string_view relative_path,
                          std::string_view subject) const {
  if (std::find(ids.begin(), ids.end(), finding.id) == ids.end()) return false;
  if (action && !action->Matches(finding.action)) return false;
  if (resource && !resource->Matches(finding.resource)) return false;
  if (scope) return InScope(finding, subject);
  return MatchesPath(relative_path);
}

bool Suppression::InScope(const Finding& finding, std::string_view subject) const {
  if (finding.file != file) return false;
  if (!scope->subject.empty() && subject == scope->subject) return true;
  const auto before = [](SourceLocation a, SourceLocation b) {
    return a.line < b.line || (a.line == b.line && a.column < b.column);
  };
  if (finding.where.line == 0 || before(finding.where, scope->begin)) return false;
  return scope->end.line == 0 || before(finding.where, scope->end);
}

std::string Suppression::Describe() const {
  std::string out = ascii::JoinComma(ids, [](FindingId id) { return RuleFor(id).name; });
  out += scope ? " in resource " + Quoted(scope->resource) + " of " + Quoted(file)
               : " in " + JoinQuoted(paths);
  if (!action_text.empty()) out += " (action " + Quoted(action_text) + ")";
  if (!resource_text.empty()) out += " (resource " + Quoted(resource_text) + ")";
  return out;
}

std::string SuppressionIdProblem(std::string_view name, FindingId* id) {
  if (const std::optional<FindingId> parsed = ParseFindingId(name)) {
    *id = *parsed;
    return "";
  }
  if (name == "*") {
    return "a suppression names the finding ids it accepts; '*' is not one (to skip whole files, "
           "use 'exclude')";
  }
  std::vector<std::string_view> known;
  for (const FindingRule& r : FindingRules()) known.push_back(r.name);
  return "unknown finding id " + Quoted(name) + DidYouMean(name, known) +
         " (finding ids: " + ascii::JoinComma(known) + ")";
}

std::string SuppressionReasonProblem(std::string_view reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return "reason must say why the finding is accepted";
  }
  return "";
}

std::string SuppressionExpiresProblem(std::string_view text,
                                      std::optional<std::chrono::sys_days>* day) {
  *day = ParseIsoDate(text);
  if (!*day) return "expires must be a date YYYY-MM-DD, not " + Quoted(text);
  return "";
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
                                     const SuppressionOptions& options,
                                     std::span<const std::string> subjects) {
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
      if (!s.Matches(f, finding_paths[i], i < subjects.size() ? subjects[i] : "")) continue;
      ++matched;
      if (expired || f.suppressed) continue;
      f.suppressed = FindingSuppression{
          s.scope ? FindingSuppression::Kind::kTemplate : FindingSuppression::Kind::kConfig,
          s.reason, s.file, s.where, s.expires_text};
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
    const bool judged =
        s.scope
            ? std::find(audited_files.begin(), audited_files.end(), s.file) != audited_files.end()
            : std::any_of(audited_paths.begin(), audited_paths.end(),
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
  std::vector<std::string> subjects;
  subjects.reserve(findings.size());
  for (const AuditRun& run : report.runs)
    subjects.resize(subjects.size() + run.result.findings.size(), run.subject);
  SuppressionOutcome outcome =
      ApplySuppressions(suppressions, findings, audited, options, subjects);
  if (!outcome.hygiene.empty() && !report.runs.empty()) {
    std::vector<Finding>& last = report.runs.back().result.findings;
    last.insert(last.end(), outcome.hygiene.begin(), outcome.hygiene.end());
  }
  return outcome;
}

static std::string_view SuppressionKindName(FindingSuppression::Kind kind) {
  switch (kind) {
    case FindingSuppression::Kind::kConfig:
      return "config";
    case FindingSuppression::Kind::kTemplate:
      return "template";
    case FindingSuppression::Kind::kBaseline:
      break;
  }
  return "baseline";
}

Json SuppressionJson(const FindingSuppression& s) {
  Json out = {{"kind", SuppressionKindName(s.kind)}, {"reason", s.reason}, {"file", s.file}};
  if (s.where.line > 0) {
    out["line"] = s.where.line;
    out["column"] = s.where.column;
  }
  if (!s.expires.empty()) out["expires"] = s.expires;
  return out;
}

Json SarifSuppressionJson(const FindingSuppression& s) {
  Json out = {{"kind", s.kind == FindingSuppression::Kind::kTemplate ? "inSource" : "external"},
              {"status", "accepted"},
              {"justification", s.reason}};
  Json physical = {{"artifactLocation", {{"uri", PathToUri(s.file)}}}};
  if (s.where.line > 0) {
    physical["region"] = {{"startLine", s.where.line},
                          {"startColumn", std::max(s.where.column, 1)}};
  }
  out["location"] = {{"physicalLocation", std::move(physical)}};
  Json properties = {{"iamAuditKind", SuppressionKindName(s.kind)}};
  if (!s.expires.empty()) properties["expires"] = s.expires;
  out["properties"] = std::move(properties);
  return out;
}

}  // namespace iam_audit
