// The conventions scanner users expect of `iam-audit check` (issue 14):
// choosing checks and their severity, --quiet, --color, several reports in
// one run, the JSON report's fingerprint/Sid/principal, SARIF rules code
// scanning ranks, `iam-audit rules`, and options in any order.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunIamAudit;
using testing::TempDir;
using testing::WriteFile;

// allow-all-actions (error) and allow-not-action (warning).
constexpr const char* kPolicy = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Sid": "NotIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
]})";

// The policy also gets the risk findings of what it allows (risks.md): these
// tests are about choosing checks, so they disable those and look at the two
// lint ids.
const std::vector<std::string> kRiskIds = {"privilege-escalation", "credentials-exposure",
                                           "resource-exposure",    "data-destruction",
                                           "data-exfiltration",    "service-wildcard"};

struct Dir {
  TempDir dir;
  Dir() { WriteFile(dir.File("p.json"), kPolicy); }
  testing::CommandResult Run(std::vector<std::string> args) const {
    args.insert(args.begin(), "p.json");
    for (const std::string& id : kRiskIds) args.insert(args.end(), {"--disable", id});
    return RunIamAudit(args, "", dir.path());
  }
};

std::vector<std::string> Ids(const std::string& json) {
  std::vector<std::string> out;
  const auto doc = nlohmann::json::parse(json);
  for (const auto& f : doc["findings"]) out.push_back(f["id"]);
  return out;
}

TEST(CmdCheckScannerTest, EnableDisableAndSeverityOnTheCommandLine) {
  const Dir d;
  EXPECT_EQ(Ids(d.Run({"--no-config", "--format", "json"}).out),
            (std::vector<std::string>{"allow-all-actions", "allow-not-action"}));
  const auto disabled =
      d.Run({"--no-config", "--format", "json", "--disable", "allow-all-actions"});
  EXPECT_EQ(Ids(disabled.out), (std::vector<std::string>{"allow-not-action"}));
  EXPECT_EQ(disabled.exit_code, 0);  // the warning does not fail
  const auto enabled = d.Run({"--no-config", "--format", "json", "--enable", "allow-not-action"});
  EXPECT_EQ(Ids(enabled.out), (std::vector<std::string>{"allow-not-action"}));
  const auto raised = d.Run({"--no-config", "--format", "json", "--disable", "allow-all-actions",
                             "--severity", "allow-not-action=error"});
  EXPECT_EQ(raised.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(raised.out)["findings"][0]["severity"], "error");
  const auto bad = d.Run({"--no-config", "--disable", "allow-all-action"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown finding id 'allow-all-action'"));
  EXPECT_EQ(d.Run({"--no-config", "--disable", "invalid-policy"}).exit_code, 2);
}

TEST(CmdCheckScannerTest, ChecksInTheConfiguration) {
  const Dir d;
  WriteFile(d.dir.File(".iam-audit.yaml"),
            "checks:\n  disable: [allow-all-actions]\n  severity:\n    allow-not-action: note\n");
  const auto r = d.Run({"--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u);
  EXPECT_EQ(doc["findings"][0]["severity"], "note");
  // The command line re-enables what the configuration disables.
  EXPECT_EQ(Ids(d.Run({"--format", "json", "--enable", "allow-all-actions"}).out),
            (std::vector<std::string>{"allow-all-actions"}));
  WriteFile(d.dir.File(".iam-audit.yaml"), "checks:\n  disable: [allow-all]\n");
  const auto bad = d.Run({});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr(".iam-audit.yaml:2:13: unknown finding id 'allow-all'"));
}

TEST(CmdCheckScannerTest, SeveralReportsInOneRun) {
  const Dir d;
  const auto r = d.Run({"--no-config", "--report", "sarif=out.sarif", "--report", "json=out.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("p.json:2:49: error: "));  // text on standard output
  const auto sarif = nlohmann::json::parse(ReadFile(d.dir.File("out.sarif")));
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 2u);
  EXPECT_EQ(Ids(ReadFile(d.dir.File("out.json"))).size(), 2u);
  EXPECT_EQ(d.Run({"--no-config", "--report", "yaml=x"}).exit_code, 2);
}

TEST(CmdCheckScannerTest, JsonCarriesFingerprintSidAndPrincipal) {
  const Dir d;
  const auto doc = nlohmann::json::parse(d.Run({"--no-config", "--format", "json"}).out);
  const auto sarif = nlohmann::json::parse(d.Run({"--no-config", "--format", "sarif"}).out);
  const auto& f = doc["findings"][0];
  EXPECT_EQ(f["sid"], "Admin");
  EXPECT_EQ(f["principal"], "");
  EXPECT_EQ(f["fingerprint"].get<std::string>().size(), 16u);
  EXPECT_EQ(f["fingerprint"], sarif["runs"][0]["results"][0]["partialFingerprints"]["iamAudit/v1"]);
}

TEST(CmdCheckScannerTest, SarifRulesCarryWhatCodeScanningRanks) {
  const Dir d;
  const auto sarif = nlohmann::json::parse(d.Run({"--no-config", "--format", "sarif"}).out);
  for (const auto& rule : sarif["runs"][0]["tool"]["driver"]["rules"]) {
    // helpUri only where the build knows the published docs (CMakeLists.txt,
    // cmake/DocsUrl.cmake): never a made-up address; the markdown help
    // always says where the rule is documented.
    const std::string anchor = "docs/rules.md#" + rule["id"].get<std::string>();
    if (rule.contains("helpUri")) {
      const std::string uri = rule["helpUri"];
      EXPECT_TRUE(uri.starts_with("https://") && uri.ends_with(anchor)) << uri;
      EXPECT_THAT(uri, Not(HasSubstr("github.com/iam-audit/iam-audit/")));
    }
    EXPECT_THAT(rule["help"]["markdown"].get<std::string>(), HasSubstr("**"));
    EXPECT_THAT(rule["help"]["markdown"].get<std::string>(), HasSubstr(anchor));
    EXPECT_TRUE(rule["properties"]["tags"].is_array());
    EXPECT_TRUE(rule["properties"]["security-severity"].is_string());
  }
  if (const auto shared = testing::SharedDir()) {
    const auto schema =
        nlohmann::json::parse(ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
    EXPECT_THAT(testing::ValidateJsonSchema(schema, sarif), ::testing::IsEmpty());
  }
}

TEST(CmdCheckScannerTest, QuietAndColor) {
  const Dir d;
  EXPECT_THAT(d.Run({"--no-config", "--color", "always"}).out, HasSubstr("\x1b[31merror"));
  EXPECT_THAT(d.Run({"--no-config", "--color", "never"}).out, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(d.Run({"--no-config"}).out, Not(HasSubstr("\x1b[")));  // not a terminal
  EXPECT_EQ(d.Run({"--no-config", "--color", "sometimes"}).exit_code, 2);
  // Quiet: a suppressed finding is not listed.
  WriteFile(d.dir.File(".iam-audit.yaml"),
            "suppressions:\n  - id: allow-not-action\n    paths: [p.json]\n    reason: reviewed\n");
  const auto loud = d.Run({});
  EXPECT_THAT(loud.out, HasSubstr("[suppressed: reviewed]"));
  const auto quiet = d.Run({"--quiet"});
  EXPECT_THAT(quiet.out, Not(HasSubstr("allow-not-action")));
  EXPECT_THAT(quiet.out, HasSubstr("allow-all-actions"));
}

TEST(CmdCheckScannerTest, QuietAuditShowsOnlyTheLinesWithAFinding) {
  TempDir dir;
  WriteFile(dir.File("p.json"), R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "athena:*", "Resource": "*"}]})");
  const std::vector<std::string> audit = {"p.json",    "--no-config",
                                          "--profile", "dbt-athena",
                                          "--var",     "account_id=111122223333",
                                          "--var",     "region_name=eu-west-1",
                                          "--var",     "s3_staging_dir=s3://b/p/",
                                          "--var",     "schema=analytics"};
  const auto loud = RunIamAudit(audit, "", dir.path());
  std::vector<std::string> args = audit;
  args.push_back("--quiet");
  const auto quiet = RunIamAudit(args, "", dir.path());
  EXPECT_THAT(loud.out, HasSubstr("✓ granted"));
  EXPECT_THAT(quiet.out, Not(HasSubstr("✓ granted")));
  EXPECT_THAT(quiet.out, HasSubstr("✗ missing"));
  EXPECT_EQ(quiet.exit_code, loud.exit_code);
}

TEST(CmdCheckScannerTest, WriteBaselineDoesNotPrintTheReport) {
  const Dir d;
  const auto r = d.Run({"--no-config", "--write-baseline", "b.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(ReadFile(d.dir.File("b.json")), HasSubstr("allow-all-actions"));
  // Unless a report is asked for.
  EXPECT_THAT(d.Run({"--no-config", "--write-baseline", "c.json", "--format", "json"}).out,
              HasSubstr("\"findings\""));
}

TEST(CmdCheckScannerTest, RulesListsEveryFindingId) {
  const auto text = RunIamAudit({"rules"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("missing-permission"));
  EXPECT_THAT(text.out, HasSubstr("docs/rules.md#invalid-policy"));
  const auto json = nlohmann::json::parse(RunIamAudit({"rules", "--format", "json"}).out);
  ASSERT_FALSE(json.empty());
  std::vector<std::string> ids;
  for (const auto& r : json) {
    ids.push_back(r["id"]);
    EXPECT_FALSE(r["category"].get<std::string>().empty());
    EXPECT_FALSE(r["description"].get<std::string>().empty());
  }
  EXPECT_THAT(ids, ::testing::Contains("allow-all-actions"));
  EXPECT_THAT(ids, ::testing::Contains("policy-warning"));
  // docs/rules.md documents every id under its own heading (the anchor).
  const std::string doc = ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/docs/rules.md");
  for (const std::string& id : ids) EXPECT_THAT(doc, HasSubstr("\n### " + id + "\n")) << id;
}

TEST(CmdCheckScannerTest, OptionsInAnyOrderHelpAndVersion) {
  const Dir d;
  const auto first = RunIamAudit({"--format", "json", "--no-config", "p.json"}, "", d.dir.path());
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_EQ(Ids(first.out),
            Ids(RunIamAudit({"p.json", "--format", "json", "--no-config"}, "", d.dir.path()).out));
  EXPECT_THAT(Ids(first.out), ::testing::Contains("allow-all-actions"));
  EXPECT_EQ(RunIamAudit({"--no-config", "p.json"}, "", d.dir.path()).exit_code, 1);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"version"}, {"-V"}, {"--version"}}) {
    const auto r = RunIamAudit(args);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, HasSubstr("iam-audit 0."));
  }
  const auto help = RunIamAudit({"help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("Exit codes:"));
  EXPECT_THAT(help.out, HasSubstr("Examples:"));
  const auto check = RunIamAudit({"help", "check"});
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_THAT(check.out, HasSubstr("--fail-on"));
  EXPECT_THAT(check.out, Not(HasSubstr("=[]")));
  EXPECT_THAT(check.out, Not(HasSubstr("TEXT")));
}

}  // namespace
}  // namespace iam_audit

namespace iam_audit {
namespace {

TEST(CmdCheckScannerTest, SarifAndGithubPathsAreRelativeToTheRepositoryRoot) {
  TempDir repo;
  std::filesystem::create_directories(repo.File(".git"));
  std::filesystem::create_directories(repo.File("iam"));
  std::filesystem::create_directories(repo.File("sub"));
  WriteFile(repo.File("iam/admin.json"), kPolicy);
  const auto sarif =
      RunIamAudit({"../iam/admin.json", "--no-config", "--format", "sarif"}, "", repo.File("sub"));
  const auto doc = nlohmann::json::parse(sarif.out);
  const auto& location =
      doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(location["uri"], "iam/admin.json");
  EXPECT_EQ(location["uriBaseId"], "SRCROOT");
  EXPECT_THAT(doc["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"].get<std::string>(),
              ::testing::EndsWith("/"));
  if (const auto shared = testing::SharedDir()) {
    const auto schema =
        nlohmann::json::parse(ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
    EXPECT_THAT(testing::ValidateJsonSchema(schema, doc), ::testing::IsEmpty());
  }
  const auto github =
      RunIamAudit({"../iam/admin.json", "--no-config", "--format", "github"}, "", repo.File("sub"));
  EXPECT_THAT(github.out, HasSubstr("::error file=iam/admin.json,"));
  const auto based =
      RunIamAudit({"../iam/admin.json", "--no-config", "--format", "sarif", "--base-dir", "../iam"},
                  "", repo.File("sub"));
  EXPECT_THAT(based.out, HasSubstr("\"uri\": \"admin.json\""));
}

TEST(CmdCheckScannerTest, SarifColumnsAreUtf16CodeUnits) {
  TempDir dir;
  // "é" is 2 bytes and 1 UTF-16 unit.
  WriteFile(dir.File("p.json"),
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"A\", \"Condition\": "
            "{\"StringEquals\": {\"aws:PrincipalTag/x\": \"\xC3\xA9\xC3\xA9\"}}, "
            "\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}");
  const auto text = RunIamAudit({"p.json", "--no-config"}, "", dir.path());
  const auto sarif = nlohmann::json::parse(
      RunIamAudit({"p.json", "--no-config", "--format", "sarif"}, "", dir.path()).out);
  const auto json = nlohmann::json::parse(
      RunIamAudit({"p.json", "--no-config", "--format", "json"}, "", dir.path()).out);
  const int bytes = json["findings"][0]["column"];
  const int units =
      sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"];
  EXPECT_EQ(json["findings"][0]["id"], "allow-all-actions");
  EXPECT_EQ(units, bytes - 2);  // "éé": 4 bytes, 2 units
}

}  // namespace
}  // namespace iam_audit
