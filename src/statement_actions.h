// StatementActions: the catalog actions of one statement's Action (or
// NotAction) entries, resolved once per statement and shared by every rule
// that asks (lint's unknown-action, redundant-action, resource-type-mismatch,
// condition-key-not-for-action, resource-effectively-star and
// statement-shadowed-by-deny; the risk model can use it the same way).
//
//   StatementActions table(catalog, compiled.actions());
//   table.id(i)      // entry i's action when it names one without wildcards
//   table.Known(i)   // does entry i match at least one catalog action?
//   table.Entry(i)   // every action entry i matches
//   table.All()      // the union of the entries (what Action grants; what
//                    // NotAction excludes)
//
// Matching is IAM's, as in ExpandActions (action_set.h): service and name
// case-insensitive, `*` any run, `?` one character. Before it, each rule
// looked its entries up again: ~200,000 Catalog::FindAction calls for the
// 60,891 Action entries of the managed corpus, and up to one expansion per
// rule (statement-shadowed-by-deny expanded a Deny's actions once per Allow
// it compared).
//
// Literal entries are looked up in the constructor; expansions are built on
// first use and kept. Not thread-safe (it fills itself in on use): one table
// per statement per lint run. The catalog and the patterns must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"

namespace iam_audit {

class StatementActions {
 public:
  StatementActions(const Catalog& catalog, std::span<const ActionPattern> patterns);

  std::size_t size() const { return patterns_.size(); }
  // Entry i has no `*` or `?` (it names one action, or none the catalog knows).
  bool literal(std::size_t i) const { return !patterns_[i].HasWildcards(); }
  // The action a literal entry names; nullopt for a wildcard entry or an
  // action the catalog does not know.
  std::optional<ActionId> id(std::size_t i) const;
  // Does entry i match at least one catalog action?
  bool Known(std::size_t i) const;
  // Every catalog action entry i matches.
  const ActionSet& Entry(std::size_t i) const;
  // Every catalog action some entry matches.
  const ActionSet& All() const;

 private:
  static constexpr ActionId kNone = ~ActionId{0};
  enum class Match : std::uint8_t { kUnknown, kSome, kNone };

  const Catalog& catalog_;
  std::span<const ActionPattern> patterns_;
  std::vector<ActionId> ids_;           // per entry: the literal's id, or kNone
  mutable std::vector<Match> matches_;  // per entry: Known(), once asked
  mutable std::vector<std::unique_ptr<ActionSet>> entries_;  // per entry: Entry(), once asked
  mutable std::optional<ActionSet> all_;
};

}  // namespace iam_audit
