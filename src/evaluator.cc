#include "iam_audit/evaluator.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>
#include <span>
#include <tuple>

#include "ascii.h"
#include "evaluator_internal.h"
#include "iam_audit/resource_policy.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;
using ascii::Lower;

// Equality of short strings without a libc call (action names, ARN fields),
// eight bytes at a time.
inline bool SameBytes(const char* a, const char* b, std::size_t n) {
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
inline bool Same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
}
inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && SameBytes(s.data(), prefix.data(), prefix.size());
}
inline bool StartsWithFolded(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (Lower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// The first eight bytes of a (short) service prefix and its length, as one
// integer: comparing keys is one instruction, full names only on a tie.
std::uint64_t ServiceKey(std::string_view s) {
  std::uint64_t key = 0;
  for (std::size_t i = 0; i < 7 && i < s.size(); ++i) {
    key |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * (7 - i));
  }
  return key | std::min<std::uint64_t>(s.size(), 255);
}

}  // namespace

std::string_view PolicyKindName(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
      return "identity";
    case PolicyKind::kBoundary:
      return "boundary";
    case PolicyKind::kScp:
      return "scp";
    case PolicyKind::kSession:
      return "session";
    case PolicyKind::kResource:
      return "resource";
    case PolicyKind::kRcp:
      return "rcp";
    case PolicyKind::kEndpoint:
      return "vpc_endpoint";
  }
  return "identity";
}

std::string_view DecisionName(Decision::Kind kind) {
  switch (kind) {
    case Decision::kAllowed:
      return "allowed";
    case Decision::kExplicitDeny:
      return "explicit_deny";
    case Decision::kImplicitDeny:
      return "implicit_deny";
    case Decision::kConditional:
      return "conditional";
    case Decision::kNeedsResourcePolicy:
      return "needs_resource_policy";
  }
  return "implicit_deny";
}

// --- ResourceTemplate -----------------------------------------------------------

ResourceTemplate::ResourceTemplate(PolicyTemplate tmpl) : tmpl_(std::move(tmpl)) {
  if (tmpl_.HasVariables()) {
    lower_keys_ = LowerVariableKeys(tmpl_);
    return;
  }
  // Without variables a case-sensitive template's glob is fixed: it is the
  // template's own static glob (no second instantiation).
  const Glob& fixed = tmpl_.StaticGlob();
  if (fixed.case_mode() == Glob::Case::kSensitive) {
    pattern_ = ArnPattern::FromGlob(fixed);
    return;
  }
  const RequestContext none;
  const auto glob =
      InstantiateTemplate(tmpl_, lower_keys_, /*text_wildcards=*/true, Glob::Case::kSensitive,
                          EvalContext(none, MissingKeys::kAbsent), nullptr);
  pattern_ = glob ? ArnPattern::FromGlob(*glob) : ArnPattern::Compile(tmpl_.text());
}

Truth ResourceTemplate::Matches(const RequestResource& resource, const EvalContext& env) const {
  if (pattern_) return TruthOf(resource.MatchedBy(*pattern_));
  bool unknown = false;
  const auto glob = InstantiateTemplate(tmpl_, lower_keys_, /*text_wildcards=*/true,
                                        Glob::Case::kSensitive, env, &unknown);
  if (!glob) return Truth::kFalse;  // a variable without a value: matches no resource
  if (!resource.MatchedBy(ArnPattern::FromGlob(*glob))) return Truth::kFalse;
  return unknown ? Truth::kUnknown : Truth::kTrue;
}

namespace internal {

QuickArn QuickArn::For(const ResourceTemplate& r) {
  QuickArn q;
  const ArnPattern* pattern = r.static_pattern();
  // Fields of ARNs hold no ':' before the resource part, and `*` in the
  // resource part crosses everything: so a field that is a literal, or a
  // literal followed by one `*`, is decided by comparing the literal.
  q.usable = pattern && pattern->IsArnShaped() && !pattern->MatchesEverything();
  q.conclusive = q.usable;
  for (std::size_t i = 0; q.usable && i < q.prefix.size(); ++i) {
    const std::span<const Glob::Token> tokens = pattern->fields()[i].tokens();
    std::size_t k = 0;
    while (k < tokens.size() && tokens[k].kind == Glob::TokenKind::kLiteral) ++k;
    q.prefix[i].resize(k);
    char* const prefix = q.prefix[i].data();
    for (std::size_t j = 0; j < k; ++j) {
      prefix[j] = i == 4 ? tokens[j].literal : Lower(tokens[j].literal);
    }
    q.literal[i] = k == tokens.size();
    const bool prefix_star = k + 1 == tokens.size() && tokens[k].kind == Glob::TokenKind::kAnyRun;
    q.conclusive = q.conclusive && (q.literal[i] || prefix_star);
  }
  // Check the resource part first (it usually decides), then the others;
  // a field with no literal prefix and a wildcard tells nothing.
  static constexpr std::uint8_t kOrder[] = {4, 1, 3, 2, 0};
  for (const std::uint8_t i : kOrder) {
    if (q.usable && (q.literal[i] || !q.prefix[i].empty())) q.checks[q.check_count++] = i;
  }
  return q;
}

// The helpers below run for every candidate statement: inlined into the loop.
[[gnu::always_inline]] inline QuickArn::Result QuickArn::Match(
    const RequestResource& resource) const {
  for (std::uint8_t k = 0; k < check_count; ++k) {
    const std::uint8_t i = checks[k];
    const std::string_view field = resource.field(i);
    const std::string& p = prefix[i];
    if (literal[i] && field.size() != p.size()) return Result::kNo;
    if (!(i == 4 ? StartsWith(field, p) : StartsWithFolded(field, p))) return Result::kNo;
  }
  return conclusive ? Result::kYes : Result::kMaybe;
}

}  // namespace internal

// --- the statement code -------------------------------------------------------------

namespace {

// A request action split and lower-cased, in a fixed buffer for the usual
// sizes (no allocation), else in a string.
class LowerAction {
 public:
  LowerAction(const LowerAction&) = delete;  // views into its own buffer
  LowerAction& operator=(const LowerAction&) = delete;
  explicit LowerAction(std::string_view action) {
    char* out = buffer_;
    if (action.size() > sizeof(buffer_)) {
      long_.resize(action.size());
      out = long_.data();
    }
    std::size_t colon = std::string_view::npos;
    for (std::size_t i = 0; i < action.size(); ++i) {
      const char c = ascii::kLowerTable[static_cast<unsigned char>(action[i])];
      if (c == ':' && colon == std::string_view::npos) colon = i;
      out[i] = c;
    }
    const std::string_view lower(out, action.size());
    service_ = lower.substr(0, colon);
    name_ = colon == std::string_view::npos ? std::string_view() : lower.substr(colon + 1);
  }
  std::string_view service() const { return service_; }
  std::string_view name() const { return name_; }

 private:
  char buffer_[256];
  std::string long_;
  std::string_view service_, name_;
};

}  // namespace

namespace internal {

namespace {

// Copies the literal tokens of a case-insensitive glob (already lower-cased)
// to `*out`, advancing it; returns a view of the copy.
std::string_view CopyLiterals(std::span<const Glob::Token> tokens, char** out) {
  char* const begin = *out;
  for (std::size_t i = 0; i < tokens.size(); ++i) begin[i] = tokens[i].literal;
  *out = begin + tokens.size();
  return {begin, tokens.size()};
}

}  // namespace

std::size_t ActionMatcher::LiteralRoom(const ActionPattern& p) {
  return p.service().tokens().size() + p.name().tokens().size();
}

// The views are made from the globs' tokens, which ActionPattern compiles
// case-insensitively (folded): no ToString, no second lower-casing.
ActionMatcher ActionMatcher::Make(const ActionPattern& p, std::size_t index, char** out) {
  ActionMatcher m;
  m.pattern = index;
  m.all = p.MatchesAllActions();
  m.any_service = p.service().MatchesEverything();
  if (!p.service().HasWildcards()) {
    m.literal_service = true;
    m.service = CopyLiterals(p.service().tokens(), out);
  }
  const std::span<const Glob::Token> tokens = p.name().tokens();
  const auto literal_prefix = std::find_if(tokens.begin(), tokens.end(), [](const Glob::Token& t) {
    return t.kind != Glob::TokenKind::kLiteral;
  });
  const std::span<const Glob::Token> literal =
      tokens.first(static_cast<std::size_t>(literal_prefix - tokens.begin()));
  if (p.name().MatchesEverything()) {
    m.name_kind = Name::kAny;
  } else if (literal_prefix == tokens.end()) {
    m.name_kind = Name::kExact;
    m.name = CopyLiterals(literal, out);
  } else if (literal_prefix + 1 == tokens.end() &&
             literal_prefix->kind == Glob::TokenKind::kAnyRun) {
    m.name_kind = Name::kPrefix;
    m.name = CopyLiterals(literal, out);
  }
  return m;
}

[[gnu::always_inline]] inline bool StatementCode::MatchesLowerName(const ActionMatcher& m,
                                                                   std::string_view name) const {
  switch (m.name_kind) {
    case ActionMatcher::Name::kAny:
      return true;
    case ActionMatcher::Name::kExact:
      return Same(name, m.name);
    case ActionMatcher::Name::kPrefix:
      return StartsWith(name, m.name);
    case ActionMatcher::Name::kGlob:
      break;
  }
  return body->actions[m.pattern].name().Matches(name);
}

bool StatementCode::MatchesLowerAction(std::string_view service, std::string_view name) const {
  bool listed = false;
  for (const ActionMatcher& m : body->matchers) {
    if (m.all) {
      listed = true;
      break;
    }
    const bool service_matches = m.any_service ? true
                                 : m.literal_service
                                     ? Same(service, m.service)
                                     : body->actions[m.pattern].service().Matches(service);
    if (service_matches && MatchesLowerName(m, name)) {
      listed = true;
      break;
    }
  }
  return listed != not_action;
}

[[gnu::always_inline]] inline Truth StatementCode::MatchesResource(const RequestResource& resource,
                                                                   const EvalContext& env) const {
  if (!has_resource) return Truth::kTrue;
  const std::vector<ResourceTemplate>& resources = body->resources;
  const std::vector<QuickArn>& quick = body->quick;
  Truth any = Truth::kFalse;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    Truth t;
    const QuickArn::Result q =
        quick[i].usable && resource.arn() ? quick[i].Match(resource) : QuickArn::Result::kMaybe;
    if (q != QuickArn::Result::kMaybe) {
      t = TruthOf(q == QuickArn::Result::kYes);
    } else {
      t = resources[i].Matches(resource, env);
    }
    any = TruthOr(any, t);
    if (any == Truth::kTrue) break;
  }
  return not_resource ? TruthNot(any) : any;
}

[[gnu::always_inline]] inline Truth StatementCode::MatchesAfterAction(
    const RequestResource& resource, const EvalContext& env) const {
  const Truth r = MatchesResource(resource, env);
  const ConditionBlock& conditions = body->conditions;
  if (r == Truth::kFalse || conditions.empty()) return r;
  return TruthAnd(r, conditions.Evaluate(env));
}

}  // namespace internal

// --- CompiledStatement -------------------------------------------------------------

const std::vector<ActionPattern>& CompiledStatement::actions() const { return body_->actions; }
const std::vector<ResourceTemplate>& CompiledStatement::resources() const {
  return body_->resources;
}
const ConditionBlock& CompiledStatement::conditions() const { return body_->conditions; }

const std::string& CompiledStatement::sid() const {
  static const std::string kNone;
  return source_->sid ? source_->sid->value : kNone;
}

bool CompiledStatement::MatchesAction(std::string_view action) const {
  const LowerAction lower(action);
  return code_->MatchesLowerAction(lower.service(), lower.name());
}

Truth CompiledStatement::MatchesResource(const RequestResource& resource,
                                         const EvalContext& env) const {
  return code_->MatchesResource(resource, env);
}

Truth CompiledStatement::Matches(std::string_view action, std::string_view resource,
                                 const EvalContext& env) const {
  if (principal_ == PrincipalMatch::kNone || !MatchesAction(action)) return Truth::kFalse;
  return code_->MatchesAfterAction(RequestResource(resource), env);
}

// --- Evaluator::Compile (the statements: evaluator_compile.cc) -------------------------

namespace internal {

// Index the statements by the service prefixes their Action names literally;
// wildcard services, "*" and NotAction statements are candidates for every
// service.
CandidateIndex EvaluatorImpl::BuildIndex() const {
  CandidateIndex index;
  std::vector<Candidate>& other_services = index.other_services;
  // Views of the matchers' services (the bodies are immutable): no copies.
  std::vector<std::pair<std::string_view, Candidate>> literal;
  for (std::uint32_t i = 0; i < statements.size(); ++i) {
    const CompiledStatement& s = statements[i];
    const StatementCode& c = code[i];
    if (s.principal() == PrincipalMatch::kNone) continue;  // never applies to this caller
    const bool everywhere =
        c.not_action || std::any_of(c.body->matchers.begin(), c.body->matchers.end(),
                                    [](const auto& m) { return m.all || !m.literal_service; });
    if (everywhere) {
      other_services.push_back({i, Candidate::kEveryEntry});
      continue;
    }
    for (std::uint32_t j = 0; j < c.body->matchers.size(); ++j) {
      literal.push_back({c.body->matchers[j].service, {i, j}});
    }
  }
  std::stable_sort(literal.begin(), literal.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto by_statement = [](const Candidate& a, const Candidate& b) {
    return a.statement < b.statement;
  };
  std::vector<Candidate> own;
  for (std::size_t i = 0; i < literal.size();) {
    ServiceIndex entry{ServiceKey(literal[i].first), std::string(literal[i].first), {}};
    own.clear();
    for (; i < literal.size() && literal[i].first == entry.service; ++i) {
      own.push_back(literal[i].second);
    }
    entry.candidates.reserve(own.size() + other_services.size());
    std::merge(own.begin(), own.end(), other_services.begin(), other_services.end(),
               std::back_inserter(entry.candidates), by_statement);
    index.by_service.push_back(std::move(entry));
  }
  std::sort(index.by_service.begin(), index.by_service.end(),
            [](const ServiceIndex& a, const ServiceIndex& b) {
              return std::tie(a.key, a.service) < std::tie(b.key, b.service);
            });
  return index;
}

const std::vector<Candidate>& EvaluatorImpl::Candidates(std::string_view service) const {
  if (!index_built.load(std::memory_order_acquire)) {
    std::call_once(index_once, [this] {
      index = BuildIndex();
      index_built.store(true, std::memory_order_release);
    });
  }
  const std::vector<ServiceIndex>& by_service = index.by_service;
  const std::uint64_t key = ServiceKey(service);
  auto it = std::lower_bound(by_service.begin(), by_service.end(), key,
                             [](const ServiceIndex& e, std::uint64_t k) { return e.key < k; });
  for (; it != by_service.end() && it->key == key; ++it) {
    if (Same(it->service, service)) return it->candidates;
  }
  return index.other_services;
}

}  // namespace internal

Evaluator::Evaluator(std::shared_ptr<const internal::EvaluatorImpl> impl)
    : impl_(std::move(impl)) {}

std::span<const CompiledStatement> Evaluator::statements() const { return impl_->statements; }
std::size_t Evaluator::scp_levels() const { return impl_->scp_levels; }
std::size_t Evaluator::rcp_levels() const { return impl_->rcp_levels; }
std::size_t Evaluator::vpc_endpoints() const { return impl_->endpoint_services.size(); }
bool Evaluator::has_boundary() const { return impl_->has_boundary; }
bool Evaluator::has_session_policy() const { return impl_->has_session; }

Evaluator::CompileResult Evaluator::Compile(const PolicySet& set, PolicyCompileCache* cache) {
  CompileResult result;
  auto impl = std::make_shared<internal::EvaluatorImpl>();
  impl->scp_levels = set.scps.size();
  impl->rcp_levels = set.rcps.size();
  impl->has_boundary = set.Boundary() != nullptr;
  impl->has_session = set.session.has_value();
  impl->caller = Caller::Parse(set.principal, set.principal_account);
  impl->has_unscoped_resource_policy = set.resource.has_value();
  impl->resource_accounts = set.resource_accounts;
  for (const EndpointPolicy& e : set.vpc_endpoints) {
    impl->endpoint_services.push_back(ascii::Lower(e.service));
  }
  for (const ResourcePolicy& p : set.resource_policies) {
    impl->resource_policies.push_back({p.arn, p.account});
    if (p.arn.empty()) impl->has_unscoped_resource_policy = true;
  }
  if (impl->scp_levels > 64 || impl->rcp_levels > 64 || set.vpc_endpoints.size() > 64) {
    result.errors.push_back(Diagnostic{
        "", {}, "at most 64 SCP (and 64 RCP) levels and 64 VPC endpoints are supported"});
    return result;
  }
  impl->CompileStatements(set, cache, &result.errors);
  if (!result.errors.empty()) return result;
  result.evaluator = Evaluator(std::move(impl));
  return result;
}

// --- Evaluator::Evaluate ------------------------------------------------------------------

Decision Evaluator::Evaluate(const Request& request) const {
  Decision d;
  Evaluate(request, &d);
  return d;
}

namespace {

// What the applicable statements of one request say, per policy kind.
struct Tally {
  Truth deny = Truth::kFalse, identity = Truth::kFalse, boundary = Truth::kFalse,
        session = Truth::kFalse;
  // Resource policy Allows by how their Principal names the caller.
  Truth direct = Truth::kFalse, role = Truth::kFalse, account = Truth::kFalse;
  std::bitset<64> scp_true, scp_unknown;
  std::bitset<64> endpoint_true, endpoint_unknown;  // by VPC endpoint

  void Allow(const CompiledStatement& s, Truth t) {
    const auto level = static_cast<std::size_t>(s.scp_level());
    switch (s.kind()) {
      case PolicyKind::kIdentity:
        identity = TruthOr(identity, t);
        break;
      case PolicyKind::kBoundary:
        boundary = TruthOr(boundary, t);
        break;
      case PolicyKind::kScp:
        (t == Truth::kTrue ? scp_true : scp_unknown).set(level);
        break;
      case PolicyKind::kRcp:
        // [RCP] "The RCPFullAWSAccess policy ... is automatically attached to
        // the organization root, every OU, and every account ... You cannot
        // detach this policy": every RCP level allows; RCPs only deny.
        break;
      case PolicyKind::kSession:
        session = TruthOr(session, t);
        break;
      case PolicyKind::kEndpoint:
        (t == Truth::kTrue ? endpoint_true : endpoint_unknown).set(level);
        break;
      case PolicyKind::kResource:
        Truth& slot = s.principal() == PrincipalMatch::kDirect ? direct
                      : s.principal() == PrincipalMatch::kRole ? role
                                                               : account;
        slot = TruthOr(slot, t);
        break;
    }
  }
};

// Every level must allow: the conjunction, and the first level without any
// applicable Allow (-1 if none).
Truth EveryLevel(std::size_t levels, const std::bitset<64>& yes, const std::bitset<64>& maybe,
                 int* first_without) {
  Truth all = Truth::kTrue;
  *first_without = -1;
  for (std::size_t level = 0; level < levels; ++level) {
    const Truth t = yes[level] ? Truth::kTrue : maybe[level] ? Truth::kUnknown : Truth::kFalse;
    if (t == Truth::kFalse && *first_without < 0) *first_without = static_cast<int>(level);
    all = TruthAnd(all, t);
  }
  return all;
}

// The policies that limit the principal: none of them applies to the
// anonymous caller. [SCP] "SCPs affect only IAM users and roles that are
// managed by accounts that are part of the organization"; an unauthenticated
// request has no identity, boundary or session policy.
bool IsPrincipalSide(PolicyKind kind) {
  return kind == PolicyKind::kIdentity || kind == PolicyKind::kBoundary ||
         kind == PolicyKind::kScp || kind == PolicyKind::kSession;
}

// Which evaluation logic applies to the request.
struct Situation {
  bool anonymous = false;
  bool cross_account = false;  // caller and resource accounts known and different
  bool must_allow = false;     // a KMS key or a role's trust: the resource policy must allow
  bool has_policy = false;     // the requested resource's policy is in the set
  int scope = -1;              // the ResourcePolicy that covers the resource, -1 none
  std::bitset<64> endpoints;   // the VPC endpoints the request goes through
  bool NeedsPolicy() const { return !anonymous && !has_policy && (cross_account || must_allow); }
};

Situation Situate(const internal::EvaluatorImpl& impl, const Request& request,
                  const LowerAction& action) {
  Situation s;
  s.anonymous = impl.caller.anonymous();
  for (std::size_t i = 0; i < impl.resource_policies.size() && s.scope < 0; ++i) {
    const std::string& arn = impl.resource_policies[i].arn;
    if (!arn.empty() && ResourcePolicyCovers(arn, request.resource)) s.scope = static_cast<int>(i);
  }
  s.has_policy = s.scope >= 0 || impl.has_unscoped_resource_policy;
  if (impl.caller.known()) {
    std::string account = ResourceAccount(request.resource, request.context);
    if (account.empty() && s.scope >= 0) {
      account = impl.resource_policies[static_cast<std::size_t>(s.scope)].account;
    }
    for (std::size_t i = 0; account.empty() && i < impl.resource_accounts.size(); ++i) {
      if (ResourcePolicyCovers(impl.resource_accounts[i].first, request.resource)) {
        account = impl.resource_accounts[i].second;
      }
    }
    s.cross_account = !s.anonymous && !impl.caller.account.empty() && !account.empty() &&
                      account != impl.caller.account;
  }
  s.must_allow = MustBeAllowedByResourcePolicy(request.action, request.resource);
  const std::string_view service = action.service();
  for (std::size_t i = 0; i < impl.endpoint_services.size(); ++i) {
    s.endpoints[i] = impl.endpoint_services[i].empty() || impl.endpoint_services[i] == service;
  }
  return s;
}

// The decision from the tally, as the evaluation logic of the situation says
// (docs/evaluation.md section 1).
void Decide(const internal::EvaluatorImpl& impl, const Tally& t, const Situation& where,
            const Request& request, Decision* d) {
  int first_scp = -1;
  // SCPs limit the organization's principals; the anonymous caller is none.
  Truth scps = where.anonymous ? Truth::kTrue
                               : EveryLevel(impl.scp_levels, t.scp_true, t.scp_unknown, &first_scp);
  if (where.anonymous) first_scp = -1;
  // [VPCE] every endpoint the request goes through must allow it (an
  // endpoint the request does not go through counts as allowing).
  int first_endpoint = -1;
  const Truth endpoints =
      EveryLevel(impl.endpoint_services.size(), t.endpoint_true | ~where.endpoints,
                 t.endpoint_unknown, &first_endpoint);
  const Truth bounded = TruthAnd(impl.has_boundary ? t.boundary : Truth::kTrue,
                                 impl.has_session ? t.session : Truth::kTrue);
  const Truth caps = TruthAnd(scps, endpoints);
  // What the resource policy grants, and what the principal's side grants.
  Truth resource_side = Truth::kTrue, granted;
  Truth allowed;
  if (where.anonymous) {
    resource_side = t.direct;
    granted = t.direct;
    allowed = TruthAnd(scps, t.direct);
  } else if (where.cross_account) {
    resource_side = TruthOr(t.direct, TruthOr(t.role, t.account));
    granted = t.identity;
    allowed = TruthAnd(scps, TruthAnd(TruthAnd(t.identity, bounded), resource_side));
  } else if (where.must_allow) {
    resource_side = TruthOr(t.direct, TruthOr(t.role, t.account));
    granted = TruthOr(t.role, TruthAnd(t.account, t.identity));
    allowed = TruthAnd(scps, TruthOr(t.direct, TruthAnd(granted, bounded)));
  } else {
    granted = TruthOr(t.identity, t.role);
    allowed = TruthAnd(scps, TruthOr(t.direct, TruthAnd(granted, bounded)));
  }
  // The endpoints cap last: a denial names them only when nothing else denies.
  const Truth before_endpoints = allowed;
  allowed = TruthAnd(allowed, endpoints);

  auto keep = [&](auto predicate) {
    std::erase_if(d->matched, [&](const Decision::Match& m) { return !predicate(m); });
  };
  if (t.deny == Truth::kTrue) {
    d->kind = Decision::kExplicitDeny;
    keep([](const Decision::Match& m) {
      return m.truth == Truth::kTrue && m.statement->effect() == Effect::kDeny;
    });
    return;
  }
  // A resource policy that is not given could still allow: say which, unless
  // the principal's side alone already denies.
  const Truth principal_side = TruthAnd(caps, TruthAnd(t.identity, bounded));
  if (where.NeedsPolicy() && caps != Truth::kFalse &&
      (where.must_allow || principal_side != Truth::kFalse)) {
    d->kind = Decision::kNeedsResourcePolicy;
    d->needed_policy = PolicyResourceOf(request.resource);
    d->needed_policy_name = PolicyNameOf(KindOfPolicyResource(d->needed_policy));
    return;
  }
  if (allowed == Truth::kFalse) {
    d->kind = Decision::kImplicitDeny;
    d->matched.clear();
    if (first_scp >= 0) {
      d->denied_by = PolicyKind::kScp;
      d->denied_scp_level = first_scp;
    } else if (first_endpoint >= 0 && before_endpoints != Truth::kFalse) {
      d->denied_by = PolicyKind::kEndpoint;
      d->denied_scp_level = first_endpoint;
    } else if (where.anonymous ||
               (where.must_allow && !where.cross_account && resource_side == Truth::kFalse)) {
      d->denied_by = PolicyKind::kResource;
    } else if (t.direct == Truth::kFalse && granted == Truth::kFalse) {
      d->denied_by = PolicyKind::kIdentity;
    } else if (impl.has_boundary && t.boundary == Truth::kFalse) {
      d->denied_by = PolicyKind::kBoundary;
    } else if (resource_side == Truth::kFalse) {
      d->denied_by = PolicyKind::kResource;
    } else {
      d->denied_by = PolicyKind::kSession;
    }
    return;
  }
  if (t.deny == Truth::kFalse && allowed == Truth::kTrue) {
    d->kind = Decision::kAllowed;
    keep([](const Decision::Match& m) { return m.truth == Truth::kTrue; });
    return;
  }
  d->kind = Decision::kConditional;
}

}  // namespace

void Evaluator::Evaluate(const Request& request, Decision* d) const {
  d->matched.clear();
  d->missing_context.clear();
  d->denied_by = PolicyKind::kIdentity;
  d->denied_scp_level = 0;
  d->needed_policy.clear();
  d->needed_policy_name = {};
  d->no_permission_needed = false;

  const internal::EvaluatorImpl& impl = *impl_;
  const LowerAction action(request.action);
  const Situation where = Situate(impl, request, action);
  d->cross_account = where.cross_account;
  if (!where.anonymous && action.service() == "sts" && action.name() == "getcalleridentity") {
    // "No permissions are required to perform this operation. If an
    // administrator attaches a policy to your identity that explicitly denies
    // access to the sts:GetCallerIdentity action, you can still perform this
    // operation."
    d->kind = Decision::kAllowed;
    d->no_permission_needed = true;
    return;
  }
  const bool unknown_mode = request.missing_keys == MissingKeys::kUnknown;
  const EvalContext env(request.context, request.missing_keys, &d->missing_context);
  std::optional<RequestResource> resource;  // parsed when a statement first needs it
  Tally tally;

  const std::vector<internal::Candidate>& candidates = impl.Candidates(action.service());
  for (std::size_t k = 0; k < candidates.size();) {
    const internal::Candidate c = candidates[k++];
    const internal::StatementCode& code = impl.code[c.statement];
    bool applies;
    if (c.matcher == internal::Candidate::kEveryEntry) {
      applies = code.MatchesLowerAction(action.service(), action.name());
    } else {
      // The statement's entries for this service are consecutive.
      const std::vector<internal::ActionMatcher>& matchers = code.body->matchers;
      applies = code.MatchesLowerName(matchers[c.matcher], action.name());
      for (; k < candidates.size() && candidates[k].statement == c.statement; ++k) {
        applies = applies || code.MatchesLowerName(matchers[candidates[k].matcher], action.name());
      }
    }
    if (!applies) continue;
    const CompiledStatement& s = *code.statement;
    if (where.anonymous && IsPrincipalSide(s.kind())) continue;
    if (s.kind() == PolicyKind::kEndpoint &&
        !where.endpoints[static_cast<std::size_t>(s.scp_level())]) {
      continue;  // the request does not go through that endpoint
    }
    if (s.kind() == PolicyKind::kResource) {
      // Only the requested resource's own policy applies; an Allow naming the
      // caller's account delegates to the identity policies, which decide on
      // their own within the account unless the resource policy must allow.
      if (s.resource_policy() >= 0 && s.resource_policy() != where.scope) continue;
      if (s.effect() == Effect::kAllow && s.principal() == PrincipalMatch::kAccount &&
          !where.cross_account && !where.must_allow) {
        continue;
      }
    }
    const std::size_t mark = d->missing_context.size();
    if (!resource) resource.emplace(request.resource);
    const Truth t = code.MatchesAfterAction(*resource, env);
    // Three-valued: only keys that left a statement undecided matter.
    if (unknown_mode && t != Truth::kUnknown) d->missing_context.resize(mark);
    if (t == Truth::kFalse) continue;
    d->matched.push_back({&s, t});
    if (s.effect() == Effect::kDeny) {
      tally.deny = TruthOr(tally.deny, t);
    } else {
      tally.Allow(s, t);
    }
  }
  Decide(impl, tally, where, request, d);
  if (unknown_mode && d->kind != Decision::kConditional) d->missing_context.clear();

  // De-duplicate the missing keys case-insensitively, keeping first-seen order.
  auto& keys = d->missing_context;
  if (keys.size() < 2) return;
  std::size_t out = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < out && !seen; ++j) seen = EqualsIgnoreCase(keys[j], keys[i]);
    if (!seen) keys[out++] = keys[i];
  }
  keys.resize(out);
}

}  // namespace iam_audit
