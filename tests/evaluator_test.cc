// The evaluation engine, table-driven from AWS's documented examples.
//
// Sources (quoted in docs/evaluation.md):
//   [EVAL]  "Policy evaluation logic" (single account; the Carlos example;
//           "The difference between explicit and implicit denies")
//   [NA]    "IAM JSON policy elements: NotAction"
//   [NR]    "IAM JSON policy elements: NotResource"
//   [VARS]  "IAM policy elements: Variables and tags"
//   [PB]    "Permissions boundaries for IAM entities"
//   [SCP]   AWS Organizations "SCP evaluation"
//   [SET]   "Single-valued vs. multivalued context keys"
#include "iam_audit/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <utility>

namespace iam_audit {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

Policy P(std::string_view json, const std::string& file = "policy.json") {
  PolicyParseResult r = ParsePolicy(json, file);
  EXPECT_TRUE(r.errors.empty()) << file << ": " << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.policy ? std::move(*r.policy) : Policy{};
}

// --- policies from the AWS documentation --------------------------------------------

// [EVAL] "Example identity-based and resource-based policy evaluation".
constexpr std::string_view kCarlosIdentity = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowS3ListRead", "Effect": "Allow",
     "Action": ["s3:GetBucketLocation", "s3:GetAccountPublicAccessBlock",
                "s3:ListAccessPoints", "s3:ListAllMyBuckets"],
     "Resource": "arn:aws:s3:::*"},
    {"Sid": "AllowS3Self", "Effect": "Allow", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]},
    {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}
  ]})";
constexpr std::string_view kCarlosBucketPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "CarlosOnly", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:user/carlossalazar"},
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"]}]})";
constexpr std::string_view kCarlos = "arn:aws:iam::123456789012:user/carlossalazar";

// [EVAL] "The difference between explicit and implicit denies".
constexpr std::string_view kGetListDenyReports = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"],
     "Resource": "*"},
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}
  ]})";

// [NA] NotAction with Allow (two examples) and with Deny (the MFA example).
constexpr std::string_view kNotActionS3 = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "AllButDeleteBucket", "Effect": "Allow",
                 "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}]})";
constexpr std::string_view kNotActionIam = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "AllButIam", "Effect": "Allow", "NotAction": "iam:*",
                 "Resource": "*"}]})";
constexpr std::string_view kDenyWithoutMfa = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Sid": "DenyAllUsersNotUsingMFA", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
  ]})";

// [NR] The HRPayroll example, plus an Allow so that "not denied" shows as allowed.
constexpr std::string_view kHrPayroll = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "DenyOutsidePayroll", "Effect": "Deny", "Action": "s3:*",
     "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"]}
  ]})";

// [VARS] The home-directory policy, with and without a Version that supports variables.
constexpr std::string_view kHomeDir2012 = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": ["arn:aws:s3:::mybucket/${aws:username}/*"]}]})";
constexpr std::string_view kHomeDir2008 = R"({
  "Version": "2008-10-17",
  "Statement": [{"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": ["arn:aws:s3:::mybucket/${aws:username}/*"]}]})";
constexpr std::string_view kHomeDirNoVersion = R"({
  "Statement": [{"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::mybucket/${aws:username}/*"}]})";
constexpr std::string_view kTeamBucket = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Team", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*"}]})";
constexpr std::string_view kNotResourceVariable = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Sid": "DenyOthersHome", "Effect": "Deny", "Action": "s3:*",
     "NotResource": "arn:aws:s3:::mybucket/${aws:username}/*"}
  ]})";

constexpr std::string_view kAllowS3 = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})";
constexpr std::string_view kAllowAll = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]})";
constexpr std::string_view kAllowEc2Only = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Ec2Only", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]})";
constexpr std::string_view kAllowGetObject = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "GetOnly", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "*"}]})";
constexpr std::string_view kAllowCreateUser = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "BoundaryCreateUser", "Effect": "Allow", "Action": "iam:CreateUser",
                 "Resource": "*"}]})";
// [SCP] A deny-list SCP next to FullAWSAccess.
constexpr std::string_view kScpDenyDeleteBucket = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Sid": "DenyDeleteBucket", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
  ]})";
// [SET] ForAllValues with an Allow is permissive when the key is absent.
constexpr std::string_view kForAllValuesAllow = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "TagOnlyApproved", "Effect": "Allow", "Action": "ec2:CreateTags",
                 "Resource": "*",
                 "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]})";
constexpr std::string_view kTeamCondition = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "TeamOnly", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalTag/team": "eng"}}}]})";
constexpr std::string_view kDenyOutsideRegion = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "DenyOtherRegions", "Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}]})";
constexpr std::string_view kDenyMultiValued = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "DenyUnlessOnlyAthena", "Effect": "Deny", "Action": "glue:*",
                 "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:CalledVia": "athena.amazonaws.com"}}}]})";
constexpr std::string_view kIpv6 = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "FromOffice", "Effect": "Allow", "Action": "someservice:*",
                 "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp":
                               ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}}]})";
constexpr std::string_view kNullTemporary = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "NoTemporaryCredentials", "Action": "ec2:*", "Effect": "Allow",
                 "Resource": "*", "Condition": {"Null": {"aws:TokenIssueTime": "true"}}}]})";

// Resource-based policies for the same-account table.
std::string BucketPolicy(std::string_view principal, std::string_view effect = "Allow") {
  return std::string(R"({"Version": "2012-10-17", "Statement": [{"Sid": "Bucket", "Effect": ")") +
         std::string(effect) + R"(", "Principal": )" + std::string(principal) +
         R"(, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}]})";
}
constexpr std::string_view kRoleArn = "arn:aws:iam::123456789012:role/app";
constexpr std::string_view kRoleSession = "arn:aws:sts::123456789012:assumed-role/app/session1";
constexpr std::string_view kUser = "arn:aws:iam::123456789012:user/alice";

// --- the table ----------------------------------------------------------------------

struct Spec {
  std::vector<std::string> identity = {};
  std::string boundary = {};
  std::vector<std::string> scps = {};  // one policy per level
  std::string session = {};
  std::string resource = {};
  std::string principal = {};
};

struct EvalCase {
  const char* name;
  Spec spec;
  std::string action;
  std::string resource;
  std::map<std::string, std::vector<std::string>> context;
  Decision::Kind want;
  std::vector<std::string> sids;  // matched statements' Sids, in order
  std::vector<std::string> missing = {};
  MissingKeys mode = MissingKeys::kAbsent;
};

// Readable test names: the case's own name.
constexpr auto kParamName = [](const auto& info) { return std::string(info.param.name); };

void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.name; }

PolicySet Build(const Spec& spec) {
  PolicySet set;
  int n = 0;
  for (const std::string& json : spec.identity) {
    set.identity.push_back(P(json, "identity" + std::to_string(n++) + ".json"));
  }
  if (!spec.boundary.empty()) set.boundary = P(spec.boundary, "boundary.json");
  n = 0;
  for (const std::string& json : spec.scps) {
    set.scps.push_back({P(json, "scp" + std::to_string(n++) + ".json")});
  }
  if (!spec.session.empty()) set.session = P(spec.session, "session.json");
  if (!spec.resource.empty()) set.resource = P(spec.resource, "resource.json");
  set.principal = spec.principal;
  return set;
}

class EvaluatorCaseTest : public ::testing::TestWithParam<EvalCase> {};

TEST_P(EvaluatorCaseTest, Decides) {
  const EvalCase& c = GetParam();
  const PolicySet set = Build(c.spec);
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator) << compiled.errors[0].ToString();
  Request request{c.action, c.resource, {}, c.mode};
  for (const auto& [key, values] : c.context) request.context.Set(key, values);
  const Decision d = compiled.evaluator->Evaluate(request);
  EXPECT_EQ(DecisionName(d.kind), DecisionName(c.want));
  std::vector<std::string> sids;
  for (const Decision::Match& m : d.matched)
    sids.push_back(m.statement->has_sid() ? m.statement->sid() : "-");
  EXPECT_THAT(sids, ElementsAreArray(c.sids));
  std::vector<std::string> missing(d.missing_context.begin(), d.missing_context.end());
  EXPECT_THAT(missing, ElementsAreArray(c.missing));
}

using K = Decision;
constexpr MissingKeys kUnknown = MissingKeys::kUnknown;
const Spec kCarlosSpec{{std::string(kCarlosIdentity)}, "", {}, "", "", std::string(kCarlos)};
const Spec kCarlosWithBucket{{std::string(kCarlosIdentity)},
                             "",
                             {},
                             "",
                             std::string(kCarlosBucketPolicy),
                             std::string(kCarlos)};

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    AwsExamples, EvaluatorCaseTest,
    ::testing::Values(
        // [EVAL] "It finds one, because the identity-based policy explicitly denies Carlos
        // access to any S3 buckets used for logging. Carlos is denied access."
        EvalCase{"carlos_logs_denied", kCarlosWithBucket, "s3:PutObject",
                 "arn:aws:s3:::carlossalazar-logs/file.txt", {}, K::kExplicitDeny,
                 {"DenyS3Logs"}},
        // "Both the identity-based policy and the resource-based policy allow the request."
        EvalCase{"carlos_own_bucket", kCarlosWithBucket, "s3:PutObject",
                 "arn:aws:s3:::carlossalazar/file.txt", {}, K::kAllowed,
                 {"AllowS3Self", "CarlosOnly"}},
        EvalCase{"carlos_list_buckets", kCarlosSpec, "s3:ListAllMyBuckets",
                 "arn:aws:s3:::carlossalazar", {}, K::kAllowed, {"AllowS3ListRead", "AllowS3Self"}},
        EvalCase{"carlos_other_bucket", kCarlosSpec, "s3:PutObject",
                 "arn:aws:s3:::someone-else/file.txt", {}, K::kImplicitDeny, {}},
        // [EVAL] AllowGetList / DenyReports.
        EvalCase{"get_list_allowed", {{std::string(kGetListDenyReports)}}, "iam:GetUser",
                 "arn:aws:iam::123456789012:user/bob", {}, K::kAllowed, {"AllowGetList"}},
        EvalCase{"create_policy_implicit", {{std::string(kGetListDenyReports)}},
                 "iam:CreatePolicy", "*", {}, K::kImplicitDeny, {}},
        EvalCase{"report_explicit", {{std::string(kGetListDenyReports)}},
                 "iam:GetOrganizationsAccessReport", "*", {}, K::kExplicitDeny, {"DenyReports"}},
        EvalCase{"report_other_allow_still_denied",
                 {{std::string(kGetListDenyReports), std::string(kAllowAll)}},
                 "iam:GenerateCredentialReport", "*", {}, K::kExplicitDeny, {"DenyReports"}},
        EvalCase{"action_case_insensitive", {{std::string(kGetListDenyReports)}},
                 "IAM:getuser", "*", {}, K::kAllowed, {"AllowGetList"}}),
    kParamName);
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    NotActionNotResource, EvaluatorCaseTest,
    ::testing::Values(
        // [NA] "allows users to access all of the Amazon S3 actions that can be performed on
        // any S3 resource except for deleting a bucket."
        EvalCase{"not_action_allow_s3", {{std::string(kNotActionS3)}}, "s3:GetObject",
                 "arn:aws:s3:::bucket/key", {}, K::kAllowed, {"AllButDeleteBucket"}},
        EvalCase{"not_action_allow_listed", {{std::string(kNotActionS3)}}, "s3:DeleteBucket",
                 "arn:aws:s3:::bucket", {}, K::kImplicitDeny, {}},
        // "This does not allow users to use the ListAllMyBuckets S3 API operation, because
        // that action requires the "*" resource."
        EvalCase{"not_action_allow_star_resource", {{std::string(kNotActionS3)}},
                 "s3:ListAllMyBuckets", "*", {}, K::kImplicitDeny, {}},
        // "This policy also does not allow actions in other services"
        EvalCase{"not_action_allow_other_service", {{std::string(kNotActionS3)}},
                 "ec2:RunInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", {},
                 K::kImplicitDeny, {}},
        // "allows users to access every action in every AWS service except for IAM"
        EvalCase{"not_action_every_service", {{std::string(kNotActionIam)}},
                 "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t", {},
                 K::kAllowed, {"AllButIam"}},
        EvalCase{"not_action_iam_excluded", {{std::string(kNotActionIam)}}, "iam:CreateUser",
                 "arn:aws:iam::123456789012:user/x", {}, K::kImplicitDeny, {}},
        EvalCase{"not_action_case_insensitive", {{std::string(kNotActionIam)}},
                 "IAM:createuser", "*", {}, K::kImplicitDeny, {}},
        // [NA] NotAction with Deny: "denies access to non-IAM actions if the user is not
        // signed in using MFA".
        EvalCase{"mfa_false_denied", {{std::string(kDenyWithoutMfa)}}, "ec2:RunInstances", "*",
                 {{"aws:MultiFactorAuthPresent", {"false"}}}, K::kExplicitDeny,
                 {"DenyAllUsersNotUsingMFA"}},
        EvalCase{"mfa_absent_denied", {{std::string(kDenyWithoutMfa)}}, "ec2:RunInstances", "*",
                 {}, K::kExplicitDeny, {"DenyAllUsersNotUsingMFA"}, {"aws:MultiFactorAuthPresent"}},
        EvalCase{"mfa_true_allowed", {{std::string(kDenyWithoutMfa)}}, "ec2:RunInstances", "*",
                 {{"aws:MultiFactorAuthPresent", {"true"}}}, K::kAllowed, {"AllowAll"}},
        EvalCase{"mfa_iam_not_denied", {{std::string(kDenyWithoutMfa)}}, "iam:ListUsers", "*",
                 {{"aws:MultiFactorAuthPresent", {"false"}}}, K::kAllowed, {"AllowAll"}},
        // [NR] "explicitly denies access to all Amazon S3 resources other than the listed
        // resources"
        EvalCase{"not_resource_listed", {{std::string(kHrPayroll)}}, "s3:GetObject",
                 "arn:aws:s3:::HRBucket/Payroll/2024.csv", {}, K::kAllowed, {"AllowS3"}},
        EvalCase{"not_resource_other_denied", {{std::string(kHrPayroll)}}, "s3:GetObject",
                 "arn:aws:s3:::HRBucket/Marketing/plan.doc", {}, K::kExplicitDeny,
                 {"DenyOutsidePayroll"}},
        EvalCase{"not_resource_other_bucket_denied", {{std::string(kHrPayroll)}},
                 "s3:ListBucket", "arn:aws:s3:::OtherBucket", {}, K::kExplicitDeny,
                 {"DenyOutsidePayroll"}},
        EvalCase{"not_resource_other_service", {{std::string(kHrPayroll), std::string(kAllowAll)}},
                 "ec2:RunInstances", "*", {}, K::kAllowed, {"FullAWSAccess"}},
        // The simulator's classic surprise: a resource of "*" is the literal "*".
        EvalCase{"star_resource_is_literal", {{std::string(kCarlosIdentity)}}, "s3:GetObject",
                 "*", {}, K::kImplicitDeny, {}}),
    kParamName);
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Variables, EvaluatorCaseTest,
    ::testing::Values(
        EvalCase{"resource_variable", {{std::string(kHomeDir2012)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/David/notes.txt", {{"aws:username", {"David"}}},
                 K::kAllowed, {"Home"}},
        EvalCase{"resource_variable_other_user", {{std::string(kHomeDir2012)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/Adele/notes.txt", {{"aws:username", {"David"}}},
                 K::kImplicitDeny, {}},
        // A variable with no value: the Resource entry matches no resource.
        EvalCase{"resource_variable_no_value", {{std::string(kHomeDir2012)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/David/notes.txt", {}, K::kImplicitDeny, {},
                 {"aws:username"}},
        // [VARS] "If you don't include the Version element and set it to an appropriate
        // version date, variables like ${aws:username} are treated as literal strings".
        EvalCase{"version_2008_literal", {{std::string(kHomeDir2008)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/${aws:username}/notes.txt", {{"aws:username", {"David"}}},
                 K::kAllowed, {"Home"}},
        EvalCase{"version_2008_not_substituted", {{std::string(kHomeDir2008)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/David/notes.txt", {{"aws:username", {"David"}}},
                 K::kImplicitDeny, {}},
        EvalCase{"no_version_literal", {{std::string(kHomeDirNoVersion)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/David/notes.txt", {{"aws:username", {"David"}}},
                 K::kImplicitDeny, {}},
        EvalCase{"variable_default_used", {{std::string(kTeamBucket)}}, "s3:GetObject",
                 "arn:aws:s3:::bucket/company-wide/doc", {}, K::kAllowed, {"Team"}},
        EvalCase{"variable_default_overridden", {{std::string(kTeamBucket)}}, "s3:GetObject",
                 "arn:aws:s3:::bucket/company-wide/doc", {{"aws:PrincipalTag/team", {"eng"}}},
                 K::kImplicitDeny, {}},
        EvalCase{"variable_tag_value", {{std::string(kTeamBucket)}}, "s3:GetObject",
                 "arn:aws:s3:::bucket/eng/doc", {{"aws:PrincipalTag/team", {"eng"}}},
                 K::kAllowed, {"Team"}},
        // A NotResource entry whose variable has no value matches no resource, so the
        // NotResource statement applies to every resource.
        EvalCase{"not_resource_variable_no_value", {{std::string(kNotResourceVariable)}},
                 "s3:GetObject", "arn:aws:s3:::mybucket/David/x", {}, K::kExplicitDeny,
                 {"DenyOthersHome"}, {"aws:username"}},
        EvalCase{"not_resource_variable_own_home", {{std::string(kNotResourceVariable)}},
                 "s3:GetObject", "arn:aws:s3:::mybucket/David/x", {{"aws:username", {"David"}}},
                 K::kAllowed, {"AllowS3"}}),
    kParamName);
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Conditions, EvaluatorCaseTest,
    ::testing::Values(
        // [SET] "Use caution if you use ForAllValues with an Allow effect": no tags at all
        // still satisfies the condition.
        EvalCase{"for_all_values_absent_allows", {{std::string(kForAllValuesAllow)}},
                 "ec2:CreateTags", "*", {}, K::kAllowed, {"TagOnlyApproved"}, {"aws:TagKeys"}},
        EvalCase{"for_all_values_subset", {{std::string(kForAllValuesAllow)}}, "ec2:CreateTags",
                 "*", {{"aws:TagKeys", {"env"}}}, K::kAllowed, {"TagOnlyApproved"}},
        EvalCase{"for_all_values_extra_key", {{std::string(kForAllValuesAllow)}},
                 "ec2:CreateTags", "*", {{"aws:TagKeys", {"env", "owner"}}}, K::kImplicitDeny,
                 {}},
        // StringNotEquals with a multivalued key in a Deny.
        EvalCase{"not_equals_multivalued_deny",
                 {{std::string(kDenyMultiValued), std::string(kAllowAll)}}, "glue:GetTable", "*",
                 {{"aws:CalledVia", {"athena.amazonaws.com", "glue.amazonaws.com"}}},
                 K::kExplicitDeny, {"DenyUnlessOnlyAthena"}},
        EvalCase{"not_equals_single_value_not_denied",
                 {{std::string(kDenyMultiValued), std::string(kAllowAll)}}, "glue:GetTable", "*",
                 {{"aws:CalledVia", {"athena.amazonaws.com"}}}, K::kAllowed, {"FullAWSAccess"}},
        EvalCase{"ipv6_allowed", {{std::string(kIpv6)}}, "someservice:Do", "*",
                 {{"aws:SourceIp", {"2001:db8:1234:5678::42"}}}, K::kAllowed, {"FromOffice"}},
        EvalCase{"ipv6_outside", {{std::string(kIpv6)}}, "someservice:Do", "*",
                 {{"aws:SourceIp", {"2001:db8:ffff::1"}}}, K::kImplicitDeny, {}},
        EvalCase{"null_long_term_credentials", {{std::string(kNullTemporary)}},
                 "ec2:DescribeInstances", "*", {}, K::kAllowed, {"NoTemporaryCredentials"},
                 {"aws:TokenIssueTime"}},
        EvalCase{"null_temporary_credentials", {{std::string(kNullTemporary)}},
                 "ec2:DescribeInstances", "*",
                 {{"aws:TokenIssueTime", {"2024-01-01T00:00:00Z"}}}, K::kImplicitDeny, {}}),
    kParamName);
// clang-format on

const std::string kS3 = std::string(kAllowS3);

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    PolicyTypes, EvaluatorCaseTest,
    ::testing::Values(
        // [SCP] A Deny in an SCP wins over the identity policy's Allow.
        EvalCase{"scp_deny", {{kS3}, "", {std::string(kScpDenyDeleteBucket)}}, "s3:DeleteBucket",
                 "arn:aws:s3:::b", {}, K::kExplicitDeny, {"DenyDeleteBucket"}},
        EvalCase{"scp_allows", {{kS3}, "", {std::string(kScpDenyDeleteBucket)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kAllowed, {"AllowS3", "FullAWSAccess"}},
        // "there must be an explicit Allow statement at every level from the root through
        // each OU in the direct path to the account"
        EvalCase{"scp_level_without_allow",
                 {{kS3}, "", {std::string(kAllowAll), std::string(kAllowEc2Only)}},
                 "s3:GetObject", "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}},
        EvalCase{"scp_every_level_allows",
                 {{kS3}, "", {std::string(kAllowAll), std::string(kAllowS3)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kAllowed, {"AllowS3", "FullAWSAccess", "AllowS3"}},
        // SCPs do not grant: an Allow only in the SCP is an implicit deny.
        EvalCase{"scp_does_not_grant", {{}, "", {std::string(kAllowAll)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}},
        // [PB] "the entity can perform only the actions that are allowed by both its
        // identity-based policies and its permissions boundaries".
        EvalCase{"boundary_intersection", {{kS3}, std::string(kAllowGetObject)}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kAllowed, {"AllowS3", "GetOnly"}},
        EvalCase{"boundary_limits", {{kS3}, std::string(kAllowGetObject)}, "s3:PutObject",
                 "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}},
        // An Allow only in the boundary grants nothing.
        EvalCase{"allow_only_in_boundary", {{kS3}, std::string(kAllowCreateUser)},
                 "iam:CreateUser", "*", {}, K::kImplicitDeny, {}},
        EvalCase{"session_policy_limits", {{kS3}, "", {}, std::string(kAllowGetObject)},
                 "s3:PutObject", "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}},
        EvalCase{"session_policy_allows", {{kS3}, "", {}, std::string(kAllowGetObject)},
                 "s3:GetObject", "arn:aws:s3:::b/k", {}, K::kAllowed, {"AllowS3", "GetOnly"}}),
    kParamName);
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    ResourcePolicy, EvaluatorCaseTest,
    ::testing::Values(
        // [EVAL] "If either the identity-based policy or the resource-based policy within the
        // same account allows the request and the other doesn't, the request is still allowed."
        EvalCase{"grant_user_same_account",
                 {{}, "", {}, "", BucketPolicy(R"({"AWS": ")" + std::string(kUser) + R"("})"),
                  std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"Bucket"}},
        EvalCase{"grant_other_user",
                 {{}, "", {}, "", BucketPolicy(R"({"AWS": ")" + std::string(kUser) + R"("})"),
                  "arn:aws:iam::123456789012:user/bob"},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kImplicitDeny, {}},
        EvalCase{"grant_wildcard_principal",
                 {{}, "", {}, "", BucketPolicy(R"("*")"), std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"Bucket"}},
        // "resource-based policies that grant permissions to an IAM user ARN ... are not
        // limited by an implicit deny in an identity-based policy or permissions boundary."
        EvalCase{"grant_user_despite_boundary",
                 {{}, std::string(kAllowEc2Only), {}, "",
                  BucketPolicy(R"({"AWS": ")" + std::string(kUser) + R"("})"), std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"Bucket"}},
        // "Resource-based policies that grant permissions to an IAM role ARN are limited by an
        // implicit deny in a permissions boundary or session policy."
        EvalCase{"grant_role_limited_by_boundary",
                 {{}, std::string(kAllowEc2Only), {}, "",
                  BucketPolicy(R"({"AWS": ")" + std::string(kRoleArn) + R"("})"),
                  std::string(kRoleSession)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kImplicitDeny, {}},
        EvalCase{"grant_role_no_identity_needed",
                 {{}, "", {}, "", BucketPolicy(R"({"AWS": ")" + std::string(kRoleArn) + R"("})"),
                  std::string(kRoleSession)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"Bucket"}},
        // "resource-based policies that grant permissions to an IAM role session ARN grant
        // permissions directly to the assumed role session"
        EvalCase{"grant_role_session_direct",
                 {{}, std::string(kAllowEc2Only), {}, "",
                  BucketPolicy(R"({"AWS": ")" + std::string(kRoleSession) + R"("})"),
                  std::string(kRoleSession)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"Bucket"}},
        // The account as principal delegates to the account's identity policies.
        EvalCase{"grant_account_needs_identity",
                 {{}, "", {}, "", BucketPolicy(R"({"AWS": "123456789012"})"), std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kImplicitDeny, {}},
        EvalCase{"grant_account_with_identity",
                 {{kS3}, "", {}, "", BucketPolicy(R"({"AWS": "arn:aws:iam::123456789012:root"})"),
                  std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kAllowed, {"AllowS3"}},
        EvalCase{"resource_policy_deny",
                 {{kS3}, "", {}, "",
                  BucketPolicy(R"({"AWS": ")" + std::string(kUser) + R"("})", "Deny"),
                  std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kExplicitDeny, {"Bucket"}},
        EvalCase{"resource_policy_deny_account",
                 {{kS3}, "", {}, "", BucketPolicy(R"({"AWS": "123456789012"})", "Deny"),
                  std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kExplicitDeny, {"Bucket"}},
        // An SCP still applies to a resource-policy grant.
        EvalCase{"grant_user_scp_without_allow",
                 {{}, "", {std::string(kAllowEc2Only)}, "",
                  BucketPolicy(R"({"AWS": ")" + std::string(kUser) + R"("})"), std::string(kUser)},
                 "s3:GetObject", "arn:aws:s3:::shared/x", {}, K::kImplicitDeny, {}}),
    kParamName);
// clang-format on

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    ThreeValued, EvaluatorCaseTest,
    ::testing::Values(
        EvalCase{"allow_depends_on_tag", {{std::string(kTeamCondition)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kConditional, {"TeamOnly"}, {"aws:PrincipalTag/team"},
                 kUnknown},
        // The same request in AWS's runtime view: the key is absent, so no match.
        EvalCase{"allow_absent_tag", {{std::string(kTeamCondition)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}, {"aws:PrincipalTag/team"}},
        EvalCase{"allow_known_tag", {{std::string(kTeamCondition)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {{"aws:PrincipalTag/team", {"eng"}}}, K::kAllowed,
                 {"TeamOnly"}, {}, kUnknown},
        EvalCase{"deny_depends_on_region",
                 {{std::string(kAllowS3), std::string(kDenyOutsideRegion)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kConditional, {"AllowS3", "DenyOtherRegions"},
                 {"aws:RequestedRegion"}, kUnknown},
        EvalCase{"deny_region_known",
                 {{std::string(kAllowS3), std::string(kDenyOutsideRegion)}}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {{"aws:RequestedRegion", {"us-east-1"}}}, K::kExplicitDeny,
                 {"DenyOtherRegions"}, {}, kUnknown},
        // Denied whatever the tag: the boundary allows nothing here.
        EvalCase{"unknown_allow_boundary_denies",
                 {{std::string(kTeamCondition)}, std::string(kAllowEc2Only)}, "s3:GetObject",
                 "arn:aws:s3:::b/k", {}, K::kImplicitDeny, {}, {}, kUnknown},
        // A resource variable whose key is unknown: conditional only if it could match.
        EvalCase{"unknown_variable_could_match", {{std::string(kHomeDir2012)}}, "s3:GetObject",
                 "arn:aws:s3:::mybucket/David/x", {}, K::kConditional, {"Home"},
                 {"aws:username"}, kUnknown},
        EvalCase{"unknown_variable_cannot_match", {{std::string(kHomeDir2012)}},
                 "s3:GetObject", "arn:aws:s3:::otherbucket/David/x", {}, K::kImplicitDeny, {},
                 {}, kUnknown},
        EvalCase{"unknown_unconditional_allow", {{kS3}}, "s3:GetObject", "arn:aws:s3:::b/k", {},
                 K::kAllowed, {"AllowS3"}, {}, kUnknown}),
    kParamName);
// clang-format on

// --- other behaviour ------------------------------------------------------------------------

TEST(EvaluatorTest, MatchedStatementsCarryTheirSource) {
  PolicySet set;
  set.identity.push_back(P(kGetListDenyReports, "team/iam.json"));
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  const Decision d = compiled.evaluator->Evaluate({"iam:GetCredentialReport", "*", {}});
  ASSERT_EQ(d.kind, Decision::kExplicitDeny);
  ASSERT_EQ(d.matched.size(), 1u);
  const CompiledStatement& s = *d.matched[0].statement;
  EXPECT_EQ(s.file(), "team/iam.json");
  EXPECT_EQ(s.sid(), "DenyReports");
  EXPECT_EQ(s.effect(), Effect::kDeny);
  EXPECT_EQ(s.kind(), PolicyKind::kIdentity);
  EXPECT_EQ(s.index(), 1);
  EXPECT_GT(s.where().line, 0);
}

TEST(EvaluatorTest, ImplicitDenyNamesTheStageWithoutAllow) {
  PolicySet set;
  set.identity.push_back(P(kAllowS3));
  set.boundary = P(kAllowGetObject, "boundary.json");
  set.scps = {{P(kAllowAll, "root.json")}, {P(kAllowS3, "ou.json")}};
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  Decision d = compiled.evaluator->Evaluate({"s3:PutObject", "arn:aws:s3:::b/k", {}});
  EXPECT_EQ(d.kind, Decision::kImplicitDeny);
  EXPECT_EQ(d.denied_by, PolicyKind::kBoundary);
  compiled.evaluator->Evaluate({"ec2:RunInstances", "*", {}}, &d);
  EXPECT_EQ(d.denied_by, PolicyKind::kScp);
  EXPECT_EQ(d.denied_scp_level, 1);
}

TEST(EvaluatorTest, ReportsEveryCompileErrorWithItsLocation) {
  Policy policy = P(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"StringEquals": {"aws:username": "a"}}},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:username}"}}}]})",
                    "bad.json");
  // The parser rejects unknown operators itself; a Policy built another way
  // (PolicyFromJson, tests) still meets the evaluator's own check.
  ASSERT_EQ(policy.statements.size(), 2u);
  policy.statements[0].conditions[0].op.value = "StringEqual";
  PolicySet set;
  set.identity.push_back(std::move(policy));
  const auto compiled = Evaluator::Compile(set);
  EXPECT_FALSE(compiled.evaluator);
  ASSERT_EQ(compiled.errors.size(), 2u);
  EXPECT_EQ(compiled.errors[0].file, "bad.json");
  EXPECT_EQ(compiled.errors[0].where, (SourceLocation{3, 20}));
  EXPECT_THAT(compiled.errors[0].message, HasSubstr("unknown condition operator 'StringEqual'"));
  EXPECT_EQ(compiled.errors[1].where, (SourceLocation{5, 55}));
  EXPECT_THAT(compiled.errors[1].message,
              HasSubstr("policy variables cannot be used with Numeric operators"));
}

TEST(EvaluatorTest, ExposesCompiledStatementsForOtherAnalyses) {
  PolicySet set;
  set.identity.push_back(P(kNotActionS3));
  set.identity.push_back(P(kHomeDir2012));
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  const auto statements = compiled.evaluator->statements();
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_TRUE(statements[0].not_action());
  EXPECT_TRUE(statements[0].MatchesAction("s3:GetObject"));
  EXPECT_FALSE(statements[0].MatchesAction("S3:DeleteBucket"));
  EXPECT_TRUE(statements[0].MatchesAction("ec2:RunInstances"));  // the resource scopes it
  ASSERT_EQ(statements[0].resources().size(), 1u);
  ASSERT_NE(statements[0].resources()[0].static_pattern(), nullptr);
  EXPECT_TRUE(statements[0].resources()[0].static_pattern()->Covers(
      ArnPattern::Compile("arn:aws:s3:::bucket/*")));
  ASSERT_EQ(statements[1].resources().size(), 1u);
  EXPECT_EQ(statements[1].resources()[0].static_pattern(), nullptr);  // has a variable
  EXPECT_TRUE(statements[1].resources()[0].tmpl().HasVariables());
  EXPECT_TRUE(statements[1].conditions().empty());
}

TEST(EvaluatorTest, ReusedDecisionIsReset) {
  PolicySet set;
  set.identity.push_back(P(kTeamCondition));
  set.identity.push_back(P(kGetListDenyReports));
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  Decision d;
  compiled.evaluator->Evaluate({"s3:GetObject", "arn:aws:s3:::b/k", {}}, &d);
  EXPECT_EQ(d.missing_context.size(), 1u);
  compiled.evaluator->Evaluate({"iam:GetUser", "*", {}}, &d);
  EXPECT_EQ(d.kind, Decision::kAllowed);
  EXPECT_TRUE(d.missing_context.empty());
  EXPECT_EQ(d.matched.size(), 1u);
}

TEST(EvaluatorTest, MissingContextIsDeduplicatedCaseInsensitively) {
  PolicySet set;
  set.identity.push_back(P(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a"}}},
    {"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
     "Condition": {"StringEquals": {"AWS:PrincipalTag/Team": "b"}}}]})"));
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  Request r{"s3:GetObject", "arn:aws:s3:::b/k", {}, MissingKeys::kUnknown};
  const Decision d = compiled.evaluator->Evaluate(r);
  EXPECT_EQ(d.kind, Decision::kConditional);
  EXPECT_EQ(d.matched.size(), 2u);
  ASSERT_EQ(d.missing_context.size(), 1u);
  EXPECT_EQ(d.missing_context[0], "aws:PrincipalTag/team");
}

TEST(EvaluatorTest, WildcardServicePatternsAreCandidatesForEveryService) {
  PolicySet set;
  set.identity.push_back(P(R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Describe", "Effect": "Allow", "Action": "*:Describe*", "Resource": "*"},
    {"Sid": "S3", "Effect": "Allow", "Action": "s3:List*", "Resource": "*"}]})"));
  auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  const Evaluator& ev = *compiled.evaluator;
  EXPECT_TRUE(ev.Evaluate({"ec2:DescribeInstances", "*", {}}).allowed());
  EXPECT_TRUE(ev.Evaluate({"S3:DescribeJob", "*", {}}).allowed());
  EXPECT_TRUE(ev.Evaluate({"s3:ListBucket", "*", {}}).allowed());
  EXPECT_FALSE(ev.Evaluate({"s3:GetObject", "*", {}}).allowed());
  EXPECT_FALSE(ev.Evaluate({"nocolon", "*", {}}).allowed());
}

}  // namespace
}  // namespace iam_audit
