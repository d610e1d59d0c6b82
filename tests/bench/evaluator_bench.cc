// Evaluator benchmarks: decisions per second for 1,000,000 requests against a
// 100-statement policy (the figure the README quotes), in the runtime view
// (absent keys are absent) and in the three-valued audit view; and the cost
// of parsing and compiling that policy once.
//
// The policy is generated deterministically to look like real ones: 20
// services, Get*/List*/Describe* and literal actions, ARN resources with
// wildcards, one statement in ten a Deny, a quarter with conditions
// (StringEquals on a principal tag, IpAddress, Bool), NotAction and wildcard
// service statements. Requests cycle through 4,096 pre-built ones that hit
// and miss in realistic proportions (the counters show the mix).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "iam_audit/evaluator.h"
#include "iam_audit/policy.h"

namespace iam_audit {
namespace {

constexpr std::array<const char*, 20> kServices = {
    "s3",   "ec2",     "iam", "dynamodb", "lambda",
    "sqs",  "sns",     "kms", "logs",     "cloudwatch",
    "glue", "athena",  "sts", "rds",      "secretsmanager",
    "ssm",  "kinesis", "ecr", "ecs",      "states"};

constexpr std::array<const char*, 8> kNames = {"GetObject",    "ListThings",  "DescribeStuff",
                                               "PutItem",      "DeleteThing", "GetConfig",
                                               "CreateWidget", "UpdateWidget"};

// A small deterministic generator (no global state, same data every run).
struct Lcg {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  std::uint32_t Next(std::uint32_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33) % bound;
  }
};

std::string ResourceArn(const std::string& service, int n) {
  if (service == "s3") return "arn:aws:s3:::bucket-" + std::to_string(n);
  return "arn:aws:" + service + ":us-east-1:123456789012:res-" + std::to_string(n);
}

std::string PolicyJson(int statements) {
  std::string out = R"({"Version": "2012-10-17", "Statement": [)";
  for (int i = 0; i < statements; ++i) {
    const std::string service = kServices[static_cast<std::size_t>(i) % kServices.size()];
    const bool deny = i % 10 == 9;
    std::string s = R"({"Sid": "S)" + std::to_string(i) + R"(", "Effect": ")" +
                    (deny ? "Deny" : "Allow") + "\", ";
    if (i % 50 == 17) {
      s += R"("NotAction": ["iam:*", "organizations:*"], )";
    } else if (i % 50 == 33) {
      s += R"("Action": "*:Describe*", )";
    } else {
      s += R"("Action": [")" + service + R"(:Get*", ")" + service + R"(:List*", ")" + service +
           ":" + kNames[static_cast<std::size_t>(i) % kNames.size()] + R"("], )";
    }
    if (i % 8 == 5) {
      s += R"("Resource": "*")";
    } else {
      s += R"("Resource": [")" + ResourceArn(service, i % 7) + R"(/*", ")" +
           ResourceArn(service, i % 7) + "\"]";
    }
    if (i % 4 == 1) {
      s += R"(, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "team-)" +
           std::to_string(i % 5) + R"("}})";
    } else if (i % 7 == 3) {
      s += R"(, "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}})";
    } else if (i % 9 == 2) {
      s += R"(, "Condition": {"Bool": {"aws:SecureTransport": "false"}})";
    }
    s += "}";
    out += (i ? ", " : "") + s;
  }
  return out + "]}";
}

std::vector<Request> Requests(std::size_t count, MissingKeys mode) {
  Lcg rng;
  std::vector<Request> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Request r;
    const std::string service = rng.Next(10) == 0 ? "codebuild" : kServices[rng.Next(20)];
    r.action = service + ":" + kNames[rng.Next(kNames.size())];
    r.resource = ResourceArn(service, static_cast<int>(rng.Next(9))) +
                 (rng.Next(2) ? "/key-" + std::to_string(rng.Next(100)) : "");
    if (mode == MissingKeys::kAbsent || rng.Next(2)) {
      r.context.Add("aws:PrincipalTag/team", "team-" + std::to_string(rng.Next(6)));
      r.context.Add("aws:SourceIp", rng.Next(2) ? "10.1.2.3" : "203.0.113.9");
      r.context.Add("aws:SecureTransport", rng.Next(4) ? "true" : "false");
    }
    r.missing_keys = mode;
    out.push_back(std::move(r));
  }
  return out;
}

PolicySet Policies(int statements) {
  PolicySet set;
  set.identity.push_back(*ParsePolicy(PolicyJson(statements), "bench.json").policy);
  return set;
}

void Decide(benchmark::State& state, MissingKeys mode) {
  const PolicySet set = Policies(static_cast<int>(state.range(0)));
  const Evaluator ev = std::move(*Evaluator::Compile(set).evaluator);
  const std::vector<Request> requests = Requests(4096, mode);
  Decision d;
  std::array<std::int64_t, 4> kinds{};
  std::size_t i = 0;
  for (auto _ : state) {
    ev.Evaluate(requests[i++ & 4095], &d);
    ++kinds[d.kind];
    benchmark::DoNotOptimize(d.kind);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["decisions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  const double n = static_cast<double>(state.iterations());
  state.counters["allowed"] = static_cast<double>(kinds[Decision::kAllowed]) / n;
  state.counters["explicit_deny"] = static_cast<double>(kinds[Decision::kExplicitDeny]) / n;
  state.counters["conditional"] = static_cast<double>(kinds[Decision::kConditional]) / n;
}

// 1,000,000 requests against a 100-statement policy.
void BM_Decide(benchmark::State& state) { Decide(state, MissingKeys::kAbsent); }
BENCHMARK(BM_Decide)->Arg(100)->Iterations(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decide)->Arg(10)->Arg(1000);

void BM_DecideThreeValued(benchmark::State& state) { Decide(state, MissingKeys::kUnknown); }
BENCHMARK(BM_DecideThreeValued)->Arg(100)->Iterations(1000000)->Unit(benchmark::kMillisecond);

void BM_ParseAndCompile(benchmark::State& state) {
  const std::string json = PolicyJson(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    PolicySet set;
    set.identity.push_back(*ParsePolicy(json, "bench.json").policy);
    benchmark::DoNotOptimize(Evaluator::Compile(set));
  }
}
BENCHMARK(BM_ParseAndCompile)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace iam_audit

BENCHMARK_MAIN();
