// `iam-audit profiles` and `iam-audit profiles show`, run as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::MatchesGolden;
using testing::RunIamAudit;
using ::testing::StartsWith;
using testing::TestData;

const std::vector<std::string> kDbtVars = {
    "--var", "region_name=eu-west-1", "--var", "account_id=111122223333",
    "--var", "schema=analytics",      "--var", "s3_staging_dir=s3://acme-results/dbt/"};

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(CmdProfilesTest, ListsTheBuiltinProfiles) {
  const CommandResult r = RunIamAudit({"profiles"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("dbt-athena  IAM permissions for dbt-athena"));
  EXPECT_EQ(r.err, "");
}

TEST(CmdProfilesTest, ShowsVariablesGroupsAndChecks) {
  const CommandResult r = RunIamAudit({"profiles", "show", "dbt-athena"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("dbt-athena (rules/dbt-athena.yaml)\n"));
  EXPECT_THAT(r.out, HasSubstr("  work_group                  string                optional\n"));
  EXPECT_THAT(r.out, HasSubstr("  glue-write-athena: Glue: create and change"));
  EXPECT_THAT(r.out, HasSubstr("      glue:CreateDatabase        [1] [2] [3]\n"));
  EXPECT_THAT(r.out, HasSubstr("      glue:GetTable              [1] [2] [3] [4] [5]\n"));
  EXPECT_THAT(r.out, HasSubstr("aws:CalledVia=(absent);"));
  EXPECT_THAT(r.out,
              HasSubstr("Not supported (refused with exit 2):\n  when lower(database) matches"));
  EXPECT_THAT(r.out, HasSubstr("(glue:rootcatalog)"));
  EXPECT_THAT(r.out, HasSubstr("      lakeformation:GetDataAccess  *\n"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("requirements in total")));
}

TEST(CmdProfilesTest, ShowsConcreteRequirementsWithVariables) {
  const CommandResult r = RunIamAudit(With({"profiles", "show", "dbt-athena"}, kDbtVars));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("value: analytics  (--var schema)"));
  EXPECT_THAT(r.out, HasSubstr("value: s3://acme-results/dbt/tables/  (default)"));
  EXPECT_THAT(r.out, HasSubstr("      glue:CreateDatabase        "
                               "arn:aws:glue:eu-west-1:111122223333:database/analytics\n"));
  EXPECT_THAT(r.out, HasSubstr("    => off (when: lake_formation)\n"));
  // Each group's request context as audited, variables substituted.
  EXPECT_THAT(r.out, HasSubstr("    => request context audited: aws:SecureTransport=true; "
                               "aws:RequestedRegion=eu-west-1; aws:ViaAWSService=true; "
                               "aws:CalledVia=athena.amazonaws.com;\n"));
  EXPECT_THAT(r.out, HasSubstr("aws:CalledVia=(absent); s3:prefix=dbt/tables/;\n"));
  EXPECT_THAT(r.out, HasSubstr("requirements in total\n"));
}

TEST(CmdProfilesTest, UserProfileGolden) {
  const CommandResult r =
      RunIamAudit({"profiles", "show", TestData("profiles/minimal.yaml"), "--var", "bucket=bk",
                   "--var", "encrypt=true", "--var", "key_arn=arn:aws:kms:eu-west-1:1:key/k"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The file name in the first line depends on the checkout; compare the rest.
  EXPECT_TRUE(MatchesGolden(r.out.substr(r.out.find('\n') + 1), "profiles/show_minimal.txt"));
}

TEST(CmdProfilesTest, BadProfileIsExit2WithLocations) {
  const std::string file = TestData("profiles/errors.yaml");
  const CommandResult r = RunIamAudit({"profiles", "show", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(file + ":11:5: unknown key 'resourcez' in group 'typo-key'"));
  EXPECT_THAT(r.err, HasSubstr(file + ":32:31: unknown variable 'regoin'"));
}

TEST(CmdProfilesTest, UnknownProfileAndMissingVariables) {
  CommandResult r = RunIamAudit({"profiles", "show", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown profile 'nope' (built-in profiles: dbt-athena"));
  r = RunIamAudit({"profiles", "show", "dbt-athena", "--var", "schema=x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("missing required variable 'region_name'"));
  r = RunIamAudit({"profiles", "show", "dbt-athena", "--dbt-target", "dev"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--dbt-profiles"));
}

}  // namespace
}  // namespace iam_audit
