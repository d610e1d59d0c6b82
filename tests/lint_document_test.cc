// The document lint rules (src/lint_document.cc): Version, policy
// variables, size quotas, repeated and cancelled statements. Sources: AWS
// "IAM JSON policy elements: Version", "Policy variables", "IAM and AWS STS
// quotas".
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/lint.h"
#include "lint_internal.h"
#include "lint_test_util.h"

namespace iam_audit::testing {
namespace {

const std::string kGet =
    R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})";
const std::string kHome =
    R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"})";

std::string Versioned(const std::string& version, const std::string& statement) {
  return (version.empty() ? std::string("{") : "{\"Version\": \"" + version + "\", ") +
         "\"Statement\": [" + statement + "]}";
}

// An identity policy of about `n` characters (without whitespace).
std::string Large(std::size_t n) {
  std::string actions;
  while (actions.size() < n)
    actions += std::string(actions.empty() ? "" : ", ") + "\"s3:GetObject\"";
  return Versioned("2012-10-17", R"({"Effect": "Allow", "Action": [)" + actions +
                                     R"(], "Resource": "arn:aws:s3:::b/*"})");
}

class LintDocumentTest : public LintRuleTest {};
TEST_P(LintDocumentTest, Reports) { CheckLintCase(GetParam()); }

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, LintDocumentTest, ::testing::Values(
    LintCase{"no_version", "missing-version", Versioned("", kGet), true},
    LintCase{"current_version", "missing-version", Versioned("2012-10-17", kGet), false},
    LintCase{"old_version", "old-version", Versioned("2008-10-17", kGet), true},
    LintCase{"current_is_not_old", "old-version", Versioned("2012-10-17", kGet), false},
    LintCase{"variable_without_version", "variable-without-version", Versioned("", kHome), true,
             std::nullopt, "plain text"},
    LintCase{"variable_in_old_version", "variable-without-version", Versioned("2008-10-17", kHome), true},
    LintCase{"variable_in_current_version", "variable-without-version", Versioned("2012-10-17", kHome), false},
    LintCase{"unclosed_variable", "malformed-variable",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username/*"})", true},
    LintCase{"empty_variable", "malformed-variable",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${}/*"})", true},
    LintCase{"spaced_variable", "malformed-variable",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${ aws:username}/*"})", true},
    LintCase{"variable_with_default", "malformed-variable",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team, 'all'}/*"})", false},
    LintCase{"over_managed_quota", "policy-size-exceeds-quota", Large(7000), true, std::nullopt, "6,144"},
    LintCase{"under_managed_quota", "policy-size-exceeds-quota", Large(5000), false},
    LintCase{"scp_quota", "policy-size-exceeds-quota", Large(5500), true, LintPolicyType::kScp},
    LintCase{"duplicate", "duplicate-statement", kGet + ",\n" + kGet, true},
    LintCase{"different_resource", "duplicate-statement",
             kGet + ",\n" + R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::c/*"})", false},
    LintCase{"shadowed", "statement-shadowed-by-deny",
             kGet + ",\n" + R"({"Effect": "Deny", "Action": "s3:*", "Resource": "*"})", true},
    LintCase{"partly_denied", "statement-shadowed-by-deny",
             kGet + ",\n" + R"({"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret/*"})", false},
    LintCase{"conditional_deny", "statement-shadowed-by-deny",
             kGet + ",\n" + R"({"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})", false}
), kLintCaseName);
// clang-format on

TEST(LintDocumentSizeTest, CountsWithoutWhitespaceAsALowerBound) {
  const std::string compact =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":true},"StringEquals":{"aws:PrincipalTag/a":"x","aws:PrincipalTag/b":["y","z"]}}}})";
  PolicyParseResult r = ParsePolicy(compact, "p.json");
  ASSERT_TRUE(r.policy);
  PolicySet set;
  set.identity.push_back(*r.policy);
  // Reformatting does not change the count; the compact text is the count.
  EXPECT_EQ(lint::PolicySizeWithoutWhitespace(*r.policy), compact.size());
}

// Near the quota the count is exact, both ways: escaped characters count
// two, whitespace inside strings none.
TEST(LintDocumentSizeTest, ExactNearTheQuota) {
  const auto policy_with_sid = [](const std::string& sid) {
    return R"({"Version":"2012-10-17","Statement":{"Sid":")" + sid +
           R"(","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}})";
  };
  const auto reported = [](const std::string& text) {
    const std::vector<Finding> findings = LintText(text);
    return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
      return f.name() == std::string_view("policy-size-exceeds-quota");
    });
  };
  // A quote counts two characters (JSON escapes it): a Sid of 4,000 quotes
  // counts over 8,000, over 6,144.
  EXPECT_TRUE(reported(policy_with_sid([] {
    std::string s;
    for (int i = 0; i < 4000; ++i) s += "\\\"";
    return s;
  }())));
  // Whitespace inside strings does not count: 7,000 spaces and a letter fit.
  EXPECT_FALSE(reported(policy_with_sid(std::string(7000, ' ') + "a")));
  // One character either side of the quota, counted exactly.
  const std::string base = policy_with_sid("");
  const PolicyParseResult parsed = ParsePolicy(base, "p.json");
  ASSERT_TRUE(parsed.policy);
  const std::size_t empty_sid = lint::PolicySizeWithoutWhitespace(*parsed.policy);
  EXPECT_FALSE(reported(policy_with_sid(std::string(6144 - empty_sid, 'a'))));
  EXPECT_TRUE(reported(policy_with_sid(std::string(6145 - empty_sid, 'a'))));
}

}  // namespace
}  // namespace iam_audit::testing
