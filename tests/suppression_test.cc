// Suppressions: what an entry matches, expiry, stale entries, and how a
// suppressed finding is described in JSON and SARIF.
#include "suppression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config.h"
#include "iam_audit/report.h"

namespace iam_audit {
namespace {

using std::chrono::sys_days;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

sys_days Day(const char* iso) { return *ParseIsoDate(iso); }

Finding F(FindingId id, std::string file, std::string action = "", std::string resource = "") {
  Finding f = MakeFinding(id, std::move(file), {3, 5});
  f.action = std::move(action);
  f.resource = std::move(resource);
  f.message = "m";
  f.fingerprint = Fingerprint(f, "");
  return f;
}

std::vector<Suppression> Load(const std::string& yaml) {
  return ParseConfig(yaml, "/repo/.iam-audit.yaml", "/repo").suppressions;
}

struct Applied {
  std::vector<Finding> findings;
  SuppressionOutcome outcome;
};

Applied Apply(const std::string& yaml, std::vector<Finding> findings,
              std::vector<std::string> audited, const char* today = "2030-01-01") {
  const std::vector<Suppression> s = Load(yaml);
  std::vector<Finding*> ptrs;
  for (Finding& f : findings) ptrs.push_back(&f);
  SuppressionOptions options;
  options.root = "/repo";
  options.today = Day(today);
  SuppressionOutcome outcome = ApplySuppressions(s, ptrs, audited, options);
  return {std::move(findings), std::move(outcome)};
}

TEST(SuppressionTest, ParseIsoDateAcceptsOnlyRealDates) {
  EXPECT_EQ(ParseIsoDate("2024-02-29"), sys_days(std::chrono::year(2024) / 2 / 29));
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024/01/01",
                          "2024-01-01T00:00", "", "2024-00-10"}) {
    EXPECT_EQ(ParseIsoDate(bad), std::nullopt) << bad;
  }
}

TEST(SuppressionTest, MatchesIdPathActionAndResource) {
  const std::vector<Suppression> s = Load(R"(suppressions:
  - id: over-broad-action
    paths: legacy/
    action: "S3:*"
    resource: "arn:aws:s3:::legacy-*"
    reason: r
)");
  ASSERT_EQ(s.size(), 1u);
  const Suppression& e = s[0];
  const Finding hit = F(FindingId::kOverBroadAction, "x", "s3:*", "arn:aws:s3:::legacy-data");
  EXPECT_TRUE(e.Matches(hit, "legacy/role.json"));
  EXPECT_TRUE(e.Matches(hit, "legacy/deep/role.json"));
  EXPECT_FALSE(e.Matches(hit, "current/role.json"));  // path
  EXPECT_FALSE(e.Matches(F(FindingId::kOverBroadResource, "x", "s3:*", "arn:aws:s3:::legacy-data"),
                         "legacy/role.json"));  // id
  EXPECT_FALSE(e.Matches(F(FindingId::kOverBroadAction, "x", "glue:*", "arn:aws:s3:::legacy-data"),
                         "legacy/role.json"));  // action
  EXPECT_FALSE(e.Matches(F(FindingId::kOverBroadAction, "x", "s3:*", "arn:aws:s3:::LEGACY-data"),
                         "legacy/role.json"));  // resources are case-sensitive
  EXPECT_EQ(e.Describe(),
            "over-broad-action in 'legacy/' (action 'S3:*') (resource 'arn:aws:s3:::legacy-*')");
}

TEST(SuppressionTest, SuppressedFindingsAreMarkedNotRemoved) {
  const Applied a = Apply(R"(suppressions:
  - id: missing-permission
    paths: "*.json"
    action: "kms:*"
    reason: KMS is granted by the key policy
    expires: 2030-01-01
)",
                          {F(FindingId::kMissingPermission, "/repo/iam/a.json", "kms:Decrypt"),
                           F(FindingId::kMissingPermission, "/repo/iam/a.json", "s3:GetObject")},
                          {"/repo/iam/a.json"});
  ASSERT_EQ(a.findings.size(), 2u);
  ASSERT_TRUE(a.findings[0].suppressed);
  EXPECT_EQ(a.findings[0].suppressed->kind, FindingSuppression::Kind::kConfig);
  EXPECT_EQ(a.findings[0].suppressed->reason, "KMS is granted by the key policy");
  EXPECT_EQ(a.findings[0].suppressed->file, "/repo/.iam-audit.yaml");
  EXPECT_EQ(a.findings[0].suppressed->where, (SourceLocation{2, 5}));
  EXPECT_EQ(a.findings[0].suppressed->expires, "2030-01-01");
  EXPECT_FALSE(a.findings[1].suppressed);
  EXPECT_EQ(a.outcome.suppressed, 1u);
  EXPECT_THAT(a.outcome.hygiene, IsEmpty());  // the expiry day itself still counts
}

TEST(SuppressionTest, AnExpiredSuppressionStopsSuppressingAndSaysSo) {
  const Applied a = Apply(R"(suppressions:
  - id: missing-permission
    paths: iam/a.json
    reason: waiting for the platform team
    expires: 2029-12-31
)",
                          {F(FindingId::kMissingPermission, "/repo/iam/a.json", "kms:Decrypt")},
                          {"/repo/iam/a.json"});
  EXPECT_FALSE(a.findings[0].suppressed);
  EXPECT_EQ(a.outcome.suppressed, 0u);
  ASSERT_EQ(a.outcome.hygiene.size(), 1u);
  const Finding& h = a.outcome.hygiene[0];
  EXPECT_EQ(h.id, FindingId::kExpiredSuppression);
  EXPECT_EQ(h.severity, Severity::kWarning);
  EXPECT_EQ(h.file, "/repo/.iam-audit.yaml");
  EXPECT_EQ(h.where, (SourceLocation{2, 5}));
  EXPECT_EQ(h.message,
            "suppression of missing-permission in 'iam/a.json' expired on 2029-12-31 (reason: "
            "waiting for the platform team); it no longer suppresses anything: 1 finding it "
            "matches counts again");
  EXPECT_EQ(h.fingerprint.size(), 16u);
}

TEST(SuppressionTest, AStaleSuppressionIsReportedOnlyWhenItsFilesWereAudited) {
  const std::string yaml = R"(suppressions:
  - id: unknown-action
    paths: iam/old.json
    reason: typo kept for compatibility
)";
  // iam/old.json audited, no finding: stale.
  Applied a = Apply(yaml, {F(FindingId::kUnknownAction, "/repo/iam/new.json")},
                    {"/repo/iam/old.json", "/repo/iam/new.json"});
  ASSERT_EQ(a.outcome.hygiene.size(), 1u);
  EXPECT_EQ(a.outcome.hygiene[0].id, FindingId::kStaleSuppression);
  EXPECT_THAT(a.outcome.hygiene[0].message,
              HasSubstr("suppression of unknown-action in 'iam/old.json' matches no finding of "
                        "the files audited: remove it"));
  EXPECT_FALSE(a.findings[0].suppressed);
  // Only iam/new.json audited (a pre-commit run on the changed file): not judged.
  a = Apply(yaml, {}, {"/repo/iam/new.json"});
  EXPECT_THAT(a.outcome.hygiene, IsEmpty());
}

TEST(SuppressionTest, TheFirstMatchingEntryWinsAndEveryEntryIsJudged) {
  const Applied a = Apply(R"(suppressions:
  - {id: unknown-action, paths: "*.json", reason: first}
  - {id: unknown-action, paths: "a.json", reason: second}
)",
                          {F(FindingId::kUnknownAction, "/repo/a.json")}, {"/repo/a.json"});
  ASSERT_TRUE(a.findings[0].suppressed);
  EXPECT_EQ(a.findings[0].suppressed->reason, "first");
  // The second matched too (it is not stale): it would take over if the first went.
  EXPECT_THAT(a.outcome.hygiene, IsEmpty());
}

TEST(SuppressionTest, NegatedPathsExcludeFiles) {
  const Applied a = Apply(R"(suppressions:
  - id: unknown-action
    paths: ["legacy/**", "!legacy/new.json"]
    reason: r
)",
                          {F(FindingId::kUnknownAction, "/repo/legacy/old.json"),
                           F(FindingId::kUnknownAction, "/repo/legacy/new.json")},
                          {"/repo/legacy/old.json", "/repo/legacy/new.json"});
  EXPECT_TRUE(a.findings[0].suppressed);
  EXPECT_FALSE(a.findings[1].suppressed);
}

TEST(SuppressionTest, ReportLevelApplicationAppendsHygieneToTheLastRun) {
  Report report;
  report.profile = "p";
  AuditRun run1, run2;
  run1.files = {"/repo/a.json"};
  run1.result.findings = {F(FindingId::kUnknownAction, "/repo/a.json")};
  run2.files = {"/repo/b.json"};
  report.runs = {run1, run2};
  SuppressionOptions options;
  options.root = "/repo";
  options.today = Day("2030-01-01");
  const std::vector<Suppression> s = Load(R"(suppressions:
  - {id: unknown-action, paths: a.json, reason: r}
  - {id: unknown-action, paths: b.json, reason: r}
)");
  const SuppressionOutcome outcome = ApplySuppressions(s, report, options);
  EXPECT_EQ(outcome.suppressed, 1u);
  EXPECT_TRUE(report.runs[0].result.findings[0].suppressed);
  ASSERT_EQ(report.runs[1].result.findings.size(), 1u);
  EXPECT_EQ(report.runs[1].result.findings[0].id, FindingId::kStaleSuppression);
  EXPECT_EQ(AllFindings(report).size(), 2u);
}

// Several reports (audit groups of the configuration's overrides) in one run:
// each entry is judged once. An expired entry is one finding, not one per
// group; an entry that matches in one group is not stale in another.
TEST(SuppressionTest, EachEntryIsJudgedOnceAcrossTheReportsOfARun) {
  const auto report = [](const std::string& profile, const std::string& file, FindingId id) {
    Report r;
    r.profile = profile;
    AuditRun run;
    run.files = {file};
    run.result.findings = {F(id, file)};
    r.runs = {run};
    return r;
  };
  std::vector<Report> reports = {report("p", "/repo/a/x.json", FindingId::kMissingPermission),
                                 report("q", "/repo/b/y.json", FindingId::kUnknownAction),
                                 report("", "/repo/c/z.json", FindingId::kAllowAllActions)};
  SuppressionOptions options;
  options.root = "/repo";
  options.today = Day("2030-01-01");
  const std::vector<Suppression> s = Load(R"(suppressions:
  - {id: unknown-action, paths: "**", reason: r, expires: 2029-12-31}
  - {id: missing-permission, paths: "**", reason: only in a}
  - {id: allow-all-actions, paths: "c/", reason: lint}
)");
  const SuppressionOutcome outcome = ApplySuppressions(s, std::span(reports), options);
  EXPECT_EQ(outcome.suppressed, 2u);
  ASSERT_EQ(outcome.hygiene.size(), 1u);
  EXPECT_EQ(outcome.hygiene[0].id, FindingId::kExpiredSuppression);
  EXPECT_THAT(outcome.hygiene[0].message, HasSubstr("1 finding it matches counts again"));
  std::size_t expired = 0, stale = 0;
  for (Report& r : reports) {
    for (const Finding* f : AllFindings(r)) {
      expired += f->id == FindingId::kExpiredSuppression ? 1 : 0;
      stale += f->id == FindingId::kStaleSuppression ? 1 : 0;
    }
  }
  EXPECT_EQ(expired, 1u);
  EXPECT_EQ(stale, 0u);
  EXPECT_TRUE(reports[0].runs[0].result.findings[0].suppressed);
  EXPECT_FALSE(reports[1].runs[0].result.findings[0].suppressed);  // expired
  EXPECT_TRUE(reports[2].runs[0].result.findings[0].suppressed);
}

TEST(SuppressionTest, JsonAndSarifDescriptions) {
  const FindingSuppression config{
      FindingSuppression::Kind::kConfig, "accepted risk", ".iam-audit.yaml", {12, 5}, "2030-01-01"};
  EXPECT_EQ(SuppressionJson(config).dump(),
            R"({"kind":"config","reason":"accepted risk","file":".iam-audit.yaml","line":12,)"
            R"("column":5,"expires":"2030-01-01"})");
  EXPECT_EQ(SarifSuppressionJson(config).dump(),
            R"({"kind":"external","status":"accepted","justification":"accepted risk",)"
            R"("location":{"physicalLocation":{"artifactLocation":{"uri":".iam-audit.yaml"},)"
            R"("region":{"startLine":12,"startColumn":5}}},)"
            R"("properties":{"iamAuditKind":"config","expires":"2030-01-01"}})");
  const FindingSuppression baseline{
      FindingSuppression::Kind::kBaseline, "recorded in the baseline", "base.json", {}, ""};
  EXPECT_EQ(SuppressionJson(baseline).dump(),
            R"({"kind":"baseline","reason":"recorded in the baseline","file":"base.json"})");
}

}  // namespace
}  // namespace iam_audit
