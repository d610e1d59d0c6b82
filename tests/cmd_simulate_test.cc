// `iam-audit simulate`, run as a user would, on the fixtures in
// tests/data/simulate/ (identity.json is AWS's "Carlos" example from "Policy
// evaluation logic" plus a tag-conditioned statement).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::RunIamAudit;
using testing::TestData;

// Runs `simulate ARGS...` in tests/data/simulate, so files print as given.
CommandResult Simulate(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::vector<std::string> all = {"simulate"};
  all.insert(all.end(), args.begin(), args.end());
  return RunIamAudit(all, stdin_text, TestData("simulate"));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

constexpr const char* kLogs = "arn:aws:s3:::carlossalazar-logs/f.txt";
constexpr const char* kOwn = "arn:aws:s3:::carlossalazar/f.txt";

TEST(CmdSimulateTest, TextExplicitDenyNamesTheStatement) {
  const CommandResult r =
      Simulate({"identity.json", "--action", "s3:PutObject", "--resource", kLogs});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "explicit_deny: s3:PutObject on arn:aws:s3:::carlossalazar-logs/f.txt\n"
            "  identity.json:16:5: Deny 'DenyS3Logs' (identity policy)\n");
}

TEST(CmdSimulateTest, TextAllowedAndImplicitDeny) {
  CommandResult r = Simulate({"identity.json", "--action", "s3:PutObject", "--resource", kOwn});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "allowed: s3:PutObject on arn:aws:s3:::carlossalazar/f.txt\n"
            "  identity.json:10:5: Allow 'AllowS3Self' (identity policy)\n");
  // Exit 0 whatever the decision: simulate reports, it does not gate.
  r = Simulate({"identity.json", "--boundary", "boundary.json", "--action", "s3:PutObject",
                "--resource", kOwn});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "implicit_deny: s3:PutObject on arn:aws:s3:::carlossalazar/f.txt\n"
            "  no applicable Allow in the permissions boundary (boundary.json)\n");
}

TEST(CmdSimulateTest, JsonOutputIsOneObject) {
  const CommandResult r = Simulate({"identity.json", "--action", "s3:GetObject", "--resource",
                                    "arn:aws:s3:::team-data/x", "--context",
                                    "aws:PrincipalTag/team=data", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "allowed");
  ASSERT_EQ(j["matched"].size(), 1u);
  EXPECT_EQ(j["matched"][0]["file"], "identity.json");
  EXPECT_EQ(j["matched"][0]["sid"], "TeamData");
  EXPECT_EQ(j["matched"][0]["line"], 22);
  EXPECT_EQ(j["matched"][0]["column"], 5);
  EXPECT_EQ(j["matched"][0]["effect"], "Allow");
  EXPECT_EQ(j["missing_context"], nlohmann::json::array());
}

TEST(CmdSimulateTest, MissingContextAndUnknownMode) {
  const std::vector<std::string> args = {"identity.json", "--action", "s3:GetObject", "--resource",
                                         "arn:aws:s3:::team-data/x"};
  CommandResult r = Simulate(args);
  EXPECT_THAT(r.out, HasSubstr("implicit_deny"));
  EXPECT_THAT(r.out, HasSubstr("missing context: aws:PrincipalTag/team"));
  std::vector<std::string> unknown = args;
  unknown.insert(unknown.end(), {"--unknown-context", "--format", "json"});
  r = Simulate(unknown);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "conditional");
  EXPECT_EQ(j["missing_context"], nlohmann::json::array({"aws:PrincipalTag/team"}));
  EXPECT_EQ(j["matched"][0]["conditional"], true);
}

TEST(CmdSimulateTest, RepeatedContextKeysMakeAList) {
  const std::vector<std::string> base = {"tags.json", "--action", "ec2:CreateTags", "--resource",
                                         "*"};
  std::vector<std::string> args = base;
  args.insert(args.end(), {"--context", "aws:TagKeys=env", "--context", "AWS:tagkeys=team"});
  EXPECT_THAT(Simulate(args).out, HasSubstr("allowed"));
  args.insert(args.end(), {"--context", "aws:TagKeys=owner"});
  EXPECT_THAT(Simulate(args).out, HasSubstr("implicit_deny"));
}

TEST(CmdSimulateTest, ScpDenyAndResourcePolicy) {
  CommandResult r = Simulate({"identity.json", "--scp", "scp.json", "--action", "s3:DeleteBucket",
                              "--resource", "arn:aws:s3:::carlossalazar"});
  EXPECT_THAT(r.out, HasSubstr("explicit_deny"));
  EXPECT_THAT(r.out, HasSubstr("scp.json:5:5: Deny 'DenyDeleteBucket' (scp policy level 1)"));
  r = Simulate({"identity.json", "--resource-policy", "bucket.json", "--principal",
                "arn:aws:iam::123456789012:user/alice", "--action", "s3:GetObject", "--resource",
                "arn:aws:s3:::shared/report.csv"});
  EXPECT_EQ(r.out,
            "allowed: s3:GetObject on arn:aws:s3:::shared/report.csv\n"
            "  bucket.json:4:5: Allow 'ShareWithAlice' (resource policy)\n");
  r = Simulate({"identity.json", "--resource-policy", "bucket.json", "--principal",
                "arn:aws:iam::123456789012:user/bob", "--action", "s3:GetObject", "--resource",
                "arn:aws:s3:::shared/report.csv"});
  EXPECT_THAT(r.out, HasSubstr("no applicable Allow in the identity policies nor in the "
                               "resource policy"));
}

TEST(CmdSimulateTest, RequestsJsonLinesWithAMalformedLine) {
  const CommandResult r = Simulate({"identity.json", "--requests", "requests.jsonl"});
  EXPECT_EQ(r.exit_code, 2);  // a malformed line, reported after the others are answered
  const std::vector<std::string> out = Lines(r.out);
  ASSERT_EQ(out.size(), 4u) << r.out;  // the blank line is skipped
  const auto first = nlohmann::json::parse(out[0]);
  EXPECT_EQ(first["decision"], "explicit_deny");
  EXPECT_EQ(first["matched"][0]["sid"], "DenyS3Logs");
  EXPECT_EQ(first["matched"][0]["line"], 16);
  EXPECT_EQ(nlohmann::json::parse(out[1])["decision"], "allowed");
  const auto bad = nlohmann::json::parse(out[2]);
  EXPECT_EQ(bad["line"], 3);
  EXPECT_THAT(bad["error"].get<std::string>(), HasSubstr("\"resource\" must be a string"));
  const auto last = nlohmann::json::parse(out[3]);
  EXPECT_EQ(last["decision"], "implicit_deny");
  EXPECT_EQ(last["missing_context"], nlohmann::json::array({"aws:PrincipalTag/team"}));
  EXPECT_THAT(Lines(r.err), ElementsAre("requests.jsonl:3:40: \"resource\" must be a string"));
}

TEST(CmdSimulateTest, RequestsFromStandardInput) {
  const CommandResult r =
      Simulate({"identity.json", "--requests", "-", "--unknown-context"},
               "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::team-data/x\"}\n"
               "{\"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::team-data/x\", "
               "\"context\": {\"aws:PrincipalTag/team\": [\"data\"]}}");  // no final newline
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> out = Lines(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(out[0])["decision"], "conditional");
  EXPECT_EQ(nlohmann::json::parse(out[1])["decision"], "allowed");
}

TEST(CmdSimulateTest, UnknownActionWarns) {
  const CommandResult r =
      Simulate({"identity.json", "--action", "s3:GetObjekt", "--resource", kOwn});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "warning: action 's3:GetObjekt' is not in the action catalog\n");
}

TEST(CmdSimulateTest, InvalidPolicyIsAnInputError) {
  const CommandResult r =
      Simulate({"bad_operator.json", "--action", "s3:GetObject", "--resource", "*"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("bad_operator.json:8:21: unknown condition operator "
                               "'StringEqual' (did you mean 'StringEquals'?)"));
}

// POLICY files in the formats `check` reads: a file describing several
// principals needs --principal to say which one calls.
TEST(CmdSimulateTest, PrincipalsOfAuthorizationDetailsAndTemplates) {
  const std::string details = TestData("formats/account-authorization-details.json");
  const std::vector<std::string> request = {"--action", "s3:GetObject", "--resource",
                                            "arn:aws:s3:::dbt-athena-results/run/1.csv"};
  std::vector<std::string> args = {details};
  args.insert(args.end(), request.begin(), request.end());
  CommandResult r = Simulate(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("it describes 3 principals (user/alice, role/service/dbt-runner, "
                               "role/lambda-exec): say which one makes the request"));
  args.insert(args.end(), {"--principal", "dbt-runner"});
  r = Simulate(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("allowed: s3:GetObject"));
  EXPECT_THAT(r.out, HasSubstr("Allow 'Results' (identity policy)"));
  args.back() = "lambda-exec";
  r = Simulate(args);
  EXPECT_THAT(r.out, HasSubstr("implicit_deny: s3:GetObject"));

  const std::string stack = TestData("formats/cloudformation.yaml");
  r = Simulate({stack, "--action", "s3:GetObject", "--resource", "*"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("AWS::IAM::Role DbtRunnerRole"));
  r = Simulate({stack, "--principal", "DbtRunnerRole", "--action", "athena:GetQueryResults",
                "--resource", "arn:aws:athena:eu-west-1:111122223333:workgroup/dbt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cloudformation.yaml:68:27: note: AWS::Region is not known"));
  r = Simulate({stack, "--principal", "Nope", "--action", "s3:GetObject", "--resource", "*"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--principal 'Nope' names none of the principals"));
}

// Issue 14 defect 7: --principal that names none of a file's principals is
// exit 2 listing them; simulate never falls back to the only role.
TEST(CmdSimulateTest, APrincipalThatNamesNoneIsAnErrorListingThemEvenForTheOnlyRole) {
  const std::string stack = TestData("formats/cloudformation-multiline.yaml");
  const std::vector<std::string> request = {"--action", "s3:GetObject", "--resource", "*"};
  std::vector<std::string> args = {stack, "--principal", "Nope"};
  args.insert(args.end(), request.begin(), request.end());
  CommandResult r = Simulate(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err,
              HasSubstr("cloudformation-multiline.yaml: --principal 'Nope' names none of "
                        "the principals found; they are:\n  AWS::IAM::Role DbtRunnerRole\n"));
  args[2] = "DbtRunnerRole";
  EXPECT_EQ(Simulate(args).exit_code, 0);

  const std::string details = TestData("formats/account-authorization-details.json");
  args = {details, "--principal", "nobody"};
  args.insert(args.end(), request.begin(), request.end());
  r = Simulate(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("account-authorization-details.json: --principal 'nobody' names "
                               "none of the principals found; they are:\n  role/"));
  EXPECT_THAT(r.err, HasSubstr("\n  user/alice"));
  EXPECT_THAT(r.err, Not(HasSubstr("<input>")));
}

TEST(CmdSimulateTest, UsageErrors) {
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Bad> cases = {
      {{"identity.json", "--action", "s3:Get*", "--resource", "*"}, "has a wildcard"},
      {{"identity.json", "--action", "GetObject", "--resource", "*"}, "service:Action"},
      {{"identity.json", "--action", "s3:GetObject"}, "--action needs --resource"},
      {{"identity.json", "--resource", "*"}, "either --action"},
      {{"identity.json", "--action", "s3:GetObject", "--resource", "*", "--requests", "r"},
       "either --action"},
      {{"identity.json", "--action", "s3:GetObject", "--resource", "*", "--context", "novalue"},
       "expected KEY=VALUE"},
      {{"identity.json", "--resource-policy", "bucket.json", "--action", "s3:GetObject",
        "--resource", "*"},
       "needs --principal"},
      {{"--action", "s3:GetObject", "--resource", "*"}, "at least one POLICY"},
      {{"-", "--requests", "-"}, "only one input"},
      {{"missing.json", "--action", "s3:GetObject", "--resource", "*"}, "missing.json"},
      {{"identity.json", "--requests", "missing.jsonl"}, "missing.jsonl: cannot open"},
      {{"identity.json", "--action", "s3:GetObject", "--resource", "*", "--format", "xml"},
       "format"},
  };
  for (const Bad& c : cases) {
    const CommandResult r = Simulate(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

// --- resource policies, the caller, RCPs (docs/evaluation.md section 1.3) ------------------

namespace resource_side {

constexpr char kKeyArn[] = "arn:aws:kms:eu-west-1:111122223333:key/k1";
constexpr char kCaller[] = "arn:aws:sts::111122223333:assumed-role/dbt/s1";

struct Files {
  testing::TempDir dir;
  Files() {
    testing::WriteFile(dir.File("decrypt.json"), R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["kms:Decrypt", "s3:GetObject"], "Resource": "*"}]})");
    testing::WriteFile(dir.File("key-delegates.json"), R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "EnableIAM", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
       "Action": "kms:*", "Resource": "*"}]})");
    testing::WriteFile(dir.File("public.json"), R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
       "Resource": "arn:aws:s3:::site/*"}]})");
    testing::WriteFile(dir.File("rcp.json"), R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "NoKms", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]})");
    testing::WriteFile(dir.File("endpoint.json"), R"({"Version": "2012-10-17", "Statement": [
      {"Sid": "Own", "Effect": "Allow", "Principal": "*", "Action": "s3:*",
       "Resource": ["arn:aws:s3:::own", "arn:aws:s3:::own/*"]}]})");
    testing::WriteFile(dir.File("endpoint-no-principal.json"),
                       R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})");
  }
  std::string operator()(const std::string& name) const { return dir.File(name); }
};

TEST(CmdSimulateResourceTest, KeyPolicyNotGivenIsNamed) {
  const Files f;
  const CommandResult r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller,
                                       "--action", "kms:Decrypt", "--resource", kKeyArn});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, std::string("needs_resource_policy: kms:Decrypt on ") + kKeyArn + "\n  " +
                       f("decrypt.json") + ":2:7: Allow statement #1 (identity policy)" +
                       "\n  the key policy of " + kKeyArn +
                       " decides and was not given: pass it with --resource-policy " + kKeyArn +
                       "=FILE\n");
}

TEST(CmdSimulateResourceTest, KeyPolicyDelegatingToIam) {
  const Files f;
  CommandResult r =
      RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--resource-policy",
                   std::string(kKeyArn) + "=" + f("key-delegates.json"), "--action", "kms:Decrypt",
                   "--resource", kKeyArn, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "allowed");
  ASSERT_EQ(j["matched"].size(), 2u);
  EXPECT_EQ(j["matched"][1]["policy"], "resource");
  // The key policy alone does not allow: the identity policies must too.
  r = RunIamAudit({"simulate", "--principal", kCaller, "--resource-policy",
                   std::string(kKeyArn) + "=" + f("key-delegates.json"), "--action", "kms:Decrypt",
                   "--resource", kKeyArn});
  EXPECT_THAT(r.out, HasSubstr("implicit_deny"));
}

TEST(CmdSimulateResourceTest, AnonymousCallerAgainstPublicAndPrivateObjects) {
  const Files f;
  const std::string policy = "arn:aws:s3:::site=" + f("public.json");
  CommandResult r =
      RunIamAudit({"simulate", "--principal", "anonymous", "--resource-policy", policy, "--action",
                   "s3:GetObject", "--resource", "arn:aws:s3:::site/index.html"});
  EXPECT_THAT(r.out, HasSubstr("allowed: s3:GetObject"));
  r = RunIamAudit({"simulate", "--principal", "anonymous", "--resource-policy", policy, "--action",
                   "s3:PutObject", "--resource", "arn:aws:s3:::site/index.html"});
  EXPECT_THAT(r.out, HasSubstr("implicit_deny"));
}

TEST(CmdSimulateResourceTest, CrossAccountNeedsBothSides) {
  const Files f;
  CommandResult r =
      RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--action",
                   "s3:GetObject", "--resource", "arn:aws:s3:::partner/x", "--context",
                   "aws:ResourceAccount=444455556666", "--format", "json"});
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "needs_resource_policy");
  EXPECT_EQ(j["needs_resource_policy"]["policy"], "bucket policy");
  EXPECT_EQ(j["needs_resource_policy"]["resource"], "arn:aws:s3:::partner");
  EXPECT_EQ(j["cross_account"], true);
  // Same account: the identity policy suffices.
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--action",
                   "s3:GetObject", "--resource", "arn:aws:s3:::partner/x", "--context",
                   "aws:ResourceAccount=111122223333"});
  EXPECT_THAT(r.out, HasSubstr("allowed: s3:GetObject"));
}

TEST(CmdSimulateResourceTest, RcpDenies) {
  const Files f;
  CommandResult r = RunIamAudit({"simulate", f("decrypt.json"), "--rcp", f("rcp.json"), "--action",
                                 "s3:GetObject", "--resource", "arn:aws:s3:::b/k"});
  EXPECT_THAT(r.out, HasSubstr("allowed"));
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--rcp", f("rcp.json"),
                   "--resource-policy", std::string(kKeyArn) + "=" + f("key-delegates.json"),
                   "--action", "kms:Decrypt", "--resource", kKeyArn});
  EXPECT_THAT(r.out, HasSubstr("explicit_deny"));
  EXPECT_THAT(r.out, HasSubstr("Deny 'NoKms' (rcp policy level 1)"));
}

TEST(CmdSimulateResourceTest, GetCallerIdentityNeedsNoPermission) {
  const Files f;
  const CommandResult r = RunIamAudit(
      {"simulate", f("decrypt.json"), "--action", "sts:GetCallerIdentity", "--resource", "*"});
  EXPECT_EQ(r.out,
            "allowed: sts:GetCallerIdentity on *\n  sts:GetCallerIdentity needs no "
            "permission\n");
}

TEST(CmdSimulateResourceTest, ResourcePolicyNeedsACaller) {
  const Files f;
  const CommandResult r = RunIamAudit({"simulate", "--resource-policy",
                                       std::string(kKeyArn) + "=" + f("key-delegates.json"),
                                       "--action", "kms:Decrypt", "--resource", kKeyArn});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--principal-arn"));
}

// [VPCE] the endpoint's policy must allow the requests that go through it;
// SERVICE= says which those are.
TEST(CmdSimulateResourceTest, VpcEndpointPolicyOfItsService) {
  const Files f;
  const std::string endpoint = "com.amazonaws.eu-west-1.s3=" + f("endpoint.json");
  CommandResult r =
      RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--vpc-endpoint-policy",
                   endpoint, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::partner/x"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "implicit_deny: s3:GetObject on arn:aws:s3:::partner/x\n"
            "  no applicable Allow in the VPC endpoint policy (" +
                f("endpoint.json") + ")\n");
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--vpc-endpoint-policy",
                   endpoint, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::own/x",
                   "--format", "json"});
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "allowed");
  ASSERT_EQ(j["matched"].size(), 2u);
  EXPECT_EQ(j["matched"][1]["policy"], "vpc_endpoint");
  // A KMS request does not go through an S3 endpoint.
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--vpc-endpoint-policy",
                   endpoint, "--resource-policy",
                   std::string(kKeyArn) + "=" + f("key-delegates.json"), "--action", "kms:Decrypt",
                   "--resource", kKeyArn});
  EXPECT_THAT(r.out, HasSubstr("allowed: kms:Decrypt"));
  // Without SERVICE= every request goes through it.
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--vpc-endpoint-policy",
                   f("endpoint.json"), "--resource-policy",
                   std::string(kKeyArn) + "=" + f("key-delegates.json"), "--action", "kms:Decrypt",
                   "--resource", kKeyArn, "--format", "json"});
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "implicit_deny");
  EXPECT_EQ(j["denied_by"]["policy"], "vpc_endpoint");
  EXPECT_EQ(j["denied_by"]["endpoint"], 1);
}

TEST(CmdSimulateResourceTest, VpcEndpointPolicyWithoutPrincipalIsAnInputError) {
  const Files f;
  const CommandResult r = RunIamAudit({"simulate", f("decrypt.json"), "--vpc-endpoint-policy",
                                       "s3=" + f("endpoint-no-principal.json"), "--action",
                                       "s3:GetObject", "--resource", "arn:aws:s3:::own/x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(f("endpoint-no-principal.json") + ":2:7: a VPC endpoint policy "
                                                                 "statement needs a Principal"));
}

// --resource-account: the account of a bucket, whose ARN does not say.
TEST(CmdSimulateResourceTest, ResourceAccountOfABucket) {
  const Files f;
  CommandResult r =
      RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--resource-account",
                   "arn:aws:s3:::partner=444455556666", "--action", "s3:GetObject", "--resource",
                   "arn:aws:s3:::partner/x", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["decision"], "needs_resource_policy");
  EXPECT_EQ(j["cross_account"], true);
  // The caller's own account: the identity policy decides.
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--resource-account",
                   "arn:aws:s3:::partner=111122223333", "--action", "s3:GetObject", "--resource",
                   "arn:aws:s3:::partner/x"});
  EXPECT_THAT(r.out, HasSubstr("allowed: s3:GetObject"));
  r = RunIamAudit({"simulate", f("decrypt.json"), "--principal", kCaller, "--resource-account",
                   "arn:aws:s3:::partner=4444", "--action", "s3:GetObject", "--resource",
                   "arn:aws:s3:::partner/x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--resource-account 'arn:aws:s3:::partner=4444': expected "
                               "ARN=ACCOUNT"));
}

}  // namespace resource_side

}  // namespace
}  // namespace iam_audit
