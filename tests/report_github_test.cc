// --format github: GitHub Actions workflow commands with the toolkit's
// escaping.
#include "report_github.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "iam_audit/report.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Finding F(FindingId id, std::string file, SourceLocation where, std::string message) {
  Finding f = MakeFinding(id, std::move(file), where);
  f.message = std::move(message);
  return f;
}

std::string Github(const Report& report, const std::string& workspace = "") {
  std::ostringstream out;
  WriteGithubReport(report, {workspace}, out);
  return out.str();
}

TEST(ReportGithubTest, EscapesAsTheActionsToolkitDoes) {
  EXPECT_EQ(GithubEscapeData("100% a:b, c\r\nd"), "100%25 a:b, c%0D%0Ad");
  EXPECT_EQ(GithubEscapeProperty("100% a:b, c\r\nd"), "100%25 a%3Ab%2C c%0D%0Ad");
  EXPECT_EQ(GithubEscapeData("::set-output"), "::set-output");  // harmless inside a message
  EXPECT_EQ(GithubEscapeProperty("%0A"), "%250A");              // no double decoding
}

TEST(ReportGithubTest, OneCommandPerCountingFindingBySeverity) {
  Report report;
  report.profile = "dbt-athena";
  AuditRun run;
  run.files = {"iam/dbt.json"};
  run.result.findings.push_back(F(FindingId::kMissingPermission, "iam/dbt.json", {12, 5},
                                  "s3:GetObject on arn:aws:s3:::b/* is not granted"));
  SuggestedStatement fix;
  fix.actions = {"s3:GetObject"};
  fix.has_resource = false;
  run.result.findings.back().fix = fix;
  run.result.findings.push_back(
      F(FindingId::kOverBroadAction, "iam/dbt.json", {3, 7}, "allows 120 actions, e.g. s3:*"));
  Finding note = F(FindingId::kConditionalPermission, "iam/a,b:c.json", {0, 0}, "whole file");
  note.severity = Severity::kNote;
  run.result.findings.push_back(note);
  run.result.findings.push_back(
      F(FindingId::kUnknownAction, "iam/dbt.json", {9, 9}, "accepted one"));
  run.result.findings.back().suppressed = FindingSuppression{};
  report.runs.push_back(run);

  EXPECT_EQ(Github(report),
            "::error file=iam/dbt.json,line=12,col=5,title=missing-permission::s3:GetObject on "
            "arn:aws:s3:::b/* is not granted%0A%0ASuggested statement:%0A{%0A  \"Effect\": "
            "\"Allow\",%0A  \"Action\": \"s3:GetObject\"%0A}\n"
            "::warning file=iam/dbt.json,line=3,col=7,title=over-broad-action::allows 120 "
            "actions, e.g. s3:*\n"
            "::notice file=iam/a%2Cb%3Ac.json,title=conditional-permission::whole file\n"
            "iam-audit: profile dbt-athena: 1 error, 1 warning, 1 note (1 suppressed)\n");
}

TEST(ReportGithubTest, AbsolutePathsInTheWorkspaceBecomeRelative) {
  Report report;
  report.profile = "p";
  AuditRun run;
  run.result.findings = {
      F(FindingId::kUnknownAction, "/home/runner/work/r/r/iam/p.json", {1, 1}, "m"),
      F(FindingId::kUnknownAction, "/elsewhere/p.json", {1, 1}, "m"),
      F(FindingId::kUnknownAction, "rel/p.json", {1, 1}, "m")};
  report.runs.push_back(run);
  const std::string out = Github(report, "/home/runner/work/r/r");
  EXPECT_THAT(out, HasSubstr("file=iam/p.json,"));
  EXPECT_THAT(out, HasSubstr("file=/elsewhere/p.json,"));
  EXPECT_THAT(out, HasSubstr("file=rel/p.json,"));
  EXPECT_THAT(Github(report), HasSubstr("file=/home/runner/work/r/r/iam/p.json,"));
}

TEST(ReportGithubTest, NoFindingsIsJustTheSummary) {
  Report report;
  report.profile = "p";
  report.runs.push_back({});
  EXPECT_EQ(Github(report), "iam-audit: profile p: 0 errors, 0 warnings, 0 notes\n");
  EXPECT_THAT(Github(report), Not(HasSubstr("::")));
}

}  // namespace
}  // namespace iam_audit
