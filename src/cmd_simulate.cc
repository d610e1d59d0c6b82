// `iam-audit simulate`: decides requests against a principal's policies,
// offline, with the evaluation engine (evaluator.h).
//
//   iam-audit simulate POLICY... --action A --resource R [--context KEY=VALUE]...
//       [--boundary F] [--scp F]... [--session-policy F]
//       [--resource-policy F --principal ARN] [--unknown-context] [--format text|json]
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
// "conditional".
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
  std::string resource_policy;
  std::string principal;
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
                  std::optional<Policy>& file_boundary, Diagnostics* errors) {
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
    // --principal also picks among the principals of a template or state:
    // by ARN, by full name, or by the name's last part ("DbtRunnerRole" for
    // "AWS::IAM::Role DbtRunnerRole", "dbt-runner" for "role/service/dbt-runner").
    if (source.subjects.size() > 1 && !o.principal.empty()) {
      std::erase_if(source.subjects, [&](const AuditSubject& s) {
        const std::string_view name = s.name;
        const std::size_t cut = name.find_last_of(" /.");
        return s.arn != o.principal && name != o.principal &&
               (cut == std::string_view::npos || name.substr(cut + 1) != o.principal);
      });
      if (source.subjects.empty()) {
        errors->push_back(
            {file.name,
             {},
             "--principal " + Quoted(o.principal) + " names none of the principals it describes"});
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
      for (Policy& p : s.policies.identity) set.identity.push_back(std::move(p));
      if (s.policies.boundary) file_boundary = std::move(s.policies.boundary);
    }
  } catch (const InputError& e) {
    errors->insert(errors->end(), e.diagnostics().begin(), e.diagnostics().end());
  }
}

PolicySet LoadPolicies(const SimulateOptions& o, Context& ctx) {
  Diagnostics errors;
  PolicySet set;
  auto load = [&](const std::string& path) { return LoadPolicy(path, ctx, &errors); };
  std::optional<Policy> file_boundary;
  for (const std::string& path : o.policies)
    LoadIdentity(o, path, ctx, set, file_boundary, &errors);
  if (!o.boundary.empty()) {
    set.boundary = load(o.boundary);
  } else {
    set.boundary = std::move(file_boundary);
  }
  for (const std::string& path : o.scps) {
    if (auto p = load(path)) set.scps.push_back({std::move(*p)});
  }
  if (!o.session_policy.empty()) set.session = load(o.session_policy);
  if (!o.resource_policy.empty()) set.resource = load(o.resource_policy);
  set.principal = o.principal;
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
    if (d.denied_by == PolicyKind::kScp) by["level"] = d.denied_scp_level + 1;
    out["denied_by"] = std::move(by);
  }
  return out;
}

// The files of the policies of one kind (for "no Allow in ..." messages).
std::string FilesOf(const Evaluator& ev, PolicyKind kind, int scp_level) {
  std::vector<std::string> files;
  for (const CompiledStatement& s : ev.statements()) {
    if (s.kind() != kind || (kind == PolicyKind::kScp && s.scp_level() != scp_level)) continue;
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
      where = "the resource policy";
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
    if (s.kind() == PolicyKind::kScp) line += " level " + std::to_string(s.scp_level() + 1);
    if (m.truth == Truth::kUnknown) line += ", conditional";
    line += ")";
    out << "  " << line << '\n';
  }
  if (d.kind == Decision::kImplicitDeny) out << "  " << DeniedByText(d, ev) << '\n';
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

int RunRequests(const SimulateOptions& o, const Evaluator& ev, Context& ctx) {
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
  if (!o.resource_policy.empty() && o.principal.empty()) {
    throw InputError("--resource-policy needs --principal ARN (the caller)");
  }
  int stdin_users = o.requests == "-";
  for (const auto* list : {&o.policies, &o.scps}) {
    stdin_users += static_cast<int>(std::count(list->begin(), list->end(), "-"));
  }
  for (const std::string* p : {&o.boundary, &o.session_policy, &o.resource_policy}) {
    stdin_users += *p == "-";
  }
  if (stdin_users > 1) throw InputError("only one input can be read from standard input ('-')");
  if (o.policies.empty() && o.resource_policy.empty()) {
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

  if (batch) return RunRequests(o, ev, ctx);
  if (auto warning = UnknownActionWarning(request.action, ctx)) ctx.err << *warning << '\n';
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
  cmd->add_option("--resource-policy", o->resource_policy,
                  "A resource-based policy of the requested resource (same account)");
  cmd->add_option("--principal", o->principal,
                  "The caller's ARN, matched against the resource policy's Principal");
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
