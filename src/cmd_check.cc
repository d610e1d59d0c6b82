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
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "check_gate.h"
#include "cli.h"
#include "iam_audit/atomic_file.h"
#include "iam_audit/audit.h"
#include "iam_audit/config.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/lint.h"
#include "iam_audit/parallel.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/profile.h"
#include "iam_audit/profile_vars.h"
#include "iam_audit/report.h"
#include "iam_audit/severity.h"
#include "iam_audit/source_file.h"
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

// Reads and parses one policy file, printing its diagnostics. nullopt when it
// is unreadable or invalid.
std::optional<Policy> LoadPolicy(const std::string& path, Context& ctx) {
  SourceFile source;
  try {
    source = ReadSourceFile(path, ctx.in, json::kMaxDocumentBytes);
  } catch (const InputError& e) {
    ctx.err << e.what() << '\n';
    return std::nullopt;
  }
  PolicyParseResult result = ParsePolicy(source.text, source.name);
  PrintDiagnostics(ctx.err, result.errors, result.warnings);
  return std::move(result.policy);
}

// One POLICY file, read and parsed (possibly on a worker thread) in whatever
// format it is (policy_source.h): its diagnostics are kept, to be printed in
// file order.
struct LoadedFile {
  bool valid = false;         // read, recognized, and every document valid
  PolicySourceResult source;  // the policies and the principals they apply to
  std::string diagnostics;
  std::size_t warnings = 0;  // the reader's warnings (pitfalls IAM accepts...)
  bool skipped = false;      // plainly not IAM (--skip-non-iam, or found in a directory)
};

LoadedFile LoadFile(const std::string& path, std::istream& in, bool skip_non_iam,
                    const PolicySourceOptions& source_options) {
  LoadedFile out;
  try {
    const SourceFile source = ReadSourceFile(path, in, json::kMaxDocumentBytes);
    if (skip_non_iam && !MightHoldPolicies(source.text)) {
      out.skipped = true;
      return out;
    }
    out.source = LoadPolicySource(source, source_options);
  } catch (const InputError& e) {
    out.diagnostics = std::string(e.what()) + '\n';
    return out;
  }
  if (source_options.allow_unrecognized && out.source.format == InputFormat::kAuto) {
    out.skipped = true;  // found in a directory, in no format iam-audit reads
    return out;
  }
  std::ostringstream diagnostics;
  PrintDiagnostics(diagnostics, out.source.errors, out.source.warnings, out.source.notes);
  out.diagnostics = diagnostics.str();
  out.warnings = out.source.warnings.size();
  out.valid = out.source.ok();
  return out;
}

// --var NAME=VALUE as CloudFormation parameter values (the reader takes the
// ones a template uses; policy_source.h).
std::map<std::string, std::string, std::less<>> SourceVariables(const CheckOptions& options) {
  std::map<std::string, std::string, std::less<>> out;
  for (VariableInput& v : ParseVarAssignments(options.vars.vars)) {
    out[v.name] = std::move(v.values.front());
  }
  return out;
}

// Every file, on `jobs` threads; diagnostics printed in file order. Files
// found by a directory scan (`scanned`) in a format iam-audit does not read
// are skipped rather than errors.
std::vector<LoadedFile> LoadFiles(const std::vector<std::string>& files,
                                  const std::set<std::string>& scanned, const CheckOptions& options,
                                  Context& ctx) {
  PolicySourceOptions source_options;
  source_options.format = *ParseInputFormat(options.input_format);
  source_options.principal = options.principal;
  source_options.variables = SourceVariables(options);
  PolicySourceOptions scan_options = source_options;
  scan_options.allow_unrecognized = source_options.format == InputFormat::kAuto;
  const auto load = [&](std::size_t i, std::istream& in) {
    return LoadFile(files[i], in, options.skip_non_iam,
                    scanned.count(files[i]) > 0 ? scan_options : source_options);
  };
  std::vector<LoadedFile> loaded(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {  // standard input: here, once
    if (files[i] == "-") loaded[i] = load(i, ctx.in);
  }
  ParallelFor(files.size(), options.jobs, [&](std::size_t i) {
    if (files[i] != "-") loaded[i] = load(i, ctx.in);
  });
  for (const LoadedFile& f : loaded) ctx.err << f.diagnostics;
  return loaded;
}

RequestContext ParseContext(const std::vector<std::string>& assignments) {
  RequestContext context;
  Diagnostics errors;
  for (const std::string& arg : assignments) {
    const std::size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      errors.push_back({"", {}, "--context " + Quoted(arg) + ": expected KEY=VALUE"});
      continue;
    }
    context.Add(std::string_view(arg).substr(0, eq), arg.substr(eq + 1));
  }
  if (!errors.empty()) throw InputError(std::move(errors));
  return context;
}

// One set of files with the same settings, audited against one profile, or
// linted (no profile).
struct AuditGroup {
  std::vector<std::size_t> files;  // indexes into the loaded files
  ResolvedSettings settings;
  Report report;
  AuditOptions audit_options;
};

// The profile, variables and context of a group: its report's requirements
// (none for a group that is only linted). `source_vars`: the --var names the
// policy files used as CloudFormation parameters; those the profile does not
// have are not profile variables.
void PrepareGroup(AuditGroup& group, const Catalog& catalog,
                  const std::set<std::string>& source_vars) {
  const ResolvedSettings& s = group.settings;
  group.report.catalog = CatalogLabel(catalog);
  if (s.profile.empty()) return;
  const Profile profile = LoadProfile(s.profile, catalog);
  VariableOptions vars = s.vars;
  vars.vars.clear();
  const std::vector<VariableInput> given = ParseVarAssignments(s.vars.vars);
  for (std::size_t i = 0; i < given.size(); ++i) {
    const std::string& name = given[i].name;
    if (source_vars.count(name) == 0 || profile.FindVariable(name) != nullptr) {
      vars.vars.push_back(s.vars.vars[i]);
    }
  }
  const Bindings bindings = ResolveVariables(profile, vars, s.config_vars);
  group.report.profile = profile.name();
  group.report.requirements = profile.Requirements(bindings);
  group.audit_options.profile_name = profile.name();
  group.audit_options.context = ParseContext(s.context);
}

int RunCheck(const CheckOptions& options, Context& ctx) {
  const Config config = LoadCheckConfig(options.config, options.no_config);
  const InputFiles inputs = ExpandInputs(options.policies, config);
  if (!inputs.empty_directories.empty()) {
    Diagnostics errors;
    for (const std::string& dir : inputs.empty_directories) {
      errors.push_back({dir,
                        {},
                        "no policy files found below it (" + std::to_string(inputs.excluded) +
                            " excluded, " + std::to_string(inputs.skipped) + " plainly not IAM)"});
    }
    throw InputError(std::move(errors));
  }

  // Settings per group of files; the audit groups' profiles are loaded first
  // (a bad profile or variable stops everything).
  const CommandLineSettings cli{options.profile, options.vars, options.context, options.each};
  const std::vector<FileGroup> file_groups = GroupBySettings(inputs.files, config);
  std::vector<std::string> files;  // in group order
  std::vector<AuditGroup> groups;
  for (const FileGroup& g : file_groups) {
    AuditSettings settings = config.defaults;
    for (const std::size_t o : g.overrides) settings.Merge(config.overrides[o].settings);
    AuditGroup group;
    group.settings = ResolveSettings(settings, cli);
    if (options.lint_only) group.settings.profile.clear();
    for (const std::string& f : g.files) {
      group.files.push_back(files.size());
      files.push_back(f);
    }
    groups.push_back(std::move(group));  // without a profile: linted
  }
  const bool audit = std::any_of(groups.begin(), groups.end(),
                                 [](const AuditGroup& g) { return !g.settings.profile.empty(); });
  if (!audit && !options.audit_options_given.empty()) {
    throw InputError(options.audit_options_given.front() +
                     " needs a profile: give --profile NAME|PATH, or set profile: in " +
                     (config.file.empty() ? std::string(kConfigFileName) : config.file) +
                     (options.lint_only ? " (and drop --lint-only)" : ""));
  }
  if (!ParseInputFormat(options.input_format)) {
    throw InputError("--input-format: unknown format '" + options.input_format + "'");
  }

  // Every file is read and parsed (all errors reported) before giving up.
  std::vector<LoadedFile> loaded = LoadFiles(files, inputs.scanned, options, ctx);
  bool valid = true;
  std::size_t skipped = inputs.skipped;
  std::set<std::string> source_vars;
  for (const LoadedFile& f : loaded) {
    skipped += f.skipped ? 1 : 0;
    valid = valid && (f.skipped || f.valid);
    source_vars.insert(f.source.variables_used.begin(), f.source.variables_used.end());
  }
  const Catalog& catalog = ctx.catalog();
  for (AuditGroup& group : groups) PrepareGroup(group, catalog, source_vars);
  if (options.verbose) {
    ctx.err << "iam-audit: " << (loaded.size() - (skipped - inputs.skipped)) << " files checked, "
            << skipped << " skipped as plainly not IAM, " << inputs.excluded << " excluded"
            << (config.file.empty() ? "" : " (configuration " + config.file + ")") << '\n';
  }
  PolicySet caps;  // boundary and SCP levels, shared by every audit run
  if (audit) {
    if (!options.boundary.empty()) {
      caps.boundary = LoadPolicy(options.boundary, ctx);
      valid = valid && caps.boundary.has_value();
    }
    for (const std::string& path : options.scps) {
      std::optional<Policy> p = LoadPolicy(path, ctx);
      if (p) caps.scps.push_back({std::move(*p)});
      valid = valid && p.has_value();
    }
  }
  if (!valid) return kExitUsage;

  // The runs of every group. Linted files stand alone: one run per file,
  // with every policy document it holds. For an audit, a principal a file
  // describes (a role of account authorization details, a CloudFormation or
  // Terraform role) is audited on its own, with its own boundary; the single
  // policies of bare documents and AWS CLI output are one principal's, all
  // together, unless --each makes every file (every principal) its own run.
  struct PendingRun {
    std::size_t group;
    std::vector<std::string> files;
    std::string subject;
    SourceLocation subject_where;  // where the file defines the subject
    PolicySet set;
    AuditResult result;
    // A principal's documents, shared with the other principals that use
    // them: copied into `set` by the worker that audits it, and dropped after.
    const SubjectPolicies* shared = nullptr;
  };
  std::vector<PendingRun> runs;
  const auto subject_run = [&](std::size_t g, const std::string& file, AuditSubject& subject,
                               std::string label) {
    runs.push_back({g, {file}, std::move(label), subject.where, {}, {}, &subject.policies});
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::vector<std::string> names;
    std::vector<Policy> identity;
    for (const std::size_t i : groups[g].files) {
      if (loaded[i].skipped) continue;
      PolicySourceResult& source = loaded[i].source;
      if (groups[g].report.lint()) {
        PolicySet set;
        for (SourcePolicy& p : source.policies) {
          if (p.kind == PolicyKind::kIdentity) set.identity.push_back(std::move(p.policy));
        }
        runs.push_back({g, {files[i]}, "", {}, std::move(set), {}});
        continue;
      }
      const bool single =
          source.format == InputFormat::kPolicy || source.format == InputFormat::kAwsCli;
      for (AuditSubject& subject : source.subjects) {
        if (!single) {
          subject_run(g, files[i], subject, subject.name);
        } else if (groups[g].settings.each) {
          subject_run(g, files[i], subject, "");
        } else {
          names.push_back(files[i]);
          for (const auto& p : subject.policies.identity) identity.push_back(*p);
        }
      }
    }
    if (!identity.empty()) {
      PolicySet set = caps;
      set.identity = std::move(identity);
      runs.push_back({g, names, "", {}, std::move(set), {}});
    }
  }
  ParallelFor(runs.size(), options.jobs, [&](std::size_t i) {
    const AuditGroup& group = groups[runs[i].group];
    if (group.report.lint()) {
      LintResult lint = Lint(catalog, runs[i].set);
      runs[i].result.errors = std::move(lint.errors);
      runs[i].result.findings = std::move(lint.findings);
      return;
    }
    if (const SubjectPolicies* shared = runs[i].shared) {
      PolicySet set = caps;
      for (const auto& p : shared->identity) set.identity.push_back(*p);
      if (!set.boundary && shared->boundary) set.boundary = *shared->boundary;
      runs[i].result = Audit(catalog, set, group.report.requirements, group.audit_options);
    } else {
      runs[i].result = Audit(catalog, runs[i].set, group.report.requirements, group.audit_options);
    }
    // Several principals of one file: each finding says whose it is, and the
    // principal is part of its fingerprint (two roles missing the same
    // permission are two findings for suppressions and baselines).
    if (!runs[i].subject.empty()) {
      for (Finding& f : runs[i].result.findings) {
        f.message = runs[i].subject + ": " + f.message;
        if (f.file.empty()) {  // a principal with no identity policy at all
          f.file = runs[i].files.front();
          f.where = runs[i].subject_where;
        }
        f.fingerprint = Fingerprint(f, f.fingerprint + '\n' + runs[i].subject);
      }
    }
  });
  for (PendingRun& run : runs) {
    if (!run.result.errors.empty()) throw InputError(std::move(run.result.errors));
    groups[run.group].report.runs.push_back(
        {std::move(run.files), std::move(run.result), std::move(run.subject)});
  }
  std::vector<Report> reports;
  for (AuditGroup& group : groups) {
    if (!group.report.runs.empty()) reports.push_back(std::move(group.report));
  }
  const std::string fail_on =
      !options.fail_on.empty() ? options.fail_on : config.fail_on.value_or("error");
  // The parser's warnings of linted files count from --fail-on warning.
  std::size_t warnings = 0;
  for (const AuditGroup& group : groups) {
    if (!group.report.lint()) continue;
    for (const std::size_t i : group.files) warnings += loaded[i].warnings;
  }
  const bool warnings_fail = warnings > 0 && (fail_on == "warning" || fail_on == "note");
  if (reports.empty()) return warnings_fail ? kExitFindings : kExitClean;  // every file skipped

  GateOptions gate;
  gate.write_baseline = options.write_baseline;
  if (!options.no_baseline) {
    gate.baseline = !options.baseline.empty() ? options.baseline : config.baseline.value_or("");
  }
  ApplyGate(reports, config, gate);

  std::ostringstream text;
  const bool terminal = options.output.empty() && &ctx.out == &std::cout && ::isatty(1) == 1;
  WriteReports(reports, options.format, WantColor(terminal, std::getenv("NO_COLOR")), text);
  if (options.output.empty()) {
    ctx.out << text.str() << std::flush;
  } else {
    WriteFileAtomically(options.output, text.str());
  }
  return GateExitCode(reports, fail_on) != 0 || warnings_fail ? kExitFindings : kExitClean;
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
  cmd->add_option("--format", options->format, "Report format (github: workflow commands)")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
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
