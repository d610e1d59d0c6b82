// The JSON report (report.h, docs/output.md).
#include <algorithm>
#include <ostream>
#include <sstream>

#include "iam_audit/report.h"
#include "output_format.h"
#include "report_stream.h"
#include "suppression.h"

namespace iam_audit {

using namespace report_stream;

namespace {

// Every profile group that requires the finding's action on its resource:
// `group` then `other_groups` ([] when the finding is tied to no group).
std::string GroupsJson(const Finding& f) {
  Json groups = Json::array();
  if (!f.group.empty()) groups.push_back(f.group);
  for (const std::string& g : f.other_groups) groups.push_back(g);
  return groups.dump(2);
}

}  // namespace

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
  WriteStreamed(out, doc, FindingsOf(report), [](const Finding& f) {
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
    member("fix", f.fix ? StatementText(f.fix) : std::string("null"));
    // Added after the first release: appended, never reordered.
    member("sid", JsonString(f.sid));
    member("principal", JsonString(f.principal));
    member("fingerprint", JsonString(f.fingerprint));
    member("groups", GroupsJson(f));
    if (f.suppressed) member("suppressed", SuppressionJson(*f.suppressed).dump(2));
    text.back() = '\n';  // the last member's ','
    return text + "}";
  });
}

void WriteJsonReports(std::span<const Report> reports, const OutputOptions&, std::ostream& out) {
  if (reports.size() == 1) {
    WriteJsonReport(reports.front(), out);
    return;
  }
  // One document: each finding names its profile, "profile" lists them.
  Json doc;
  std::vector<std::string> names;
  for (const Report& report : reports) {
    std::ostringstream text;
    WriteJsonReport(report, text);
    Json one = Json::parse(text.str());
    for (Json& f : one["findings"]) f["profile"] = report.profile;
    if (!report.lint() && std::find(names.begin(), names.end(), report.profile) == names.end()) {
      names.push_back(report.profile);
    }
    if (doc.is_null()) {
      doc = std::move(one);
      continue;
    }
    for (auto& [key, value] : one["summary"].items()) {
      if (value.is_number()) doc["summary"][key] = doc["summary"].value(key, 0) + value.get<int>();
    }
    for (Json& f : one["findings"]) doc["findings"].push_back(std::move(f));
  }
  std::string profiles;
  for (const std::string& n : names) profiles += (profiles.empty() ? "" : ", ") + n;
  if (!doc.is_null()) doc["profile"] = profiles;
  out << doc.dump(2) << '\n';
}

}  // namespace iam_audit
