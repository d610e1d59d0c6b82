// The profile-independent lint rules (lint.h) on small inline policies: each
// rule on the case it is for and on its near misses, locations, fingerprints,
// and the audit reporting the same findings through the same code.
#include "iam_audit/lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "iam_audit/audit.h"
#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"

#include "lint_test_util.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using testing::Doc;  // statement k (0-based) on line k + 2
using testing::Ids;
using testing::Parse;
using testing::TestCatalog;

// The risk hook's findings (category kRisk) are tested in risk_test.cc.
std::vector<Finding> WithoutRisk(std::vector<Finding> findings) {
  std::erase_if(findings,
                [](const Finding& f) { return RuleFor(f.id).category == FindingCategory::kRisk; });
  return findings;
}

std::vector<Finding> LintOf(const std::string& text) {
  return WithoutRisk(testing::LintText(text));
}

std::vector<std::string> IdsOf(const std::string& statement) {
  return Ids(LintOf(Doc({statement})));
}

// --- allow-all-actions -------------------------------------------------------------

TEST(LintTest, AllowAllActionsOnEveryResource) {
  std::vector<Finding> f = LintOf(Doc(
      {R"({"Sid": "Admin", "Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": "*"})"}));
  // s3:GetObject beside "*" is also redundant (a note, at its own entry).
  ASSERT_THAT(Ids(f), ElementsAre("redundant-action", "allow-all-actions"));
  f.erase(f.begin());
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].file, "policy.json");
  EXPECT_EQ(f[0].where.line, 2);
  // At the "*" entry, not the statement or the Action key.
  EXPECT_EQ(
      f[0].where.column,
      1 + std::string(R"({"Sid": "Admin", "Effect": "Allow", "Action": ["s3:GetObject", )").size());
  EXPECT_EQ(f[0].sid, "Admin");
  EXPECT_EQ(f[0].action, "*");
  EXPECT_EQ(f[0].resource, "*");
  EXPECT_THAT(f[0].message, HasSubstr("statement 'Admin' allows every action"));
  EXPECT_THAT(f[0].message, HasSubstr("full administrator access"));
  EXPECT_THAT(f[0].message, Not(HasSubstr("Condition")));
  EXPECT_EQ(f[0].fingerprint.size(), 16u);
}

TEST(LintTest, AllowAllActionsVariants) {
  // "*:*" is every action too; "*" among other Resource entries still grants everything.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "*:*", "Resource": ["arn:aws:s3:::b", "*"]})"),
              UnorderedElementsAre("allow-all-actions", "redundant-resource"));
  // NotResource: every resource but the ones listed.
  const std::vector<Finding> f = LintOf(
      Doc({R"({"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::secrets/*"})"}));
  ASSERT_THAT(Ids(f), ElementsAre("allow-all-actions"));
  EXPECT_EQ(f[0].resource, "NotResource arn:aws:s3:::secrets/*");
  EXPECT_THAT(f[0].message, HasSubstr("every resource but arn:aws:s3:::secrets/*"));
  EXPECT_THAT(f[0].message, HasSubstr("statement #1"));
}

TEST(LintTest, AllowAllActionsUnderAConditionSaysSo) {
  const std::vector<Finding> f = LintOf(Doc({R"({"Effect": "Allow", "Action": "*", "Resource": "*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})"}));
  ASSERT_THAT(Ids(f), ElementsAre("allow-all-actions"));
  EXPECT_THAT(f[0].message, HasSubstr("Condition"));
}

TEST(LintTest, AllowAllActionsNearMisses) {
  // Every action of one service, or every action on one resource: not administrator.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})"), IsEmpty());
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"})"),
              IsEmpty());
  // A policy variable is not "every resource".
  EXPECT_THAT(
      IdsOf(
          R"({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/${aws:username}/*"})"),
      IsEmpty());
  // NotResource "*" excludes everything.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "*", "NotResource": "*"})"), IsEmpty());
  // A Deny of everything is a guard rail.
  EXPECT_THAT(IdsOf(R"({"Effect": "Deny", "Action": "*", "Resource": "*"})"), IsEmpty());
  // Bucket and trust policies (with a Principal) are not identity policies.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "*", "Resource": "*"})"),
              IsEmpty());
}

TEST(LintTest, OnlyIdentityPoliciesAreLinted) {
  // A permissions boundary or an SCP allows everything by design.
  PolicySet set;
  set.identity.push_back(
      Parse(Doc({R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"}), "id.json"));
  set.boundary = Parse(Doc({R"({"Effect": "Allow", "Action": "*", "Resource": "*"})"}), "b.json");
  set.scps.push_back(
      {Parse(Doc({R"({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})"}), "scp.json")});
  EXPECT_THAT(WithoutRisk(Lint(TestCatalog(), set).findings), IsEmpty());
}

// --- allow-not-action --------------------------------------------------------------

TEST(LintTest, AllowNotAction) {
  const std::vector<Finding> f = LintOf(Doc(
      {R"({"Sid": "AllButIam", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "arn:aws:s3:::b/*"})"}));
  ASSERT_THAT(Ids(f), ElementsAre("allow-not-action"));
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  // At the NotAction key.
  EXPECT_EQ(f[0].where.column,
            1 + std::string(R"({"Sid": "AllButIam", "Effect": "Allow", )").size());
  EXPECT_EQ(f[0].action, "iam:*, organizations:*");
  EXPECT_THAT(f[0].message, HasSubstr("every action except iam:*, organizations:*"));
  EXPECT_THAT(f[0].message, HasSubstr("every service"));
}

TEST(LintTest, NotActionInADenyIsFine) {
  EXPECT_THAT(
      IdsOf(R"({"Effect": "Deny", "NotAction": ["iam:ChangePassword", "sts:GetSessionToken"],
      "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})"),
      IsEmpty());
}

// --- pass-role-wildcard -------------------------------------------------------------

TEST(LintTest, PassRoleOnEveryRole) {
  const std::vector<Finding> f =
      LintOf(Doc({R"({"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole",
      "Resource": ["arn:aws:iam::111122223333:role/dbt-runner", "arn:aws:iam::*:role/*"]})"}));
  // The named role is also under the wildcard (a note of its own).
  ASSERT_THAT(Ids(f), UnorderedElementsAre("pass-role-wildcard", "redundant-resource"));
  const Finding& pass = f[0].id == FindingId::kPassRoleWildcard ? f[0] : f[1];
  EXPECT_EQ(pass.severity, Severity::kWarning);
  EXPECT_EQ(pass.action, "iam:PassRole");
  EXPECT_EQ(pass.resource, "arn:aws:iam::*:role/*");  // the entry, not the precise one
  EXPECT_EQ(pass.where.line, 3);
  EXPECT_EQ(pass.where.column,
            1 + std::string(R"(      "Resource": ["arn:aws:iam::111122223333:role/dbt-runner", )")
                    .size());
  EXPECT_THAT(pass.message, HasSubstr("of statement 'Pass' allows iam:PassRole on every role"));
}

TEST(LintTest, PassRoleThroughWildcardsAndEveryRolePattern) {
  for (const char* action : {"iam:PassRole", "IAM:passrole", "iam:*", "iam:Pass*", "iam:*Role"}) {
    for (const char* resource :
         {"*", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/*",
          "arn:aws:iam::123456789012:*", "arn:aws-cn:iam::123456789012:role/*", "arn:*"}) {
      const std::string statement = std::string(R"({"Effect": "Allow", "Action": ")") + action +
                                    R"(", "Resource": ")" + resource + "\"}";
      EXPECT_THAT(IdsOf(statement), ElementsAre("pass-role-wildcard")) << action << " " << resource;
    }
  }
  // NotAction that does not exclude it: both rules.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})"),
              ElementsAre("allow-not-action", "pass-role-wildcard"));
}

TEST(LintTest, PassRoleNearMisses) {
  // Scoped to the tool's roles.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::123456789012:role/dbt-*"})"),
              IsEmpty());
  // Every user, not every role (which grants nothing: resource-type-mismatch says so).
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::123456789012:user/*"})"),
              ElementsAre("resource-type-mismatch"));
  // Actions that do not include iam:PassRole.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"})"),
              IsEmpty());
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})"),
              ElementsAre("allow-not-action"));
  // NotResource that excludes every role.
  EXPECT_THAT(
      IdsOf(
          R"({"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/*"})"),
      IsEmpty());
  // A Deny.
  EXPECT_THAT(IdsOf(R"({"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"})"), IsEmpty());
  // Administrator access says more: not reported twice.
  EXPECT_THAT(IdsOf(R"({"Effect": "Allow", "Action": "*", "Resource": "*"})"),
              ElementsAre("allow-all-actions"));
}

TEST(LintTest, PassRoleWithNotResourcePointsAtIt) {
  const std::vector<Finding> f = LintOf(Doc(
      {R"({"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/admin"})"}));
  ASSERT_THAT(Ids(f), ElementsAre("pass-role-wildcard"));
  EXPECT_EQ(f[0].resource, "NotResource arn:aws:iam::*:role/admin");
  EXPECT_THAT(f[0].message, HasSubstr("every role but arn:aws:iam::*:role/admin"));
}

// --- unknown-action -----------------------------------------------------------------

TEST(LintTest, UnknownActionsInEveryPolicy) {
  PolicySet set;
  set.identity.push_back(Parse(
      Doc({R"({"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:GetObject"], "Resource": "*"})"}),
      "id.json"));
  set.boundary =
      Parse(Doc({R"({"Effect": "Allow", "Action": "s3:HeadBucket", "Resource": "*"})"}), "b.json");
  const std::vector<Finding> f = Lint(TestCatalog(), set).findings;
  ASSERT_THAT(Ids(f), ElementsAre("unknown-action", "unknown-action"));
  EXPECT_EQ(f[0].file, "b.json");  // sorted by file
  EXPECT_EQ(f[1].file, "id.json");
  EXPECT_EQ(f[1].action, "s3:GetObjekt");
  EXPECT_THAT(f[1].message, HasSubstr("did you mean s3:GetObject"));
}

// --- fingerprints and the audit -----------------------------------------------------

TEST(LintTest, FingerprintsSurviveReformattingAndTellStatementsApart) {
  const std::vector<Finding> a = LintOf(Doc(
      {R"({"Sid": "A", "Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b"})"}));
  const std::vector<Finding> moved = LintOf(
      Doc({R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})",
           R"({"Sid": "A",
               "Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b"})"}));
  const std::vector<Finding> other = LintOf(Doc(
      {R"({"Sid": "B", "Effect": "Allow", "NotAction": "s3:*", "Resource": "arn:aws:s3:::b"})"}));
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(moved.size(), 1u);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_NE(a[0].where, moved[0].where);
  EXPECT_EQ(a[0].fingerprint, moved[0].fingerprint);
  EXPECT_NE(a[0].fingerprint, other[0].fingerprint);
}

TEST(LintTest, TheAuditReportsTheLintFindings) {
  PolicySet set;
  set.identity.push_back(
      Parse(Doc({R"({"Effect": "Allow", "Action": "*", "Resource": "*"})",
                 R"({"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"})"})));
  Requirement req;
  req.group_id = "g";
  req.action = "s3:GetObject";
  req.resource = "arn:aws:s3:::b/k";
  req.resource_type = "object";
  AuditOptions options;
  options.over_broad = false;
  const AuditResult audit = Audit(TestCatalog(), set, std::vector<Requirement>{req}, options);
  const std::vector<Finding> lint = WithoutRisk(Lint(TestCatalog(), set).findings);
  ASSERT_THAT(Ids(lint), ElementsAre("allow-all-actions", "unknown-action"));
  EXPECT_EQ(Ids(audit.findings), Ids(lint));
  for (std::size_t i = 0; i < lint.size(); ++i) {
    EXPECT_EQ(audit.findings[i].fingerprint, lint[i].fingerprint);
    EXPECT_EQ(audit.findings[i].message, lint[i].message);
  }
  options.lint = false;
  EXPECT_THAT(Audit(TestCatalog(), set, std::vector<Requirement>{req}, options).findings,
              IsEmpty());
}

TEST(LintTest, LintFindingKinds) {
  for (const FindingRule& r : FindingRules()) {
    // unknown-action, then the lint and risk rows from allow-all-actions to
    // service-wildcard, and the lint rows after the input ones; not the
    // resource-side or input rows.
    const bool lint =
        r.id == FindingId::kUnknownAction ||
        (r.id >= FindingId::kAllowAllActions && r.id <= FindingId::kServiceWildcard) ||
        r.id >= FindingId::kRedundantResource;  // Access Analyzer's checks
    EXPECT_EQ(IsLintFinding(r.id), lint) << r.name;
  }
}

}  // namespace
}  // namespace iam_audit

namespace iam_audit {
namespace {

// --policy-type forces the type lint checks a document as (cmd_check.cc).
TEST(LintCliTest, PolicyTypeForcesTheGrammar) {
  const std::string bucket =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": )"
      R"("111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})";
  const testing::CommandResult detected = testing::RunIamAudit({"-"}, bucket);
  EXPECT_EQ(detected.exit_code, 0) << detected.out;
  const testing::CommandResult scp = testing::RunIamAudit({"-", "--policy-type", "scp"}, bucket);
  EXPECT_EQ(scp.exit_code, 1);
  EXPECT_THAT(scp.out, HasSubstr("of an SCP has Principal"));
  const testing::CommandResult bad = testing::RunIamAudit({"-", "--policy-type", "bucket"}, bucket);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--policy-type"));
}

}  // namespace
}  // namespace iam_audit
