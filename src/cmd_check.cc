// `iam-audit [check] POLICY...`: validates policy documents and, with
// --profile, audits them against a profile.
//
// Without --profile: each file is read (bounded, see source_file.h) and
// parsed; every error is printed as FILE:LINE:COLUMN: message and every
// warning as FILE:LINE:COLUMN: warning: message, in source order. Exit code 0
// when every file is a valid policy, 2 otherwise.
//
// With --profile NAME|PATH (docs/audit.md, docs/output.md):
//   iam-audit [check] POLICY... --profile NAME|PATH [--var K=V]...
//       [--dbt-profiles P [--dbt-profile N] [--dbt-target T]] [--context K=V]...
//       [--format text|json|sarif] [--output FILE] [--fail-on error|warning|note|never]
//       [--each] [--boundary F] [--scp F]...
// All POLICY files are one principal's identity policies (--each: each file
// on its own); --boundary is its permissions boundary and each --scp one SCP
// level (root first). The report goes to stdout, or atomically to --output.
// Exit code 0 when no finding is at or above --fail-on (default error), 1
// otherwise, 2 for usage, input and profile errors (never 1 for those).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "cli.h"
#include "iam_audit/atomic_file.h"
#include "iam_audit/audit.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/policy.h"
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

  // The audit (all need --profile).
  std::string profile;
  VariableOptions vars;
  std::vector<std::string> context;  // KEY=VALUE
  std::string format = "text";
  std::string output;
  std::string fail_on = "error";
  bool each = false;
  std::string boundary;
  std::vector<std::string> scps;
};

// Errors and warnings of one file, merged in source order.
void PrintDiagnostics(std::ostream& err, const PolicyParseResult& result) {
  std::size_t e = 0, w = 0;
  const auto before = [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.where.line, a.where.column) <= std::pair(b.where.line, b.where.column);
  };
  while (e < result.errors.size() || w < result.warnings.size()) {
    const bool take_error =
        w == result.warnings.size() ||
        (e < result.errors.size() && before(result.errors[e], result.warnings[w]));
    if (take_error) {
      err << result.errors[e++].ToString() << '\n';
    } else {
      Diagnostic warning = result.warnings[w++];
      warning.message = "warning: " + warning.message;
      err << warning.ToString() << '\n';
    }
  }
}

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
  PrintDiagnostics(ctx.err, result);
  return std::move(result.policy);
}

int RunParseOnly(const CheckOptions& options, Context& ctx) {
  bool all_valid = true;
  for (const std::string& path : options.policies) {
    if (!LoadPolicy(path, ctx)) all_valid = false;
  }
  return all_valid ? kExitClean : kExitUsage;
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

int RunAudit(const CheckOptions& options, Context& ctx) {
  const Catalog& catalog = ctx.catalog();
  const Profile profile = LoadProfile(options.profile, catalog);
  const Bindings bindings = ResolveVariables(profile, options.vars);
  Report report;
  report.profile = profile.name();
  report.catalog = CatalogLabel(catalog);
  report.requirements = profile.Requirements(bindings);

  AuditOptions audit_options;
  audit_options.profile_name = profile.name();
  audit_options.context = ParseContext(options.context);

  // Every policy is read and parsed (all errors reported) before giving up.
  bool valid = true;
  std::vector<Policy> identity;
  std::vector<std::string> names;
  for (const std::string& path : options.policies) {
    if (std::optional<Policy> p = LoadPolicy(path, ctx)) {
      names.push_back(p->file);
      identity.push_back(std::move(*p));
    } else {
      valid = false;
    }
  }
  PolicySet caps;  // boundary and SCP levels, shared by every run
  if (!options.boundary.empty()) {
    caps.boundary = LoadPolicy(options.boundary, ctx);
    valid = valid && caps.boundary.has_value();
  }
  for (const std::string& path : options.scps) {
    std::optional<Policy> p = LoadPolicy(path, ctx);
    if (p) caps.scps.push_back({std::move(*p)});
    valid = valid && p.has_value();
  }
  if (!valid) return kExitUsage;

  // One run with every file, or one per file.
  std::vector<std::pair<std::vector<std::string>, PolicySet>> runs;
  if (options.each) {
    for (std::size_t i = 0; i < identity.size(); ++i) {
      PolicySet set = caps;
      set.identity = {std::move(identity[i])};
      runs.emplace_back(std::vector<std::string>{names[i]}, std::move(set));
    }
  } else {
    PolicySet set = std::move(caps);
    set.identity = std::move(identity);
    runs.emplace_back(names, std::move(set));
  }
  for (auto& [files, set] : runs) {
    AuditResult result = Audit(catalog, set, report.requirements, audit_options);
    if (!result.errors.empty()) throw InputError(std::move(result.errors));
    report.runs.push_back({files, std::move(result)});
  }

  std::ostringstream text;
  if (options.format == "json") {
    WriteJsonReport(report, text);
  } else if (options.format == "sarif") {
    WriteSarifReport(report, text);
  } else {
    const bool terminal = options.output.empty() && &ctx.out == &std::cout && ::isatty(1) == 1;
    WriteTextReport(report, {WantColor(terminal, std::getenv("NO_COLOR"))}, text);
  }
  if (options.output.empty()) {
    ctx.out << text.str() << std::flush;
  } else {
    WriteFileAtomically(options.output, text.str());
  }

  if (options.fail_on == "never") return kExitClean;
  const Severity threshold = ParseSeverity(options.fail_on).value_or(Severity::kError);
  return CountFindings(report).AtOrAbove(threshold) > 0 ? kExitFindings : kExitClean;
}

int RunCheck(const CheckOptions& options, Context& ctx) {
  return options.profile.empty() ? RunParseOnly(options, ctx) : RunAudit(options, ctx);
}

}  // namespace

void RegisterCheckCommand(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check",
      "Check that each POLICY is a valid IAM policy document and, with --profile, audit the "
      "policies against a profile (the default command)");
  cmd->add_option("POLICY", options->policies, "Policy JSON files ('-' reads standard input)")
      ->required();
  CLI::Option* profile =
      cmd->add_option("--profile", options->profile,
                      "Audit against this profile: a built-in name (see `iam-audit profiles`) "
                      "or a profile YAML file")
          ->type_name("NAME|PATH");
  AddVariableOptions(*cmd, options->vars);
  for (const char* name : {"--var", "--dbt-profiles"}) cmd->get_option(name)->needs(profile);
  cmd->add_option("--context", options->context,
                  "Request context KEY=VALUE the audited calls carry (repeatable; repeating a "
                  "key gives it several values); overrides the profile's")
      ->type_name("KEY=VALUE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->needs(profile);
  cmd->add_option("--format", options->format, "Report format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->needs(profile);
  cmd->add_option("--output", options->output,
                  "Write the report to FILE (atomically) instead of standard output")
      ->type_name("FILE")
      ->needs(profile);
  cmd->add_option("--fail-on", options->fail_on,
                  "Exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}))
      ->needs(profile);
  cmd->add_flag("--each", options->each, "Audit each POLICY on its own")->needs(profile);
  cmd->add_option("--boundary", options->boundary, "Permissions boundary policy")
      ->type_name("FILE")
      ->needs(profile);
  cmd->add_option("--scp", options->scps,
                  "Service control policy, one per organization level, root first (repeatable)")
      ->type_name("FILE")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->needs(profile);
  cmd->callback([options, &ctx] { ctx.exit_code = RunCheck(*options, ctx); });
}

}  // namespace iam_audit::cli
