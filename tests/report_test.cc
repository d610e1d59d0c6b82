// The report formats: the documented JSON shape, SARIF validated against the
// official 2.1.0 schema (../shared/schemas), and the text layout.
#include "iam_audit/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ValidateJsonSchema;

using testing::TestCatalog;

Requirement Req(std::string group, std::string action, std::string resource,
                Severity severity = Severity::kError) {
  Requirement r = testing::RequirementOf(std::move(action), std::move(resource), "x");
  r.group_id = group;
  r.group_title = "Title of " + group;
  r.severity = severity;
  return r;
}

// A report with one of each kind of requirement answer, and policy findings.
Report SampleReport(const std::string& file = "dir/my policy.json") {
  Report report;
  report.profile = "sample";
  report.catalog = CatalogLabel(TestCatalog());
  report.requirements = {
      Req("s3-read", "s3:GetObject", "arn:aws:s3:::b/dbt/*"),
      Req("s3-read", "s3:ListBucket", "arn:aws:s3:::b"),
      Req("s3-write", "s3:DeleteObject", "arn:aws:s3:::b/dbt/*"),
      Req("glue", "glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/db/*"),
      Req("kms", "kms:Decrypt", "arn:aws:kms:eu-west-1:111122223333:key/k", Severity::kNote),
      Req("vpc", "athena:GetWorkGroup", "arn:aws:athena:eu-west-1:111122223333:workgroup/primary"),
  };
  const std::string text = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    {"Effect": "Allow", "Action": "glue:GetTable", "Resource": "arn:aws:glue:eu-west-1:111122223333:table/db/t1"},
    {"Effect": "Allow", "Action": "athena:GetWorkGroup", "Resource": "*",
     "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}},
    {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}
  ]})";
  PolicySet set;
  set.identity.push_back(testing::Parse(text, file));
  AuditOptions options;
  options.profile_name = report.profile;
  AuditResult result = Audit(TestCatalog(), set, report.requirements, options);
  EXPECT_THAT(result.errors, IsEmpty());
  report.runs.push_back({{file}, std::move(result), ""});
  return report;
}

std::string Json(const Report& r) {
  std::ostringstream out;
  WriteJsonReport(r, out);
  return out.str();
}
std::string Sarif(const Report& r) {
  std::ostringstream out;
  WriteSarifReport(r, out);
  return out.str();
}
std::string Text(const Report& r, bool color = false) {
  std::ostringstream out;
  WriteTextReport(r, {color}, out);
  return out.str();
}

std::vector<std::string> Keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.items()) out.push_back(k);
  return out;
}

TEST(ReportTest, JsonHasTheDocumentedShape) {
  const Report report = SampleReport();
  const auto doc = nlohmann::ordered_json::parse(Json(report));
  EXPECT_THAT(Keys(doc), ElementsAre("version", "tool", "profile", "summary", "findings"));
  EXPECT_EQ(doc["version"], 1);
  EXPECT_THAT(Keys(doc["tool"]), ElementsAre("name", "version", "catalog"));
  EXPECT_EQ(doc["tool"]["name"], "iam-audit");
  EXPECT_EQ(doc["tool"]["version"], std::string(ToolVersion()));
  EXPECT_THAT(doc["tool"]["catalog"].get<std::string>(), HasSubstr("iam-data"));
  EXPECT_EQ(doc["profile"], "sample");
  // The documented counts come first; later fields are additions
  // ("suppressed", configuration.md).
  const std::vector<std::string> summary = Keys(doc["summary"]);
  ASSERT_GE(summary.size(), 3u);
  EXPECT_THAT(std::vector<std::string>(summary.begin(), summary.begin() + 3),
              ElementsAre("error", "warning", "note"));

  const FindingCounts counts = CountFindings(report);
  EXPECT_EQ(doc["summary"]["error"], counts.error);
  EXPECT_EQ(doc["summary"]["warning"], counts.warning);
  EXPECT_EQ(doc["summary"]["note"], counts.note);
  // denied DeleteObject + partial GetTable, and s3:* on "*" is resource-exposure
  // and data-destruction (risk.h); kms missing is a note.
  EXPECT_EQ(counts.error, 4u);
  EXPECT_EQ(counts.note, 1u);

  std::set<std::string> ids;
  ASSERT_EQ(doc["findings"].size(), report.runs[0].result.findings.size());
  for (const auto& f : doc["findings"]) {
    EXPECT_THAT(Keys(f), ElementsAre("id", "severity", "message", "file", "line", "column", "group",
                                     "action", "resource", "fix", "sid", "principal", "fingerprint",
                                     "groups"));
    EXPECT_TRUE(f["line"].is_number_integer());
    EXPECT_TRUE(f["fix"].is_null() || f["fix"].is_object());
    EXPECT_EQ(f["file"], "dir/my policy.json");
    ids.insert(f["id"].get<std::string>());
    if (f["id"] == "partial-permission") {
      EXPECT_EQ(f["group"], "glue");
      EXPECT_EQ(f["fix"]["Resource"], "arn:aws:glue:eu-west-1:111122223333:table/db/*");
    }
    if (f["id"] == "denied-permission") {
      EXPECT_TRUE(f["fix"].is_null());
    }
  }
  EXPECT_EQ(ids,
            (std::set<std::string>{"denied-permission", "partial-permission", "missing-permission",
                                   "conditional-permission", "over-broad-action",
                                   "resource-exposure", "data-destruction", "data-exfiltration",
                                   "service-wildcard", "unknown-action"}));
}

// The JSON and SARIF writers stream their findings (report.cc); what they
// write must be exactly nlohmann's dump(2) of the same document, whatever
// the strings hold (quotes, backslashes, control characters, UTF-8) and with
// no findings at all.
TEST(ReportTest, StreamedReportsAreExactlyTheirPrettyPrintedDocument) {
  Report report = SampleReport("dir/\"odd\\ name\".json");
  ASSERT_FALSE(report.runs[0].result.findings.empty());
  Finding& f = report.runs[0].result.findings.front();
  f.message =
      std::string("tab\there, newline\nhere, bell \x07, DEL \x7f, caf\xC3\xA9 \xE2\x9C\x93 ") +
      std::string(1, '\0') + " end";
  FindingSuppression suppression;
  suppression.reason = "accepted \"for now\"";
  suppression.file = ".iam-audit.yaml";
  suppression.where = {4, 5};
  suppression.expires = "2999-01-01";
  report.runs[0].result.findings.back().suppressed = suppression;
  Report empty = report;
  empty.runs[0].result.findings.clear();
  for (const Report* r : {&report, &empty}) {
    const std::string json = Json(*r);
    EXPECT_EQ(json, nlohmann::ordered_json::parse(json).dump(2) + "\n");
    const std::string sarif = Sarif(*r);
    EXPECT_EQ(sarif, nlohmann::ordered_json::parse(sarif).dump(2) + "\n");
  }
  const auto doc = nlohmann::ordered_json::parse(Json(report));
  EXPECT_EQ(doc["findings"][0]["message"], f.message);
  EXPECT_EQ(doc["findings"].back()["suppressed"]["reason"], "accepted \"for now\"");
  EXPECT_TRUE(nlohmann::ordered_json::parse(Json(empty))["findings"].empty());
}

TEST(ReportTest, CountsAtOrAbove) {
  const FindingCounts c{2, 3, 4};
  EXPECT_EQ(c.AtOrAbove(Severity::kError), 2u);
  EXPECT_EQ(c.AtOrAbove(Severity::kWarning), 5u);
  EXPECT_EQ(c.AtOrAbove(Severity::kNote), 9u);
}

std::optional<nlohmann::json> SarifSchema() {
  const std::optional<std::string> shared = testing::SharedDir();
  if (!shared) return std::nullopt;
  const std::string path = *shared + "/schemas/sarif-schema-2.1.0.json";
  if (!std::filesystem::exists(path)) return std::nullopt;
  return nlohmann::json::parse(testing::ReadFile(path));
}

TEST(ReportTest, SarifValidatesAgainstTheSchema) {
  const std::optional<nlohmann::json> schema = SarifSchema();
  if (!schema) GTEST_SKIP() << "../shared/schemas/sarif-schema-2.1.0.json is not available";
  const Report report = SampleReport();
  const auto doc = nlohmann::json::parse(Sarif(report));
  const std::vector<std::string> errors = ValidateJsonSchema(*schema, doc);
  EXPECT_THAT(errors, IsEmpty());

  // Rules are the finding table; results point at them.
  const auto& run = doc["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), FindingRules().size());
  ASSERT_EQ(run["results"].size(), report.runs[0].result.findings.size());
  for (std::size_t i = 0; i < run["results"].size(); ++i) {
    const auto& result = run["results"][i];
    const Finding& f = report.runs[0].result.findings[i];
    EXPECT_EQ(rules[result["ruleIndex"].get<std::size_t>()]["id"], result["ruleId"]);
    EXPECT_EQ(result["ruleId"], std::string(f.name()));
    EXPECT_EQ(result["level"], std::string(SeverityName(f.severity)));
    EXPECT_EQ(result["partialFingerprints"]["iamAudit/v1"], f.fingerprint);
    const auto& loc = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], "dir/my%20policy.json");
    EXPECT_EQ(loc["region"]["startLine"], f.where.line);
    EXPECT_EQ(loc["region"]["startColumn"], f.where.column);
  }
}

TEST(ReportTest, SchemaValidationCanFail) {
  const std::optional<nlohmann::json> schema = SarifSchema();
  if (!schema) GTEST_SKIP() << "../shared/schemas/sarif-schema-2.1.0.json is not available";
  const auto good = nlohmann::json::parse(Sarif(SampleReport()));
  ASSERT_THAT(ValidateJsonSchema(*schema, good), IsEmpty());
  const std::vector<std::pair<std::string, nlohmann::json>> breakages = {
      {"/runs/0/results/0/level", "fatal"},
      {"/runs/0/results/0/locations/0/physicalLocation/region/startLine", 0},
      {"/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri", "a b.json"},
      {"/runs/0/tool/driver/rules/0/defaultConfiguration/level", "critical"},
      {"/version", "2.0.0"},
      {"/runs/0/results/0/message", "not an object"},
  };
  for (const auto& [pointer, value] : breakages) {
    nlohmann::json bad = good;
    bad[nlohmann::json::json_pointer(pointer)] = value;
    EXPECT_THAT(ValidateJsonSchema(*schema, bad), Not(IsEmpty())) << pointer;
  }
  nlohmann::json no_driver = good;
  no_driver["runs"][0]["tool"].erase("driver");
  EXPECT_THAT(ValidateJsonSchema(*schema, no_driver), Not(IsEmpty()));
}

TEST(ReportTest, TextGroupsByProfileGroupWithMarks) {
  const std::string text = Text(SampleReport());
  EXPECT_THAT(text, HasSubstr("Audit of dir/my policy.json against profile sample"));
  EXPECT_THAT(text, HasSubstr("Title of s3-read [s3-read]\n"));
  EXPECT_THAT(text, HasSubstr("✓ granted     s3:GetObject"));
  EXPECT_THAT(text, HasSubstr("⊘ denied      s3:DeleteObject"));
  EXPECT_THAT(text, HasSubstr("◐ partial     glue:GetTable"));
  EXPECT_THAT(text, HasSubstr("✗ missing     kms:Decrypt"));
  EXPECT_THAT(text, HasSubstr("? conditional athena:GetWorkGroup"));
  EXPECT_THAT(text, HasSubstr("      note: kms:Decrypt on"));
  EXPECT_THAT(text, HasSubstr("Policy findings"));
  EXPECT_THAT(text, HasSubstr("[over-broad-action]"));
  EXPECT_THAT(text, HasSubstr("[unknown-action]"));
  EXPECT_THAT(text, HasSubstr("Summary: 6 required permissions: 2 granted, 1 missing, 1 denied, "
                              "1 partial, 1 conditional;"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b[")));
  // The suggested statements parse and carry the partial and missing ones.
  const std::size_t at = text.find("Suggested statements to add to the identity policy:\n");
  ASSERT_NE(at, std::string::npos);
  const auto policy = nlohmann::json::parse(text.substr(text.find('{', at)));
  ASSERT_EQ(policy["Statement"].size(), 2u);
  EXPECT_EQ(policy["Statement"][0]["Sid"], "Glue");
  EXPECT_EQ(policy["Statement"][1]["Action"], "kms:Decrypt");
}

TEST(ReportTest, TextLocationsPointAtTheDecidingStatement) {
  const std::string text = Text(SampleReport("p.json"));
  // GetObject is granted by the first statement (line 2, column 5).
  EXPECT_THAT(text, ::testing::ContainsRegex("s3:GetObject +arn:aws:s3:::b/dbt/\\*  p.json:2:5"));
  EXPECT_THAT(text,
              ::testing::ContainsRegex("s3:DeleteObject +arn:aws:s3:::b/dbt/\\*  p.json:3:5"));
}

TEST(ReportTest, TextColourOnlyWhenAsked) {
  const std::string text = Text(SampleReport(), /*color=*/true);
  EXPECT_THAT(text, HasSubstr("\x1b[32m✓ granted"));
  EXPECT_THAT(text, HasSubstr("\x1b[31m✗ missing"));
  EXPECT_TRUE(WantColor(true, nullptr));
  EXPECT_TRUE(WantColor(true, ""));
  EXPECT_FALSE(WantColor(true, "1"));
  EXPECT_FALSE(WantColor(false, nullptr));
}

TEST(ReportTest, SeveralRunsAreListedTogether) {
  Report a = SampleReport("a.json");
  Report b = SampleReport("b.json");
  a.runs.push_back(std::move(b.runs[0]));
  const auto doc = nlohmann::json::parse(Json(a));
  EXPECT_EQ(doc["findings"].size(), 2 * a.runs[0].result.findings.size());
  EXPECT_EQ(doc["findings"].back()["file"], "b.json");
  const std::string text = Text(a);
  EXPECT_THAT(text, HasSubstr("Audit of a.json"));
  EXPECT_THAT(text, HasSubstr("Audit of b.json"));
}

TEST(ReportTest, PathToUri) {
  EXPECT_EQ(PathToUri("policies/a.json"), "policies/a.json");
  EXPECT_EQ(PathToUri("my policy#1.json"), "my%20policy%231.json");
  EXPECT_EQ(PathToUri("c:x.json"), "c%3Ax.json");
  EXPECT_EQ(PathToUri("/abs/p.json"), "file:///abs/p.json");
  EXPECT_EQ(PathToUri("<stdin>"), "%3Cstdin%3E");
}

// A lint report (no profile): its findings, one line each, and the counts;
// no requirement sections; nothing when there is no finding.
TEST(ReportTest, LintReportTextListsOnlyFindings) {
  Report report;
  report.catalog = CatalogLabel(TestCatalog());
  ASSERT_TRUE(report.lint());
  report.runs.push_back({{"clean.json"}, {}, ""});
  EXPECT_EQ(Text(report), "");

  Finding admin = MakeFinding(FindingId::kAllowAllActions, "admin.json", {3, 40});
  admin.message = "statement 'Admin' allows every action";
  Finding accepted = MakeFinding(FindingId::kAllowNotAction, "admin.json", {7, 5});
  accepted.message = "statement #2 allows every action except iam:*";
  accepted.suppressed = FindingSuppression{FindingSuppression::Kind::kConfig, "legacy", "", {}, ""};
  AuditRun run{{"admin.json"}, {}, ""};
  run.result.findings = {admin, accepted};
  report.runs.push_back(std::move(run));
  EXPECT_EQ(Text(report),
            "admin.json:3:40: error: statement 'Admin' allows every action [allow-all-actions]\n"
            "admin.json:7:5: warning: statement #2 allows every action except iam:* "
            "[allow-not-action] [suppressed: legacy]\n"
            "\nSummary: 2 files linted: 1 error, 0 warnings, 0 notes (1 suppressed)\n");
  const auto doc = nlohmann::json::parse(Json(report));
  EXPECT_EQ(doc["profile"], "");
  EXPECT_EQ(doc["summary"]["error"], 1);
  EXPECT_EQ(doc["summary"]["suppressed"], 1);
  EXPECT_FALSE(SampleReport().lint());
}

}  // namespace
}  // namespace iam_audit
