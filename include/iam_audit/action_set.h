// ActionSet: a set of catalog actions, as a bitset over ActionIds; and the
// expansion of action patterns against the catalog.
//
//   const Catalog& c = ...;
//   ActionSet read = ExpandActions(c, *ActionPattern::Parse("s3:Get*"));
//   ActionSet all = ActionSet::All(c.action_count());
//   ActionSet rest = all - read;            // what NotAction "s3:Get*" grants
//   for (ActionId id : rest) ...            // ids in catalog order (sorted)
//
// An ActionSet is a value type. Sets built for the same catalog have the same
// universe (action_count()); combining sets of different universes treats the
// missing ids as absent (the result has the larger universe).
//
// ExpandActions compares as IAM does: service prefix and action name
// case-insensitively, `*` any run, `?` one character. It narrows the search to
// the one service when the service part has no wildcard, and to the ids whose
// lower-case name starts with the name's literal prefix, so typical patterns
// cost a binary search plus a few glob matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/action_pattern.h"
#include "iam_audit/catalog.h"

namespace iam_audit {

class ActionSet {
 public:
  ActionSet() = default;
  explicit ActionSet(std::size_t universe);  // the empty set over [0, universe)
  static ActionSet All(std::size_t universe);

  std::size_t universe() const { return universe_; }
  std::size_t count() const;
  bool empty() const;
  bool contains(ActionId id) const {
    return id < universe_ && ((words_[id / 64] >> (id % 64)) & 1u) != 0;
  }
  void insert(ActionId id);  // ignored when id >= universe()
  void erase(ActionId id);
  void InsertRange(ActionId first, ActionId last);  // [first, last), clipped to the universe
  void clear();                                     // empty, same universe

  ActionSet& operator|=(const ActionSet& other);  // union
  ActionSet& operator&=(const ActionSet& other);  // intersection
  ActionSet& operator-=(const ActionSet& other);  // difference
  friend ActionSet operator|(ActionSet a, const ActionSet& b) { return a |= b; }
  friend ActionSet operator&(ActionSet a, const ActionSet& b) { return a &= b; }
  friend ActionSet operator-(ActionSet a, const ActionSet& b) { return a -= b; }
  ActionSet Complement() const;  // within the universe
  bool IsSubsetOf(const ActionSet& other) const;
  bool Intersects(const ActionSet& other) const;
  friend bool operator==(const ActionSet& a, const ActionSet& b);

  // Ids in increasing order.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ActionId;
    using difference_type = std::ptrdiff_t;
    using pointer = const ActionId*;
    using reference = ActionId;
    Iterator() = default;
    ActionId operator*() const { return static_cast<ActionId>(pos_); }
    Iterator& operator++() {
      pos_ = set_->NextFrom(pos_ + 1);
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.pos_ == b.pos_; }

   private:
    friend class ActionSet;
    Iterator(const ActionSet* set, std::size_t pos) : set_(set), pos_(pos) {}
    const ActionSet* set_ = nullptr;
    std::size_t pos_ = 0;
  };
  Iterator begin() const { return Iterator(this, NextFrom(0)); }
  Iterator end() const { return Iterator(this, universe_); }
  std::vector<ActionId> ToVector() const;

 private:
  std::size_t NextFrom(std::size_t pos) const;  // first member >= pos, or universe_
  void Grow(std::size_t universe);
  std::size_t universe_ = 0;
  std::vector<std::uint64_t> words_;
};

// Every catalog action the pattern matches.
ActionSet ExpandActions(const Catalog& catalog, const ActionPattern& pattern);
// Adds the matches of `pattern` to `out` (no allocation when `out` is sized).
void ExpandActionsInto(const Catalog& catalog, const ActionPattern& pattern, ActionSet& out);
// Does the pattern match at least one catalog action? (ExpandActions(...)
// is not empty, without building the set: it stops at the first match.)
bool MatchesAnyAction(const Catalog& catalog, const ActionPattern& pattern);
// The union over several patterns.
ActionSet ExpandActions(const Catalog& catalog, std::span<const ActionPattern> patterns);

// A fixed, small subset of a catalog's actions (the risk table's), and which
// of its members an action pattern matches, found without expanding the
// pattern over the whole catalog: an exact name is one hash lookup, a
// literal service prefix looks only at its members, any other pattern at each
// service that has members. Members are numbered by
// position (0..size()-1, in increasing ActionId order); matches are an
// ActionSet over positions (universe size()).
//
//   ActionSubset risky(catalog, table_actions);
//   ActionSet hit(risky.size());
//   risky.MatchInto(*ActionPattern::Parse("IAM:put*"), hit);
//   for (std::size_t pos : hit) risky.id(pos) ...  // ExpandActions(...) & table_actions
//
// MatchInto answers exactly ExpandActions(catalog, pattern) & members (same
// case-insensitive comparison, same wildcards). Immutable after
// construction: one subset can serve several threads. The catalog must
// outlive it.
class ActionSubset {
 public:
  ActionSubset() = default;
  ActionSubset(const Catalog& catalog, const ActionSet& members);

  std::size_t size() const { return ids_.size(); }
  ActionId id(std::size_t position) const { return ids_[position]; }
  // Adds to `out` (grown to size() when smaller) the positions of the
  // members `pattern` matches.
  void MatchInto(const ActionPattern& pattern, ActionSet& out) const;

 private:
  // The members of one service: positions [first, last).
  struct ServiceRun {
    std::string_view prefix;  // lower-case, the catalog's
    std::size_t index;        // the catalog's service index
    std::size_t first, last;
  };
  // The position of the member named `text` ("service:name", any case).
  std::optional<std::size_t> FindExact(std::string_view text) const;

  const Catalog* catalog_ = nullptr;
  std::vector<ActionId> ids_;         // increasing
  std::vector<ServiceRun> services_;  // by prefix
  // Open addressing by ascii::HashIgnoreCase("service:name"); the hash's
  // high half rejects most other names without reading the catalog.
  struct Slot {
    std::uint32_t position = 0;  // position + 1, 0 empty
    std::uint32_t high_hash = 0;
  };
  std::vector<Slot> exact_;
};

// Up to `n` "did you mean" candidates for `text` (a pattern that matched
// nothing, or a misspelled action), closest first. Distances are
// case-insensitive edit distances in which the pattern's `*` and `?` match
// freely. When the service prefix is unknown, candidates whose prefix is the
// closest known one come first, as "prefix:rest-of-the-pattern" when that
// matches something. Candidates are in catalog casing; none is returned when
// nothing is reasonably close.
std::vector<std::string> SuggestActions(const Catalog& catalog, std::string_view text,
                                        std::size_t n = 3);

}  // namespace iam_audit
