// The check command as a CI gate and pre-commit hook, run as a user would:
// exit codes that are never mixed up (in every format), .iam-audit.yaml
// (discovery, overrides, exclude, precedence), suppressions, the baseline,
// --format github, directory scans and their deterministic parallel output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunIamAudit;
using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

const std::vector<std::string> kVars = {"--var", "region_name=eu-west-1",
                                        "--var", "account_id=111122223333",
                                        "--var", "schema=analytics",
                                        "--var", "s3_staging_dir=s3://acme-athena-results/dbt/",
                                        "--var", "s3_data_dir=s3://acme-lake/dbt/"};

constexpr char kVarsYaml[] = R"(vars:
  region_name: eu-west-1
  account_id: "111122223333"
  schema: analytics
  s3_staging_dir: s3://acme-athena-results/dbt/
  s3_data_dir: s3://acme-lake/dbt/
)";

std::vector<std::string> Args(std::vector<std::string> args, bool profile = true) {
  if (profile) {
    args.insert(args.end(), {"--profile", "dbt-athena"});
    args.insert(args.end(), kVars.begin(), kVars.end());
  }
  return args;
}

// A project folder with a least-privilege policy (good.json), the same with
// one permission missing (gap.json), an over-broad one (broad.json: only
// warnings) and an invalid one (invalid.json).
class CheckCiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> gen = {"generate"};
    gen = Args(gen);
    const CommandResult g = RunIamAudit(gen);
    ASSERT_EQ(g.exit_code, 0) << g.err;
    good_ = g.out;
    WriteFile(File("good.json"), good_);
    std::string gap = good_;
    const std::size_t at = gap.find("\"glue:GetDatabase\"");
    ASSERT_NE(at, std::string::npos);
    gap.replace(at, std::string("\"glue:GetDatabase\"").size(), "\"glue:GetDatabases\"");
    WriteFile(File("gap.json"), gap);
    // good.json plus a statement that is wider than needed: warnings only
    // (glue:* would be errors: it deletes tables, risk.h).
    std::string broad = good_;
    const std::size_t open = broad.find('[');
    broad.insert(
        open + 1,
        "\n    {\"Sid\": \"Everything\", \"Effect\": \"Allow\", \"Action\": \"glue:Create*\","
        " \"Resource\": \"*\"},");
    WriteFile(File("broad.json"), broad);
    // Valid policies with lint findings (lint.h): an error, and a warning only.
    WriteFile(
        File("admin.json"),
        "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
        "  {\"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}");
    WriteFile(File("notaction.json"),
              "{\"Version\": \"2012-10-17\", \"Statement\": [\n"
              "  {\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": "
              "\"arn:aws:s3:::b/*\"}]}");
    // Parses, but IAM rejects a policy variable in a Numeric value: found
    // when the statements are compiled, after reading.
    WriteFile(File("uncompilable.json"),
              "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
              "\"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\", "
              "\"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": \"${aws:username}\"}}}]}");
    WriteFile(File("invalid.json"),
              "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Alow\", "
              "\"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}");
  }

  std::string File(const std::string& name) const { return tmp_.File(name); }

  CommandResult Run(std::vector<std::string> args, const std::string& cwd = "") {
    return RunIamAudit(args, "", cwd.empty() ? tmp_.path() : cwd);
  }

  TempDir tmp_;
  std::string good_;
};

// --- exit codes ------------------------------------------------------------------

TEST_F(CheckCiTest, ExitCodesAreNeverMixedUpInAnyFormat) {
  struct Case {
    std::vector<std::string> args;
    int code;
    const char* why;
  };
  const std::vector<Case> cases = {
      {Args({"good.json"}), 0, "clean"},
      {Args({"gap.json"}), 1, "a missing permission"},
      {Args({"gap.json", "--fail-on", "never"}), 0, "findings, but --fail-on never"},
      {Args({"broad.json"}), 0, "warnings only, --fail-on error"},
      {Args({"broad.json", "--fail-on", "warning"}), 1, "warnings, --fail-on warning"},
      {Args({"gap.json", "invalid.json"}), 2, "an invalid policy beside findings"},
      {Args({"gap.json", "missing.json"}), 2, "a missing file beside findings"},
      {Args({"gap.json", "invalid.json", "--fail-on", "never"}), 2, "an invalid policy, never"},
      {Args({"gap.json", "--var", "no_such_var=1"}), 2, "an unknown variable"},
      {Args({"gap.json", "--output", "no/such/dir/report"}), 2, "a report that cannot be written"},
      {Args({"gap.json", "--baseline", "missing-baseline.json"}), 2, "a missing baseline"},
      {Args({"gap.json", "--config", "missing.yaml"}), 2, "a missing configuration"},
      {{"gap.json", "--profile", "no-such-profile"}, 2, "an unknown profile"},
      {{"gap.json", "--fail-on", "fatal", "--profile", "dbt-athena"}, 2, "a bad option value"},
      {Args({"good.json"}, false), 0, "lint only: clean"},
      {Args({"invalid.json"}, false), 2, "lint only: invalid"},
      {Args({"admin.json"}, false), 1, "lint only: an error finding"},
      {Args({"admin.json", "--fail-on", "never"}, false), 0, "lint only: an error, but never"},
      {Args({"notaction.json"}, false), 0, "lint only: a warning, --fail-on error"},
      {Args({"notaction.json", "--fail-on", "warning"}, false), 1, "lint only: --fail-on warning"},
      {Args({"admin.json", "invalid.json"}, false), 2, "lint only: an invalid policy beside"},
      {Args({"admin.json", "uncompilable.json"}, false), 2,
       "lint only: a policy that does not compile beside"},
      {Args({"admin.json", "--output", "no/such/dir/report"}, false), 2,
       "lint only: a report that cannot be written"},
      {Args({"admin.json", "--baseline", "missing-baseline.json"}, false), 2,
       "lint only: a missing baseline"},
  };
  for (const char* format : {"text", "json", "sarif", "github"}) {
    for (const Case& c : cases) {
      std::vector<std::string> args = c.args;
      args.insert(args.end(), {"--format", format});
      const CommandResult r = Run(args);
      EXPECT_EQ(r.exit_code, c.code) << c.why << " (--format " << format << ")\n" << r.err;
    }
  }
}

TEST_F(CheckCiTest, APolicyThatDoesNotCompileIsAFindingInEveryFormat) {
  for (const char* format : {"json", "sarif"}) {
    const CommandResult r =
        Run({"--no-config", "uncompilable.json", "admin.json", "--format", format});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.out, HasSubstr("policy variables cannot be used with Numeric operators"))
        << format;
    EXPECT_THAT(r.out, HasSubstr("invalid-policy")) << format;
    EXPECT_THAT(r.out, HasSubstr("allow-all-actions")) << format << ": the other file is reported";
  }
}

TEST_F(CheckCiTest, ABadConfigurationIsExit2WithLocations) {
  WriteFile(File(".iam-audit.yaml"),
            "profile: dbt-athena\nfail_on: error\nsuppressions:\n"
            "  - {id: missing-permision, paths: x, reason: r}\n");
  const CommandResult r = Run({"gap.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(".iam-audit.yaml:2:1: unknown key 'fail_on'"));
  EXPECT_THAT(r.err, HasSubstr(".iam-audit.yaml:4:10: unknown finding id 'missing-permision'"));
}

// --- configuration ---------------------------------------------------------------

TEST_F(CheckCiTest, TheConfigurationIsFoundWalkingUp) {
  WriteFile(File(".iam-audit.yaml"), std::string("profile: dbt-athena\n") + kVarsYaml);
  fs::create_directories(File("sub/deeper"));
  // From a subfolder, the policy named relative to it: audited with the
  // configuration's profile and variables.
  CommandResult r = Run({"../../gap.json", "--format", "json"}, File("sub/deeper"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"missing-permission\""));
  r = Run({"../../good.json"}, File("sub/deeper"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // --no-config: no profile, so validation only.
  r = Run({"gap.json", "--no-config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("missing")));
  // --config names another file.
  WriteFile(File("other.yaml"), "profile: dbt-athena\nfail-on: never\n" + std::string(kVarsYaml));
  r = Run({"gap.json", "--config", "other.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CheckCiTest, TheCommandLineOverridesTheConfiguration) {
  WriteFile(File(".iam-audit.yaml"),
            std::string("profile: dbt-athena\nfail-on: never\n") + kVarsYaml);
  EXPECT_EQ(Run({"gap.json"}).exit_code, 0);
  EXPECT_EQ(Run({"gap.json", "--fail-on", "error"}).exit_code, 1);
  // A --var wins over the configuration's value (schema 'other' is not what
  // good.json grants, so it has gaps now).
  EXPECT_EQ(Run({"good.json", "--fail-on", "error", "--var", "schema=other"}).exit_code, 1);
  // --lint-only ignores the configured profile.
  EXPECT_EQ(Run({"gap.json", "--fail-on", "error", "--lint-only"}).exit_code, 0);
  // An unknown variable in the configuration names where it was set.
  WriteFile(File(".iam-audit.yaml"), "profile: dbt-athena\nvars:\n  schemas: x\n");
  const CommandResult r = Run({"gap.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown variable 'schemas' (from "));
  EXPECT_THAT(r.err, HasSubstr(".iam-audit.yaml:3:12)"));
}

TEST_F(CheckCiTest, OverridesChooseSettingsPerPath) {
  fs::create_directories(File("iam/marketing"));
  fs::create_directories(File("iam/analytics"));
  WriteFile(File("iam/analytics/role.json"), good_);
  WriteFile(File("iam/marketing/role.json"), good_);  // grants analytics, not marketing
  WriteFile(File(".iam-audit.yaml"), std::string("profile: dbt-athena\neach: true\n") + kVarsYaml +
                                         "overrides:\n  - paths: iam/marketing/\n"
                                         "    vars: {schema: marketing}\n");
  const CommandResult r = Run({"iam", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  std::set<std::string> files;
  for (const auto& f : doc["findings"]) {
    if (f["severity"] == "error") files.insert(f["file"].get<std::string>());
  }
  EXPECT_EQ(files, (std::set<std::string>{"iam/marketing/role.json"}));
}

TEST_F(CheckCiTest, ExcludedFilesAreSkippedInScansAndOnTheCommandLine) {
  fs::create_directories(File("iam/fixtures"));
  WriteFile(File("iam/fixtures/invalid.json"), ReadFile(File("invalid.json")));
  WriteFile(File("iam/good.json"), good_);
  WriteFile(File(".iam-audit.yaml"), "exclude: [iam/fixtures/, invalid.json]\n");
  EXPECT_EQ(Run({"iam"}).exit_code, 0);
  EXPECT_EQ(Run({"iam/fixtures/invalid.json", "iam/good.json"}).exit_code, 0);
  EXPECT_EQ(Run({"iam", "--no-config"}).exit_code, 2);
}

TEST_F(CheckCiTest, LintOnlyCountsTheParsersWarningsFromFailOnWarning) {
  // A duplicate Sid is valid IAM but a pitfall: a warning, not an error.
  WriteFile(File("dup.json"),
            R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]})");
  CommandResult r = Run({"dup.json", "--lint-only"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("dup.json:3:11: warning: duplicate Sid"));
  EXPECT_EQ(Run({"dup.json", "--lint-only", "--fail-on", "warning"}).exit_code, 1);
  EXPECT_EQ(Run({"good.json", "--lint-only", "--fail-on", "warning"}).exit_code, 0);
}

TEST_F(CheckCiTest, SkipNonIamSkipsFilesThatArePlainlyNotPolicies) {
  WriteFile(File("package.json"), "{\"name\": \"web\", \"version\": \"1.0.0\"}");
  EXPECT_EQ(Run({"package.json", "good.json", "--skip-non-iam"}).exit_code, 0);
  EXPECT_EQ(Run({"package.json", "invalid.json", "--skip-non-iam"}).exit_code, 2);
  EXPECT_EQ(Run({"package.json", "good.json"}).exit_code, 2);
}

// --- lint without a profile -------------------------------------------------------

TEST_F(CheckCiTest, LintFindingsInEveryFormatWithoutAProfile) {
  CommandResult r = Run({"admin.json", "notaction.json", "good.json", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["profile"], "");
  // Each file also has a risk finding (risk.h): administrator access is
  // privilege-escalation; NotAction iam:* on objects allows changing their ACLs.
  EXPECT_EQ(doc["summary"]["error"], 2);
  EXPECT_EQ(doc["summary"]["warning"], 2);
  ASSERT_EQ(doc["findings"].size(), 4u) << r.out;
  const auto& admin = doc["findings"][0];
  EXPECT_EQ(admin["id"], "allow-all-actions");
  EXPECT_EQ(admin["severity"], "error");
  EXPECT_EQ(admin["file"], "admin.json");
  EXPECT_EQ(admin["line"], 2);
  EXPECT_EQ(admin["column"], 49);  // the "*" of Action
  EXPECT_EQ(admin["action"], "*");
  EXPECT_EQ(admin["resource"], "*");
  EXPECT_EQ(doc["findings"][1]["id"], "privilege-escalation");
  EXPECT_EQ(doc["findings"][2]["id"], "allow-not-action");
  EXPECT_EQ(doc["findings"][2]["file"], "notaction.json");
  EXPECT_EQ(doc["findings"][3]["id"], "resource-exposure");

  r = Run({"admin.json", "notaction.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      r.out,
      "admin.json:2:49: error: statement 'Admin' allows every action ('*') on every "
      "resource: full administrator access [allow-all-actions]\n"
      "admin.json:2:49: error: statement 'Admin' allows 31 actions that can let the principal "
      "gain more permissions (privilege escalation): iam:CreatePolicyVersion, "
      "iam:SetDefaultPolicyVersion, iam:AttachGroupPolicy, iam:AttachRolePolicy, "
      "iam:AttachUserPolicy and 26 more on *; rewrites (or rolls back to) a managed policy "
      "version, including one attached to the principal itself (risk iam-policy-version) "
      "[privilege-escalation]\n"
      "notaction.json:2:23: warning: statement #1 allows every action except iam:* (Allow "
      "with NotAction), in every service, including actions AWS adds later; list the "
      "actions needed with Action instead [allow-not-action]\n"
      "notaction.json:2:23: warning: statement #1 allows 2 actions that can change who can "
      "access a resource: s3:PutObjectAcl, s3:PutObjectVersionAcl on arn:aws:s3:::b/*; "
      "changes who can read or write a bucket or its objects (can make them public) (risk "
      "s3-access-policy) [resource-exposure]\n"
      "\nSummary: 2 files linted: 2 errors, 2 warnings, 0 notes\n");
  // A clean lint prints nothing.
  r = Run({"good.json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");

  r = Run({"admin.json", "--format", "sarif", "--output", "lint.sarif"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  doc = nlohmann::json::parse(ReadFile(File("lint.sarif")));
  ASSERT_EQ(doc["runs"][0]["results"].size(), 2u);
  EXPECT_EQ(doc["runs"][0]["results"][0]["ruleId"], "allow-all-actions");
  EXPECT_EQ(doc["runs"][0]["results"][1]["ruleId"], "privilege-escalation");
  EXPECT_EQ(doc["runs"][0]["results"][0]["level"], "error");
  if (const std::optional<std::string> shared = testing::SharedDir()) {
    const auto schema =
        nlohmann::json::parse(ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
    EXPECT_THAT(testing::ValidateJsonSchema(schema, doc), ::testing::IsEmpty());
  }

  r = Run({"admin.json", "--format", "github"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "::error file=admin.json,line=2,col=49,title=allow-all-actions::statement 'Admin' "
            "allows every action ('*') on every resource: full administrator access\n"
            "::error file=admin.json,line=2,col=49,title=privilege-escalation::statement 'Admin' "
            "allows 31 actions that can let the principal gain more permissions (privilege "
            "escalation): iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, "
            "iam:AttachGroupPolicy, iam:AttachRolePolicy, iam:AttachUserPolicy and 26 more on *; "
            "rewrites (or rolls back to) a managed policy version, including one attached to the "
            "principal itself (risk iam-policy-version)\n"
            "iam-audit: lint: 2 errors, 0 warnings, 0 notes\n");
}

TEST_F(CheckCiTest, LintOnlyIgnoresTheProfileButNotTheLint) {
  WriteFile(File(".iam-audit.yaml"), std::string("profile: dbt-athena\n") + kVarsYaml);
  // With the configured profile: audited (admin.json misses nothing the profile needs,
  // but is administrator access).
  CommandResult r = Run({"admin.json", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["profile"], "dbt-athena");
  std::set<std::string> ids;
  for (const auto& f : doc["findings"]) ids.insert(f["id"].get<std::string>());
  EXPECT_TRUE(ids.count("allow-all-actions")) << r.out;
  EXPECT_TRUE(ids.count("over-broad-action")) << r.out;
  // --lint-only: only the lint finding.
  r = Run({"admin.json", "--format", "json", "--lint-only"});
  EXPECT_EQ(r.exit_code, 1);
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["profile"], "");
  ASSERT_EQ(doc["findings"].size(), 2u);
  EXPECT_EQ(doc["findings"][0]["id"], "allow-all-actions");
  EXPECT_EQ(doc["findings"][1]["id"], "privilege-escalation");
}

TEST_F(CheckCiTest, TheAuditIncludesTheLintFindings) {
  std::string passrole = good_;
  passrole.insert(passrole.find('[') + 1,
                  "\n    {\"Sid\": \"PassAny\", \"Effect\": \"Allow\", \"Action\": "
                  "\"iam:PassRole\", \"Resource\": \"arn:aws:iam::111122223333:role/*\"},");
  WriteFile(File("passrole.json"), passrole);
  CommandResult r = Run(Args({"passrole.json", "--format", "json"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // warnings
  auto doc = nlohmann::json::parse(r.out);
  // pass-role-wildcard, and the extra action the profile does not need.
  ASSERT_EQ(doc["findings"].size(), 2u) << r.out;
  EXPECT_EQ(doc["findings"][0]["id"], "over-broad-action");
  EXPECT_EQ(doc["findings"][1]["id"], "pass-role-wildcard");
  EXPECT_EQ(doc["findings"][1]["resource"], "arn:aws:iam::111122223333:role/*");
  EXPECT_EQ(Run(Args({"passrole.json", "--fail-on", "warning"})).exit_code, 1);
  // The same finding without the profile.
  r = Run({"passrole.json", "--format", "json", "--fail-on", "warning"});
  EXPECT_EQ(r.exit_code, 1);
  doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << r.out;
  EXPECT_EQ(doc["findings"][0]["id"], "pass-role-wildcard");
}

TEST_F(CheckCiTest, LintFindingsCanBeSuppressedAndBaselined) {
  WriteFile(File(".iam-audit.yaml"),
            "suppressions:\n"
            "  - id: [allow-all-actions, privilege-escalation]\n"
            "    paths: admin.json\n"
            "    reason: the break-glass role\n"
            "  - id: missing-permission\n"
            "    paths: admin.json\n"
            "    reason: for the audit, not judged by the lint\n");
  CommandResult r = Run({"admin.json", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = nlohmann::json::parse(r.out);
  // No stale-suppression for the audit's entry; administrator access is also
  // privilege-escalation (risk.h), suppressed by the same entry.
  ASSERT_EQ(doc["findings"].size(), 2u) << r.out;
  EXPECT_EQ(doc["findings"][0]["id"], "allow-all-actions");
  EXPECT_EQ(doc["findings"][0]["suppressed"]["reason"], "the break-glass role");
  EXPECT_EQ(doc["findings"][1]["id"], "privilege-escalation");
  EXPECT_EQ(doc["summary"]["error"], 0);
  EXPECT_EQ(doc["summary"]["suppressed"], 2);
  r = Run({"admin.json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("[allow-all-actions] [suppressed: the break-glass role]"));
  EXPECT_THAT(r.out, HasSubstr("0 errors, 0 warnings, 0 notes (2 suppressed)"));

  // A lint suppression that matches nothing is stale.
  r = Run({"good.json", "--config", ".iam-audit.yaml", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(doc["findings"].empty()) << r.out;  // admin.json was not checked: not judged
  WriteFile(File(".iam-audit.yaml"),
            "suppressions:\n"
            "  - id: allow-all-actions\n"
            "    paths: good.json\n"
            "    reason: stale\n");
  r = Run({"good.json", "--format", "json", "--fail-on", "warning"});
  EXPECT_EQ(r.exit_code, 1);
  doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << r.out;
  EXPECT_EQ(doc["findings"][0]["id"], "stale-suppression");

  // The baseline: recorded findings no longer count; a new one does.
  fs::remove(File(".iam-audit.yaml"));
  EXPECT_EQ(Run({"admin.json", "--write-baseline", "base.json"}).exit_code, 0);
  EXPECT_EQ(Run({"admin.json", "--baseline", "base.json"}).exit_code, 0);
  EXPECT_EQ(Run({"admin.json", "notaction.json", "--baseline", "base.json", "--fail-on", "warning"})
                .exit_code,
            1);
}

// --- suppressions ----------------------------------------------------------------

TEST_F(CheckCiTest, SuppressedFindingsAreReportedButDoNotCount) {
  WriteFile(File(".iam-audit.yaml"), std::string("profile: dbt-athena\n") + kVarsYaml +
                                         "suppressions:\n"
                                         "  - id: missing-permission\n"
                                         "    paths: gap.json\n"
                                         "    action: glue:GetDatabase\n"
                                         "    reason: granted by a Lake Formation admin role\n"
                                         "    expires: 2999-12-31\n");
  CommandResult r = Run({"gap.json", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_FALSE(doc["findings"].empty());
  std::size_t suppressed = 0;
  for (const auto& f : doc["findings"]) {
    if (!f.contains("suppressed")) continue;
    ++suppressed;
    EXPECT_EQ(f["action"], "glue:GetDatabase");
    EXPECT_EQ(f["suppressed"]["kind"], "config");
    EXPECT_EQ(f["suppressed"]["reason"], "granted by a Lake Formation admin role");
    EXPECT_EQ(f["suppressed"]["expires"], "2999-12-31");
    EXPECT_EQ(f["suppressed"]["line"], 9);  // the entry's "- id:" line
  }
  EXPECT_GT(suppressed, 0u);
  EXPECT_EQ(doc["summary"]["error"], 0);
  EXPECT_EQ(doc["summary"]["suppressed"], suppressed);

  r = Run({"gap.json", "--format", "sarif"});
  EXPECT_EQ(r.exit_code, 0);
  doc = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& result : doc["runs"][0]["results"]) {
    if (!result.contains("suppressions")) continue;
    found = true;
    EXPECT_EQ(result["suppressions"][0]["kind"], "external");
    EXPECT_EQ(result["suppressions"][0]["justification"], "granted by a Lake Formation admin role");
  }
  EXPECT_TRUE(found);
  if (const std::optional<std::string> shared = testing::SharedDir()) {
    const auto schema =
        nlohmann::json::parse(ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
    EXPECT_THAT(testing::ValidateJsonSchema(schema, doc), ::testing::IsEmpty());
  }

  r = Run({"gap.json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("suppressed: granted by a Lake Formation admin role"));

  r = Run({"gap.json", "--format", "github"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, Not(HasSubstr("::error")));
}

TEST_F(CheckCiTest, ExpiredAndStaleSuppressionsAreReported) {
  WriteFile(File(".iam-audit.yaml"), std::string("profile: dbt-athena\n") + kVarsYaml +
                                         "suppressions:\n"
                                         "  - id: missing-permission\n"
                                         "    paths: gap.json\n"
                                         "    reason: temporary\n"
                                         "    expires: 2000-01-31\n"
                                         "  - id: over-broad-action\n"
                                         "    paths: gap.json\n"
                                         "    reason: no longer needed\n");
  const CommandResult r = Run({"gap.json", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the expired one suppresses nothing
  const auto doc = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> hygiene;
  for (const auto& f : doc["findings"]) {
    EXPECT_FALSE(f.contains("suppressed"));
    const std::string id = f["id"];
    if (id == "expired-suppression" || id == "stale-suppression") hygiene[id] = f;
  }
  ASSERT_EQ(hygiene.size(), 2u) << r.out;
  EXPECT_EQ(hygiene["expired-suppression"]["line"], 9);
  EXPECT_THAT(hygiene["expired-suppression"]["message"].get<std::string>(),
              HasSubstr("expired on 2000-01-31"));
  EXPECT_EQ(hygiene["stale-suppression"]["line"], 13);
  EXPECT_EQ(hygiene["stale-suppression"]["severity"], "warning");
  EXPECT_THAT(hygiene["stale-suppression"]["file"].get<std::string>(),
              HasSubstr(".iam-audit.yaml"));
}

// --- baseline --------------------------------------------------------------------

TEST_F(CheckCiTest, BaselineSurvivesReformattingAndCatchesNewFindings) {
  CommandResult r =
      Run(Args({"gap.json", "broad.json", "--each", "--write-baseline", "base.json"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto base = nlohmann::json::parse(ReadFile(File("base.json")));
  EXPECT_EQ(base["version"], 1);
  EXPECT_FALSE(base["entries"].empty());
  for (const auto& e : base["entries"]) {
    EXPECT_EQ(e["fingerprint"].get<std::string>().size(), 16u);
    EXPECT_TRUE(e.contains("id") && e.contains("file") && e.contains("action") &&
                e.contains("resource"));
  }

  r = Run(Args(
      {"gap.json", "broad.json", "--each", "--baseline", "base.json", "--fail-on", "warning"}));
  EXPECT_EQ(r.exit_code, 0) << r.out;

  // Reformatted: every statement on one line, and the statements reversed.
  auto policy = nlohmann::json::parse(ReadFile(File("gap.json")));
  std::reverse(policy["Statement"].begin(), policy["Statement"].end());
  WriteFile(File("gap.json"), policy.dump());
  r = Run(
      Args({"gap.json", "broad.json", "--each", "--baseline", "base.json", "--format", "json"}));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"]) {
    ASSERT_TRUE(f.contains("suppressed")) << f.dump();
    EXPECT_EQ(f["suppressed"]["kind"], "baseline");
  }

  // A new gap is new.
  std::string worse = ReadFile(File("gap.json"));
  const std::size_t at = worse.find("\"athena:StartQueryExecution\"");
  ASSERT_NE(at, std::string::npos);
  worse.replace(at, std::string("\"athena:StartQueryExecution\"").size(),
                "\"athena:ListWorkGroups\"");
  WriteFile(File("gap.json"), worse);
  r = Run(Args({"gap.json", "broad.json", "--each", "--baseline", "base.json"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("athena:StartQueryExecution"));
}

TEST_F(CheckCiTest, BaselineFromTheConfiguration) {
  EXPECT_EQ(Run(Args({"gap.json", "--write-baseline", ".iam-audit-baseline.json"})).exit_code, 0);
  WriteFile(File(".iam-audit.yaml"), "baseline: .iam-audit-baseline.json\n");
  EXPECT_EQ(Run(Args({"gap.json"})).exit_code, 0);
  EXPECT_EQ(Run(Args({"gap.json", "--no-baseline"})).exit_code, 1);
}

// --- github ----------------------------------------------------------------------

TEST_F(CheckCiTest, GithubFormatPrintsWorkflowCommands) {
  const CommandResult r = Run(Args({"gap.json", "broad.json", "--each", "--format", "github"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(
      r.out,
      ::testing::MatchesRegex(
          "(::(error|warning|notice) file=[^,]+(,line=[0-9]+,col=[0-9]+)?,title=[a-z-]+::[^\n]*\n)+"
          "iam-audit: profile dbt-athena: [0-9]+ errors?, [0-9]+ warnings?, [0-9]+ notes?\n"));
  EXPECT_THAT(r.out, HasSubstr("::error file=gap.json,line="));
  EXPECT_THAT(r.out, HasSubstr("title=missing-permission::"));
  EXPECT_THAT(r.out, HasSubstr("::warning file=broad.json,line="));
}

// --- repository scale --------------------------------------------------------------

TEST_F(CheckCiTest, DirectoryScansGiveTheSameOutputOnAnyNumberOfThreads) {
  for (int i = 0; i < 60; ++i) {
    const std::string dir = File("repo/team-" + std::to_string(i % 7));
    fs::create_directories(dir);
    WriteFile(dir + "/p" + std::to_string(i) + ".json", i % 3 == 0 ? ReadFile(File("gap.json"))
                                                        : i % 3 == 1
                                                            ? good_
                                                            : ReadFile(File("broad.json")));
  }
  const std::vector<std::string> args = Args({"repo", "--each", "--format", "json"});
  std::vector<std::string> one = args, many = args;
  one.insert(one.end(), {"--jobs", "1"});
  many.insert(many.end(), {"--jobs", "8"});
  const CommandResult a = Run(one), b = Run(many);
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_EQ(a.out, b.out);
  EXPECT_FALSE(a.out.empty());
  const auto doc = nlohmann::json::parse(a.out);
  EXPECT_GT(doc["findings"].size(), 20u);

  // Validation only, with an invalid file somewhere: the same diagnostics either way.
  WriteFile(File("repo/team-3/zz-invalid.json"), ReadFile(File("invalid.json")));
  const CommandResult c = Run({"repo", "--no-config", "--jobs", "1"});
  const CommandResult d = Run({"repo", "--no-config", "--jobs", "4"});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_EQ(c.out, d.out);
  EXPECT_EQ(c.err, d.err);
  EXPECT_THAT(c.out, HasSubstr("repo/team-3/zz-invalid.json:1:"));
}

}  // namespace
}  // namespace iam_audit
