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
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "check_gate.h"
#include "check_run.h"
#include "cli.h"
#include "iam_audit/atomic_file.h"
#include "iam_audit/config.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/report.h"
#include "output_format.h"
#include "profile_options.h"

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

  // CI gate and pre-commit.
  std::string config;
  bool no_config = false;
  bool lint_only = false;
  bool skip_non_iam = false;
  std::string baseline;
  bool no_baseline = false;
  std::string write_baseline;
  unsigned jobs = 0;
  bool verbose = false;

  // Where the policies come from (policy_source.h).
  std::string input_format = "auto";
  std::string principal;  // account authorization details: only this role or user
  // The options given that only an audit uses (an error without a profile).
  std::vector<std::string> audit_options_given;
};

int RunCheck(const CheckOptions& options, Context& ctx) {
  const Config config = LoadCheckConfig(options.config, options.no_config);
  const std::optional<InputFormat> input_format = ParseInputFormat(options.input_format);
  if (!input_format) {
    throw InputError("--input-format: unknown format '" + options.input_format + "'");
  }
  CheckRequest request;
  request.policies = options.policies;
  request.settings = {options.profile, options.vars, options.context, options.each};
  request.boundary = options.boundary;
  request.scps = options.scps;
  request.lint_only = options.lint_only;
  request.skip_non_iam = options.skip_non_iam;
  request.verbose = options.verbose;
  request.input_format = *input_format;
  request.principal = options.principal;
  request.jobs = options.jobs;
  request.audit_options_given = options.audit_options_given;
  CheckOutcome outcome = RunCheckPlan(request, config, ctx);
  std::vector<Report>& reports = outcome.reports;
  if (reports.empty()) return kExitClean;  // every file skipped
  const std::string fail_on =
      !options.fail_on.empty() ? options.fail_on : config.fail_on.value_or("error");

  GateOptions gate;
  gate.write_baseline = options.write_baseline;
  if (!options.no_baseline) {
    gate.baseline = !options.baseline.empty() ? options.baseline : config.baseline.value_or("");
  }
  ApplyGate(reports, config, gate);

  std::ostringstream text;
  const bool terminal = options.output.empty() && &ctx.out == &std::cout && ::isatty(1) == 1;
  OutputOptions output;
  output.color = WantColor(terminal, std::getenv("NO_COLOR"));
  const char* workspace = std::getenv("GITHUB_WORKSPACE");
  output.workspace = workspace ? workspace : "";
  WriteReports(reports, *ParseOutputFormat(options.format), output, text);
  if (options.output.empty()) {
    ctx.out << text.str() << std::flush;
  } else {
    WriteFileAtomically(options.output, text.str());
  }
  // An input error is 2 whatever the findings, once every report is out.
  if (outcome.input_error) return kExitUsage;
  return GateExitCode(reports, fail_on) != 0 ? kExitFindings : kExitClean;
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check that each POLICY is a valid IAM policy document, lint it and, with a profile "
      "(--profile or .iam-audit.yaml), audit the policies against it (the default command)");
  cmd->add_option("POLICY", options->policies,
                  "Policy JSON files ('-' reads standard input) or directories to scan")
      ->required();
  cmd->add_option("--profile", options->profile,
                  "Audit against this profile: a built-in name (see `iam-audit profiles`) "
                  "or a profile YAML file")
      ->type_name("NAME|PATH");
  AddVariableOptions(*cmd, options->vars);
  cmd->add_option("--context", options->context,
                  "Request context KEY=VALUE the audited calls carry (repeatable; repeating a "
                  "key gives it several values); overrides the profile's")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  std::vector<std::string> formats;
  for (const OutputFormatInfo& f : OutputFormats()) formats.emplace_back(f.name);
  cmd->add_option("--format", options->format, "Report format (github: workflow commands)")
      ->check(CLI::IsMember(formats));
  cmd->add_option("--output", options->output,
                  "Write the report to FILE (atomically) instead of standard output")
      ->type_name("FILE");
  cmd->add_option("--fail-on", options->fail_on,
                  "Exit 1 when a finding that counts is at or above this severity (default: "
                  "the configuration's fail-on, else error)")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));
  cmd->add_flag("--each", options->each, "Audit each POLICY on its own");
  cmd->add_option("--input-format", options->input_format,
                  "How to read the files (default auto: detected from the content); "
                  "docs/input-formats.md")
      ->check(CLI::IsMember(
          std::vector<std::string>(InputFormatNames().begin(), InputFormatNames().end())));
  cmd->add_option("--principal", options->principal,
                  "With aws iam get-account-authorization-details output: audit only this role "
                  "or user (name or ARN)")
      ->type_name("NAME|ARN");
  cmd->add_option("--boundary", options->boundary, "Permissions boundary policy")
      ->type_name("FILE");
  cmd->add_option("--scp", options->scps,
                  "Service control policy, one per organization level, root first (repeatable)")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  // CI gate and pre-commit.
  CLI::Option* config = cmd->add_option("--config", options->config,
                                        "Read settings from FILE instead of the nearest "
                                        ".iam-audit.yaml")
                            ->type_name("FILE");
  cmd->add_flag("--no-config", options->no_config, "Read no .iam-audit.yaml")->excludes(config);
  cmd->add_flag("--lint-only", options->lint_only,
                "Only validate and lint the policies, even when the configuration names a "
                "profile")
      ->excludes("--profile");
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
                "Say how many files were checked, skipped and excluded");
  cmd->callback([options, cmd, &ctx] {
    options->audit_options_given.clear();
    for (const char* name :
         {"--var", "--dbt-profiles", "--context", "--each", "--boundary", "--scp"}) {
      if (cmd->get_option(name)->count() > 0) options->audit_options_given.push_back(name);
    }
    ctx.exit_code = RunCheck(*options, ctx);
  });
}

}  // namespace iam_audit::cli
