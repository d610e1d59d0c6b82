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
// Compile() does all the policy work once: action patterns grouped by service
// prefix, Resource/NotResource patterns pre-compiled (policy variables kept as
// templates), conditions compiled (condition.h), resource-policy principals
// matched against the caller. Evaluate() then only matches; with a reused
// Decision it does not allocate on the common paths.
//
// The algorithm is AWS's "Policy evaluation logic" for a request within one
// account (docs/evaluation.md quotes the pages):
//   1. an applicable Deny in any policy -> explicit deny;
//   2. every SCP level must have an applicable Allow;
//   3. an Allow in the resource-based policy for the caller decides (a role
//      ARN principal still needs the boundary and session policy);
//   4. otherwise the identity policies must allow, and then the permissions
//      boundary and the session policy (when given) must allow too;
//   5. else implicit deny.
// Cross-account access, RCPs, VPC endpoint policies and service-specific
// authorizers (KMS key policies, role trust policies) are out of scope.
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
#include <vector>

#include "iam_audit/action_pattern.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_variable.h"

namespace iam_audit {

enum class PolicyKind : std::uint8_t {
  kIdentity,
  kBoundary,  // permissions boundary
  kScp,       // service control policy (one level of the organization)
  kSession,   // session policy
  kResource,  // resource-based policy
};
std::string_view PolicyKindName(PolicyKind kind);  // "identity", "boundary", "scp", ...

// The policies that apply to one principal's requests.
struct PolicySet {
  std::vector<Policy> identity;           // all of the principal's identity policies
  std::optional<Policy> boundary;         // permissions boundary
  std::vector<std::vector<Policy>> scps;  // SCP levels, root first; each level must allow
  std::optional<Policy> session;          // session policy
  std::optional<Policy> resource;         // resource-based policy (same account)
  std::string principal;                  // the caller's ARN, for the resource policy
};

// How a resource-based policy statement's Principal relates to the caller.
enum class PrincipalMatch : std::uint8_t {
  kNone,     // not the caller: the statement does not apply
  kDirect,   // the caller itself (user, role session, federated user) or "*"
  kRole,     // the caller's role ARN (or the caller is a role): still limited
             // by the permissions boundary and the session policy
  kAccount,  // the caller's account: delegates to the identity policies
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
struct EvaluatorImpl;
}  // namespace internal

// One statement, compiled, with a reference to the Statement it was compiled
// from. Exposed read-only so that other analyses (lint, the coverage audit)
// reuse the compiled form instead of re-parsing.
class CompiledStatement {
 public:
  const Statement& source() const { return *source_; }
  PolicyKind kind() const { return kind_; }
  int scp_level() const { return scp_level_; }  // 0-based, kScp only
  const std::string& file() const { return *file_; }
  bool has_sid() const { return source_->sid.has_value(); }
  const std::string& sid() const;  // "" when the statement has no Sid
  SourceLocation where() const { return source_->where; }
  Effect effect() const { return source_->effect; }
  int index() const { return source_->index; }  // position in its policy

  bool not_action() const { return source_->not_action; }
  const std::vector<ActionPattern>& actions() const { return actions_; }
  // Action / NotAction applied to a concrete action "service:Name" (any case).
  bool MatchesAction(std::string_view action) const;

  bool has_resource() const { return source_->has_resource; }  // false: implied
  bool not_resource() const { return source_->not_resource; }
  const std::vector<ResourceTemplate>& resources() const { return resources_; }
  // Resource / NotResource applied to a concrete resource.
  Truth MatchesResource(const RequestResource& resource, const EvalContext& env) const;
  Truth MatchesResource(std::string_view resource, const EvalContext& env) const {
    return MatchesResource(RequestResource(resource), env);
  }

  const ConditionBlock& conditions() const { return conditions_; }
  PrincipalMatch principal() const { return principal_; }  // kResource only

  // Action, resource, principal and condition together.
  Truth Matches(std::string_view action, std::string_view resource, const EvalContext& env) const;

 private:
  friend struct internal::EvaluatorImpl;
  const Statement* source_ = nullptr;
  const std::string* file_ = nullptr;  // the file of the source's policy
  const internal::StatementCode* code_ = nullptr;
  PolicyKind kind_ = PolicyKind::kIdentity;
  int scp_level_ = 0;
  PrincipalMatch principal_ = PrincipalMatch::kDirect;
  std::vector<ActionPattern> actions_;
  std::vector<ResourceTemplate> resources_;
  ConditionBlock conditions_;
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

  // For an implicit deny: the first stage without an applicable Allow.
  PolicyKind denied_by = PolicyKind::kIdentity;
  int denied_scp_level = 0;

  bool allowed() const { return kind == kAllowed; }
};
std::string_view DecisionName(Decision::Kind kind);  // "allowed", "explicit_deny", ...

struct EvaluatorCompileResult;

class Evaluator {
 public:
  using CompileResult = EvaluatorCompileResult;
  // Compiles every policy; reports every error (unknown condition operators,
  // malformed condition values, invalid actions), each at its location.
  // REQUIRES: `policies` outlives the Evaluator and is not modified or moved
  // while it lives (compiled statements refer to their source statements).
  static CompileResult Compile(const PolicySet& policies);
  static CompileResult Compile(PolicySet&&) = delete;  // would dangle

  Decision Evaluate(const Request& request) const;
  // Reuses `decision`'s storage (no allocation once warmed up).
  void Evaluate(const Request& request, Decision* decision) const;

  // Every compiled statement, in input order (identity policies, boundary,
  // SCP levels, session policy, resource policy).
  std::span<const CompiledStatement> statements() const;
  std::size_t scp_levels() const;
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
