// In-template suppressions: the Metadata `iam-audit: {skip: [...]}` entries
// of CloudFormation resources, with the rules of .iam-audit.yaml's
// suppressions (reason, expiry, stale entries), scoped to their resource.
#include "template_suppressions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "iam_audit/json.h"
#include "iam_audit/policy_source.h"
#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

struct Read {
  std::vector<Suppression> suppressions;
  std::vector<std::string> errors;
};

Read ReadJson(const std::string& text) {
  const json::ParseResult parsed = json::Parse(text, "t.json");
  EXPECT_TRUE(parsed.ok());
  Read r;
  Diagnostics errors;
  std::vector<TemplateSuppression> entries;
  ReadTemplateSuppressions(parsed.value(), "t.json", &entries, &errors);
  for (const TemplateSuppression& e : entries) r.suppressions.push_back(ToSuppression(e));
  for (const Diagnostic& d : errors) r.errors.push_back(d.ToString());
  return r;
}

TEST(TemplateSuppressionsTest, EntriesAreScopedToTheirResource) {
  const Read r = ReadJson(R"({"Resources": {
  "Role": {"Type": "AWS::IAM::Role",
           "Metadata": {"iam-audit": {"skip": [
             {"id": ["allow-all-actions", "allow-not-action"], "reason": "break glass",
              "expires": "2030-01-01", "action": "s3:*"}]}}},
  "Bucket": {"Type": "AWS::S3::Bucket",
             "Metadata": {"iam-audit": {"skip": [{"id": "unknown-action", "reason": "r"}]}}},
  "Other": {"Type": "AWS::SNS::Topic"}
}})");
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.suppressions, SizeIs(2));
  const Suppression& role = r.suppressions[0];
  EXPECT_THAT(role.ids, ElementsAre(FindingId::kAllowAllActions, FindingId::kAllowNotAction));
  EXPECT_EQ(role.reason, "break glass");
  EXPECT_EQ(role.expires_text, "2030-01-01");
  EXPECT_EQ(role.action_text, "s3:*");
  EXPECT_EQ(role.file, "t.json");
  EXPECT_EQ(role.where, (SourceLocation{4, 14}));
  ASSERT_TRUE(role.scope.has_value());
  EXPECT_EQ(role.scope->resource, "Role");
  EXPECT_EQ(role.scope->subject, "AWS::IAM::Role Role");
  EXPECT_EQ(role.scope->begin, (SourceLocation{2, 3}));
  EXPECT_EQ(role.scope->end, (SourceLocation{6, 3}));  // "Bucket"
  EXPECT_THAT(role.Describe(), HasSubstr("in resource 'Role' of 't.json'"));
  // Not an IAM principal: only its part of the file.
  EXPECT_EQ(r.suppressions[1].scope->subject, "");
  EXPECT_EQ(r.suppressions[1].scope->end, (SourceLocation{8, 3}));

  // The scope: the resource's lines, or the audit of its principal.
  Finding inside = MakeFinding(FindingId::kAllowAllActions, "t.json", {3, 40});
  inside.action = "s3:GetObject";
  EXPECT_TRUE(role.Matches(inside, "t.json"));
  Finding after = inside;
  after.where = {6, 3};
  EXPECT_FALSE(role.Matches(after, "t.json"));
  EXPECT_TRUE(role.Matches(after, "t.json", "AWS::IAM::Role Role"));
  Finding elsewhere = inside;
  elsewhere.file = "other.json";
  EXPECT_FALSE(role.Matches(elsewhere, "other.json"));
  Finding other_action = inside;
  other_action.action = "iam:PassRole";
  EXPECT_FALSE(role.Matches(other_action, "t.json"));
}

TEST(TemplateSuppressionsTest, MalformedEntriesAreErrorsWithTheirLocation) {
  const Read r = ReadJson(R"({"Resources": {
  "A": {"Type": "AWS::IAM::Role", "Metadata": {"iam-audit": {"skip": [
    {"id": "allow-all-action", "reason": "x"},
    {"id": "*", "reason": "x"},
    {"id": "allow-all-actions"},
    {"id": "allow-all-actions", "reason": "  "},
    {"id": "allow-all-actions", "reason": "x", "expires": "2030-02-30"},
    {"id": "allow-all-actions", "reason": "x", "paths": "a.json"}]}}},
  "B": {"Type": "AWS::IAM::Role", "Metadata": {"iam-audit": {"skip": "allow-all-actions"}}},
  "C": {"Type": "AWS::IAM::Role", "Metadata": {"iam-audit": {"ignore": []}}}
}})");
  EXPECT_THAT(r.suppressions, IsEmpty());
  EXPECT_THAT(
      r.errors,
      ElementsAre(HasSubstr("t.json:3:12: unknown finding id 'allow-all-action' (did you mean "
                            "'allow-all-actions' or 'allow-not-action'?)"),
                  HasSubstr("t.json:4:12: a suppression names the finding ids it accepts; '*'"),
                  HasSubstr("t.json:5:5: a skip entry needs 'reason'"),
                  HasSubstr("t.json:6:43: reason must say why the finding is accepted"),
                  HasSubstr("t.json:7:59: expires must be a date YYYY-MM-DD, not '2030-02-30'"),
                  HasSubstr("t.json:8:48: unknown key 'paths' in a skip entry"),
                  HasSubstr("t.json:9:70: skip must be a list"),
                  HasSubstr("t.json:10:62: unknown key 'ignore' in Metadata iam-audit"),
                  HasSubstr("t.json:10:61: Metadata iam-audit needs skip")));
}

// As a user runs it: a template whose resources carry their suppressions.
TEST(TemplateSuppressionsTest, CheckAppliesAndJudgesThem) {
  const std::string path =
      std::string(IAM_AUDIT_SOURCE_DIR) + "/examples/cloudformation/metadata-skip.yaml";
  const testing::CommandResult r =
      testing::RunIamAudit({"check", path, "--no-config", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // AdminToo is not suppressed
  const nlohmann::json report = nlohmann::json::parse(r.out);
  std::vector<std::string> seen;
  for (const nlohmann::json& f : report["findings"]) {
    std::string line = f["id"].get<std::string>() + " " + std::to_string(f["line"].get<int>());
    if (f.contains("suppressed")) {
      line += " suppressed by " + f["suppressed"]["kind"].get<std::string>() + " at " +
              std::to_string(f["suppressed"]["line"].get<int>());
    }
    seen.push_back(line);
  }
  // The expired entry no longer suppresses DeployRole's finding; ReaderRole's
  // entry matches nothing; BreakGlassRole's does not reach AdminToo. The
  // entries name allow-all-actions only, so the privilege-escalation findings
  // of the same statements (risks.md) still count.
  EXPECT_THAT(seen, UnorderedElementsAre("allow-all-actions 26 suppressed by template at 9",
                                         "privilege-escalation 26", "expired-suppression 33",
                                         "privilege-escalation 50", "pass-role-wildcard 51",
                                         "stale-suppression 57", "allow-all-actions 82",
                                         "privilege-escalation 82"));
  EXPECT_EQ(report["summary"]["suppressed"], 1);
  EXPECT_EQ(report["summary"]["error"], 4);

  // SARIF: an in-source suppression, located at the entry.
  const testing::CommandResult sarif =
      testing::RunIamAudit({"check", path, "--no-config", "--format", "sarif"});
  const nlohmann::json log = nlohmann::json::parse(sarif.out);
  int in_source = 0;
  for (const nlohmann::json& result : log["runs"][0]["results"]) {
    if (!result.contains("suppressions")) continue;
    const nlohmann::json& s = result["suppressions"][0];
    EXPECT_EQ(s["kind"], "inSource");
    EXPECT_EQ(s["location"]["physicalLocation"]["region"]["startLine"], 9);
    ++in_source;
  }
  EXPECT_EQ(in_source, 1);
  if (const std::optional<std::string> shared = testing::SharedDir()) {
    const std::string schema_path = *shared + "/schemas/sarif-schema-2.1.0.json";
    if (std::filesystem::exists(schema_path)) {
      const nlohmann::json schema = nlohmann::json::parse(testing::ReadFile(schema_path));
      EXPECT_THAT(testing::ValidateJsonSchema(schema, log), IsEmpty());
    }
  }

  // A malformed entry is an input error naming its place.
  testing::TempDir dir;
  std::string text = testing::ReadFile(path);
  text.replace(text.find("            reason: a preview action\n"),
               std::string("            reason: a preview action\n").size(), "");
  testing::WriteFile(dir.File("t.yaml"), text);
  const testing::CommandResult bad =
      testing::RunIamAudit({"check", dir.File("t.yaml"), "--no-config"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out, HasSubstr("t.yaml:57:13: error: a skip entry needs 'reason'"));
}

}  // namespace
}  // namespace iam_audit
