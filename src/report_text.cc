// The text report (report.h, docs/output.md).
#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "ascii.h"
#include "iam_audit/report.h"
#include "output_format.h"
#include "report_stream.h"

namespace iam_audit {
namespace {

// How each coverage status is shown.
struct CoverageStyle {
  Coverage coverage;
  std::string_view mark;
  std::string_view color;  // ANSI SGR parameters
};
constexpr CoverageStyle kCoverageStyles[] = {
    {Coverage::kGranted, "✓", "32"},      // green
    {Coverage::kConditional, "?", "33"},  // yellow
    {Coverage::kPartial, "◐", "31"},      // red
    {Coverage::kMissing, "✗", "31"},     {Coverage::kDenied, "⊘", "31"},
};
const CoverageStyle& StyleOf(Coverage c) { return kCoverageStyles[static_cast<std::size_t>(c)]; }

std::string_view SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "31";
    case Severity::kWarning:
      return "33";
    case Severity::kNote:
      return "36";
  }
  return "0";
}

// How text is written: colour, and --quiet (only the findings that count).
class Painter {
 public:
  Painter(bool color, bool quiet) : color_(color), quiet_(quiet) {}
  bool quiet() const { return quiet_; }
  std::string operator()(std::string_view sgr, std::string_view text) const {
    if (!color_) return std::string(text);
    return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
  }

 private:
  bool color_;
  bool quiet_;
};

std::string Location(const std::string& file, SourceLocation where) {
  if (where.line <= 0) return file;
  return file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// " [suppressed: REASON]" for a finding a suppression or the baseline accepts.
std::string SuppressedNote(const Finding& f) {
  return f.suppressed ? " [suppressed: " + f.suppressed->reason + "]" : "";
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string Indent(const std::string& text, std::string_view prefix) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out += prefix;
    out += line;
    out += '\n';
  }
  return out;
}

// One line for the over-broad-resource findings [first, end) of one
// Resource entry.
std::string OverBroadResourceSummary(const Report& report, const std::vector<Finding>& findings,
                                     std::size_t first, std::size_t end) {
  const Finding& f = findings[first];
  std::string actions;
  for (std::size_t k = first; k < end; ++k) {
    if (!actions.empty()) actions += ", ";
    actions += findings[k].action;
  }
  const std::string element =
      f.resource.starts_with("NotResource ") ? f.resource : "Resource '" + f.resource + "'";
  return element + (f.sid.empty() ? "" : " of statement '" + f.sid + "'") + " allows " +
         std::to_string(end - first) +
         " Write, Tagging or Permissions-management actions on more " + "than " + report.profile +
         " needs them on: " + actions;
}

// "FILE:LINE:COLUMN: SEVERITY: MESSAGE [ID]", and the suppression if any.
std::string FindingLine(const Finding& f, const std::string& message, const Painter& paint) {
  return Location(f.file, f.where) + ": " +
         paint(SeverityColor(f.severity), SeverityName(f.severity)) + ": " + message + " [" +
         std::string(f.name()) + "]" + SuppressedNote(f);
}

// "1 error, 2 warnings, 0 notes (1 suppressed)": the findings that count, by
// severity, and those a suppression or the baseline accepts.
class SeverityCounts {
 public:
  SeverityCounts() = default;
  explicit SeverityCounts(const std::vector<Finding>& findings) { Add(findings); }
  void Add(const std::vector<Finding>& findings) {
    for (const Finding& f : findings) {
      if (f.suppressed) {
        ++suppressed_;  // reported, but not counted (suppression.h, baseline.h)
      } else {
        ++by_severity_[static_cast<std::size_t>(f.severity)];
      }
    }
  }
  std::string ToString() const {
    return Plural(by_severity_[2], "error", "errors") + ", " +
           Plural(by_severity_[1], "warning", "warnings") + ", " +
           Plural(by_severity_[0], "note", "notes") +
           (suppressed_ > 0 ? " (" + std::to_string(suppressed_) + " suppressed)" : "");
  }

 private:
  std::size_t by_severity_[3] = {};
  std::size_t suppressed_ = 0;
};

// How many files the runs of `report` name.
std::size_t FileCount(const Report& report) {
  std::set<std::string> files;
  for (const AuditRun& run : report.runs) files.insert(run.files.begin(), run.files.end());
  return files.size();
}

// The findings of reading the files (AuditRun::input) of an audit report,
// one line each, then a blank line; nothing when there are none.
void WriteInputText(const Report& report, const Painter& paint, std::ostream& out) {
  bool any = false;
  for (const AuditRun& run : report.runs) {
    if (!run.input) continue;
    for (const Finding& f : run.result.findings) {
      out << FindingLine(f, f.message, paint) << '\n';
      any = true;
    }
  }
  const bool audits = std::any_of(report.runs.begin(), report.runs.end(),
                                  [](const AuditRun& run) { return !run.input; });
  if (any && audits) out << '\n';
}

// A lint report: one line per finding of every run, then the counts.
void WriteLintText(const Report& report, const Painter& paint, std::ostream& out) {
  SeverityCounts counts;
  for (const AuditRun& run : report.runs) counts.Add(run.result.findings);
  const std::vector<const Finding*> findings = report_stream::FindingsOf(report);
  if (findings.empty()) return;  // a clean lint is silent
  // Rendered on every core, as the JSON and SARIF writers do: 3,323 lines of
  // a lint of the managed policies took 3 ms of the main thread after the
  // workers were done.
  report_stream::WriteInChunks(out, findings.size(), [&](std::size_t i, std::string& text) {
    const Finding& f = *findings[i];
    if (!paint.quiet() || !f.suppressed) text += FindingLine(f, f.message, paint) + '\n';
  });
  out << '\n'
      << paint("1", "Summary:") << " " << Plural(FileCount(report), "file", "files")
      << " linted: " << counts.ToString() << '\n';
}

// One line per requirement, under its group's title, with its finding's
// message; counts[coverage] and shown[finding] are set. Quiet: only the
// lines with a finding that counts (and their groups' titles).
void WriteRequirementLines(const Report& report, const AuditResult& result, const Painter& paint,
                           std::size_t counts[5], std::vector<bool>& shown, std::ostream& out) {
  std::size_t action_width = 0;
  for (const Requirement& r : report.requirements)
    action_width = std::max(action_width, r.action.size());
  const std::string* group = nullptr;
  for (std::size_t i = 0; i < report.requirements.size() && i < result.results.size(); ++i) {
    const Requirement& req = report.requirements[i];
    const RequirementResult& rr = result.results[i];
    ++counts[static_cast<std::size_t>(rr.coverage)];
    const Finding* f =
        rr.finding >= 0 ? &result.findings[static_cast<std::size_t>(rr.finding)] : nullptr;
    if (f) shown[static_cast<std::size_t>(rr.finding)] = true;
    if (paint.quiet() && (!f || f->suppressed)) continue;
    if (!group || *group != req.group_id) {
      group = &req.group_id;
      out << '\n' << paint("1", req.group_title) << " [" << req.group_id << "]\n";
    }
    const CoverageStyle& style = StyleOf(rr.coverage);
    std::string status(CoverageName(rr.coverage));
    status.resize(11, ' ');
    std::string action = req.action;
    action.resize(action_width, ' ');
    std::string where;
    if (f) {
      where = Location(f->file, f->where);
    } else if (!rr.deciding.empty()) {
      where = Location(rr.deciding.front().file, rr.deciding.front().where);
    }
    out << "  " << paint(style.color, std::string(style.mark) + " " + status) << " " << action
        << "  " << req.resource;
    if (!where.empty()) out << "  " << where;
    out << '\n';
    if (f) {
      out << "      " << paint(SeverityColor(f->severity), std::string(SeverityName(f->severity)))
          << ": " << f->message << SuppressedNote(*f) << '\n';
    }
  }
}

void WriteTextRun(const Report& report, const AuditRun& run, const Painter& paint,
                  std::ostream& out) {
  const AuditResult& result = run.result;
  const std::string subject = run.subject.empty() ? "" : " (" + run.subject + ")";
  out << paint("1", "Audit of " + ascii::JoinComma(run.files) + subject + " against profile " +
                        report.profile)
      << " (catalog " << report.catalog << ")\n";

  std::size_t counts[5] = {};
  std::vector<bool> shown(result.findings.size(), false);
  WriteRequirementLines(report, result, paint, counts, shown, out);

  bool header = false;
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    if (shown[i]) continue;
    const Finding& f = result.findings[i];
    if (paint.quiet() && f.suppressed) continue;
    if (!header) {
      out << '\n' << paint("1", "Policy findings") << '\n';
      header = true;
    }
    // over-broad-resource findings of one Resource entry share a line.
    std::size_t end = i + 1;
    while (f.id == FindingId::kOverBroadResource && end < result.findings.size() && !shown[end] &&
           result.findings[end].id == f.id && result.findings[end].file == f.file &&
           result.findings[end].where == f.where) {
      ++end;
    }
    std::string message = f.message;
    if (end - i > 1) message = OverBroadResourceSummary(report, result.findings, i, end);
    out << "  " << FindingLine(f, message, paint) << '\n';
    if (f.fix) out << "    use instead:\n" << Indent(StatementText(f.fix), "      ");
    i = end - 1;
  }

  out << '\n'
      << paint("1", "Summary:") << " "
      << Plural(report.requirements.size(), "required permission", "required permissions") << ": "
      << counts[0] << " granted, " << counts[3] << " missing, " << counts[4] << " denied, "
      << counts[2] << " partial, " << counts[1] << " conditional; "
      << SeverityCounts(result.findings).ToString() << '\n';

  const std::string suggested = SuggestedPolicy(report.requirements, result);
  if (!suggested.empty()) {
    out << '\n'
        << paint("1", "Suggested statements to add to the identity policy:") << '\n'
        << suggested << '\n';
  }
}

}  // namespace

void WriteTextReport(const Report& report, const TextOptions& options, std::ostream& out) {
  const Painter paint(options.color, options.quiet);
  if (report.lint()) {
    WriteLintText(report, paint, out);
    return;
  }
  WriteInputText(report, paint, out);
  bool first = true;
  for (const AuditRun& run : report.runs) {
    if (run.input) continue;
    if (!first) out << '\n';
    WriteTextRun(report, run, paint, out);
    first = false;
  }
}

void WriteTextReports(std::span<const Report> reports, const OutputOptions& options,
                      std::ostream& out) {
  bool first = true;
  for (const Report& report : reports) {
    std::ostringstream one;
    WriteTextReport(report, {options.color, options.quiet}, one);
    const std::string text = std::move(one).str();
    if (text.empty()) continue;  // a clean lint report
    if (!first) out << '\n';
    out << text;
    first = false;
  }
}

}  // namespace iam_audit
