// The caller and resource policies' Principal / NotPrincipal (principal.h),
// which resource a resource policy governs (resource_policy.h), and the
// resource side of the evaluation engine (evaluator.h): cross-account
// requests, KMS key policies, role trust policies, RCPs, the anonymous caller,
// the NotPrincipal-with-boundary rule and sts:GetCallerIdentity.
// Table-driven, each rule with an allowing and a denying case.
//
// Sources (quoted in docs/evaluation.md section 1.3):
//   [XACCT] "Cross-account policy evaluation logic"
//   [EVAL]  "Policy evaluation logic" ("IAM role trust policies and KMS key
//           policies are exceptions ... they must explicitly allow access")
//   [KMS]   AWS KMS "Key policies" and "Allows access to the AWS account and
//           enables IAM policies"
//   [PRIN]  "AWS JSON policy elements: Principal" / "NotPrincipal"
//   [PB]    "Permissions boundaries for IAM entities"
//   [RCP]   AWS Organizations "Resource control policies (RCPs)"
//   [GCI]   AWS STS API Reference, "GetCallerIdentity"
#include "iam_audit/principal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "iam_audit/evaluator.h"
#include "iam_audit/resource_policy.h"

namespace iam_audit {
namespace {

Policy P(std::string_view json, const std::string& file) {
  PolicyParseResult r = ParsePolicy(json, file);
  EXPECT_TRUE(r.errors.empty()) << file << ": " << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.policy ? std::move(*r.policy) : Policy{};
}

// --- Caller and Principal ---------------------------------------------------------------

TEST(CallerTest, ParsesEveryKindOfCaller) {
  const Caller session = Caller::Parse("arn:aws:sts::111122223333:assumed-role/dbt/s1");
  EXPECT_EQ(session.type, Caller::Type::kRoleSession);
  EXPECT_EQ(session.account, "111122223333");
  EXPECT_EQ(session.role_name, "dbt");
  EXPECT_EQ(session.PrincipalArn(), "arn:aws:iam::111122223333:role/dbt");
  EXPECT_EQ(Caller::Parse("arn:aws:iam::111122223333:role/svc/dbt").role_name, "dbt");
  EXPECT_EQ(Caller::Parse("111122223333").type, Caller::Type::kRoot);
  EXPECT_EQ(Caller::Parse("111122223333").PrincipalArn(), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(Caller::Parse("anonymous").type, Caller::Type::kAnonymous);
  EXPECT_EQ(Caller::Parse("glue.amazonaws.com").type, Caller::Type::kService);
  EXPECT_FALSE(Caller::Parse("").known());
  // --principal-account for a caller whose ARN is not known.
  const Caller named = Caller::Parse("", "444455556666");
  EXPECT_TRUE(named.known());
  EXPECT_EQ(named.account, "444455556666");
}

TEST(CallerTest, AddsThePrincipalKeys) {
  RequestContext context;
  AddCallerKeys(Caller::Parse("arn:aws:sts::111122223333:assumed-role/dbt/s1"), &context);
  ASSERT_NE(context.Find("aws:PrincipalArn"), nullptr);
  EXPECT_EQ(context.Find("aws:PrincipalArn")->front(), "arn:aws:iam::111122223333:role/dbt");
  EXPECT_EQ(context.Find("aws:PrincipalAccount")->front(), "111122223333");
  RequestContext anonymous;
  AddCallerKeys(Caller::Parse("anonymous"), &anonymous);
  EXPECT_TRUE(anonymous.empty());
  // A value given explicitly wins.
  RequestContext given;
  given.Add("aws:PrincipalAccount", "999999999999");
  AddCallerKeys(Caller::Parse("arn:aws:iam::111122223333:user/alice"), &given);
  EXPECT_EQ(given.Find("aws:PrincipalAccount")->front(), "999999999999");
}

struct PrincipalCase {
  const char* name;
  std::string principal;  // the statement's Principal / NotPrincipal JSON
  bool not_principal;
  std::string caller;
  PrincipalMatch want;
  bool has_boundary = false;
  const char* effect = "Deny";
};

class PrincipalMatchTest : public ::testing::TestWithParam<PrincipalCase> {};

TEST_P(PrincipalMatchTest, Matches) {
  const PrincipalCase& c = GetParam();
  const std::string json = std::string(R"({"Version": "2012-10-17", "Statement": [{"Effect": ")") +
                           c.effect + R"(", ")" + (c.not_principal ? "NotPrincipal" : "Principal") +
                           R"(": )" + c.principal + R"(, "Action": "s3:*", "Resource": "*"}]})";
  const Policy p = P(json, "resource.json");
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(MatchPrincipal(p.statements[0], Caller::Parse(c.caller), c.has_boundary), c.want);
}

constexpr const char* kRole = "arn:aws:iam::111122223333:role/dbt";
constexpr const char* kSession = "arn:aws:sts::111122223333:assumed-role/dbt/s1";

INSTANTIATE_TEST_SUITE_P(
    Cases, PrincipalMatchTest,
    ::testing::Values(
        // [PRIN] "*" and {"AWS": "*"}: every caller, the anonymous one included.
        PrincipalCase{"star_anonymous", R"("*")", false, "anonymous", PrincipalMatch::kDirect},
        PrincipalCase{"aws_star_role", R"({"AWS": "*"})", false, kRole, PrincipalMatch::kDirect},
        PrincipalCase{"role_arn_anonymous", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})",
                      false, "anonymous", PrincipalMatch::kNone},
        // The account root delegates; another account does not apply.
        PrincipalCase{"account_root", R"({"AWS": "arn:aws:iam::111122223333:root"})", false,
                      kSession, PrincipalMatch::kAccount},
        PrincipalCase{"account_id", R"({"AWS": "111122223333"})", false, kRole,
                      PrincipalMatch::kAccount},
        PrincipalCase{"other_account", R"({"AWS": "444455556666"})", false, kRole,
                      PrincipalMatch::kNone},
        // A role ARN names the role's sessions (path-insensitive).
        PrincipalCase{"role_names_session", R"({"AWS": "arn:aws:iam::111122223333:role/x/dbt"})",
                      false, kSession, PrincipalMatch::kRole},
        PrincipalCase{"other_role", R"({"AWS": "arn:aws:iam::111122223333:role/etl"})", false,
                      kSession, PrincipalMatch::kNone},
        PrincipalCase{"session_itself",
                      R"({"AWS": "arn:aws:sts::111122223333:assumed-role/dbt/s1"})", false,
                      kSession, PrincipalMatch::kDirect},
        // Service principals name the service only.
        PrincipalCase{"service", R"({"Service": "glue.amazonaws.com"})", false,
                      "glue.amazonaws.com", PrincipalMatch::kDirect},
        PrincipalCase{"service_not_role", R"({"Service": "glue.amazonaws.com"})", false, kRole,
                      PrincipalMatch::kNone},
        // NotPrincipal: everyone not listed...
        PrincipalCase{"not_principal_listed", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})",
                      true, kRole, PrincipalMatch::kNone},
        PrincipalCase{"not_principal_other", R"({"AWS": "arn:aws:iam::111122223333:role/etl"})",
                      true, kRole, PrincipalMatch::kDirect},
        // ...but [PB] "The NotPrincipal element with a Deny effect will always deny any IAM
        // principal that has a permissions boundary policy attached".
        PrincipalCase{"not_principal_boundary", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})",
                      true, kRole, PrincipalMatch::kDirect, true}),
    [](const auto& info) { return std::string(info.param.name); });

// --- which policy governs a resource -------------------------------------------------------

TEST(ResourcePolicyTest, CoversItsResource) {
  EXPECT_TRUE(ResourcePolicyCovers("arn:aws:s3:::data", "arn:aws:s3:::data"));
  EXPECT_TRUE(ResourcePolicyCovers("arn:aws:s3:::data", "arn:aws:s3:::data/dbt/x.parquet"));
  EXPECT_FALSE(ResourcePolicyCovers("arn:aws:s3:::data", "arn:aws:s3:::data-raw/x"));
  EXPECT_FALSE(ResourcePolicyCovers("arn:aws:s3:::data", "arn:aws:s3:::other/x"));
  const std::string catalog = "arn:aws:glue:eu-west-1:111122223333:catalog";
  EXPECT_TRUE(ResourcePolicyCovers(catalog, "arn:aws:glue:eu-west-1:111122223333:table/db/t"));
  EXPECT_FALSE(ResourcePolicyCovers(catalog, "arn:aws:glue:us-east-1:111122223333:table/db/t"));
  const std::string key = "arn:aws:kms:eu-west-1:111122223333:key/k1";
  EXPECT_TRUE(ResourcePolicyCovers(key, key));
  EXPECT_FALSE(ResourcePolicyCovers(key, "arn:aws:kms:eu-west-1:111122223333:key/k2"));
}

TEST(ResourcePolicyTest, NamesAndOwners) {
  EXPECT_EQ(PolicyNameOf(KindOfPolicyResource("arn:aws:s3:::data")), "bucket policy");
  EXPECT_EQ(PolicyNameOf(KindOfPolicyResource("arn:aws:kms:r:111122223333:key/k")), "key policy");
  EXPECT_EQ(PolicyNameOf(KindOfPolicyResource(kRole)), "trust policy");
  EXPECT_EQ(PolicyResourceOf("arn:aws:s3:::data/dbt/x"), "arn:aws:s3:::data");
  EXPECT_EQ(PolicyResourceOf("arn:aws:glue:r:111122223333:table/db/t"),
            "arn:aws:glue:r:111122223333:catalog");
}

TEST(ResourcePolicyTest, MustAllowOnlyKeysAndTrust) {
  EXPECT_TRUE(MustBeAllowedByResourcePolicy("kms:Decrypt", "arn:aws:kms:r:111122223333:key/k"));
  EXPECT_TRUE(MustBeAllowedByResourcePolicy("sts:AssumeRole", kRole));
  EXPECT_TRUE(MustBeAllowedByResourcePolicy("sts:TagSession", kRole));
  EXPECT_FALSE(MustBeAllowedByResourcePolicy("s3:GetObject", "arn:aws:s3:::data/x"));
  EXPECT_FALSE(MustBeAllowedByResourcePolicy("iam:PassRole", kRole));
  EXPECT_FALSE(MustBeAllowedByResourcePolicy("kms:Decrypt", "arn:aws:kms:r:111122223333:alias/a"));
}

// --- the resource side of the evaluation ---------------------------------------------------

std::string Allow(std::string_view action, std::string_view resource) {
  return R"({"Version": "2012-10-17", "Statement": [{"Sid": "Id", "Effect": "Allow", "Action": ")" +
         std::string(action) + R"(", "Resource": ")" + std::string(resource) + R"("}]})";
}
std::string ResourceStatement(std::string_view sid, std::string_view effect,
                              std::string_view principal, std::string_view action,
                              std::string_view extra = "") {
  return R"({"Version": "2012-10-17", "Statement": [{"Sid": ")" + std::string(sid) +
         R"(", "Effect": ")" + std::string(effect) + R"(", "Principal": )" +
         std::string(principal) + R"(, "Action": ")" + std::string(action) +
         R"(", "Resource": "*")" + std::string(extra) + "}]}";
}

constexpr const char* kCaller = "arn:aws:sts::111122223333:assumed-role/dbt/s1";
constexpr const char* kOwnBucket = "arn:aws:s3:::own";
constexpr const char* kOtherBucket = "arn:aws:s3:::partner";  // account 444455556666
constexpr const char* kKey = "arn:aws:kms:eu-west-1:111122223333:key/k1";
constexpr const char* kOtherKey = "arn:aws:kms:eu-west-1:444455556666:key/k9";
constexpr const char* kTarget = "arn:aws:iam::111122223333:role/target";

struct SideCase {
  const char* name;
  std::vector<std::string> identity = {};
  std::vector<std::pair<std::string, std::string>> resource_policies = {};  // ARN, JSON
  std::string action;
  std::string resource;
  Decision::Kind want;
  PolicyKind denied_by = PolicyKind::kIdentity;
  std::string principal = kCaller;
  std::string boundary = {};
  std::vector<std::string> rcps = {};
  std::map<std::string, std::string> context = {};
  std::vector<std::pair<std::string, std::string>> endpoints = {};  // service, JSON
  std::vector<std::string> scps = {};                               // one level each
  std::string session = {};                                         // session policy
};

void PrintTo(const SideCase& c, std::ostream* os) { *os << c.name; }

class ResourceSideTest : public ::testing::TestWithParam<SideCase> {};

TEST_P(ResourceSideTest, Decides) {
  const SideCase& c = GetParam();
  PolicySet set;
  for (const std::string& json : c.identity) set.identity.push_back(P(json, "identity.json"));
  for (const auto& [arn, json] : c.resource_policies) {
    // The partner bucket is in another account (an S3 ARN does not say).
    set.resource_policies.push_back(
        {arn, arn == kOtherBucket ? "444455556666" : "", P(json, "resource.json")});
  }
  if (!c.boundary.empty()) set.boundary = P(c.boundary, "boundary.json");
  for (const std::string& json : c.rcps) set.rcps.push_back({P(json, "rcp.json")});
  for (const auto& [service, json] : c.endpoints) {
    set.vpc_endpoints.push_back({service, P(json, "endpoint.json")});
  }
  for (const std::string& json : c.scps) set.scps.push_back({P(json, "scp.json")});
  if (!c.session.empty()) set.session = P(c.session, "session.json");
  set.principal = c.principal;
  const auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator) << compiled.errors[0].ToString();
  Request request{c.action, c.resource, {}, MissingKeys::kAbsent};
  for (const auto& [k, v] : c.context) request.context.Add(k, v);
  AddCallerKeys(Caller::Parse(c.principal), &request.context);
  const Decision d = compiled.evaluator->Evaluate(request);
  EXPECT_EQ(DecisionName(d.kind), DecisionName(c.want));
  if (c.want == Decision::kImplicitDeny) {
    EXPECT_EQ(PolicyKindName(d.denied_by), PolicyKindName(c.denied_by));
  }
  if (c.want == Decision::kNeedsResourcePolicy) {
    EXPECT_FALSE(d.needed_policy.empty());
  }
}

const std::string kGetOwn = Allow("s3:GetObject", "arn:aws:s3:::own/*");
const std::string kGetPartner = Allow("s3:GetObject", "arn:aws:s3:::partner/*");
const std::string kDecryptAny = Allow("kms:Decrypt", "*");
const std::string kAssumeTarget = Allow("sts:AssumeRole", kTarget);
const std::string kAllowAll = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})";
const std::string kDenyAll = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "DenyAll", "Effect": "Deny", "Action": "*", "Resource": "*"}]})";

// [KMS] "Allows access to the AWS account and enables IAM policies".
const std::string kKeyDelegates = ResourceStatement(
    "EnableIAM", "Allow", R"({"AWS": "arn:aws:iam::111122223333:root"})", "kms:*");
const std::string kKeyNamesOtherRole = ResourceStatement(
    "Admins", "Allow", R"({"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"})", "kms:*");
const std::string kKeyNamesDbt = ResourceStatement(
    "Dbt", "Allow", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})", "kms:Decrypt");
const std::string kPartnerKeyDelegates = ResourceStatement(
    "Partner", "Allow", R"({"AWS": "arn:aws:iam::111122223333:root"})", "kms:Decrypt");
const std::string kPartnerAllowsDbt = ResourceStatement(
    "Dbt", "Allow", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})", "s3:GetObject");
const std::string kPartnerAllowsAccount =
    ResourceStatement("Acct", "Allow", R"({"AWS": "111122223333"})", "s3:GetObject");
const std::string kPartnerAllowsOther = ResourceStatement(
    "Other", "Allow", R"({"AWS": "arn:aws:iam::999988887777:root"})", "s3:GetObject");
const std::string kTrustDbt = ResourceStatement(
    "Trust", "Allow", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})", "sts:AssumeRole");
const std::string kTrustOther = ResourceStatement(
    "Trust", "Allow", R"({"AWS": "arn:aws:iam::111122223333:role/ci"})", "sts:AssumeRole");
const std::string kTrustAccount = ResourceStatement(
    "Trust", "Allow", R"({"AWS": "arn:aws:iam::111122223333:root"})", "sts:AssumeRole");
const std::string kPublicRead = ResourceStatement("Public", "Allow", R"("*")", "s3:GetObject");
const std::string kPrivateRead = kPartnerAllowsDbt;
const std::string kDenyNotDbt = ResourceStatement(
    "OnlyDbt", "Deny", R"({"AWS": "arn:aws:iam::111122223333:role/dbt"})", "s3:*");
const std::string kDenyInsecure =
    ResourceStatement("TLS", "Deny", R"("*")", "s3:*",
                      R"(, "Condition": {"Bool": {"aws:SecureTransport": "false"}})");
const std::string kDenyOtherArns =
    ResourceStatement("Arn", "Deny", R"("*")", "s3:*",
                      R"(, "Condition": {"ArnNotEquals": {"aws:PrincipalArn": )"
                      R"("arn:aws:iam::111122223333:role/dbt"}})");
// [RCP] an identity perimeter, after AWS's example.
const std::string kRcpFull = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})";
const std::string kRcpPerimeter = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
    {"Sid": "Perimeter", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
     "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}}}]})";
const std::string kRcpS3Only = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]})";
const std::string kRcpDenyKms = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "NoKms", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]})";

const std::string kOwnObject = "arn:aws:s3:::own/dbt/x";
const std::string kPartnerObject = "arn:aws:s3:::partner/dbt/x";

INSTANTIATE_TEST_SUITE_P(
    Cases, ResourceSideTest,
    ::testing::Values(
        // [XACCT] both the identity side and the resource policy must allow.
        SideCase{"cross_account_without_policy",
                 {},
                 {},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kImplicitDeny,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {},
                 {{"aws:ResourceAccount", "444455556666"}}},
        SideCase{"cross_account_policy_not_given",
                 {kGetPartner},
                 {},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kNeedsResourcePolicy,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {},
                 {{"aws:ResourceAccount", "444455556666"}}},
        SideCase{"cross_account_policy_names_role",
                 {kGetPartner},
                 {{kOtherBucket, kPartnerAllowsDbt}},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kAllowed},
        SideCase{"cross_account_policy_names_account",
                 {kGetPartner},
                 {{kOtherBucket, kPartnerAllowsAccount}},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kAllowed},
        SideCase{"cross_account_policy_names_other",
                 {kGetPartner},
                 {{kOtherBucket, kPartnerAllowsOther}},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kImplicitDeny,
                 PolicyKind::kResource},
        SideCase{"cross_account_identity_missing",
                 {},
                 {{kOtherBucket, kPartnerAllowsDbt}},
                 "s3:GetObject",
                 kPartnerObject,
                 Decision::kImplicitDeny,
                 PolicyKind::kIdentity},
        SideCase{"cross_account_key_delegates",
                 {kDecryptAny},
                 {{kOtherKey, kPartnerKeyDelegates}},
                 "kms:Decrypt",
                 kOtherKey,
                 Decision::kAllowed},
        // Same account: either side suffices [EVAL]; another bucket's policy does not apply.
        SideCase{"same_account_bucket_policy_alone",
                 {},
                 {{kOwnBucket, kPartnerAllowsDbt}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed},
        SideCase{"other_bucket_policy_does_not_apply",
                 {kGetOwn},
                 {{kOtherBucket, kDenyNotDbt}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed},
        // [KMS] the key policy must allow: directly, or by delegating to IAM.
        SideCase{"key_delegates_identity_allows",
                 {kDecryptAny},
                 {{kKey, kKeyDelegates}},
                 "kms:Decrypt",
                 kKey,
                 Decision::kAllowed},
        SideCase{"key_delegates_identity_silent",
                 {},
                 {{kKey, kKeyDelegates}},
                 "kms:Decrypt",
                 kKey,
                 Decision::kImplicitDeny,
                 PolicyKind::kIdentity},
        SideCase{"key_does_not_delegate",
                 {kDecryptAny},
                 {{kKey, kKeyNamesOtherRole}},
                 "kms:Decrypt",
                 kKey,
                 Decision::kImplicitDeny,
                 PolicyKind::kResource},
        SideCase{
            "key_names_role", {}, {{kKey, kKeyNamesDbt}}, "kms:Decrypt", kKey, Decision::kAllowed},
        SideCase{"key_policy_not_given",
                 {kDecryptAny},
                 {},
                 "kms:Decrypt",
                 kKey,
                 Decision::kNeedsResourcePolicy},
        // [EVAL] the trust policy must allow the caller.
        SideCase{"trust_names_caller_role",
                 {kAssumeTarget},
                 {{kTarget, kTrustDbt}},
                 "sts:AssumeRole",
                 kTarget,
                 Decision::kAllowed},
        SideCase{"trust_names_another_principal",
                 {kAssumeTarget},
                 {{kTarget, kTrustOther}},
                 "sts:AssumeRole",
                 kTarget,
                 Decision::kImplicitDeny,
                 PolicyKind::kResource},
        SideCase{"trust_names_account_identity_allows",
                 {kAssumeTarget},
                 {{kTarget, kTrustAccount}},
                 "sts:AssumeRole",
                 kTarget,
                 Decision::kAllowed},
        SideCase{"trust_names_account_identity_silent",
                 {},
                 {{kTarget, kTrustAccount}},
                 "sts:AssumeRole",
                 kTarget,
                 Decision::kImplicitDeny,
                 PolicyKind::kIdentity},
        SideCase{"trust_policy_not_given",
                 {kAssumeTarget},
                 {},
                 "sts:AssumeRole",
                 kTarget,
                 Decision::kNeedsResourcePolicy},
        // [RCP] every level must allow; a Deny denies.
        SideCase{"rcp_full_access",
                 {kGetOwn},
                 {},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {kRcpFull}},
        SideCase{"rcp_perimeter_inside",
                 {kGetOwn},
                 {},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {kRcpPerimeter},
                 {{"aws:PrincipalOrgID", "o-mine"}}},
        SideCase{"rcp_perimeter_outside",
                 {kGetOwn},
                 {},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kExplicitDeny,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {kRcpPerimeter},
                 {{"aws:PrincipalOrgID", "o-theirs"}}},
        // [RCP] RCPFullAWSAccess cannot be detached: a level without an Allow still allows.
        SideCase{"rcp_level_without_allow",
                 {kDecryptAny},
                 {{kKey, kKeyDelegates}},
                 "kms:Decrypt",
                 kKey,
                 Decision::kAllowed,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {kRcpS3Only}},
        SideCase{"rcp_deny",
                 {kDecryptAny},
                 {{kKey, kKeyDelegates}},
                 "kms:Decrypt",
                 kKey,
                 Decision::kExplicitDeny,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {kRcpDenyKms}},
        // [PRIN] the anonymous caller: only a public grant.
        SideCase{"anonymous_public_bucket",
                 {},
                 {{kOwnBucket, kPublicRead}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed,
                 PolicyKind::kIdentity,
                 "anonymous"},
        SideCase{"anonymous_private_bucket",
                 {},
                 {{kOwnBucket, kPrivateRead}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kImplicitDeny,
                 PolicyKind::kResource,
                 "anonymous"},
        SideCase{"anonymous_no_policy",
                 {kAllowAll},
                 {},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kImplicitDeny,
                 PolicyKind::kResource,
                 "anonymous"},
        // [PB] NotPrincipal with Deny denies a principal with a boundary.
        SideCase{"not_principal_without_boundary",
                 {kGetOwn},
                 {{kOwnBucket, R"({
            "Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/dbt",
                                     "arn:aws:sts::111122223333:assumed-role/dbt/s1"]},
            "Action": "s3:*", "Resource": "*"}]})"}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed},
        SideCase{"not_principal_with_boundary",
                 {kGetOwn},
                 {{kOwnBucket, R"({
            "Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:role/dbt",
                                     "arn:aws:sts::111122223333:assumed-role/dbt/s1"]},
            "Action": "s3:*", "Resource": "*"}]})"}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kExplicitDeny,
                 PolicyKind::kIdentity,
                 kCaller,
                 kAllowAll},
        // Conditions on the caller's keys and on the request context.
        SideCase{"principal_arn_condition_match",
                 {kGetOwn},
                 {{kOwnBucket, kDenyOtherArns}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed},
        SideCase{"principal_arn_condition_other",
                 {kGetOwn},
                 {{kOwnBucket, kDenyOtherArns}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kExplicitDeny,
                 PolicyKind::kIdentity,
                 "arn:aws:sts::111122223333:assumed-role/etl/s1"},
        SideCase{"secure_transport_true",
                 {kGetOwn},
                 {{kOwnBucket, kDenyInsecure}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kAllowed,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {},
                 {{"aws:SecureTransport", "true"}}},
        SideCase{"secure_transport_false",
                 {kGetOwn},
                 {{kOwnBucket, kDenyInsecure}},
                 "s3:GetObject",
                 kOwnObject,
                 Decision::kExplicitDeny,
                 PolicyKind::kIdentity,
                 kCaller,
                 {},
                 {},
                 {{"aws:SecureTransport", "false"}}},
        // [GCI] "No permissions are required"; other STS actions still need them.
        SideCase{"get_caller_identity_denied_anyway",
                 {kDenyAll},
                 {},
                 "sts:GetCallerIdentity",
                 "*",
                 Decision::kAllowed},
        SideCase{"get_session_token_denied",
                 {kAllowAll, kDenyAll},
                 {},
                 "sts:GetSessionToken",
                 "*",
                 Decision::kExplicitDeny}),
    [](const auto& info) { return std::string(info.param.name); });

// --- VPC endpoint policies, the anonymous caller and SCPs, session principals ---------------
//
//   [VPCE] Amazon VPC "Control access to VPC endpoints using endpoint policies":
//          "An endpoint policy does not override or replace identity-based
//          policies or resource-based policies"; gateway endpoints: "If you
//          specify the principal in the format "AWS": "account_id", access is
//          granted to the AWS account root user only".
//   [SCP]  "SCPs affect only IAM users and roles that are managed by accounts
//          that are part of the organization."
//   [EVAL] "If a resource-based policy grants permission directly to the IAM
//          user or the session principal that is making the request, then an
//          implicit deny in ... a session policy does not impact the final
//          decision."

// Endpoint policies, written as teams write them.
const std::string kEndpointOwnBucket = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "OwnBucket", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::own", "arn:aws:s3:::own/*"]}]})";
const std::string kEndpointOnlyEtl = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
     "Condition": {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/etl"}}}]})";
const std::string kEndpointAccount = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"}]})";
const std::string kEndpointDenyPut = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
    {"Sid": "NoWrites", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "*"}]})";
const std::string kEndpointAll = R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})";
const std::string kPutOwn = Allow("s3:PutObject", "arn:aws:s3:::own/*");
const std::string kSessionEc2 = Allow("ec2:*", "*");
const std::string kBucketNamesSession = ResourceStatement(
    "Session", "Allow", std::string(R"({"AWS": ")") + kCaller + R"("})", "s3:GetObject");
const std::string kBucketNamesRole = kPartnerAllowsDbt;

INSTANTIATE_TEST_SUITE_P(
    Endpoints, ResourceSideTest,
    ::testing::Values(
        // The endpoint's policy must allow, and only caps: it grants nothing.
        SideCase{.name = "endpoint_allows",
                 .identity = {kGetOwn},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kAllowed,
                 .endpoints = {{"s3", kEndpointOwnBucket}}},
        SideCase{.name = "endpoint_other_bucket",
                 .identity = {kGetPartner},
                 .action = "s3:GetObject",
                 .resource = kPartnerObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kEndpoint,
                 .endpoints = {{"s3", kEndpointOwnBucket}}},
        SideCase{.name = "endpoint_grants_nothing",
                 .identity = {},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kIdentity,
                 .endpoints = {{"s3", kEndpointAll}}},
        SideCase{.name = "endpoint_deny",
                 .identity = {kPutOwn},
                 .action = "s3:PutObject",
                 .resource = kOwnObject,
                 .want = Decision::kExplicitDeny,
                 .endpoints = {{"", kEndpointDenyPut}}},
        // A request of another service does not go through an S3 endpoint.
        SideCase{.name = "endpoint_of_another_service",
                 .identity = {kDecryptAny},
                 .resource_policies = {{kKey, kKeyDelegates}},
                 .action = "kms:Decrypt",
                 .resource = kKey,
                 .want = Decision::kAllowed,
                 .endpoints = {{"s3", kEndpointOwnBucket}}},
        SideCase{.name = "endpoint_for_every_service",
                 .identity = {kDecryptAny},
                 .resource_policies = {{kKey, kKeyDelegates}},
                 .action = "kms:Decrypt",
                 .resource = kKey,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kEndpoint,
                 .endpoints = {{"", kEndpointOwnBucket}}},
        // Gateway endpoints name principals with aws:PrincipalArn.
        SideCase{.name = "endpoint_principal_arn_other",
                 .identity = {kGetOwn},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kEndpoint,
                 .endpoints = {{"s3", kEndpointOnlyEtl}}},
        SideCase{.name = "endpoint_principal_arn_match",
                 .identity = {kGetOwn},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kAllowed,
                 .principal = "arn:aws:sts::111122223333:assumed-role/etl/s1",
                 .endpoints = {{"s3", kEndpointOnlyEtl}}},
        // "AWS": "account_id" names the account root only, not its roles.
        SideCase{.name = "endpoint_account_is_root_only",
                 .identity = {kGetOwn},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kEndpoint,
                 .endpoints = {{"s3", kEndpointAccount}}},
        // The anonymous caller goes through the endpoint too.
        SideCase{.name = "endpoint_anonymous_public_bucket",
                 .resource_policies = {{kOwnBucket, kPublicRead}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kAllowed,
                 .principal = "anonymous",
                 .endpoints = {{"s3", kEndpointOwnBucket}}},
        SideCase{.name = "endpoint_anonymous_other_bucket",
                 .resource_policies = {{kOtherBucket, kPublicRead}},
                 .action = "s3:GetObject",
                 .resource = kPartnerObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kEndpoint,
                 .principal = "anonymous",
                 .endpoints = {{"s3", kEndpointOwnBucket}}},
        // [SCP] no SCP applies to the anonymous caller, an RCP does.
        SideCase{.name = "anonymous_scp_deny_does_not_apply",
                 .resource_policies = {{kOwnBucket, kPublicRead}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kAllowed,
                 .principal = "anonymous",
                 .scps = {kDenyAll}},
        SideCase{.name = "anonymous_rcp_deny_applies",
                 .resource_policies = {{kOwnBucket, kPublicRead}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kExplicitDeny,
                 .principal = "anonymous",
                 .rcps = {R"({"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
                     "Principal": "*", "Action": "s3:*", "Resource": "*"}]})"}},
        SideCase{.name = "signed_caller_scp_deny_applies",
                 .identity = {kGetOwn},
                 .resource_policies = {{kOwnBucket, kPublicRead}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kExplicitDeny,
                 .scps = {kDenyAll}},
        // [EVAL] a resource policy naming the session is not capped by the
        // session policy; one naming the role is.
        SideCase{.name = "session_principal_beats_session_policy",
                 .resource_policies = {{kOwnBucket, kBucketNamesSession}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kAllowed,
                 .session = kSessionEc2},
        SideCase{.name = "role_principal_capped_by_session_policy",
                 .resource_policies = {{kOwnBucket, kBucketNamesRole}},
                 .action = "s3:GetObject",
                 .resource = kOwnObject,
                 .want = Decision::kImplicitDeny,
                 .denied_by = PolicyKind::kSession,
                 .session = kSessionEc2}),
    [](const auto& info) { return std::string(info.param.name); });

// --- which requests go through a VPC endpoint ----------------------------------------------

TEST(EndpointPolicyTest, ServicePrefixOfTheEndpointsServiceName) {
  EXPECT_EQ(EndpointServicePrefix("com.amazonaws.eu-west-1.s3"), "s3");
  EXPECT_EQ(EndpointServicePrefix("com.amazonaws.us-east-1.ecr.api"), "ecr");
  EXPECT_EQ(EndpointServicePrefix("com.amazonaws.eu-west-1.monitoring"), "cloudwatch");
  EXPECT_EQ(EndpointServicePrefix("cn.com.amazonaws.cn-north-1.glue"), "glue");
  // A template's region placeholder holds a '.'.
  EXPECT_EQ(EndpointServicePrefix("com.amazonaws.{unresolved.AWS::Region}.athena"), "athena");
  EXPECT_EQ(EndpointServicePrefix("S3"), "s3");
  EXPECT_EQ(EndpointServicePrefix(""), "");
}

TEST(EndpointPolicyTest, SplitsTheOptionsArgument) {
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(SplitEndpointArgument("s3=endpoint.json"), (Pair{"s3", "endpoint.json"}));
  EXPECT_EQ(SplitEndpointArgument("com.amazonaws.eu-west-1.glue=e.json"), (Pair{"glue", "e.json"}));
  EXPECT_EQ(SplitEndpointArgument("endpoint.json"), (Pair{"", "endpoint.json"}));
  EXPECT_EQ(SplitEndpointArgument("./a=b.json"), (Pair{"", "./a=b.json"}));
  EXPECT_EQ(SplitEndpointArgument("-"), (Pair{"", "-"}));
}

TEST(EndpointPolicyTest, EveryStatementNeedsAPrincipal) {
  const Policy ok = P(kEndpointOwnBucket, "endpoint.json");
  EXPECT_TRUE(EndpointPolicyProblems(ok).empty());
  const Policy bad = P(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})",
                       "endpoint.json");
  const Diagnostics problems = EndpointPolicyProblems(bad);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].where.line, 3);
  EXPECT_THAT(problems[0].message, ::testing::HasSubstr("needs a Principal"));
}

}  // namespace
}  // namespace iam_audit
