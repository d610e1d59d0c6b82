#include "iam_audit/lint.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "suggest.h"

namespace iam_audit {
namespace {

// "a, b, c" of the values written in an element.
std::string Listed(const std::vector<LocatedString>& items) {
  std::string out;
  for (const LocatedString& item : items) out += (out.empty() ? "" : ", ") + item.value;
  return out;
}

// Does `p` match every role of an account? `*`, `arn:aws:iam::*:role/*`,
// `arn:aws:iam::123456789012:role/*`, `arn:aws:iam::123456789012:*`: it covers
// the role/* pattern of its own partition and account.
bool CoversEveryRole(const ArnPattern& p) {
  if (p.MatchesEverything()) return true;
  std::string partition = "aws", account = "*";
  if (const std::optional<Arn> arn = Arn::Parse(p.text())) {
    partition = arn->partition;
    account = arn->account;
  }
  return p.Covers(ArnPattern::Compile("arn:" + partition + ":iam::" + account + ":role/*"));
}

class Linter {
 public:
  Linter(const Catalog& catalog, const Evaluator& ev)
      : catalog_(catalog), stmts_(ev.statements()) {}

  // Every rule on every statement; the findings in statement order.
  std::vector<Finding> Run() {
    for (const CompiledStatement& s : stmts_) {
      const Statement& stmt = s.source();
      if (s.kind() == PolicyKind::kIdentity && s.effect() == Effect::kAllow && !stmt.principal &&
          stmt.has_resource) {
        const bool admin = AllowAllActions(s, stmt);
        if (stmt.not_action) AllowNotAction(s, stmt);
        if (!admin) PassRoleWildcard(s, stmt);
      }
      UnknownActions(s, stmt);
    }
    for (std::size_t f = 0; f < findings_.size(); ++f) {
      findings_[f].fingerprint = Fingerprint(findings_[f], keys_[f]);
    }
    return std::move(findings_);
  }

 private:
  static std::string Describe(const CompiledStatement& s) {
    return !s.sid().empty() ? "statement '" + s.sid() + "'"
                            : "statement #" + std::to_string(s.index() + 1);
  }
  static std::string UnderCondition(const Statement& stmt) {
    return stmt.conditions.empty() ? ""
                                   : " (when its Condition holds: the Condition limits when, "
                                     "not what)";
  }
  Finding& Add(FindingId id, const CompiledStatement& s, const Statement& stmt,
               SourceLocation where) {
    Finding f = MakeFinding(id, s.file(), where);
    f.sid = s.sid();
    findings_.push_back(std::move(f));
    keys_.push_back(StatementKey(stmt));
    return findings_.back();
  }

  bool AllowAllActions(const CompiledStatement& s, const Statement& stmt);
  void AllowNotAction(const CompiledStatement& s, const Statement& stmt);
  void PassRoleWildcard(const CompiledStatement& s, const Statement& stmt);
  void UnknownActions(const CompiledStatement& s, const Statement& stmt);

  const Catalog& catalog_;
  std::span<const CompiledStatement> stmts_;
  std::vector<Finding> findings_;
  std::vector<std::string> keys_;  // StatementKey per finding, for the fingerprints
};

bool Linter::AllowAllActions(const CompiledStatement& s, const Statement& stmt) {
  if (s.not_action()) return false;
  const std::vector<ActionPattern>& actions = s.actions();
  const auto all = std::find_if(actions.begin(), actions.end(),
                                [](const ActionPattern& a) { return a.MatchesAllActions(); });
  if (all == actions.end()) return false;
  const auto every = [](const ResourceTemplate& r) {
    return r.static_pattern() && r.static_pattern()->MatchesEverything();
  };
  const bool star = std::any_of(s.resources().begin(), s.resources().end(), every);
  // Resource: an entry "*". NotResource: every resource but those listed,
  // unless one of them is "*" (which excludes everything).
  const bool every_resource = s.not_resource() ? !star : star;
  if (!every_resource) return false;
  const LocatedString& entry = stmt.actions[static_cast<std::size_t>(all - actions.begin())];
  Finding& f = Add(FindingId::kAllowAllActions, s, stmt, entry.where);
  f.action = entry.value;
  f.resource = s.not_resource() ? "NotResource " + Listed(stmt.resources) : "*";
  f.message =
      Describe(s) + " allows every action (" + Quoted(entry.value) + ") on " +
      (s.not_resource() ? "every resource but " + Listed(stmt.resources) : "every resource") +
      UnderCondition(stmt) + ": full administrator access";
  return true;
}

void Linter::AllowNotAction(const CompiledStatement& s, const Statement& stmt) {
  Finding& f = Add(FindingId::kAllowNotAction, s, stmt, stmt.actions_where);
  f.action = Listed(stmt.actions);
  f.message = Describe(s) + " allows every action except " + f.action +
              " (Allow with NotAction), in every service, including actions AWS adds later; "
              "list the actions needed with Action instead";
}

void Linter::PassRoleWildcard(const CompiledStatement& s, const Statement& stmt) {
  if (!s.MatchesAction("iam:PassRole")) return;
  const std::string tail =
      UnderCondition(stmt) +
      ": the principal can pass any role (an administrator role included) to a "
      "service and act with that role's permissions; list the roles it must "
      "pass";
  const std::vector<ResourceTemplate>& resources = s.resources();
  if (s.not_resource()) {
    const bool excludes_roles =
        std::any_of(resources.begin(), resources.end(), [](const ResourceTemplate& r) {
          return r.static_pattern() && CoversEveryRole(*r.static_pattern());
        });
    if (excludes_roles) return;
    Finding& f = Add(FindingId::kPassRoleWildcard, s, stmt, stmt.resources_where);
    f.action = "iam:PassRole";
    f.resource = "NotResource " + Listed(stmt.resources);
    f.message =
        Describe(s) + " allows iam:PassRole on every role but " + Listed(stmt.resources) + tail;
    return;
  }
  for (std::size_t e = 0; e < resources.size() && e < stmt.resources.size(); ++e) {
    const ArnPattern* p = resources[e].static_pattern();
    if (!p || !CoversEveryRole(*p)) continue;
    const LocatedString& entry = stmt.resources[e];
    Finding& f = Add(FindingId::kPassRoleWildcard, s, stmt, entry.where);
    f.action = "iam:PassRole";
    f.resource = entry.value;
    f.message = "Resource " + Quoted(entry.value) + " of " + Describe(s) +
                " allows iam:PassRole on every role" + tail;
  }
}

void Linter::UnknownActions(const CompiledStatement& s, const Statement& stmt) {
  ActionSet scratch(catalog_.action_count());
  const std::vector<ActionPattern>& patterns = s.actions();
  for (std::size_t a = 0; a < patterns.size() && a < stmt.actions.size(); ++a) {
    scratch.clear();
    ExpandActionsInto(catalog_, patterns[a], scratch);
    if (!scratch.empty()) continue;
    const LocatedString& written = stmt.actions[a];
    Finding& f = Add(FindingId::kUnknownAction, s, stmt, written.where);
    f.action = written.value;
    f.message = "action " + Quoted(written.value) + " matches no action in the catalog";
    std::string hints;
    for (const std::string& h : SuggestActions(catalog_, written.value, 3)) {
      hints += (hints.empty() ? "" : ", ") + h;
    }
    if (!hints.empty()) f.message += " (did you mean " + hints + "?)";
    f.message += "; IAM ignores it";
  }
}

}  // namespace

std::vector<Finding> Lint(const Catalog& catalog, const PolicySet& /*policies*/,
                          const Evaluator& evaluator) {
  return Linter(catalog, evaluator).Run();
}

LintResult Lint(const Catalog& catalog, const PolicySet& policies) {
  LintResult out;
  Evaluator::CompileResult compiled = Evaluator::Compile(policies);
  if (!compiled.errors.empty()) {
    out.errors = std::move(compiled.errors);
    return out;
  }
  out.findings = Lint(catalog, policies, *compiled.evaluator);
  SortFindings(out.findings);
  return out;
}

bool IsLintFinding(FindingId id) { return RuleFor(id).category == FindingCategory::kLint; }

}  // namespace iam_audit
