// The rules about what a statement grants (src/lint_grants.cc) added with
// issue 15; allow-all-actions, allow-not-action, pass-role-wildcard and
// unknown-action are tested in lint_test.cc.
#include <gtest/gtest.h>

#include "lint_test_util.h"

namespace iam_audit::testing {
namespace {

class LintGrantsTest : public LintRuleTest {};
TEST_P(LintGrantsTest, Reports) { CheckLintCase(GetParam()); }

// clang-format off
INSTANTIATE_TEST_SUITE_P(Rules, LintGrantsTest, ::testing::Values(
    LintCase{"allow_not_resource", "allow-not-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})", true},
    LintCase{"deny_not_resource", "allow-not-resource",
             R"({"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::mine/*"})", false},
    LintCase{"not_resource_star_grants_nothing", "allow-not-resource",
             R"({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "*"})", false},
    LintCase{"pass_role_left_to_its_rule", "allow-not-resource",
             R"({"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::111122223333:role/admin"})", false},
    LintCase{"action_under_wildcard", "redundant-action",
             R"({"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject"], "Resource": "*"})", true,
             std::nullopt, "'s3:Get*'"},
    LintCase{"action_twice", "redundant-action",
             R"({"Effect": "Allow", "Action": ["s3:GetObject", "S3:getobject"], "Resource": "*"})", true},
    LintCase{"action_repeated_names_the_first", "redundant-action",
             R"({"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "S3:GETOBJECT"], "Resource": "*"})", true,
             std::nullopt, "already matched by 's3:GetObject'"},
    LintCase{"distinct_actions", "redundant-action",
             R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"})", false},
    LintCase{"overlapping_wildcards", "redundant-action",
             R"({"Effect": "Allow", "Action": ["s3:Get*", "s3:*Object"], "Resource": "*"})", false}
), kLintCaseName);
// clang-format on

}  // namespace
}  // namespace iam_audit::testing
