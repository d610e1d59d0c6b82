// `iam-audit check` as a CI gate that never loses a finding (issue 14): a
// file that cannot be read does not cancel the others' report; every
// diagnostic that counts is in every format; plainly-not-IAM files are
// skipped the same way whether named or found. Through the binary, as users
// run it.
#include "check_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunIamAudit;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kAdmin =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";
constexpr const char* kBroken = "{\"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
constexpr const char* kWarned =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]})";

// A repository with an administrator policy and a broken one.
struct Repo {
  TempDir dir;
  Repo() {
    WriteFile(dir.File("admin.json"), kAdmin);
    WriteFile(dir.File("broken.json"), kBroken);
  }
};

std::vector<std::string> Ids(const nlohmann::json& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f["id"]);
  return out;
}

TEST(CheckRunTest, AnInvalidFileIsAFindingAndTheOthersAreStillReported) {
  Repo repo;
  for (const std::string format : {"text", "json", "sarif", "github"}) {
    const auto r =
        RunIamAudit({"check", ".", "--no-config", "--format", format}, "", repo.dir.path());
    EXPECT_EQ(r.exit_code, 2) << format;  // an input error stays 2
    EXPECT_THAT(r.out, HasSubstr("invalid-policy")) << format;
    EXPECT_THAT(r.out, HasSubstr("allow-all-actions")) << format;
    EXPECT_THAT(r.out, HasSubstr("broken.json")) << format;
  }
  const auto json =
      RunIamAudit({"check", ".", "--no-config", "--format", "json"}, "", repo.dir.path());
  const auto doc = nlohmann::json::parse(json.out);
  // admin.json's statement is allow-all-actions and privilege-escalation (risks.md).
  EXPECT_EQ(doc["summary"]["error"], 3);
  const auto findings = doc["findings"];
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(Ids(findings), (std::vector<std::string>{"allow-all-actions", "privilege-escalation",
                                                     "invalid-policy"}));
  EXPECT_EQ(findings[2]["file"], "broken.json");
  EXPECT_EQ(findings[2]["severity"], "error");
  EXPECT_GE(findings[2]["line"].get<int>(), 1);  // FILE:LINE:COLUMN
  EXPECT_GE(findings[2]["column"].get<int>(), 1);
  // The text report puts the error where the stderr diagnostic does.
  EXPECT_THAT(json.err, HasSubstr("broken.json:"));
}

TEST(CheckRunTest, TheSarifFileIsWrittenDespiteAnInputError) {
  Repo repo;
  const auto r =
      RunIamAudit({"check", ".", "--no-config", "--format", "sarif", "--output", "x.sarif"}, "",
                  repo.dir.path());
  EXPECT_EQ(r.exit_code, 2);
  const auto doc = nlohmann::json::parse(testing::ReadFile(repo.dir.File("x.sarif")));
  std::vector<std::string> rules;
  for (const auto& result : doc["runs"][0]["results"]) rules.push_back(result["ruleId"]);
  EXPECT_EQ(rules, (std::vector<std::string>{"allow-all-actions", "privilege-escalation",
                                             "invalid-policy"}));
  if (const auto shared = testing::SharedDir()) {
    const auto schema =
        nlohmann::json::parse(testing::ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
    EXPECT_THAT(testing::ValidateJsonSchema(schema, doc), ::testing::IsEmpty());
  }
}

TEST(CheckRunTest, AnInvalidFileDoesNotHideAnAuditOfTheOthers) {
  Repo repo;
  const auto r =
      RunIamAudit({"check", "admin.json", "broken.json", "--no-config", "--profile", "dbt-athena",
                   "--var", "account_id=111122223333", "--var", "region_name=eu-west-1", "--var",
                   "s3_staging_dir=s3://b/p/", "--var", "schema=analytics", "--format", "json"},
                  "", repo.dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_THAT(Ids(doc["findings"]), ::testing::Contains("invalid-policy"));
  EXPECT_THAT(Ids(doc["findings"]), ::testing::Contains("allow-all-actions"));
}

// Each input error and warning is printed once where the user reads it: in a
// text or github report on standard output, else on standard error; the
// reports keep them in every format.
TEST(CheckRunTest, InputErrorsArePrintedOnceWhereTheUserReadsThem) {
  Repo repo;
  WriteFile(repo.dir.File("warned.json"), kWarned);
  const auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  for (const std::string format : {"text", "github"}) {
    const auto r =
        RunIamAudit({"check", ".", "--no-config", "--format", format}, "", repo.dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(count(r.out + r.err, "broken.json"), 1u) << format << r.out << r.err;
    EXPECT_EQ(count(r.out + r.err, "empty Action list"), 1u) << format << r.out << r.err;
    EXPECT_EQ(count(r.out, "empty Action list"), 1u) << format;
  }
  // A report for programs (or in a file): the errors are on stderr too.
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--format", "json"},
                                               {"--format", "sarif"},
                                               {"--output", "report.txt"},
                                               {"--write-baseline", "b.json"}}) {
    std::vector<std::string> command = {"check", ".", "--no-config"};
    command.insert(command.end(), args.begin(), args.end());
    const auto r = RunIamAudit(command, "", repo.dir.path());
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_EQ(count(r.err, "broken.json:"), 1u) << args[0] << r.err;
    EXPECT_EQ(count(r.err, "empty Action list"), 1u) << args[0] << r.err;
  }
  // An error that stops the run before any report still shows the files'.
  const auto stopped = RunIamAudit(
      {"check", "broken.json", testing::TestData("formats/cloudformation-multiline.yaml"),
       "--no-config", "--principal", "nobody"},
      "", repo.dir.path());
  EXPECT_EQ(stopped.exit_code, 2);
  EXPECT_THAT(stopped.err, HasSubstr("names none of the principals found"));
  EXPECT_EQ(count(stopped.err, "broken.json:"), 1u) << stopped.err;
}

TEST(CheckRunTest, ParserWarningsAreInEveryFormatAndTheSummary) {
  TempDir dir;
  WriteFile(dir.File("warned.json"), kWarned);
  const auto text =
      RunIamAudit({"check", "warned.json", "--no-config", "--fail-on", "warning"}, "", dir.path());
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("warned.json:1:71: warning: empty Action list"));
  EXPECT_THAT(text.out, HasSubstr("[policy-warning]"));
  EXPECT_THAT(text.out, HasSubstr("0 errors, 1 warning, 0 notes"));
  const auto json = RunIamAudit(
      {"check", "warned.json", "--no-config", "--fail-on", "warning", "--format", "json"}, "",
      dir.path());
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(json.out)["summary"]["warning"], 1);
  const auto sarif = RunIamAudit(
      {"check", "warned.json", "--no-config", "--fail-on", "warning", "--format", "sarif"}, "",
      dir.path());
  EXPECT_EQ(nlohmann::json::parse(sarif.out)["runs"][0]["results"].size(), 1u);
  // Below the threshold they are reported and do not fail.
  EXPECT_EQ(RunIamAudit({"check", "warned.json", "--no-config"}, "", dir.path()).exit_code, 0);
}

TEST(CheckRunTest, NamedFilesPlainlyNotIamAreSkippedLikeScannedOnes) {
  TempDir dir;
  WriteFile(dir.File("workflow.yml"),
            "# Statement: this workflow deploys\non: push\njobs:\n  build:\n    runs-on: x\n");
  WriteFile(dir.File("openapi.yaml"),
            "openapi: 3.0.0\ncomponents:\n  schemas:\n    Resources:\n      type: object\n");
  WriteFile(dir.File("admin.json"), kAdmin);
  const auto hook = RunIamAudit({"check", "--lint-only", "--skip-non-iam", "workflow.yml",
                                 "openapi.yaml", "admin.json", "--no-config", "--verbose"},
                                "", dir.path());
  EXPECT_EQ(hook.exit_code, 1) << hook.err;  // the admin policy, not exit 2
  EXPECT_THAT(hook.err, HasSubstr("workflow.yml: skipped: plainly not IAM"));
  EXPECT_THAT(hook.err, Not(HasSubstr("cannot tell what kind")));
  EXPECT_THAT(hook.out, HasSubstr("allow-all-actions"));
  // Named without --skip-non-iam, it is still an error: the user asked for it.
  EXPECT_EQ(RunIamAudit({"check", "workflow.yml", "--no-config"}, "", dir.path()).exit_code, 2);
}

}  // namespace
}  // namespace iam_audit

namespace iam_audit {
namespace {

TEST(CheckRunTest, APrincipalThatMatchesNothingIsAnErrorListingThePrincipals) {
  const std::string file = testing::TestData("formats/cloudformation.yaml");
  const auto none = testing::RunIamAudit({"check", file, "--principal", "NoSuchRole"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, ::testing::HasSubstr("--principal 'NoSuchRole' names none of the "
                                             "principals found; they are:\n  AWS::IAM::"));
  const auto terraform = testing::RunIamAudit(
      {"check", testing::TestData("formats/terraform-plan.json"), "--principal", "nobody"});
  EXPECT_EQ(terraform.exit_code, 2);
  EXPECT_THAT(terraform.err, ::testing::HasSubstr("they are:\n  aws_iam_"));
  // Authorization details list theirs too, once, with the file's name once.
  const std::string details = testing::TestData("formats/account-authorization-details.json");
  const auto aad = testing::RunIamAudit({"check", details, "--principal", "nobody", "--no-config"});
  EXPECT_EQ(aad.exit_code, 2);
  EXPECT_THAT(aad.out + aad.err, ::testing::HasSubstr("names none of the principals found; they "
                                                      "are:\n  role/"));
  EXPECT_THAT(aad.out + aad.err, ::testing::Not(::testing::HasSubstr(details + ": " + details)));
  // Files that describe no principal: --principal selects nothing either.
  const auto plain = testing::RunIamAudit(
      {"check", testing::TestData("formats/policy.json"), "--principal", "dbt", "--no-config"});
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_THAT(plain.err, ::testing::HasSubstr("the files describe no role or user"));
}

TEST(CheckRunTest, TheHookFilesIncludeTemplatesAndStateFiles) {
  const std::string hooks =
      testing::ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/.pre-commit-hooks.yaml");
  EXPECT_THAT(hooks, ::testing::HasSubstr("template|tfstate"));
}

TEST(CheckRunTest, AnEmptySidIsNotNamed) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("p.json"), R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "", "Effect": "Allow", "Action": "*", "Resource": "*"}]})");
  const auto r = testing::RunIamAudit({"check", "p.json", "--no-config"}, "", dir.path());
  EXPECT_THAT(r.out, ::testing::HasSubstr("statement #1 allows every action"));
  EXPECT_THAT(r.out, ::testing::Not(::testing::HasSubstr("statement ''")));
}

}  // namespace
}  // namespace iam_audit
