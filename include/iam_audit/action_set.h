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
