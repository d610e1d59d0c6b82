#include "suppression.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ascii.h"
#include "config.h"
#include "iam_audit/lint.h"
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

namespace {

// Findings seen as suppressions see them: with their paths relative to the
// root, the principal whose audit found each, and the files audited.
struct FindingView {
  bool lint = false;  // a lint report: only entries naming a lint finding apply
  std::span<Finding* const> findings;
  std::vector<std::string> paths;          // parallel to findings
  std::span<const std::string> subjects;   // parallel to findings, or empty
  std::span<const std::string> audited;    // as the findings name them
  std::vector<std::string> audited_paths;  // relative to the root
};

FindingView MakeView(std::span<Finding* const> findings, std::span<const std::string> audited,
                     std::span<const std::string> subjects, const SuppressionOptions& options) {
  const auto relative = [&](std::string_view path) {
    return options.root.empty() ? std::string(path) : RelativeToRoot(options.root, path);
  };
  FindingView view;
  view.findings = findings;
  view.subjects = subjects;
  view.audited = audited;
  view.paths.reserve(findings.size());
  for (const Finding* f : findings) view.paths.push_back(relative(f->file));
  view.audited_paths.reserve(audited.size());
  for (const std::string& f : audited) view.audited_paths.push_back(relative(f));
  return view;
}

// Marks the findings of `view` that `s` suppresses (unless it has expired);
// returns how many it matches.
std::size_t Mark(const Suppression& s, bool expired, const FindingView& view,
                 SuppressionOutcome& outcome) {
  std::size_t matched = 0;
  for (std::size_t i = 0; i < view.findings.size(); ++i) {
    Finding& f = *view.findings[i];
    if (f.id == FindingId::kStaleSuppression || f.id == FindingId::kExpiredSuppression) continue;
    if (!s.Matches(f, view.paths[i], i < view.subjects.size() ? view.subjects[i] : "")) continue;
    ++matched;
    if (expired || f.suppressed) continue;
    f.suppressed = FindingSuppression{
        s.scope ? FindingSuppression::Kind::kTemplate : FindingSuppression::Kind::kConfig, s.reason,
        s.file, s.where, s.expires_text};
    ++outcome.suppressed;
  }
  return matched;
}

// Does `view` audit a file `s` is about?
bool Judges(const Suppression& s, const FindingView& view) {
  if (s.scope)
    return std::find(view.audited.begin(), view.audited.end(), s.file) != view.audited.end();
  return std::any_of(view.audited_paths.begin(), view.audited_paths.end(),
                     [&](const std::string& p) { return s.MatchesPath(p); });
}

// The entry's hygiene finding (expired-suppression, stale-suppression), if any.
std::optional<Finding> Hygiene(const Suppression& s, bool expired, std::size_t matched,
                               bool judged) {
  if (expired) {
    return HygieneFinding(FindingId::kExpiredSuppression, s,
                          "suppression of " + s.Describe() + " expired on " + s.expires_text +
                              " (reason: " + s.reason + "); it no longer suppresses anything" +
                              (matched > 0 ? ": " +
                                                 Plural(matched, "finding it matches counts",
                                                        "findings it matches count") +
                                                 " again"
                                           : " and matches no finding: remove it"));
  }
  if (matched > 0 || !judged) return std::nullopt;
  return HygieneFinding(
      FindingId::kStaleSuppression, s,
      "suppression of " + s.Describe() +
          " matches no finding of the files audited: remove it (reason was: " + s.reason + ")");
}

bool NamesLintFinding(const Suppression& s) {
  return std::any_of(s.ids.begin(), s.ids.end(), IsLintFinding);
}

// Every entry against every view it applies to, each judged once.
SuppressionOutcome Apply(std::span<const Suppression> suppressions,
                         std::span<const FindingView> views, const SuppressionOptions& options,
                         std::vector<std::size_t>* first_view = nullptr) {
  SuppressionOutcome outcome;
  for (const Suppression& s : suppressions) {
    const bool expired = s.ExpiredOn(options.today);
    std::size_t matched = 0;
    bool judged = false;
    std::size_t first = views.size();
    for (std::size_t v = 0; v < views.size(); ++v) {
      if (views[v].lint && !NamesLintFinding(s)) continue;  // the lint cannot produce it
      first = std::min(first, v);
      matched += Mark(s, expired, views[v], outcome);
      judged = judged || Judges(s, views[v]);
    }
    if (std::optional<Finding> h = Hygiene(s, expired, matched, judged)) {
      outcome.hygiene.push_back(std::move(*h));
      if (first_view) first_view->push_back(first);
    }
  }
  return outcome;
}

}  // namespace

SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions,
                                     std::span<Finding* const> findings,
                                     std::span<const std::string> audited_files,
                                     const SuppressionOptions& options,
                                     std::span<const std::string> subjects) {
  if (suppressions.empty()) return {};
  const FindingView view = MakeView(findings, audited_files, subjects, options);
  return Apply(suppressions, std::span(&view, 1), options);
}

std::vector<Finding*> AllFindings(Report& report) {
  std::vector<Finding*> out;
  for (AuditRun& run : report.runs) {
    for (Finding& f : run.result.findings) out.push_back(&f);
  }
  return out;
}

SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions,
                                     std::span<Report> reports, const SuppressionOptions& options) {
  if (suppressions.empty()) return {};
  struct Held {  // what the views point into
    std::vector<Finding*> findings;
    std::vector<std::string> audited, subjects;
  };
  std::vector<Held> held(reports.size());
  std::vector<FindingView> views;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    Held& h = held[r];
    h.findings = AllFindings(reports[r]);
    for (const AuditRun& run : reports[r].runs) {
      h.audited.insert(h.audited.end(), run.files.begin(), run.files.end());
      h.subjects.resize(h.subjects.size() + run.result.findings.size(), run.subject);
    }
    views.push_back(MakeView(h.findings, h.audited, h.subjects, options));
    views.back().lint = reports[r].lint();
  }
  std::vector<std::size_t> first_view;
  SuppressionOutcome outcome = Apply(suppressions, views, options, &first_view);
  for (std::size_t i = 0; i < outcome.hygiene.size(); ++i) {
    const std::size_t r = first_view[i] < reports.size() ? first_view[i] : 0;
    if (r < reports.size() && !reports[r].runs.empty()) {
      reports[r].runs.back().result.findings.push_back(outcome.hygiene[i]);
    }
  }
  return outcome;
}

SuppressionOutcome ApplySuppressions(std::span<const Suppression> suppressions, Report& report,
                                     const SuppressionOptions& options) {
  return ApplySuppressions(suppressions, std::span(&report, 1), options);
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
