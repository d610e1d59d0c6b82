// `iam-audit generate`, run as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "iam_audit/policy_generator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::MatchesGolden;
using testing::RunIamAudit;
using testing::TestData;

std::vector<std::string> Generate(std::vector<std::string> more) {
  std::vector<std::string> args = {"generate",
                                   "--profile",
                                   "dbt-athena",
                                   "--var",
                                   "region_name=eu-west-1",
                                   "--var",
                                   "account_id=111122223333",
                                   "--var",
                                   "s3_staging_dir=s3://acme-athena-results/dbt/",
                                   "--var",
                                   "read_databases=raw",
                                   "--var",
                                   "read_locations=s3://acme-lake/raw/"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string ManyDatabases(int n) {
  std::string dbs;
  for (int i = 0; i < n; ++i) dbs += (i ? "," : "") + std::string("dbt_mart_") + std::to_string(i);
  return dbs;
}

TEST(CmdGenerateTest, DbtAthenaGolden) {
  const CommandResult r = RunIamAudit(Generate({"--var", "schema=analytics"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(MatchesGolden(r.out, "profiles/generate_dbt_athena.json"));
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["Version"], "2012-10-17");
  EXPECT_LE(PolicySize(r.out), kManagedPolicyMaxSize);
}

TEST(CmdGenerateTest, ReadsDbtProfiles) {
  // DBT_SCHEMA is not set: --var schema takes its place, the file gives the rest.
  const CommandResult r = RunIamAudit({"generate", "--profile", "dbt-athena", "--dbt-profiles",
                                       TestData("profiles/dbt/profiles.yml"), "--var",
                                       "account_id=111122223333", "--var", "schema=marts"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("arn:aws:athena:eu-west-1:111122223333:workgroup/analytics-dev"));
  EXPECT_THAT(r.out, HasSubstr("arn:aws:s3:::acme-lake-dev/dbt/*"));
  EXPECT_THAT(r.out, HasSubstr("arn:aws:glue:eu-west-1:111122223333:table/marts/*"));
}

TEST(CmdGenerateTest, ManyWriteDatabasesAreSplit) {
  const CommandResult r = RunIamAudit(
      Generate({"--var", "schema=analytics", "--var", "write_databases=" + ManyDatabases(60)}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("more than the 6144 one policy may hold (whitespace not counted); "
                               "split into "));
  const nlohmann::json docs = nlohmann::json::parse(r.out);
  ASSERT_TRUE(docs.is_array());
  ASSERT_GE(docs.size(), 2u);
  for (const nlohmann::json& d : docs) {
    EXPECT_EQ(d["Version"], "2012-10-17");
    EXPECT_LE(d.dump().size(), kManagedPolicyMaxSize);
  }
}

TEST(CmdGenerateTest, OutputDirWritesOneFilePerPolicy) {
  testing::TempDir dir;
  const CommandResult r = RunIamAudit(
      Generate({"--var", "schema=analytics", "--var", "write_databases=" + ManyDatabases(60),
                "--output-dir", dir.path(), "--name", "dbt"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("wrote " + dir.File("dbt-1.json")));
  EXPECT_TRUE(std::filesystem::exists(dir.File("dbt-2.json")));
  const nlohmann::json doc = nlohmann::json::parse(testing::ReadFile(dir.File("dbt-1.json")));
  EXPECT_EQ(doc["Version"], "2012-10-17");
}

TEST(CmdGenerateTest, InputErrorsAreExit2) {
  CommandResult r = RunIamAudit(Generate({}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("missing required variable 'schema'"));
  EXPECT_THAT(r.err, HasSubstr("--var schema=VALUE"));
  r = RunIamAudit({"generate", "--profile", TestData("profiles/errors.yaml")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("errors.yaml:15:25: in 'when'"));
  r = RunIamAudit(Generate({"--var", "schema=x", "--var", "bogus"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'bogus' is not KEY=VALUE"));
  r = RunIamAudit({"generate", "--var", "schema=x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--profile is required"));
}

}  // namespace
}  // namespace iam_audit
