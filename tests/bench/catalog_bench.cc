// Catalog benchmarks: loading the embedded catalog, expanding action patterns,
// expanding every pattern of 1,000 policies, compiling iam-data at run time
// (--catalog), and whole-process start-up of the iam-audit binary.
//
// Patterns come from the AWS managed policies in ../shared/corpus/managed when
// present, else from a built-in list of typical patterns.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"

extern char** environ;

namespace iam_audit {
namespace {

namespace fs = std::filesystem;
using Policy = std::vector<ActionPattern>;  // the Action/NotAction patterns of one policy

const Catalog& Embedded() {
  static const Catalog c = Catalog::Embedded();
  return c;
}

void AddPatterns(const nlohmann::json& value, Policy& out) {
  const auto add = [&](const nlohmann::json& v) {
    if (!v.is_string()) return;
    if (auto p = ActionPattern::Parse(v.get<std::string>())) out.push_back(std::move(*p));
  };
  if (value.is_array()) {
    for (const nlohmann::json& v : value) add(v);
  } else {
    add(value);
  }
}

Policy PatternsOf(const nlohmann::json& doc) {
  Policy out;
  if (!doc.is_object() || !doc.contains("Statement")) return out;
  const nlohmann::json& st = doc["Statement"];
  const auto statement = [&](const nlohmann::json& s) {
    if (!s.is_object()) return;
    for (const char* key : {"Action", "NotAction"}) {
      if (s.contains(key)) AddPatterns(s[key], out);
    }
  };
  if (st.is_array()) {
    for (const nlohmann::json& s : st) statement(s);
  } else {
    statement(st);
  }
  return out;
}

// Typical patterns, for when the shared corpus is not there.
Policy BuiltInPolicy() {
  Policy out;
  for (const char* text : {"s3:GetObject",
                           "s3:PutObject",
                           "s3:ListBucket",
                           "s3:Get*",
                           "s3:List*",
                           "s3:*",
                           "kms:Decrypt",
                           "kms:GenerateDataKey*",
                           "kms:Describe*",
                           "ec2:Describe*",
                           "iam:PassRole",
                           "iam:Get*",
                           "iam:List*",
                           "logs:CreateLogGroup",
                           "logs:PutLogEvents",
                           "glue:Get*",
                           "athena:StartQueryExecution",
                           "athena:Get*",
                           "lambda:InvokeFunction",
                           "sts:AssumeRole",
                           "cloudwatch:PutMetricData",
                           "dynamodb:*",
                           "sqs:SendMessage",
                           "sns:Publish",
                           "*:Describe*",
                           "*:List*",
                           "*",
                           "ecr:BatchGetImage",
                           "secretsmanager:GetSecretValue",
                           "ssm:GetParameter*"}) {
    out.push_back(*ActionPattern::Parse(text));
  }
  return out;
}

// Up to `limit` policies' patterns, from the corpus or the built-in list.
const std::vector<Policy>& Policies() {
  static const std::vector<Policy> policies = [] {
    constexpr std::size_t kLimit = 1000;
    std::vector<Policy> out;
    const fs::path dir = fs::path(IAM_AUDIT_SHARED_DIR) / "corpus" / "managed";
    if (fs::is_directory(dir)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".json") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        if (out.size() == kLimit) break;
        std::ifstream in(f);
        std::stringstream ss;
        ss << in.rdbuf();
        const nlohmann::json doc = nlohmann::json::parse(ss.str(), nullptr, false);
        if (!doc.is_discarded()) out.push_back(PatternsOf(doc));
      }
    }
    if (out.empty()) out.assign(kLimit, BuiltInPolicy());
    return out;
  }();
  return policies;
}

std::vector<ActionPattern> AllPatterns() {
  std::vector<ActionPattern> out;
  for (const Policy& p : Policies()) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void BM_LoadEmbeddedCatalog(benchmark::State& state) {
  for (auto _ : state) {
    Catalog c = Catalog::Embedded();
    benchmark::DoNotOptimize(c.action_count());
  }
}
BENCHMARK(BM_LoadEmbeddedCatalog)->Unit(benchmark::kMicrosecond);

void BM_FindAction(benchmark::State& state) {
  const Catalog& c = Embedded();
  const char* names[] = {"s3:GetObject", "KMS:decrypt", "ec2:RunInstances", "iam:PassRole"};
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(c.FindAction(names[i++ % 4]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FindAction);

// Expansions per second over the corpus' patterns, one at a time.
void BM_ExpandPattern(benchmark::State& state) {
  const Catalog& c = Embedded();
  const std::vector<ActionPattern> patterns = AllPatterns();
  ActionSet out(c.action_count());
  std::size_t i = 0;
  for (auto _ : state) {
    out.clear();
    ExpandActionsInto(c, patterns[i++ % patterns.size()], out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["patterns"] = static_cast<double>(patterns.size());
}
BENCHMARK(BM_ExpandPattern);

// The worst common case: a wildcard service, every service scanned.
void BM_ExpandStarGet(benchmark::State& state) {
  const Catalog& c = Embedded();
  const ActionPattern p = *ActionPattern::Parse("*:Get*");
  ActionSet out(c.action_count());
  for (auto _ : state) {
    out.clear();
    ExpandActionsInto(c, p, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExpandStarGet)->Unit(benchmark::kMicrosecond);

// Every Action/NotAction pattern of 1,000 policies, one ActionSet per policy.
void BM_ExpandThousandPolicies(benchmark::State& state) {
  const Catalog& c = Embedded();
  const std::vector<Policy>& policies = Policies();
  std::size_t patterns = 0;
  for (const Policy& p : policies) patterns += p.size();
  for (auto _ : state) {
    for (const Policy& p : policies) benchmark::DoNotOptimize(ExpandActions(c, p));
  }
  state.counters["policies"] = static_cast<double>(policies.size());
  state.counters["patterns"] = static_cast<double>(patterns);
}
BENCHMARK(BM_ExpandThousandPolicies)->Unit(benchmark::kMillisecond);

void BM_SuggestActions(benchmark::State& state) {
  const Catalog& c = Embedded();
  for (auto _ : state) benchmark::DoNotOptimize(SuggestActions(c, "s3:GetObjcet", 3));
}
BENCHMARK(BM_SuggestActions)->Unit(benchmark::kMillisecond);

// What --catalog DIR costs: parsing iam-data and compiling the blob.
void BM_CompileDataDir(benchmark::State& state) {
  const std::string data = IAM_DATA_DIR;
  if (!fs::exists(fs::path(data) / "data" / "services.json")) {
    state.SkipWithError("iam-data not found");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(Catalog::FromDataDir(data));
}
BENCHMARK(BM_CompileDataDir)->Unit(benchmark::kMillisecond)->Iterations(3);

// A whole iam-audit process, as a user runs it.
void RunProcess(benchmark::State& state, std::vector<std::string> args) {
  args.insert(args.begin(), IAM_AUDIT_BINARY);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  for (auto _ : state) {
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
      state.SkipWithError("cannot run iam-audit");
      break;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("iam-audit failed");
      break;
    }
  }
  posix_spawn_file_actions_destroy(&actions);
}

void BM_ProcessVersion(benchmark::State& state) { RunProcess(state, {"--version"}); }
BENCHMARK(BM_ProcessVersion)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProcessSmallExpand(benchmark::State& state) {
  RunProcess(state, {"expand", "s3:Get*Tagging", "kms:GenerateDataKey*"});
}
BENCHMARK(BM_ProcessSmallExpand)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace iam_audit

BENCHMARK_MAIN();
