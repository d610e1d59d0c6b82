// Condition operators, table-driven from AWS's documented examples.
//
// Sources (quoted in docs/evaluation.md):
//   [OPS]   "IAM JSON policy elements: Condition operators"
//   [MULTI] "Conditions with multiple context keys or values"
//   [SET]   "Single-valued vs. multivalued context keys" and
//           "Multivalued context key examples"
//   [VARS]  "IAM policy elements: Variables and tags"
#include "iam_audit/condition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>

namespace iam_audit {
namespace {

using ::testing::HasSubstr;

using Context = std::vector<std::pair<std::string, std::vector<std::string>>>;

ConditionClause Clause(const std::string& op, const std::string& key,
                       const std::vector<std::string>& values) {
  ConditionClause c{{op, {3, 7}}, {key, {3, 20}}, {}};
  int column = 30;
  for (const std::string& v : values) c.values.push_back({v, {3, column++}});
  return c;
}

RequestContext MakeContext(const Context& entries) {
  RequestContext ctx;
  for (const auto& [key, values] : entries) ctx.Set(key, values);
  return ctx;
}

struct Case {
  const char* name;
  std::string op;
  std::string key;
  std::vector<std::string> values;
  Context context;
  Truth want;
  bool variables = true;  // Version 2012-10-17
  MissingKeys mode = MissingKeys::kAbsent;
};

// Readable test names: the case's own name.
constexpr auto kParamName = [](const auto& info) { return std::string(info.param.name); };

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ConditionCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(ConditionCaseTest, Evaluates) {
  const Case& c = GetParam();
  Diagnostics errors;
  const auto compiled =
      CompiledCondition::Compile(Clause(c.op, c.key, c.values), c.variables, "p.json", &errors);
  ASSERT_TRUE(compiled) << (errors.empty() ? "" : errors[0].ToString());
  const RequestContext ctx = MakeContext(c.context);
  std::vector<std::string_view> missing;
  const EvalContext env(ctx, c.mode, &missing);
  EXPECT_EQ(TruthName(compiled->Evaluate(env)), TruthName(c.want));
}

constexpr Truth T = Truth::kTrue;
constexpr Truth F = Truth::kFalse;
constexpr Truth U = Truth::kUnknown;
constexpr MissingKeys kUnknown = MissingKeys::kUnknown;

const std::string kTag = "aws:PrincipalTag/job-category";

// [OPS] String condition operators.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    String, ConditionCaseTest,
    ::testing::Values(
        // "the principal making the request must be tagged with the iamuser-admin job category"
        Case{"equals", "StringEquals", kTag, {"iamuser-admin"}, {{kTag, {"iamuser-admin"}}}, T},
        Case{"equals_other", "StringEquals", kTag, {"iamuser-admin"}, {{kTag, {"dev"}}}, F},
        // "If a user without the tag attempts ... the condition returns false"
        Case{"equals_absent", "StringEquals", kTag, {"iamuser-admin"}, {}, F},
        Case{"equals_case_sensitive", "StringEquals", kTag, {"iamuser-admin"},
             {{kTag, {"IAMUSER-ADMIN"}}}, F},
        Case{"equals_ignore_case", "StringEqualsIgnoreCase", kTag, {"iamuser-admin"},
             {{kTag, {"IAMUSER-Admin"}}}, T},
        Case{"not_equals_ignore_case", "StringNotEqualsIgnoreCase", kTag, {"iamuser-admin"},
             {{kTag, {"IAMUSER-Admin"}}}, F},
        Case{"equals_star_is_literal", "StringEquals", "k", {"a*"}, {{"k", {"abc"}}}, F},
        Case{"equals_star_literal_match", "StringEquals", "k", {"a*"}, {{"k", {"a*"}}}, T},
        Case{"key_case_insensitive", "StringEquals", "AWS:PRINCIPALTAG/JOB-CATEGORY",
             {"iamuser-admin"}, {{kTag, {"iamuser-admin"}}}, T},
        // The s3:prefix home-directory example (StringLike with a policy variable).
        Case{"like_home_dir",
             "StringLike",
             "s3:prefix",
             {"", "home/", "home/${aws:username}/"},
             {{"s3:prefix", {"home/alice/"}}, {"aws:username", {"alice"}}},
             T},
        Case{"like_other_home",
             "StringLike",
             "s3:prefix",
             {"", "home/", "home/${aws:username}/"},
             {{"s3:prefix", {"home/bob/"}}, {"aws:username", {"alice"}}},
             F},
        Case{"like_empty_prefix",
             "StringLike",
             "s3:prefix",
             {"", "home/", "home/${aws:username}/"},
             {{"s3:prefix", {""}}, {"aws:username", {"alice"}}},
             T},
        Case{"like_wildcards", "StringLike", "ec2:InstanceType", {"t1.*", "t2.*", "m3.*"},
             {{"ec2:InstanceType", {"t2.micro"}}}, T},
        Case{"like_no_match", "StringLike", "ec2:InstanceType", {"t1.*", "t2.*", "m3.*"},
             {{"ec2:InstanceType", {"m5.large"}}}, F},
        Case{"like_question_mark", "StringLike", "k", {"t?.micro"}, {{"k", {"t2.micro"}}}, T},
        // [OPS] ARN operators: "With a StringLike condition, the match succeeds".
        Case{"like_crosses_colons",
             "StringLike",
             "aws:SourceArn",
             {"arn:aws:someservice:*:111122223333:finance/*"},
             {{"aws:SourceArn",
               {"arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/"
                "document.txt"}}},
             T},
        // [MULTI] "If a single negated matching condition operator includes multiple
        // values for a context key, those values are evaluated using a logical NOR."
        Case{"not_equals_nor_match", "StringNotEquals", "aws:PrincipalTag/role",
             {"audit", "security"}, {{"aws:PrincipalTag/role", {"audit"}}}, F},
        Case{"not_equals_nor_none", "StringNotEquals", "aws:PrincipalTag/role",
             {"audit", "security"}, {{"aws:PrincipalTag/role", {"dev"}}}, T},
        // [OPS] Important box: a negated operator with the key absent is true.
        Case{"not_equals_absent", "StringNotEquals", "aws:PrincipalTag/role", {"audit"}, {}, T},
        Case{"not_like_absent", "StringNotLike", "k", {"a*"}, {}, T},
        Case{"not_like_match", "StringNotLike", "k", {"a*"}, {{"k", {"abc"}}}, F}),
    kParamName);
// clang-format on

// [OPS] Numeric condition operators: the s3:max-keys example.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Numeric, ConditionCaseTest,
    ::testing::Values(
        Case{"le_equal", "NumericLessThanEquals", "s3:max-keys", {"10"}, {{"s3:max-keys", {"10"}}},
             T},
        Case{"le_above", "NumericLessThanEquals", "s3:max-keys", {"10"},
             {{"s3:max-keys", {"11"}}}, F},
        Case{"le_decimal", "NumericLessThanEquals", "s3:max-keys", {"10"},
             {{"s3:max-keys", {"9.5"}}}, T},
        Case{"le_absent", "NumericLessThanEquals", "s3:max-keys", {"10"}, {}, F},
        Case{"le_not_a_number", "NumericLessThanEquals", "s3:max-keys", {"10"},
             {{"s3:max-keys", {"ten"}}}, F},
        Case{"eq_decimal_forms", "NumericEquals", "k", {"10"}, {{"k", {"10.0"}}}, T},
        Case{"lt", "NumericLessThan", "k", {"10"}, {{"k", {"10"}}}, F},
        Case{"gt", "NumericGreaterThan", "k", {"10"}, {{"k", {"10.5"}}}, T},
        Case{"ge", "NumericGreaterThanEquals", "k", {"10"}, {{"k", {"10"}}}, T},
        Case{"ge_negative", "NumericGreaterThanEquals", "k", {"-5"}, {{"k", {"-6"}}}, F},
        Case{"not_equals", "NumericNotEquals", "k", {"10", "20"}, {{"k", {"20"}}}, F},
        Case{"not_equals_other", "NumericNotEquals", "k", {"10", "20"}, {{"k", {"30"}}}, T},
        Case{"not_equals_absent", "NumericNotEquals", "k", {"10"}, {}, T}),
    kParamName);
// clang-format on

// [OPS] Date condition operators: ISO 8601 (W3C profiles) and epoch seconds.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Date, ConditionCaseTest,
    ::testing::Values(
        // "credentials used to make the request were issued in 2020"
        Case{"gt_after", "DateGreaterThan", "aws:TokenIssueTime", {"2020-01-01T00:00:01Z"},
             {{"aws:TokenIssueTime", {"2020-06-01T12:00:00Z"}}}, T},
        Case{"gt_before", "DateGreaterThan", "aws:TokenIssueTime", {"2020-01-01T00:00:01Z"},
             {{"aws:TokenIssueTime", {"2019-12-31T23:59:59Z"}}}, F},
        // "The aws:TokenIssueTime key is present ... only when the principal uses temporary
        // credentials ... if an IAM user attempts to view or edit an access key, the request
        // is denied."
        Case{"gt_absent", "DateGreaterThan", "aws:TokenIssueTime", {"2020-01-01T00:00:01Z"}, {},
             F},
        Case{"epoch_policy", "DateLessThan", "aws:EpochTime", {"1700000000"},
             {{"aws:EpochTime", {"1699999999"}}}, T},
        Case{"epoch_request_iso_policy", "DateEquals", "aws:CurrentTime",
             {"2020-01-01T00:00:00Z"}, {{"aws:CurrentTime", {"1577836800"}}}, T},
        Case{"time_zone_offset", "DateEquals", "aws:CurrentTime", {"2020-01-01T01:00:00+01:00"},
             {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, T},
        Case{"date_only", "DateLessThan", "aws:CurrentTime", {"2020-01-02"},
             {{"aws:CurrentTime", {"2020-01-01T23:59:59Z"}}}, T},
        Case{"fraction", "DateGreaterThan", "aws:CurrentTime", {"2020-01-01T00:00:00Z"},
             {{"aws:CurrentTime", {"2020-01-01T00:00:00.5Z"}}}, T},
        Case{"le_equal", "DateLessThanEquals", "aws:CurrentTime", {"2020-01-01T00:00:00Z"},
             {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, T},
        Case{"ge", "DateGreaterThanEquals", "aws:CurrentTime", {"2020-01-01T00:00:00Z"},
             {{"aws:CurrentTime", {"2019-01-01T00:00:00Z"}}}, F},
        Case{"not_equals", "DateNotEquals", "aws:CurrentTime", {"2020-01-01T00:00:00Z"},
             {{"aws:CurrentTime", {"2020-01-01T00:00:00Z"}}}, F},
        Case{"unparsable_request", "DateLessThan", "aws:CurrentTime", {"2020-01-01T00:00:00Z"},
             {{"aws:CurrentTime", {"yesterday"}}}, F}),
    kParamName);
// clang-format on

// [OPS] Boolean, binary and IP address operators.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    BoolBinaryIp, ConditionCaseTest,
    ::testing::Values(
        // The BooleanExample: deny when aws:SecureTransport is false.
        Case{"bool_false", "Bool", "aws:SecureTransport", {"false"},
             {{"aws:SecureTransport", {"false"}}}, T},
        Case{"bool_true", "Bool", "aws:SecureTransport", {"false"},
             {{"aws:SecureTransport", {"true"}}}, F},
        Case{"bool_case", "Bool", "aws:SecureTransport", {"true"},
             {{"aws:SecureTransport", {"TRUE"}}}, T},
        Case{"bool_absent", "Bool", "aws:SecureTransport", {"false"}, {}, F},
        // IAM accepts any Bool value; one other than true/false never matches
        // (the linter warns: lint condition-value-never-matches).
        Case{"bool_not_boolean", "Bool", "aws:SecureTransport", {"yes"},
             {{"aws:SecureTransport", {"true"}}}, F},
        Case{"bool_not_boolean_yes", "Bool", "aws:SecureTransport", {"yes"},
             {{"aws:SecureTransport", {"yes"}}}, T},
        // "It compares the value of the specified key byte for byte against a base-64
        // encoded representation of the binary value in the policy."
        Case{"binary_equal", "BinaryEquals", "key", {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
             {{"key", {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}}, T},
        Case{"binary_unpadded", "BinaryEquals", "key", {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
             {{"key", {"QmluYXJ5VmFsdWVJbkJhc2U2NA"}}}, T},
        Case{"binary_other", "BinaryEquals", "key", {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
             {{"key", {"b3RoZXI="}}}, F},
        // "the request must come from the IP range 203.0.113.0 to 203.0.113.255"
        Case{"ip_in_range", "IpAddress", "aws:SourceIp", {"203.0.113.0/24"},
             {{"aws:SourceIp", {"203.0.113.7"}}}, T},
        Case{"ip_out_of_range", "IpAddress", "aws:SourceIp", {"203.0.113.0/24"},
             {{"aws:SourceIp", {"203.0.114.1"}}}, F},
        // "If you specify an IP address without the associated routing prefix, IAM uses the
        // default prefix value of /32."
        Case{"ip_default_prefix", "IpAddress", "aws:SourceIp", {"203.0.113.5"},
             {{"aws:SourceIp", {"203.0.113.6"}}}, F},
        // The mixed IPv4/IPv6 example.
        Case{"ipv6_in_range", "IpAddress", "aws:SourceIp",
             {"203.0.113.0/24", "2001:DB8:1234:5678::/64"},
             {{"aws:SourceIp", {"2001:db8:1234:5678:abcd::1"}}}, T},
        Case{"ipv6_out_of_range", "IpAddress", "aws:SourceIp",
             {"203.0.113.0/24", "2001:DB8:1234:5678::/64"},
             {{"aws:SourceIp", {"2001:db8:1234:5679::1"}}}, F},
        Case{"ipv4_in_mixed", "IpAddress", "aws:SourceIp",
             {"203.0.113.0/24", "2001:DB8:1234:5678::/64"},
             {{"aws:SourceIp", {"203.0.113.200"}}}, T},
        Case{"ipv6_full_form", "IpAddress", "aws:SourceIp", {"2001:db8::/32"},
             {{"aws:SourceIp", {"2001:0db8:0000:0000:0000:0000:0000:0001"}}}, T},
        Case{"ip_not_an_address", "IpAddress", "aws:SourceIp", {"0.0.0.0/0"},
             {{"aws:SourceIp", {"vpce-1234"}}}, F},
        Case{"not_ip_inside", "NotIpAddress", "aws:SourceIp", {"203.0.113.0/24"},
             {{"aws:SourceIp", {"203.0.113.7"}}}, F},
        Case{"not_ip_outside", "NotIpAddress", "aws:SourceIp", {"203.0.113.0/24"},
             {{"aws:SourceIp", {"198.51.100.1"}}}, T},
        Case{"not_ip_absent", "NotIpAddress", "aws:SourceIp", {"203.0.113.0/24"}, {}, T}),
    kParamName);
// clang-format on

// [OPS] ARN operators.
const std::string kTopic = "arn:aws:sns:us-east-1:123456789012:my-topic";
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Arn, ConditionCaseTest,
    ::testing::Values(
        Case{"arn_equals", "ArnEquals", "aws:SourceArn", {kTopic}, {{"aws:SourceArn", {kTopic}}},
             T},
        Case{"arn_equals_other", "ArnEquals", "aws:SourceArn", {kTopic},
             {{"aws:SourceArn", {"arn:aws:sns:us-east-1:123456789012:other"}}}, F},
        // "The ArnEquals and ArnLike condition operators behave identically."
        Case{"arn_equals_wildcard", "ArnEquals", "aws:SourceArn",
             {"arn:aws:sns:*:123456789012:*"}, {{"aws:SourceArn", {kTopic}}}, T},
        // "With an ArnLike condition, which matches elements between colons, the match fails."
        Case{"arn_like_fields",
             "ArnLike",
             "aws:SourceArn",
             {"arn:aws:someservice:*:111122223333:finance/*"},
             {{"aws:SourceArn",
               {"arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/"
                "document.txt"}}},
             F},
        Case{"arn_like_role", "ArnLike", "aws:PrincipalArn", {"arn:aws:iam::123456789012:role/*"},
             {{"aws:PrincipalArn", {"arn:aws:iam::123456789012:role/admin"}}}, T},
        Case{"arn_like_variable", "ArnLike", "aws:PrincipalArn",
             {"arn:aws:iam::123456789012:user/${aws:username}"},
             {{"aws:PrincipalArn", {"arn:aws:iam::123456789012:user/alice"}},
              {"aws:username", {"alice"}}},
             T},
        Case{"arn_not_like_absent", "ArnNotLike", "aws:SourceArn", {kTopic}, {}, T},
        Case{"arn_not_equals_same", "ArnNotEquals", "aws:SourceArn", {kTopic},
             {{"aws:SourceArn", {kTopic}}}, F}),
    kParamName);
// clang-format on

// [OPS] ...IfExists and Null.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    IfExistsNull, ConditionCaseTest,
    ::testing::Values(
        // The RunInstance example: "If the key is not present, evaluate the condition element
        // as true."
        Case{"if_exists_absent", "StringLikeIfExists", "ec2:InstanceType",
             {"t1.*", "t2.*", "m3.*"}, {}, T},
        Case{"if_exists_match", "StringLikeIfExists", "ec2:InstanceType",
             {"t1.*", "t2.*", "m3.*"}, {{"ec2:InstanceType", {"t2.micro"}}}, T},
        Case{"if_exists_no_match", "StringLikeIfExists", "ec2:InstanceType",
             {"t1.*", "t2.*", "m3.*"}, {{"ec2:InstanceType", {"m5.large"}}}, F},
        // "If you are using an "Effect": "Deny" element with a negated condition operator like
        // StringNotEqualsIfExists, the request is still denied even if the tag is missing."
        Case{"negated_if_exists_absent", "StringNotEqualsIfExists", "aws:ResourceTag/team",
             {"eng"}, {}, T},
        Case{"bool_if_exists_absent", "BoolIfExists", "aws:MultiFactorAuthPresent", {"false"},
             {}, T},
        Case{"bool_if_exists_true", "BoolIfExists", "aws:MultiFactorAuthPresent", {"false"},
             {{"aws:MultiFactorAuthPresent", {"true"}}}, F},
        Case{"numeric_if_exists_absent", "NumericLessThanIfExists", "s3:max-keys", {"10"}, {},
             T},
        // "the user must not be using temporary credentials (the key must not exist)"
        Case{"null_true_absent", "Null", "aws:TokenIssueTime", {"true"}, {}, T},
        Case{"null_true_present", "Null", "aws:TokenIssueTime", {"true"},
             {{"aws:TokenIssueTime", {"2020-01-01T00:00:00Z"}}}, F},
        Case{"null_false_present", "Null", "aws:TokenIssueTime", {"false"},
             {{"aws:TokenIssueTime", {"2020-01-01T00:00:00Z"}}}, T},
        Case{"null_false_absent", "Null", "aws:TokenIssueTime", {"false"}, {}, F},
        // An empty list is a key with no value ("context keys with empty values").
        Case{"null_true_empty_list", "Null", "aws:TagKeys", {"true"}, {{"aws:TagKeys", {}}},
             T}),
    kParamName);
// clang-format on

const std::string kAttrs = "dynamodb:requestedAttributes";
const std::vector<std::string> kAllowedAttrs = {"PostDateTime", "Message", "Tags"};

// [SET] ForAllValues / ForAnyValue, and plain operators on multivalued keys.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    SetOperators, ConditionCaseTest,
    ::testing::Values(
        Case{"for_all_subset", "ForAllValues:StringLike", kAttrs, kAllowedAttrs,
             {{kAttrs, {"PostDateTime", "Message"}}}, T},
        // "There's no match for UserName, so the condition operator returns false"
        Case{"for_all_not_subset", "ForAllValues:StringLike", kAttrs, kAllowedAttrs,
             {{kAttrs, {"PostDateTime", "UserName"}}}, F},
        // "It also returns true if there are no context keys in the request."
        Case{"for_all_absent", "ForAllValues:StringLike", kAttrs, kAllowedAttrs, {}, T},
        Case{"for_all_empty", "ForAllValues:StringLike", kAttrs, kAllowedAttrs, {{kAttrs, {}}},
             T},
        Case{"for_any_one_matches", "ForAnyValue:StringLike", kAttrs, {"ID", "PostDateTime"},
             {{kAttrs, {"UserName", "Message", "PostDateTime"}}}, T},
        Case{"for_any_none_matches", "ForAnyValue:StringLike", kAttrs, {"ID", "PostDateTime"},
             {{kAttrs, {"UserName"}}}, F},
        // "For no matching context key or if the key does not exist, the condition returns
        // false."
        Case{"for_any_absent", "ForAnyValue:StringLike", kAttrs, {"ID", "PostDateTime"}, {}, F},
        // "Deny a single policy condition value for a multivalued context key" table.
        Case{"for_all_not_like_key1", "ForAllValues:StringNotLike", "aws:TagKeys", {"key1*"},
             {{"aws:TagKeys", {"key1:legal"}}}, F},
        Case{"for_all_not_like_key1_two", "ForAllValues:StringNotLike", "aws:TagKeys",
             {"key1*"}, {{"aws:TagKeys", {"key1:hr", "key1:personnel"}}}, F},
        Case{"for_all_not_like_key2", "ForAllValues:StringNotLike", "aws:TagKeys", {"key1*"},
             {{"aws:TagKeys", {"key2:audit"}}}, T},
        Case{"for_all_not_like_absent", "ForAllValues:StringNotLike", "aws:TagKeys", {"key1*"},
             {}, T},
        // Several policy values with a negated operator: NOR, for every request value.
        Case{"for_all_not_like_nor", "ForAllValues:StringNotLike", "aws:TagKeys",
             {"key1*", "key2*"}, {{"aws:TagKeys", {"key1:hr", "key3:audit"}}}, F},
        Case{"for_all_not_like_nor_none", "ForAllValues:StringNotLike", "aws:TagKeys",
             {"key1*", "key2*"}, {{"aws:TagKeys", {"key3:legal"}}}, T},
        Case{"for_any_not_equals", "ForAnyValue:StringNotEquals", "aws:TagKeys", {"a", "b"},
             {{"aws:TagKeys", {"a", "c"}}}, T},
        Case{"for_any_not_equals_all_listed", "ForAnyValue:StringNotEquals", "aws:TagKeys",
             {"a", "b"}, {{"aws:TagKeys", {"a", "b"}}}, F},
        Case{"for_any_not_equals_absent", "ForAnyValue:StringNotEquals", "aws:TagKeys", {"a"},
             {}, F},
        Case{"for_all_numeric", "ForAllValues:NumericLessThan", "k", {"10"},
             {{"k", {"1", "9"}}}, T},
        Case{"for_any_if_exists_absent", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys",
             {"a"}, {}, T},
        // "Multivalued context keys require a condition set operator": a plain operator
        // compares one value, and a list of several is not one value.
        Case{"plain_equals_multivalued", "StringEquals", "aws:CalledVia",
             {"athena.amazonaws.com"},
             {{"aws:CalledVia", {"athena.amazonaws.com", "glue.amazonaws.com"}}}, F},
        Case{"plain_not_equals_multivalued", "StringNotEquals", "aws:CalledVia",
             {"athena.amazonaws.com"},
             {{"aws:CalledVia", {"athena.amazonaws.com", "glue.amazonaws.com"}}}, T},
        Case{"plain_equals_one_value", "StringEquals", "aws:CalledVia", {"athena.amazonaws.com"},
             {{"aws:CalledVia", {"athena.amazonaws.com"}}}, T}),
    kParamName);
// clang-format on

// [VARS] Policy variables in condition values.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Variables, ConditionCaseTest,
    ::testing::Values(
        Case{"variable_substituted", "StringEquals", "aws:PrincipalTag/owner",
             {"${aws:username}"},
             {{"aws:PrincipalTag/owner", {"alice"}}, {"aws:username", {"alice"}}}, T},
        // A variable with no value: positive operators don't match, negated ones do.
        Case{"variable_no_value", "StringEquals", "aws:PrincipalTag/owner", {"${aws:username}"},
             {{"aws:PrincipalTag/owner", {"alice"}}}, F},
        Case{"variable_no_value_negated", "StringNotEquals", "aws:PrincipalTag/owner",
             {"${aws:username}"}, {{"aws:PrincipalTag/owner", {"alice"}}}, T},
        // "${aws:PrincipalTag/team, 'company-wide'}": the default value.
        Case{"variable_default", "StringEquals", "aws:ResourceTag/team",
             {"${aws:PrincipalTag/team, 'company-wide'}"},
             {{"aws:ResourceTag/team", {"company-wide"}}}, T},
        Case{"variable_default_unused", "StringEquals", "aws:ResourceTag/team",
             {"${aws:PrincipalTag/team, 'company-wide'}"},
             {{"aws:ResourceTag/team", {"company-wide"}}, {"aws:PrincipalTag/team", {"eng"}}}, F},
        Case{"variable_key_case", "StringEquals", "k", {"${AWS:UserName}"},
             {{"k", {"alice"}}, {"aws:username", {"alice"}}}, T},
        // A multivalued key cannot be a policy variable.
        Case{"variable_multivalued", "StringEquals", "k", {"${aws:TagKeys}"},
             {{"k", {"a"}}, {"aws:TagKeys", {"a", "b"}}}, F},
        // A substituted value is literal: a user name with '*' is no wildcard.
        Case{"variable_value_literal", "StringLike", "k", {"home/${aws:username}"},
             {{"k", {"home/anything"}}, {"aws:username", {"*"}}}, F},
        Case{"escape_star", "StringEquals", "k", {"${*}"}, {{"k", {"*"}}}, T},
        Case{"escape_star_like_literal", "StringLike", "k", {"a${*}"}, {{"k", {"ab"}}}, F},
        Case{"escape_dollar", "StringEquals", "k", {"${$}x"}, {{"k", {"$x"}}}, T},
        // Version 2008-10-17 (or none): "variables like ${aws:username} are treated as
        // literal strings in the policy".
        Case{"version_2008_literal", "StringEquals", "k", {"${aws:username}"},
             {{"k", {"${aws:username}"}}, {"aws:username", {"alice"}}}, T, false},
        Case{"version_2008_not_substituted", "StringEquals", "k", {"${aws:username}"},
             {{"k", {"alice"}}, {"aws:username", {"alice"}}}, F, false}),
    kParamName);
// clang-format on

// Three-valued mode: keys the request does not supply are unknown.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Unknown, ConditionCaseTest,
    ::testing::Values(
        Case{"unknown_key", "StringEquals", "aws:PrincipalTag/team", {"eng"}, {}, U, true,
             kUnknown},
        Case{"unknown_negated", "StringNotEquals", "aws:PrincipalTag/team", {"eng"}, {}, U, true,
             kUnknown},
        Case{"unknown_if_exists", "StringEqualsIfExists", "k", {"eng"}, {}, U, true, kUnknown},
        Case{"unknown_for_all", "ForAllValues:StringEquals", "k", {"eng"}, {}, U, true,
             kUnknown},
        Case{"unknown_null", "Null", "k", {"true"}, {}, U, true, kUnknown},
        Case{"known_key", "StringEquals", "k", {"eng"}, {{"k", {"eng"}}}, T, true, kUnknown},
        // A variable with an unknown value: undecided only if some value could match.
        Case{"unknown_variable_could_match", "StringLike", "s3:prefix",
             {"home/${aws:username}/*"}, {{"s3:prefix", {"home/alice/x"}}}, U, true, kUnknown},
        Case{"unknown_variable_cannot_match", "StringLike", "s3:prefix",
             {"home/${aws:username}/*"}, {{"s3:prefix", {"other/x"}}}, F, true, kUnknown},
        Case{"unknown_variable_default", "StringEquals", "k", {"${aws:username, 'anon'}"},
             {{"k", {"anon"}}}, T, true, kUnknown}),
    kParamName);
// clang-format on

TEST(ConditionBlockTest, AndOfClausesFalseWinsOverUnknown) {
  const std::vector<ConditionClause> clauses = {
      Clause("StringEquals", "aws:PrincipalTag/team", {"eng"}),  // unknown
      Clause("Bool", "aws:SecureTransport", {"true"}),           // false
  };
  Diagnostics errors;
  const auto block = ConditionBlock::Compile(clauses, true, "p.json", &errors);
  ASSERT_TRUE(block);
  RequestContext ctx;
  ctx.Add("aws:SecureTransport", "false");
  std::vector<std::string_view> missing;
  EXPECT_EQ(block->Evaluate(EvalContext(ctx, MissingKeys::kUnknown, &missing)), Truth::kFalse);
  ctx.Set("aws:SecureTransport", {"true"});
  missing.clear();
  EXPECT_EQ(block->Evaluate(EvalContext(ctx, MissingKeys::kUnknown, &missing)), Truth::kUnknown);
  EXPECT_THAT(missing, ::testing::ElementsAre("aws:PrincipalTag/team"));
  // [MULTI] "If your policy statement has multiple condition operators, the condition
  // operators are evaluated using a logical AND."
  ctx.Add("aws:PrincipalTag/team", "eng");
  EXPECT_EQ(block->Evaluate(EvalContext(ctx, MissingKeys::kAbsent)), Truth::kTrue);
}

TEST(ConditionBlockTest, EmptyBlockIsTrue) {
  Diagnostics errors;
  const auto block = ConditionBlock::Compile({}, true, "p.json", &errors);
  ASSERT_TRUE(block);
  const RequestContext ctx;
  EXPECT_EQ(block->Evaluate(EvalContext(ctx, MissingKeys::kUnknown)), Truth::kTrue);
}

TEST(ConditionBlockTest, AbsentModeReportsConsultedKeys) {
  const auto c = CompiledCondition::Compile(Clause("StringEquals", "aws:username", {"a"}), true,
                                            "p.json", nullptr);
  ASSERT_TRUE(c);
  const RequestContext ctx;
  std::vector<std::string_view> missing;
  EXPECT_EQ(c->Evaluate(EvalContext(ctx, MissingKeys::kAbsent, &missing)), Truth::kFalse);
  EXPECT_THAT(missing, ::testing::ElementsAre("aws:username"));
}

// --- compile-time errors -------------------------------------------------------------

struct BadClause {
  const char* name;
  std::string op;
  std::vector<std::string> values;
  std::string message;  // substring of the diagnostic
  SourceLocation where;
};

void PrintTo(const BadClause& c, std::ostream* os) { *os << c.name; }

class ConditionErrorTest : public ::testing::TestWithParam<BadClause> {};

TEST_P(ConditionErrorTest, ReportsAtLocation) {
  const BadClause& c = GetParam();
  Diagnostics errors;
  EXPECT_FALSE(CompiledCondition::Compile(Clause(c.op, "k", c.values), true, "p.json", &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "p.json");
  EXPECT_EQ(errors[0].where, c.where);
  EXPECT_THAT(errors[0].message, HasSubstr(c.message));
}

constexpr SourceLocation kOp{3, 7};
constexpr SourceLocation kValue{3, 30};

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Errors, ConditionErrorTest,
    ::testing::Values(
        BadClause{"typo", "StringEqual", {"x"},
                  "unknown condition operator 'StringEqual' (did you mean 'StringEquals'", kOp},
        BadClause{"unknown", "StringContains", {"x"}, "unknown condition operator", kOp},
        BadClause{"null_if_exists", "NullIfExists", {"true"}, "except Null", kOp},
        BadClause{"qualified_null", "ForAnyValue:Null", {"true"}, "Null takes no", kOp},
        BadClause{"bad_qualifier", "ForSomeValues:StringEquals", {"x"}, "set qualifiers", kOp},
        BadClause{"if_exists_twice", "StringEqualsIfExistsIfExists", {"x"},
                  "unknown condition operator", kOp},
        BadClause{"number_variable", "NumericEquals", {"${aws:x}"},
                  "policy variables cannot be used with Numeric operators", kValue},
        BadClause{"date_variable", "DateLessThan", {"${aws:CurrentTime}"},
                  "policy variables cannot be used with Date operators", kValue},
        BadClause{"ip_variable", "IpAddress", {"${aws:SourceIp}/8"},
                  "policy variables cannot be used with IP address operators", kValue}),
    kParamName);
// clang-format on

TEST(ConditionErrorTest, ReportsEveryErrorInABlock) {
  const std::vector<ConditionClause> clauses = {
      Clause("StringEqual", "a", {"x"}),
      Clause("StringEquals", "b", {"x"}),
      Clause("NumericEquals", "c", {"1", "${a}", "${b}"}),
  };
  Diagnostics errors;
  EXPECT_FALSE(ConditionBlock::Compile(clauses, true, "p.json", &errors));
  EXPECT_EQ(errors.size(), 3u);
}

// IAM accepts a value its operator cannot read (Access Analyzer's "Type
// mismatch" general warnings): the policy compiles and the value matches no
// request, so a negated operator holds for it.
struct UnreadableValue {
  const char* name;
  const char* op;
  const char* value;
  const char* key;
  const char* request;  // a value the key carries in the request
};

class ConditionUnreadableValueTest : public ::testing::TestWithParam<UnreadableValue> {};

TEST_P(ConditionUnreadableValueTest, CompilesAndMatchesNothing) {
  const UnreadableValue& u = GetParam();
  RequestContext ctx;
  ctx.Add(u.key, u.request);
  Diagnostics errors;
  const auto positive =
      ConditionBlock::Compile({Clause(u.op, u.key, {u.value})}, true, "p.json", &errors);
  ASSERT_TRUE(positive) << (errors.empty() ? "" : errors[0].message);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(positive->Evaluate(EvalContext(ctx, MissingKeys::kAbsent)), Truth::kFalse);
}

INSTANTIATE_TEST_SUITE_P(
    Values, ConditionUnreadableValueTest,
    ::testing::Values(UnreadableValue{"number", "NumericEquals", "ten", "s3:max-keys", "10"},
                      UnreadableValue{"date", "DateLessThan", "yesterday", "aws:CurrentTime",
                                      "2020-01-01T00:00:00Z"},
                      UnreadableValue{"date_month", "DateGreaterThan", "2020-13-01",
                                      "aws:CurrentTime", "2021-01-01T00:00:00Z"},
                      UnreadableValue{"ip", "IpAddress", "300.1.1.1/8", "aws:SourceIp", "44.1.1.1"},
                      UnreadableValue{"ip_prefix", "IpAddress", "10.0.0.0/33", "aws:SourceIp",
                                      "10.0.0.1"},
                      UnreadableValue{"binary", "BinaryEquals", "not base64!", "x:Blob", "AAAA"},
                      UnreadableValue{"null", "Null", "maybe", "aws:SourceIp", "44.1.1.1"},
                      UnreadableValue{"bool", "Bool", "yes", "aws:SecureTransport", "true"}),
    kParamName);

TEST(ConditionUnreadableValueTest, NegatedOperatorHoldsForAnUnreadableValue) {
  RequestContext ctx;
  ctx.Add("s3:max-keys", "10");
  Diagnostics errors;
  const auto block = ConditionBlock::Compile({Clause("NumericNotEquals", "s3:max-keys", {"ten"})},
                                             true, "p.json", &errors);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->Evaluate(EvalContext(ctx, MissingKeys::kAbsent)), Truth::kTrue);
  // A readable value beside it still decides.
  const auto mixed = ConditionBlock::Compile(
      {Clause("NumericNotEquals", "s3:max-keys", {"ten", "10"})}, true, "p.json", &errors);
  ASSERT_TRUE(mixed);
  EXPECT_EQ(mixed->Evaluate(EvalContext(ctx, MissingKeys::kAbsent)), Truth::kFalse);
}

TEST(ParsedOperatorTest, ParsesQualifiersAndIfExistsCaseInsensitively) {
  const auto p = ParsedOperator::Parse("forallvalues:stringlikeifexists");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->op, ConditionOperator::kStringLike);
  EXPECT_EQ(p->qualifier, SetQualifier::kForAllValues);
  EXPECT_TRUE(p->if_exists);
  EXPECT_EQ(p->ToString(), "ForAllValues:StringLikeIfExists");
  EXPECT_TRUE(ParsedOperator::Parse("NotIpAddress")->negated());
  EXPECT_FALSE(ParsedOperator::Parse("IpAddress")->negated());
  EXPECT_EQ(ConditionOperatorNames().size(), 27u);
  for (std::string_view name : ConditionOperatorNames()) {
    const auto parsed = ParsedOperator::Parse(name);
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(parsed->name(), name);
    if (name != "Null") {
      EXPECT_TRUE(ParsedOperator::Parse(std::string(name) + "IfExists"));
    }
  }
}

TEST(RequestContextTest, KeysAreCaseInsensitiveAndAccumulate) {
  RequestContext ctx;
  ctx.Add("aws:TagKeys", "a");
  ctx.Add("AWS:tagkeys", "b");
  ASSERT_NE(ctx.Find("aws:tagKEYS"), nullptr);
  EXPECT_THAT(*ctx.Find("aws:tagKEYS"), ::testing::ElementsAre("a", "b"));
  ctx.Set("k", {});
  EXPECT_EQ(ctx.Find("k"), nullptr);  // no values = absent
  EXPECT_EQ(ctx.entries().size(), 2u);
}

}  // namespace
}  // namespace iam_audit
