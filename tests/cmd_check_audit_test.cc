// `iam-audit [check] POLICY... --profile ...`, run as a user would: the
// examples in examples/dbt-athena, every output format, --fail-on, --output,
// --each, --boundary, --context, exit codes, and the generate -> audit round
// trip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "json_schema_validator.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// Runs the binary with the variables of examples/dbt-athena/profiles.yml's
// environment cleared, so the file's defaults apply wherever the tests run.
CommandResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::string cmd =
      "env -u DBT_TARGET -u AWS_REGION -u DBT_SCHEMA -u ATHENA_WORKGROUP "
      "-u ATHENA_RESULTS_BUCKET -u AWS_PROFILE -u DBT_THREADS -u DBT_ROLE_ARN NO_COLOR=1 " +
      testing::ShellQuote(IAM_AUDIT_BINARY);
  for (const std::string& a : args) cmd += " " + testing::ShellQuote(a);
  return testing::RunShell(cmd, stdin_text);
}

const std::string kExamples = std::string(IAM_AUDIT_SOURCE_DIR) + "/examples/dbt-athena";
std::string Example(const std::string& name) { return kExamples + "/" + name; }

constexpr char kKey[] =
    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// The profile options every example is audited with.
std::vector<std::string> ProfileArgs() {
  return {"--profile",      "dbt-athena",
          "--dbt-profiles", kExamples,
          "--var",          "account_id=111122223333",
          "--var",          "read_databases=raw",
          "--var",          "read_locations=s3://acme-data-lake/raw/",
          "--var",          std::string("kms_key_arns=") + kKey};
}

std::vector<std::string> Args(std::vector<std::string> policies,
                              std::vector<std::string> extra = {}) {
  std::vector<std::string> out = std::move(policies);
  for (const std::string& a : ProfileArgs()) out.push_back(a);
  for (const std::string& a : extra) out.push_back(a);
  return out;
}

nlohmann::json ParseJson(const CommandResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err;
    return nlohmann::json::object();
  }
}

std::multiset<std::string> IdsOf(const nlohmann::json& doc) {
  std::multiset<std::string> out;
  for (const auto& f : doc["findings"]) out.insert(f["id"].get<std::string>());
  return out;
}

bool HasFinding(const nlohmann::json& doc, const std::string& id, const std::string& action,
                const std::string& resource) {
  for (const auto& f : doc["findings"]) {
    if (f["id"] == id && f["action"] == action && f["resource"] == resource) return true;
  }
  return false;
}

// Without a profile the policies are linted only (lint.h): s3:* and glue:* on
// "*" are not administrator access, but glue:* lets the principal update a
// development endpoint's SSH key (privilege-escalation, risk.h).
TEST(CmdCheckAuditTest, WithoutProfileItOnlyLints) {
  const CommandResult r = RunCli({Example("over-broad.json")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("glue:UpdateDevEndpoint on *;"));
  EXPECT_THAT(r.out, HasSubstr("[privilege-escalation]"));
  EXPECT_THAT(r.out, Not(HasSubstr("missing-permission")));
  EXPECT_EQ(r.err, "");
  const CommandResult bad = RunCli({"-"}, "{\"Statement\": 1}");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out, HasSubstr("<stdin>:1:"));  // in the report, once (issue 14)
}

TEST(CmdCheckAuditTest, AuditOptionsNeedAProfile) {
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {"--each"}, {"--var", "schema=x"}, {"--context", "aws:SourceVpc=v"}}) {
    std::vector<std::string> args = {Example("gaps.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << extra[0];
    EXPECT_THAT(r.err, HasSubstr("--profile")) << extra[0];
  }
}

TEST(CmdCheckAuditTest, LeastPrivilegeExampleIsClean) {
  for (const char* fail_on : {"error", "note"}) {
    const CommandResult r =
        RunCli(Args({Example("least-privilege.json")}, {"--format", "json", "--fail-on", fail_on}));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    const nlohmann::json doc = ParseJson(r);
    EXPECT_THAT(doc["findings"], IsEmpty()) << doc.dump(2);
    EXPECT_EQ(doc["profile"], "dbt-athena");
    for (const char* severity : {"error", "warning", "note"}) {
      EXPECT_EQ(doc["summary"][severity], 0) << severity;
    }
  }
}

TEST(CmdCheckAuditTest, GapsExampleNamesEachGap) {
  const CommandResult r = RunCli(Args({Example("gaps.json")}, {"--format", "json"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json doc = ParseJson(r);
  // Glue scoped to the database but not the catalog.
  const std::string catalog = "arn:aws:glue:eu-west-1:111122223333:catalog";
  for (const char* action : {"glue:GetTable", "glue:CreateTable", "glue:GetDatabase"}) {
    EXPECT_TRUE(HasFinding(doc, "missing-permission", action, catalog)) << action;
  }
  // s3:ListBucket on bucket/* instead of the bucket.
  EXPECT_TRUE(
      HasFinding(doc, "missing-permission", "s3:ListBucket", "arn:aws:s3:::acme-athena-results"));
  EXPECT_TRUE(
      HasFinding(doc, "missing-permission", "s3:ListBucket", "arn:aws:s3:::acme-data-lake"));
  // Only kms:GenerateDataKey: the rest of GenerateDataKey* and Decrypt are missing.
  for (const char* action :
       {"kms:GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyPair", "kms:Decrypt"}) {
    EXPECT_TRUE(HasFinding(doc, "missing-permission", action, kKey)) << action;
  }
  EXPECT_FALSE(HasFinding(doc, "missing-permission", "kms:GenerateDataKey", kKey));
  for (const auto& f : doc["findings"]) {
    if (f["action"] == "s3:ListBucket" && f["resource"] == "arn:aws:s3:::acme-data-lake") {
      EXPECT_THAT(f["message"].get<std::string>(),
                  HasSubstr("only on arn:aws:s3:::acme-data-lake/"));
      EXPECT_EQ(f["fix"]["Resource"], "arn:aws:s3:::acme-data-lake");
    }
    EXPECT_EQ(f["file"], Example("gaps.json"));
  }
  EXPECT_EQ(IdsOf(doc).count("over-broad-action"), 0u);
}

// s3:* and glue:* on "*": errors (issue 11: "nothing dangerously more").
TEST(CmdCheckAuditTest, OverBroadExampleFails) {
  const CommandResult r = RunCli(Args({Example("over-broad.json")}, {"--format", "json"}));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const nlohmann::json doc = ParseJson(r);
  const std::multiset<std::string> ids = IdsOf(doc);
  EXPECT_EQ(ids.count("over-broad-action"), 2u);  // s3:* and glue:*
  EXPECT_EQ(ids.count("missing-permission"), 0u);
  EXPECT_EQ(ids.count("data-destruction"), 2u);  // s3 objects, Glue tables
  EXPECT_TRUE(HasFinding(doc, "data-destruction", "s3:DeleteBucket", "*"));
  EXPECT_TRUE(HasFinding(doc, "resource-exposure", "s3:DeleteBucketPolicy", "*"));
  EXPECT_TRUE(HasFinding(doc, "privilege-escalation", "glue:UpdateDevEndpoint", "*"));
  EXPECT_TRUE(HasFinding(doc, "data-exfiltration", "s3:GetObject", "*"));
  // Required Write actions without a risk row are over-broad-resource.
  EXPECT_TRUE(HasFinding(doc, "over-broad-resource", "s3:AbortMultipartUpload", "*"));
  EXPECT_FALSE(HasFinding(doc, "over-broad-resource", "s3:DeleteObject", "*"));  // counted above

  EXPECT_EQ(RunCli(Args({Example("over-broad.json")}, {"--fail-on", "never"})).exit_code, 0);
  EXPECT_EQ(RunCli(Args({Example("gaps.json")}, {"--fail-on", "never"})).exit_code, 0);
}

TEST(CmdCheckAuditTest, TextReport) {
  const CommandResult r = RunCli(Args({Example("gaps.json")}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Audit of " + Example("gaps.json") + " against profile dbt-athena"));
  EXPECT_THAT(r.out, HasSubstr("✓ granted"));
  EXPECT_THAT(r.out, HasSubstr("✗ missing"));
  EXPECT_THAT(r.out, HasSubstr("Summary: "));
  EXPECT_THAT(r.out, HasSubstr("Suggested statements to add to the identity policy:"));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b[")));  // not a terminal
}

TEST(CmdCheckAuditTest, SarifOutputValidates) {
  const std::optional<std::string> shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << "../shared is not available";
  const nlohmann::json schema =
      nlohmann::json::parse(ReadFile(*shared + "/schemas/sarif-schema-2.1.0.json"));
  for (const char* example : {"gaps.json", "over-broad.json", "least-privilege.json"}) {
    const CommandResult r = RunCli(Args({Example(std::string(example))}, {"--format", "sarif"}));
    EXPECT_NE(r.exit_code, 2) << r.err;
    const nlohmann::json doc = ParseJson(r);
    EXPECT_THAT(testing::ValidateJsonSchema(schema, doc), IsEmpty()) << example;
    EXPECT_EQ(doc["version"], "2.1.0");
  }
}

TEST(CmdCheckAuditTest, OutputIsWrittenAtomically) {
  TempDir dir;
  const std::string report = dir.File("report.json");
  WriteFile(report, "old content");
  const CommandResult r =
      RunCli(Args({Example("gaps.json")}, {"--format", "json", "--output", report}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const nlohmann::json doc = nlohmann::json::parse(ReadFile(report));
  EXPECT_THAT(doc["findings"], Not(IsEmpty()));
  // Nothing but the report is left in the directory.
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    names.push_back(e.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"report.json"});

  // A directory that does not exist: exit 2, nothing written.
  const CommandResult missing =
      RunCli(Args({Example("gaps.json")}, {"--output", dir.File("no/such/dir/r.txt")}));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no/such/dir/r.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("no")));
}

TEST(CmdCheckAuditTest, InputAndProfileErrorsExitTwo) {
  TempDir dir;
  WriteFile(dir.File("bad.json"), "{\"Version\": \"2012-10-17\", \"Statement\": [}");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {Args({dir.File("bad.json")}), "bad.json:1:"},
      {Args({dir.File("absent.json")}), "absent.json"},
      {{Example("gaps.json"), "--profile", "no-such-profile"}, "no-such-profile"},
      {{Example("gaps.json"), "--profile", "dbt-athena"}, "account_id"},
      {Args({Example("gaps.json")}, {"--context", "novalue"}), "KEY=VALUE"},
      {Args({Example("gaps.json")}, {"--format", "xml"}), "xml"},
      {Args({Example("gaps.json")}, {"--fail-on", "critical"}), "critical"},
      {Args({Example("gaps.json")}, {"--var", "no_such_var=1"}), "no_such_var"},
  };
  for (const auto& [args, expected] : cases) {
    const CommandResult r = RunCli(args);
    EXPECT_EQ(r.exit_code, 2) << expected << "\n" << r.out << r.err;
    // Input errors are in the text report; usage and profile errors on stderr.
    EXPECT_THAT(r.out + r.err, HasSubstr(expected));
  }
}

TEST(CmdCheckAuditTest, EachAuditsFilesOnTheirOwn) {
  const std::vector<std::string> files = {Example("least-privilege.json"), Example("gaps.json")};
  // Together, the least-privilege policy fills every gap; what remains is
  // gaps.json's own trouble: its S3List statement grants nothing (lint) and
  // what it allows on the source data (dbt only reads it) is data-destruction.
  const CommandResult together = RunCli(Args(files, {"--format", "json"}));
  EXPECT_EQ(together.exit_code, 1) << together.out;
  const auto together_doc = ParseJson(together);  // outlives the loop over its findings
  for (const auto& f : together_doc["findings"]) {
    EXPECT_THAT(f["id"].get<std::string>(),
                ::testing::AnyOf("resource-type-mismatch", "data-destruction"))
        << f;
    EXPECT_EQ(f["file"], Example("gaps.json"));
  }
  const CommandResult each = RunCli(Args(files, {"--format", "json", "--each"}));
  EXPECT_EQ(each.exit_code, 1);
  const nlohmann::json doc = ParseJson(each);
  EXPECT_THAT(doc["findings"], Not(IsEmpty()));
  for (const auto& f : doc["findings"]) EXPECT_EQ(f["file"], Example("gaps.json"));
  const CommandResult text = RunCli(Args(files, {"--each"}));
  EXPECT_THAT(text.out, HasSubstr("Audit of " + Example("least-privilege.json")));
  EXPECT_THAT(text.out, HasSubstr("Audit of " + Example("gaps.json")));
}

TEST(CmdCheckAuditTest, BoundaryAndScpLayers) {
  TempDir dir;
  WriteFile(dir.File("boundary.json"), R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["athena:*", "glue:*", "kms:*"], "Resource": "*"}]})");
  const CommandResult r =
      RunCli(Args({Example("least-privilege.json")},
                  {"--format", "json", "--boundary", dir.File("boundary.json")}));
  EXPECT_EQ(r.exit_code, 1);
  const nlohmann::json doc = ParseJson(r);
  ASSERT_THAT(doc["findings"], Not(IsEmpty()));
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["id"], "missing-permission");
    EXPECT_THAT(f["action"].get<std::string>(), ::testing::StartsWith("s3:"));
    EXPECT_EQ(f["file"], dir.File("boundary.json"));
    EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("permissions boundary"));
  }
  WriteFile(dir.File("scp.json"), R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]})");
  const CommandResult scp = RunCli(
      Args({Example("least-privilege.json")}, {"--format", "json", "--scp", dir.File("scp.json")}));
  const nlohmann::json scp_doc = ParseJson(scp);
  EXPECT_THAT(IdsOf(scp_doc), Contains("denied-permission"));
  for (const auto& f : scp_doc["findings"]) EXPECT_EQ(f["action"], "s3:DeleteObject");
}

TEST(CmdCheckAuditTest, ContextDecidesConditions) {
  TempDir dir;
  WriteFile(dir.File("vpc.json"), R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "athena:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "*", "Resource": "*",
     "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}}]})");
  const std::vector<std::string> both = {Example("least-privilege.json"), dir.File("vpc.json")};
  const nlohmann::json unknown = ParseJson(RunCli(Args(both, {"--format", "json"})));
  EXPECT_THAT(IdsOf(unknown), Contains("conditional-permission"));
  for (const auto& f : unknown["findings"]) {
    if (f["id"] == "conditional-permission") {
      EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("aws:SourceVpc"));
    }
  }
  const CommandResult decided =
      RunCli(Args(both, {"--format", "json", "--context", "aws:SourceVpc=vpc-1"}));
  EXPECT_EQ(IdsOf(ParseJson(decided)).count("conditional-permission"), 0u);
  const CommandResult denied =
      RunCli(Args(both, {"--format", "json", "--context", "aws:SourceVpc=vpc-2"}));
  EXPECT_THAT(IdsOf(ParseJson(denied)), Contains("denied-permission"));
}

TEST(CmdCheckAuditTest, GenerateThenAuditRoundTrip) {
  TempDir dir;
  const std::vector<std::vector<std::string>> variants = {
      {},
      {"--var", "lake_formation=true", "--var", "lf_tags=true", "--var", "lf_grants=true"},
      {"--var", "s3_tmp_table_dir=s3://acme-tmp/dbt/", "--var", "write_databases=staging,snapshots",
       "--var", "database=other_catalog", "--var", "spark_work_group=spark"},
  };
  for (const std::vector<std::string>& vars : variants) {
    std::vector<std::string> gen = {"generate"};
    for (const std::string& a : ProfileArgs()) gen.push_back(a);
    gen.insert(gen.end(), vars.begin(), vars.end());
    const CommandResult policy = RunCli(gen);
    ASSERT_EQ(policy.exit_code, 0) << policy.err;
    // One policy, or (too big for one managed policy) an array of them.
    std::vector<std::string> files;
    const nlohmann::json generated = nlohmann::json::parse(policy.out);
    for (const nlohmann::json& doc :
         generated.is_array() ? generated : nlohmann::json::array({generated})) {
      files.push_back(dir.File("generated-" + std::to_string(files.size()) + ".json"));
      WriteFile(files.back(), doc.dump(2));
    }
    std::vector<std::string> audit = Args(files, vars);
    for (const char* a : {"--format", "json", "--fail-on", "note"}) audit.push_back(a);
    const CommandResult r = RunCli(audit);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(ParseJson(r)["findings"], IsEmpty()) << ParseJson(r).dump(2);
  }
}

}  // namespace
}  // namespace iam_audit
