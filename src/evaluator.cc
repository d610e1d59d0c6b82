#include "iam_audit/evaluator.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstring>
#include <tuple>

#include "ascii.h"
#include "evaluator_internal.h"

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

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The caller of a request, as far as resource-policy principals care.
struct Caller {
  enum Type { kNone, kOther, kRoot, kUser, kRole, kRoleSession, kFederatedUser } type = kNone;
  std::string arn;
  std::string account;
  std::string role_name;  // kRole, kRoleSession: the role's name (no path)

  static Caller Parse(std::string_view text) {
    Caller c;
    c.arn = std::string(text);
    if (text.empty()) return c;
    c.type = kOther;
    if (IsAccountId(text)) {
      c.type = kRoot;
      c.account = std::string(text);
      return c;
    }
    const auto arn = Arn::Parse(text);
    if (!arn) return c;
    c.account = std::string(arn->account);
    const std::string_view r = arn->resource;
    auto after = [&](std::string_view prefix) { return r.substr(prefix.size()); };
    if (EqualsIgnoreCase(arn->service, "iam")) {
      if (r == "root") {
        c.type = kRoot;
      } else if (r.starts_with("user/")) {
        c.type = kUser;
      } else if (r.starts_with("role/")) {
        c.type = kRole;
        const std::string_view path_name = after("role/");
        c.role_name = std::string(path_name.substr(path_name.rfind('/') + 1));
      }
    } else if (EqualsIgnoreCase(arn->service, "sts")) {
      if (r.starts_with("assumed-role/")) {
        c.type = kRoleSession;
        const std::string_view rest = after("assumed-role/");
        c.role_name = std::string(rest.substr(0, rest.find('/')));
      } else if (r.starts_with("federated-user/")) {
        c.type = kFederatedUser;
      }
    }
    return c;
  }
};

// The account a Principal "AWS" value names as a whole ("123456789012" or
// "arn:aws:iam::123456789012:root"), if it is one.
std::optional<std::string_view> AccountPrincipal(std::string_view value) {
  if (IsAccountId(value)) return value;
  const auto arn = Arn::Parse(value);
  if (arn && EqualsIgnoreCase(arn->service, "iam") && arn->resource == "root") return arn->account;
  return std::nullopt;
}

PrincipalMatch ClassifyAwsValue(std::string_view v, const Caller& caller) {
  if (v == "*") return PrincipalMatch::kDirect;
  if (caller.type == Caller::kNone) return PrincipalMatch::kNone;
  if (const auto account = AccountPrincipal(v)) {
    if (*account != caller.account) return PrincipalMatch::kNone;
    return caller.type == Caller::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kAccount;
  }
  if (EqualsIgnoreCase(v, caller.arn)) {
    // "Resource-based policies that grant permissions to an IAM role ARN are
    // limited by an implicit deny in a permissions boundary or session policy."
    return caller.type == Caller::kRole ? PrincipalMatch::kRole : PrincipalMatch::kDirect;
  }
  if (caller.type == Caller::kRoleSession) {
    const auto arn = Arn::Parse(v);
    if (arn && EqualsIgnoreCase(arn->service, "iam") && arn->account == caller.account &&
        arn->resource.starts_with("role/")) {
      const std::string_view path_name = arn->resource.substr(5);
      if (EqualsIgnoreCase(path_name.substr(path_name.rfind('/') + 1), caller.role_name)) {
        return PrincipalMatch::kRole;
      }
    }
  }
  return PrincipalMatch::kNone;
}

PrincipalMatch Strongest(PrincipalMatch a, PrincipalMatch b) {
  auto rank = [](PrincipalMatch m) {
    switch (m) {
      case PrincipalMatch::kDirect:
        return 3;
      case PrincipalMatch::kRole:
        return 2;
      case PrincipalMatch::kAccount:
        return 1;
      case PrincipalMatch::kNone:
        break;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

PrincipalMatch ClassifyPrincipal(const Statement& s, const Caller& caller) {
  if (!s.principal) return PrincipalMatch::kNone;
  const PrincipalSpec& spec = *s.principal;
  PrincipalMatch best = spec.wildcard ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  for (const auto& [type, values] : spec.by_type) {
    for (const LocatedString& v : values) {
      if (type == "AWS") {
        best = Strongest(best, ClassifyAwsValue(v.value, caller));
      } else if (v.value == "*" ||
                 (caller.type != Caller::kNone && EqualsIgnoreCase(v.value, caller.arn))) {
        best = Strongest(best, PrincipalMatch::kDirect);
      }
    }
  }
  if (s.not_principal) {
    // NotPrincipal: everyone except the listed principals.
    return best == PrincipalMatch::kNone ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  }
  return best;
}

struct SourcePolicy {
  const Policy* policy;
  PolicyKind kind;
  int scp_level;
};

// The policies of `set` in the order their statements are compiled.
std::vector<SourcePolicy> CompileOrder(const PolicySet& set) {
  std::vector<SourcePolicy> sources;
  for (const Policy& p : set.identity) sources.push_back({&p, PolicyKind::kIdentity, 0});
  if (set.boundary) sources.push_back({&*set.boundary, PolicyKind::kBoundary, 0});
  for (std::size_t level = 0; level < set.scps.size(); ++level) {
    for (const Policy& p : set.scps[level]) {
      sources.push_back({&p, PolicyKind::kScp, static_cast<int>(level)});
    }
  }
  if (set.session) sources.push_back({&*set.session, PolicyKind::kSession, 0});
  if (set.resource) sources.push_back({&*set.resource, PolicyKind::kResource, 0});
  return sources;
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
  }
  return "implicit_deny";
}

// --- ResourceTemplate -----------------------------------------------------------

ResourceTemplate::ResourceTemplate(PolicyTemplate tmpl)
    : tmpl_(std::move(tmpl)), lower_keys_(LowerVariableKeys(tmpl_)) {
  if (tmpl_.HasVariables()) return;
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
    const auto& tokens = pattern->fields()[i].tokens();
    std::size_t k = 0;
    for (; k < tokens.size() && tokens[k].kind == Glob::TokenKind::kLiteral; ++k) {
      q.prefix[i] += i == 4 ? tokens[k].literal : Lower(tokens[k].literal);
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

constexpr std::array<char, 256> MakeLowerTable() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return t;
}
constexpr std::array<char, 256> kLowerTable = MakeLowerTable();

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
      const char c = kLowerTable[static_cast<unsigned char>(action[i])];
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

ActionMatcher ActionMatcher::Make(const ActionPattern& p, std::size_t index) {
  ActionMatcher m;
  m.pattern = index;
  m.all = p.MatchesAllActions();
  m.any_service = p.service().MatchesEverything();
  if (!p.service().HasWildcards()) {
    m.literal_service = true;
    m.service = Lower(p.service().ToString());
  }
  const auto& tokens = p.name().tokens();
  const auto literal_prefix = std::find_if(tokens.begin(), tokens.end(), [](const Glob::Token& t) {
    return t.kind != Glob::TokenKind::kLiteral;
  });
  std::string literal;
  for (auto it = tokens.begin(); it != literal_prefix; ++it) literal += Lower(it->literal);
  if (p.name().MatchesEverything()) {
    m.name_kind = Name::kAny;
  } else if (literal_prefix == tokens.end()) {
    m.name_kind = Name::kExact;
    m.name = std::move(literal);
  } else if (literal_prefix + 1 == tokens.end() &&
             literal_prefix->kind == Glob::TokenKind::kAnyRun) {
    m.name_kind = Name::kPrefix;
    m.name = std::move(literal);
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
  return statement->actions()[m.pattern].name().Matches(name);
}

bool StatementCode::MatchesLowerAction(std::string_view service, std::string_view name) const {
  bool listed = false;
  for (const ActionMatcher& m : matchers) {
    if (m.all) {
      listed = true;
      break;
    }
    const bool service_matches = m.any_service ? true
                                 : m.literal_service
                                     ? Same(service, m.service)
                                     : statement->actions()[m.pattern].service().Matches(service);
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
  const std::vector<ResourceTemplate>& resources = statement->resources();
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
  const ConditionBlock& conditions = statement->conditions();
  if (r == Truth::kFalse || conditions.empty()) return r;
  return TruthAnd(r, conditions.Evaluate(env));
}

}  // namespace internal

// --- CompiledStatement -------------------------------------------------------------

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

// --- Evaluator::Compile -----------------------------------------------------------------

namespace internal {

void EvaluatorImpl::CompileStatements(const PolicySet& set, Diagnostics* errors) {
  const Caller caller = Caller::Parse(set.principal);
  for (const SourcePolicy& src : CompileOrder(set)) {
    const Policy& policy = *src.policy;
    const bool variables = policy.SupportsVariables();
    for (const Statement& s : policy.statements) {
      CompiledStatement c;
      c.source_ = &s;
      c.file_ = &policy.file;
      c.kind_ = src.kind;
      c.scp_level_ = src.scp_level;
      StatementCode code;
      code.not_action = s.not_action;
      code.has_resource = s.has_resource;
      code.not_resource = s.not_resource;
      for (const LocatedString& a : s.actions) {
        std::string error;
        if (auto p = ActionPattern::Parse(a.value, &error)) {
          code.matchers.push_back(ActionMatcher::Make(*p, c.actions_.size()));
          c.actions_.push_back(std::move(*p));
        } else {
          errors->push_back(Diagnostic{policy.file, a.where, error});
        }
      }
      for (const LocatedString& r : s.resources) {
        c.resources_.emplace_back(
            PolicyTemplate::Parse(r.value, variables, Glob::Case::kSensitive));
        code.quick.push_back(QuickArn::For(c.resources_.back()));
      }
      if (auto block = ConditionBlock::Compile(s.conditions, variables, policy.file, errors)) {
        c.conditions_ = std::move(*block);
      }
      c.principal_ = src.kind == PolicyKind::kResource ? ClassifyPrincipal(s, caller)
                                                       : PrincipalMatch::kDirect;
      statements.push_back(std::move(c));
      this->code.push_back(std::move(code));
    }
  }
  // The vectors are final: link each statement and its code.
  for (std::size_t i = 0; i < statements.size(); ++i) {
    statements[i].code_ = &code[i];
    code[i].statement = &statements[i];
  }
}

// Index the statements by the service prefixes their Action names literally;
// wildcard services, "*" and NotAction statements are candidates for every
// service.
void EvaluatorImpl::BuildIndex() {
  std::vector<std::pair<std::string, Candidate>> literal;
  for (std::uint32_t i = 0; i < statements.size(); ++i) {
    const CompiledStatement& s = statements[i];
    const StatementCode& c = code[i];
    if (s.principal() == PrincipalMatch::kNone) continue;  // never applies to this caller
    if (s.effect() == Effect::kAllow && s.principal() == PrincipalMatch::kAccount) continue;
    const bool everywhere =
        c.not_action || std::any_of(c.matchers.begin(), c.matchers.end(),
                                    [](const auto& m) { return m.all || !m.literal_service; });
    if (everywhere) {
      other_services.push_back({i, Candidate::kEveryEntry});
      continue;
    }
    for (std::uint32_t j = 0; j < c.matchers.size(); ++j) {
      literal.push_back({c.matchers[j].service, {i, j}});
    }
  }
  std::stable_sort(literal.begin(), literal.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto by_statement = [](const Candidate& a, const Candidate& b) {
    return a.statement < b.statement;
  };
  for (std::size_t i = 0; i < literal.size();) {
    ServiceIndex entry{ServiceKey(literal[i].first), literal[i].first, {}};
    std::vector<Candidate> own;
    for (; i < literal.size() && literal[i].first == entry.service; ++i) {
      own.push_back(literal[i].second);
    }
    std::merge(own.begin(), own.end(), other_services.begin(), other_services.end(),
               std::back_inserter(entry.candidates), by_statement);
    by_service.push_back(std::move(entry));
  }
  std::sort(by_service.begin(), by_service.end(), [](const ServiceIndex& a, const ServiceIndex& b) {
    return std::tie(a.key, a.service) < std::tie(b.key, b.service);
  });
}

const std::vector<Candidate>& EvaluatorImpl::Candidates(std::string_view service) const {
  const std::uint64_t key = ServiceKey(service);
  auto it = std::lower_bound(by_service.begin(), by_service.end(), key,
                             [](const ServiceIndex& e, std::uint64_t k) { return e.key < k; });
  for (; it != by_service.end() && it->key == key; ++it) {
    if (Same(it->service, service)) return it->candidates;
  }
  return other_services;
}

}  // namespace internal

Evaluator::Evaluator(std::shared_ptr<const internal::EvaluatorImpl> impl)
    : impl_(std::move(impl)) {}

std::span<const CompiledStatement> Evaluator::statements() const { return impl_->statements; }
std::size_t Evaluator::scp_levels() const { return impl_->scp_levels; }
bool Evaluator::has_boundary() const { return impl_->has_boundary; }
bool Evaluator::has_session_policy() const { return impl_->has_session; }

Evaluator::CompileResult Evaluator::Compile(const PolicySet& set) {
  CompileResult result;
  auto impl = std::make_shared<internal::EvaluatorImpl>();
  impl->scp_levels = set.scps.size();
  impl->has_boundary = set.boundary.has_value();
  impl->has_session = set.session.has_value();
  if (impl->scp_levels > 64) {
    result.errors.push_back(Diagnostic{"", {}, "at most 64 SCP levels are supported"});
    return result;
  }
  impl->CompileStatements(set, &result.errors);
  if (!result.errors.empty()) return result;
  impl->BuildIndex();
  result.evaluator = Evaluator(std::move(impl));
  return result;
}

// --- Evaluator::Evaluate ------------------------------------------------------------------

Decision Evaluator::Evaluate(const Request& request) const {
  Decision d;
  Evaluate(request, &d);
  return d;
}

void Evaluator::Evaluate(const Request& request, Decision* d) const {
  d->matched.clear();
  d->missing_context.clear();
  d->denied_by = PolicyKind::kIdentity;
  d->denied_scp_level = 0;

  const LowerAction action(request.action);
  const bool unknown_mode = request.missing_keys == MissingKeys::kUnknown;
  const EvalContext env(request.context, request.missing_keys, &d->missing_context);
  std::optional<RequestResource> resource;  // parsed when a statement first needs it

  Truth deny = Truth::kFalse, identity = Truth::kFalse, boundary = Truth::kFalse,
        session = Truth::kFalse, resource_direct = Truth::kFalse, resource_role = Truth::kFalse;
  std::bitset<64> scp_true, scp_unknown;

  const internal::EvaluatorImpl& impl = *impl_;
  const std::vector<internal::Candidate>& candidates = impl.Candidates(action.service());
  for (std::size_t k = 0; k < candidates.size();) {
    const internal::Candidate c = candidates[k++];
    const internal::StatementCode& code = impl.code[c.statement];
    bool applies;
    if (c.matcher == internal::Candidate::kEveryEntry) {
      applies = code.MatchesLowerAction(action.service(), action.name());
    } else {
      // The statement's entries for this service are consecutive.
      applies = code.MatchesLowerName(code.matchers[c.matcher], action.name());
      for (; k < candidates.size() && candidates[k].statement == c.statement; ++k) {
        applies =
            applies || code.MatchesLowerName(code.matchers[candidates[k].matcher], action.name());
      }
    }
    if (!applies) continue;
    const CompiledStatement& s = *code.statement;
    const std::size_t mark = d->missing_context.size();
    if (!resource) resource.emplace(request.resource);
    const Truth t = code.MatchesAfterAction(*resource, env);
    // Three-valued: only keys that left a statement undecided matter.
    if (unknown_mode && t != Truth::kUnknown) d->missing_context.resize(mark);
    if (t == Truth::kFalse) continue;
    d->matched.push_back({&s, t});
    if (s.effect() == Effect::kDeny) {
      deny = TruthOr(deny, t);
      continue;
    }
    switch (s.kind()) {
      case PolicyKind::kIdentity:
        identity = TruthOr(identity, t);
        break;
      case PolicyKind::kBoundary:
        boundary = TruthOr(boundary, t);
        break;
      case PolicyKind::kScp:
        (t == Truth::kTrue ? scp_true : scp_unknown).set(static_cast<std::size_t>(s.scp_level()));
        break;
      case PolicyKind::kSession:
        session = TruthOr(session, t);
        break;
      case PolicyKind::kResource:
        if (s.principal() == PrincipalMatch::kDirect) {
          resource_direct = TruthOr(resource_direct, t);
        } else {
          resource_role = TruthOr(resource_role, t);
        }
        break;
    }
  }

  // "Policy evaluation logic": SCPs (every level) -> resource-based policy ->
  // identity-based policies -> permissions boundary -> session policy.
  Truth scps = Truth::kTrue;
  int first_scp_without_allow = -1;
  for (std::size_t level = 0; level < impl.scp_levels; ++level) {
    const Truth t = scp_true[level]      ? Truth::kTrue
                    : scp_unknown[level] ? Truth::kUnknown
                                         : Truth::kFalse;
    if (t == Truth::kFalse && first_scp_without_allow < 0) {
      first_scp_without_allow = static_cast<int>(level);
    }
    scps = TruthAnd(scps, t);
  }
  const Truth bounded = TruthAnd(impl.has_boundary ? boundary : Truth::kTrue,
                                 impl.has_session ? session : Truth::kTrue);
  const Truth granted = TruthOr(identity, resource_role);
  const Truth allowed = TruthAnd(scps, TruthOr(resource_direct, TruthAnd(granted, bounded)));

  auto keep = [&](auto predicate) {
    if (std::all_of(d->matched.begin(), d->matched.end(), predicate)) return;
    d->matched.erase(std::remove_if(d->matched.begin(), d->matched.end(),
                                    [&](const Decision::Match& m) { return !predicate(m); }),
                     d->matched.end());
  };
  bool definite = true;
  if (deny == Truth::kTrue) {
    d->kind = Decision::kExplicitDeny;
    keep([](const Decision::Match& m) {
      return m.truth == Truth::kTrue && m.statement->effect() == Effect::kDeny;
    });
  } else if (allowed == Truth::kFalse) {
    d->kind = Decision::kImplicitDeny;
    d->matched.clear();
    if (first_scp_without_allow >= 0) {
      d->denied_by = PolicyKind::kScp;
      d->denied_scp_level = first_scp_without_allow;
    } else if (resource_direct == Truth::kFalse && granted == Truth::kFalse) {
      d->denied_by = PolicyKind::kIdentity;
    } else if (impl.has_boundary && boundary == Truth::kFalse) {
      d->denied_by = PolicyKind::kBoundary;
    } else {
      d->denied_by = PolicyKind::kSession;
    }
  } else if (deny == Truth::kFalse && allowed == Truth::kTrue) {
    d->kind = Decision::kAllowed;
    keep([](const Decision::Match& m) { return m.truth == Truth::kTrue; });
  } else {
    d->kind = Decision::kConditional;
    definite = false;
  }
  if (unknown_mode && definite) d->missing_context.clear();

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
