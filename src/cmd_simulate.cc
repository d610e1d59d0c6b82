// `iam-audit simulate`: decides requests against a principal's policies,
// offline, with the evaluation engine (evaluator.h).
//
//   iam-audit simulate POLICY... --action A --resource R [--context KEY=VALUE]...
//       [--boundary F] [--scp F]... [--session-policy F]
//       [--resource-policy [ARN=]F]... [--rcp F]... [--principal ARN|anonymous]
//       [--principal-arn ARN] [--principal-account ID] [--unknown-context]
//       [--format text|json]
//       [--var NAME=VALUE]...   (CloudFormation parameters of a template)
//   iam-audit simulate POLICY... --requests FILE|-   (JSON lines in, JSON lines out)
//
// All POLICY files are the identity policies of one principal; they may be in
// any format `check` reads (policy_source.h): a file describing several
// principals (authorization details, a template) needs --principal NAME|ARN
// to pick the caller, whose boundary it then also gives. Each --scp is
// one level of the organization (root first); every level must allow.
// `--context KEY=VALUE` may be repeated: repeating a key gives it a list of
// values (a multivalued key). `--unknown-context` switches to three-valued
// evaluation: keys not given are unknown, and the decision can be
// "conditional". Resource policies, the caller and cross-account requests:
// docs/evaluation.md section 1.
//
// Exit code: 0 whatever the decisions (simulate reports, it does not gate);
// 2 for usage errors, unreadable or invalid policies, and (after every other
// line has been answered) when a --requests line was malformed.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli.h"
#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/json.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/principal.h"
#include "iam_audit/resource_policy.h"
#include "iam_audit/source_file.h"
#include "source_variables.h"

namespace iam_audit::cli {
namespace {

struct SimulateOptions {
  std::vector<std::string> policies;
  std::string action;
  std::string resource;
  std::vector<std::string> context;
  std::string boundary;
  std::vector<std::string> scps;
  std::string session_policy;
  std::vector<std::string> resource_policies;  // "FILE" or "ARN=FILE"
  std::vector<std::string> rcps;
  std::vector<std::string> resource_accounts;  // "ARN=ACCOUNT"
  std::vector<std::string> vpc_endpoints;      // "[SERVICE=]FILE"
  std::string principal;
  std::string principal_arn;
  std::string principal_account;
  std::vector<std::string> vars;  // CloudFormation parameters: NAME=VALUE
  std::string requests;
  std::string format = "text";
  bool unknown_context = false;
};

// --- inputs --------------------------------------------------------------------

// Reads and parses one policy file; errors go to `errors`.
std::optional<Policy> LoadPolicy(const std::string& path, Context& ctx, Diagnostics* errors) {
  try {
    const SourceFile source = ReadSourceFile(path, ctx.in, json::kMaxDocumentBytes);
    PolicyParseResult result = ParsePolicy(source.text, source.name);
    errors->insert(errors->end(), result.errors.begin(), result.errors.end());
    return std::move(result.policy);
  } catch (const InputError& e) {
    errors->insert(errors->end(), e.diagnostics().begin(), e.diagnostics().end());
    return std::nullopt;
  }
}

// Reads one POLICY file in whatever format it is (policy_source.h) into the
// caller's identity policies (and boundary, when the file gives one). A file
// describing several principals needs --principal to say which is calling.
void LoadIdentity(const SimulateOptions& o, const std::string& path, Context& ctx, PolicySet& set,
                  std::optional<Policy>& file_boundary, std::string* subject_arn,
                  Diagnostics* errors) {
  try {
    const SourceFile file = ReadSourceFile(path, ctx.in, json::kMaxDocumentBytes);
    PolicySourceOptions options;
    options.principal = o.principal;
    options.variables = SourceVariables(o.vars);
    PolicySourceResult source = LoadPolicySource(file, options);
    PrintDiagnostics(ctx.err, {}, source.warnings, source.notes);
    if (!source.ok()) {
      errors->insert(errors->end(), source.errors.begin(), source.errors.end());
      return;
    }
    // --principal also picks among the principals of a template, a plan or
    // authorization details (DesignatesPrincipal), and must name one of
    // them, even the only one. With the other formats it is the caller's ARN.
    const InputFormat format = source.format;
    if (!o.principal.empty() && InputFormatHasPrincipals(format)) {
      std::vector<std::string> found;
      for (const AuditSubject& s : source.subjects) found.push_back(s.name);
      std::erase_if(source.subjects,
                    [&](const AuditSubject& s) { return !DesignatesPrincipal(s, o.principal); });
      if (source.subjects.empty()) {
        errors->push_back({file.name,
                           {},
                           UnknownPrincipalMessage(o.principal, found) +
                               "\n(to give the caller's ARN, name the principal with --principal "
                               "and its ARN with --principal-arn)"});
        return;
      }
    }
    if (source.subjects.size() > 1) {
      std::string names;
      for (const AuditSubject& s : source.subjects) names += (names.empty() ? "" : ", ") + s.name;
      errors->push_back({file.name,
                         {},
                         "it describes " + std::to_string(source.subjects.size()) +
                             " principals (" + names +
                             "): say which one makes the request with --principal NAME|ARN"});
      return;
    }
    for (AuditSubject& s : source.subjects) {
      for (const auto& p : s.policies.identity) set.identity.push_back(*p);
      if (s.policies.boundary) file_boundary = *s.policies.boundary;
      if (!s.arn.empty() && !o.principal.empty()) *subject_arn = s.arn;
    }
  } catch (const InputError& e) {
    errors->insert(errors->end(), e.diagnostics().begin(), e.diagnostics().end());
  }
}

// "--resource-policy ARN=FILE" -> {ARN, FILE}; a bare FILE is the policy of
// whatever resource is requested -> {"", FILE}.
std::pair<std::string, std::string> SplitResourcePolicyArgument(const std::string& arg) {
  const std::size_t eq = arg.find('=');
  if (!arg.starts_with("arn:") || eq == std::string::npos) return {"", arg};
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// --resource-account ARN=ACCOUNT and --vpc-endpoint-policy [SERVICE=]FILE
// into `set`; `load` reads a policy file.
template <typename Load>
void LoadResourceOptions(const SimulateOptions& o, PolicySet& set, const Load& load) {
  for (const std::string& arg : o.resource_accounts) {
    const auto [arn, account] = SplitResourcePolicyArgument(arg);
    if (arn.empty() || account.size() != 12 ||
        account.find_first_not_of("0123456789") != std::string::npos) {
      throw InputError("--resource-account " + Quoted(arg) +
                       ": expected ARN=ACCOUNT (a bucket's ARN, then its 12-digit account)");
    }
    set.resource_accounts.emplace_back(arn, account);
  }
  Diagnostics problems;
  for (const std::string& arg : o.vpc_endpoints) {
    auto [service, path] = SplitEndpointArgument(arg);
    std::optional<Policy> p = load(path);
    if (!p) continue;
    const Diagnostics found = EndpointPolicyProblems(*p);
    problems.insert(problems.end(), found.begin(), found.end());
    set.vpc_endpoints.push_back({std::move(service), std::move(*p)});
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

PolicySet LoadPolicies(const SimulateOptions& o, Context& ctx) {
  Diagnostics errors;
  PolicySet set;
  auto load = [&](const std::string& path) { return LoadPolicy(path, ctx, &errors); };
  std::optional<Policy> file_boundary;
  std::string subject_arn;  // the ARN of the principal --principal picked in a file
  for (const std::string& path : o.policies)
    LoadIdentity(o, path, ctx, set, file_boundary, &subject_arn, &errors);
  if (!o.boundary.empty()) {
    set.boundary = load(o.boundary);
  } else {
    set.boundary = std::move(file_boundary);
  }
  for (const std::string& path : o.scps) {
    if (auto p = load(path)) set.scps.push_back({std::move(*p)});
  }
  if (!o.session_policy.empty()) set.session = load(o.session_policy);
  for (const std::string& arg : o.resource_policies) {
    const auto [arn, path] = SplitResourcePolicyArgument(arg);
    std::optional<Policy> p = load(path);
    if (!p) continue;
    if (arn.empty()) {
      set.resource = std::move(p);
    } else {
      set.resource_policies.push_back({arn, "", std::move(*p)});
    }
  }
  for (const std::string& path : o.rcps) {
    if (auto p = load(path)) set.rcps.push_back({std::move(*p)});
  }
  LoadResourceOptions(o, set, load);
  set.principal = !o.principal_arn.empty() ? o.principal_arn
                  : !subject_arn.empty()   ? subject_arn
                                           : o.principal;
  set.principal_account = o.principal_account;
  if (!errors.empty()) throw InputError(std::move(errors));
  return set;
}

// An action in a request: "service:Name", no wildcards. nullopt if valid.
std::optional<std::string> ActionProblem(std::string_view action) {
  const std::size_t colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size() ||
      action.find(':', colon + 1) != std::string_view::npos) {
    return "action " + Quoted(action) + " is not of the form service:Action";
  }
  if (action.find_first_of("*?") != std::string_view::npos) {
    return "action " + Quoted(action) +
           " has a wildcard: a request names one action (use `iam-audit expand` for patterns)";
  }
  return std::nullopt;
}

// A warning for actions the catalog does not know (likely typos: they can
// only ever be implicitly denied by a policy that names real actions).
std::optional<std::string> UnknownActionWarning(std::string_view action, Context& ctx) {
  if (ctx.catalog().FindAction(action)) return std::nullopt;
  return "warning: action " + Quoted(action) + " is not in the action catalog";
}

void AddContextArgument(const std::string& arg, RequestContext* context) {
  const std::size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("--context " + Quoted(arg) + ": expected KEY=VALUE");
  }
  context->Add(std::string_view(arg).substr(0, eq), arg.substr(eq + 1));
}

// One --requests line. Returns the request, or fills `error` (location in the
// line's own coordinates: line 1).
std::optional<Request> ParseRequestLine(std::string_view text, const std::string& file,
                                        Diagnostic* error) {
  const json::ParseResult parsed = json::Parse(text, file);
  auto fail = [&](SourceLocation where, std::string message) -> std::optional<Request> {
    *error = Diagnostic{file, where, std::move(message)};
    return std::nullopt;
  };
  if (!parsed.ok()) {
    return fail(parsed.errors.empty() ? SourceLocation{1, 1} : parsed.errors.front().where,
                parsed.errors.empty() ? "invalid JSON" : parsed.errors.front().message);
  }
  const json::Value& root = parsed.value();
  if (!root.is_object()) return fail(root.where(), "a request must be a JSON object");
  Request request;
  bool has_action = false, has_resource = false;
  for (const json::Member& m : root.Members()) {
    const std::string_view name = m.name();
    if (name == "action" || name == "resource") {
      if (!m.value.is_string()) {
        return fail(m.value.where(), "\"" + std::string(name) + "\" must be a string");
      }
      (name == "action" ? request.action : request.resource) = std::string(m.value.AsString());
      (name == "action" ? has_action : has_resource) = true;
    } else if (name == "context") {
      if (!m.value.is_object()) return fail(m.value.where(), "\"context\" must be an object");
      for (const json::Member& entry : m.value.Members()) {
        std::vector<std::string> values;
        auto add = [&](const json::Value& v) {
          if (v.is_string() || v.is_number() || v.is_bool()) {
            values.emplace_back(v.ScalarText());
            return true;
          }
          return false;
        };
        bool ok = true;
        if (entry.value.is_array()) {
          for (const json::Value& v : entry.value.Elements()) ok = ok && add(v);
        } else {
          ok = add(entry.value);
        }
        if (!ok) {
          return fail(entry.value.where(), "context value of " + Quoted(entry.name()) +
                                               " must be a string or a list of strings");
        }
        request.context.Set(entry.name(), std::move(values));
      }
    } else {
      return fail(m.key.where(), "unknown key " + Quoted(name) +
                                     " (a request has \"action\", \"resource\" and \"context\")");
    }
  }
  if (!has_action) return fail(root.where(), "the request has no \"action\"");
  if (!has_resource) return fail(root.where(), "the request has no \"resource\"");
  if (auto problem = ActionProblem(request.action)) return fail(root.where(), *problem);
  return request;
}

// --- outputs -------------------------------------------------------------------

// JSON text; bytes that are not UTF-8 (a file name given on the command line)
// are replaced rather than thrown on.
std::string Dump(const nlohmann::ordered_json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json DecisionJson(const Decision& d) {
  nlohmann::ordered_json out;
  out["decision"] = DecisionName(d.kind);
  nlohmann::ordered_json matched = nlohmann::ordered_json::array();
  for (const Decision::Match& m : d.matched) {
    const CompiledStatement& s = *m.statement;
    nlohmann::ordered_json j;
    j["file"] = s.file();
    j["sid"] = s.has_sid() ? nlohmann::ordered_json(s.sid()) : nlohmann::ordered_json(nullptr);
    j["line"] = s.where().line;
    j["column"] = s.where().column;
    j["effect"] = s.effect() == Effect::kAllow ? "Allow" : "Deny";
    j["policy"] = PolicyKindName(s.kind());
    if (m.truth == Truth::kUnknown) j["conditional"] = true;
    matched.push_back(std::move(j));
  }
  out["matched"] = std::move(matched);
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (std::string_view key : d.missing_context) missing.push_back(key);
  out["missing_context"] = std::move(missing);
  if (d.kind == Decision::kImplicitDeny) {
    nlohmann::ordered_json by;
    by["policy"] = PolicyKindName(d.denied_by);
    if (d.denied_by == PolicyKind::kScp || d.denied_by == PolicyKind::kRcp) {
      by["level"] = d.denied_scp_level + 1;
    } else if (d.denied_by == PolicyKind::kEndpoint) {
      by["endpoint"] = d.denied_scp_level + 1;
    }
    out["denied_by"] = std::move(by);
  }
  if (d.kind == Decision::kNeedsResourcePolicy) {
    nlohmann::ordered_json needs;
    needs["resource"] = d.needed_policy;
    needs["policy"] = d.needed_policy_name;
    needs["option"] = "--resource-policy " + d.needed_policy + "=FILE";
    out["needs_resource_policy"] = std::move(needs);
  }
  if (d.cross_account) out["cross_account"] = true;
  if (d.no_permission_needed) out["no_permission_needed"] = true;
  return out;
}

// The files of the policies of one kind (for "no Allow in ..." messages).
std::string FilesOf(const Evaluator& ev, PolicyKind kind, int scp_level) {
  std::vector<std::string> files;
  for (const CompiledStatement& s : ev.statements()) {
    const bool leveled =
        kind == PolicyKind::kScp || kind == PolicyKind::kRcp || kind == PolicyKind::kEndpoint;
    if (s.kind() != kind || (leveled && s.scp_level() != scp_level)) continue;
    if (std::find(files.begin(), files.end(), s.file()) == files.end()) files.push_back(s.file());
  }
  std::string out;
  for (const std::string& f : files) out += (out.empty() ? "" : ", ") + f;
  return out;
}

std::string DeniedByText(const Decision& d, const Evaluator& ev) {
  std::string where;
  switch (d.denied_by) {
    case PolicyKind::kIdentity: {
      const bool has_resource_policy =
          std::any_of(ev.statements().begin(), ev.statements().end(),
                      [](const CompiledStatement& s) { return s.kind() == PolicyKind::kResource; });
      return "no applicable Allow in the identity policies" +
             std::string(has_resource_policy ? " nor in the resource policy" : "");
    }
    case PolicyKind::kBoundary:
      where = "the permissions boundary";
      break;
    case PolicyKind::kScp:
      where = "SCP level " + std::to_string(d.denied_scp_level + 1);
      break;
    case PolicyKind::kSession:
      where = "the session policy";
      break;
    case PolicyKind::kResource:
      where = d.cross_account ? "the resource policy (cross-account: both sides must allow)"
                              : "the resource policy";
      break;
    case PolicyKind::kRcp:
      where = "RCP level " + std::to_string(d.denied_scp_level + 1);
      break;
    case PolicyKind::kEndpoint:
      where = "the VPC endpoint policy";
      break;
  }
  const std::string files = FilesOf(ev, d.denied_by, d.denied_scp_level);
  return "no applicable Allow in " + where + (files.empty() ? "" : " (" + files + ")");
}

void PrintText(std::ostream& out, const Request& r, const Decision& d, const Evaluator& ev) {
  out << DecisionName(d.kind) << ": " << r.action << " on " << r.resource << '\n';
  for (const Decision::Match& m : d.matched) {
    const CompiledStatement& s = *m.statement;
    const Diagnostic where{s.file(), s.where(), ""};
    std::string line = where.ToString();  // "FILE:LINE:COLUMN: "
    line += s.effect() == Effect::kAllow ? "Allow" : "Deny";
    line += s.has_sid() ? " " + Quoted(s.sid()) : " statement #" + std::to_string(s.index() + 1);
    line += " (" + std::string(PolicyKindName(s.kind())) + " policy";
    if (s.kind() == PolicyKind::kScp || s.kind() == PolicyKind::kRcp) {
      line += " level " + std::to_string(s.scp_level() + 1);
    }
    if (m.truth == Truth::kUnknown) line += ", conditional";
    line += ")";
    out << "  " << line << '\n';
  }
  if (d.kind == Decision::kImplicitDeny) out << "  " << DeniedByText(d, ev) << '\n';
  if (d.kind == Decision::kNeedsResourcePolicy) {
    if (d.matched.empty()) out << "  no applicable Allow in the identity policies\n";
    out << "  the " << d.needed_policy_name << " of " << d.needed_policy
        << " decides and was not given: pass it with --resource-policy " << d.needed_policy
        << "=FILE\n";
  }
  if (d.cross_account)
    out << "  cross-account: the identity side and the resource policy must both allow\n";
  if (d.no_permission_needed) out << "  sts:GetCallerIdentity needs no permission\n";
  if (!d.missing_context.empty()) {
    out << (d.kind == Decision::kConditional ? "  depends on: " : "  missing context: ");
    for (std::size_t i = 0; i < d.missing_context.size(); ++i) {
      out << (i ? ", " : "") << d.missing_context[i];
    }
    out << '\n';
  }
}

// --- the command ---------------------------------------------------------------

// Reads one line (without its '\n'); keeps at most `max` bytes of it and
// sets *too_long when there were more. False at end of input.
bool ReadLine(std::streambuf* in, std::size_t max, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  bool any = false;
  for (int c = in->sbumpc(); c != std::char_traits<char>::eof(); c = in->sbumpc()) {
    any = true;
    if (c == '\n') break;
    if (line->size() < max) {
      line->push_back(static_cast<char>(c));
    } else {
      *too_long = true;
    }
  }
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

// One request line is at most this long (requests are small JSON objects).
constexpr std::size_t kMaxRequestLine = std::size_t{1} << 20;

int RunRequests(const SimulateOptions& o, const Evaluator& ev, const Caller& caller, Context& ctx) {
  const std::string name = SourceName(o.requests);
  std::ifstream file;
  std::istream* in = &ctx.in;
  if (o.requests != "-") {
    file.open(o.requests, std::ios::binary);
    if (!file) throw InputError(name + ": cannot open: " + std::strerror(errno));
    in = &file;
  }
  const MissingKeys mode = o.unknown_context ? MissingKeys::kUnknown : MissingKeys::kAbsent;
  bool malformed = false;
  Decision decision;
  std::string line;
  bool too_long = false;
  for (int number = 1; ReadLine(in->rdbuf(), kMaxRequestLine, &line, &too_long); ++number) {
    if (!too_long && line.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    Diagnostic error{name, {}, "the line is longer than 1 MiB"};
    std::optional<Request> request = too_long ? std::nullopt : ParseRequestLine(line, name, &error);
    if (!request) {
      error.where.line = number;  // the line was parsed on its own, as line 1
      if (error.where.column == 0) error.where.column = 1;
      malformed = true;
      ctx.err << error.ToString() << '\n';
      nlohmann::ordered_json j;
      j["line"] = number;
      j["error"] = error.message;
      ctx.out << Dump(j) << '\n';
      continue;
    }
    if (auto warning = UnknownActionWarning(request->action, ctx)) {
      ctx.err << Diagnostic{name, {number, 1}, *warning}.ToString() << '\n';
    }
    request->missing_keys = mode;
    AddCallerKeys(caller, &request->context);
    ev.Evaluate(*request, &decision);
    ctx.out << Dump(DecisionJson(decision)) << '\n';
    if (in == &ctx.in) ctx.out.flush();  // answer interactive callers line by line
  }
  return malformed ? kExitUsage : kExitClean;
}

int RunSimulate(const SimulateOptions& o, Context& ctx) {
  const bool batch = !o.requests.empty();
  if (batch == !o.action.empty()) {
    throw InputError("simulate needs either --action and --resource, or --requests FILE");
  }
  if (!batch && o.resource.empty()) throw InputError("--action needs --resource");
  if (batch && (!o.resource.empty() || !o.context.empty())) {
    throw InputError("--resource and --context go with --action, not with --requests");
  }
  if (!o.resource_policies.empty() && o.principal.empty() && o.principal_arn.empty() &&
      o.principal_account.empty()) {
    throw InputError(
        "--resource-policy needs --principal ARN|anonymous (the caller), --principal-arn ARN or "
        "--principal-account ID");
  }
  int stdin_users = o.requests == "-";
  for (const std::string& arg : o.vpc_endpoints) {
    stdin_users += SplitEndpointArgument(arg).second == "-";
  }
  for (const auto* list : {&o.policies, &o.scps, &o.rcps}) {
    stdin_users += static_cast<int>(std::count(list->begin(), list->end(), "-"));
  }
  for (const std::string* p : {&o.boundary, &o.session_policy}) stdin_users += *p == "-";
  for (const std::string& arg : o.resource_policies) {
    stdin_users += SplitResourcePolicyArgument(arg).second == "-";
  }
  if (stdin_users > 1) throw InputError("only one input can be read from standard input ('-')");
  if (o.policies.empty() && o.resource_policies.empty()) {
    throw InputError("simulate needs at least one POLICY (or a --resource-policy)");
  }

  Request request;
  if (!batch) {
    if (auto problem = ActionProblem(o.action)) throw InputError("--action: " + *problem);
    request.action = o.action;
    request.resource = o.resource;
    for (const std::string& arg : o.context) AddContextArgument(arg, &request.context);
    request.missing_keys = o.unknown_context ? MissingKeys::kUnknown : MissingKeys::kAbsent;
  }

  const PolicySet policies = LoadPolicies(o, ctx);
  const EvaluatorCompileResult compiled = Evaluator::Compile(policies);
  if (!compiled.evaluator) throw InputError(compiled.errors);
  const Evaluator& ev = *compiled.evaluator;

  const Caller caller = Caller::Parse(policies.principal, policies.principal_account);
  if (batch) return RunRequests(o, ev, caller, ctx);
  if (auto warning = UnknownActionWarning(request.action, ctx)) ctx.err << *warning << '\n';
  AddCallerKeys(caller, &request.context);
  const Decision decision = ev.Evaluate(request);
  if (o.format == "json") {
    ctx.out << Dump(DecisionJson(decision), 2) << '\n';
  } else {
    PrintText(ctx.out, request, decision, ev);
  }
  return kExitClean;
}

}  // namespace

void RegisterSimulateCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Decide whether requests are allowed by a principal's policies, as AWS's policy "
      "evaluation logic does (offline)");
  cmd->add_option("POLICY", o->policies,
                  "The principal's identity policies ('-' reads standard input)");
  cmd->add_option("--action", o->action, "The requested action, e.g. s3:GetObject");
  cmd->add_option("--resource", o->resource, "The requested resource ARN (or *)");
  cmd->add_option("--context", o->context,
                  "A request context value, KEY=VALUE; repeat a key to give it a list of "
                  "values (a multivalued key such as aws:TagKeys)");
  cmd->add_option("--boundary", o->boundary, "The principal's permissions boundary policy");
  cmd->add_option("--scp", o->scps,
                  "A service control policy; repeat for each level of the organization, root "
                  "first (every level must allow)");
  cmd->add_option("--session-policy", o->session_policy, "A session policy");
  cmd->add_option("--resource-policy", o->resource_policies,
                  "ARN=FILE: the resource-based policy of that resource (a bucket ARN covers "
                  "its objects; a KMS key; a role's trust policy; a Glue catalog ARN); repeat "
                  "for each resource. A bare FILE is the requested resource's policy");
  cmd->add_option("--rcp", o->rcps,
                  "A resource control policy; repeat for each level of the organization, root "
                  "first (their Deny statements apply)");
  cmd->add_option("--resource-account", o->resource_accounts,
                  "ARN=ACCOUNT: the account that owns a resource whose ARN does not say (an S3 "
                  "bucket covers its objects); repeat for each resource");
  cmd->add_option("--vpc-endpoint-policy", o->vpc_endpoints,
                  "[SERVICE=]FILE: the policy of a VPC endpoint the requests go through (SERVICE: "
                  "s3, or com.amazonaws.REGION.s3: only that service's requests; without it, "
                  "every request); repeat for each endpoint");
  cmd->add_option("--principal", o->principal,
                  "The caller: its ARN (matched against resource policies' Principal), "
                  "'anonymous' for an unauthenticated request, or the name of a principal of "
                  "a POLICY file");
  cmd->add_option("--principal-arn", o->principal_arn,
                  "The caller's ARN, when --principal names a principal without one");
  cmd->add_option("--principal-account", o->principal_account,
                  "The caller's account, when its ARN does not say (cross-account decisions)");
  cmd->add_option("--var", o->vars,
                  "A CloudFormation parameter or pseudo parameter of a template, NAME=VALUE "
                  "(--var AWS::Region=eu-west-1)");
  cmd->add_option("--requests", o->requests,
                  "Decide many requests: JSON lines {\"action\", \"resource\", \"context\"} "
                  "('-' reads standard input); writes one JSON line per request");
  cmd->add_flag("--unknown-context", o->unknown_context,
                "Treat condition keys that are not given as unknown rather than absent: "
                "decisions that depend on them are 'conditional'");
  cmd->add_option("--format", o->format, "Output format for one request")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([o, &ctx] { ctx.exit_code = RunSimulate(*o, ctx); });
}

}  // namespace iam_audit::cli
