// The Condition lint rules (src/lint_conditions.cc): each on the case it is
// for and on its near misses. Sources: AWS "AWS global condition context
// keys", "Condition operators", "Single-valued vs. multivalued context keys".
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lint_test_util.h"

namespace iam_audit::testing {
namespace {

std::string WithCondition(const std::string& condition, const std::string& effect = "Allow",
                          const std::string& action = "s3:GetObject") {
  return R"({"Effect": ")" + effect + R"(", "Action": ")" + action +
         R"(", "Resource": "arn:aws:s3:::b/*", "Condition": )" + condition + "}";
}

class LintConditionsTest : public LintRuleTest {};
TEST_P(LintConditionsTest, Reports) { CheckLintCase(GetParam()); }

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, LintConditionsTest, ::testing::Values(
    // unknown-condition-key
    LintCase{"typo_in_global_key", "unknown-condition-key",
             WithCondition(R"({"IpAddress": {"aws:SourceIpp": "203.0.113.0/24"}})", "Deny"), true,
             std::nullopt, "did you mean 'aws:SourceIp'"},
    LintCase{"typo_says_deny_switched_off", "unknown-condition-key",
             WithCondition(R"({"NotIpAddress": {"aws:SourceIpp": "203.0.113.0/24"}})", "Deny"), true,
             std::nullopt, "always holds"},
    LintCase{"unknown_service_key", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"s3:prefixx": "home/"}})"), true},
    LintCase{"global_key_any_case", "unknown-condition-key",
             WithCondition(R"({"IpAddress": {"AWS:sourceip": "203.0.113.0/24"}})"), false},
    LintCase{"tag_key_template", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"aws:ResourceTag/team": "a"}})"), false},
    LintCase{"catalog_key", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"s3:x-amz-acl": "private"}})", "Allow", "s3:PutObject"), false},
    LintCase{"catalog_tag_key_placeholder", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"s3:ExistingObjectTag/team": "a"}})"), false},
    LintCase{"oidc_provider_key", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}})"), false},
    LintCase{"saml_key", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})"), false},
    // A global name written for a service's key: the service's key is named.
    LintCase{"global_name_of_s3_key", "unknown-condition-key",
             WithCondition(R"({"NumericLessThan": {"aws:TLSVersion": "1.2"}})", "Deny", "s3:*"), true,
             std::nullopt, "did you mean the service key 's3:TlsVersion'?"},
    LintCase{"s3_tls_version_key", "unknown-condition-key",
             WithCondition(R"({"NumericLessThan": {"s3:TlsVersion": "1.2"}})", "Deny", "s3:*"), false},
    // Keys added to the global keys page after 2023.
    LintCase{"vpce_org_id", "unknown-condition-key",
             WithCondition(R"({"StringEquals": {"aws:VpceOrgID": "o-abc"}})"), false},
    LintCase{"source_org_paths", "unknown-condition-key",
             WithCondition(R"({"ForAnyValue:StringLike": {"aws:SourceOrgPaths": "o-a/r-b/*"}})"), false},
    LintCase{"assumed_root", "unknown-condition-key",
             WithCondition(R"({"Null": {"aws:AssumedRoot": "true"}})", "Deny"), false},
    // condition-type-mismatch
    LintCase{"string_operator_on_ip_key", "condition-type-mismatch",
             WithCondition(R"({"StringEquals": {"aws:SourceIp": "203.0.113.1"}})"), true},
    LintCase{"date_operator_on_numeric_key", "condition-type-mismatch",
             WithCondition(R"({"DateLessThan": {"aws:MultiFactorAuthAge": "2020-01-01"}})"), true},
    LintCase{"ip_operator_on_ip_key", "condition-type-mismatch",
             WithCondition(R"({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})"), false},
    LintCase{"string_operator_on_arn_key_is_usable", "condition-type-mismatch",
             WithCondition(R"({"StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}})"), false},
    LintCase{"null_on_any_key", "condition-type-mismatch",
             WithCondition(R"({"Null": {"aws:MultiFactorAuthAge": "true"}})"), false},
    // set-operator-on-single-valued-key
    LintCase{"forallvalues_single_valued", "set-operator-on-single-valued-key",
             WithCondition(R"({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc"}})"), true,
             std::nullopt, "absent"},
    LintCase{"foranyvalue_single_valued", "set-operator-on-single-valued-key",
             WithCondition(R"({"ForAnyValue:StringEquals": {"aws:RequestedRegion": "us-east-1"}})"), true},
    LintCase{"forallvalues_multivalued", "set-operator-on-single-valued-key",
             WithCondition(R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}})"), false},
    // multivalued-key-without-set-operator
    LintCase{"plain_operator_on_tag_keys", "multivalued-key-without-set-operator",
             WithCondition(R"({"StringEquals": {"aws:TagKeys": "team"}})"), true},
    LintCase{"plain_operator_on_called_via", "multivalued-key-without-set-operator",
             WithCondition(R"({"StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}})"), true},
    LintCase{"qualified_multivalued", "multivalued-key-without-set-operator",
             WithCondition(R"({"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}})"), false},
    LintCase{"null_on_multivalued", "multivalued-key-without-set-operator",
             WithCondition(R"({"Null": {"aws:TagKeys": "false"}})"), false},
    // mfa-bool-false
    LintCase{"deny_bool_false", "mfa-bool-false",
             WithCondition(R"({"Bool": {"aws:MultiFactorAuthPresent": "false"}})", "Deny"), true,
             std::nullopt, "BoolIfExists"},
    LintCase{"allow_null_false", "mfa-bool-false",
             WithCondition(R"({"Null": {"aws:MultiFactorAuthPresent": "false"}})"), true},
    LintCase{"deny_bool_if_exists_false", "mfa-bool-false",
             WithCondition(R"({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})", "Deny"), false},
    LintCase{"allow_bool_true", "mfa-bool-false",
             WithCondition(R"({"Bool": {"aws:MultiFactorAuthPresent": "true"}})"), false},
    LintCase{"deny_null_true", "mfa-bool-false",
             WithCondition(R"({"Null": {"aws:MultiFactorAuthPresent": "true"}})", "Deny"), false},
    // wildcard-without-like
    LintCase{"string_equals_with_star", "wildcard-without-like",
             WithCondition(R"({"StringEquals": {"aws:PrincipalTag/team": "data-*"}})"), true,
             std::nullopt, "StringLike"},
    LintCase{"string_not_equals_with_question", "wildcard-without-like",
             WithCondition(R"({"StringNotEquals": {"aws:PrincipalTag/team": "dat?"}})"), true,
             std::nullopt, "StringNotLike"},
    LintCase{"string_like_with_star", "wildcard-without-like",
             WithCondition(R"({"StringLike": {"aws:PrincipalTag/team": "data-*"}})"), false},
    LintCase{"escaped_star_variable", "wildcard-without-like",
             WithCondition(R"({"StringEquals": {"aws:PrincipalTag/team": "a${*}"}})"), false},
    LintCase{"arn_equals_with_star", "wildcard-without-like",
             WithCondition(R"({"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:t"}})"), false},
    // private-source-ip
    LintCase{"rfc1918_source_ip", "private-source-ip",
             WithCondition(R"({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/16"]}})"), true,
             std::nullopt, "aws:VpcSourceIp"},
    LintCase{"public_source_ip", "private-source-ip",
             WithCondition(R"({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})"), false},
    LintCase{"private_vpc_source_ip", "private-source-ip",
             WithCondition(R"({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}})"), false},
    LintCase{"everything_contains_public", "private-source-ip",
             WithCondition(R"({"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}})", "Deny"), false},
    // condition-value-never-matches
    LintCase{"bool_yes", "condition-value-never-matches",
             WithCondition(R"({"Bool": {"aws:SecureTransport": "yes"}})", "Deny"), true},
    LintCase{"bool_true_any_case", "condition-value-never-matches",
             WithCondition(R"({"Bool": {"aws:SecureTransport": "TRUE"}})"), false},
    LintCase{"bool_json_false", "condition-value-never-matches",
             WithCondition(R"({"Bool": {"aws:SecureTransport": false}})", "Deny"), false},
    LintCase{"number_ten", "condition-value-never-matches",
             WithCondition(R"({"NumericLessThan": {"s3:max-keys": "ten"}})", "Allow", "s3:ListBucket"), true,
             std::nullopt, "NumericLessThan value 'ten' is not a number"},
    LintCase{"negated_number_holds", "condition-value-never-matches",
             WithCondition(R"({"NumericNotEquals": {"s3:max-keys": "ten"}})", "Deny", "s3:ListBucket"), true,
             std::nullopt, "the negated operator holds"},
    LintCase{"number_ok", "condition-value-never-matches",
             WithCondition(R"({"NumericLessThan": {"s3:max-keys": "10"}})", "Allow", "s3:ListBucket"), false},
    LintCase{"date_yesterday", "condition-value-never-matches",
             WithCondition(R"({"DateGreaterThan": {"aws:CurrentTime": "yesterday"}})"), true},
    LintCase{"date_ok", "condition-value-never-matches",
             WithCondition(R"({"DateGreaterThan": {"aws:CurrentTime": "2019-07-16T12:00:00Z"}})"), false},
    LintCase{"cidr_prefix_too_long", "condition-value-never-matches",
             WithCondition(R"({"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}})"), true},
    LintCase{"null_maybe", "condition-value-never-matches",
             WithCondition(R"({"Null": {"aws:SourceIp": "maybe"}})"), true},
    LintCase{"null_true", "condition-value-never-matches",
             WithCondition(R"({"Null": {"aws:SourceIp": "true"}})", "Deny"), false},
    LintCase{"binary_not_base64", "condition-value-never-matches",
             WithCondition(R"({"BinaryEquals": {"aws:UserAgent": "not base64!"}})"), true},
    // missing-paired-condition-key
    LintCase{"vpc_source_ip_alone", "missing-paired-condition-key",
             WithCondition(R"({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}})"), true,
             std::nullopt, "aws:SourceVpc"},
    LintCase{"vpc_source_ip_with_vpc", "missing-paired-condition-key",
             WithCondition(R"({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}})"), false},
    LintCase{"vpc_source_ip_with_endpoint", "missing-paired-condition-key",
             WithCondition(R"({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}})"), false},
    LintCase{"vpc_source_ip_in_deny", "missing-paired-condition-key",
             WithCondition(R"({"NotIpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}})", "Deny"), false},
    // invalid-vpc-id
    LintCase{"vpc_name_not_id", "invalid-vpc-id",
             WithCondition(R"({"StringEquals": {"aws:SourceVpc": "my-vpc"}})"), true, std::nullopt, "is not a VPC ID"},
    LintCase{"vpce_seven_chars", "invalid-vpc-id",
             WithCondition(R"({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4"}})", "Deny"), true,
             std::nullopt, "VPC endpoint ID"},
    LintCase{"vpc_8", "invalid-vpc-id",
             WithCondition(R"({"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}})"), false},
    LintCase{"vpce_17", "invalid-vpc-id",
             WithCondition(R"({"StringEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}})"), false},
    LintCase{"vpc_like_pattern", "invalid-vpc-id",
             WithCondition(R"({"StringLike": {"aws:SourceVpc": "vpc-*"}})"), false},
    LintCase{"vpc_variable", "invalid-vpc-id",
             WithCondition(R"({"StringEquals": {"aws:SourceVpc": "${aws:PrincipalTag/vpc}"}})"), false},
    // condition-key-not-for-action
    LintCase{"prefix_key_on_get_object", "condition-key-not-for-action",
             WithCondition(R"({"StringLike": {"s3:prefix": "home/*"}})"), true},
    LintCase{"prefix_key_on_list_bucket", "condition-key-not-for-action",
             R"({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                 "Condition": {"StringLike": {"s3:prefix": "home/*"}}})", false},
    LintCase{"global_key_never_checked", "condition-key-not-for-action",
             WithCondition(R"({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})"), false},
    LintCase{"not_action_not_checked", "condition-key-not-for-action",
             R"({"Effect": "Deny", "NotAction": "s3:GetObject", "Resource": "*",
                 "Condition": {"StringLike": {"s3:prefix": "home/*"}}})", false}
), kLintCaseName);
// clang-format on

// The condition rules share each statement's parsed clauses (LintContext's
// clause cache): each statement is judged on its own clauses, in any order.
TEST(LintConditionsTest, EachStatementIsJudgedOnItsOwnClauses) {
  const std::string text = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "A", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
    {"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"StringLike": {"s3:prefix": "home/*"}}},
    {"Sid": "C", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "D", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]})";
  std::vector<std::string> seen;
  for (const Finding& f : LintText(text)) {
    const std::string_view name = f.name();
    if (name == "mfa-bool-false" || name == "condition-key-not-for-action") {
      seen.push_back(std::string(name) + "@" + f.sid);
    }
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"condition-key-not-for-action@B", "mfa-bool-false@A",
                                            "mfa-bool-false@D"}));
}

}  // namespace
}  // namespace iam_audit::testing
