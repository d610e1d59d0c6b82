// The SARIF 2.1.0 report (report.h, docs/output.md).
#include <algorithm>
#include <ostream>
#include <sstream>

#include "iam_audit/report.h"
#include "iam_audit/suppression.h"
#include "output_format.h"
#include "report_stream.h"

namespace iam_audit {
namespace {

using namespace report_stream;

Json PhysicalLocation(const std::string& file, SourceLocation where) {
  Json loc = {{"artifactLocation", {{"uri", PathToUri(file)}}}};
  if (where.line >= 1) {
    loc["region"] = {{"startLine", where.line}, {"startColumn", std::max(where.column, 1)}};
  }
  return loc;
}

// A reportingDescriptor: what GitHub code scanning shows and ranks.
Json RuleJson(const FindingRule& r) {
  Json tags = Json::array({"iam", CategoryName(r.category)});
  if (r.category != FindingCategory::kInput && r.category != FindingCategory::kConfig) {
    tags.insert(tags.begin(), "security");
  }
  const std::string markdown = "**" + std::string(r.title) + "**\n\n" + std::string(r.help) +
                               "\n\n[Documentation](" + RuleHelpUri(r) + ")";
  return {{"id", r.name},
          {"name", r.sarif_name},
          {"shortDescription", {{"text", r.title}}},
          {"fullDescription", {{"text", r.help}}},
          {"help", {{"text", r.help}, {"markdown", markdown}}},
          {"helpUri", RuleHelpUri(r)},
          {"defaultConfiguration", {{"level", SeverityName(r.severity)}}},
          {"properties",
           {{"tags", std::move(tags)},
            {"category", CategoryName(r.category)},
            {"security-severity", RuleSecuritySeverity(r)}}}};
}

}  // namespace

void WriteSarifReport(const Report& report, std::ostream& out) {
  Json rules = Json::array();
  for (const FindingRule& r : FindingRules()) rules.push_back(RuleJson(r));
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
    if (!f.sid.empty()) properties["sid"] = f.sid;
    if (!f.principal.empty()) properties["principal"] = f.principal;
    if (f.fix) properties["fix"] = StatementJson(*f.fix);
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
  WriteStreamed(out, doc, FindingsOf(report), result_json);
}

void WriteSarifReports(std::span<const Report> reports, const OutputOptions&, std::ostream& out) {
  if (reports.size() == 1) {
    WriteSarifReport(reports.front(), out);
    return;
  }
  // One run per report, each with its own automationDetails id.
  Json doc;
  for (const Report& report : reports) {
    std::ostringstream text;
    WriteSarifReport(report, text);
    Json one = Json::parse(text.str());
    for (Json& run : one["runs"]) {
      run["automationDetails"] = {
          {"id", "iam-audit/" + (report.lint() ? "lint" : report.profile) + "/"}};
    }
    if (doc.is_null()) {
      doc = std::move(one);
    } else {
      for (Json& run : one["runs"]) doc["runs"].push_back(std::move(run));
    }
  }
  out << doc.dump(2) << '\n';
}

}  // namespace iam_audit
