#include "check_run.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "builtin_profiles.h"
#include "check_gate.h"
#include "iam_audit/audit.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy.h"
#include "iam_audit/profile.h"
#include "iam_audit/resource_policy.h"
#include "iam_audit/source_file.h"
#include "parallel.h"
#include "profile_vars.h"
#include "source_variables.h"
#include "template_suppressions.h"

namespace iam_audit::cli {
namespace {

// A file's errors and warnings as findings (invalid-policy, policy-warning),
// in source order: they appear in every format and count like the others.
std::vector<Finding> InputFindings(const std::string& file, const Diagnostics& errors,
                                   const Diagnostics& warnings) {
  std::vector<Finding> out;
  const auto add = [&](FindingId id, const Diagnostic& d) {
    Finding f = MakeFinding(id, d.file.empty() ? file : d.file, d.where);
    f.message = d.message;
    f.fingerprint = Fingerprint(f, d.message);
    out.push_back(std::move(f));
  };
  for (const Diagnostic& d : errors) add(FindingId::kInvalidPolicy, d);
  for (const Diagnostic& d : warnings) add(FindingId::kPolicyWarning, d);
  SortFindings(out);
  return out;
}

// The diagnostics of an InputError (its message when it has none).
Diagnostics ErrorsOf(const InputError& e, const std::string& path) {
  if (!e.diagnostics().empty()) return e.diagnostics();
  return {{path, {}, e.what()}};
}

// One policy file given with --boundary or --scp, read and parsed, its
// diagnostics printed when `print`. `policy` is nullopt when it is unreadable or invalid.
struct LoadedPolicy {
  std::optional<Policy> policy;
  std::vector<Finding> findings;  // InputFindings()
};

LoadedPolicy LoadPolicy(const std::string& path, bool print, Context& ctx) {
  SourceFile source;
  try {
    source = ReadSourceFile(path, ctx.in, json::kMaxDocumentBytes);
  } catch (const InputError& e) {
    if (print) ctx.err << e.what() << '\n';
    return {std::nullopt, InputFindings(path, ErrorsOf(e, path), {})};
  }
  PolicyParseResult result = ParsePolicy(source.text, source.name);
  if (print) PrintDiagnostics(ctx.err, result.errors, result.warnings);
  return {std::move(result.policy), InputFindings(source.name, result.errors, result.warnings)};
}

// One POLICY file, read and parsed (possibly on a worker thread) in whatever
// format it is (policy_source.h): its diagnostics are kept, to be printed in
// file order, and are findings of the report.
struct LoadedFile {
  bool valid = false;             // read, recognized, and every document valid
  PolicySourceResult source;      // the policies and the principals they apply to
  std::string diagnostics;        // its notes, printed on ctx.err
  std::string input_text;         // its errors and warnings, printed unless the report shows them
  std::vector<Finding> findings;  // the reader's errors and warnings (InputFindings())
  bool skipped = false;           // plainly not IAM (--skip-non-iam, or found in a directory)
  bool sniffed_out = false;       // skipped: found in a directory, its first MiB not IAM
};

// `sniff`: a file found in a directory, skipped when its first kSniffBytes
// are plainly not IAM (FindPolicyFiles' test, made here: Sniff::kLeaveToReader).
LoadedFile LoadFile(const std::string& path, std::istream& in, bool skip_non_iam, bool sniff,
                    const PolicySourceOptions& source_options) {
  LoadedFile out;
  try {
    const SourceFile source = ReadSourceFile(path, in, json::kMaxDocumentBytes);
    // A found file is sniffed on its first MiB, as a directory scan does; a
    // named one with --skip-non-iam on all of it (no word anywhere is no word
    // in the first MiB: one test decides when both apply).
    if (sniff || skip_non_iam) {
      const std::string_view text =
          std::string_view(source.text).substr(0, sniff ? kSniffBytes : std::string_view::npos);
      if (!MightHoldPolicies(text)) {
        out.skipped = true;
        out.sniffed_out = sniff;
        return out;
      }
    }
    out.source = LoadPolicySource(source, source_options);
  } catch (const InputError& e) {
    if (sniff && !FileMightHoldPolicies(path)) {  // too large to read, and not IAM
      out.skipped = out.sniffed_out = true;
      return out;
    }
    out.input_text = std::string(e.what()) + '\n';
    out.findings = InputFindings(path, ErrorsOf(e, path), {});
    return out;
  }
  if (source_options.allow_unrecognized && out.source.format == InputFormat::kAuto) {
    out.skipped = true;  // in no format iam-audit reads
    return out;
  }
  if (!out.source.errors.empty() || !out.source.warnings.empty()) {
    std::ostringstream input;
    PrintDiagnostics(input, out.source.errors, out.source.warnings);
    out.input_text = input.str();
  }
  if (!out.source.notes.empty()) {
    std::ostringstream notes;
    PrintDiagnostics(notes, {}, {}, out.source.notes);
    out.diagnostics = notes.str();
  }
  out.findings = InputFindings(path, out.source.errors, out.source.warnings);
  out.valid = out.source.ok();
  if (!out.valid && out.source.errors.empty()) {
    out.findings = InputFindings(path, {{path, {}, "not a valid policy file"}}, {});
  }
  return out;
}

// An error for each directory given that holds no file to check: none found,
// or every one found plainly not IAM (`loaded` parallel to `files`).
void CheckNoEmptyDirectory(const InputFiles& inputs, const std::vector<std::string>& files,
                           const std::vector<LoadedFile>& loaded) {
  std::vector<bool> checked(inputs.directories.size(), false);
  std::size_t not_iam = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto it = inputs.scanned.find(files[i]);
    if (it == inputs.scanned.end()) continue;
    if (loaded[i].sniffed_out) {
      ++not_iam;
    } else {
      checked[it->second] = true;
    }
  }
  Diagnostics errors;
  for (std::size_t d = 0; d < inputs.directories.size(); ++d) {
    if (checked[d]) continue;
    errors.push_back({inputs.directories[d],
                      {},
                      "no policy files found below it (" + std::to_string(inputs.excluded) +
                          " excluded, " + std::to_string(not_iam) + " plainly not IAM)"});
  }
  if (!errors.empty()) throw InputError(std::move(errors));
}

// Every file, on `jobs` threads; diagnostics printed in file order. Files
// found by a directory scan (inputs.scanned), or named with --skip-non-iam,
// in a format iam-audit does not read are skipped rather than errors; a
// directory given with nothing to check is an error (CheckNoEmptyDirectory).
// `variables[i]`: the CloudFormation parameters files[i] is read with (its
// group's; source_variables.h).
std::vector<LoadedFile> LoadFiles(const std::vector<std::string>& files, const InputFiles& inputs,
                                  const std::vector<const SourceVariableMap*>& variables,
                                  const CheckRequest& request, Context& ctx) {
  PolicySourceOptions source_options;
  source_options.format = request.input_format;
  source_options.principal = request.principal;
  const auto load = [&](std::size_t i, std::istream& in) {
    PolicySourceOptions file_options = source_options;
    const bool found = inputs.scanned.count(files[i]) > 0;
    const bool lenient = request.skip_non_iam || found;
    file_options.allow_unrecognized = lenient && source_options.format == InputFormat::kAuto;
    file_options.variables = *variables[i];
    return LoadFile(files[i], in, request.skip_non_iam, found, file_options);
  };
  std::vector<LoadedFile> loaded(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {  // standard input: here, once
    if (files[i] == "-") loaded[i] = load(i, ctx.in);
  }
  ParallelFor(files.size(), request.jobs, [&](std::size_t i) {
    if (files[i] != "-") loaded[i] = load(i, ctx.in);
  });
  CheckNoEmptyDirectory(inputs, files, loaded);
  for (const LoadedFile& f : loaded) {
    ctx.err << (request.report_shows_input ? "" : f.input_text) << f.diagnostics;
  }
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
  LintOptions lint_options;
  std::optional<Profile> profile;                // settings.profile, loaded once (LoadGroupProfile)
  std::vector<std::string> requested_resources;  // RequestedResources(report.requirements)
};

// The group's profile, loaded on first use; nullptr without a profile or
// when it does not load (PrepareGroup loads it again and reports why).
const Profile* LoadGroupProfile(AuditGroup& group, const Catalog& catalog) {
  if (group.settings.profile.empty()) return nullptr;
  if (!group.profile) {
    try {
      group.profile.emplace(LoadProfile(group.settings.profile, catalog));
    } catch (const InputError&) {
      return nullptr;
    }
  }
  return &*group.profile;
}

// The profile, variables and context of a group: its report's requirements
// (none for a group that is only linted). `source_vars`: the --var names the
// policy files used as CloudFormation parameters; those the profile does not
// have are not profile variables.
void PrepareGroup(AuditGroup& group, const Catalog& catalog,
                  const std::set<std::string>& source_vars) {
  const ResolvedSettings& s = group.settings;
  group.report.catalog = CatalogLabel(catalog);
  if (s.profile.empty()) return;
  if (!group.profile) group.profile.emplace(LoadProfile(s.profile, catalog));  // throws why
  const Profile& profile = *group.profile;
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
  group.requested_resources = RequestedResources(group.report.requirements);
  group.audit_options.profile_name = profile.name();
  group.audit_options.context = ParseContext(s.context);
  group.audit_options.accepted_extras = profile.accepted_extras();
}

std::string NeedsAProfile(const std::string& option, const CheckRequest& request,
                          const Config& config) {
  return option + " needs a profile: give --profile NAME|PATH, or set profile: in " +
         (config.file.empty() ? std::string(kConfigFileName) : config.file) +
         (request.lint_only ? " (and drop --lint-only)" : "");
}

// The groups of files with the same settings, and the files in group order.
std::vector<AuditGroup> PlanGroups(const CheckRequest& request, const Config& config,
                                   const InputFiles& inputs, std::vector<std::string>& files) {
  std::vector<AuditGroup> groups;
  for (const FileGroup& g : GroupBySettings(inputs.files, config)) {
    AuditSettings settings = config.defaults;
    for (const std::size_t o : g.overrides) settings.Merge(config.overrides[o].settings);
    AuditGroup group;
    group.settings = ResolveSettings(settings, request.settings);
    if (request.lint_only) group.settings.profile.clear();
    group.lint_options.policy_type = request.policy_type;
    for (const std::string& f : g.files) {
      group.files.push_back(files.size());
      files.push_back(f);
    }
    groups.push_back(std::move(group));  // without a profile: linted
  }
  const bool audit = std::any_of(groups.begin(), groups.end(),
                                 [](const AuditGroup& g) { return !g.settings.profile.empty(); });
  // --var also gives CloudFormation parameters: without a profile it is
  // judged once the files are read (CheckLintVars).
  for (const std::string& option : request.audit_options_given) {
    if (!audit && option != "--var") throw InputError(NeedsAProfile(option, request, config));
  }
  return groups;
}

// Without a profile, every --var must be a parameter (or pseudo parameter) of
// a template read: the notes about unresolved values tell users to pass them.
void CheckLintVars(const CheckRequest& request, const Config& config,
                   const std::set<std::string>& source_vars) {
  for (const VariableInput& v : ParseVarAssignments(request.settings.vars.vars)) {
    if (source_vars.count(v.name) > 0) continue;
    throw InputError(NeedsAProfile("--var " + v.name, request, config) +
                     " (no template read has such a parameter)");
  }
}

// "ARN=VALUE" -> {ARN, VALUE}; an InputError naming `option` and `expected`
// otherwise.
std::pair<std::string, std::string> SplitArnArgument(const std::string& arg,
                                                     std::string_view option,
                                                     std::string_view expected) {
  const std::size_t eq = arg.find('=');
  if (!arg.starts_with("arn:") || eq == std::string::npos) {
    throw InputError(std::string(option) + " " + Quoted(arg) + ": expected " +
                     std::string(expected));
  }
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// --resource-policy, --resource-account, --rcp, --principal-arn and
// --principal-account into `caps`; `load` reads a policy file (and records
// its findings and validity).
template <typename Load>
void LoadResourceSide(const CheckRequest& request, PolicySet& caps, const Load& load) {
  for (const std::string& arg : request.resource_policies) {
    auto [arn, path] = SplitArnArgument(arg, "--resource-policy",
                                        "ARN=FILE (the resource's ARN, then its policy file)");
    std::optional<Policy> p = load(path);
    if (p) caps.resource_policies.push_back({std::move(arn), "", std::move(*p)});
  }
  for (const std::string& arg : request.resource_accounts) {
    caps.resource_accounts.push_back(SplitArnArgument(
        arg, "--resource-account", "ARN=ACCOUNT (a bucket's ARN, then its 12-digit account)"));
  }
  for (const std::string& path : request.rcps) {
    std::optional<Policy> p = load(path);
    if (p) caps.rcps.push_back({std::move(*p)});
  }
  for (const std::string& arg : request.vpc_endpoints) {
    auto [service, path] = SplitEndpointArgument(arg);
    std::optional<Policy> p = load(path);
    if (!p) continue;
    if (Diagnostics problems = EndpointPolicyProblems(*p); !problems.empty()) {
      throw InputError(std::move(problems));
    }
    caps.vpc_endpoints.push_back({std::move(service), std::move(*p)});
  }
  caps.principal = request.principal_arn;
  caps.principal_account = request.principal_account;
}

// The boundary and SCP levels every audit run shares, and their errors and
// warnings as findings; `valid` false when one cannot be read or parsed.
PolicySet LoadCaps(const CheckRequest& request, Context& ctx, bool& valid,
                   std::vector<Finding>& findings) {
  PolicySet caps;
  const auto load = [&](const std::string& path) {
    LoadedPolicy p = LoadPolicy(path, !request.report_shows_input, ctx);
    findings.insert(findings.end(), p.findings.begin(), p.findings.end());
    valid = valid && p.policy.has_value();
    return std::move(p.policy);
  };
  if (!request.boundary.empty()) caps.boundary = load(request.boundary);
  for (const std::string& path : request.scps) {
    std::optional<Policy> p = load(path);
    if (p) caps.scps.push_back({std::move(*p)});
  }
  LoadResourceSide(request, caps, load);
  return caps;
}

// --principal for the files that describe principals (CloudFormation
// templates, Terraform, account authorization details, which select it while
// reading): only the subjects it designates are kept. Throws InputError,
// listing the principals found, when it designates none of them (and when
// the files, all readable, describe none).
void SelectPrincipal(std::vector<LoadedFile>& loaded, const std::string& principal) {
  if (principal.empty()) return;
  std::vector<std::string> found;
  bool any = false, unreadable = false;
  for (LoadedFile& f : loaded) {
    const InputFormat format = f.source.format;
    unreadable = unreadable || (!f.valid && !f.skipped);
    // Authorization details select while reading: their subjects count as found.
    if (!f.valid || !InputFormatHasPrincipals(format)) {
      continue;
    }
    std::vector<AuditSubject>& subjects = f.source.subjects;
    for (const AuditSubject& s : subjects) found.push_back(s.name);
    std::erase_if(subjects,
                  [&](const AuditSubject& s) { return !DesignatesPrincipal(s, principal); });
    any = any || !subjects.empty();
  }
  if (any || (found.empty() && unreadable)) return;  // an unreadable file is reported instead
  throw InputError(UnknownPrincipalMessage(principal, found));
}

// One audit (or lint) run: its policies, and its result once executed.
struct PendingRun {
  std::size_t group;
  std::vector<std::string> files;
  std::string subject;
  SourceLocation subject_where;  // where the file defines the subject
  PolicySet set;
  AuditResult result;
  // A principal and its documents, shared with the other principals that use
  // them: added to `set` by the worker that audits it (with the file's
  // resource side), and dropped after, so memory holds one principal's copies
  // per worker, not every principal's.
  const AuditSubject* shared = nullptr;
  bool input = false;  // only the findings of reading a file (AuditRun::input); not executed
  // A document linted on its own as this type, in any report: a resource
  // policy the file holds (PlanResourcePolicyLint), or in an audit a policy of
  // the file's principals (PlanDocumentLint).
  std::optional<LintPolicyType> lint_as = std::nullopt;
  // With lint_as: the risk model's findings too (a principal's audit assesses
  // the risk of its own documents).
  bool risk = true;
};

// One lint run per resource policy `source` holds, each linted as what holds
// it (a role's trust policy as a trust policy), on its own: two roles' trust
// policies are two documents, not one.
void PlanResourcePolicyLint(std::size_t g, const std::string& file,
                            const PolicySourceResult& source, std::vector<PendingRun>& runs) {
  for (const auto* list : {&source.resource_policies, &source.unattached_resource_policies}) {
    for (const NamedResourcePolicy& r : *list) {
      PendingRun run{g, {file}, "", {}, {}, {}, nullptr, false};
      run.set.identity.push_back(r.policy.policy);
      run.lint_as =
          r.kind == PolicyResourceKind::kRole ? LintPolicyType::kTrust : LintPolicyType::kResource;
      runs.push_back(std::move(run));
    }
  }
}

// In an audit of a file that describes several principals: one lint run per
// policy of the file (SourcePolicy: each document once, however many
// principals use it), so that a managed policy 2,000 roles attach is linted
// (and reported) once, not once per role. Lint looks at one document at a
// time (lint.h), so nothing is lost; the principals' audits then leave lint
// out (ExecuteRun), and assess the risk of their documents themselves.
void PlanDocumentLint(std::size_t g, const std::string& file, PolicySourceResult& source,
                      std::vector<PendingRun>& runs) {
  for (SourcePolicy& p : source.policies) {
    PendingRun run{g, {file}, "", {}, {}, {}, nullptr, false};
    if (p.kind == PolicyKind::kBoundary) {
      run.set.shared_boundary = p.policy;
      run.lint_as = LintPolicyType::kBoundary;
    } else {
      run.set.shared_identity.push_back(p.policy);
      run.lint_as = LintPolicyType::kIdentity;
    }
    run.risk = false;
    runs.push_back(std::move(run));
  }
}

// The runs of group `g` (see check_run.h), appended to `runs`.
void PlanGroupRuns(std::size_t g, const AuditGroup& group, const std::vector<std::string>& files,
                   std::vector<LoadedFile>& loaded, const PolicySet& caps,
                   std::vector<PendingRun>& runs) {
  const auto subject_run = [&](const std::string& file, AuditSubject& subject, std::string label) {
    runs.push_back({g, {file}, std::move(label), subject.where, caps, {}, &subject});
  };
  std::vector<std::string> names;
  std::vector<Policy> identity;
  for (const std::size_t i : group.files) {
    if (loaded[i].skipped) continue;
    if (!loaded[i].findings.empty()) {
      PendingRun input{g, {files[i]}, "", {}, {}, {}, nullptr, true};
      input.result.findings = std::move(loaded[i].findings);
      runs.push_back(std::move(input));
    }
    if (!loaded[i].valid) continue;
    PolicySourceResult& source = loaded[i].source;
    PlanResourcePolicyLint(g, files[i], source, runs);
    if (group.report.lint()) {
      PolicySet set;  // the file's documents, shared, not copied
      for (const SourcePolicy& p : source.policies) {
        // Resource policies too: lint detects each document's type (lint.h).
        if (p.kind == PolicyKind::kIdentity || p.kind == PolicyKind::kResource) {
          set.shared_identity.push_back(p.policy);
        }
      }
      runs.push_back({g, {files[i]}, "", {}, std::move(set), {}});
      continue;
    }
    const bool single = !InputFormatHasPrincipals(source.format);
    if (!single) PlanDocumentLint(g, files[i], source, runs);
    for (AuditSubject& subject : source.subjects) {
      if (!single) {
        subject_run(files[i], subject, subject.name);
      } else if (group.settings.each) {
        subject_run(files[i], subject, "");
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

// Lints or audits one run.
void ExecuteRun(PendingRun& run, const AuditGroup& group, const Catalog& catalog) {
  if (run.input) return;
  if (group.report.lint() || run.lint_as) {
    LintOptions options = group.lint_options;
    if (!options.policy_type) options.policy_type = run.lint_as;  // --policy-type decides
    options.risk = run.risk;
    LintResult lint = Lint(catalog, run.set, options);
    run.result.errors = std::move(lint.errors);
    run.result.findings = std::move(lint.findings);
    // Freed here, on the worker, not at the end on one thread: freeing the
    // documents of 1,645 managed policies took 40 ms of the main thread.
    run.set = {};
    return;
  }
  if (run.shared) {
    // Its documents are shared, not copied, and compiled once for the run
    // (group.audit_options.compile_cache); a --boundary comes first.
    const SubjectPolicies& shared = run.shared->policies;
    run.set.shared_identity = shared.identity;
    run.set.shared_boundary = shared.boundary;
    // The resource policies its requests reach, and the caller's ARN.
    AddSubjectResourceSide(*run.shared, group.requested_resources, run.set);
  }
  AuditOptions options = group.audit_options;
  // A principal of a file that describes several: its documents are linted
  // once for the file (PlanDocumentLint), not once per principal.
  if (run.shared && !run.subject.empty()) options.lint = false;
  run.result = Audit(catalog, run.set, group.report.requirements, options);
  run.set = {};  // freed on the worker, as after a lint
  // Several principals of one file: each finding says whose it is, and the
  // principal is part of its fingerprint (two roles missing the same
  // permission are two findings for suppressions and baselines).
  if (!run.subject.empty()) {
    for (Finding& f : run.result.findings) {
      f.message = run.subject + ": " + f.message;
      f.principal = run.subject;
      if (f.file.empty()) {  // a principal with no identity policy at all
        f.file = run.files.front();
        f.where = run.subject_where;
      }
      f.fingerprint = Fingerprint(f, f.fingerprint + '\n' + run.subject);
    }
  }
}

// The plan once every file is read: --principal, the audit groups' profiles,
// the boundary and SCPs, the runs and their reports.
CheckOutcome RunLoaded(const CheckRequest& request, const Config& config, const InputFiles& inputs,
                       const std::vector<std::string>& files, std::vector<AuditGroup>& groups,
                       std::vector<LoadedFile>& loaded, Context& ctx) {
  const Catalog& catalog = ctx.catalog();
  SelectPrincipal(loaded, request.principal);
  bool valid = true;
  std::size_t skipped = 0;
  std::set<std::string> source_vars;
  for (const LoadedFile& f : loaded) {
    skipped += f.skipped ? 1 : 0;
    valid = valid && (f.skipped || f.valid);
    source_vars.insert(f.source.variables_used.begin(), f.source.variables_used.end());
  }
  CheckOutcome outcome;
  for (const LoadedFile& f : loaded) {
    for (const TemplateSuppression& t : f.source.suppressions) {
      outcome.template_suppressions.push_back(ToSuppression(t));
    }
  }
  for (AuditGroup& group : groups) PrepareGroup(group, catalog, source_vars);
  if (request.verbose) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (loaded[i].skipped) ctx.err << "iam-audit: " << files[i] << ": skipped: plainly not IAM\n";
    }
    ctx.err << "iam-audit: " << (loaded.size() - skipped) << " files checked, " << skipped
            << " skipped as plainly not IAM, " << inputs.excluded << " excluded"
            << (config.file.empty() ? "" : " (configuration " + config.file + ")") << '\n';
  }
  const bool audit = std::any_of(groups.begin(), groups.end(),
                                 [](const AuditGroup& g) { return !g.report.lint(); });
  if (!audit) CheckLintVars(request, config, source_vars);
  // The boundary and SCPs: without them (unreadable or invalid) no audit
  // runs, as its answers would be wrong; their findings go to the first audit.
  const auto first_audit = std::find_if(groups.begin(), groups.end(),
                                        [](const AuditGroup& g) { return !g.report.lint(); });
  std::vector<Finding> cap_findings;
  bool caps_valid = true;
  const PolicySet caps = audit ? LoadCaps(request, ctx, caps_valid, cap_findings) : PolicySet{};
  outcome.input_error = !valid || !caps_valid;
  std::vector<PendingRun> runs;
  // Most files make one run or two (their reading's findings, their lint):
  // growing the vector moved every PendingRun, a PolicySet and a result,
  // on the main thread while the workers waited (4 ms for 1,645 files).
  runs.reserve(2 * files.size() + 1);
  if (!cap_findings.empty()) {
    PendingRun input{
        static_cast<std::size_t>(first_audit - groups.begin()), {}, "", {}, {}, {}, nullptr, true};
    for (const Finding& f : cap_findings) input.files.push_back(f.file);
    input.result.findings = std::move(cap_findings);
    runs.push_back(std::move(input));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (!caps_valid && !groups[g].report.lint()) continue;
    PlanGroupRuns(g, groups[g], files, loaded, caps, runs);
  }
  // A principal's shared documents (an account's managed policies) are
  // compiled once for every principal that uses them.
  PolicyCompileCache compiled;
  for (AuditGroup& group : groups) group.audit_options.compile_cache = &compiled;
  ParallelFor(runs.size(), request.jobs,
              [&](std::size_t i) { ExecuteRun(runs[i], groups[runs[i].group], catalog); });
  for (AuditGroup& group : groups) group.audit_options.compile_cache = nullptr;
  // The files' documents are freed by the workers too (the runs hold no
  // more of them): on the main thread, at exit, the 1,645 managed policies
  // took 25 ms.
  ParallelFor(loaded.size(), request.jobs, [&](std::size_t i) { loaded[i].source = {}; });
  std::vector<std::size_t> group_runs(groups.size(), 0);
  for (const PendingRun& run : runs) ++group_runs[run.group];
  for (std::size_t g = 0; g < groups.size(); ++g) groups[g].report.runs.reserve(group_runs[g]);
  for (PendingRun& run : runs) {
    if (!run.result.errors.empty()) {
      // A policy that parses but does not compile (a policy variable in a
      // Numeric value): its errors are invalid-policy findings, as a reader's
      // are, so that every format reports them (exit 2).
      PrintDiagnostics(ctx.err, run.result.errors, {});
      std::vector<Finding> input =
          InputFindings(run.files.empty() ? "" : run.files.front(), run.result.errors, {});
      run.result.findings.insert(run.result.findings.begin(), input.begin(), input.end());
      run.result.errors.clear();
      outcome.input_error = true;
    }
    // In an audit report, a document's own lint is listed before the audits,
    // with the findings of reading the files.
    const bool input = run.input || (run.lint_as && !groups[run.group].report.lint());
    groups[run.group].report.runs.push_back(
        {std::move(run.files), std::move(run.result), std::move(run.subject), input});
  }
  for (AuditGroup& group : groups) {
    if (!group.report.runs.empty()) outcome.reports.push_back(std::move(group.report));
  }
  return outcome;
}

}  // namespace

CheckOutcome RunCheckPlan(const CheckRequest& request, const Config& config, Context& ctx) {
  const InputFiles inputs = ExpandInputs(request.policies, config);
  // The audit groups' profiles are loaded first (a bad profile or variable
  // stops everything); every file is read and parsed (all errors reported)
  // before giving up.
  std::vector<std::string> files;  // in group order
  std::vector<AuditGroup> groups = PlanGroups(request, config, inputs, files);
  // Each file is read with its group's CloudFormation parameters: the --var
  // assignments and the pseudo parameters of the group's profile.
  const Catalog& catalog = ctx.catalog();
  std::vector<SourceVariableMap> group_vars;
  std::vector<const SourceVariableMap*> file_vars(files.size());
  for (AuditGroup& group : groups) {
    group_vars.push_back(
        SourceVariables(group.settings, catalog, LoadGroupProfile(group, catalog)));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const std::size_t i : groups[g].files) file_vars[i] = &group_vars[g];
  }
  std::vector<LoadedFile> loaded = LoadFiles(files, inputs, file_vars, request, ctx);
  try {
    return RunLoaded(request, config, inputs, files, groups, loaded, ctx);
  } catch (const InputError&) {
    // No report shows the files' errors and warnings: print them here.
    if (request.report_shows_input) {
      for (const LoadedFile& f : loaded) ctx.err << f.input_text;
    }
    throw;
  }
}

}  // namespace iam_audit::cli
