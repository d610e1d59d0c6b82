// Private to the evaluator: the matching machinery behind the compiled
// statements of evaluator.h (fast action matchers, literal-prefix tests of
// resource ARNs, the per-service candidate index). Nothing outside
// src/evaluator*.cc includes this header.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/evaluator.h"

namespace iam_audit::internal {

// One Action/NotAction entry specialised for speed: most entries name their
// service literally and their action exactly or as a prefix ("Get*").
struct ActionMatcher {
  enum class Name : std::uint8_t { kAny, kExact, kPrefix, kGlob };
  bool all = false;              // "*": every action
  bool any_service = false;      // the service part is only `*`
  bool literal_service = false;  // `service` is the whole service part
  Name name_kind = Name::kGlob;
  // Views of the statement body's lower_literals (one array per statement,
  // not a string per entry: 42,000 fewer allocations on the AWS managed
  // policies).
  std::string_view service;  // lower-cased, when literal_service
  std::string_view name;     // lower-cased literal, for kExact / kPrefix
  std::size_t pattern = 0;   // index into the statement's actions()

  // Room Make needs at `*out` for `p` (at most).
  static std::size_t LiteralRoom(const ActionPattern& p);
  // Writes the literals the views refer to at `*out` and advances it.
  static ActionMatcher Make(const ActionPattern& p, std::size_t index, char** out);
};

// A cheap test of the literal text each ARN field of a static Resource
// pattern starts with (the resource part first: it usually decides).
struct QuickArn {
  enum class Result : std::uint8_t { kNo, kYes, kMaybe };  // kNo and kYes are final

  static QuickArn For(const ResourceTemplate& r);
  Result Match(const RequestResource& resource) const;

  bool usable = false;                   // the pattern is ARN-shaped: the fields below apply
  bool conclusive = false;               // every field is literal or `prefix*`: no kMaybe
  std::array<std::string, 5> prefix;     // per field; fields 0-3 lower-cased
  std::array<bool, 5> literal{};         // the field is its prefix (no wildcard)
  std::array<std::uint8_t, 5> checks{};  // the fields worth checking, resource first
  std::uint8_t check_count = 0;
};

// What compiling one statement gives that depends on the statement alone
// (not on the principal or on where the policy is used): shared by the
// Evaluators that use the same policy (PolicyCompileCache).
struct StatementBody {
  std::vector<ActionPattern> actions;
  std::vector<ResourceTemplate> resources;
  ConditionBlock conditions;
  std::vector<ActionMatcher> matchers;     // one per action
  std::unique_ptr<char[]> lower_literals;  // what the matchers' views show
  std::vector<QuickArn> quick;             // one per resource
};

// One policy compiled: a body per statement, and the errors.
struct CompiledPolicy {
  std::vector<StatementBody> statements;  // parallel to Policy::statements
  Diagnostics errors;
};
std::shared_ptr<const CompiledPolicy> CompilePolicy(const Policy& policy);

// The matching code of one CompiledStatement.
struct StatementCode {
  const CompiledStatement* statement = nullptr;
  const StatementBody* body = nullptr;  // the statement's
  bool not_action = false;              // the source's NotAction flag (read on the hot path)
  bool has_resource = false;
  bool not_resource = false;

  // Action / NotAction with the two parts already lower-cased.
  bool MatchesLowerAction(std::string_view service, std::string_view name) const;
  // Does matcher `m`'s name part match `name` (lower-cased)? Its service has
  // already been found to match.
  bool MatchesLowerName(const ActionMatcher& m, std::string_view name) const;
  Truth MatchesResource(const RequestResource& resource, const EvalContext& env) const;
  // Resource and condition, once the action is known to match.
  Truth MatchesAfterAction(const RequestResource& resource, const EvalContext& env) const;
};

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

// The statements that may match a request, by the request's service.
struct CandidateIndex {
  std::vector<ServiceIndex> by_service;   // sorted by (key, service)
  std::vector<Candidate> other_services;  // candidates for every service
};

// Everything an Evaluator holds; immutable once built (the candidate index is
// built once, on first use, under a once_flag).
struct EvaluatorImpl {
  // Builds statements and code for `policies`, the shared policies from
  // `cache` (when given); appends errors.
  void CompileStatements(const PolicySet& policies, PolicyCompileCache* cache,
                         Diagnostics* errors);  // needs `caller`
  // The candidates for `service` (lower-cased). The first call builds the
  // index, from any thread: lint and the risk model read the compiled
  // statements and never evaluate, and building it up front was 68 M of the
  // 2,036 M instructions of a lint of the 1,645 AWS managed policies.
  const std::vector<Candidate>& Candidates(std::string_view service) const;
  CandidateIndex BuildIndex() const;

  std::vector<std::shared_ptr<const CompiledPolicy>> policies;  // the bodies, kept alive
  std::vector<CompiledStatement> statements;
  std::vector<StatementCode> code;  // parallel to statements
  // call_once alone costs ~25 instructions per Evaluate even once done
  // (libstdc++ sets its thread-local callable first): the flag is checked first.
  mutable std::atomic<bool> index_built{false};
  mutable std::once_flag index_once;
  mutable CandidateIndex index;  // set once, under index_once
  std::size_t scp_levels = 0;
  std::size_t rcp_levels = 0;
  bool has_boundary = false;
  bool has_session = false;
  Caller caller;
  struct Scope {
    std::string arn;      // ResourcePolicy::arn
    std::string account;  // ResourcePolicy::account
  };
  std::vector<Scope> resource_policies;       // parallel to PolicySet::resource_policies
  bool has_unscoped_resource_policy = false;  // PolicySet::resource, or an arn of ""
  std::vector<std::pair<std::string, std::string>> resource_accounts;  // PolicySet's
  std::vector<std::string> endpoint_services;  // PolicySet::vpc_endpoints' services, lower case
};

}  // namespace iam_audit::internal
