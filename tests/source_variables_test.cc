// CloudFormation pseudo parameters from the audit's variables: a template
// using ${AWS::Region}, ${AWS::AccountId} and ${AWS::Partition}, audited with
// the profile's region_name and account_id (or its dbt profiles.yml), reads
// them as those values; --var AWS::Region=... wins; simulate takes --var too.
#include "source_variables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

const std::string kTemplate = "examples/cloudformation/dbt-role.yaml";

std::string Source(const std::string& relative) {
  return std::string(IAM_AUDIT_SOURCE_DIR) + "/" + relative;
}

TEST(SourceVariablesTest, PseudoParametersFromProfileVariables) {
  Bindings b;
  b["region_name"] = {{"cn-north-1"}, {}, "--var"};
  b["account_id"] = {{"111122223333"}, {}, "profiles.yml:3:5"};
  b["partition"] = {{"aws"}, {}, "default"};
  SourceVariableMap vars = {{"AWS::AccountId", "999999999999"}};
  AddPseudoParameters(b, vars);
  // The given --var wins; a defaulted partition is left to the region's.
  EXPECT_THAT(
      vars, ElementsAre(Pair("AWS::AccountId", "999999999999"), Pair("AWS::Region", "cn-north-1")));
  b["partition"] = {{"aws-cn"}, {}, "--var"};
  AddPseudoParameters(b, vars);
  EXPECT_THAT(vars,
              ElementsAre(Pair("AWS::AccountId", "999999999999"), Pair("AWS::Partition", "aws-cn"),
                          Pair("AWS::Region", "cn-north-1")));
}

TEST(SourceVariablesTest, SettingsWithAProfileGivePseudoParameters) {
  ResolvedSettings s;
  s.profile = "dbt-athena";
  s.vars.vars = {"account_id=111122223333", "Environment=prod", "read_databases=raw"};
  s.vars.dbt.path = Source("examples/dbt-athena/profiles.yml");
  const SourceVariableMap vars = SourceVariables(s, testing::TestCatalog());
  // region_name from the profiles.yml; Environment (not a profile variable)
  // is kept for the template and does not stop the profile's resolution.
  EXPECT_THAT(vars, ElementsAre(Pair("AWS::AccountId", "111122223333"),
                                Pair("AWS::Region", "eu-west-1"), Pair("Environment", "prod"),
                                Pair("account_id", "111122223333"), Pair("read_databases", "raw")));
  // Without a profile: only the --var assignments.
  s.profile.clear();
  EXPECT_EQ(SourceVariables(s, testing::TestCatalog()).count("AWS::Region"), 0u);
  // A profile that cannot be resolved gives no pseudo parameter (the audit
  // reports its error).
  s.profile = "dbt-athena";
  s.vars.dbt.path.clear();
  s.vars.vars = {"account_id=111122223333"};
  EXPECT_EQ(SourceVariables(s, testing::TestCatalog()).count("AWS::AccountId"), 0u);
}

TEST(SourceVariablesTest, TemplateAuditedWithTheProfilesRegionAndAccount) {
  const std::vector<std::string> args = {"check",
                                         kTemplate,
                                         "--no-config",
                                         "--profile",
                                         "dbt-athena",
                                         "--dbt-profiles",
                                         "examples/dbt-athena/profiles.yml",
                                         "--var",
                                         "account_id=111122223333",
                                         "--var",
                                         "read_databases=raw",
                                         "--var",
                                         "read_locations=s3://acme-data-lake/raw/"};
  testing::CommandResult r = testing::RunIamAudit(args, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("0 missing"));
  EXPECT_THAT(r.out, HasSubstr("athena:StartQueryExecution     "
                               "arn:aws:athena:eu-west-1:111122223333:workgroup/dbt-dev"));
  EXPECT_THAT(r.err, Not(HasSubstr("AWS::Region")));

  // --var AWS::Region overrides the profile's region: the template then
  // grants in another region than dbt uses.
  std::vector<std::string> other = args;
  other.insert(other.end(), {"--var", "AWS::Region=us-east-1"});
  r = testing::RunIamAudit(other, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr(" 0 missing")));
}

TEST(SourceVariablesTest, LintTakesTheVarItsNotesAskFor) {
  // Without a profile, a template's notes say "pass --var AWS::AccountId=VALUE":
  // that --var is accepted, and resolves the value.
  testing::CommandResult r =
      testing::RunIamAudit({"check", kTemplate, "--no-config"}, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("pass --var AWS::AccountId=VALUE"));
  r = testing::RunIamAudit({"check", kTemplate, "--no-config", "--var",
                            "AWS::AccountId=111122223333", "--var", "AWS::Region=eu-west-1"},
                           "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("not known offline")));
  // A --var no template uses still needs a profile.
  r = testing::RunIamAudit({"check", kTemplate, "--no-config", "--var", "region_name=eu-west-1"},
                           "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--var region_name needs a profile"));
  r = testing::RunIamAudit(
      {"check", "examples/lint/admin.json", "--no-config", "--var", "AWS::Region=eu-west-1"}, "",
      IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 2);
}

TEST(SourceVariablesTest, SimulateTakesVar) {
  const std::vector<std::string> base = {
      "simulate",   kTemplate,
      "--action",   "athena:StartQueryExecution",
      "--resource", "arn:aws:athena:eu-west-1:111122223333:workgroup/dbt-dev"};
  testing::CommandResult r = testing::RunIamAudit(base, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_THAT(r.out, HasSubstr("implicit_deny: athena:StartQueryExecution")) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("pass --var AWS::Region=VALUE"));

  std::vector<std::string> args = base;
  args.insert(args.end(),
              {"--var", "AWS::Region=eu-west-1", "--var", "AWS::AccountId=111122223333"});
  r = testing::RunIamAudit(args, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("allowed: athena:StartQueryExecution"));
  EXPECT_THAT(r.out, HasSubstr("examples/cloudformation/dbt-role.yaml:"));

  args.back() = "AWS::AccountId";  // no '='
  r = testing::RunIamAudit(args, "", IAM_AUDIT_SOURCE_DIR);
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace iam_audit
