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
    LintCase{"wildcard_action_some_fits", "resource-type-mismatch", Allow("s3:List*", "arn:aws:s3:::b/*"), false},
    // s3:GetObjectLockConfiguration acts on buckets: s3:Get*Object* reaches one.
    LintCase{"wildcard_action_one_fits", "resource-type-mismatch", Allow("s3:Get*Object*", "arn:aws:s3:::b"), false},
    LintCase{"wildcard_action_none_fits", "resource-type-mismatch", Allow("s3:GetObjectV*", "arn:aws:s3:::b"), true,
             std::nullopt, "matches no resource any of its"},
    LintCase{"wildcard_describe_on_an_arn", "resource-type-mismatch",
             Allow("ec2:DescribeRegion*", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"), true,
             std::nullopt, "support only Resource '*'"},
    LintCase{"wildcard_service_not_judged", "resource-type-mismatch", Allow("s3*:Get*", "arn:aws:s3:::b"), false},
    LintCase{"unknown_type_no_verdict", "resource-type-mismatch",
             Allow("s3:GetObject", "arn:aws:s3:us-east-1:111122223333:brand-new-type/x"), false},
    // missing-resource
    LintCase{"no_resource", "missing-resource", R"({"Effect": "Allow", "Action": "s3:GetObject"})", true},
    LintCase{"resource_policy_implies_resource", "missing-resource",
             R"({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject"})", false},
    LintCase{"trust_policy_has_none", "missing-resource",
             R"({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})", false},
    // redundant-resource (Access Analyzer's example)
    LintCase{"role_under_wildcard", "redundant-resource",
             R"({"Effect": "Allow", "Action": "iam:GetRole", "Resource": ["arn:aws:iam::111122223333:role/jane-admin",
                 "arn:aws:iam::111122223333:role/jane*"]})", true, std::nullopt,
             "'arn:aws:iam::111122223333:role/jane-admin' of statement #1 is already matched by 'arn:aws:iam::111122223333:role/jane*'"},
    LintCase{"resource_twice", "redundant-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/*"]})", true},
    LintCase{"star_covers_all", "redundant-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "*"]})", true},
    LintCase{"bucket_and_objects_distinct", "redundant-resource",
             R"({"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]})", false},
    LintCase{"case_differs_in_resource_part", "redundant-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/A*", "arn:aws:s3:::b/a1"]})", false},
    // resource-effectively-star
    LintCase{"every_bucket_and_object", "resource-effectively-star", Allow("s3:GetObject", "arn:aws:s3:::*"),
             true, std::nullopt, "effectively \"*\""},
    LintCase{"every_trail_any_partition", "resource-effectively-star",
             R"({"Effect": "Allow", "Action": ["cloudtrail:GetEventSelectors", "cloudtrail:PutEventSelectors"],
                 "Resource": "arn:*:cloudtrail:*:*:trail/*"})", true},
    LintCase{"trails_of_one_account", "resource-effectively-star",
             R"({"Effect": "Allow", "Action": ["cloudtrail:GetEventSelectors", "cloudtrail:PutEventSelectors"],
                 "Resource": "arn:aws:cloudtrail:us-east-1:000000000000:trail/*"})", false},
    LintCase{"objects_of_prefixed_buckets", "resource-effectively-star",
             Allow("s3:GetObject", "arn:aws:s3:::data-*/*"), false},
    LintCase{"star_itself", "resource-effectively-star", Allow("s3:GetObject", "*"), false},
    LintCase{"narrowed_by_condition", "resource-effectively-star",
             R"({"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "arn:aws:ec2:*:*:instance/*",
                 "Condition": {"StringEquals": {"aws:ResourceTag/team": "data"}}})", false},
    LintCase{"every_instance", "resource-effectively-star",
             Allow("ec2:StopInstances", "arn:aws:ec2:*:*:instance/*"), true},
    LintCase{"one_catalog_per_account", "resource-effectively-star",
             Allow("glue:GetDatabases", "arn:aws:glue:*:*:catalog"), false},
    LintCase{"every_bucket_but_object_action_too", "resource-effectively-star",
             R"({"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::*/*"})", false},
    LintCase{"variable_not_judged", "redundant-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::c/*"]})", false}
), kLintCaseName);
// clang-format on

}  // namespace
}  // namespace iam_audit::testing
