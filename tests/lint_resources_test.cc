// The Resource lint rules (src/lint_resources.cc). Sources: AWS "IAM
// identifiers" (ARN format), "IAM JSON policy elements: Resource", the
// Service Authorization Reference's resource types.
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace iam_audit::testing {
namespace {

std::string Allow(const std::string& action, const std::string& resource) {
  return R"({"Effect": "Allow", "Action": ")" + action + R"(", "Resource": ")" + resource + "\"}";
}

class LintResourcesTest : public LintRuleTest {};
TEST_P(LintResourcesTest, Reports) { CheckLintCase(GetParam()); }

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, LintResourcesTest, ::testing::Values(
    // invalid-arn
    LintCase{"missing_fields", "invalid-arn", Allow("s3:GetObject", "arn:aws:s3:bucket"), true,
             std::nullopt, "of the 6 ARN fields"},
    LintCase{"bad_partition", "invalid-arn", Allow("s3:GetObject", "arn:amazon:s3:::b/*"), true},
    LintCase{"service_upper_case", "invalid-arn", Allow("s3:GetObject", "arn:aws:S3:::b/*"), true},
    LintCase{"bad_region", "invalid-arn",
             Allow("glue:GetTable", "arn:aws:glue:useast1:111122223333:table/d/t"), true},
    LintCase{"bad_account", "invalid-arn",
             Allow("glue:GetTable", "arn:aws:glue:us-east-1:account-A-id:table/d/t"), true},
    LintCase{"s3_with_account", "invalid-arn",
             Allow("s3:GetObject", "arn:aws:s3::111122223333:b/*"), true, std::nullopt,
             "bucket or object ARN"},
    LintCase{"s3_access_point_has_account", "invalid-arn",
             Allow("s3:GetObject", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/*"), false},
    LintCase{"wildcard_fields", "invalid-arn", Allow("glue:GetTable", "arn:aws:glue:*:*:table/*"), false},
    LintCase{"variable_and_cfn_sub", "invalid-arn",
             Allow("athena:GetWorkGroup", "arn:${AWS::Partition}:athena:${AWS::Region}:111122223333:workgroup/w"), false},
    LintCase{"iso_partition", "invalid-arn", Allow("s3:GetObject", "arn:aws-iso-b:s3:::b/*"), false},
    LintCase{"managed_policy_account_aws", "invalid-arn",
             Allow("iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess"), false},
    // resource-type-mismatch
    LintCase{"list_bucket_on_objects", "resource-type-mismatch", Allow("s3:ListBucket", "arn:aws:s3:::b/*"),
             true, std::nullopt, "arn:${Partition}:s3:::${BucketName}"},
    LintCase{"get_object_on_bucket", "resource-type-mismatch", Allow("s3:GetObject", "arn:aws:s3:::b"), true},
    LintCase{"list_all_buckets_on_arn", "resource-type-mismatch",
             Allow("s3:ListAllMyBuckets", "arn:aws:s3:::b"), true, std::nullopt, "only Resource '*'"},
    LintCase{"get_object_on_objects", "resource-type-mismatch", Allow("s3:GetObject", "arn:aws:s3:::b/*"), false},
    LintCase{"list_bucket_on_bucket", "resource-type-mismatch", Allow("s3:ListBucket", "arn:aws:s3:::b"), false},
    LintCase{"star_fits_all", "resource-type-mismatch", Allow("s3:ListAllMyBuckets", "*"), false},
    LintCase{"variable_may_fit", "resource-type-mismatch",
             Allow("s3:GetObject", "arn:aws:s3:::b/${aws:username}"), false},
    LintCase{"deny_not_checked", "resource-type-mismatch",
             R"({"Effect": "Deny", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b/*"})", false},
    LintCase{"wildcard_action_not_checked", "resource-type-mismatch", Allow("s3:List*", "arn:aws:s3:::b/*"), false},
    LintCase{"unknown_type_no_verdict", "resource-type-mismatch",
             Allow("s3:GetObject", "arn:aws:s3:us-east-1:111122223333:brand-new-type/x"), false},
    // missing-resource
    LintCase{"no_resource", "missing-resource", R"({"Effect": "Allow", "Action": "s3:GetObject"})", true},
    LintCase{"resource_policy_implies_resource", "missing-resource",
             R"({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject"})", false},
    LintCase{"trust_policy_has_none", "missing-resource",
             R"({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})", false}
), kLintCaseName);
// clang-format on

}  // namespace
}  // namespace iam_audit::testing
