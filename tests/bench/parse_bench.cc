// Policy parsing throughput: iam_audit::json::Parse and ParsePolicy against a
// bare nlohmann::json::parse of the same bytes.
//
// Input: every AWS managed policy in ../shared/corpus/managed (1,645 files,
// about 9 MB as stored, pretty-printed). Without the corpus a generated set of
// policies of similar shape is used instead, and the run says so.
//
//   build/release/tests/bench/parse_bench --benchmark_min_time=2
//
// Each benchmark parses the whole set once per iteration; "bytes_per_second"
// is the throughput. BM_ParseAndLint is `iam-audit POLICY` without a profile
// (parse, compile, every lint rule; docs/lint.md): its goal is within 2x of
// BM_NlohmannParse, side by side here. "LargeDocument" variants parse the same policies joined
// into one JSON array (one 9 MB document).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/json.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy.h"

namespace {

struct Corpus {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  std::string joined;  // all texts as one JSON array
  std::size_t bytes = 0;
  std::string origin;
};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Policies shaped like managed ones: a few statements, lists of actions,
// some conditions.
std::string GeneratedPolicy(int n) {
  std::string out = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
  for (int s = 0; s < 5; ++s) {
    if (s > 0) out += ",\n";
    out += "    {\n      \"Sid\": \"Statement" + std::to_string(s) +
           "\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n";
    for (int a = 0; a < 8; ++a) {
      out += std::string(a > 0 ? ",\n" : "") + "        \"service" + std::to_string(n % 50) +
             ":Describe" + std::to_string(a) + "Resource*\"";
    }
    out += "\n      ],\n      \"Resource\": \"arn:aws:s3:::bucket-" + std::to_string(n) +
           "/prefix/*\",\n      \"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": "
           "[\"data\", \"platform\"]}, \"Bool\": {\"aws:SecureTransport\": true}}\n    }";
  }
  return out + "\n  ]\n}\n";
}

Corpus LoadCorpus() {
  Corpus c;
  const std::filesystem::path dir =
      std::filesystem::path(IAM_AUDIT_SHARED_DIR) / "corpus" / "managed";
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".json") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      c.names.push_back(p.filename().string());
      c.texts.push_back(ReadAll(p));
    }
    c.origin = dir.string();
  }
  if (c.texts.empty()) {
    std::cerr << "parse_bench: " << dir.string()
              << " not found; using 1,645 generated policies instead\n";
    for (int i = 0; i < 1645; ++i) {
      c.names.push_back("generated-" + std::to_string(i) + ".json");
      c.texts.push_back(GeneratedPolicy(i));
    }
    c.origin = "generated";
  }
  c.joined = "[";
  for (std::size_t i = 0; i < c.texts.size(); ++i) {
    c.bytes += c.texts[i].size();
    if (i > 0) c.joined += ",";
    c.joined += c.texts[i];
  }
  c.joined += "]";
  return c;
}

const Corpus& TheCorpus() {
  static const Corpus corpus = LoadCorpus();
  return corpus;
}

void Report(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(bytes));
  state.SetLabel(TheCorpus().origin);
}

void BM_NlohmannParse(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  for (auto _ : state) {
    for (const std::string& text : c.texts) {
      nlohmann::json doc = nlohmann::json::parse(text);
      benchmark::DoNotOptimize(doc);
    }
  }
  Report(state, c.bytes);
}
BENCHMARK(BM_NlohmannParse)->Unit(benchmark::kMillisecond);

void BM_JsonParse(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.texts.size(); ++i) {
      iam_audit::json::ParseResult r = iam_audit::json::Parse(c.texts[i], c.names[i]);
      if (!r.ok()) state.SkipWithError("JSON error in the corpus");
      benchmark::DoNotOptimize(r);
    }
  }
  Report(state, c.bytes);
}
BENCHMARK(BM_JsonParse)->Unit(benchmark::kMillisecond);

// The whole policy parse: JSON with locations, grammar validation, action
// pattern checks and the Policy model.
void BM_ParsePolicy(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.texts.size(); ++i) {
      iam_audit::PolicyParseResult r = iam_audit::ParsePolicy(c.texts[i], c.names[i]);
      if (!r.policy) state.SkipWithError("policy error in the corpus");
      benchmark::DoNotOptimize(r);
    }
  }
  Report(state, c.bytes);
}
BENCHMARK(BM_ParsePolicy)->Unit(benchmark::kMillisecond);

// Parse and lint every policy, each on its own (as `iam-audit DIR` does).
void BM_ParseAndLint(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  const iam_audit::Catalog catalog = iam_audit::Catalog::Embedded();
  std::size_t findings = 0;
  for (auto _ : state) {
    findings = 0;
    for (std::size_t i = 0; i < c.texts.size(); ++i) {
      iam_audit::PolicyParseResult r = iam_audit::ParsePolicy(c.texts[i], c.names[i]);
      if (!r.policy) state.SkipWithError("policy error in the corpus");
      iam_audit::PolicySet set;
      set.identity.push_back(std::move(*r.policy));
      findings += iam_audit::Lint(catalog, set).findings.size();
    }
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
  Report(state, c.bytes);
}
BENCHMARK(BM_ParseAndLint)->Unit(benchmark::kMillisecond);

void BM_NlohmannParseLargeDocument(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  for (auto _ : state) {
    nlohmann::json doc = nlohmann::json::parse(c.joined);
    benchmark::DoNotOptimize(doc);
  }
  Report(state, c.joined.size());
}
BENCHMARK(BM_NlohmannParseLargeDocument)->Unit(benchmark::kMillisecond);

void BM_JsonParseLargeDocument(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  for (auto _ : state) {
    iam_audit::json::ParseResult r = iam_audit::json::Parse(c.joined, "joined.json");
    if (!r.ok()) state.SkipWithError("JSON error in the joined corpus");
    benchmark::DoNotOptimize(r);
  }
  Report(state, c.joined.size());
}
BENCHMARK(BM_JsonParseLargeDocument)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
