// The risk model (risk.h): each category on the grant it is for and on its
// near misses, the defusing conditions, Deny / boundary / SCP removing a
// grant, audit vs lint severities, aggregation, the fix, and the table itself.
#include "iam_audit/risk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::Doc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Ids;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::Parse;
using testing::TestCatalog;

Requirement Req(const std::string& action, const std::string& resource) {
  return testing::RequirementOf(action, resource, resource == "*" ? "*" : "t");
}

std::vector<Finding> Assess(const PolicySet& set, const std::vector<Requirement>& reqs,
                            RiskMode mode, std::vector<std::string> accepted = {}) {
  auto compiled = Evaluator::Compile(set);
  EXPECT_THAT(compiled.errors, IsEmpty());
  if (!compiled.evaluator) return {};
  RiskOptions options;
  options.mode = mode;
  options.profile_name = "tool";
  options.accepted = std::move(accepted);
  return AssessRisk(TestCatalog(), set, *compiled.evaluator, reqs, options);
}

std::vector<Finding> LintRisk(const std::vector<std::string>& statements) {
  PolicySet set;
  set.identity.push_back(Parse(Doc(statements)));
  return Assess(set, {}, RiskMode::kLint);
}

std::vector<Finding> AuditRisk(const std::vector<std::string>& statements,
                               const std::vector<Requirement>& reqs,
                               std::vector<std::string> accepted = {}) {
  PolicySet set;
  set.identity.push_back(Parse(Doc(statements)));
  return Assess(set, reqs, RiskMode::kAudit, std::move(accepted));
}

const Finding* Find(const std::vector<Finding>& findings, FindingId id) {
  for (const Finding& f : findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

// The dbt-like requirements of the audit tests: read raw/, write dbt/.
const std::vector<Requirement> kReqs = {
    Req("s3:GetObject", "arn:aws:s3:::lake/raw/*"),
    Req("s3:GetObject", "arn:aws:s3:::lake/dbt/*"),
    Req("s3:PutObject", "arn:aws:s3:::lake/dbt/*"),
    Req("s3:DeleteObject", "arn:aws:s3:::lake/dbt/*"),
    Req("glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/raw/*"),
    Req("glue:DeleteTable", "arn:aws:glue:eu-west-1:111122223333:table/dbt/*"),
};

TEST(RiskTableTest, TheBuiltinTableLoadsAgainstTheCatalog) {
  // Every action name of the embedded table exists (BuiltinRiskTable does not
  // check names, for speed; this does).
  const std::string file = std::string(IAM_AUDIT_SOURCE_DIR) + "/rules/risk/risks.yaml";
  const std::string text = testing::ReadFile(file);
  const RiskTableLoadResult r = LoadRiskTable(text, file, &TestCatalog());
  ASSERT_THAT(r.errors, IsEmpty()) << r.errors.front().ToString();
  EXPECT_GE(r.table->rows.size(), 30u);
  EXPECT_EQ(BuiltinRiskTable().rows.size(), r.table->rows.size());
  for (const RiskRow& row : r.table->rows) {
    EXPECT_FALSE(row.why.empty()) << row.id;
    EXPECT_FALSE(row.sources.empty()) << row.id;
  }
  // Lint defaults differ from audit defaults, as data.
  EXPECT_EQ(r.table->SeverityOf(FindingId::kCredentialsExposure, RiskMode::kAudit),
            Severity::kError);
  EXPECT_EQ(r.table->SeverityOf(FindingId::kCredentialsExposure, RiskMode::kLint),
            Severity::kWarning);
  EXPECT_EQ(r.table->SeverityOf(FindingId::kDataExfiltration, RiskMode::kLint), Severity::kNote);
}

TEST(RiskTableTest, BadTablesAreRejectedWithLocations) {
  const std::string text = R"(categories:
  privilege-escalation: {audit: error, lint: fatal}
  made-up: {audit: error, lint: error}
service_wildcard: {audit: warning, lint: note, raised: {audit: error, lint: warning}, raised_services: [iam]}
sources:
  a: A source
risks:
  - id: x
    category: privilege-escalation
    actions: [iam:NoSuchAction]
    scope: everywhere
    why: w
    source: [b]
)";
  const RiskTableLoadResult r = LoadRiskTable(text, "t.yaml", &TestCatalog());
  ASSERT_FALSE(r.table);
  std::vector<std::string> messages;
  for (const Diagnostic& d : r.errors) messages.push_back(d.ToString());
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("t.yaml:2:")));  // severity fatal
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("unknown risk category 'made-up'")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("'iam:NoSuchAction' matches no action")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("unknown scope 'everywhere'")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("unknown source 'b'")));
}

// --- privilege-escalation ---------------------------------------------------------

TEST(RiskTest, PolicyRewritingOnEveryPolicyIsPrivilegeEscalation) {
  const auto f = LintRisk({R"({"Effect": "Allow", "Action": ["iam:CreatePolicyVersion",
      "iam:AttachRolePolicy"], "Resource": "*"})"});
  ASSERT_THAT(Ids(f), ElementsAre("privilege-escalation"));
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].action, "iam:CreatePolicyVersion");  // the riskiest first
  EXPECT_THAT(f[0].message, HasSubstr("allows 2 actions"));
  EXPECT_THAT(f[0].message, HasSubstr("iam:AttachRolePolicy"));
  EXPECT_EQ(f[0].where, (SourceLocation{2, 32}));  // the Action entry granting it
  // On one named policy it is not "every policy".
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "iam:CreatePolicyVersion",
      "Resource": "arn:aws:iam::111122223333:policy/dbt-boundary"})"}),
              IsEmpty());
  // The caller's own user (a policy variable) is not every user.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "iam:CreateAccessKey",
      "Resource": "arn:aws:iam::111122223333:user/${aws:username}"})"}),
              IsEmpty());
}

TEST(RiskTest, RunCommandNeedsEveryInstanceNotEveryDocument) {
  // SendCommand is authorized on the document and on each target instance:
  // every document but no instance runs nothing (risks.yaml resource_types).
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "ssm:SendCommand",
      "Resource": "arn:aws:ssm:*:*:document/*"})"})),
              ::testing::Not(::testing::Contains("privilege-escalation")));
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "ssm:SendCommand",
      "Resource": ["arn:aws:ssm:*:*:document/*", "arn:aws:ec2:*:*:instance/i-0abc"]})"})),
              ::testing::Not(::testing::Contains("privilege-escalation")));
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "ssm:SendCommand",
      "Resource": ["arn:aws:ssm:*:*:document/*", "arn:aws:ec2:*:*:instance/*"]})"})),
              ::testing::Contains("privilege-escalation"));
  EXPECT_THAT(
      Ids(LintRisk({R"({"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"})"})),
      ::testing::Contains("privilege-escalation"));
  // ECS: every task, not every cluster alone.
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "ecs:ExecuteCommand",
      "Resource": "arn:aws:ecs:*:*:cluster/*"})"})),
              ::testing::Not(::testing::Contains("privilege-escalation")));
}

TEST(RiskTest, DeletingTablesNeedsTheTablesNotJustTheDatabases) {
  // glue:DeleteTable is authorized on the catalog, the database and the table:
  // every database but only temporary tables deletes only those.
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "glue:DeleteTable", "Resource": [
      "arn:aws:glue:*:*:table/*/tmp_*", "arn:aws:glue:*:*:catalog", "arn:aws:glue:*:*:database/*"]})"})),
              ::testing::Not(::testing::Contains("data-destruction")));
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "glue:DeleteTable", "Resource": [
      "arn:aws:glue:*:*:table/*/*", "arn:aws:glue:*:*:catalog", "arn:aws:glue:*:*:database/*"]})"})),
              ::testing::Contains("data-destruction"));
}

TEST(RiskTest, ExecutingAChangeSetNeedsWritingOne) {
  const std::string execute =
      R"({"Effect": "Allow", "Action": "cloudformation:ExecuteChangeSet", "Resource": "*"})";
  EXPECT_THAT(Ids(LintRisk({execute})),
              ::testing::Not(::testing::Contains("privilege-escalation")));
  EXPECT_THAT(
      Ids(LintRisk({execute, R"({"Effect": "Allow", "Action": "cloudformation:CreateChangeSet",
      "Resource": "*"})"})),
      ::testing::Contains("privilege-escalation"));
}

TEST(RiskTableTest, ResourceTypesMustBeTypesOfTheRowsActions) {
  const std::string text = R"(categories:
  privilege-escalation: {audit: error, lint: error}
service_wildcard: {audit: warning, lint: note, raised: {audit: error, lint: warning}, raised_services: [iam]}
sources:
  a: A source
risks:
  - id: x
    category: privilege-escalation
    actions: [ssm:SendCommand]
    scope: every
    resource_types: [instance, bucket-of-nothing]
    why: w
    source: [a]
)";
  const RiskTableLoadResult r = LoadRiskTable(text, "t.yaml", &TestCatalog());
  ASSERT_FALSE(r.table);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].ToString(), HasSubstr("t.yaml:11:"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("'bucket-of-nothing' is a resource type of none"));
}

TEST(RiskTest, PassRoleNeedsAComputeServiceAndIsDefusedByPassedToService) {
  const std::string pass = R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})";
  const std::string run = R"({"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"})";
  // PassRole alone: only the lint rule pass-role-wildcard (lint.h), not a risk.
  EXPECT_THAT(Ids(LintRisk({pass})), Not(::testing::Contains("privilege-escalation")));
  const auto both = LintRisk({pass, run});
  const Finding* f = Find(both, FindingId::kPrivilegeEscalation);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->action, "iam:PassRole");
  EXPECT_THAT(f->message, HasSubstr("with ec2:RunInstances"));
  // Named roles, or iam:PassedToService: fine.
  EXPECT_EQ(Find(LintRisk({R"({"Effect": "Allow", "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/dbt-*"})",
                           run}),
                 FindingId::kPrivilegeEscalation),
            nullptr);
  EXPECT_EQ(Find(LintRisk({R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
      "Condition": {"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}}})",
                           run}),
                 FindingId::kPrivilegeEscalation),
            nullptr);
  // A negated condition does not defuse it.
  EXPECT_NE(Find(LintRisk({R"({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
      "Condition": {"StringNotEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}})",
                           run}),
                 FindingId::kPrivilegeEscalation),
            nullptr);
}

TEST(RiskTest, AnUndecidedConditionStillCountsMarkedConditional) {
  const auto f = LintRisk({R"({"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}})"});
  ASSERT_THAT(Ids(f), ElementsAre("privilege-escalation"));
  EXPECT_THAT(f[0].message, HasSubstr("conditional"));
}

TEST(RiskTest, DenyBoundaryAndScpRemoveTheGrant) {
  const std::string grant =
      R"({"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "*"})";
  PolicySet set;
  set.identity.push_back(Parse(Doc({grant,
                                    R"({"Effect": "Deny", "Action": "iam:Attach*",
      "Resource": "*"})"})));
  EXPECT_THAT(Assess(set, {}, RiskMode::kLint), IsEmpty());
  // A Deny on part of the roles does not remove the grant on every role.
  set.identity = {Parse(Doc({grant, R"({"Effect": "Deny", "Action": "iam:Attach*",
      "Resource": "arn:aws:iam::111122223333:role/admin"})"}))};
  EXPECT_THAT(Ids(Assess(set, {}, RiskMode::kLint)), ElementsAre("privilege-escalation"));
  // A Deny under an undecided condition does not either.
  set.identity = {Parse(Doc({grant, R"({"Effect": "Deny", "Action": "iam:*", "Resource": "*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}})"}))};
  EXPECT_THAT(Ids(Assess(set, {}, RiskMode::kLint)), ElementsAre("privilege-escalation"));
  // A boundary without IAM, an SCP level scoping it to named roles.
  set.identity = {Parse(Doc({grant}))};
  set.boundary =
      Parse(Doc({R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})"}), "boundary.json");
  EXPECT_THAT(Assess(set, {}, RiskMode::kLint), IsEmpty());
  set.boundary.reset();
  set.scps.push_back({Parse(Doc({R"({"Effect": "Allow", "Action": "iam:*",
      "Resource": "arn:aws:iam::*:role/app-*"})"}),
                            "scp.json")});
  EXPECT_THAT(Assess(set, {}, RiskMode::kLint), IsEmpty());
}

// --- credentials-exposure -----------------------------------------------------------

TEST(RiskTest, SecretsOnEverySecretAreCredentialsExposure) {
  const auto lint = LintRisk(
      {R"({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})"});
  ASSERT_THAT(Ids(lint), ElementsAre("credentials-exposure"));
  EXPECT_EQ(lint[0].severity, Severity::kWarning);  // lint's default
  const auto audit = AuditRisk(
      {R"({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})"},
      kReqs);
  ASSERT_NE(Find(audit, FindingId::kCredentialsExposure), nullptr);
  EXPECT_EQ(Find(audit, FindingId::kCredentialsExposure)->severity, Severity::kError);
  // One named secret: not every secret.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
      "Resource": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:dbt-*"})"}),
              IsEmpty());
  // A wildcard-only action: only "*" grants it.
  EXPECT_THAT(
      Ids(LintRisk(
          {R"({"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"})"})),
      ElementsAre("credentials-exposure"));
}

// --- resource-exposure ----------------------------------------------------------------

TEST(RiskTest, PolicyAndAclChangesAreResourceExposure) {
  const auto f = LintRisk({R"({"Effect": "Allow", "Action": ["s3:PutBucketPolicy",
      "s3:PutObjectAcl"], "Resource": ["arn:aws:s3:::lake", "arn:aws:s3:::lake/*"]})"});
  ASSERT_THAT(Ids(f), ElementsAre("resource-exposure"));
  EXPECT_THAT(f[0].message, HasSubstr("allows 2 actions"));
  // A bucket-level action on an object ARN grants nothing.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "s3:PutBucketPolicy",
      "Resource": "arn:aws:s3:::lake/*"})"}),
              IsEmpty());
  // kms:CreateGrant for AWS resources only is defused.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "kms:CreateGrant", "Resource": "*",
      "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}})"}),
              IsEmpty());
}

// --- data-destruction -----------------------------------------------------------------

TEST(RiskTest, DeletingWhatTheToolDoesNotWriteIsDataDestruction) {
  // The source bucket and database, which dbt only reads.
  const auto f = AuditRisk({R"({"Effect": "Allow", "Action": ["s3:DeleteObject",
      "glue:DeleteTable"], "Resource": ["arn:aws:s3:::lake/raw/*",
      "arn:aws:glue:eu-west-1:111122223333:table/raw/*"]})"},
                           kReqs);
  ASSERT_THAT(Ids(f), ElementsAre("data-destruction"));
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("s3:DeleteObject"));
  EXPECT_THAT(f[0].message, HasSubstr("glue:DeleteTable"));
  EXPECT_THAT(f[0].message, HasSubstr("that can delete or overwrite data tool does not write"));
  // The fix keeps what is needed, on what it is needed on: nothing here.
  EXPECT_FALSE(f[0].fix.has_value());
  // What the tool writes: nothing to report.
  EXPECT_THAT(AuditRisk({R"({"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:PutObject",
      "s3:GetObject"], "Resource": "arn:aws:s3:::lake/dbt/*"})"},
                        kReqs),
              IsEmpty());
  // In lint, only on every resource (a warning).
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::lake/raw/*"})"}),
              IsEmpty());
  const auto lint =
      LintRisk({R"({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*"})"});
  ASSERT_THAT(Ids(lint), ElementsAre("data-destruction"));
  EXPECT_EQ(lint[0].severity, Severity::kWarning);
}

TEST(RiskTest, TheFixNeverKeepsEveryResourceForWhatIsNeededOnLess) {
  const auto f = AuditRisk(
      {R"({"Sid": "Data", "Effect": "Allow", "Action": ["s3:DeleteObject", "s3:PutObject"],
      "Resource": "*"})"},
      kReqs);
  const Finding* d = Find(f, FindingId::kDataDestruction);
  ASSERT_NE(d, nullptr);
  const auto fix = nlohmann::json::parse(StatementText(d->fix));
  EXPECT_EQ(fix["Sid"], "Data");
  EXPECT_EQ(fix["Action"], nlohmann::json({"s3:DeleteObject", "s3:PutObject"}));
  EXPECT_EQ(fix["Resource"], "arn:aws:s3:::lake/dbt/*");
}

TEST(RiskTest, TheFixGroupsTheRequiredActionsByTheRequiredResourcesTheStatementReaches) {
  // lake/dbt/* is required for three actions (asked once: NarrowedFix's
  // memo), lake/raw/* for one.
  const auto both = AuditRisk({R"({"Sid": "Lake", "Effect": "Allow", "Action": "s3:*",
      "Resource": ["arn:aws:s3:::lake/raw/*", "arn:aws:s3:::lake/dbt/*"]})"},
                              kReqs);
  const Finding* w = Find(both, FindingId::kServiceWildcard);
  ASSERT_NE(w, nullptr);
  const auto fix = nlohmann::json::parse(StatementText(w->fix));
  EXPECT_EQ(fix["Action"], nlohmann::json({"s3:DeleteObject", "s3:PutObject"}));
  EXPECT_EQ(fix["Resource"], "arn:aws:s3:::lake/dbt/*");
  EXPECT_THAT(w->message, HasSubstr("also keep s3:GetObject on arn:aws:s3:::lake/raw/*, "
                                    "arn:aws:s3:::lake/dbt/* (a statement of their own)"));
  // Only raw/* reached: the write actions are not kept, nothing else is named.
  const auto raw = AuditRisk({R"({"Effect": "Allow", "Action": "s3:*",
      "Resource": "arn:aws:s3:::lake/raw/*"})"},
                             kReqs);
  const Finding* r = Find(raw, FindingId::kServiceWildcard);
  ASSERT_NE(r, nullptr);
  const auto narrowed = nlohmann::json::parse(StatementText(r->fix));
  EXPECT_EQ(narrowed["Action"], "s3:GetObject");
  EXPECT_EQ(narrowed["Resource"], "arn:aws:s3:::lake/raw/*");
  EXPECT_THAT(r->message, Not(HasSubstr("also keep")));
}

// --- data-exfiltration ------------------------------------------------------------------

TEST(RiskTest, ReadingBeyondWhatTheToolReadsIsDataExfiltration) {
  const auto f = AuditRisk(
      {R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"})"},
      kReqs);
  ASSERT_THAT(Ids(f), ElementsAre("data-exfiltration"));
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(AuditRisk({R"({"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": ["arn:aws:s3:::lake/raw/*", "arn:aws:s3:::lake/dbt/*"]})"},
                        kReqs),
              IsEmpty());
  // kms:Decrypt through a service only is defused.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
      "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}})"}),
              IsEmpty());
  const auto lint = LintRisk({R"({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})"});
  ASSERT_THAT(Ids(lint), ElementsAre("data-exfiltration"));
  EXPECT_EQ(lint[0].severity, Severity::kNote);
}

// --- service-wildcard, over-broad, accepted extras ------------------------------------

TEST(RiskTest, ServiceWildcardsAreErrorsForIamAndWarningsOtherwise) {
  const auto iam = AuditRisk(
      {R"({"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::111122223333:role/x"})"},
      kReqs);
  ASSERT_NE(Find(iam, FindingId::kServiceWildcard), nullptr);
  EXPECT_EQ(Find(iam, FindingId::kServiceWildcard)->severity, Severity::kError);
  const auto ec2 =
      AuditRisk({R"({"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"})"}, kReqs);
  ASSERT_NE(Find(ec2, FindingId::kServiceWildcard), nullptr);
  EXPECT_EQ(Find(ec2, FindingId::kServiceWildcard)->severity, Severity::kWarning);
  EXPECT_EQ(Find(LintRisk({R"({"Effect": "Allow", "Action": "cloudwatch:*", "Resource": "*"})"}),
                 FindingId::kServiceWildcard)
                ->severity,
            Severity::kNote);
}

TEST(RiskTest, OtherExtrasAreOverBroadAndAcceptedExtrasAreNot) {
  const std::string list =
      R"({"Effect": "Allow", "Action": ["athena:ListWorkGroups", "glue:GetDatabases"],
      "Resource": "*"})";
  const auto f = AuditRisk({list}, kReqs);
  ASSERT_THAT(Ids(f), ElementsAre("over-broad-action"));
  EXPECT_EQ(f[0].severity, Severity::kNote);  // List and Read only
  EXPECT_THAT(f[0].message, HasSubstr("allows 2 athena, glue actions that tool does not need"));
  EXPECT_THAT(AuditRisk({list}, kReqs, {"athena:ListWorkGroups", "glue:GetDatabases"}), IsEmpty());
  const auto write = AuditRisk(
      {R"({"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*"})"}, kReqs);
  ASSERT_THAT(Ids(write), ElementsAre("over-broad-action"));
  EXPECT_EQ(write[0].severity, Severity::kWarning);
  // Nothing of this in lint: it has no profile to compare with.
  EXPECT_THAT(LintRisk({list}), IsEmpty());
}

TEST(RiskTest, AdministratorAccessIsPrivilegeEscalationOnly) {
  const auto f = LintRisk({R"({"Effect": "Allow", "Action": "*", "Resource": "*"})"});
  EXPECT_THAT(Ids(f), ElementsAre("privilege-escalation"));  // beside allow-all-actions (lint.h)
}

// --- the table's action index: statements are matched against the table's ----------
// --- actions (CompiledRows), never expanded over the catalog in lint -------------

TEST(RiskIndexTest, ActionsReachARowInAnyCaseAndThroughWildcards) {
  for (const char* action : {"iam:PutRolePolicy", "IAM:putrolepolicy", "iam:Put*Policy",
                             "iam:PutRole?olicy", "*:PutRolePolicy", "i*:PutRolePolicy"}) {
    const auto f = LintRisk(
        {R"({"Effect": "Allow", "Action": ")" + std::string(action) + R"(", "Resource": "*"})"});
    ASSERT_THAT(Ids(f), ElementsAre("privilege-escalation")) << action;
    EXPECT_THAT(f[0].message, HasSubstr("iam:PutRolePolicy")) << action;
  }
  // Near misses reach no row: another action, an unknown service, a longer name.
  for (const char* action : {"iam:GetRolePolicy", "nope:PutRolePolicy", "iam:PutRolePolicyX",
                             "iam:PutRolePolicy?", "s3:PutRolePolicy"}) {
    EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": ")" + std::string(action) +
                          R"(", "Resource": "*"})"}),
                IsEmpty())
        << action;
  }
}

TEST(RiskIndexTest, NotActionGrantsTheRowsItDoesNotName) {
  // NotAction "iam:*" allows every risky action outside IAM (sts:AssumeRole
  // among them) and none of IAM's.
  const auto f = LintRisk({R"({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})"});
  const Finding* escalation = Find(f, FindingId::kPrivilegeEscalation);
  ASSERT_NE(escalation, nullptr);
  EXPECT_THAT(escalation->message, HasSubstr("sts:AssumeRole"));
  EXPECT_THAT(escalation->message, Not(HasSubstr("iam:")));
  EXPECT_NE(Find(f, FindingId::kCredentialsExposure), nullptr);  // secretsmanager, ...
  // Naming every risky service's actions leaves nothing for the table.
  EXPECT_EQ(Find(LintRisk({R"({"Effect": "Allow", "NotAction": ["*:*"], "Resource": "*"})"}),
                 FindingId::kPrivilegeEscalation),
            nullptr);
}

TEST(RiskIndexTest, CombinationsAreFoundThroughWildcardsNotActionAndOtherStatements) {
  const std::string pass = R"({"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"})";
  const auto escalates = [&](const std::string& other) {
    return Find(LintRisk({pass, other}), FindingId::kPrivilegeEscalation) != nullptr;
  };
  EXPECT_TRUE(escalates(R"({"Effect": "Allow", "Action": "ec2:Run*", "Resource": "*"})"));
  EXPECT_TRUE(escalates(R"({"Effect": "Allow", "Action": "*:RunInstances", "Resource": "*"})"));
  EXPECT_TRUE(escalates(R"({"Effect": "Allow", "Action": "LAMBDA:createfunction",
      "Resource": "*"})"));
  EXPECT_TRUE(escalates(R"({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})"));
  // The combination is granted on anything: a named function counts.
  EXPECT_TRUE(escalates(R"({"Effect": "Allow", "Action": "lambda:CreateFunction",
      "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:f"})"));
  // Not by what no statement allows: a Deny, a NotAction that excludes it,
  // an action of no compute service.
  EXPECT_FALSE(escalates(R"({"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*"})"));
  EXPECT_FALSE(escalates(R"({"Effect": "Allow", "NotAction": ["ec2:*", "lambda:*", "glue:*",
      "cloudformation:*", "datapipeline:*", "ecs:*", "sagemaker:*", "codebuild:*",
      "autoscaling:*", "states:*", "batch:*", "elasticmapreduce:*", "apprunner:*"],
      "Resource": "arn:aws:s3:::b"})"));
  EXPECT_FALSE(escalates(R"({"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"})"));
  // The finding names the combination as granted.
  const auto f = LintRisk({pass, R"({"Effect": "Allow", "Action": "ec2:Run*", "Resource": "*"})"});
  EXPECT_THAT(Find(f, FindingId::kPrivilegeEscalation)->message,
              HasSubstr("with ec2:RunInstances"));
}

TEST(RiskIndexTest, DefusingConditionsAndScopeApplyToWildcardGrants) {
  const std::string run = R"({"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"})";
  EXPECT_EQ(Find(LintRisk({R"({"Effect": "Allow", "Action": "iam:P?ssRole", "Resource": "*",
      "Condition": {"StringEquals": {"IAM:PassedToService": "glue.amazonaws.com"}}})",
                           run}),
                 FindingId::kPrivilegeEscalation),
            nullptr);
  // Scope `every`: a wildcard grant on one named role is not every role.
  EXPECT_THAT(LintRisk({R"({"Effect": "Allow", "Action": "iam:*RolePolicy",
      "Resource": "arn:aws:iam::111122223333:role/dbt"})"}),
              IsEmpty());
  EXPECT_THAT(Ids(LintRisk({R"({"Effect": "Allow", "Action": "iam:*RolePolicy",
      "Resource": "arn:aws:iam::111122223333:role/*"})"})),
              ElementsAre("privilege-escalation"));
}

TEST(RiskIndexTest, AuditOverBroadActionsLeaveOutWhatARowReported) {
  const auto f = AuditRisk({R"({"Effect": "Allow", "Action": ["iam:put*policy",
      "cloudwatch:PutMetricData"], "Resource": "*"})"},
                           kReqs);
  const Finding* escalation = Find(f, FindingId::kPrivilegeEscalation);
  ASSERT_NE(escalation, nullptr);
  EXPECT_THAT(escalation->message, HasSubstr("iam:PutRolePolicy"));
  const Finding* broad = Find(f, FindingId::kOverBroadAction);
  ASSERT_NE(broad, nullptr);
  EXPECT_THAT(broad->message, HasSubstr("allows 1 cloudwatch action"));
  // NotAction in an audit: the table's categories and the rest as over-broad.
  const auto all_but =
      AuditRisk({R"({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})"}, kReqs);
  EXPECT_NE(Find(all_but, FindingId::kPrivilegeEscalation), nullptr);
  EXPECT_NE(Find(all_but, FindingId::kOverBroadAction), nullptr);
}

TEST(RiskIndexTest, ATableOfOurOwnIsCompiledAgainstTheCatalogGiven) {
  const std::string text = R"(categories:
  data-destruction: {audit: error, lint: warning}
service_wildcard: {audit: warning, lint: note, raised: {audit: error, lint: warning}, raised_services: [iam]}
sources:
  a: A source
risks:
  - id: wipe
    category: data-destruction
    actions: [s3:Delete*]
    with_any: [s3:PutBucketVersioning]
    scope: any
    unless: [s3:ExistingObjectTag/keep]
    why: w
    source: [a]
)";
  const RiskTableLoadResult table = LoadRiskTable(text, "t.yaml", &TestCatalog());
  ASSERT_TRUE(table.table);
  const auto lint = [&](const std::vector<std::string>& statements) {
    PolicySet set;
    set.identity.push_back(Parse(Doc(statements)));
    auto compiled = Evaluator::Compile(set);
    RiskOptions options;
    options.mode = RiskMode::kLint;
    options.table = &*table.table;
    return AssessRisk(TestCatalog(), set, *compiled.evaluator, {}, options);
  };
  const std::string del =
      R"({"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/x"})";
  const std::string versioning =
      R"({"Effect": "Allow", "Action": "s3:PutBucket*", "Resource": "arn:aws:s3:::b"})";
  EXPECT_THAT(lint({del}), IsEmpty());  // no combination
  const auto f = lint({del, versioning});
  ASSERT_THAT(Ids(f), ElementsAre("data-destruction"));
  EXPECT_THAT(f[0].message, HasSubstr("with s3:PutBucketVersioning"));
  EXPECT_THAT(f[0].message, HasSubstr("(risk wipe)"));
  // The built-in table does not make PutObject a risk; this one not either.
  EXPECT_THAT(
      lint({R"({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})", versioning}),
      IsEmpty());
}

}  // namespace
}  // namespace iam_audit
