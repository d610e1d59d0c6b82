// `iam-audit [check] POLICY...`: validates and lints policy documents and,
// with --profile, audits them against a profile.
//
// Every file is read (bounded, see source_file.h) and parsed; every error is
// printed on stderr as FILE:LINE:COLUMN: message and every warning as
// FILE:LINE:COLUMN: warning: message, in source order. Any error: exit code 2.
//
// Without a profile (none given or configured, or --lint-only) each file is
// linted on its own (lint.h, docs/lint.md): its findings make a report
// without requirements that goes through the same gate and formats as an
// audit (suppressions, baseline, --format, --output, --fail-on; the parser's
// warnings also count from --fail-on warning). A clean text lint prints
// nothing.
//
// With --profile NAME|PATH (docs/audit.md, docs/output.md), which the lint
// findings of the audited policies join:
//   iam-audit [check] POLICY... --profile NAME|PATH [--var K=V]...
//       [--dbt-profiles P [--dbt-profile N] [--dbt-target T]] [--context K=V]...
//       [--format text|json|sarif] [--output FILE] [--fail-on error|warning|note|never]
//       [--each] [--boundary F] [--scp F]...
// All POLICY files are one principal's identity policies (--each: each file
// on its own); --boundary is its permissions boundary and each --scp one SCP
// level (root first). The report goes to stdout, or atomically to --output.
// Exit code 0 when no finding is at or above --fail-on (default error), 1
// otherwise, 2 for usage, input and profile errors (never 1 for those).
//
// As a CI gate and pre-commit hook (check_gate.h; docs/configuration.md,
// docs/ci.md, docs/pre-commit.md): a POLICY may be a directory (its policy
// files are found below it); .iam-audit.yaml (--config FILE, --no-config)
// gives the profile, variables, context, --each, --fail-on, the baseline,
// `exclude` patterns and per-path `overrides` (files with other settings are
// audited separately), and `suppressions`; --baseline/--write-baseline/
// --no-baseline; --format github; --lint-only ignores any profile (lint only);
// --skip-non-iam skips named files that are plainly not IAM. Files are read,
// parsed and audited on --jobs threads (default: one per core), with output in
// a fixed order whatever the number.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ascii.h"
#include "atomic_file.h"
#include "check_gate.h"
#include "check_run.h"
#include "cli.h"
#include "config.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/report.h"
#include "output_format.h"
#include "parallel.h"
#include "profile_options.h"
#include "profile_vars.h"

namespace iam_audit::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> policies;

  // The audit (--var, --context, --each, --boundary, --scp need a profile).
  std::string profile;
  VariableOptions vars;
  std::vector<std::string> context;  // KEY=VALUE
  std::string format = "text";
  std::string output;
  std::string fail_on;  // "" = the configuration's, else "error"
  bool each = false;
  std::string boundary;
  std::vector<std::string> scps;
  std::vector<std::string> resource_policies;  // ARN=FILE
  std::vector<std::string> resource_accounts;  // ARN=ACCOUNT
  std::vector<std::string> rcps;
  std::vector<std::string> vpc_endpoints;  // [SERVICE=]FILE
  std::string principal_arn;
  std::string principal_account;

  // CI gate and pre-commit.
  std::string config;
  bool no_config = false;
  bool lint_only = false;
  std::string policy_type;  // --policy-type: "" detects each document's type (lint.h)
  bool skip_non_iam = false;
  std::string baseline;
  bool no_baseline = false;
  std::string write_baseline;
  unsigned jobs = 0;
  bool verbose = false;

  // What is reported, and where.
  std::vector<std::string> enable, disable;  // finding ids
  std::vector<std::string> severity;         // ID=LEVEL
  bool quiet = false;
  std::string color = "auto";
  std::string base_dir;              // "" = the git top level, else the current directory
  std::vector<std::string> reports;  // FORMAT=FILE
  std::size_t format_given = 0;      // how many of --format, --output, --report were given

  // Where the policies come from (policy_source.h).
  std::string input_format = "auto";
  std::string principal;  // account authorization details: only this role or user
  // The options given that only an audit uses (an error without a profile).
  std::vector<std::string> audit_options_given;
};

// A finding id of --enable/--disable/--severity.
FindingId IdOption(std::string_view option, const std::string& name) {
  if (const std::optional<FindingId> id = ParseFindingId(name)) return *id;
  throw InputError(std::string(option) + ": unknown finding id " + Quoted(name) +
                   " (`iam-audit rules` lists them)");
}

// The configuration's `checks`, with the command line's on top.
RuleSettings CheckRules(const CheckOptions& options, const Config& config) {
  RuleSettings cli;
  for (const std::string& n : options.enable) cli.enable.push_back(IdOption("--enable", n));
  for (const std::string& n : options.disable) cli.disable.push_back(IdOption("--disable", n));
  for (const std::string& a : options.severity) {
    const std::size_t eq = a.find('=');
    const std::optional<Severity> level =
        eq == std::string::npos ? std::nullopt : ParseSeverity(a.substr(eq + 1));
    if (!level) throw InputError("--severity " + Quoted(a) + ": expected ID=error|warning|note");
    cli.severity.emplace_back(IdOption("--severity", a.substr(0, eq)), *level);
  }
  RuleSettings rules = config.checks;
  rules.Merge(cli);
  if (!rules.Reported(FindingId::kInvalidPolicy)) {
    throw InputError("invalid-policy cannot be disabled: a file that cannot be read is an error");
  }
  return rules;
}

// One report to write: --format to --output (or standard output), and each
// --report FORMAT=FILE ("-": standard output).
struct OutputTarget {
  OutputFormat format;
  std::string file;  // "" = standard output
};

std::vector<OutputTarget> OutputTargets(const CheckOptions& options) {
  std::vector<OutputTarget> out = {{*ParseOutputFormat(options.format), options.output}};
  for (const std::string& r : options.reports) {
    const std::size_t eq = r.find('=');
    const std::optional<OutputFormat> format =
        eq == std::string::npos ? std::nullopt : ParseOutputFormat(r.substr(0, eq));
    if (!format || eq + 1 == r.size()) {
      throw InputError("--report " + Quoted(r) +
                       ": expected FORMAT=FILE (text, json, sarif, github)");
    }
    const std::string file = r.substr(eq + 1);
    out.push_back({*format, file == "-" ? "" : file});
  }
  return out;
}

// --base-dir, else the top level of the git work tree holding the current
// directory, else the current directory: absolute.
std::string BaseDir(const std::string& given) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (!given.empty()) return fs::absolute(given, ec).lexically_normal().string();
  for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.root_path()) break;
  }
  return cwd.string();
}

void WriteOutputs(const std::vector<Report>& reports, const std::vector<OutputTarget>& targets,
                  const CheckOptions& options, Context& ctx) {
  const char* workspace = std::getenv("GITHUB_WORKSPACE");
  const std::string base_dir = BaseDir(options.base_dir);
  for (const OutputTarget& target : targets) {
    const bool terminal = target.file.empty() && &ctx.out == &std::cout && ::isatty(1) == 1;
    OutputOptions output;
    output.color = options.color == "always" ||
                   (options.color == "auto" && WantColor(terminal, std::getenv("NO_COLOR")));
    output.quiet = options.quiet;
    output.workspace = workspace && *workspace ? workspace : base_dir;
    output.base_dir = base_dir;
    std::ostringstream text;
    WriteReports(reports, target.format, output, text);
    if (target.file.empty()) {
      ctx.out << text.str() << std::flush;
    } else {
      WriteFileAtomically(target.file, text.str());
    }
  }
}

CheckRequest RequestOf(const CheckOptions& options) {
  const std::optional<InputFormat> input_format = ParseInputFormat(options.input_format);
  if (!input_format) {
    throw InputError("--input-format: unknown format '" + options.input_format + "'");
  }
  CheckRequest request;
  request.policies = options.policies;
  request.settings = {options.profile, options.vars, options.context, options.each};
  request.boundary = options.boundary;
  request.scps = options.scps;
  request.resource_policies = options.resource_policies;
  request.resource_accounts = options.resource_accounts;
  request.rcps = options.rcps;
  request.vpc_endpoints = options.vpc_endpoints;
  request.principal_arn = options.principal_arn;
  request.principal_account = options.principal_account;
  request.lint_only = options.lint_only;
  request.policy_type = ParseLintPolicyType(options.policy_type);
  request.skip_non_iam = options.skip_non_iam;
  request.verbose = options.verbose;
  request.input_format = *input_format;
  request.principal = options.principal;
  request.jobs = options.jobs;
  request.audit_options_given = options.audit_options_given;
  return request;
}

int RunCheck(const CheckOptions& options, Context& ctx) {
  const Config config = LoadCheckConfig(options.config, options.no_config);
  const RuleSettings rules = CheckRules(options, config);
  std::vector<OutputTarget> targets = OutputTargets(options);
  // --write-baseline records the findings; it prints the report only when
  // asked for one (--format, --output or --report).
  if (!options.write_baseline.empty() && options.format_given == 0) targets.clear();
  CheckRequest request = RequestOf(options);
  // Input errors are printed once, where a user reads them: in a text or
  // github report on standard output, else on standard error.
  request.report_shows_input = std::any_of(targets.begin(), targets.end(), [](const auto& t) {
    return t.file.empty() && (t.format == OutputFormat::kText || t.format == OutputFormat::kGithub);
  });
  CheckOutcome outcome = RunCheckPlan(request, config, ctx);
  std::vector<Report>& reports = outcome.reports;
  if (reports.empty()) return kExitClean;  // every file skipped
  const std::string fail_on =
      !options.fail_on.empty() ? options.fail_on : config.fail_on.value_or("error");

  GateOptions gate;
  gate.write_baseline = options.write_baseline;
  gate.template_suppressions = std::move(outcome.template_suppressions);
  if (!options.no_baseline) {
    gate.baseline = !options.baseline.empty() ? options.baseline : config.baseline.value_or("");
  }
  ApplyRuleSettings(reports, rules);
  ApplyGate(reports, config, gate);
  ApplyRuleSettings(reports, rules);  // the gate's own findings (stale-suppression...)
  WriteOutputs(reports, targets, options, ctx);
  // An input error is 2 whatever the findings, once every report is out.
  const int code = outcome.input_error                   ? kExitUsage
                   : GateExitCode(reports, fail_on) != 0 ? kExitFindings
                                                         : kExitClean;
  // The runs' findings are freed on every core: on one thread, the 1,645
  // runs of a lint of the managed policies took 10 ms.
  for (Report& report : reports) {
    ParallelFor(report.runs.size(), request.jobs, [&](std::size_t i) { report.runs[i] = {}; });
  }
  return code;
}

// An option that may be given several times, one value each time.
CLI::Option* Repeatable(CLI::Option* option) {
  return option->expected(1)->allow_extra_args(false)->multi_option_policy(
      CLI::MultiOptionPolicy::TakeAll);
}

// The files, and the profile they are audited against.
void AddInputOptions(CLI::App* cmd, CheckOptions* options) {
  cmd->add_option("POLICY", options->policies,
                  "Policy files ('-' reads standard input) or directories to scan")
      ->type_name("FILE|DIR")
      ->required();
  cmd->add_option("--profile", options->profile,
                  "Audit against this profile: a built-in name (see `iam-audit profiles`) "
                  "or a profile YAML file")
      ->type_name("NAME|PATH");
  AddVariableOptions(*cmd, options->vars);
  Repeatable(
      cmd->add_option("--context", options->context,
                      "Request context KEY=VALUE the audited calls carry (repeatable; repeating a "
                      "key gives it several values); overrides the profile's")
          ->type_name("KEY=VALUE"));
}

// The report: its format, where it goes, and when it fails.
void AddOutputOptions(CLI::App* cmd, CheckOptions* options) {
  std::vector<std::string> formats;
  std::vector<std::string> rows;
  for (const OutputFormatInfo& f : OutputFormats()) {
    formats.emplace_back(f.name);
    rows.push_back(std::string(f.name) + ": " + std::string(f.description));
  }
  const std::string help = "Report format (docs/output.md). " + ascii::Join(rows, "; ");
  cmd->add_option("--format", options->format, help)
      ->type_name(ascii::Join(formats, "|"))
      ->check(CLI::IsMember(formats).description(""));
  cmd->add_option("--output", options->output,
                  "Write the report to FILE (atomically) instead of standard output")
      ->type_name("FILE");
  cmd->add_option("--fail-on", options->fail_on,
                  "Exit 1 when a finding that counts is at or above this severity (default: "
                  "the configuration's fail-on, else error)")
      ->type_name("error|warning|note|never")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}).description(""));
}

// How the files are read, and the principal's other policies and identity.
void AddPrincipalOptions(CLI::App* cmd, CheckOptions* options) {
  cmd->add_flag("--each", options->each, "Audit each POLICY on its own");
  cmd->add_option("--input-format", options->input_format,
                  "How to read the files (default auto: detected from the content); "
                  "docs/input-formats.md")
      ->type_name("NAME")
      ->check(CLI::IsMember(
                  std::vector<std::string>(InputFormatNames().begin(), InputFormatNames().end()))
                  .description(""));
  cmd->add_option("--principal", options->principal,
                  "With aws iam get-account-authorization-details output: audit only this role "
                  "or user (name or ARN)")
      ->type_name("NAME|ARN");
  cmd->add_option("--boundary", options->boundary, "Permissions boundary policy")
      ->type_name("FILE");
  Repeatable(
      cmd->add_option("--scp", options->scps,
                      "Service control policy, one per organization level, root first (repeatable)")
          ->type_name("FILE"));
  Repeatable(cmd->add_option(
                    "--resource-policy", options->resource_policies,
                    "The resource-based policy of a resource the profile needs: a bucket, KMS key, "
                    "role (trust policy) or Glue catalog ARN, then its policy file (repeatable)")
                 ->type_name("ARN=FILE"));
  Repeatable(cmd->add_option("--resource-account", options->resource_accounts,
                             "The account of a resource whose ARN does not say (an S3 bucket), for "
                             "cross-account decisions (repeatable)")
                 ->type_name("ARN=ACCOUNT"));
  Repeatable(cmd->add_option("--vpc-endpoint-policy", options->vpc_endpoints,
                             "The policy of a VPC endpoint the principal's requests go through; "
                             "SERVICE (s3, or com.amazonaws.REGION.s3) limits it to that "
                             "service's requests (repeatable)")
                 ->type_name("[SERVICE=]FILE"));
  Repeatable(cmd->add_option(
                    "--rcp", options->rcps,
                    "Resource control policy, one per organization level, root first (repeatable)")
                 ->type_name("FILE"));
  cmd->add_option("--principal-arn", options->principal_arn,
                  "The audited principal's ARN, for resource policies' Principal (a file's own "
                  "principals carry theirs)")
      ->type_name("ARN");
  cmd->add_option("--principal-account", options->principal_account,
                  "The audited principal's account, when its ARN is not known (cross-account "
                  "decisions)")
      ->type_name("ID");
}

// CI gate and pre-commit: configuration, baseline, scanning.
void AddGateOptions(CLI::App* cmd, CheckOptions* options) {
  CLI::Option* config = cmd->add_option("--config", options->config,
                                        "Read settings from FILE instead of the nearest "
                                        ".iam-audit.yaml")
                            ->type_name("FILE");
  cmd->add_flag("--no-config", options->no_config, "Read no .iam-audit.yaml")->excludes(config);
  cmd->add_flag("--lint-only", options->lint_only,
                "Only validate and lint the policies, even when the configuration names a "
                "profile")
      ->excludes("--profile");
  cmd->add_option("--policy-type", options->policy_type,
                  "Lint every policy as this type instead of detecting it (docs/lint.md)")
      ->check(CLI::IsMember(
          std::vector<std::string>(LintPolicyTypeNames().begin(), LintPolicyTypeNames().end())))
      ->type_name("TYPE");
  cmd->add_flag("--skip-non-iam", options->skip_non_iam,
                "Skip named files that are plainly not IAM (as directory scans do), e.g. the "
                "package.json a pre-commit hook passes");
  CLI::Option* baseline =
      cmd->add_option("--baseline", options->baseline, "Findings recorded in FILE do not count")
          ->type_name("FILE");
  cmd->add_flag("--no-baseline", options->no_baseline, "Ignore the configuration's baseline")
      ->excludes(baseline);
  cmd->add_option("--write-baseline", options->write_baseline,
                  "Record the findings that count in FILE (atomically); they then no longer count")
      ->type_name("FILE");
  cmd->add_option("--jobs", options->jobs, "Threads reading and auditing files (0: one per core)")
      ->type_name("N");
  cmd->add_flag("--verbose", options->verbose,
                "Say how many files were checked, skipped and excluded, and which were skipped");
}

// What is reported, and how the text report looks.
void AddReportingOptions(CLI::App* cmd, CheckOptions* options) {
  Repeatable(
      cmd->add_option("--enable", options->enable,
                      "Report only these finding ids (repeatable; `iam-audit rules` lists them; "
                      "input errors are always reported)")
          ->type_name("ID"));
  Repeatable(
      cmd->add_option("--disable", options->disable, "Never report this finding id (repeatable)")
          ->type_name("ID"));
  Repeatable(cmd->add_option("--severity", options->severity,
                             "Report finding id ID at this severity (repeatable)")
                 ->type_name("ID=error|warning|note"));
  Repeatable(cmd->add_option("--report", options->reports,
                             "Also write the report in FORMAT to FILE ('-': standard output), e.g. "
                             "--report sarif=results.sarif (repeatable)")
                 ->type_name("FORMAT=FILE"));
  cmd->add_option("--base-dir", options->base_dir,
                  "SARIF and GitHub paths are relative to DIR (default: the git repository's "
                  "top level, else the current directory)")
      ->type_name("DIR");
  cmd->add_flag("--quiet,-q", options->quiet,
                "Text: only the findings that count (no granted lines, no suppressed findings)");
  cmd->add_option("--color", options->color,
                  "Colour the text report: auto (a terminal without NO_COLOR; the default), "
                  "always or never")
      ->type_name("auto|always|never")
      ->check(CLI::IsMember({"auto", "always", "never"}).description(""));
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check that each POLICY is a valid IAM policy document, lint it and, with a profile "
      "(--profile or .iam-audit.yaml), audit the policies against it (the default command)");
  AddInputOptions(cmd, options.get());
  AddOutputOptions(cmd, options.get());
  AddPrincipalOptions(cmd, options.get());
  AddGateOptions(cmd, options.get());
  AddReportingOptions(cmd, options.get());
  cmd->callback([options, cmd, &ctx] {
    options->format_given =
        cmd->count("--format") + cmd->count("--output") + cmd->count("--report");
    options->audit_options_given.clear();
    for (const char* name : {"--var", "--dbt-profiles", "--context", "--each", "--boundary",
                             "--scp", "--resource-policy", "--resource-account", "--rcp",
                             "--vpc-endpoint-policy", "--principal-arn", "--principal-account"}) {
      if (cmd->get_option(name)->count() > 0) options->audit_options_given.push_back(name);
    }
    ctx.exit_code = RunCheck(*options, ctx);
  });
}

}  // namespace iam_audit::cli
