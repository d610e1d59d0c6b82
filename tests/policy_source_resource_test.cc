// Resource-based policies read where teams keep them
// (src/policy_source_resource.cc), and `check` auditing a role together with
// the bucket and key policies of the same Terraform plan, end to end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "iam_audit/evaluator.h"
#include "iam_audit/policy_source.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr char kKey[] =
    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
constexpr char kRoleArn[] = "arn:aws:iam::111122223333:role/dbt-runner";
const std::string kExamples = std::string(IAM_AUDIT_SOURCE_DIR) + "/examples/dbt-athena";

// A JSON string literal holding `json`.
std::string Quote(const std::string& json) { return nlohmann::json(json).dump(); }

std::string KeyPolicy(bool delegates) {
  const std::string principal =
      delegates ? "arn:aws:iam::111122223333:root" : "arn:aws:iam::111122223333:role/KeyAdmin";
  return R"({"Version": "2012-10-17", "Statement": [{"Sid": "KeyAccess", "Effect": "Allow",
    "Principal": {"AWS": ")" +
         principal + R"("}, "Action": "kms:*", "Resource": "*"}]})";
}

const std::string kTlsOnly = R"({"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly",
    "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::acme-data-lake", "arn:aws:s3:::acme-data-lake/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})";

const std::string kTrust = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})";

// A plan with the dbt role (the least-privilege example as its inline policy),
// the data lake's bucket policy and the KMS key.
std::string Plan(const std::string& key_policy, const std::string& bucket_policy) {
  const std::string role_policy = ReadFile(kExamples + "/least-privilege.json");
  return R"({"format_version": "1.2", "terraform_version": "1.6.0",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_iam_role.dbt", "mode": "managed", "type": "aws_iam_role", "name": "dbt",
     "values": {"name": "dbt-runner", "arn": ")" +
         std::string(kRoleArn) + R"(", "assume_role_policy": )" + Quote(kTrust) + R"(}},
    {"address": "aws_iam_role_policy.dbt", "mode": "managed", "type": "aws_iam_role_policy",
     "name": "dbt", "values": {"name": "dbt", "role": "dbt-runner", "policy": )" +
         Quote(role_policy) + R"(}},
    {"address": "aws_s3_bucket_policy.lake", "mode": "managed", "type": "aws_s3_bucket_policy",
     "name": "lake", "values": {"bucket": "acme-data-lake", "policy": )" +
         Quote(bucket_policy) + R"(}},
    {"address": "aws_kms_key.lake", "mode": "managed", "type": "aws_kms_key", "name": "lake",
     "values": {"arn": ")" +
         std::string(kKey) + R"(", "policy": )" + Quote(key_policy) + R"(}}
  ]}}})";
}

TEST(PolicySourceResourceTest, ReadsTerraformResourcePolicies) {
  const SourceFile file{"plan.json", "plan.json", Plan(KeyPolicy(true), kTlsOnly)};
  const PolicySourceResult r = LoadPolicySource(file, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.resource_policies.size(), 3u);
  EXPECT_EQ(r.resource_policies[0].name, "aws_iam_role.dbt");
  EXPECT_EQ(r.resource_policies[0].policy.arn, kRoleArn);
  EXPECT_EQ(r.resource_policies[1].policy.arn, "arn:aws:s3:::acme-data-lake");
  EXPECT_EQ(r.resource_policies[2].policy.arn, kKey);
  // Resource policies are not audited as identity policies: one subject, the role.
  ASSERT_EQ(r.subjects.size(), 1u);
  EXPECT_EQ(r.subjects[0].name, "aws_iam_role.dbt");
  ASSERT_TRUE(r.subjects[0].policies.resource_policies);
  EXPECT_EQ(r.subjects[0].policies.resource_policies->size(), 3u);
}

TEST(PolicySourceResourceTest, KeyWithoutArnIsNoted) {
  const std::string plan = R"({"format_version": "1.2", "terraform_version": "1.6.0",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_kms_key.new", "mode": "managed", "type": "aws_kms_key", "name": "new",
     "values": {"policy": )" +
                           Quote(KeyPolicy(true)) + R"(}}]}}})";
  const PolicySourceResult r = LoadPolicySource({"plan.json", "plan.json", plan}, {});
  EXPECT_TRUE(r.resource_policies.empty());
  ASSERT_FALSE(r.notes.empty());
  EXPECT_THAT(r.notes[0].message, HasSubstr("known only after apply"));
}

TEST(PolicySourceResourceTest, ReadsTrustPoliciesOfAuthorizationDetails) {
  const std::string details = R"({"UserDetailList": [], "GroupDetailList": [], "Policies": [],
  "RoleDetailList": [{"RoleName": "dbt", "Arn": "arn:aws:iam::111122223333:role/dbt",
    "AssumeRolePolicyDocument": )" +
                              Quote(kTrust) +
                              R"(, "RolePolicyList": [], "AttachedManagedPolicies": []}]})";
  const PolicySourceResult r = LoadPolicySource({"details.json", "details.json", details}, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.resource_policies.size(), 1u);
  EXPECT_EQ(r.resource_policies[0].policy.arn, "arn:aws:iam::111122223333:role/dbt");
}

// A principal's audit holds only the resource policies its requests reach:
// the plan's bucket policy for a request on an object, not the role's trust
// policy or the key's policy.
TEST(PolicySourceResourceTest, SubjectResourceSideHoldsOnlyThePoliciesItsRequestsReach) {
  const PolicySourceResult r =
      LoadPolicySource({"plan.json", "plan.json", Plan(KeyPolicy(true), kTlsOnly)}, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.resource_policies.size(), 3u);
  ASSERT_FALSE(r.subjects.empty());
  const AuditSubject& role = r.subjects[0];
  ASSERT_TRUE(role.policies.resource_index);

  PolicySet set;
  const std::vector<std::string> objects = {"arn:aws:s3:::acme-data-lake/dbt/*", "*"};
  AddSubjectResourceSide(role, objects, set);
  ASSERT_EQ(set.resource_policies.size(), 1u);
  EXPECT_EQ(set.resource_policies[0].arn, "arn:aws:s3:::acme-data-lake");
  EXPECT_EQ(set.principal, kRoleArn);

  // The key and the bucket, in the file's order whatever the requests' order.
  set = {};
  const std::vector<std::string> both = {kKey, "arn:aws:s3:::acme-data-lake",
                                         "arn:aws:s3:::acme-data-lake/x"};
  AddSubjectResourceSide(role, both, set);
  ASSERT_EQ(set.resource_policies.size(), 2u);
  EXPECT_EQ(set.resource_policies[0].arn, "arn:aws:s3:::acme-data-lake");
  EXPECT_EQ(set.resource_policies[1].arn, kKey);

  // Requests that reach none: none is copied.
  set = {};
  const std::vector<std::string> other = {"arn:aws:s3:::other-bucket/k",
                                          "arn:aws:iam::111122223333:role/other"};
  AddSubjectResourceSide(role, other, set);
  EXPECT_TRUE(set.resource_policies.empty());
}

TEST(PolicySourceResourceTest, ReadsCloudFormationResourcePolicies) {
  const std::string tmpl = R"({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "Lake": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "acme-data-lake"}},
    "LakePolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
      "Bucket": {"Ref": "Lake"}, "PolicyDocument": )" +
                           kTlsOnly + R"(}},
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": )" +
                           KeyPolicy(true) + R"(}},
    "Dbt": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "dbt-runner",
      "AssumeRolePolicyDocument": )" +
                           kTrust + R"(}}}})";
  PolicySourceOptions options;
  options.variables["AWS::AccountId"] = "111122223333";
  const PolicySourceResult r = LoadPolicySource({"t.json", "t.json", tmpl}, options);
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  // The key's ARN is known only once deployed: its policy cannot be matched.
  ASSERT_EQ(r.resource_policies.size(), 2u);
  EXPECT_EQ(r.resource_policies[0].name, "AWS::S3::BucketPolicy LakePolicy");
  EXPECT_EQ(r.resource_policies[0].policy.arn, "arn:aws:s3:::acme-data-lake");
  EXPECT_EQ(r.resource_policies[1].policy.arn, kRoleArn);
  ASSERT_EQ(r.subjects.size(), 1u);
  ASSERT_TRUE(r.subjects[0].policies.resource_policies);
  EXPECT_EQ(r.subjects[0].policies.resource_policies->size(), 2u);
}

// `check` on the plan: the role is audited with the plan's key and bucket
// policies, no extra option.
CommandResult Check(const std::string& plan_path, const std::vector<std::string>& extra = {}) {
  std::string cmd =
      "env -u DBT_TARGET -u AWS_REGION -u DBT_SCHEMA -u ATHENA_WORKGROUP "
      "-u ATHENA_RESULTS_BUCKET -u AWS_PROFILE -u DBT_THREADS -u DBT_ROLE_ARN NO_COLOR=1 " +
      testing::ShellQuote(IAM_AUDIT_BINARY);
  for (const std::string& a :
       {plan_path, std::string("--profile"), std::string("dbt-athena"),
        std::string("--dbt-profiles"), kExamples, std::string("--var"),
        std::string("account_id=111122223333"), std::string("--var"),
        std::string("read_databases=raw"), std::string("--var"),
        std::string("read_locations=s3://acme-data-lake/raw/"), std::string("--var"),
        std::string("kms_key_arns=") + kKey, std::string("--format"), std::string("json")}) {
    cmd += " " + testing::ShellQuote(a);
  }
  for (const std::string& a : extra) cmd += " " + testing::ShellQuote(a);
  return testing::RunShell(cmd);
}

int Count(const nlohmann::json& doc, const std::string& id) {
  int n = 0;
  for (const auto& f : doc["findings"]) n += f["id"] == id ? 1 : 0;
  return n;
}

TEST(PolicySourceResourceTest, CheckAuditsTheRoleWithItsBucketAndKeyPolicies) {
  TempDir dir;
  // The key policy delegates to IAM and the bucket denies only non-TLS
  // requests (dbt uses TLS): clean.
  WriteFile(dir.File("good.json"), Plan(KeyPolicy(true), kTlsOnly));
  CommandResult r = Check(dir.File("good.json"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Count(doc, "resource-policy-denied"), 0) << doc.dump(2);
  EXPECT_EQ(Count(doc, "resource-policy-not-given"), 0) << doc.dump(2);

  // A key policy that neither names the role nor delegates to IAM: every
  // KMS requirement is denied on the resource side, naming the key policy.
  WriteFile(dir.File("bad.json"), Plan(KeyPolicy(false), kTlsOnly));
  r = Check(dir.File("bad.json"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_GE(Count(doc, "resource-policy-denied"), 2) << doc.dump(2);
  bool decrypt = false;
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "resource-policy-denied" || f["action"] != "kms:Decrypt") continue;
    decrypt = true;
    EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("key policy of " + std::string(kKey)));
  }
  EXPECT_TRUE(decrypt) << doc.dump(2);
}

// The data lake in another account: its bucket policy must allow the role.
TEST(PolicySourceResourceTest, CrossAccountBucketNeedsItsPolicyToAllowTheRole) {
  TempDir dir;
  const std::vector<std::string> partner = {"--resource-account",
                                            "arn:aws:s3:::acme-data-lake=444455556666"};
  // TLS-only: denies nothing dbt does, but allows nobody either.
  WriteFile(dir.File("tls.json"), Plan(KeyPolicy(true), kTlsOnly));
  CommandResult r = Check(dir.File("tls.json"), partner);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  bool named = false;
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "resource-policy-denied") continue;
    EXPECT_THAT(f["resource"].get<std::string>(), HasSubstr("acme-data-lake"));
    named = named || f["message"].get<std::string>().find("another account") != std::string::npos;
  }
  EXPECT_TRUE(named) << doc.dump(2);

  // A bucket policy that allows the role: clean again.
  const std::string allows = R"({"Version": "2012-10-17", "Statement": [{"Sid": "Dbt",
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/dbt-runner"},
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::acme-data-lake", "arn:aws:s3:::acme-data-lake/*"]}]})";
  WriteFile(dir.File("allows.json"), Plan(KeyPolicy(true), allows));
  r = Check(dir.File("allows.json"), partner);
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Count(doc, "resource-policy-denied"), 0) << doc.dump(2);
  EXPECT_EQ(Count(doc, "resource-policy-not-given"), 0) << doc.dump(2);

  // Another account's bucket without its policy: say which policy decides.
  r = Check(dir.File("allows.json"),
            {"--resource-account", "arn:aws:s3:::acme-athena-results=444455556666"});
  doc = nlohmann::json::parse(r.out);
  EXPECT_GE(Count(doc, "resource-policy-not-given"), 1) << doc.dump(2);
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "resource-policy-not-given") continue;
    EXPECT_THAT(f["message"].get<std::string>(),
                HasSubstr("--resource-policy arn:aws:s3:::acme-athena-results=FILE"));
  }
}

// A key created in the same template: its ARN is known once deployed, and
// --var LOGICAL.Arn=ARN links it (and !GetAtt LOGICAL.Arn elsewhere) to it.
TEST(PolicySourceResourceTest, CloudFormationKeyPolicyLinkedByLogicalId) {
  const std::string tmpl = R"({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "LakeKey": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": )" +
                           KeyPolicy(false) + R"(}},
    "Dbt": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "dbt-runner",
      "AssumeRolePolicyDocument": )" +
                           kTrust + R"(, "Policies": [{"PolicyName": "kms",
      "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "kms:Decrypt", "Resource": {"Fn::GetAtt": ["LakeKey", "Arn"]}}]}}]}}}})";
  PolicySourceOptions options;
  options.variables["AWS::AccountId"] = "111122223333";
  PolicySourceResult r = LoadPolicySource({"t.json", "t.json", tmpl}, options);
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.resource_policies.size(), 1u);  // the trust policy only
  bool noted = false;
  for (const Diagnostic& n : r.notes) {
    noted = noted ||
            n.message.find(
                "AWS::KMS::Key LakeKey: its KeyPolicy applies to requests "
                "once the key's ARN is known: pass --var LakeKey.Arn=ARN") != std::string::npos;
  }
  EXPECT_TRUE(noted) << (r.notes.empty() ? "" : r.notes[0].message);

  options.variables["LakeKey.Arn"] = kKey;
  r = LoadPolicySource({"t.json", "t.json", tmpl}, options);
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  ASSERT_EQ(r.resource_policies.size(), 2u);
  EXPECT_EQ(r.resource_policies[0].name, "AWS::KMS::Key LakeKey");
  EXPECT_EQ(r.resource_policies[0].policy.arn, kKey);
  EXPECT_EQ(r.variables_used.count("LakeKey.Arn"), 1u);
  // The role's !GetAtt LakeKey.Arn is the same key.
  ASSERT_EQ(r.subjects.size(), 1u);
  ASSERT_EQ(r.subjects[0].policies.identity.size(), 1u);
  EXPECT_EQ(r.subjects[0].policies.identity[0]->statements[0].resources[0].value, kKey);

  // The audit then uses that key policy: it names another role only.
  const PolicySet set = r.subjects[0].policies.ToPolicySet();
  const auto compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.evaluator);
  const Decision d = compiled.evaluator->Evaluate({"kms:Decrypt", kKey, {}, MissingKeys::kAbsent});
  EXPECT_EQ(DecisionName(d.kind), "implicit_deny");
  EXPECT_EQ(PolicyKindName(d.denied_by), "resource");
}

const std::string kEndpointLake = R"({"Version": "2012-10-17", "Statement": [{"Sid": "Lake",
    "Effect": "Allow", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::acme-data-lake", "arn:aws:s3:::acme-data-lake/*"]}]})";
const std::string kEndpointAll = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": "*", "Action": "*", "Resource": "*"}]})";

TEST(PolicySourceResourceTest, ReadsCloudFormationEndpointPolicies) {
  const std::string tmpl = R"({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "S3Endpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": "vpc-1",
      "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"}, "PolicyDocument": )" +
                           kEndpointLake + R"(}},
    "GlueEndpoint": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcId": "vpc-1",
      "ServiceName": "com.amazonaws.eu-west-1.glue", "VpcEndpointType": "Interface"}},
    "Dbt": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "dbt-runner",
      "AssumeRolePolicyDocument": )" +
                           kTrust + R"(}}}})";
  const PolicySourceResult r = LoadPolicySource({"t.json", "t.json", tmpl}, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  // The Glue endpoint has no policy: AWS's default allows everything.
  ASSERT_EQ(r.vpc_endpoints.size(), 1u);
  EXPECT_EQ(r.vpc_endpoints[0].name, "AWS::EC2::VPCEndpoint S3Endpoint");
  EXPECT_EQ(r.vpc_endpoints[0].policy.service, "s3");
  ASSERT_EQ(r.subjects.size(), 1u);
  ASSERT_TRUE(r.subjects[0].policies.vpc_endpoints);
  EXPECT_EQ(r.subjects[0].policies.vpc_endpoints->size(), 1u);

  // AWS refuses an endpoint policy statement without a Principal.
  std::string bad = tmpl;
  bad.replace(bad.find(R"("Principal": "*", )"), 18, "");
  const PolicySourceResult e = LoadPolicySource({"t.json", "t.json", bad}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.errors[0].message, HasSubstr("needs a Principal"));
}

TEST(PolicySourceResourceTest, ReadsTerraformEndpointPolicies) {
  const std::string plan = R"({"format_version": "1.2", "terraform_version": "1.6.0",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "values": {"id": "vpce-1", "service_name": "com.amazonaws.eu-west-1.s3", "policy": )" +
                           Quote(kEndpointAll) + R"(}},
    {"address": "aws_vpc_endpoint_policy.s3", "mode": "managed",
     "type": "aws_vpc_endpoint_policy", "name": "s3",
     "values": {"vpc_endpoint_id": "vpce-1", "policy": )" +
                           Quote(kEndpointLake) + R"(}},
    {"address": "aws_vpc_endpoint.glue", "mode": "managed", "type": "aws_vpc_endpoint",
     "name": "glue", "values": {"id": "vpce-2", "service_name": "com.amazonaws.eu-west-1.glue",
     "policy": )" + Quote(kEndpointAll) +
                           R"(}},
    {"address": "aws_vpc_endpoint_policy.lost", "mode": "managed",
     "type": "aws_vpc_endpoint_policy", "name": "lost",
     "values": {"vpc_endpoint_id": "vpce-9", "policy": )" +
                           Quote(kEndpointAll) + R"(}}]}}})";
  const PolicySourceResult r = LoadPolicySource({"plan.json", "plan.json", plan}, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  // aws_vpc_endpoint_policy replaces its endpoint's own policy.
  ASSERT_EQ(r.vpc_endpoints.size(), 2u);
  EXPECT_EQ(r.vpc_endpoints[0].name, "aws_vpc_endpoint_policy.s3");
  EXPECT_EQ(r.vpc_endpoints[0].policy.service, "s3");
  EXPECT_EQ(r.vpc_endpoints[0].policy.policy.statements[0].sid->value, "Lake");
  EXPECT_EQ(r.vpc_endpoints[1].name, "aws_vpc_endpoint.glue");
  EXPECT_EQ(r.vpc_endpoints[1].policy.service, "glue");
  bool noted = false;
  for (const Diagnostic& n : r.notes) {
    noted = noted || n.message.find(
                         "aws_vpc_endpoint_policy.lost: the VPC endpoint it belongs "
                         "to is not in the file") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

// `check` with the requests going through an S3 endpoint whose policy allows
// the data lake only: dbt's Athena results bucket is refused, and the
// finding names the endpoint policy.
TEST(PolicySourceResourceTest, CheckAppliesTheVpcEndpointPolicy) {
  TempDir dir;
  WriteFile(dir.File("plan.json"), Plan(KeyPolicy(true), kTlsOnly));
  WriteFile(dir.File("endpoint.json"), kEndpointLake);
  CommandResult r =
      Check(dir.File("plan.json"), {"--vpc-endpoint-policy", "s3=" + dir.File("endpoint.json")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  bool results = false;
  for (const auto& f : doc["findings"]) {
    if (f["id"] != "resource-policy-denied") continue;
    const std::string message = f["message"].get<std::string>();
    EXPECT_THAT(message, HasSubstr("VPC endpoint policy for s3"));
    EXPECT_THAT(f["action"].get<std::string>(), ::testing::StartsWith("s3:"));
    results = results ||
              f["resource"].get<std::string>().find("acme-athena-results") != std::string::npos;
  }
  EXPECT_TRUE(results) << doc.dump(2);
  // An endpoint that allows everything changes nothing.
  WriteFile(dir.File("all.json"), kEndpointAll);
  r = Check(dir.File("plan.json"), {"--vpc-endpoint-policy", "s3=" + dir.File("all.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The resource policies a template holds are linted as what holds them, on
// their own, with or without a profile; one whose resource the template does
// not determine (a role without RoleName) is linted too (AWS "Role trust
// policies"; Access Analyzer: Unsupported action in policy).
const std::string kPublicTrustTemplate = R"({"AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {"Dbt": {"Type": "AWS::IAM::Role", "Properties": {
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
      {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["sts:AssumeRole", "s3:GetObject"]}]},
    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}}}})";

TEST(PolicySourceResourceTest, ATrustPolicyWhoseRoleArnIsUnknownIsLintedOnly) {
  const PolicySourceResult r = LoadPolicySource({"t.json", "t.json", kPublicTrustTemplate}, {});
  ASSERT_TRUE(r.ok()) << r.errors[0].ToString();
  EXPECT_TRUE(r.resource_policies.empty());
  ASSERT_EQ(r.unattached_resource_policies.size(), 1u);
  EXPECT_EQ(r.unattached_resource_policies[0].kind, PolicyResourceKind::kRole);
  EXPECT_EQ(r.unattached_resource_policies[0].policy.arn, "");
  ASSERT_EQ(r.subjects.size(), 1u);
  EXPECT_FALSE(r.subjects[0].policies.resource_policies);  // no request can meet it
}

TEST(PolicySourceResourceTest, CheckLintsTheTemplatesTrustPolicyAsATrustPolicy) {
  TempDir dir;
  WriteFile(dir.File("t.json"), kPublicTrustTemplate);
  for (const bool audit : {false, true}) {
    std::vector<std::string> args = {"check", dir.File("t.json"), "--no-config", "--format",
                                     "json"};
    if (audit) {
      for (const char* a : {"--profile", "dbt-athena", "--var", "account_id=111122223333", "--var",
                            "region_name=eu-west-1", "--var", "schema=analytics", "--var",
                            "s3_staging_dir=s3://acme-athena-results/dbt/"}) {
        args.push_back(a);
      }
    }
    const CommandResult r = testing::RunIamAudit(args);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(Count(doc, "public-principal"), 1) << doc.dump(2);
    ASSERT_EQ(Count(doc, "trust-policy-action"), 1) << doc.dump(2);
    for (const auto& f : doc["findings"]) {
      if (f["id"] == "trust-policy-action") {
        EXPECT_THAT(f["message"].get<std::string>(), HasSubstr("s3:GetObject"));
      }
    }
  }
  // --policy-type decides over what holds the policy.
  const CommandResult r = testing::RunIamAudit({"check", dir.File("t.json"), "--no-config",
                                                "--format", "json", "--policy-type", "resource"});
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(Count(doc, "trust-policy-action"), 0) << doc.dump(2);
}

}  // namespace
}  // namespace iam_audit
