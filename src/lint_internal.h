// The lint rules' shared machinery (src/lint*.cc): what a rule sees, how it
// reports, and the declarations of every rule function. The rule table that
// runs them is in lint.cc. Adding a rule: a FindingId and its row in
// finding.cc, the function here and in the lint_*.cc of its family, a row in
// lint.cc's table, its tests and its entry in docs/lint.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "iam_audit/arn_pattern.h"

#include "iam_audit/catalog.h"
#include "iam_audit/condition.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy.h"
#include "resource_type_shapes.h"
#include "statement_actions.h"

namespace iam_audit::lint {

// One statement, as written and as compiled, with its document's type.
struct LintStatement {
  const Statement& source;
  const CompiledStatement& compiled;
  const Policy& policy;
  LintPolicyType type;
  // The catalog actions of its Action/NotAction entries, resolved once for
  // every rule (statement_actions.h).
  const StatementActions& actions;

  // An Allow statement of an identity policy without Principal: what it
  // grants is what the principal can do.
  bool IsIdentityAllow() const {
    return type == LintPolicyType::kIdentity && source.effect == Effect::kAllow &&
           !source.principal && source.has_resource;
  }
  // "statement 'Sid'" or "statement #3".
  std::string Describe() const;
};

// One document and its statements, in order.
struct LintDocument {
  const Policy& policy;
  LintPolicyType type;
  std::span<const LintStatement> statements;
};

// Collects findings; one per rule and place.
class LintContext {
 public:
  explicit LintContext(const Catalog& catalog)
      : catalog_(catalog), shapes_(ResourceTypeShapes::For(catalog, &own_shapes_)) {}
  const Catalog& catalog() const { return catalog_; }

  // A finding of kind `id` at `where` in the statement's file.
  Finding& Add(FindingId id, const LintStatement& s, SourceLocation where);
  // A finding about a whole document (no statement).
  Finding& AddDocument(FindingId id, const Policy& policy, SourceLocation where);

  // The findings with their fingerprints, in the order reported.
  std::vector<Finding> Take();

  // The catalog's resource types, parsed once per process (shared by every
  // lint run on the embedded catalog; resource_type_shapes.h).
  const ResourceTypeShapes& resource_type_shapes() const { return shapes_; }
  // What the condition rules know of each key, looked up once per document
  // set instead of once per rule (lint_conditions.cc packs its KeyFacts, and
  // keeps the catalog's name of the key: a view into the catalog).
  using KeyMemo = std::unordered_map<std::string, std::pair<std::uint32_t, std::string_view>>;
  KeyMemo& condition_key_memo() { return key_memo_; }
  // The condition rules' view of the statement they look at: each clause's
  // operator parsed and key looked up once per statement rather than once
  // per rule (ten rules did both: 64 M instructions on the managed corpus).
  struct ClauseFacts {
    std::optional<ParsedOperator> op;           // nullopt: the name does not parse
    const KeyMemo::mapped_type* key = nullptr;  // its entry in condition_key_memo()
  };
  struct ClauseCache {
    const Statement* statement = nullptr;  // whose clauses `clauses` are
    std::vector<ClauseFacts> clauses;      // one per ConditionClause, in order
  };
  ClauseCache& clause_cache() { return clause_cache_; }
  // resource-type-mismatch's answers that depend on a Resource entry's
  // pattern text alone (a view into the linted policy's compiled form, which
  // outlives the run): policies repeat their resource lists across statements.
  struct TextIdHash {
    std::size_t operator()(const std::pair<std::string_view, std::size_t>& k) const {
      return std::hash<std::string_view>{}(k.first) ^ (k.second * 0x9e3779b97f4a7c15ULL);
    }
  };
  struct ResourceTypeMemo {
    // Does the entry overlap the coarse pattern of a type (by Shape::id)?
    std::unordered_map<std::pair<std::string_view, std::size_t>, bool, TextIdHash> overlaps;
    // Does the entry name some resource type of its own service?
    std::unordered_map<std::string_view, bool> names_a_type;
  };
  ResourceTypeMemo& resource_type_memo() { return resource_type_memo_; }
  // resource-effectively-star's pattern of every resource of a type in a
  // partition ("*" for any), by the template's address in the catalog and
  // the partition; nullopt for a type the rule does not judge. Built once
  // per run (ArnPattern::Compile was 15 M instructions on the managed corpus).
  using EveryResourceMemo =
      std::map<std::pair<const char*, std::string>, std::optional<ArnPattern>>;
  EveryResourceMemo& every_resource_memo() { return every_resource_memo_; }

 private:
  const Catalog& catalog_;
  std::optional<ResourceTypeShapes> own_shapes_;  // another catalog than the embedded one
  const ResourceTypeShapes& shapes_;
  KeyMemo key_memo_;
  ClauseCache clause_cache_;
  ResourceTypeMemo resource_type_memo_;
  EveryResourceMemo every_resource_memo_;
  std::vector<Finding> findings_;
  std::vector<std::string> keys_;  // StatementKey per finding ("" for a document)
};

using StatementCheck = void (*)(LintContext&, const LintStatement&);
using DocumentCheck = void (*)(LintContext&, const LintDocument&);

// "an identity policy", "a resource policy", "a trust policy", "an SCP",
// "an RCP", "a permissions boundary".
std::string_view PolicyTypeNoun(LintPolicyType type);

// Does `text` hold a `*` or `?`? (std::string::find_first_of("*?") calls
// memchr once per character: 3.6 million calls per lint of the managed corpus.)
inline bool HasWildcard(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c == '*' || c == '?'; });
}

// "a, b, c" of the values written in an element.
std::string Listed(const std::vector<LocatedString>& items);
// " (when its Condition holds: ...)" for a statement with a Condition, else "".
std::string UnderCondition(const Statement& stmt);
// Is `action` one a role trust policy grants: sts:AssumeRole,
// sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession,
// sts:SetSourceIdentity, sts:SetContext (AWS "Role trust policies")?
bool IsTrustAction(std::string_view action);
// Does the statement's Action list match every action ("*", "*:*")?
bool AllowsEveryActionOnEveryResource(const LintStatement& s);

// --- rules: grants (lint_grants.cc) -----------------------------------------
void AllowAllActions(LintContext&, const LintStatement&);
void AllowNotAction(LintContext&, const LintStatement&);
void PassRoleWildcard(LintContext&, const LintStatement&);
void UnknownActions(LintContext&, const LintStatement&);
void AllowNotResource(LintContext&, const LintStatement&);
void RedundantActions(LintContext&, const LintStatement&);

// --- rules: conditions (lint_conditions.cc) --------------------------------
void UnknownConditionKeys(LintContext&, const LintStatement&);
void ConditionTypeMismatch(LintContext&, const LintStatement&);
void SetOperatorOnSingleValuedKey(LintContext&, const LintStatement&);
void MultivaluedKeyWithoutSetOperator(LintContext&, const LintStatement&);
void MfaBoolFalse(LintContext&, const LintStatement&);
void WildcardWithoutLike(LintContext&, const LintStatement&);
void PrivateSourceIp(LintContext&, const LintStatement&);
void ConditionValueNeverMatches(LintContext&, const LintStatement&);
void ConditionKeyNotForAction(LintContext&, const LintStatement&);
void MissingPairedConditionKey(LintContext&, const LintStatement&);
void InvalidVpcIds(LintContext&, const LintStatement&);

// --- rules: resources (lint_resources.cc) ----------------------------------
void InvalidArns(LintContext&, const LintStatement&);
void ResourceTypeMismatch(LintContext&, const LintStatement&);
void MissingResource(LintContext&, const LintStatement&);
void RedundantResources(LintContext&, const LintStatement&);
void ResourceEffectivelyStar(LintContext&, const LintStatement&);

// --- rules: principals and policy types (lint_principals.cc) ---------------
void PublicPrincipal(LintContext&, const LintStatement&);
void AllowNotPrincipal(LintContext&, const LintStatement&);
void InvalidPrincipals(LintContext&, const LintStatement&);
void FederatedPrincipalWithoutCondition(LintContext&, const LintStatement&);
void ServicePrincipalWithoutSource(LintContext&, const LintStatement&);
void ElementNotAllowedForType(LintContext&, const LintStatement&);
void RedundantPrincipals(LintContext&, const LintStatement&);
void TrustPolicyActions(LintContext&, const LintStatement&);

// --- rules: documents (lint_document.cc) -----------------------------------
void MissingVersion(LintContext&, const LintDocument&);
void OldVersion(LintContext&, const LintDocument&);
void VariableWithoutVersion(LintContext&, const LintDocument&);
void MalformedVariables(LintContext&, const LintDocument&);
void PolicySizeQuota(LintContext&, const LintDocument&);
void DuplicateStatements(LintContext&, const LintDocument&);
void StatementsShadowedByDeny(LintContext&, const LintDocument&);

// The size IAM counts for `policy` (characters, whitespace not counted), as
// the shortest JSON that writes it: a lower bound of the file's own count.
std::size_t PolicySizeWithoutWhitespace(const Policy& policy);

}  // namespace iam_audit::lint
