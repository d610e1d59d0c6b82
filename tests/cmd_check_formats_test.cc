// `iam-audit check` on the files teams keep policies in (policy_source.h),
// run as a user would: AWS CLI output, account authorization details (one
// audit per role and user, --principal), CloudFormation (parameters from
// --var), Terraform, directory scans, --input-format and unreadable formats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kProfile = {
    "--profile", "dbt-athena",
    "--var",     "region_name=eu-west-1",
    "--var",     "account_id=111122223333",
    "--var",     "schema=analytics",
    "--var",     "s3_staging_dir=s3://acme-athena-results/dbt/",
    "--var",     "s3_data_dir=s3://acme-lake/dbt/"};

CommandResult Check(std::vector<std::string> args, bool profile = true) {
  args.insert(args.begin(), "check");
  if (profile) args.insert(args.end(), kProfile.begin(), kProfile.end());
  args.insert(args.end(), {"--no-config", "--fail-on", "never"});
  return testing::RunIamAudit(args);
}

std::string Format(const std::string& name) { return testing::TestData("formats/" + name); }

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(CmdCheckFormatsTest, EveryFormatIsReadWithLocationsIntoTheRealFile) {
  for (const char* name :
       {"policy.json", "policy.yaml", "get-policy-version.json", "get-role-policy.json",
        "account-authorization-details.json", "cloudformation.json", "cloudformation.yaml",
        "terraform-plan.json", "terraform-state.json"}) {
    const CommandResult r = Check({Format(name)}, /*profile=*/false);
    EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.err;
  }
  // A note points into the template, at the value it could not resolve.
  const CommandResult r = Check({Format("cloudformation.yaml")}, false);
  EXPECT_THAT(r.err, HasSubstr("cloudformation.yaml:68:27: note: AWS::Region is not known"));
}

TEST(CmdCheckFormatsTest, EachPrincipalOfAccountAuthorizationDetailsIsAuditedOnItsOwn) {
  const std::string file = Format("account-authorization-details.json");
  CommandResult r = Check({file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Count(r.out, "Audit of "), 3u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("(role/service/dbt-runner) against profile dbt-athena"));
  EXPECT_THAT(r.out, HasSubstr("(user/alice) against profile dbt-athena"));

  // In JSON each finding says whose it is, and the same gap of two
  // principals has two fingerprints.
  r = Check({file, "--format", "json"});
  const auto doc = nlohmann::json::parse(r.out);
  std::set<std::string> alice, runner;
  for (const auto& f : doc["findings"]) {
    const std::string message = f["message"];
    if (message.starts_with("user/alice: ")) alice.insert(f["action"].get<std::string>());
    if (message.starts_with("role/service/dbt-runner: ")) {
      runner.insert(f["action"].get<std::string>());
    }
  }
  EXPECT_TRUE(alice.count("glue:GetDatabase") > 0 && runner.count("glue:GetDatabase") > 0);
  std::set<std::string> fingerprints;
  for (const auto& f : doc["findings"]) {
    // Every finding points into the file, even for a user with no policy.
    EXPECT_THAT(f["file"].get<std::string>(), HasSubstr("account-authorization-details.json"));
    EXPECT_GT(f["line"].get<int>(), 0) << f.dump();
    fingerprints.insert(f["message"].get<std::string>().substr(0, 6) + f["action"].dump() +
                        f["resource"].dump() + f["id"].dump());
  }
  const testing::TempDir dir;
  r = Check({file, "--write-baseline", dir.File("b.json")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto baseline = nlohmann::json::parse(testing::ReadFile(dir.File("b.json")));
  std::set<std::string> recorded;
  for (const auto& e : baseline["entries"]) recorded.insert(e["fingerprint"].get<std::string>());
  EXPECT_EQ(recorded.size(), baseline["entries"].size());
  EXPECT_EQ(recorded.size(), fingerprints.size());

  r = Check({file, "--principal", "dbt-runner"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Count(r.out, "Audit of "), 1u);
  EXPECT_THAT(r.out, HasSubstr("(role/service/dbt-runner)"));

  r = Check({file, "--principal", "nobody"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("--principal 'nobody' names none of the principals found; they "
                               "are:\n  role/service/dbt-runner"));
}

// A managed policy that every role of an account attaches is linted once for
// the file, not once per role: a lint finding is about the document (two
// roles attaching it do not make two problems), while what each role may do
// (risk, gaps) stays per role.
TEST(CmdCheckFormatsTest, AManagedPolicySeveralPrincipalsAttachIsLintedOnce) {
  const std::string shared =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": ["s3:Get*", "s3:GetObject"], "Resource": "arn:aws:s3:::acme-lake/*"}]})";
  const auto role = [&](const std::string& name) {
    return R"({"RoleName": ")" + name + R"(", "Arn": "arn:aws:iam::111122223333:role/)" + name +
           R"(", "RolePolicyList": [{"PolicyName": "own", "PolicyDocument": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Action": ["glue:Get*", "glue:GetTable"], "Resource": "*"}]}}],
           "AttachedManagedPolicies": [{"PolicyName": "lake", "PolicyArn": "arn:aws:iam::111122223333:policy/lake"}]})";
  };
  const std::string details =
      R"({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [)" + role("etl") + ", " +
      role("bi") +
      R"(], "Policies": [{"PolicyName": "lake", "Arn": "arn:aws:iam::111122223333:policy/lake",
      "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
      "Document": )" +
      shared + R"(}]}]})";
  const testing::TempDir dir;
  testing::WriteFile(dir.File("details.json"), details);
  const CommandResult r = Check({dir.File("details.json"), "--format", "json"});
  ASSERT_NE(r.exit_code, 2) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  std::size_t shared_redundant = 0, own_redundant = 0;
  std::set<std::string> gaps;
  for (const auto& f : doc["findings"]) {
    if (f["id"] == "redundant-action") {
      const std::string message = f["message"];
      EXPECT_EQ(f["principal"], "") << f.dump();  // about the document, not a role
      if (message.find("s3:GetObject") != std::string::npos) ++shared_redundant;
      if (message.find("glue:GetTable") != std::string::npos) ++own_redundant;
    }
    if (f["id"] == "missing-permission") gaps.insert(f["principal"].get<std::string>());
  }
  EXPECT_EQ(shared_redundant, 1u) << doc.dump(2);  // one managed policy, two roles
  EXPECT_EQ(own_redundant, 2u) << doc.dump(2);     // each role's own inline policy
  EXPECT_EQ(gaps, (std::set<std::string>{"role/bi", "role/etl"})) << doc.dump(2);
}

TEST(CmdCheckFormatsTest, CloudFormationParametersComeFromVarWithoutClashingWithTheProfile) {
  const std::string file = Format("cloudformation.yaml");
  CommandResult r = Check({file});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The profile's region_name and account_id give the pseudo parameters.
  EXPECT_THAT(r.err, Not(HasSubstr("AWS::Region is not known offline")));
  EXPECT_THAT(r.err, Not(HasSubstr("AWS::AccountId is not known offline")));
  EXPECT_THAT(r.out, HasSubstr("(AWS::IAM::Role DbtRunnerRole) against profile dbt-athena"));
  // Pseudo parameters given with --var resolve the template; they are not
  // profile variables, so they are no "unknown variable" error.
  r = Check({file, "--var", "AWS::Region=eu-west-1", "--var", "AWS::AccountId=111122223333"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("AWS::Region is not known")));
  // A --var neither the profile nor the template knows still is.
  r = Check({file, "--var", "schemas=x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown variable 'schemas'"));
}

TEST(CmdCheckFormatsTest, AFileInNoKnownFormatIsExitTwoNamingTheFormats) {
  const CommandResult r = Check({Format("unknown-format.json")}, false);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.out, HasSubstr("unknown-format.json:1:1: error: cannot tell what kind of input"));
  for (const char* name :
       {"policy", "aws-cli", "account-authorization-details", "cloudformation", "terraform"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("\n  ") + name + ": "));
  }
  // A format forced with --input-format that does not fit is exit 2 too.
  const CommandResult forced = Check({Format("policy.json"), "--input-format", "terraform"}, false);
  EXPECT_EQ(forced.exit_code, 2);
  EXPECT_EQ(Check({Format("policy.json"), "--input-format", "policy"}, false).exit_code, 0);
  EXPECT_EQ(Check({Format("policy.json"), "--input-format", "xml"}, false).exit_code, 2);
  // A JSON-only format forced on YAML says what the file looks like (issue 14
  // defect 11), not where its JSON breaks; the file is named once.
  const CommandResult yaml =
      Check({Format("cloudformation.yaml"), "--input-format", "terraform"}, false);
  EXPECT_EQ(yaml.exit_code, 2);
  EXPECT_THAT(yaml.out, HasSubstr("cloudformation.yaml: error: --input-format terraform: this is "
                                  "not `terraform show -json` output (plan or state) or a .tfstate "
                                  "file (it is YAML, not JSON: it looks like a CloudFormation "
                                  "template"));
  EXPECT_THAT(yaml.out + yaml.err, Not(HasSubstr("expected a JSON value")));
  const CommandResult policy =
      Check({Format("policy.yaml"), "--input-format", "account-authorization-details"}, false);
  EXPECT_EQ(policy.exit_code, 2);
  EXPECT_THAT(policy.out, HasSubstr("it looks like a policy document"));
  EXPECT_THAT(policy.out, Not(HasSubstr("policy.yaml: error: " + Format("policy.yaml"))));
}

TEST(CmdCheckFormatsTest, DirectoryScansReadEveryFormatAndSkipTheRest) {
  // The tree holds a policy, a CloudFormation stack, a Terraform state, a
  // docker-compose file and a package.json: the last two are not IAM.
  CommandResult r = testing::RunIamAudit(
      {"check", Format("tree"), "--no-config", "--verbose", "--fail-on", "never"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("skipped as plainly not IAM"));
  r = testing::RunIamAudit({"check",       Format("tree"),
                            "--no-config", "--fail-on",
                            "never",       "--format",
                            "json",        "--each",
                            "--profile",   "dbt-athena",
                            "--var",       "region_name=eu-west-1",
                            "--var",       "account_id=111122223333",
                            "--var",       "schema=analytics",
                            "--var",       "s3_staging_dir=s3://acme-athena-results/dbt/",
                            "--var",       "s3_data_dir=s3://acme-lake/dbt/"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("stack.yaml"));
  EXPECT_THAT(r.out, HasSubstr("terraform.tfstate"));
  EXPECT_THAT(r.out, HasSubstr("s3-read.json"));
}

TEST(CmdCheckFormatsTest, AGapTwoGroupsShareIsOneFindingNamingBothInEveryFormat) {
  // Issue 14 defect 8: glue:GetDatabase on the catalog is required by
  // glue-write-databases (dbt's own calls) and glue-write-athena (Athena's
  // DDL). With neither granted, it is one finding, counted once.
  const testing::TempDir dir;
  const std::string file = dir.File("policy.json");
  testing::WriteFile(file, R"({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-lake"}]})");
  const std::string catalog = "arn:aws:glue:eu-west-1:111122223333:catalog";
  const std::string both =
      "(required by profile groups glue-write-databases and glue-write-athena)";

  CommandResult r = Check({file, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  int n = 0;
  std::set<std::string> fingerprints;
  for (const auto& f : doc["findings"]) {
    fingerprints.insert(f["fingerprint"].get<std::string>());
    if (f["action"] != "glue:GetDatabase" || f["resource"] != catalog) continue;
    ++n;
    EXPECT_EQ(f["group"], "glue-write-databases");
    EXPECT_EQ(f["groups"], nlohmann::json::array({"glue-write-databases", "glue-write-athena"}));
    EXPECT_THAT(f["message"].get<std::string>(), HasSubstr(both));
  }
  EXPECT_EQ(n, 1);
  EXPECT_EQ(fingerprints.size(), doc["findings"].size());  // no two findings alike
  EXPECT_EQ(doc["summary"]["error"].get<std::size_t>() +
                doc["summary"]["warning"].get<std::size_t>() +
                doc["summary"]["note"].get<std::size_t>(),
            doc["findings"].size());

  r = Check({file, "--format", "sarif"});
  const auto sarif = nlohmann::json::parse(r.out);
  n = 0;
  for (const auto& result : sarif["runs"][0]["results"]) {
    const auto& p = result["properties"];
    if (p.value("action", "") != "glue:GetDatabase" || p.value("resource", "") != catalog) continue;
    ++n;
    EXPECT_EQ(p["groups"], nlohmann::json::array({"glue-write-databases", "glue-write-athena"}));
    EXPECT_THAT(result["message"]["text"].get<std::string>(), HasSubstr(both));
  }
  EXPECT_EQ(n, 1);

  r = Check({file, "--format", "github"});
  EXPECT_EQ(Count(r.out, "glue:GetDatabase on " + catalog + " is not allowed"), 1u) << r.out;
  EXPECT_EQ(Count(r.out, "glue:GetDatabase on " + catalog + " is not allowed: no statement " +
                             "allows it " + both),
            1u);

  // The text report shows the requirement under each group, with the one
  // finding naming both.
  r = Check({file});
  EXPECT_EQ(Count(r.out, "glue:GetDatabase on " + catalog + " is not allowed: no statement " +
                             "allows it " + both),
            2u)
      << r.out;
}

}  // namespace
}  // namespace iam_audit
