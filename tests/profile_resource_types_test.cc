// Resource-type matching (src/profile_resource_types.cc): the profile uses the
// engine's ARN parser, so a template the evaluator reads as an ARN pattern is
// one here too (issue 10: `arn:aws:logs:${region}:*` was "not an ARN
// template" and `profiles show` exited 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "iam_audit/profile.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunIamAudit;
using testing::TempDir;
using testing::TestCatalog;
using ::testing::UnorderedElementsAre;
using testing::WriteFile;

const char kLogsProfile[] =
    "name: logs\n"
    "variables:\n"
    "  region: {required: true}\n"
    "groups:\n"
    "  - id: logs\n"
    "    title: Write logs\n"
    "    origin: code\n"
    "    actions: [logs:CreateLogGroup, logs:PutLogEvents]\n"
    "    resources: ['arn:aws:logs:${region}:*']\n";

TEST(ProfileResourceTypes, ATemplateCutShortWithAStarIsAnArnPattern) {
  const ProfileLoadResult r = Profile::Load(kLogsProfile, "logs.yaml", TestCatalog());
  ASSERT_TRUE(r.profile) << r.errors.front().ToString();
  const ProfileGroup& g = r.profile->groups().front();
  ASSERT_FALSE(g.resources.front().types.empty());
  const std::vector<Requirement> reqs =
      r.profile->Requirements(r.profile->Bind({{"region", {"us-east-1"}, false, "--var"}}));
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Requirement& q : reqs) pairs.emplace_back(q.action, q.resource);
  EXPECT_THAT(
      pairs,
      UnorderedElementsAre(
          std::pair<std::string, std::string>("logs:CreateLogGroup", "arn:aws:logs:us-east-1:*"),
          std::pair<std::string, std::string>("logs:PutLogEvents", "arn:aws:logs:us-east-1:*")));
}

TEST(ProfileResourceTypes, ProfilesShowAndAuditAgreeOnIt) {
  TempDir dir;
  WriteFile(dir.File("logs.yaml"), kLogsProfile);
  const CommandResult show =
      RunIamAudit({"profiles", "show", dir.File("logs.yaml"), "--var", "region=us-east-1"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("arn:aws:logs:us-east-1:*"));
  WriteFile(dir.File("p.json"),
            R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:PutLogEvents"],
                "Resource": "arn:aws:logs:us-east-1:*"}]})");
  const CommandResult audit = RunIamAudit(
      {dir.File("p.json"), "--profile", dir.File("logs.yaml"), "--var", "region=us-east-1"});
  EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
}

TEST(ProfileResourceTypes, NotArnShapedIsStillAnError) {
  const ProfileLoadResult r = Profile::Load(
      "name: t\n"
      "groups:\n"
      "  - {id: g, title: G, origin: code, actions: [s3:GetObject], resources: ['bucket/*']}\n",
      "t.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  EXPECT_THAT(r.errors.front().ToString(), HasSubstr("is not an ARN template"));
}

// The matcher remembers a template's types for the next group with the same
// template and services; with other services the same template is matched
// again (and here fails, at its own location).
TEST(ProfileResourceTypes, ARepeatedTemplateIsMatchedPerSetOfServices) {
  const ProfileLoadResult r = Profile::Load(
      "name: t\n"
      "groups:\n"
      "  - {id: a, title: A, origin: code, actions: [s3:GetObject], resources: "
      "['arn:aws:s3:::b/*']}\n"
      "  - {id: b, title: B, origin: code, actions: [s3:PutObject], resources: "
      "['arn:aws:s3:::b/*']}\n"
      "  - {id: c, title: C, origin: code, actions: [glue:GetTable], resources: "
      "['arn:aws:s3:::b/*']}\n",
      "t.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().where.line, 5);
  EXPECT_THAT(r.errors.front().message, HasSubstr("matches no resource type of service glue"));

  const ProfileLoadResult ok = Profile::Load(
      "name: t\n"
      "groups:\n"
      "  - {id: a, title: A, origin: code, actions: [s3:GetObject], resources: "
      "['arn:aws:s3:::b/*']}\n"
      "  - {id: b, title: B, origin: code, actions: [s3:PutObject], resources: "
      "['arn:aws:s3:::b/*']}\n",
      "t.yaml", TestCatalog());
  ASSERT_TRUE(ok.profile) << ok.errors.front().ToString();
  for (const ProfileGroup& g : ok.profile->groups()) {
    ASSERT_EQ(g.resources.front().types.size(), 1u) << g.id;
    EXPECT_EQ(g.resources.front().types.front().name, "object") << g.id;
  }
}

}  // namespace
}  // namespace iam_audit
