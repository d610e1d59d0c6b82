// The coverage audit (audit.h) on small inline policies and requirements:
// covers / partial / missing, Deny (whole and in part), conditions decided by
// the profile's context, by --context, or left unknown, NotAction and
// NotResource, wildcard-only actions, boundary and SCP layers, over-broad
// statements, unknown actions and the suggested policy.
#include "iam_audit/audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "iam_audit/profile.h"

#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using testing::Parse;
using testing::TestCatalog;

using Context = std::vector<std::pair<std::string, std::vector<std::string>>>;

// A requirement as a profile group would give it (the resource type "*"
// for an action that takes none, else "x").
Requirement Req(std::string action, std::string resource, std::string group = "g",
                Severity severity = Severity::kError, Context context = {}) {
  const auto id = TestCatalog().FindAction(action);
  EXPECT_TRUE(id) << action;
  const bool typed = id && !TestCatalog().action(*id).resource_types.empty();
  Requirement r = testing::RequirementOf(std::move(action), std::move(resource),
                                         !id     ? ""
                                         : typed ? "x"
                                                 : "*");
  r.group_id = group;
  r.group_title = "Group " + group;
  r.severity = severity;
  r.context = std::move(context);
  return r;
}

// A policy with the given statements (JSON objects, comma-separated).
std::string Doc(const std::string& statements) {
  return R"({"Version": "2012-10-17", "Statement": [)" + statements + "]}";
}

// Options without the over-broad checks, for tests about coverage alone.
AuditOptions Quiet() {
  AuditOptions o;
  o.over_broad = false;
  return o;
}

AuditResult AuditOf(const PolicySet& set, const std::vector<Requirement>& reqs,
                    AuditOptions options = {}) {
  options.profile_name = "test-profile";
  AuditResult r = Audit(TestCatalog(), set, reqs, options);
  EXPECT_THAT(r.errors, IsEmpty());
  return r;
}

AuditResult AuditOf(const std::string& policy, const std::vector<Requirement>& reqs,
                    AuditOptions options = {}) {
  PolicySet set;
  set.identity.push_back(Parse(policy));
  return AuditOf(set, reqs, std::move(options));
}

std::vector<std::string> Ids(const AuditResult& r) { return testing::Ids(r.findings); }

const Finding& FindingOf(const AuditResult& r, std::size_t requirement) {
  const int f = r.results.at(requirement).finding;
  EXPECT_GE(f, 0);
  return r.findings.at(static_cast<std::size_t>(f < 0 ? 0 : f));
}

constexpr char kBucketObjects[] = "arn:aws:s3:::data-bucket/dbt/*";
constexpr char kBucket[] = "arn:aws:s3:::data-bucket";

TEST(AuditTest, WiderResourceCoversTheRequiredPattern) {
  const auto r = AuditOf(Doc(R"({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
                             "Resource": "arn:aws:s3:::data-bucket/*"})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].coverage, Coverage::kGranted);
  ASSERT_EQ(r.results[0].deciding.size(), 1u);
  EXPECT_EQ(r.results[0].deciding[0].sid, "Read");
  EXPECT_EQ(r.results[0].deciding[0].where, (SourceLocation{1, 41}));
  EXPECT_EQ(r.results[0].finding, -1);
  EXPECT_THAT(r.findings, IsEmpty());
}

TEST(AuditTest, ActionPatternsAndCaseAreIamsOwn) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "S3:get*",
                             "Resource": "arn:aws:s3:::data-bucket/dbt/*"})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kGranted);
}

TEST(AuditTest, NarrowerResourceIsPartial) {
  const std::string policy = Doc(R"({"Sid": "One", "Effect": "Allow", "Action": "glue:GetTable",
      "Resource": "arn:aws:glue:eu-west-1:111122223333:table/analytics/orders"})");
  const auto r = AuditOf(
      policy, {Req("glue:GetTable", "arn:aws:glue:eu-west-1:111122223333:table/analytics/*")});
  EXPECT_EQ(r.results[0].coverage, Coverage::kPartial);
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(f.name(), "partial-permission");
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.sid, "One");
  EXPECT_EQ(f.where, (SourceLocation{2, 19}));  // the Resource entry
  EXPECT_THAT(f.message, HasSubstr("table/analytics/orders"));
  const auto fix = nlohmann::json::parse(StatementText(f.fix));
  EXPECT_EQ(fix["Effect"], "Allow");
  EXPECT_EQ(fix["Action"], "glue:GetTable");
  EXPECT_EQ(fix["Resource"], "arn:aws:glue:eu-west-1:111122223333:table/analytics/*");
}

TEST(AuditTest, NothingAllowsItIsMissingAtThePolicy) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"),
                         {Req("s3:PutObject", kBucketObjects, "s3-write")});
  EXPECT_EQ(r.results[0].coverage, Coverage::kMissing);
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(f.name(), "missing-permission");
  EXPECT_EQ(f.file, "policy.json");
  EXPECT_EQ(f.where, (SourceLocation{1, 1}));
  EXPECT_EQ(f.group, "s3-write");
  EXPECT_EQ(f.action, "s3:PutObject");
  EXPECT_EQ(f.resource, kBucketObjects);
  const auto fix = nlohmann::json::parse(StatementText(f.fix));
  EXPECT_EQ(fix["Sid"], "S3Write");
  EXPECT_EQ(fix["Action"], "s3:PutObject");
}

TEST(AuditTest, ListBucketOnObjectsIsNamedInTheMessage) {
  const auto r = AuditOf(Doc(R"({"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket",
                             "Resource": "arn:aws:s3:::data-bucket/*"})"),
                         {Req("s3:ListBucket", kBucket)});
  EXPECT_EQ(r.results[0].coverage, Coverage::kMissing);
  const Finding& f = FindingOf(r, 0);
  EXPECT_THAT(f.message, HasSubstr("statement 'List'"));
  EXPECT_THAT(f.message, HasSubstr("only on arn:aws:s3:::data-bucket/*"));
  ASSERT_EQ(f.related.size(), 1u);
  EXPECT_EQ(f.related[0].where, (SourceLocation{1, 41}));
}

TEST(AuditTest, DenyCoveringTheResourceDenies) {
  const auto r = AuditOf(
      Doc(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                            {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject",
                             "Resource": "arn:aws:s3:::data-bucket/*"})"),
      {Req("s3:DeleteObject", kBucketObjects), Req("s3:PutObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kDenied);
  EXPECT_EQ(r.results[1].coverage, Coverage::kGranted);
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(f.name(), "denied-permission");
  EXPECT_EQ(f.sid, "NoDelete");
  EXPECT_EQ(f.where, (SourceLocation{2, 29}));
  EXPECT_FALSE(f.fix.has_value());
  ASSERT_EQ(r.results[0].deciding.size(), 1u);
  EXPECT_EQ(r.results[0].deciding[0].sid, "NoDelete");
}

TEST(AuditTest, DenyOverlappingPartIsPartial) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                            {"Sid": "Secrets", "Effect": "Deny", "Action": "s3:*",
                             "Resource": "arn:aws:s3:::data-bucket/dbt/secret/*"})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kPartial);
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(f.name(), "partial-permission");
  EXPECT_EQ(f.sid, "Secrets");
  EXPECT_THAT(f.message, HasSubstr("denies s3:GetObject on part of"));
  EXPECT_FALSE(f.fix.has_value());  // no statement to add: the Deny must change
}

TEST(AuditTest, UnknownConditionIsConditionalAndNamesTheKeys) {
  const std::string policy = Doc(R"({"Sid": "Vpc", "Effect": "Allow", "Action": "s3:GetObject",
      "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}})");
  const auto r = AuditOf(policy, {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kConditional);
  EXPECT_THAT(r.results[0].missing_keys, ElementsAre("aws:SourceVpc"));
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(f.name(), "conditional-permission");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.where, (SourceLocation{2, 24}));  // the Condition element
  EXPECT_THAT(f.message, HasSubstr("aws:SourceVpc"));
  EXPECT_THAT(f.message, HasSubstr("--context"));

  // --context decides it, either way.
  AuditOptions yes = Quiet();
  yes.context.Add("aws:SourceVpc", "vpc-1");
  EXPECT_EQ(AuditOf(policy, {Req("s3:GetObject", kBucketObjects)}, yes).results[0].coverage,
            Coverage::kGranted);
  AuditOptions no = Quiet();
  no.context.Add("aws:SourceVpc", "vpc-2");
  EXPECT_EQ(AuditOf(policy, {Req("s3:GetObject", kBucketObjects)}, no).results[0].coverage,
            Coverage::kMissing);
}

TEST(AuditTest, ProfileContextDecidesAndUserContextOverridesIt) {
  const std::string policy = Doc(R"({"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})");
  const Requirement req = Req("s3:GetObject", kBucketObjects, "g", Severity::kError,
                              {{"aws:SecureTransport", {"true"}}});
  EXPECT_EQ(AuditOf(policy, {req}, Quiet()).results[0].coverage, Coverage::kGranted);
  AuditOptions plain = Quiet();
  plain.context.Add("aws:SecureTransport", "false");
  EXPECT_EQ(AuditOf(policy, {req}, plain).results[0].coverage, Coverage::kMissing);
}

TEST(AuditTest, DenyUnderUnknownConditionIsConditional) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                            {"Sid": "Mfa", "Effect": "Deny", "Action": "*", "Resource": "*",
                             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kConditional);
  EXPECT_THAT(FindingOf(r, 0).message, HasSubstr("may be denied by statement 'Mfa'"));
  EXPECT_THAT(r.results[0].missing_keys, ElementsAre("aws:MultiFactorAuthPresent"));
}

TEST(AuditTest, NotActionAllowGrantsEverythingElse) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})"),
                         {Req("s3:GetObject", kBucketObjects),
                          Req("iam:GetRole", "arn:aws:iam::111122223333:role/x")});
  EXPECT_EQ(r.results[0].coverage, Coverage::kGranted);
  EXPECT_EQ(r.results[1].coverage, Coverage::kMissing);
  EXPECT_THAT(Ids(r), ::testing::Contains("over-broad-action"));
}

TEST(AuditTest, NotResource) {
  const auto run = [](const std::string& excluded) {
    return AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": ")" +
                       excluded + R"("})"),
                   {Req("s3:GetObject", kBucketObjects)}, Quiet())
        .results[0]
        .coverage;
  };
  EXPECT_EQ(run("arn:aws:s3:::other-bucket/*"), Coverage::kGranted);             // no overlap
  EXPECT_EQ(run("arn:aws:s3:::data-bucket/dbt/private/*"), Coverage::kPartial);  // excludes part
  EXPECT_EQ(run("arn:aws:s3:::data-bucket/*"), Coverage::kMissing);  // excludes all of it
}

TEST(AuditTest, DenyWithNotResource) {
  const auto run = [](const std::string& excluded) {
    return AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                      {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": ")" +
                       excluded + R"("})"),
                   {Req("s3:GetObject", kBucketObjects)}, Quiet())
        .results[0]
        .coverage;
  };
  EXPECT_EQ(run("arn:aws:s3:::data-bucket/*"), Coverage::kGranted);  // the Deny spares it
  EXPECT_EQ(run("arn:aws:s3:::data-bucket/dbt/public/*"), Coverage::kPartial);
  EXPECT_EQ(run("arn:aws:s3:::other/*"), Coverage::kDenied);
}

TEST(AuditTest, WildcardOnlyActionsNeedStar) {
  const Requirement req = Req("lakeformation:GetDataAccess", "*");
  ASSERT_EQ(req.resource_type, "*");
  const auto specific = AuditOf(Doc(R"({"Effect": "Allow", "Action": "lakeformation:GetDataAccess",
                  "Resource": "arn:aws:lakeformation:eu-west-1:111122223333:catalog:111122223333"})"),
                                {req});
  EXPECT_EQ(specific.results[0].coverage, Coverage::kMissing);
  EXPECT_THAT(FindingOf(specific, 0).message, HasSubstr("supports no resource-level permissions"));
  EXPECT_EQ(nlohmann::json::parse(StatementText(FindingOf(specific, 0).fix))["Resource"], "*");

  const auto star = AuditOf(
      Doc(R"({"Effect": "Allow", "Action": "lakeformation:GetDataAccess", "Resource": "*"})"),
      {req});
  EXPECT_EQ(star.results[0].coverage, Coverage::kGranted);
  EXPECT_THAT(star.findings, IsEmpty());  // "*" is needed: not over-broad
}

TEST(AuditTest, BoundaryMustAllowToo) {
  PolicySet set;
  set.identity.push_back(Parse(Doc(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})")));
  set.boundary = Parse(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"),
                       "boundary.json");
  const auto r = AuditOf(
      set, {Req("s3:GetObject", kBucketObjects), Req("s3:PutObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kGranted);
  EXPECT_EQ(r.results[1].coverage, Coverage::kMissing);
  EXPECT_EQ(r.results[1].layer, PolicyKind::kBoundary);
  const Finding& f = FindingOf(r, 1);
  EXPECT_EQ(f.file, "boundary.json");
  EXPECT_THAT(f.message, HasSubstr("permissions boundary"));
  // The suggested policy is for the identity policies: nothing to add there.
  EXPECT_EQ(SuggestedPolicy(std::vector<Requirement>{Req("s3:GetObject", kBucketObjects),
                                                     Req("s3:PutObject", kBucketObjects)},
                            r),
            "");
}

TEST(AuditTest, EveryScpLevelMustAllow) {
  PolicySet set;
  set.identity.push_back(
      Parse(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})")));
  set.scps.push_back(
      {Parse(Doc(R"({"Effect": "Allow", "Action": "*", "Resource": "*"})"), "root.json")});
  set.scps.push_back(
      {Parse(Doc(R"({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"})"), "ou.json")});
  const auto r = AuditOf(set, {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kMissing);
  EXPECT_EQ(r.results[0].layer, PolicyKind::kScp);
  EXPECT_EQ(r.results[0].scp_level, 1);
  EXPECT_EQ(FindingOf(r, 0).file, "ou.json");
  EXPECT_THAT(FindingOf(r, 0).message, HasSubstr("SCP level 2"));
}

TEST(AuditTest, SeverityIsCappedByTheRequirements) {
  const auto r = AuditOf(
      Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"),
      {Req("kms:DescribeKey", "arn:aws:kms:eu-west-1:111122223333:key/k", "g", Severity::kNote)},
      Quiet());
  EXPECT_EQ(FindingOf(r, 0).severity, Severity::kNote);
}

TEST(AuditTest, TheSameGapOfSeveralGroupsIsOneFindingNamingEachGroup) {
  // Issue 14 defect 8: dbt's own call and Athena's both need glue:GetDatabase
  // on the catalog; the gap is counted once, at the higher severity, and the
  // finding names both groups (and a third, once).
  const std::string catalog = "arn:aws:glue:eu-west-1:111122223333:catalog";
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"),
                         {Req("glue:GetDatabase", catalog, "dbt-own", Severity::kWarning),
                          Req("glue:GetDatabase", catalog, "athena-ddl", Severity::kError),
                          Req("glue:GetTable", catalog, "athena-ddl"),
                          Req("glue:GetDatabase", catalog, "third", Severity::kNote),
                          Req("glue:GetDatabase", catalog, "dbt-own")},
                         Quiet());
  ASSERT_EQ(r.findings.size(), 2u) << ::testing::PrintToString(Ids(r));
  const Finding& f = FindingOf(r, 0);
  EXPECT_EQ(&f, &FindingOf(r, 1));
  EXPECT_EQ(&f, &FindingOf(r, 3));
  EXPECT_EQ(f.severity, Severity::kError);
  EXPECT_EQ(f.group, "dbt-own");
  EXPECT_EQ(f.other_groups, (std::vector<std::string>{"athena-ddl", "third"}));
  EXPECT_THAT(f.message, HasSubstr("(required by profile groups dbt-own, athena-ddl and third)"));
  // A gap of one group names none.
  const Finding& one = FindingOf(r, 2);
  EXPECT_EQ(one.group, "athena-ddl");
  EXPECT_THAT(one.other_groups, IsEmpty());
  EXPECT_THAT(one.message, Not(HasSubstr("required by")));
}

TEST(AuditTest, PolicyVariablesInResourcesAreConditional) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject",
                             "Resource": "arn:aws:s3:::data-bucket/${aws:username}/*"})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kConditional);
  EXPECT_THAT(r.results[0].missing_keys, ElementsAre("aws:username"));

  AuditOptions user = Quiet();
  user.context.Add("aws:username", "dbt");
  EXPECT_EQ(AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::data-bucket/${aws:username}/*"})"),
                    {Req("s3:GetObject", kBucketObjects)}, user)
                .results[0]
                .coverage,
            Coverage::kGranted);
}

TEST(AuditTest, OverBroadActionCountsAndRanksTheExtras) {
  const auto r =
      AuditOf(Doc(R"({"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})"),
              {Req("s3:GetObject", kBucketObjects)});
  ASSERT_THAT(Ids(r), ::testing::Contains("over-broad-action"));
  const Finding* f = nullptr;
  for (const Finding& x : r.findings) {
    if (x.id == FindingId::kOverBroadAction) f = &x;
  }
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_EQ(f->where, (SourceLocation{1, 75}));  // the Action element
  EXPECT_THAT(f->message, HasSubstr("that test-profile does not need"));
  EXPECT_THAT(f->message,
              ::testing::ContainsRegex("riskiest: [0-9]+ Permissions management \\(s3:"));
  // The riskiest come first: permissions management before Write, and policy
  // changes before other permissions-management actions.
  EXPECT_LT(f->message.find("Permissions management ("), f->message.find("Write ("));
  // Bucket policy changes are resource-exposure (risk.h), counted there, not
  // here: each extra grant is reported once, under its riskiest category.
  EXPECT_THAT(f->message, Not(HasSubstr("s3:PutBucketPolicy")));
  EXPECT_THAT(Ids(r), ::testing::Contains("resource-exposure"));
  const std::size_t s3_actions = [] {
    const auto [first, last] = TestCatalog().ServiceActions("s3");
    return static_cast<std::size_t>(last - first);
  }();
  std::size_t in_categories = 0;
  for (const Finding& x : r.findings) {
    if (RuleFor(x.id).category != FindingCategory::kRisk || x.id == FindingId::kServiceWildcard) {
      continue;
    }
    const std::size_t at = x.message.find(" allows ") + 8;
    in_categories += std::stoul(x.message.substr(at));
  }
  // s3:GetObject is required, but on less than "*": data-exfiltration counts it.
  EXPECT_THAT(f->message,
              HasSubstr("allows " + std::to_string(s3_actions - in_categories) + " s3 actions"));
  // The fix keeps the needed actions only, on the resources needed (never "*").
  const auto fix = nlohmann::json::parse(StatementText(f->fix));
  EXPECT_EQ(fix["Action"], "s3:GetObject");
  EXPECT_EQ(fix["Resource"], kBucketObjects);
  EXPECT_EQ(fix["Sid"], "All");
}

TEST(AuditTest, ExactActionsAreNotOverBroad) {
  const auto r =
      AuditOf(Doc(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                             "Resource": "arn:aws:s3:::data-bucket/dbt/*"})"),
              {Req("s3:GetObject", kBucketObjects), Req("s3:PutObject", kBucketObjects)});
  EXPECT_THAT(r.findings, IsEmpty());
  // Every service counts: ec2:* beyond an S3 profile is over-broad (risk_test.cc).
  const auto ec2 =
      AuditOf(Doc(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "ec2:*"],
                             "Resource": "arn:aws:s3:::data-bucket/dbt/*"})"),
              {Req("s3:GetObject", kBucketObjects), Req("s3:PutObject", kBucketObjects)});
  EXPECT_THAT(Ids(ec2), ::testing::Contains("service-wildcard"));
}

TEST(AuditTest, OverBroadResourceForWriteActions) {
  const auto r =
      AuditOf(Doc(R"({"Sid": "Data", "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:DeleteObject", "glue:DeleteTable"],
      "Resource": ["arn:aws:s3:::data-bucket/*", "arn:aws:glue:eu-west-1:111122223333:table/*/*",
                   "arn:aws:s3:::data-bucket/dbt/*"]})"),
              {Req("s3:GetObject", kBucketObjects), Req("s3:DeleteObject", kBucketObjects),
               Req("glue:DeleteTable", "arn:aws:glue:eu-west-1:111122223333:table/analytics/*")});
  // Deleting beyond what the profile writes is data-destruction (risk.h), one
  // finding for the statement; reading beyond, data-exfiltration.
  std::vector<std::string> flagged;
  for (const Finding& f : r.findings) {
    EXPECT_NE(f.id, FindingId::kOverBroadAction);
    EXPECT_NE(f.id, FindingId::kOverBroadResource);
    flagged.push_back(std::string(f.name()) + " " + f.resource);
  }
  EXPECT_THAT(flagged,
              ::testing::UnorderedElementsAre("data-destruction arn:aws:s3:::data-bucket/*, "
                                              "arn:aws:glue:eu-west-1:111122223333:table/*/*",
                                              "data-exfiltration arn:aws:s3:::data-bucket/*",
                                              // data-bucket/dbt/* is under data-bucket/*
                                              "redundant-resource arn:aws:s3:::data-bucket/dbt/*"));
  // A Write action required on less, with no risk row: over-broad-resource.
  const auto put = AuditOf(Doc(R"({"Sid": "Data", "Effect": "Allow",
      "Action": "s3:AbortMultipartUpload",
      "Resource": ["arn:aws:s3:::data-bucket/*"]})"),
                           {Req("s3:AbortMultipartUpload", kBucketObjects)});
  ASSERT_THAT(Ids(put), ElementsAre("over-broad-resource"));
  EXPECT_EQ(put.findings[0].where.line, 3);  // the Resource entry itself
  EXPECT_EQ(put.findings[0].sid, "Data");
  EXPECT_EQ(put.findings[0].resource, "arn:aws:s3:::data-bucket/*");
}

TEST(AuditTest, UnknownActionsAreReportedWithSuggestions) {
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:GetObject"],
                             "Resource": "*"})"),
                         {Req("s3:GetObject", kBucketObjects)}, Quiet());
  ASSERT_THAT(Ids(r), ElementsAre("unknown-action"));
  EXPECT_EQ(r.findings[0].where, (SourceLocation{1, 72}));
  EXPECT_THAT(r.findings[0].message, HasSubstr("s3:GetObject"));
}

TEST(AuditTest, SuggestedPolicyMergesActionsWithTheSameResources) {
  const std::vector<Requirement> reqs = {
      Req("s3:GetObject", kBucketObjects, "s3-write"),
      Req("s3:PutObject", kBucketObjects, "s3-write"), Req("s3:ListBucket", kBucket, "s3-write"),
      Req("athena:GetWorkGroup", "arn:aws:athena:eu-west-1:111122223333:workgroup/primary",
          "athena-queries")};
  const auto r = AuditOf(
      Doc(R"({"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"})"), reqs);
  const auto policy = nlohmann::json::parse(SuggestedPolicy(reqs, r));
  EXPECT_EQ(policy["Version"], "2012-10-17");
  ASSERT_EQ(policy["Statement"].size(), 3u);
  EXPECT_EQ(policy["Statement"][0]["Sid"], "S3Write");
  EXPECT_EQ(policy["Statement"][0]["Action"],
            nlohmann::json::array({"s3:GetObject", "s3:PutObject"}));
  EXPECT_EQ(policy["Statement"][0]["Resource"], kBucketObjects);
  EXPECT_EQ(policy["Statement"][1]["Sid"], "S3Write2");
  EXPECT_EQ(policy["Statement"][1]["Action"], "s3:ListBucket");
  EXPECT_EQ(policy["Statement"][2]["Sid"], "AthenaQueries");

  // Auditing the suggestion with the rest grants everything.
  PolicySet set;
  set.identity.push_back(Parse(SuggestedPolicy(reqs, r), "suggested.json"));
  const auto again = AuditOf(set, reqs);
  for (const RequirementResult& rr : again.results) EXPECT_EQ(rr.coverage, Coverage::kGranted);
  EXPECT_THAT(again.findings, IsEmpty());
}

TEST(AuditTest, SeveralIdentityPoliciesCombine) {
  PolicySet set;
  set.identity.push_back(
      Parse(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})"), "a.json"));
  set.identity.push_back(
      Parse(Doc(R"({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"})"), "b.json"));
  const auto r = AuditOf(
      set, {Req("s3:GetObject", kBucketObjects), Req("s3:PutObject", kBucketObjects)}, Quiet());
  EXPECT_EQ(r.results[0].coverage, Coverage::kGranted);
  EXPECT_EQ(r.results[1].coverage, Coverage::kGranted);
  EXPECT_EQ(r.results[1].deciding.at(0).file, "b.json");
}

TEST(AuditTest, FingerprintsSurviveReformatting) {
  const std::vector<Requirement> reqs = {Req("s3:PutObject", kBucketObjects),
                                         Req("s3:DeleteObject", kBucketObjects)};
  const auto a = AuditOf(Doc(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})"), reqs);
  const auto b = AuditOf(R"({
  "Version": "2012-10-17",


  "Statement": [
    {
      "Effect": "Allow",
      "Action": "S3:*",
      "Resource": "*"
    }
  ]
})",
                         reqs);
  ASSERT_EQ(a.findings.size(), b.findings.size());
  ASSERT_FALSE(a.findings.empty());
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].fingerprint, b.findings[i].fingerprint) << a.findings[i].message;
    EXPECT_NE(a.findings[i].where, b.findings[i].where);
  }
}

TEST(AuditTest, InlineProfileEndToEnd) {
  const ProfileLoadResult loaded = Profile::Load(R"(
name: tiny
description: a test profile
variables:
  bucket: {type: string, required: true}
groups:
  - id: read-data
    title: Read the data
    actions: [s3:GetObject, s3:ListBucket]
    resources:
      - arn:aws:s3:::${bucket}
      - arn:aws:s3:::${bucket}/data/*
    origin: documented
    context:
      aws:SecureTransport: "true"
)",
                                                 "tiny.yaml", TestCatalog());
  ASSERT_TRUE(loaded.profile) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
  const Bindings bindings = loaded.profile->Bind({{"bucket", {"lake"}, false, "--var"}});
  const std::vector<Requirement> reqs = loaded.profile->Requirements(bindings);
  ASSERT_EQ(reqs.size(), 2u);
  const auto r = AuditOf(Doc(R"({"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::lake", "arn:aws:s3:::lake/*"],
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}})"),
                         reqs);
  for (const RequirementResult& rr : r.results) EXPECT_EQ(rr.coverage, Coverage::kGranted);
  // GetObject (Read) on lake/* is wider than lake/data/*: reading data the
  // profile does not read (risk.h).
  EXPECT_THAT(Ids(r), ElementsAre("data-exfiltration"));
}

TEST(AuditTest, CompileErrorsAreReported) {
  // The parser rejects unknown operators; a Policy built by other means
  // (another input format) may still carry one, and the audit reports it.
  PolicySet set;
  set.identity.push_back(Parse(Doc(R"({"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": "*", "Condition": {"StringEquals": {"aws:username": "x"}}})")));
  set.identity[0].statements[0].conditions[0].op.value = "StringEqualz";
  const AuditResult r = Audit(TestCatalog(), set, std::vector<Requirement>{}, {});
  ASSERT_THAT(r.errors, Not(IsEmpty()));
  EXPECT_THAT(r.errors[0].message, HasSubstr("StringEqualz"));
  EXPECT_THAT(r.results, IsEmpty());
}

TEST(AuditTest, SidFromGroupId) {
  EXPECT_EQ(SidFromGroupId("glue-write-databases"), "GlueWriteDatabases");
  EXPECT_EQ(SidFromGroupId("s3_tmp.dir"), "S3TmpDir");
  EXPECT_EQ(SidFromGroupId("--"), "Required");
}

}  // namespace
}  // namespace iam_audit
