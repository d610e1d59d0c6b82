// The Principal and policy-type lint rules (src/lint_principals.cc).
// Sources: AWS "IAM JSON policy elements: Principal", "The confused deputy
// problem", "Create a role for OpenID Connect federation".
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace iam_audit::testing {
namespace {

std::string Bucket(const std::string& principal, const std::string& condition = "") {
  return R"({"Effect": "Allow", "Principal": )" + principal +
         R"(, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*")" +
         (condition.empty() ? "" : ", \"Condition\": " + condition) + "}";
}

std::string Trust(const std::string& principal, const std::string& action,
                  const std::string& condition = "") {
  return R"({"Effect": "Allow", "Principal": )" + principal + R"(, "Action": ")" + action + "\"" +
         (condition.empty() ? "" : ", \"Condition\": " + condition) + "}";
}

const std::string kGitHub =
    R"({"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"})";

class LintPrincipalsTest : public LintRuleTest {};
TEST_P(LintPrincipalsTest, Reports) { CheckLintCase(GetParam()); }

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, LintPrincipalsTest, ::testing::Values(
    // public-principal
    LintCase{"star_principal", "public-principal", Bucket(R"("*")"), true},
    LintCase{"aws_star_principal", "public-principal", Bucket(R"({"AWS": "*"})"), true},
    LintCase{"star_with_secure_transport_only", "public-principal",
             Bucket(R"("*")", R"({"Bool": {"aws:SecureTransport": "true"}})"), true},
    LintCase{"trust_anyone", "public-principal", Trust(R"({"AWS": "*"})", "sts:AssumeRole"), true,
             std::nullopt, "anyone can assume the role"},
    LintCase{"star_with_org_condition", "public-principal",
             Bucket(R"("*")", R"({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})"), false},
    LintCase{"named_account", "public-principal", Bucket(R"({"AWS": "111122223333"})"), false},
    LintCase{"deny_star", "public-principal",
             R"({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"})", false},
    // allow-not-principal
    LintCase{"allow_not_principal", "allow-not-principal",
             R"({"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})", true},
    LintCase{"deny_not_principal", "allow-not-principal",
             R"({"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})", false},
    // invalid-principal
    LintCase{"wildcard_in_role_arn", "invalid-principal",
             Bucket(R"({"AWS": "arn:aws:iam::111122223333:role/dbt-*"})"), true, std::nullopt, "aws:PrincipalArn"},
    LintCase{"short_account", "invalid-principal", Bucket(R"({"AWS": "11112222333"})"), true},
    LintCase{"placeholder_account", "invalid-principal",
             Bucket(R"({"AWS": "arn:aws:iam::account-B-id:root"})"), true},
    LintCase{"service_wildcard", "invalid-principal", Bucket(R"({"Service": "*.amazonaws.com"})"), true},
    LintCase{"federated_not_provider", "invalid-principal",
             Trust(R"({"Federated": "my-idp"})", "sts:AssumeRoleWithSAML"), true},
    LintCase{"valid_principals", "invalid-principal",
             Bucket(R"({"AWS": ["111122223333", "arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s", "AROAEXAMPLEID12345678"], "Service": "logs.us-east-1.amazonaws.com"})",
                    R"({"StringEquals": {"aws:SourceAccount": "111122223333"}})"), false},
    // federated-principal-without-condition
    LintCase{"github_without_sub", "federated-principal-without-condition",
             Trust(kGitHub, "sts:AssumeRoleWithWebIdentity",
                   R"({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}})"), true,
             std::nullopt, "repository"},
    LintCase{"github_with_sub", "federated-principal-without-condition",
             Trust(kGitHub, "sts:AssumeRoleWithWebIdentity",
                   R"({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"}})"), false},
    LintCase{"cognito_without_aud", "federated-principal-without-condition",
             Trust(R"({"Federated": "cognito-identity.amazonaws.com"})", "sts:AssumeRoleWithWebIdentity"), true},
    LintCase{"saml_not_checked", "federated-principal-without-condition",
             Trust(R"({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"})", "sts:AssumeRoleWithSAML"), false},
    // service-principal-without-source
    LintCase{"service_without_source", "service-principal-without-source",
             Bucket(R"({"Service": "logging.s3.amazonaws.com"})"), true},
    LintCase{"service_with_source_account", "service-principal-without-source",
             Bucket(R"({"Service": "logging.s3.amazonaws.com"})",
                    R"({"StringEquals": {"aws:SourceAccount": "111122223333"}})"), false},
    LintCase{"trust_service_not_checked", "service-principal-without-source",
             Trust(R"({"Service": "ec2.amazonaws.com"})", "sts:AssumeRole"), false},
    // element-not-allowed-for-policy-type
    LintCase{"principal_in_forced_identity", "element-not-allowed-for-policy-type",
             Bucket(R"({"AWS": "111122223333"})"), true, LintPolicyType::kIdentity},
    LintCase{"principal_in_scp", "element-not-allowed-for-policy-type",
             Bucket(R"({"AWS": "111122223333"})"), true, LintPolicyType::kScp},
    LintCase{"resource_statement_without_principal", "element-not-allowed-for-policy-type",
             R"({"Version": "2012-10-17", "Statement": [)" + Bucket(R"({"AWS": "111122223333"})") +
                 R"(, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})", true},
    LintCase{"resource_in_trust", "element-not-allowed-for-policy-type",
             R"({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"})",
             true, LintPolicyType::kTrust},
    LintCase{"identity_without_principal", "element-not-allowed-for-policy-type",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})", false},
    LintCase{"detected_trust", "element-not-allowed-for-policy-type",
             Trust(R"({"Service": "ec2.amazonaws.com"})", "sts:AssumeRole"), false},
    // redundant-principal (Access Analyzer's example)
    LintCase{"session_beside_its_role", "redundant-principal",
             Trust(R"({"AWS": ["arn:aws:iam::111122223333:role/deploy", "arn:aws:sts::111122223333:assumed-role/deploy/ci"]})",
                   "sts:AssumeRole"), true, std::nullopt, "is a session of role"},
    LintCase{"session_beside_its_role_with_path", "redundant-principal",
             Bucket(R"({"AWS": ["arn:aws:iam::111122223333:role/team/deploy", "arn:aws:sts::111122223333:assumed-role/deploy/ci"]})"),
             true},
    LintCase{"session_of_another_role", "redundant-principal",
             Trust(R"({"AWS": ["arn:aws:iam::111122223333:role/deploy", "arn:aws:sts::111122223333:assumed-role/admin/ci"]})",
                   "sts:AssumeRole"), false},
    LintCase{"session_in_another_account", "redundant-principal",
             Trust(R"({"AWS": ["arn:aws:iam::111122223333:role/deploy", "arn:aws:sts::444455556666:assumed-role/deploy/ci"]})",
                   "sts:AssumeRole"), false},
    // trust-policy-action (Access Analyzer: Unsupported action in policy,
    // Mismatched action for principal; AWS "Role trust policies")
    LintCase{"s3_action_in_trust", "trust-policy-action",
             R"({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["sts:AssumeRole", "s3:GetObject"]})",
             true, LintPolicyType::kTrust, "allows s3:GetObject, which a role trust policy cannot grant"},
    LintCase{"service_wildcard_in_trust", "trust-policy-action",
             Trust(R"({"AWS": "111122223333"})", "s3:*"), true, LintPolicyType::kTrust},
    LintCase{"sts_wildcard_in_trust_not_judged", "trust-policy-action",
             Trust(R"({"AWS": "111122223333"})", "sts:Assume*"), false, LintPolicyType::kTrust},
    LintCase{"web_identity_with_aws_principal", "trust-policy-action",
             Trust(R"({"AWS": "111122223333"})", "sts:AssumeRoleWithWebIdentity"), true,
             LintPolicyType::kTrust, "none of its principals is an OIDC or web identity provider"},
    LintCase{"web_identity_with_oidc_provider", "trust-policy-action",
             Trust(kGitHub, "sts:AssumeRoleWithWebIdentity",
                   R"({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/r:ref:refs/heads/main"}})"), false},
    LintCase{"web_identity_with_cognito", "trust-policy-action",
             Trust(R"({"Federated": "cognito-identity.amazonaws.com"})", "sts:AssumeRoleWithWebIdentity"), false},
    LintCase{"saml_with_oidc_provider", "trust-policy-action",
             Trust(kGitHub, "sts:AssumeRoleWithSAML"), true, std::nullopt, "SAML provider"},
    LintCase{"saml_with_saml_provider", "trust-policy-action",
             Trust(R"({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"})", "sts:AssumeRoleWithSAML"), false},
    LintCase{"assume_role_with_only_federated", "trust-policy-action",
             Trust(R"({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"})", "sts:AssumeRole"), true,
             std::nullopt, "federated providers"},
    LintCase{"assume_role_with_service", "trust-policy-action",
             Trust(R"({"Service": "ec2.amazonaws.com"})", "sts:AssumeRole"), false},
    LintCase{"tag_session_with_federated", "trust-policy-action",
             Trust(R"({"Federated": "arn:aws:iam::111122223333:saml-provider/idp"})", "sts:TagSession"), false},
    LintCase{"s3_action_in_bucket_policy", "trust-policy-action",
             Bucket(R"({"AWS": "111122223333"})"), false}
), kLintCaseName);
// clang-format on

}  // namespace
}  // namespace iam_audit::testing
