// Account-scale benchmark: a generated get-account-authorization-details file
// the size of a large account (thousands of roles, users and groups, a few
// hundred customer managed policies, several attachments each), read the way
// `iam-audit FILE` reads it. Memory and time must grow with the file, not
// with roles x attached policies: each managed policy is parsed once and
// shared by every principal that attaches it.
//
//   build/release/tests/bench/account_scale_bench            # the benchmarks
//   build/release/tests/bench/account_scale_bench --write F [ROLES]  # write the file
//                                                    (default 3,000 roles: 6.9 MB)
//
// Counters: the file's size, the subjects (principals) it describes, and the
// process's peak resident memory after the runs (max_rss_mb).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <string>

#include "iam_audit/policy_source.h"
#include "iam_audit/source_file.h"

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

std::string Attached(std::initializer_list<int> ids) {
  std::string out = "\"AttachedManagedPolicies\":[";
  bool first = true;
  for (int p : ids) {
    out += std::string(first ? "" : ",") + "{\"PolicyName\":\"team-" + std::to_string(p) +
           "\",\"PolicyArn\":\"" + PolicyArn(p) + "\"}";
    first = false;
  }
  return out + "]";
}

std::string InlineList(const char* key, int p) {
  return std::string("\"") + key +
         "\":[{\"PolicyName\":\"inline\",\"PolicyDocument\":" + Document(p, 2) + "}]";
}

// Roles attach four managed policies and one inline; one in four has a
// boundary. Users are in two groups and attach one policy; groups attach two.
// Managed policies have 5 to 64 statements (a few hundred bytes to 15 KB).
std::string AccountFile(const AccountShape& a) {
  const int np = a.policies;
  std::string out = "{\"UserDetailList\":[";
  for (int u = 0; u < a.users; ++u) {
    const std::string name = "user-" + std::to_string(u);
    out += std::string(u ? "," : "") + "{\"UserName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:user/" + name + "\",\"GroupList\":[\"group-" +
           std::to_string(u % a.groups) + "\",\"group-" + std::to_string((u * 7 + 1) % a.groups) +
           "\"]," + InlineList("UserPolicyList", u % np) + "," + Attached({(u * 3) % np}) + "}";
  }
  out += "],\"GroupDetailList\":[";
  for (int g = 0; g < a.groups; ++g) {
    const std::string name = "group-" + std::to_string(g);
    out += std::string(g ? "," : "") + "{\"GroupName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:group/" + name + "\"," +
           InlineList("GroupPolicyList", g % np) + "," + Attached({g % np, (g * 5 + 2) % np}) + "}";
  }
  out += "],\"RoleDetailList\":[";
  for (int r = 0; r < a.roles; ++r) {
    const std::string name = "role-" + std::to_string(r);
    out += std::string(r ? "," : "") + "{\"RoleName\":\"" + name +
           "\",\"Arn\":\"arn:aws:iam::111122223333:role/" + name + "\"," +
           InlineList("RolePolicyList", r % np) + "," +
           Attached({r % np, (r * 3 + 1) % np, (r * 7 + 2) % np, (r * 11 + 3) % np});
    if (r % 4 == 0) {
      out +=
          ",\"PermissionsBoundary\":{\"PermissionsBoundaryType\":\"Policy\","
          "\"PermissionsBoundaryArn\":\"" +
          PolicyArn(0) + "\"}";
    }
    out += "}";
  }
  out += "],\"Policies\":[";
  for (int p = 0; p < np; ++p) {
    out += std::string(p ? "," : "") + "{\"PolicyName\":\"team-" + std::to_string(p) +
           "\",\"Arn\":\"" + PolicyArn(p) +
           "\",\"DefaultVersionId\":\"v1\",\"PolicyVersionList\":[{\"Document\":" +
           Document(p, 5 + (p * 13) % 60) + ",\"VersionId\":\"v1\",\"IsDefaultVersion\":true}]}";
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
