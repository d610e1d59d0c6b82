#include "statement_actions.h"

namespace iam_audit {

StatementActions::StatementActions(const Catalog& catalog, std::span<const ActionPattern> patterns)
    : catalog_(catalog), patterns_(patterns), ids_(patterns.size(), kNone) {
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    if (!literal(i)) continue;
    if (const std::optional<ActionId> found = catalog_.FindAction(patterns_[i].text())) {
      ids_[i] = *found;
    }
  }
}

std::optional<ActionId> StatementActions::id(std::size_t i) const {
  if (ids_[i] == kNone) return std::nullopt;
  return ids_[i];
}

bool StatementActions::Known(std::size_t i) const {
  if (literal(i)) return ids_[i] != kNone;
  if (matches_.empty()) matches_.assign(patterns_.size(), Match::kUnknown);
  if (matches_[i] == Match::kUnknown) {
    matches_[i] = MatchesAnyAction(catalog_, patterns_[i]) ? Match::kSome : Match::kNone;
  }
  return matches_[i] == Match::kSome;
}

const ActionSet& StatementActions::Entry(std::size_t i) const {
  if (entries_.empty()) entries_.resize(patterns_.size());
  if (!entries_[i]) {
    auto set = std::make_unique<ActionSet>(catalog_.action_count());
    if (!literal(i)) {
      ExpandActionsInto(catalog_, patterns_[i], *set);
    } else if (ids_[i] != kNone) {
      set->insert(ids_[i]);
    }
    entries_[i] = std::move(set);
  }
  return *entries_[i];
}

const ActionSet& StatementActions::All() const {
  if (!all_) {
    all_.emplace(catalog_.action_count());
    for (std::size_t i = 0; i < patterns_.size(); ++i) {
      if (!literal(i)) {
        ExpandActionsInto(catalog_, patterns_[i], *all_);
      } else if (ids_[i] != kNone) {
        all_->insert(ids_[i]);
      }
    }
  }
  return *all_;
}

}  // namespace iam_audit
