// Evaluator: decides whether a request is allowed, as AWS's policy evaluation
// logic does, offline.
//
//   PolicySet set;                        // one principal's policies
//   set.identity = {ParsePolicy(...).policy.value()};
//   set.boundary = ...;                   // optional
//   auto compiled = Evaluator::Compile(set);
//   if (!compiled.errors.empty()) ...     // e.g. an unknown condition operator
//   Request r{"s3:GetObject", "arn:aws:s3:::bucket/key", context};
//   Decision d = compiled.evaluator->Evaluate(r);
//
// Compile() does the policy work once: action patterns parsed, Resource /
// NotResource patterns pre-compiled (policy variables kept as templates),
// conditions compiled (condition.h), resource-policy principals matched
// against the caller. The statements grouped by service prefix are built by
// the first Evaluate() (once, thread-safe): analyses that only read
// statements() (lint, the risk model) never pay for them. Evaluate() then only
// matches; with a reused Decision it does not allocate on the common paths.
// Many principals sharing policies (an account's roles and their managed
// policies) share their compiled form through a PolicyCompileCache.
//
// The algorithm is AWS's "Policy evaluation logic" (docs/evaluation.md quotes
// the pages):
//   0. sts:GetCallerIdentity needs no permission: allowed for any signed caller;
//   1. an applicable Deny in any policy -> explicit deny (a resource policy's
//      statements apply when their Principal covers the caller, and only the
//      policy of the requested resource applies);
//   2. every SCP level (not for the anonymous caller) and every RCP level must
//      have an applicable Allow;
//   3. same account: an Allow in the resource-based policy for the caller
//      decides (a role ARN principal still needs the boundary and session
//      policy); otherwise the identity policies must allow, and then the
//      permissions boundary and the session policy (when given) too;
//   4. KMS key policies and role trust policies must allow explicitly: an
//      Allow naming the caller (or its role), or one naming its account, which
//      delegates to the identity policies;
//   5. cross-account (the caller's account differs from the resource's, from
//      its ARN, the ResourcePolicy's account or aws:ResourceAccount): the
//      identity side (identity, boundary, session, SCPs) and the resource
//      policy must both allow;
//   6. the anonymous caller: only a resource policy Allow to "*" grants (no
//      identity policy, boundary, session policy or SCP applies to it);
//   7. a request through a VPC endpoint (PolicySet::vpc_endpoints, by
//      service) also needs an Allow in the endpoint's policy naming the
//      caller; its Deny denies;
//   8. else implicit deny.
// When 4 or 5 needs a resource policy that is not in the PolicySet, the
// decision is kNeedsResourcePolicy (naming it) unless a Deny or the identity
// side already decides.
//
// Three-valued mode (Request::missing_keys = MissingKeys::kUnknown): a
// statement whose condition (or policy variable) needs a key the request does
// not supply matches "unknown"; the decision is then kConditional when the
// outcome depends on such keys, and names them. The same code path serves both
// modes.
//
// Thread-safety: an Evaluator is immutable after Compile(); Evaluate() may run
// concurrently from many threads (with a Decision per thread).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iam_audit/action_pattern.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_variable.h"
#include "iam_audit/principal.h"

namespace iam_audit {

enum class PolicyKind : std::uint8_t {
  kIdentity,
  kBoundary,  // permissions boundary
  kScp,       // service control policy (one level of the organization)
  kSession,   // session policy
  kResource,  // resource-based policy (bucket, key, trust, Data Catalog policy...)
  kRcp,       // resource control policy (one level of the organization)
  kEndpoint,  // VPC endpoint policy (the endpoint the request goes through)
};
std::string_view PolicyKindName(PolicyKind kind);  // "identity", "boundary", "scp", ...

// A VPC endpoint policy and the requests that go through the endpoint.
struct EndpointPolicy {
  // The service the endpoint serves, as an action prefix ("s3" for
  // com.amazonaws.eu-west-1.s3): the policy applies to that service's
  // requests. "" = every request goes through it.
  std::string service;
  Policy policy;
};

// A resource-based policy and the resource it is attached to.
struct ResourcePolicy {
  // The resource: a bucket ARN (covers its objects), a KMS key ARN, a role ARN
  // (its trust policy), a Glue catalog ARN (every Glue resource of the
  // catalog)... (resource_policy.h). "" = whatever resource is requested.
  std::string arn;
  // The resource's account when its ARN has none (S3 buckets); "" = unknown.
  std::string account;
  Policy policy;
};

// The policies that apply to one principal's requests.
struct PolicySet {
  std::vector<Policy> identity;    // all of the principal's identity policies
  std::optional<Policy> boundary;  // permissions boundary
  // Policies shared with other sets instead of copied (a file's managed
  // policy attached to 2,000 roles): more identity policies after
  // `identity`, and the boundary when `boundary` is empty. With a
  // PolicyCompileCache, each is compiled once for all the sets.
  std::vector<std::shared_ptr<const Policy>> shared_identity;
  std::shared_ptr<const Policy> shared_boundary;
  std::vector<std::vector<Policy>> scps;          // SCP levels, root first; each level must allow
  std::optional<Policy> session;                  // session policy
  std::optional<Policy> resource;                 // the requested resource's policy, whatever it is
  std::vector<ResourcePolicy> resource_policies;  // policies of named resources
  std::vector<std::vector<Policy>> rcps;          // RCP levels, root first (they only deny)
  // VPC endpoints the requests go through (each must allow the requests of
  // its service; at most 64).
  std::vector<EndpointPolicy> vpc_endpoints;
  // The accounts of resources whose ARNs do not say (S3 buckets): resource
  // ARN (a bucket covers its objects) -> 12-digit account.
  std::vector<std::pair<std::string, std::string>> resource_accounts;
  // The caller (principal.h): an ARN, an account id, a service principal or
  // "anonymous"; "" = not known. `principal_account` gives the caller's
  // account when `principal` does not.
  std::string principal;
  std::string principal_account;

  // `identity`, then `shared_identity`; the first of them, or nullptr.
  std::vector<const Policy*> IdentityPolicies() const;
  const Policy* FirstIdentityPolicy() const;
  // `boundary`, else `shared_boundary`; nullptr when neither.
  const Policy* Boundary() const;
};

// A request's resource, parsed once for all the patterns it meets. Immutable
// (safe to share between threads).
class RequestResource {
 public:
  explicit RequestResource(std::string_view resource)
      : text_(resource), arn_(Arn::Parse(resource)) {
    if (arn_)
      fields_ = {arn_->partition, arn_->service, arn_->region, arn_->account, arn_->resource};
  }
  std::string_view text() const { return text_; }
  // The resource as an ARN; nullptr when it is not one.
  const Arn* arn() const { return arn_ ? &*arn_ : nullptr; }
  // Field `i` (0 partition ... 4 resource) of arn(), which must be non-null.
  std::string_view field(std::size_t i) const { return fields_[i]; }
  bool MatchedBy(const ArnPattern& p) const { return arn_ ? p.Matches(*arn_) : p.Matches(text_); }

 private:
  std::string_view text_;
  std::optional<Arn> arn_;
  std::array<std::string_view, 5> fields_;
};

// One Resource / NotResource entry, compiled.
class ResourceTemplate {
 public:
  explicit ResourceTemplate(PolicyTemplate tmpl);
  const PolicyTemplate& tmpl() const { return tmpl_; }
  const std::string& text() const { return tmpl_.text(); }
  // The compiled pattern when the entry has no policy variables; nullptr otherwise.
  const ArnPattern* static_pattern() const { return pattern_ ? &*pattern_ : nullptr; }
  // Does the entry match `resource`? kUnknown when it depends on a variable
  // whose key is unknown (and could match).
  Truth Matches(const RequestResource& resource, const EvalContext& env) const;

 private:
  PolicyTemplate tmpl_;
  std::vector<std::string> lower_keys_;
  std::optional<ArnPattern> pattern_;
};

namespace internal {
struct StatementCode;  // the matching machinery (src/evaluator_internal.h)
struct StatementBody;
struct EvaluatorImpl;
}  // namespace internal

// One statement, compiled, with a reference to the Statement it was compiled
// from. Exposed read-only so that other analyses (lint, the coverage audit)
// reuse the compiled form instead of re-parsing.
class CompiledStatement {
 public:
  const Statement& source() const { return *source_; }
  PolicyKind kind() const { return kind_; }
  int scp_level() const { return scp_level_; }  // 0-based level (kScp, kRcp), endpoint (kEndpoint)
  const std::string& file() const { return *file_; }
  bool has_sid() const { return source_->sid.has_value(); }
  const std::string& sid() const;  // "" when the statement has no Sid
  SourceLocation where() const { return source_->where; }
  Effect effect() const { return source_->effect; }
  int index() const { return source_->index; }  // position in its policy

  bool not_action() const { return source_->not_action; }
  const std::vector<ActionPattern>& actions() const;
  // Action / NotAction applied to a concrete action "service:Name" (any case).
  bool MatchesAction(std::string_view action) const;

  bool has_resource() const { return source_->has_resource; }  // false: implied
  bool not_resource() const { return source_->not_resource; }
  const std::vector<ResourceTemplate>& resources() const;
  // Resource / NotResource applied to a concrete resource.
  Truth MatchesResource(const RequestResource& resource, const EvalContext& env) const;
  Truth MatchesResource(std::string_view resource, const EvalContext& env) const {
    return MatchesResource(RequestResource(resource), env);
  }

  const ConditionBlock& conditions() const;
  PrincipalMatch principal() const { return principal_; }  // kResource only
  // kResource: the index in PolicySet::resource_policies of its policy; -1
  // for PolicySet::resource.
  int resource_policy() const { return resource_policy_; }

  // Action, resource, principal and condition together.
  Truth Matches(std::string_view action, std::string_view resource, const EvalContext& env) const;

 private:
  friend struct internal::EvaluatorImpl;
  const Statement* source_ = nullptr;
  const std::string* file_ = nullptr;  // the file of the source's policy
  const internal::StatementCode* code_ = nullptr;
  // Actions, resources and conditions compiled: shared by every Evaluator
  // compiled with the same PolicyCompileCache from the same shared policy.
  const internal::StatementBody* body_ = nullptr;
  PolicyKind kind_ = PolicyKind::kIdentity;
  int scp_level_ = 0;
  PrincipalMatch principal_ = PrincipalMatch::kDirect;
  int resource_policy_ = -1;
};

struct Request {
  std::string action;    // "service:Action", e.g. "s3:GetObject"
  std::string resource;  // an ARN, or "*"
  RequestContext context;
  MissingKeys missing_keys = MissingKeys::kAbsent;  // kUnknown: three-valued
};

struct Decision {
  enum Kind : std::uint8_t {
    kAllowed,
    kExplicitDeny,
    kImplicitDeny,
    kConditional,  // kUnknown mode only: allowed or denied depending on missing keys
    // Decided by a resource-based policy that was not given (a cross-account
    // resource, a KMS key, a role to assume): `needed_policy` names it.
    kNeedsResourcePolicy,
  };
  Kind kind = kImplicitDeny;

  struct Match {
    const CompiledStatement* statement;  // owned by the Evaluator
    Truth truth;                         // kTrue, or kUnknown (conditional)
  };
  // The statements that decided: the applicable Deny statements for an
  // explicit deny; the applicable Allow statements for an allow; for a
  // conditional decision, every Allow and Deny that matches or might.
  std::vector<Match> matched;

  // Condition keys (and policy-variable keys) the evaluation consulted but the
  // request did not supply, as written in the policies, de-duplicated
  // case-insensitively. kUnknown mode: only those the outcome depends on.
  std::vector<std::string_view> missing_context;

  // For an implicit deny: the first stage without an applicable Allow
  // (kScp and kRcp with their level; kEndpoint with the index of the VPC
  // endpoint in PolicySet::vpc_endpoints; kResource when the resource side
  // of a cross-account request, a key policy or a trust policy does not allow).
  PolicyKind denied_by = PolicyKind::kIdentity;
  int denied_scp_level = 0;

  // kNeedsResourcePolicy: the resource whose policy decides (a bucket, key or
  // role ARN) and what AWS calls that policy ("key policy").
  std::string needed_policy;
  std::string_view needed_policy_name;
  // The caller's account differs from the resource's: both sides must allow.
  bool cross_account = false;
  // sts:GetCallerIdentity: "No permissions are required to perform this
  // operation" (allowed whatever the policies say).
  bool no_permission_needed = false;

  bool allowed() const { return kind == kAllowed; }
};
// "allowed", "explicit_deny", "implicit_deny", "conditional", "needs_resource_policy".
std::string_view DecisionName(Decision::Kind kind);

struct EvaluatorCompileResult;

// The compiled form of shared policies (PolicySet::shared_identity,
// shared_boundary), kept for the Evaluators of one run: a managed policy
// attached to 2,000 roles is compiled once, and every role's Evaluator refers
// to the same compiled statements. Only the same Policy object is shared,
// never an equal copy; what depends on the principal (its ARN, the Principal
// of resource policies) is matched per Evaluator, and policy variables
// (${aws:username}) are resolved per request. Holds the policies it compiled
// (so their addresses are not reused) until it is destroyed. Thread-safe.
class PolicyCompileCache {
 public:
  PolicyCompileCache();
  ~PolicyCompileCache();
  PolicyCompileCache(const PolicyCompileCache&) = delete;
  PolicyCompileCache& operator=(const PolicyCompileCache&) = delete;
  std::size_t size() const;  // policies compiled

 private:
  friend struct internal::EvaluatorImpl;
  struct State;
  std::unique_ptr<State> state_;
};

class Evaluator {
 public:
  using CompileResult = EvaluatorCompileResult;
  // Compiles every policy; reports every error (unknown condition operators,
  // malformed condition values, invalid actions), each at its location. With
  // `cache`, the shared policies are compiled once per cache.
  // REQUIRES: `policies` (and the shared policies) outlive the Evaluator and
  // are not modified or moved while it lives (compiled statements refer to
  // their source statements).
  static CompileResult Compile(const PolicySet& policies, PolicyCompileCache* cache = nullptr);
  static CompileResult Compile(PolicySet&&, PolicyCompileCache* = nullptr) = delete;  // dangles

  Decision Evaluate(const Request& request) const;
  // Reuses `decision`'s storage (no allocation once warmed up).
  void Evaluate(const Request& request, Decision* decision) const;

  // Every compiled statement, in input order (identity policies, then the
  // shared ones, boundary, SCP levels, session policy, resource policy). An
  // Evaluator keeps the compiled statements it shares alive (not the cache).
  std::span<const CompiledStatement> statements() const;
  std::size_t scp_levels() const;
  std::size_t rcp_levels() const;
  std::size_t vpc_endpoints() const;
  bool has_boundary() const;
  bool has_session_policy() const;

 private:
  explicit Evaluator(std::shared_ptr<const internal::EvaluatorImpl> impl);
  std::shared_ptr<const internal::EvaluatorImpl> impl_;  // immutable, shared by copies
};

struct EvaluatorCompileResult {
  std::optional<Evaluator> evaluator;  // set when errors is empty
  Diagnostics errors;
};

}  // namespace iam_audit
