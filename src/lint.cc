#include "iam_audit/lint.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ascii.h"
#include "iam_audit/catalog.h"
#include "iam_audit/policy.h"
#include "iam_audit/risk.h"
#include "lint_internal.h"
#include "suggest.h"

namespace iam_audit {
namespace lint {
namespace {

// One lint rule: the finding it reports and the function that looks for it,
// on each statement or on each document. Rules run in table order. The risk
// model (risk.h) adds its rows here.
struct Rule {
  FindingId id;
  StatementCheck statement = nullptr;
  DocumentCheck document = nullptr;
};

constexpr Rule kRules[] = {
    // What a statement grants
    {FindingId::kAllowAllActions, AllowAllActions},
    {FindingId::kAllowNotAction, AllowNotAction},
    {FindingId::kPassRoleWildcard, PassRoleWildcard},
    {FindingId::kAllowNotResource, AllowNotResource},
    {FindingId::kUnknownAction, UnknownActions},
    {FindingId::kRedundantAction, RedundantActions},
    // Conditions
    {FindingId::kUnknownConditionKey, UnknownConditionKeys},
    {FindingId::kConditionTypeMismatch, ConditionTypeMismatch},
    {FindingId::kSetOperatorOnSingleValuedKey, SetOperatorOnSingleValuedKey},
    {FindingId::kMultivaluedKeyWithoutSetOperator, MultivaluedKeyWithoutSetOperator},
    {FindingId::kMfaBoolFalse, MfaBoolFalse},
    {FindingId::kWildcardWithoutLike, WildcardWithoutLike},
    {FindingId::kPrivateSourceIp, PrivateSourceIp},
    {FindingId::kConditionValueNeverMatches, ConditionValueNeverMatches},
    {FindingId::kConditionKeyNotForAction, ConditionKeyNotForAction},
    // Resources
    {FindingId::kInvalidArn, InvalidArns},
    {FindingId::kResourceTypeMismatch, ResourceTypeMismatch},
    {FindingId::kMissingResource, MissingResource},
    // Principals and policy types
    {FindingId::kPublicPrincipal, PublicPrincipal},
    {FindingId::kAllowNotPrincipal, AllowNotPrincipal},
    {FindingId::kInvalidPrincipal, InvalidPrincipals},
    {FindingId::kFederatedPrincipalWithoutCondition, FederatedPrincipalWithoutCondition},
    {FindingId::kServicePrincipalWithoutSource, ServicePrincipalWithoutSource},
    {FindingId::kElementNotAllowedForPolicyType, ElementNotAllowedForType},
    // Documents
    {FindingId::kMissingVersion, nullptr, MissingVersion},
    {FindingId::kOldVersion, nullptr, OldVersion},
    {FindingId::kVariableWithoutVersion, nullptr, VariableWithoutVersion},
    {FindingId::kMalformedVariable, nullptr, MalformedVariables},
    {FindingId::kPolicySizeExceedsQuota, nullptr, PolicySizeQuota},
    {FindingId::kDuplicateStatement, nullptr, DuplicateStatements},
    {FindingId::kStatementShadowedByDeny, nullptr, StatementsShadowedByDeny},
    // Access Analyzer checks added in session 4 (docs/lint.md)
    {FindingId::kRedundantResource, RedundantResources},
    {FindingId::kRedundantPrincipal, RedundantPrincipals},
    {FindingId::kMissingPairedConditionKey, MissingPairedConditionKey},
    {FindingId::kInvalidVpcId, InvalidVpcIds},
    {FindingId::kResourceEffectivelyStar, ResourceEffectivelyStar},
    {FindingId::kTrustPolicyAction, TrustPolicyActions},
};

// Each row gives a statement check or a document check (the other nullptr).
// This is not a static_assert: GCC does not fold comparisons of function
// addresses to constants under -fsanitize=undefined (the asan preset).
std::array<LintRuleInfo, std::size(kRules)> MakeInfo() {
  std::array<LintRuleInfo, std::size(kRules)> out{};
  for (std::size_t i = 0; i < std::size(kRules); ++i) {
    out[i] = {kRules[i].id, kRules[i].statement != nullptr};
  }
  return out;
}
const std::array<LintRuleInfo, std::size(kRules)> kRuleInfo = MakeInfo();

// The type of one document (lint.h).
LintPolicyType DetectType(const Policy& policy) {
  bool principal = false, trust_actions = true;
  for (const Statement& s : policy.statements) {
    principal = principal || s.principal.has_value();
    for (const LocatedString& a : s.actions)
      trust_actions = trust_actions && IsTrustAction(a.value);
    if (s.not_action || s.actions.empty()) trust_actions = false;
  }
  if (!principal) return LintPolicyType::kIdentity;
  return trust_actions ? LintPolicyType::kTrust : LintPolicyType::kResource;
}

struct Document {
  const Policy* policy;
  LintPolicyType type;
  std::vector<LintStatement> statements;
  // statements[i].actions (reserved up front: the statements refer to them).
  std::vector<StatementActions> actions;
};

// The documents of the set, each with its statements paired with their
// compiled form (Evaluator::statements() follows StatementsInCompileOrder).
std::vector<Document> Documents(const Catalog& catalog, const PolicySet& set, const Evaluator& ev,
                                const LintOptions& options) {
  std::vector<std::pair<const Policy*, LintPolicyType>> order;
  for (const Policy* p : set.IdentityPolicies()) order.emplace_back(p, DetectType(*p));
  if (const Policy* boundary = set.Boundary()) {
    order.emplace_back(boundary, LintPolicyType::kBoundary);
  }
  for (const std::vector<Policy>& level : set.scps) {
    for (const Policy& p : level) order.emplace_back(&p, LintPolicyType::kScp);
  }
  if (set.session) order.emplace_back(&*set.session, LintPolicyType::kIdentity);
  if (set.resource) {
    const LintPolicyType t = DetectType(*set.resource);
    order.emplace_back(&*set.resource,
                       t == LintPolicyType::kIdentity ? LintPolicyType::kResource : t);
  }
  // Pair statements with their compiled form (which refers to its source).
  const std::span<const CompiledStatement> compiled = ev.statements();
  std::unordered_map<const Statement*, std::size_t> position;
  for (std::size_t i = 0; i < compiled.size(); ++i) position[&compiled[i].source()] = i;
  std::vector<Document> docs;
  for (const auto& [policy, detected] : order) {
    Document d{policy, options.policy_type.value_or(detected), {}, {}};
    d.actions.reserve(policy->statements.size());
    for (const Statement& s : policy->statements) {
      const auto it = position.find(&s);
      if (it == position.end()) continue;
      const CompiledStatement& c = compiled[it->second];
      d.actions.emplace_back(catalog, c.actions());
      d.statements.push_back(LintStatement{s, c, *policy, d.type, d.actions.back()});
    }
    docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace

bool IsTrustAction(std::string_view action) {
  const std::string lower = ascii::Lower(action);
  return lower == "sts:assumerole" || lower == "sts:assumerolewithsaml" ||
         lower == "sts:assumerolewithwebidentity" || lower == "sts:tagsession" ||
         lower == "sts:setsourceidentity" || lower == "sts:setcontext";
}

std::string LintStatement::Describe() const {
  return source.sid && !source.sid->value.empty()
             ? "statement '" + source.sid->value + "'"
             : "statement #" + std::to_string(source.index + 1);
}

Finding& LintContext::Add(FindingId id, const LintStatement& s, SourceLocation where) {
  Finding f = MakeFinding(id, s.policy.file, where);
  f.sid = s.source.sid ? s.source.sid->value : "";
  findings_.push_back(std::move(f));
  keys_.push_back(StatementKey(s.source));
  return findings_.back();
}

Finding& LintContext::AddDocument(FindingId id, const Policy& policy, SourceLocation where) {
  findings_.push_back(MakeFinding(id, policy.file, where));
  keys_.emplace_back();
  return findings_.back();
}

std::vector<Finding> LintContext::Take() {
  for (std::size_t f = 0; f < findings_.size(); ++f) {
    findings_[f].fingerprint = Fingerprint(findings_[f], keys_[f]);
  }
  keys_.clear();
  return std::move(findings_);
}

std::string_view PolicyTypeNoun(LintPolicyType type) {
  static constexpr std::string_view kNouns[] = {
      "an identity policy",    "a resource policy", "a trust policy", "an SCP", "an RCP",
      "a permissions boundary"};
  return kNouns[static_cast<std::size_t>(type)];
}

std::string Listed(const std::vector<LocatedString>& items) {
  std::string out;
  for (const LocatedString& item : items) out += (out.empty() ? "" : ", ") + item.value;
  return out;
}

std::string UnderCondition(const Statement& stmt) {
  return stmt.conditions.empty() ? ""
                                 : " (when its Condition holds: the Condition limits when, "
                                   "not what)";
}

}  // namespace lint

std::string_view LintPolicyTypeName(LintPolicyType type) {
  return LintPolicyTypeNames()[static_cast<std::size_t>(type)];
}

std::span<const std::string_view> LintPolicyTypeNames() {
  static constexpr std::string_view kNames[] = {"identity", "resource", "trust",
                                                "scp",      "rcp",      "boundary"};
  return kNames;
}

std::optional<LintPolicyType> ParseLintPolicyType(std::string_view name) {
  const std::span<const std::string_view> names = LintPolicyTypeNames();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<LintPolicyType>(i);
  }
  return std::nullopt;
}

std::span<const LintRuleInfo> LintRules() { return lint::kRuleInfo; }

std::vector<Finding> Lint(const Catalog& catalog, const PolicySet& policies,
                          const Evaluator& evaluator, const LintOptions& options) {
  lint::LintContext ctx(catalog);
  const std::vector<lint::Document> docs = lint::Documents(catalog, policies, evaluator, options);
  for (const lint::Document& d : docs) {
    for (const lint::LintStatement& s : d.statements) {
      for (const lint::Rule& rule : lint::kRules) {
        if (rule.statement) rule.statement(ctx, s);
      }
    }
    const lint::LintDocument doc{*d.policy, d.type, d.statements};
    for (const lint::Rule& rule : lint::kRules) {
      if (rule.document) rule.document(ctx, doc);
    }
  }
  return ctx.Take();
}

LintResult Lint(const Catalog& catalog, const PolicySet& policies, const LintOptions& options) {
  LintResult out;
  Evaluator::CompileResult compiled = Evaluator::Compile(policies);
  if (!compiled.errors.empty()) {
    out.errors = std::move(compiled.errors);
    return out;
  }
  out.findings = Lint(catalog, policies, *compiled.evaluator, options);
  // --- risk hook (risk.h): what the policies allow that is dangerous in any
  // policy (privilege-escalation, credentials-exposure... with lint's severities).
  if (options.risk) {
    RiskOptions risk;
    risk.mode = RiskMode::kLint;
    std::vector<Finding> risks = AssessRisk(catalog, policies, *compiled.evaluator, {}, risk);
    std::move(risks.begin(), risks.end(), std::back_inserter(out.findings));
  }
  // --- end of the risk hook
  SortFindings(out.findings);
  return out;
}

bool IsLintFinding(FindingId id) {
  const FindingCategory c = RuleFor(id).category;
  return c == FindingCategory::kLint || c == FindingCategory::kRisk;  // kRisk: the risk hook
}

}  // namespace iam_audit
