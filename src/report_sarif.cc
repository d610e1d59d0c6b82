// The SARIF 2.1.0 report (report.h, docs/output.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include "iam_audit/report.h"
#include "output_format.h"
#include "report_stream.h"
#include "suppression.h"
#include "utf8.h"

namespace iam_audit {
namespace {

using namespace report_stream;

// Where SARIF locations point: URIs relative to a base folder (SRCROOT),
// columns in UTF-16 code units (what the run's columnKind declares).
class Locator {
 public:
  Locator(const Report& report, const SarifOptions& options) : base_(options.base_dir) {
    for (const AuditRun& run : report.runs) {
      for (const Finding& f : run.result.findings) {
        Load(f.file);
        for (const RelatedLocation& r : f.related) Load(r.file);
      }
    }
  }

  Json PhysicalLocation(const std::string& file, SourceLocation where) const {
    Json loc = {{"artifactLocation", Artifact(file)}};
    if (where.line >= 1) {
      loc["region"] = {{"startLine", where.line}, {"startColumn", Utf16Column(file, where)}};
    }
    return loc;
  }

 private:
  Json Artifact(const std::string& file) const {
    namespace fs = std::filesystem;
    if (base_.empty() || file == "-" || file == "<stdin>") return {{"uri", PathToUri(file)}};
    std::error_code ec;
    const fs::path absolute = fs::absolute(file, ec).lexically_normal();
    const fs::path rel = absolute.lexically_relative(fs::path(base_).lexically_normal());
    if (ec || rel.empty() || *rel.begin() == "..") return {{"uri", PathToUri(absolute.string())}};
    return {{"uri", PathToUri(rel.generic_string())}, {"uriBaseId", "SRCROOT"}};
  }

  // The byte column `where.column` as UTF-16 code units (the same for ASCII
  // lines and for files that cannot be read).
  int Utf16Column(const std::string& file, SourceLocation where) const {
    const int column = std::max(where.column, 1);
    const auto it = lines_.find(file);
    if (it == lines_.end() || static_cast<std::size_t>(where.line) > it->second.size()) {
      return column;
    }
    const std::string& line = it->second[static_cast<std::size_t>(where.line) - 1];
    const char* p = line.data();
    const char* end = p + std::min(line.size(), static_cast<std::size_t>(column - 1));
    int units = 0;
    while (p < end) {
      char32_t cp = 0;
      const int n = utf8::Decode(p, line.data() + line.size(), &cp);
      units += n == 0 ? 1 : (cp >= 0x10000 ? 2 : 1);
      p += n == 0 ? 1 : n;
    }
    return units + 1;
  }

  // Keeps the lines of `file` when it has a byte outside ASCII.
  void Load(const std::string& file) {
    if (!tried_.insert(file).second) return;
    std::ifstream in(file, std::ios::binary);
    if (!in) return;
    std::vector<std::string> lines;
    bool ascii = true;
    for (std::string line; std::getline(in, line);) {
      ascii = ascii && std::none_of(line.begin(), line.end(),
                                    [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
      lines.push_back(std::move(line));
    }
    if (!ascii) lines_.emplace(file, std::move(lines));
  }

  std::string base_;
  std::set<std::string> tried_;
  std::map<std::string, std::vector<std::string>> lines_;
};

// {"SRCROOT": {"uri": "file:///abs/base/"}} (empty without a base).
Json OriginalUriBaseIds(const SarifOptions& options) {
  if (options.base_dir.empty()) return Json::object();
  std::string uri = PathToUri(options.base_dir);
  if (!uri.ends_with('/')) uri += '/';
  return {{"SRCROOT", {{"uri", uri}}}};
}

// A reportingDescriptor: what GitHub code scanning shows and ranks.
Json RuleJson(const FindingRule& r) {
  Json tags = Json::array({"iam", CategoryName(r.category)});
  if (r.category != FindingCategory::kInput && r.category != FindingCategory::kConfig) {
    tags.insert(tags.begin(), "security");
  }
  // The documentation: a link when the build knows where it is published
  // (helpUri is optional in SARIF), else its place in the source tree.
  const std::string uri = RuleHelpUri(r);
  const std::string markdown =
      "**" + std::string(r.title) + "**\n\n" + std::string(r.help) + "\n\n" +
      (uri.empty() ? "Documentation: `" + RuleDocsAnchor(r) + "` in the iam-audit source."
                   : "[Documentation](" + uri + ")");
  Json rule = {{"id", r.name},
               {"name", r.sarif_name},
               {"shortDescription", {{"text", r.title}}},
               {"fullDescription", {{"text", r.help}}},
               {"help", {{"text", r.help}, {"markdown", markdown}}}};
  if (!uri.empty()) rule["helpUri"] = uri;
  rule["defaultConfiguration"] = {{"level", SeverityName(r.severity)}};
  rule["properties"] = {{"tags", std::move(tags)},
                        {"category", CategoryName(r.category)},
                        {"security-severity", RuleSecuritySeverity(r)}};
  return rule;
}

}  // namespace

void WriteSarifReport(const Report& report, std::ostream& out, const SarifOptions& options) {
  const Locator locator(report, options);
  Json rules = Json::array();
  for (const FindingRule& r : FindingRules()) rules.push_back(RuleJson(r));
  const auto result_json = [&locator](const Finding& f) {
    Json result = {
        {"ruleId", f.name()},
        {"ruleIndex", static_cast<int>(f.id)},
        {"level", SeverityName(f.severity)},
        {"message", {{"text", f.message}}},
        {"locations",
         Json::array({{{"physicalLocation", locator.PhysicalLocation(f.file, f.where)}}})},
        {"partialFingerprints", {{"iamAudit/v1", f.fingerprint}}}};
    if (!f.related.empty()) {
      Json related = Json::array();
      for (std::size_t i = 0; i < f.related.size(); ++i) {
        const RelatedLocation& r = f.related[i];
        related.push_back({{"id", static_cast<int>(i + 1)},
                           {"physicalLocation", locator.PhysicalLocation(r.file, r.where)},
                           {"message", {{"text", r.message}}}});
      }
      result["relatedLocations"] = std::move(related);
    }
    Json properties = Json::object();
    if (!f.group.empty()) properties["group"] = f.group;
    if (!f.other_groups.empty()) {  // several groups require it: every one
      properties["groups"] = Json::array({f.group});
      for (const std::string& g : f.other_groups) properties["groups"].push_back(g);
    }
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
  if (!options.base_dir.empty()) run["originalUriBaseIds"] = OriginalUriBaseIds(options);
  Json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
  WriteStreamed(out, doc, FindingsOf(report), result_json);
}

void WriteSarifReports(std::span<const Report> reports, const OutputOptions& options,
                       std::ostream& out) {
  const SarifOptions sarif{options.base_dir};
  if (reports.size() == 1) {
    WriteSarifReport(reports.front(), out, sarif);
    return;
  }
  // One run per report, each with its own automationDetails id.
  Json doc;
  for (const Report& report : reports) {
    std::ostringstream text;
    WriteSarifReport(report, text, sarif);
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
