// Account-scale benchmark: a generated get-account-authorization-details file
// the size of a large account (thousands of roles, users and groups, a few
// hundred customer managed policies, several attachments each), read the way
// `iam-audit FILE` reads it. Memory and time must grow with the file, not
// with roles x attached policies: each managed policy is parsed once and
// shared by every principal that attaches it.
//
//   build/release/tests/bench/account_scale_bench            # the benchmarks
//   build/release/tests/bench/account_scale_bench --write F [ROLES]  # write the file
//                                                    (default 3,000 roles: 8.2 MB)
//
// Counters: the file's size, the subjects (principals) it describes, the
// findings, the audit's time per principal, and the process's peak resident
// memory after the runs (max_rss_mb). The README's account-scale figures come
// from the whole command on files this writes (--write).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <string>

#include "builtin_profiles.h"
#include "iam_audit/audit.h"
#include "iam_audit/catalog.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/profile.h"
#include "iam_audit/source_file.h"
#include "profile_vars.h"

namespace iam_audit {
namespace {

struct AccountShape {
  int roles;
  int users;
  int groups;
  int policies;  // customer managed policies
};

// Real actions (what a linter meets in an account), eight per service.
constexpr const char* kServices[] = {"s3",  "glue",     "athena", "kms", "logs",
                                     "sqs", "dynamodb", "lambda", "ec2", "sns"};
constexpr const char* kActions[10][8] = {
    {"GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketLocation", "Get*",
     "GetObjectTagging", "AbortMultipartUpload"},
    {"GetTable", "GetTables", "GetDatabase", "CreateTable", "UpdateTable", "GetPartitions",
     "BatchCreatePartition", "Get*"},
    {"StartQueryExecution", "GetQueryExecution", "GetQueryResults", "StopQueryExecution",
     "GetWorkGroup", "ListWorkGroups", "BatchGetQueryExecution", "Get*"},
    {"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKey*", "DescribeKey", "ReEncrypt*",
     "CreateGrant", "ListAliases"},
    {"CreateLogGroup", "CreateLogStream", "PutLogEvents", "DescribeLogGroups", "GetLogEvents",
     "FilterLogEvents", "PutRetentionPolicy", "Describe*"},
    {"SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes", "GetQueueUrl",
     "ChangeMessageVisibility", "ListQueues", "Get*"},
    {"GetItem", "PutItem", "Query", "Scan", "UpdateItem", "DeleteItem", "BatchGetItem",
     "DescribeTable"},
    {"InvokeFunction", "GetFunction", "ListFunctions", "UpdateFunctionCode",
     "GetFunctionConfiguration", "CreateFunction", "AddPermission", "Get*"},
    {"DescribeInstances", "DescribeSubnets", "DescribeSecurityGroups", "DescribeVpcs",
     "CreateNetworkInterface", "DeleteNetworkInterface", "Describe*", "StartInstances"},
    {"Publish", "Subscribe", "ListTopics", "GetTopicAttributes", "CreateTopic", "Unsubscribe",
     "ListSubscriptionsByTopic", "SetTopicAttributes"}};

std::string Statement(int p, int s) {
  const int service = (p + s) % 10;
  std::string out = "{\"Sid\":\"S" + std::to_string(s) + "\",\"Effect\":\"" +
                    (s % 11 == 10 ? "Deny" : "Allow") + "\",\"Action\":[";
  for (int a = 0; a < 3 + (s % 6); ++a) {
    out += std::string(a ? "," : "") + "\"" + kServices[service] + ":" +
           kActions[service][(p + s + a) % 8] + "\"";
  }
  out += "],\"Resource\":[\"arn:aws:" + std::string(kServices[service]) +
         ":eu-west-1:111122223333:thing/team-" + std::to_string(p) +
         "/*\",\"arn:aws:" + kServices[service] + ":eu-west-1:111122223333:other/" +
         std::to_string(s) + "\"]";
  if (s % 5 == 4)
    out += ",\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}";
  return out + "}";
}

std::string Document(int p, int statements) {
  std::string out = "{\"Version\":\"2012-10-17\",\"Statement\":[";
  for (int s = 0; s < statements; ++s) out += (s ? "," : "") + Statement(p, s);
  return out + "]}";
}

std::string PolicyArn(int p) {
  return "arn:aws:iam::111122223333:policy/team-" + std::to_string(p);
}

// AWS managed policies: a fixed pool (an account's file holds each attached
// one once, whatever its size), few statements with many actions each, like
// ReadOnlyAccess or AWSGlueServiceRole. Policy `k` has 1 + 3k statements of
// up to 48 actions on "*".
constexpr int kAwsManaged = 8;
std::string AwsManagedArn(int k) {
  return "arn:aws:iam::aws:policy/service-role/AWSManaged" + std::to_string(k);
}
std::string AwsManagedDocument(int k) {
  std::string out = "{\"Version\":\"2012-10-17\",\"Statement\":[";
  for (int s = 0; s < 1 + 3 * k; ++s) {
    out += std::string(s ? "," : "") + "{\"Effect\":\"Allow\",\"Action\":[";
    for (int a = 0; a < 48; ++a) {
      const int service = (k + s + a) % 10;
      out += std::string(a ? "," : "") + "\"" + kServices[service] + ":" +
             kActions[service][(s + a / 10) % 8] + "\"";
    }
    out += "],\"Resource\":\"*\"}";
  }
  return out + "]}";
}

std::string Attachment(const std::string& name, const std::string& arn) {
  return "{\"PolicyName\":\"" + name + "\",\"PolicyArn\":\"" + arn + "\"}";
}

// `customer` customer managed policies and `aws` AWS managed ones.
std::string Attached(std::initializer_list<int> customer, std::initializer_list<int> aws = {}) {
  std::string out = "\"AttachedManagedPolicies\":[";
  bool first = true;
  for (int p : customer) {
    out += std::string(first ? "" : ",") + Attachment("team-" + std::to_string(p), PolicyArn(p));
    first = false;
  }
  for (int k : aws) {
    out += std::string(first ? "" : ",") +
           Attachment("AWSManaged" + std::to_string(k), AwsManagedArn(k));
    first = false;
  }
  return out + "]";
}

std::string InlineList(const char* key, int p) {
  return std::string("\"") + key +
         "\":[{\"PolicyName\":\"inline\",\"PolicyDocument\":" + Document(p, 2) + "}]";
}

// A user's own inline policy with policy variables: manage its own keys and
// read its home prefix (the documented self-service examples).
std::string SelfServiceInline() {
  return "{\"PolicyName\":\"self-service\",\"PolicyDocument\":{\"Version\":\"2012-10-17\","
         "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateAccessKey\","
         "\"iam:DeleteAccessKey\",\"iam:ListAccessKeys\"],\"Resource\":"
         "\"arn:aws:iam::111122223333:user/${aws:username}\"},{\"Effect\":\"Allow\","
         "\"Action\":\"s3:GetObject\",\"Resource\":"
         "\"arn:aws:s3:::home-bucket/home/${aws:username}/*\"}]}}";
}

// Role trust policies of the usual kinds: a service, another account with an
// external id, a role of the account, GitHub's OIDC provider, the account.
std::string TrustPolicy(int r) {
  std::string statement;
  switch (r % 5) {
    case 0:
      statement = std::string("\"Principal\":{\"Service\":\"") + (r % 2 ? "lambda" : "glue") +
                  ".amazonaws.com\"},\"Action\":\"sts:AssumeRole\"";
      break;
    case 1:
      statement =
          "\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":"
          "\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"ext-" +
          std::to_string(r) + "\"}}";
      break;
    case 2:
      statement = "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/role-" +
                  std::to_string(r / 2) + "\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]";
      break;
    case 3:
      statement =
          "\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/"
          "token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
          "\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":"
          "\"sts.amazonaws.com\"},\"StringLike\":{\"token.actions.githubusercontent.com:sub\":"
          "\"repo:acme/service-" +
          std::to_string(r) + ":*\"}}";
      break;
    default:
      statement =
          "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:"
          "AssumeRole\"";
  }
  return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + statement + "}]}";
}

std::string ManagedEntry(const std::string& name, const std::string& arn, const std::string& doc,
                         int attachments) {
  return "{\"PolicyName\":\"" + name + "\",\"Arn\":\"" + arn +
         "\",\"AttachmentCount\":" + std::to_string(attachments) +
         ",\"DefaultVersionId\":\"v1\",\"IsAttachable\":true,\"PolicyVersionList\":[{"
         "\"Document\":" +
         doc + ",\"VersionId\":\"v1\",\"IsDefaultVersion\":true}]}";
}

// Roles have a trust policy, one inline policy, three customer managed and
// two AWS managed policies; one in four has a boundary. Users have one inline
// policy (one in two the self-service one, with ${aws:username}), are in two
// groups and attach one policy; groups have one inline policy and attach two.
// Customer managed policies have 5 to 64 statements (a few hundred bytes to
// 15 KB); the eight AWS managed ones 1 to 22 statements of 48 actions.
std::string AccountFile(const AccountShape& a) {
  const int np = a.policies;
  std::string out = "{\"UserDetailList\":[";
  for (int u = 0; u < a.users; ++u) {
    const std::string name = "user-" + std::to_string(u);
    const std::string inline_list = u % 2 ? "\"UserPolicyList\":[" + SelfServiceInline() + "]"
                                          : InlineList("UserPolicyList", u % np);
    out += std::string(u ? "," : "") + "{\"Path\":\"/\",\"UserName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:user/" + name + "\",\"GroupList\":[\"group-" +
           std::to_string(u % a.groups) + "\",\"group-" + std::to_string((u * 7 + 1) % a.groups) +
           "\"]," + inline_list + "," + Attached({(u * 3) % np}) + "}";
  }
  out += "],\"GroupDetailList\":[";
  for (int g = 0; g < a.groups; ++g) {
    const std::string name = "group-" + std::to_string(g);
    out += std::string(g ? "," : "") + "{\"Path\":\"/\",\"GroupName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:group/" + name + "\"," +
           InlineList("GroupPolicyList", g % np) + "," + Attached({g % np}, {g % kAwsManaged}) +
           "}";
  }
  out += "],\"RoleDetailList\":[";
  for (int r = 0; r < a.roles; ++r) {
    const std::string name = "role-" + std::to_string(r);
    out += std::string(r ? "," : "") + "{\"Path\":\"/\",\"RoleName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:role/" + name +
           "\",\"AssumeRolePolicyDocument\":" + TrustPolicy(r) + "," +
           InlineList("RolePolicyList", r % np) + "," +
           Attached({r % np, (r * 3 + 1) % np, (r * 7 + 2) % np},
                    {r % kAwsManaged, (r * 5 + 3) % kAwsManaged});
    if (r % 4 == 0) {
      out +=
          ",\"PermissionsBoundary\":{\"PermissionsBoundaryType\":\"Policy\","
          "\"PermissionsBoundaryArn\":\"" +
          PolicyArn(0) + "\"}";
    }
    out += ",\"InstanceProfileList\":[],\"Tags\":[{\"Key\":\"team\",\"Value\":\"team-" +
           std::to_string(r % np) + "\"}]}";
  }
  out += "],\"Policies\":[";
  for (int p = 0; p < np; ++p) {
    out +=
        std::string(p ? "," : "") + ManagedEntry("team-" + std::to_string(p), PolicyArn(p),
                                                 Document(p, 5 + (p * 13) % 60), a.roles * 3 / np);
  }
  for (int k = 0; k < kAwsManaged; ++k) {
    out += "," + ManagedEntry("AWSManaged" + std::to_string(k), AwsManagedArn(k),
                              AwsManagedDocument(k), a.roles / 4);
  }
  return out + "]}";
}

double MaxRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Args: roles (users = roles / 3, groups = roles / 30, policies = roles / 10).
AccountShape Shape(const benchmark::State& state) {
  const int roles = static_cast<int>(state.range(0));
  return {roles, roles / 3, std::max(1, roles / 30), std::max(1, roles / 10)};
}

void BM_LoadAccountAuthorizationDetails(benchmark::State& state) {
  const SourceFile file{"account.json", "account.json", AccountFile(Shape(state))};
  std::size_t subjects = 0;
  for (auto _ : state) {
    const PolicySourceResult r = LoadPolicySource(file, {});
    subjects = r.subjects.size();
    benchmark::DoNotOptimize(r.policies.data());
  }
  state.counters["file_mb"] = static_cast<double>(file.text.size()) / 1e6;
  state.counters["subjects"] = static_cast<double>(subjects);
  state.counters["max_rss_mb"] = MaxRssMb();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.text.size()));
}
BENCHMARK(BM_LoadAccountAuthorizationDetails)
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(9000)
    ->Unit(benchmark::kMillisecond);

// Lint of every document of the file, as `iam-audit FILE` does: one set.
void BM_LintAccount(benchmark::State& state) {
  const SourceFile file{"account.json", "account.json", AccountFile(Shape(state))};
  const Catalog catalog = Catalog::Embedded();
  const PolicySourceResult r = LoadPolicySource(file, {});
  PolicySet set;
  for (const SourcePolicy& p : r.policies) set.identity.push_back(*p.policy);
  std::size_t findings = 0;
  for (auto _ : state) findings = Lint(catalog, set).findings.size();
  state.counters["file_mb"] = static_cast<double>(file.text.size()) / 1e6;
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_LintAccount)->Arg(500)->Arg(1000)->Arg(2500)->Arg(5000)->Unit(benchmark::kMillisecond);

// The dbt-athena audit of every role and user of the file, as `iam-audit
// FILE --profile dbt-athena` does (without the report): each principal's
// managed policies shared and compiled once (PolicyCompileCache), and only
// the resource policies its requests reach. Time per principal must not grow
// with the number of roles (before: every principal compiled every role's
// trust policy).
void BM_AuditAccount(benchmark::State& state) {
  const SourceFile file{"account.json", "account.json", AccountFile(Shape(state))};
  const Catalog catalog = Catalog::Embedded();
  const PolicySourceResult r = LoadPolicySource(file, {});
  const Profile profile = LoadProfile("dbt-athena", catalog);
  VariableOptions vars;
  vars.vars = {"account_id=111122223333",
               "read_databases=raw",
               "read_locations=s3://acme-data-lake/raw/",
               "kms_key_arns=arn:aws:kms:eu-west-1:111122223333:key/k1",
               "region_name=eu-west-1",
               "schema=analytics",
               "s3_staging_dir=s3://acme-athena-results/dbt/"};
  const std::vector<Requirement> requirements =
      profile.Requirements(ResolveVariables(profile, vars));
  const std::vector<std::string> resources = RequestedResources(requirements);
  std::size_t findings = 0;
  const std::clock_t start = std::clock();
  for (auto _ : state) {
    PolicyCompileCache cache;
    AuditOptions options;
    options.profile_name = profile.name();
    options.compile_cache = &cache;
    findings = 0;
    for (const AuditSubject& subject : r.subjects) {
      PolicySet set;
      set.shared_identity = subject.policies.identity;
      set.shared_boundary = subject.policies.boundary;
      AddSubjectResourceSide(subject, resources, set);
      findings += Audit(catalog, set, requirements, options).findings.size();
    }
  }
  const double cpu_ms = 1e3 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  state.counters["file_mb"] = static_cast<double>(file.text.size()) / 1e6;
  state.counters["subjects"] = static_cast<double>(r.subjects.size());
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["cpu_ms_per_subject"] =
      cpu_ms / static_cast<double>(state.iterations() * r.subjects.size());
  state.counters["max_rss_mb"] = MaxRssMb();
}
BENCHMARK(BM_AuditAccount)->Arg(250)->Arg(500)->Arg(1000)->Arg(2500)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace iam_audit

int main(int argc, char** argv) {
  if ((argc == 3 || argc == 4) && std::strcmp(argv[1], "--write") == 0) {
    const int roles = argc == 4 ? std::atoi(argv[3]) : 3000;
    std::ofstream(argv[2]) << iam_audit::AccountFile(
        {roles, roles / 3, std::max(1, roles / 30), std::max(1, roles / 10)});
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
