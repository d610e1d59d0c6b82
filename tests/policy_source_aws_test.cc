// Account authorization details at scale (issue 16, defect 5): a managed
// policy attached to many principals is parsed once and shared, never copied
// per principal. (The format's reading is tested in policy_source_test.cc.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "iam_audit/policy_source.h"
#include "iam_audit/source_file.h"

namespace iam_audit {
namespace {

using ::testing::SizeIs;

// `roles` roles attaching one managed policy of `statements` statements (the
// issue's input had 2,500 of each: 2.8 GB and 8 s when copied per role), and
// `users` users in one group that attaches it too.
std::string OnePolicyEverywhere(int roles, int users, int statements) {
  const std::string arn = "arn:aws:iam::111122223333:policy/big";
  const std::string attached =
      "\"AttachedManagedPolicies\":[{\"PolicyName\":\"big\",\"PolicyArn\":\"" + arn + "\"}]";
  std::string out = "{\"RoleDetailList\":[";
  for (int r = 0; r < roles; ++r) {
    out += std::string(r ? "," : "") + "{\"RoleName\":\"r" + std::to_string(r) +
           "\",\"Arn\":\"arn:aws:iam::111122223333:role/r" + std::to_string(r) + "\"," + attached +
           "}";
  }
  out += "],\"UserDetailList\":[";
  for (int u = 0; u < users; ++u) {
    out += std::string(u ? "," : "") + "{\"UserName\":\"u" + std::to_string(u) +
           "\",\"Arn\":\"arn:aws:iam::111122223333:user/u" + std::to_string(u) +
           "\",\"GroupList\":[\"g\"]}";
  }
  out +=
      "],\"GroupDetailList\":[{\"GroupName\":\"g\",\"Arn\":\"arn:aws:iam::111122223333:group/g\"," +
      attached + "}],\"Policies\":[{\"PolicyName\":\"big\",\"Arn\":\"" + arn +
      "\",\"DefaultVersionId\":\"v1\",\"PolicyVersionList\":[{\"VersionId\":\"v1\","
      "\"IsDefaultVersion\":true,\"Document\":{\"Version\":\"2012-10-17\",\"Statement\":[";
  for (int s = 0; s < statements; ++s) {
    out += std::string(s ? "," : "") +
           "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b" +
           std::to_string(s) + "/*\"}";
  }
  return out + "]}}]}]}";
}

TEST(PolicySourceAwsTest, AManagedPolicyIsParsedOnceAndShared) {
  const SourceFile file{"account.json", "account.json", OnePolicyEverywhere(200, 50, 300)};
  const PolicySourceResult r = LoadPolicySource(file, {});
  ASSERT_EQ(r.format, InputFormat::kAccountAuthorizationDetails);
  ASSERT_THAT(r.subjects, SizeIs(250));
  ASSERT_THAT(r.policies, SizeIs(1));  // the document, once, for the linter
  const Policy* shared = r.subjects[0].policies.identity.at(0).get();
  ASSERT_NE(shared, nullptr);
  EXPECT_THAT(shared->statements, SizeIs(300));
  for (const AuditSubject& s : r.subjects) {
    ASSERT_THAT(s.policies.identity, SizeIs(1)) << s.name;
    EXPECT_EQ(s.policies.identity[0].get(), shared) << s.name;  // the same object
    EXPECT_TRUE(s.complete) << s.name;
  }
  // What the evaluator takes is built per subject, on demand, and complete.
  const PolicySet set = r.subjects[7].policies.ToPolicySet();
  ASSERT_THAT(set.identity, SizeIs(1));
  EXPECT_THAT(set.identity[0].statements, SizeIs(300));
  EXPECT_EQ(set.principal, r.subjects[7].arn);
  EXPECT_FALSE(set.boundary.has_value());
}

TEST(PolicySourceAwsTest, TheBoundaryIsSharedToo) {
  std::string text = OnePolicyEverywhere(3, 0, 2);
  // Every role also has the managed policy as its permissions boundary.
  const std::string attached = "\"AttachedManagedPolicies\"";
  for (std::size_t at = text.find(attached);
       at != std::string::npos && at < text.find("UserDetailList");
       at = text.find(attached, at + 200)) {
    text.insert(at,
                "\"PermissionsBoundary\":{\"PermissionsBoundaryArn\":"
                "\"arn:aws:iam::111122223333:policy/big\"},");
  }
  const PolicySourceResult r = LoadPolicySource({"a.json", "a.json", text}, {});
  ASSERT_THAT(r.subjects, SizeIs(3));
  for (const AuditSubject& s : r.subjects) {
    ASSERT_NE(s.policies.boundary, nullptr) << s.name;
    EXPECT_EQ(s.policies.boundary.get(), r.subjects[0].policies.identity[0].get());
  }
}

}  // namespace
}  // namespace iam_audit
