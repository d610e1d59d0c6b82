// Wildcard matching throughput: Glob / ArnPattern Matches, Covers and
// Overlaps on realistic policy ARNs, and Matches on pathological patterns.
// Figures are items (matches or set operations) per second.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "iam_audit/arn_pattern.h"
#include "iam_audit/glob.h"

namespace iam_audit {
namespace {

// Resource patterns as they appear in real policies.
const std::vector<std::string>& PolicyPatterns() {
  static const std::vector<std::string> patterns = {
      "arn:aws:s3:::analytics-data-lake/*",
      "arn:aws:s3:::analytics-data-lake",
      "arn:aws:s3:::athena-results-*/dbt/*",
      "arn:aws:glue:us-east-1:123456789012:catalog",
      "arn:aws:glue:us-east-1:123456789012:database/analytics_*",
      "arn:aws:glue:*:123456789012:table/analytics_*/*",
      "arn:aws:athena:us-east-1:123456789012:workgroup/primary",
      "arn:aws:kms:*:123456789012:key/*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/*:*",
      "arn:aws:iam::123456789012:role/service-role/dbt-?-runner",
      "arn:aws:lambda:us-east-1:*",
      "*",
  };
  return patterns;
}

// Concrete request ARNs.
const std::vector<std::string>& RequestArns() {
  static const std::vector<std::string> arns = {
      "arn:aws:s3:::analytics-data-lake/warehouse/events/dt=2024-06-01/part-0000.parquet",
      "arn:aws:s3:::athena-results-prod/dbt/2024/06/01/query-123.csv",
      "arn:aws:glue:us-east-1:123456789012:table/analytics_prod/fct_orders",
      "arn:aws:glue:us-east-1:123456789012:database/analytics_prod",
      "arn:aws:athena:us-east-1:123456789012:workgroup/primary",
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/06/01",
      "arn:aws:iam::123456789012:role/service-role/dbt-1-runner",
  };
  return arns;
}

// Required patterns (what an audit profile asks for).
const std::vector<std::string>& RequiredPatterns() {
  static const std::vector<std::string> required = {
      "arn:aws:s3:::analytics-data-lake/warehouse/*",
      "arn:aws:s3:::athena-results-prod/dbt/*",
      "arn:aws:glue:us-east-1:123456789012:table/analytics_prod/*",
      "arn:aws:glue:us-east-1:123456789012:database/analytics_prod",
      "arn:aws:kms:us-east-1:123456789012:key/*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*",
      "arn:aws:s3:::*",
      "arn:aws:iam::123456789012:role/*",
  };
  return required;
}

std::vector<ArnPattern> Compiled(const std::vector<std::string>& texts) {
  std::vector<ArnPattern> out;
  for (const std::string& t : texts) out.push_back(ArnPattern::Compile(t));
  return out;
}

void BM_ArnPatternMatches(benchmark::State& state) {
  const std::vector<ArnPattern> patterns = Compiled(PolicyPatterns());
  const std::vector<std::string>& arns = RequestArns();
  std::int64_t n = 0;
  for (auto _ : state) {
    for (const std::string& arn : arns) {
      for (const ArnPattern& p : patterns) benchmark::DoNotOptimize(p.Matches(arn));
    }
    n += static_cast<std::int64_t>(arns.size() * patterns.size());
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_ArnPatternMatches);

void BM_ArnPatternMatchesParsedOnce(benchmark::State& state) {
  const std::vector<ArnPattern> patterns = Compiled(PolicyPatterns());
  std::vector<Arn> arns;
  for (const std::string& a : RequestArns()) arns.push_back(*Arn::Parse(a));
  std::int64_t n = 0;
  for (auto _ : state) {
    for (const Arn& arn : arns) {
      for (const ArnPattern& p : patterns) benchmark::DoNotOptimize(p.Matches(arn));
    }
    n += static_cast<std::int64_t>(arns.size() * patterns.size());
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_ArnPatternMatchesParsedOnce);

void BM_ArnPatternCovers(benchmark::State& state) {
  const std::vector<ArnPattern> patterns = Compiled(PolicyPatterns());
  const std::vector<ArnPattern> required = Compiled(RequiredPatterns());
  std::int64_t n = 0;
  for (auto _ : state) {
    for (const ArnPattern& q : required) {
      for (const ArnPattern& p : patterns) benchmark::DoNotOptimize(p.Covers(q));
    }
    n += static_cast<std::int64_t>(required.size() * patterns.size());
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_ArnPatternCovers);

void BM_ArnPatternOverlaps(benchmark::State& state) {
  const std::vector<ArnPattern> patterns = Compiled(PolicyPatterns());
  const std::vector<ArnPattern> required = Compiled(RequiredPatterns());
  std::int64_t n = 0;
  for (auto _ : state) {
    for (const ArnPattern& q : required) {
      for (const ArnPattern& p : patterns) benchmark::DoNotOptimize(p.Overlaps(q));
    }
    n += static_cast<std::int64_t>(required.size() * patterns.size());
  }
  state.SetItemsProcessed(n);
}
BENCHMARK(BM_ArnPatternOverlaps);

// Glob-level set operations on whole resource strings with several wildcards.
void BM_GlobCoversMixedWildcards(benchmark::State& state) {
  const Glob p = Glob::Compile(
      "arn:aws:s3:::*-data-*/year=20?"
      "?/*/part-*.parquet");
  const Glob q = Glob::Compile("arn:aws:s3:::team-data-lake/year=2024/month=0?/part-0*.parquet");
  for (auto _ : state) benchmark::DoNotOptimize(p.Covers(q));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GlobCoversMixedWildcards);

void BM_GlobOverlapsMixedWildcards(benchmark::State& state) {
  const Glob p = Glob::Compile(
      "arn:aws:s3:::*-data-*/year=20?"
      "?/*/part-*.parquet");
  const Glob q = Glob::Compile("arn:aws:s3:::team-*/year=*/month=0?/*");
  for (auto _ : state) benchmark::DoNotOptimize(p.Overlaps(q));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GlobOverlapsMixedWildcards);

// The pathological pattern against 100,000 characters (no match).
void BM_GlobMatchesPathologicalStars(benchmark::State& state) {
  const Glob g = Glob::Compile("a*a*a*a*a*a*a*a*b");
  const std::string subject(100000, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(g.Matches(subject));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(subject.size()));
}
BENCHMARK(BM_GlobMatchesPathologicalStars);

// A pattern that defeats greedy matching (bit-parallel fallback).
void BM_GlobMatchesPathologicalLongRun(benchmark::State& state) {
  const Glob g = Glob::Compile(std::string("*").append(40, 'a').append("b*"));
  const std::string subject(100000, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(g.Matches(subject));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(subject.size()));
}
BENCHMARK(BM_GlobMatchesPathologicalLongRun);

// A hostile containment question that hits the state budget.
void BM_GlobCoversHostile(benchmark::State& state) {
  const Glob p = Glob::Compile(std::string("*a").append(20, '?'));
  const Glob q = Glob::Compile(std::string("*aa").append(19, '?'));
  for (auto _ : state) benchmark::DoNotOptimize(p.Covers(q));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GlobCoversHostile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace iam_audit

BENCHMARK_MAIN();
