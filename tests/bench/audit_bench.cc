// The dbt-athena audit of a generated 100-statement policy:
//   - in process: Audit() alone (policies parsed, requirements expanded), and
//     everything an invocation does (parse, load and bind the profile, audit,
//     render the JSON report);
//   - loading the built-in profile and risk table, from the trees embedded at
//     build time (what a run does) and from their YAML texts (yaml-cpp);
//   - as a whole process, the way a user or CI runs it: `iam-audit POLICY
//     --profile dbt-athena ... --format json`, the README's least-privilege
//     example (issue 11: under 10 ms), next to the floor of a bare parse
//     (`iam-audit POLICY`, no profile) and of `iam-audit --version`.
// Whole-process figures are wall-clock time per run (UseRealTime).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "embedded.h"
#include "iam_audit/audit.h"
#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "iam_audit/profile.h"
#include "iam_audit/report.h"
#include "iam_audit/risk.h"
#include "profile_vars.h"
#include "risk_internal.h"
#include "yaml_tree.h"

extern char** environ;

namespace iam_audit {
namespace {

constexpr int kStatements = 100;
constexpr char kAccount[] = "111122223333";

// A policy of kStatements statements over the resources a dbt-athena
// deployment and its neighbours use: exact and wildcard actions, object and
// bucket ARNs, Glue catalog/database/table ARNs, conditions, Denies.
std::string GeneratePolicy() {
  std::ostringstream p;
  p << "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
  for (int i = 0; i < kStatements; ++i) {
    const std::string n = std::to_string(i);
    const std::string region = "eu-west-1";
    const std::string glue = "arn:aws:glue:" + region + ":" + kAccount + ":";
    std::string s;
    switch (i % 8) {
      case 0:
        s = R"({"Sid": "Objects)" + n +
            R"(", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], "Resource": ["arn:aws:s3:::acme-athena-results/dbt/*", "arn:aws:s3:::team-)" +
            n + R"(/data/*"]})";
        break;
      case 1:
        s = R"({"Sid": "Buckets)" + n +
            R"(", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], "Resource": ["arn:aws:s3:::acme-athena-results", "arn:aws:s3:::acme-data-lake", "arn:aws:s3:::team-)" +
            n + R"("], "Condition": {"Bool": {"aws:SecureTransport": "true"}}})";
        break;
      case 2:
        s = R"({"Sid": "Glue)" + n +
            R"(", "Effect": "Allow", "Action": ["glue:Get*", "glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:BatchCreatePartition", "glue:BatchDeletePartition"], "Resource": [")" +
            glue + R"(catalog", ")" + glue + "database/analytics_" + n + R"(", ")" + glue +
            "table/analytics_" + n + R"(/*"]})";
        break;
      case 3:
        s = R"({"Sid": "Athena)" + n +
            R"(", "Effect": "Allow", "Action": "athena:*Query*", "Resource": "arn:aws:athena:eu-west-1:111122223333:workgroup/wg-)" +
            n + R"(", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}})";
        break;
      case 4:
        s = R"({"Sid": "DenyOther)" + n +
            R"(", "Effect": "Deny", "Action": ["s3:DeleteObject", "s3:PutBucketPolicy"], "Resource": "arn:aws:s3:::protected-)" +
            n + R"(/*"})";
        break;
      case 5:
        s = R"({"Sid": "Kms)" + n +
            R"(", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "arn:aws:kms:eu-west-1:111122223333:key/key-)" +
            n +
            R"(", "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}})";
        break;
      case 6:
        s = R"({"Sid": "Logs)" + n +
            R"(", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:/dbt/)" +
            n + R"(:*"})";
        break;
      default:
        s = R"({"Sid": "Read)" + n +
            R"(", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::acme-data-lake/raw/)" +
            n + R"(/*"})";
        break;
    }
    p << "    " << s << (i + 1 < kStatements ? ",\n" : "\n");
  }
  p << "  ]\n}\n";
  return p.str();
}

const std::vector<std::string>& VarArgs() {
  static const std::vector<std::string> vars = {
      "region_name=eu-west-1",
      std::string("account_id=") + kAccount,
      "schema=analytics",
      "write_databases=analytics_1,analytics_2",
      "read_databases=raw,staging",
      "s3_staging_dir=s3://acme-athena-results/dbt/",
      "read_locations=s3://acme-data-lake/raw/,s3://acme-data-lake/staging/",
      "kms_key_arns=arn:aws:kms:eu-west-1:111122223333:key/key-5"};
  return vars;
}

struct Fixture {
  std::string dir;
  std::string policy_path;
  std::string policy_text;
  Catalog catalog = Catalog::Embedded();
  std::vector<Requirement> requirements;
  PolicySet set;

  Fixture() {
    dir = (std::filesystem::temp_directory_path() / "iam-audit-audit-bench").string();
    std::filesystem::create_directories(dir);
    policy_path = dir + "/policy.json";
    policy_text = GeneratePolicy();
    std::ofstream(policy_path) << policy_text;
    const Profile profile = LoadProfile("dbt-athena", catalog);
    VariableOptions options;
    options.vars = VarArgs();
    requirements = profile.Requirements(ResolveVariables(profile, options));
    PolicyParseResult parsed = ParsePolicy(policy_text, policy_path);
    if (!parsed.policy) throw std::runtime_error("generated policy does not parse");
    set.identity.push_back(std::move(*parsed.policy));
  }
};

Fixture& Get() {
  static Fixture f;
  return f;
}

void BM_AuditOnly(benchmark::State& state) {
  Fixture& f = Get();
  AuditOptions options;
  options.profile_name = "dbt-athena";
  std::size_t findings = 0;
  for (auto _ : state) {
    AuditResult r = Audit(f.catalog, f.set, f.requirements, options);
    findings = r.findings.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["requirements"] = static_cast<double>(f.requirements.size());
  state.counters["statements"] = kStatements;
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_AuditOnly)->Unit(benchmark::kMicrosecond);

// What one invocation does in process: parse, profile, audit, JSON report.
void BM_ParseProfileAuditReport(benchmark::State& state) {
  Fixture& f = Get();
  for (auto _ : state) {
    PolicyParseResult parsed = ParsePolicy(f.policy_text, f.policy_path);
    PolicySet set;
    set.identity.push_back(std::move(*parsed.policy));
    const Profile profile = LoadProfile("dbt-athena", f.catalog);
    VariableOptions vars;
    vars.vars = VarArgs();
    Report report;
    report.profile = profile.name();
    report.catalog = CatalogLabel(f.catalog);
    report.requirements = profile.Requirements(ResolveVariables(profile, vars));
    AuditOptions options;
    options.profile_name = profile.name();
    report.runs.push_back(
        {{f.policy_path}, Audit(f.catalog, set, report.requirements, options), ""});
    std::ostringstream out;
    WriteJsonReport(report, out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ParseProfileAuditReport)->Unit(benchmark::kMicrosecond);

// The built-in profile as a run loads it: from its embedded tree.
void BM_LoadBuiltinProfile(benchmark::State& state) {
  Fixture& f = Get();
  for (auto _ : state) benchmark::DoNotOptimize(LoadProfile("dbt-athena", f.catalog));
}
BENCHMARK(BM_LoadBuiltinProfile)->Unit(benchmark::kMicrosecond);

// The same profile parsed from its YAML text (as a user's profile file is).
void BM_LoadProfileFromYaml(benchmark::State& state) {
  Fixture& f = Get();
  for (const BuiltinProfile& p : BuiltinProfiles()) {
    if (p.name != "dbt-athena") continue;
    for (auto _ : state) benchmark::DoNotOptimize(Profile::Load(p.yaml, p.file, f.catalog));
  }
}
BENCHMARK(BM_LoadProfileFromYaml)->Unit(benchmark::kMicrosecond);

// The risk table as BuiltinRiskTable() reads it (once per process).
void BM_LoadRiskTable(benchmark::State& state) {
  for (auto _ : state) {
    const std::optional<yaml_tree::Node> root = yaml_tree::Deserialize(embedded::RiskTableTree());
    benchmark::DoNotOptimize(
        risk_internal::LoadRiskTableTree(*root, "rules/risk/risks.yaml", nullptr));
  }
}
BENCHMARK(BM_LoadRiskTable)->Unit(benchmark::kMicrosecond);

void BM_LoadRiskTableFromYaml(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(LoadRiskTable(embedded::RiskTableYaml(), "rules/risk/risks.yaml"));
  }
}
BENCHMARK(BM_LoadRiskTableFromYaml)->Unit(benchmark::kMicrosecond);

// Runs the binary with `args`, output to /dev/null; returns its exit status.
int Spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string binary = IAM_AUDIT_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot run " + binary);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void RunProcess(benchmark::State& state, const std::vector<std::string>& args, int expected) {
  for (auto _ : state) {
    const int code = Spawn(args);
    if (code != expected) {
      state.SkipWithError(("unexpected exit code " + std::to_string(code)).c_str());
      break;
    }
  }
}

void BM_ProcessAudit(benchmark::State& state) {
  std::vector<std::string> args = {Get().policy_path, "--profile", "dbt-athena", "--format", "json",
                                   "--fail-on",       "never"};
  for (const std::string& v : VarArgs()) {
    args.push_back("--var");
    args.push_back(v);
  }
  RunProcess(state, args, 0);
}
BENCHMARK(BM_ProcessAudit)->Unit(benchmark::kMillisecond)->UseRealTime();

// The README's least-privilege audit, the command of issue 11's speed goal.
void BM_ProcessLeastPrivilege(benchmark::State& state) {
  const std::string examples = std::string(IAM_AUDIT_SOURCE_DIR) + "/examples/dbt-athena/";
  RunProcess(state,
             {examples + "least-privilege.json", "--profile", "dbt-athena", "--dbt-profiles",
              examples + "profiles.yml", "--var", "account_id=111122223333", "--var",
              "read_databases=raw", "--var", "read_locations=s3://acme-data-lake/raw/", "--var",
              "kms_key_arns=arn:aws:kms:eu-west-1:111122223333:key/"
              "1234abcd-12ab-34cd-56ef-1234567890ab"},
             0);
}
BENCHMARK(BM_ProcessLeastPrivilege)->Unit(benchmark::kMillisecond)->UseRealTime();

// Lint of the same file (its findings, since the risk model, do not fail the run).
void BM_ProcessBareParse(benchmark::State& state) {
  RunProcess(state, {Get().policy_path, "--fail-on", "never"}, 0);
}
BENCHMARK(BM_ProcessBareParse)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProcessVersion(benchmark::State& state) { RunProcess(state, {"--version"}, 0); }
BENCHMARK(BM_ProcessVersion)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace iam_audit

BENCHMARK_MAIN();
