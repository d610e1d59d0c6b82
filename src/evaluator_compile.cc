// Evaluator::Compile's statements (evaluator.h): each policy compiled into
// statement bodies that depend on the policy alone, shared through a
// PolicyCompileCache by every Evaluator that uses the same shared policy,
// then bound to where the policy is used (its kind, level, resource policy)
// and to the caller (a resource or endpoint policy's Principal).
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "evaluator_internal.h"
#include "iam_audit/evaluator.h"

namespace iam_audit {

std::vector<const Policy*> PolicySet::IdentityPolicies() const {
  std::vector<const Policy*> out;
  out.reserve(identity.size() + shared_identity.size());
  for (const Policy& p : identity) out.push_back(&p);
  for (const std::shared_ptr<const Policy>& p : shared_identity) out.push_back(p.get());
  return out;
}

const Policy* PolicySet::FirstIdentityPolicy() const {
  if (!identity.empty()) return &identity.front();
  return shared_identity.empty() ? nullptr : shared_identity.front().get();
}

const Policy* PolicySet::Boundary() const { return boundary ? &*boundary : shared_boundary.get(); }

struct PolicyCompileCache::State {
  struct Entry {
    std::shared_ptr<const Policy> policy;  // keeps the key's address from being reused
    std::shared_ptr<const internal::CompiledPolicy> compiled;
  };
  mutable std::mutex mutex;
  std::unordered_map<const Policy*, Entry> entries;
};

PolicyCompileCache::PolicyCompileCache() : state_(std::make_unique<State>()) {}
PolicyCompileCache::~PolicyCompileCache() = default;

std::size_t PolicyCompileCache::size() const {
  const std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->entries.size();
}

namespace internal {
namespace {

struct SourcePolicy {
  const Policy* policy;
  PolicyKind kind;
  int scp_level;             // kScp, kRcp: the level; kEndpoint: the endpoint
  int resource_policy = -1;  // kResource: index in resource_policies, -1 for `resource`
  const std::shared_ptr<const Policy>* shared = nullptr;  // a shared policy: cacheable
};

// How statement `s` of a VPC endpoint policy applies to `caller`. [VPCE]
// "If you specify the principal in the format "AWS": "account_id", access is
// granted to the AWS account root user only, and not all users and roles for
// the account": an account names only its root; no delegation.
PrincipalMatch EndpointPrincipal(const Statement& s, const Caller& caller, bool has_boundary) {
  const PrincipalMatch m = MatchPrincipal(s, caller, has_boundary);
  if (m != PrincipalMatch::kAccount) return m;
  return caller.type == Caller::Type::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
}

// The policies of `set` in the order their statements are compiled.
std::vector<SourcePolicy> CompileOrder(const PolicySet& set) {
  std::vector<SourcePolicy> sources;
  for (const Policy& p : set.identity) sources.push_back({&p, PolicyKind::kIdentity, 0});
  for (const std::shared_ptr<const Policy>& p : set.shared_identity) {
    sources.push_back({p.get(), PolicyKind::kIdentity, 0, -1, &p});
  }
  if (set.boundary) {
    sources.push_back({&*set.boundary, PolicyKind::kBoundary, 0});
  } else if (set.shared_boundary) {
    sources.push_back(
        {set.shared_boundary.get(), PolicyKind::kBoundary, 0, -1, &set.shared_boundary});
  }
  for (std::size_t level = 0; level < set.scps.size(); ++level) {
    for (const Policy& p : set.scps[level]) {
      sources.push_back({&p, PolicyKind::kScp, static_cast<int>(level)});
    }
  }
  if (set.session) sources.push_back({&*set.session, PolicyKind::kSession, 0});
  if (set.resource) sources.push_back({&*set.resource, PolicyKind::kResource, 0});
  for (std::size_t i = 0; i < set.resource_policies.size(); ++i) {
    sources.push_back(
        {&set.resource_policies[i].policy, PolicyKind::kResource, 0, static_cast<int>(i)});
  }
  for (std::size_t level = 0; level < set.rcps.size(); ++level) {
    for (const Policy& p : set.rcps[level]) {
      sources.push_back({&p, PolicyKind::kRcp, static_cast<int>(level)});
    }
  }
  for (std::size_t i = 0; i < set.vpc_endpoints.size(); ++i) {
    sources.push_back({&set.vpc_endpoints[i].policy, PolicyKind::kEndpoint, static_cast<int>(i)});
  }
  return sources;
}

StatementBody CompileStatement(const Statement& s, const Policy& policy, Diagnostics* errors) {
  const bool variables = policy.SupportsVariables();
  StatementBody body;
  // Sized up front: a ResourceTemplate is large and costly to move (62 M
  // instructions of regrowth on the AWS managed policies).
  body.actions.reserve(s.actions.size());
  body.matchers.reserve(s.actions.size());
  body.resources.reserve(s.resources.size());
  body.quick.reserve(s.resources.size());
  std::size_t room = 0;
  for (const LocatedString& a : s.actions) {
    std::string error;
    if (auto p = ActionPattern::Parse(a.value, &error)) {
      room += ActionMatcher::LiteralRoom(*p);
      body.actions.push_back(std::move(*p));
    } else {
      errors->push_back(Diagnostic{policy.file, a.where, error});
    }
  }
  if (room > 0) body.lower_literals = std::make_unique_for_overwrite<char[]>(room);
  char* literals = body.lower_literals.get();
  for (std::size_t i = 0; i < body.actions.size(); ++i) {
    body.matchers.push_back(ActionMatcher::Make(body.actions[i], i, &literals));
  }
  for (const LocatedString& r : s.resources) {
    body.resources.emplace_back(PolicyTemplate::Parse(r.value, variables, Glob::Case::kSensitive));
    body.quick.push_back(QuickArn::For(body.resources.back()));
  }
  if (auto block = ConditionBlock::Compile(s.conditions, variables, policy.file, errors)) {
    body.conditions = std::move(*block);
  }
  return body;
}

}  // namespace

std::shared_ptr<const CompiledPolicy> CompilePolicy(const Policy& policy) {
  auto compiled = std::make_shared<CompiledPolicy>();
  compiled->statements.reserve(policy.statements.size());
  for (const Statement& s : policy.statements) {
    compiled->statements.push_back(CompileStatement(s, policy, &compiled->errors));
  }
  return compiled;
}

void EvaluatorImpl::CompileStatements(const PolicySet& set, PolicyCompileCache* cache,
                                      Diagnostics* errors) {
  const bool has_boundary = set.Boundary() != nullptr;
  const std::vector<SourcePolicy> sources = CompileOrder(set);
  std::size_t total = 0;
  for (const SourcePolicy& src : sources) total += src.policy->statements.size();
  statements.reserve(total);
  code.reserve(total);
  policies.reserve(sources.size());
  for (const SourcePolicy& src : sources) {
    const Policy& policy = *src.policy;
    std::shared_ptr<const CompiledPolicy> compiled;
    if (cache != nullptr && src.shared != nullptr) {
      PolicyCompileCache::State& state = *cache->state_;
      {
        const std::lock_guard<std::mutex> lock(state.mutex);
        const auto it = state.entries.find(&policy);
        if (it != state.entries.end()) compiled = it->second.compiled;
      }
      if (!compiled) {  // compiled outside the lock; the first one stored wins
        std::shared_ptr<const CompiledPolicy> mine = CompilePolicy(policy);
        const std::lock_guard<std::mutex> lock(state.mutex);
        compiled = state.entries
                       .try_emplace(&policy,
                                    PolicyCompileCache::State::Entry{*src.shared, std::move(mine)})
                       .first->second.compiled;
      }
    } else {
      compiled = CompilePolicy(policy);
    }
    errors->insert(errors->end(), compiled->errors.begin(), compiled->errors.end());
    for (std::size_t i = 0; i < policy.statements.size(); ++i) {
      const Statement& s = policy.statements[i];
      CompiledStatement c;
      c.source_ = &s;
      c.file_ = &policy.file;
      c.body_ = &compiled->statements[i];
      c.kind_ = src.kind;
      c.scp_level_ = src.scp_level;
      c.principal_ = src.kind == PolicyKind::kResource ? MatchPrincipal(s, caller, has_boundary)
                     : src.kind == PolicyKind::kEndpoint
                         ? EndpointPrincipal(s, caller, has_boundary)
                         : PrincipalMatch::kDirect;
      c.resource_policy_ = src.resource_policy;
      StatementCode code;
      code.body = c.body_;
      code.not_action = s.not_action;
      code.has_resource = s.has_resource;
      code.not_resource = s.not_resource;
      statements.push_back(std::move(c));
      this->code.push_back(std::move(code));
    }
    policies.push_back(std::move(compiled));
  }
  // The vectors are final: link each statement and its code.
  for (std::size_t i = 0; i < statements.size(); ++i) {
    statements[i].code_ = &code[i];
    code[i].statement = &statements[i];
  }
}

}  // namespace internal
}  // namespace iam_audit
