// The index that finds the resource policies governing a request among
// thousands without a scan (src/resource_policy.cc; ResourcePolicyCovers
// itself is tested in principal_test.cc).
#include "iam_audit/resource_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<ResourcePolicy> Policies(const std::vector<std::string>& arns) {
  std::vector<ResourcePolicy> out;
  for (const std::string& arn : arns) out.push_back({arn, "", Policy{}});
  return out;
}

TEST(ResourcePolicyIndexTest, FindsThePolicyOfEachKindOfResource) {
  const std::vector<ResourcePolicy> policies = Policies({
      "arn:aws:iam::111122223333:role/a",             // 0: a trust policy
      "arn:aws:s3:::data",                            // 1: a bucket policy
      "arn:aws:glue:eu-west-1:111122223333:catalog",  // 2: a Data Catalog policy
      "arn:aws:kms:eu-west-1:111122223333:key/k1",    // 3: a key policy
      "",                                             // 4: whatever is requested
      "arn:aws:iam::111122223333:role/b",             // 5: another trust policy
      "arn:aws:s3:::data",                            // 6: the same bucket again
  });
  const ResourcePolicyIndex index(policies);
  EXPECT_THAT(index.Governing("arn:aws:iam::111122223333:role/a"), ElementsAre(0, 4));
  EXPECT_THAT(index.Governing("arn:aws:iam::111122223333:role/b"), ElementsAre(4, 5));
  EXPECT_THAT(index.Governing("arn:aws:s3:::data/dbt/*"), ElementsAre(1, 4, 6));
  EXPECT_THAT(index.Governing("arn:aws:glue:eu-west-1:111122223333:table/raw/*"),
              ElementsAre(2, 4));
  EXPECT_THAT(index.Governing("arn:aws:kms:eu-west-1:111122223333:key/k1"), ElementsAre(3, 4));
  // Case: partition, service and region compare in any case, the rest exactly.
  EXPECT_THAT(index.Governing("arn:AWS:KMS:EU-WEST-1:111122223333:key/k1"), ElementsAre(3, 4));
  EXPECT_THAT(index.Governing("arn:aws:kms:eu-west-1:111122223333:key/K1"), ElementsAre(4));
}

TEST(ResourcePolicyIndexTest, FindsNothingForOtherResources) {
  const ResourcePolicyIndex index(Policies({"arn:aws:iam::111122223333:role/a", "arn:aws:s3:::data",
                                            "arn:aws:glue:eu-west-1:111122223333:catalog"}));
  EXPECT_THAT(index.Governing("arn:aws:iam::111122223333:role/a2"), IsEmpty());
  EXPECT_THAT(index.Governing("arn:aws:iam::444455556666:role/a"), IsEmpty());  // other account
  EXPECT_THAT(index.Governing("arn:aws:s3:::data-2/k"), IsEmpty());
  EXPECT_THAT(index.Governing("arn:aws:glue:us-east-1:111122223333:table/raw/t"), IsEmpty());
  EXPECT_THAT(index.Governing("*"), IsEmpty());
  EXPECT_THAT(index.Governing("not an arn"), IsEmpty());
}

// The index answers exactly what a scan with ResourcePolicyCovers answers.
TEST(ResourcePolicyIndexTest, AgreesWithAScan) {
  const std::vector<std::string> arns = {
      "arn:aws:iam::111122223333:role/a",
      "arn:aws:iam::111122223333:role/a/b",
      "arn:aws:s3:::data",
      "arn:aws:s3:::data/prefix",
      "arn:aws:s3:::Data",
      "arn:aws:glue:eu-west-1:111122223333:catalog",
      "arn:aws:glue:eu-west-1:111122223333:database/raw",
      "arn:aws:sqs:eu-west-1:111122223333:queue",
      "not-an-arn",
      "*",
      "arn:aws:kms:eu-west-1:111122223333:key/k1",
  };
  const std::vector<ResourcePolicy> policies = Policies(arns);
  const ResourcePolicyIndex index(policies);
  std::vector<std::string> resources = arns;
  for (const char* extra :
       {"arn:aws:s3:::data/k", "arn:aws:s3:::data/prefix/k", "arn:aws:s3:::data/*",
        "arn:aws:s3:::Data/k", "arn:aws:S3:::data/k",
        "arn:aws:glue:eu-west-1:111122223333:table/r/t",
        "arn:aws:glue:EU-WEST-1:111122223333:database/raw", "arn:aws:iam::111122223333:role/a/c",
        "arn:aws:sqs:eu-west-1:111122223333:queue2", "not-an-arn2", ""}) {
    resources.push_back(extra);
  }
  for (const std::string& r : resources) {
    std::vector<std::size_t> scan;
    for (std::size_t i = 0; i < arns.size(); ++i) {
      if (ResourcePolicyCovers(arns[i], r)) scan.push_back(i);
    }
    EXPECT_EQ(index.Governing(r), scan) << r;
  }
}

}  // namespace
}  // namespace iam_audit
