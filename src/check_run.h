// CheckRun: the planning and running of what `iam-audit check` audits, apart
// from the command line (cmd_check.cc parses the options and calls this).
//
//   CheckRequest request;  // the files and the command line's settings
//   const CheckOutcome outcome = RunCheckPlan(request, config, ctx);
//   // then the gate (check_gate.h) and the writers (output_format.h)
//
// The plan: the input files (directories expanded, excludes dropped;
// check_gate.h) are grouped by their settings (the configuration's
// overrides); each group is audited against its profile, or linted when it
// has none. Every file is read and parsed on `jobs` threads, its diagnostics
// printed on ctx.err in file order (its errors and warnings only when no
// report on standard output shows them: CheckRequest::report_shows_input). The runs: a linted file
// stands alone (one run per file, with every identity policy it holds); for an audit, a principal a
// file describes (a role of account authorization details, a CloudFormation or Terraform role) is
// audited on its own with its own boundary; the policies of bare documents and AWS CLI output are
// one principal's, all together, unless `each` makes every file its own run. The runs execute on
// `jobs` threads; the reports come out in a fixed order whatever the number.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "config.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/report.h"
#include "suppression.h"

namespace iam_audit::cli {

// What the command line asks for.
struct CheckRequest {
  std::vector<std::string> policies;  // files and directories; "-" is standard input
  CommandLineSettings settings;       // --profile, --var..., --context, --each
  std::string boundary;               // --boundary FILE
  std::vector<std::string> scps;      // --scp FILE..., root first
  // The resource side (docs/audit.md, "Resource policies").
  std::vector<std::string> resource_policies;  // --resource-policy ARN=FILE...
  std::vector<std::string> resource_accounts;  // --resource-account ARN=ACCOUNT...
  std::vector<std::string> rcps;               // --rcp FILE..., root first
  std::vector<std::string> vpc_endpoints;      // --vpc-endpoint-policy [SERVICE=]FILE...
  std::string principal_arn;                   // --principal-arn
  std::string principal_account;               // --principal-account
  bool lint_only = false;                      // ignore any profile
  std::optional<LintPolicyType> policy_type;   // --policy-type: lint every document as this
  bool skip_non_iam = false;                   // named files plainly not IAM are skipped
  bool verbose = false;                        // say on ctx.err how many files were checked
  // A text or github report goes to standard output and shows the files'
  // errors and warnings: they are not printed on ctx.err too.
  bool report_shows_input = false;
  InputFormat input_format = InputFormat::kAuto;
  std::string principal;  // only this principal of files that describe several
  unsigned jobs = 0;      // threads (0: one per core)
  // The options given that only an audit uses (an error without a profile).
  std::vector<std::string> audit_options_given;
};

struct CheckOutcome {
  std::vector<Report> reports;  // one per group of files with something to report
  // A file could not be read or parsed (exit 2). Its errors are findings
  // (invalid-policy) of its group's report, and the other files are still
  // audited; without a readable --boundary/--scp no audit runs.
  bool input_error = false;
  // The in-template suppressions of the files read (CloudFormation Metadata),
  // for the gate (GateOptions::template_suppressions).
  std::vector<Suppression> template_suppressions;
};

// Plans the runs and executes them. Throws InputError for what stops
// everything (a directory with no policy file, a bad profile or variable,
// options that need a profile without one).
CheckOutcome RunCheckPlan(const CheckRequest& request, const Config& config, Context& ctx);

}  // namespace iam_audit::cli
