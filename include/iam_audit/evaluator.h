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

// The Statement each of Evaluator::Compile(policies).statements() was
// compiled from, in that order (identity policies, boundary, SCP levels,
// session policy, resource policy), for analyses that report on the source.
std::vector<const Statement*> StatementsInCompileOrder(const PolicySet& policies);

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

// One Resource / NotResource entry.
class ResourceTemplate {
 public:
  ResourceTemplate(PolicyTemplate tmpl);
  const PolicyTemplate& tmpl() const { return tmpl_; }
  const std::string& text() const { return tmpl_.text(); }
  // The compiled pattern when the entry has no policy variables; nullptr otherwise.
  const ArnPattern* static_pattern() const { return pattern_ ? &*pattern_ : nullptr; }
  // Does the entry match `resource`? kUnknown when it depends on a variable
  // whose key is unknown (and could match).
  Truth Matches(const RequestResource& resource, const EvalContext& env) const;

 private:
  // A cheap test of the literal text each ARN field of pattern_ starts with
  // (the resource part first: it usually decides). kNo and kYes are final.
  friend class CompiledStatement;
  enum class Quick : std::uint8_t { kNo, kYes, kMaybe };
  Quick QuickMatch(const RequestResource& resource) const;
  Truth MatchesInline(const RequestResource& resource, const EvalContext& env) const;

  PolicyTemplate tmpl_;
  std::vector<std::string> lower_keys_;
  std::optional<ArnPattern> pattern_;
  bool quick_ = false;                    // pattern_ is ARN-shaped: the fields below apply
  bool conclusive_ = false;               // every field is literal or `prefix*`: no kMaybe
  std::array<std::string, 5> prefix_;     // per field; fields 0-3 lower-cased
  std::array<bool, 5> literal_{};         // the field is its prefix (no wildcard)
  std::array<std::uint8_t, 5> checks_{};  // the fields worth checking, resource first
  std::uint8_t check_count_ = 0;
};

// One statement, compiled. Exposed read-only so that other analyses (the
// coverage audit) reuse the compiled form instead of re-parsing.
class CompiledStatement {
 public:
  PolicyKind kind() const { return kind_; }
  int scp_level() const { return scp_level_; }  // 0-based, kScp only
  const std::string& file() const { return file_; }
  const std::optional<std::string>& sid() const { return sid_; }
  SourceLocation where() const { return where_; }
  Effect effect() const { return effect_; }
  int index() const { return index_; }  // position in its policy

  bool not_action() const { return not_action_; }
  const std::vector<ActionPattern>& actions() const { return actions_; }
  // Action / NotAction applied to a concrete action "service:Name" (any case).
  bool MatchesAction(std::string_view action) const;
  // The same with the two parts already lower-cased (the fast path).
  bool MatchesLowerAction(std::string_view service, std::string_view name) const;

  bool has_resource() const { return has_resource_; }  // false: implied (resource policies)
  bool not_resource() const { return not_resource_; }
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
  friend class Evaluator;
  Truth MatchesAfterAction(const RequestResource& resource, const EvalContext& env) const;
  Truth MatchesResourceInline(const RequestResource& resource, const EvalContext& env) const;

  // One Action/NotAction entry specialised for speed: most entries name their
  // service literally and their action exactly or as a prefix ("Get*").
  struct ActionMatcher {
    enum class Name : std::uint8_t { kAny, kExact, kPrefix, kGlob };
    bool all = false;              // "*": every action
    bool any_service = false;      // the service part is only `*`
    bool literal_service = false;  // `service` is the whole service part
    Name name_kind = Name::kGlob;
    std::string service;      // lower-cased, when literal_service
    std::string name;         // lower-cased literal, for kExact / kPrefix
    std::size_t pattern = 0;  // index into actions_ (for the glob cases)
  };
  static ActionMatcher MakeMatcher(const ActionPattern& p, std::size_t index);
  // Does matcher `m`'s name part match `name` (lower-cased)? Its service has
  // already been found to match.
  bool MatchesLowerName(const ActionMatcher& m, std::string_view name) const;
  std::vector<ActionMatcher> matchers_;

  PolicyKind kind_ = PolicyKind::kIdentity;
  int scp_level_ = 0;
  std::string file_;
  std::optional<std::string> sid_;
  SourceLocation where_;
  Effect effect_ = Effect::kAllow;
  int index_ = 0;
  bool not_action_ = false;
  std::vector<ActionPattern> actions_;
  bool has_resource_ = false;
  bool not_resource_ = false;
  std::vector<ResourceTemplate> resources_;
  ConditionBlock conditions_;
  PrincipalMatch principal_ = PrincipalMatch::kDirect;
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
  static CompileResult Compile(const PolicySet& policies);

  Decision Evaluate(const Request& request) const;
  // Reuses `decision`'s storage (no allocation once warmed up).
  void Evaluate(const Request& request, Decision* decision) const;

  // Every compiled statement, in input order (identity policies, boundary,
  // SCP levels, session policy, resource policy).
  std::span<const CompiledStatement> statements() const { return statements_; }
  std::size_t scp_levels() const { return scp_levels_; }
  bool has_boundary() const { return has_boundary_; }
  bool has_session_policy() const { return has_session_; }

 private:
  // A statement that may match a request of some service: through one of its
  // Action entries that names the service literally (only its action name is
  // left to compare), or, with kEveryEntry, through any entry (wildcard
  // services, "*", NotAction).
  struct Candidate {
    static constexpr std::uint32_t kEveryEntry = 0xffffffff;
    std::uint32_t statement;
    std::uint32_t matcher;
  };
  struct ServiceIndex {
    std::uint64_t key;                  // ServiceKey(service): sorted by it
    std::string service;                // lower-cased prefix
    std::vector<Candidate> candidates;  // by statement, ascending
  };
  const std::vector<Candidate>& Candidates(std::string_view service) const;

  std::vector<CompiledStatement> statements_;
  std::vector<ServiceIndex> by_service_;   // sorted by service
  std::vector<Candidate> other_services_;  // candidates for every service
  std::size_t scp_levels_ = 0;
  bool has_boundary_ = false;
  bool has_session_ = false;
};

struct EvaluatorCompileResult {
  std::optional<Evaluator> evaluator;  // set when errors is empty
  Diagnostics errors;
};

}  // namespace iam_audit
