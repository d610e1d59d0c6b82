#include "iam_audit/report.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "iam_audit/catalog.h"
#include "parallel.h"
#include "suppression.h"

namespace iam_audit {
namespace {

using Json = nlohmann::ordered_json;

// --- text ----------------------------------------------------------------------------

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

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string operator()(std::string_view sgr, std::string_view text) const {
    if (!color_) return std::string(text);
    return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
  }

 private:
  bool color_;
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

std::string FilesLabel(const std::vector<std::string>& files) {
  std::string out;
  for (const std::string& f : files) {
    if (!out.empty()) out += ", ";
    out += f;
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
std::string SeverityCounts(const std::vector<Finding>& findings) {
  std::size_t by_severity[3] = {}, suppressed = 0;
  for (const Finding& f : findings) {
    if (f.suppressed) {
      ++suppressed;  // reported, but not counted (suppression.h, baseline.h)
    } else {
      ++by_severity[static_cast<std::size_t>(f.severity)];
    }
  }
  return Plural(by_severity[2], "error", "errors") + ", " +
         Plural(by_severity[1], "warning", "warnings") + ", " +
         Plural(by_severity[0], "note", "notes") +
         (suppressed > 0 ? " (" + std::to_string(suppressed) + " suppressed)" : "");
}

// A lint report: one line per finding of every run, then the counts.
void WriteLintText(const Report& report, const Painter& paint, std::ostream& out) {
  std::vector<Finding> all;
  for (const AuditRun& run : report.runs) {
    all.insert(all.end(), run.result.findings.begin(), run.result.findings.end());
  }
  if (all.empty()) return;  // a clean lint is silent
  for (const Finding& f : all) out << FindingLine(f, f.message, paint) << '\n';
  out << '\n'
      << paint("1", "Summary:") << " " << Plural(report.runs.size(), "file", "files")
      << " linted: " << SeverityCounts(all) << '\n';
}

void WriteTextRun(const Report& report, const AuditRun& run, const Painter& paint,
                  std::ostream& out) {
  const AuditResult& result = run.result;
  const std::string subject = run.subject.empty() ? "" : " (" + run.subject + ")";
  out << paint("1",
               "Audit of " + FilesLabel(run.files) + subject + " against profile " + report.profile)
      << " (catalog " << report.catalog << ")\n";

  std::size_t action_width = 0;
  for (const Requirement& r : report.requirements)
    action_width = std::max(action_width, r.action.size());
  std::size_t counts[5] = {};
  std::vector<bool> shown(result.findings.size(), false);
  const std::string* group = nullptr;
  for (std::size_t i = 0; i < report.requirements.size() && i < result.results.size(); ++i) {
    const Requirement& req = report.requirements[i];
    const RequirementResult& rr = result.results[i];
    if (!group || *group != req.group_id) {
      group = &req.group_id;
      out << '\n' << paint("1", req.group_title) << " [" << req.group_id << "]\n";
    }
    ++counts[static_cast<std::size_t>(rr.coverage)];
    const CoverageStyle& style = StyleOf(rr.coverage);
    const Finding* f =
        rr.finding >= 0 ? &result.findings[static_cast<std::size_t>(rr.finding)] : nullptr;
    std::string status(CoverageName(rr.coverage));
    status.resize(11, ' ');
    std::string action = req.action;
    action.resize(action_width, ' ');
    std::string where;
    if (f) {
      where = Location(f->file, f->where);
      shown[static_cast<std::size_t>(rr.finding)] = true;
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

  bool header = false;
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    if (shown[i]) continue;
    const Finding& f = result.findings[i];
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
    if (!f.fix.empty()) out << "    use instead:\n" << Indent(f.fix, "      ");
    i = end - 1;
  }

  out << '\n'
      << paint("1", "Summary:") << " "
      << Plural(report.requirements.size(), "required permission", "required permissions") << ": "
      << counts[0] << " granted, " << counts[3] << " missing, " << counts[4] << " denied, "
      << counts[2] << " partial, " << counts[1] << " conditional; "
      << SeverityCounts(result.findings) << '\n';

  const std::string suggested = SuggestedPolicy(report.requirements, result);
  if (!suggested.empty()) {
    out << '\n'
        << paint("1", "Suggested statements to add to the identity policy:") << '\n'
        << suggested << '\n';
  }
}

// --- json and sarif --------------------------------------------------------------------

// `s` as a JSON string, escaped exactly as nlohmann's dump() escapes it
// (UTF-8 kept as is; ", \\ and control characters escaped), without building a
// json value per string.
std::string JsonString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  while (!s.empty()) {
    // The plain run up to the next character that needs escaping, at once.
    const auto plain = std::find_if(s.begin(), s.end(), [](char c) {
      return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    });
    out.append(s.begin(), plain);
    s.remove_prefix(static_cast<std::size_t>(plain - s.begin()));
    if (s.empty()) break;
    const char c = s.front();
    s.remove_prefix(1);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Appends `json` (dump(2) text) to `out` as a value nested at `indent`.
void AppendIndented(std::string& out, std::string_view json, std::string_view indent) {
  for (std::size_t nl; (nl = json.find('\n')) != std::string_view::npos;) {
    out.append(json.substr(0, nl + 1)).append(indent);
    json.remove_prefix(nl + 1);
  }
  out += json;
}

// Reports hold up to 100,000 findings (a repository audited file by file);
// one nlohmann document of them all cost more than the audit itself. So the
// findings array is streamed: `doc` holds kItemsMark where the array goes,
// and WriteStreamed prints `doc` as dump(2) would, with that mark replaced
// by the items (each given as its own dump(2)-style text), indented to fit.
constexpr std::string_view kItemsMark = "\x01items";

void WriteStreamed(std::ostream& out, const Json& doc, const std::vector<const Finding*>& findings,
                   const std::function<std::string(const Finding&)>& item) {
  const std::string head = doc.dump(2);
  const std::string mark = Json(kItemsMark).dump();
  const std::size_t at = head.find(mark);
  const std::size_t line = head.rfind('\n', at) + 1;
  const std::string indent(head.find_first_not_of(' ', line) - line, ' ');
  out << std::string_view(head).substr(0, at);
  if (findings.empty()) {
    out << "[]";
  } else {
    // Rendered in chunks on every core (the items are independent), written
    // in order.
    constexpr std::size_t kChunk = 256;
    const std::string item_indent = indent + "  ";
    std::vector<std::string> chunks((findings.size() + kChunk - 1) / kChunk);
    ParallelFor(chunks.size(), 0, [&](std::size_t c) {
      std::string& text = chunks[c];
      for (std::size_t i = c * kChunk; i < std::min(findings.size(), (c + 1) * kChunk); ++i) {
        text.append(i == 0 ? "[\n" : ",\n").append(item_indent);
        AppendIndented(text, item(*findings[i]), item_indent);
      }
    });
    for (const std::string& chunk : chunks) out << chunk;
    out << '\n' << indent << ']';
  }
  out << std::string_view(head).substr(at + mark.size()) << '\n';
}

std::vector<const Finding*> AllFindings(const Report& report) {
  std::vector<const Finding*> out;
  for (const AuditRun& run : report.runs) {
    for (const Finding& f : run.result.findings) out.push_back(&f);
  }
  return out;
}

Json FixJson(const Finding& f) {
  if (f.fix.empty()) return nullptr;
  return Json::parse(f.fix);
}

Json ToolJson(const Report& report) {
  return {{"name", "iam-audit"}, {"version", ToolVersion()}, {"catalog", report.catalog}};
}

Json PhysicalLocation(const std::string& file, SourceLocation where) {
  Json loc = {{"artifactLocation", {{"uri", PathToUri(file)}}}};
  if (where.line >= 1) {
    loc["region"] = {{"startLine", where.line}, {"startColumn", std::max(where.column, 1)}};
  }
  return loc;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

}  // namespace

std::string CatalogLabel(const Catalog& catalog) {
  const CatalogInfo info = catalog.info();
  if (info.package_name.empty()) return "iam-data " + info.package_version;
  return info.package_name + " " + info.package_version;
}

std::string_view ToolVersion() { return IAM_AUDIT_VERSION; }

std::size_t FindingCounts::AtOrAbove(Severity s) const {
  switch (s) {
    case Severity::kNote:
      return error + warning + note;
    case Severity::kWarning:
      return error + warning;
    case Severity::kError:
      return error;
  }
  return error;
}

FindingCounts CountFindings(const Report& report) {
  FindingCounts c;
  for (const AuditRun& run : report.runs) {
    for (const Finding& f : run.result.findings) {
      if (f.suppressed) {
        ++c.suppressed;
        continue;
      }
      switch (f.severity) {
        case Severity::kError:
          ++c.error;
          break;
        case Severity::kWarning:
          ++c.warning;
          break;
        case Severity::kNote:
          ++c.note;
          break;
      }
    }
  }
  return c;
}

bool WantColor(bool is_terminal, const char* no_color) {
  return is_terminal && (no_color == nullptr || *no_color == '\0');
}

void WriteTextReport(const Report& report, const TextOptions& options, std::ostream& out) {
  const Painter paint(options.color);
  if (report.lint()) {
    WriteLintText(report, paint, out);
    return;
  }
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    if (i > 0) out << '\n';
    WriteTextRun(report, report.runs[i], paint, out);
  }
}

void WriteJsonReport(const Report& report, std::ostream& out) {
  const FindingCounts counts = CountFindings(report);
  const Json doc = {{"version", 1},
                    {"tool", ToolJson(report)},
                    {"profile", report.profile},
                    {"summary",
                     {{"error", counts.error},
                      {"warning", counts.warning},
                      {"note", counts.note},
                      {"suppressed", counts.suppressed}}},
                    {"findings", kItemsMark}};
  // Each finding written directly, as dump(2) would (report_test.cc checks
  // the two agree), without a json value per finding.
  WriteStreamed(out, doc, AllFindings(report), [](const Finding& f) {
    std::string text = "{";
    const auto member = [&text](std::string_view key, std::string_view json_value) {
      text.append("\n  \"").append(key).append("\": ");
      AppendIndented(text, json_value, "  ");
      text += ',';
    };
    member("id", JsonString(f.name()));
    member("severity", JsonString(SeverityName(f.severity)));
    member("message", JsonString(f.message));
    member("file", JsonString(f.file));
    member("line", std::to_string(f.where.line));
    member("column", std::to_string(f.where.column));
    member("group", JsonString(f.group));
    member("action", JsonString(f.action));
    member("resource", JsonString(f.resource));
    // The fix is already dump(2) text of a statement (audit.cc).
    member("fix", f.fix.empty() ? "null" : std::string_view(f.fix));
    if (f.suppressed) member("suppressed", SuppressionJson(*f.suppressed).dump(2));
    text.back() = '\n';  // the last member's ','
    return text + "}";
  });
}

void WriteSarifReport(const Report& report, std::ostream& out) {
  Json rules = Json::array();
  for (const FindingRule& r : FindingRules()) {
    rules.push_back({{"id", r.name},
                     {"name", r.sarif_name},
                     {"shortDescription", {{"text", r.title}}},
                     {"fullDescription", {{"text", r.help}}},
                     {"help", {{"text", r.help}}},
                     {"defaultConfiguration", {{"level", SeverityName(r.severity)}}}});
  }
  const auto result_json = [](const Finding& f) {
    Json result = {
        {"ruleId", f.name()},
        {"ruleIndex", static_cast<int>(f.id)},
        {"level", SeverityName(f.severity)},
        {"message", {{"text", f.message}}},
        {"locations", Json::array({{{"physicalLocation", PhysicalLocation(f.file, f.where)}}})},
        {"partialFingerprints", {{"iamAudit/v1", f.fingerprint}}}};
    if (!f.related.empty()) {
      Json related = Json::array();
      for (std::size_t i = 0; i < f.related.size(); ++i) {
        const RelatedLocation& r = f.related[i];
        related.push_back({{"id", static_cast<int>(i + 1)},
                           {"physicalLocation", PhysicalLocation(r.file, r.where)},
                           {"message", {{"text", r.message}}}});
      }
      result["relatedLocations"] = std::move(related);
    }
    Json properties = Json::object();
    if (!f.group.empty()) properties["group"] = f.group;
    if (!f.action.empty()) properties["action"] = f.action;
    if (!f.resource.empty()) properties["resource"] = f.resource;
    if (!f.fix.empty()) properties["fix"] = FixJson(f);
    if (!properties.empty()) result["properties"] = std::move(properties);
    if (f.suppressed) result["suppressions"] = Json::array({SarifSuppressionJson(*f.suppressed)});
    return result.dump(2);
  };
  Json run = {{"tool",
               {{"driver",
                 {{"name", "iam-audit"},
                  {"version", ToolVersion()},
                  {"semanticVersion", ToolVersion()},
                  {"rules", std::move(rules)}}}}},
              {"results", kItemsMark},
              {"columnKind", "utf16CodeUnits"},
              {"properties", {{"profile", report.profile}, {"catalog", report.catalog}}}};
  Json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
  WriteStreamed(out, doc, AllFindings(report), result_json);
}

std::string PathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = path.starts_with('/') ? "file://" : "";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace iam_audit
