#include "iam_audit/action_set.h"

#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <string>

#include "ascii.h"
#include "catalog_format.h"
#include "suggest.h"

namespace iam_audit {

// --- ActionSet ------------------------------------------------------------

namespace {
constexpr std::size_t kWordBits = 64;
std::size_t WordsFor(std::size_t universe) { return (universe + kWordBits - 1) / kWordBits; }
}  // namespace

ActionSet::ActionSet(std::size_t universe) : universe_(universe), words_(WordsFor(universe)) {}

ActionSet ActionSet::All(std::size_t universe) {
  ActionSet s(universe);
  s.InsertRange(0, static_cast<ActionId>(universe));
  return s;
}

std::size_t ActionSet::count() const {
  std::size_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
  return n;
}

bool ActionSet::empty() const {
  return std::all_of(words_.begin(), words_.end(), [](std::uint64_t w) { return w == 0; });
}

void ActionSet::insert(ActionId id) {
  if (id < universe_) words_[id / kWordBits] |= std::uint64_t{1} << (id % kWordBits);
}

void ActionSet::erase(ActionId id) {
  if (id < universe_) words_[id / kWordBits] &= ~(std::uint64_t{1} << (id % kWordBits));
}

void ActionSet::InsertRange(ActionId first, ActionId last) {
  std::size_t lo = first, hi = std::min<std::size_t>(last, universe_);
  while (lo < hi && lo % kWordBits != 0) insert(static_cast<ActionId>(lo++));
  for (; lo + kWordBits <= hi; lo += kWordBits) words_[lo / kWordBits] = ~std::uint64_t{0};
  while (lo < hi) insert(static_cast<ActionId>(lo++));
}

void ActionSet::clear() { std::fill(words_.begin(), words_.end(), 0); }

void ActionSet::Grow(std::size_t universe) {
  if (universe <= universe_) return;
  universe_ = universe;
  words_.resize(WordsFor(universe), 0);
}

ActionSet& ActionSet::operator|=(const ActionSet& other) {
  Grow(other.universe_);
  for (std::size_t i = 0; i < other.words_.size(); ++i) words_[i] |= other.words_[i];
  return *this;
}

ActionSet& ActionSet::operator&=(const ActionSet& other) {
  Grow(other.universe_);
  for (std::size_t i = 0; i < words_.size(); ++i) {
    words_[i] &= i < other.words_.size() ? other.words_[i] : 0;
  }
  return *this;
}

ActionSet& ActionSet::operator-=(const ActionSet& other) {
  Grow(other.universe_);
  for (std::size_t i = 0; i < other.words_.size(); ++i) words_[i] &= ~other.words_[i];
  return *this;
}

ActionSet ActionSet::Complement() const {
  ActionSet out = All(universe_);
  return out -= *this;
}

bool ActionSet::IsSubsetOf(const ActionSet& other) const {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t o = i < other.words_.size() ? other.words_[i] : 0;
    if ((words_[i] & ~o) != 0) return false;
  }
  return true;
}

bool ActionSet::Intersects(const ActionSet& other) const {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if ((words_[i] & other.words_[i]) != 0) return true;
  }
  return false;
}

bool operator==(const ActionSet& a, const ActionSet& b) {
  return a.IsSubsetOf(b) && b.IsSubsetOf(a);
}

std::size_t ActionSet::NextFrom(std::size_t pos) const {
  if (pos >= universe_) return universe_;
  std::size_t w = pos / kWordBits;
  std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (pos % kWordBits));
  while (bits == 0) {
    if (++w == words_.size()) return universe_;
    bits = words_[w];
  }
  return w * kWordBits + static_cast<std::size_t>(std::countr_zero(bits));
}

std::vector<ActionId> ActionSet::ToVector() const {
  std::vector<ActionId> out;
  out.reserve(count());
  for (ActionId id : *this) out.push_back(id);
  return out;
}

// --- expansion ----------------------------------------------------------------

namespace {

// The leading literal characters of a (case-insensitive, hence lower-case)
// glob, in a buffer on the caller's stack (no allocation: this runs for every
// Action entry of every statement). Names longer than the buffer (none in the
// catalog) keep the prefix that fits, which only widens the scanned run
// (each candidate is then matched against the whole glob).
class LiteralPrefix {
 public:
  explicit LiteralPrefix(const Glob& g) {
    for (const Glob::Token& t : g.tokens()) {
      if (t.kind != Glob::TokenKind::kLiteral) break;
      if (size_ == buf_.size()) {
        cut_ = true;
        break;
      }
      buf_[size_++] = t.literal;
    }
  }
  std::string_view view() const { return std::string_view(buf_.data(), size_); }
  bool cut() const { return cut_; }

 private:
  bool cut_ = false;
  std::array<char, 256> buf_;
  std::size_t size_ = 0;
};

// The first index of [first, last) whose lower-case name (`name_at(i)`)
// starts with `prefix` (names are sorted, so those are one run), or last.
template <class NameAt>
std::size_t FirstWithPrefix(std::string_view prefix, std::size_t first, std::size_t last,
                            const NameAt& name_at) {
  while (first < last) {
    const std::size_t mid = first + (last - first) / 2;
    if (name_at(mid) < prefix) {
      first = mid + 1;
    } else {
      last = mid;
    }
  }
  return first;
}

// Calls `fn(i)` for each index of [first, last) whose lower-case name
// (`name_at(i)`, sorted) the name glob matches, in order, until it returns
// false. Returns false when stopped. The indices are a service's ids in the
// catalog, or a service's run of an ActionSubset's positions.
template <class NameAt, class Fn>
bool ForEachMatch(const Glob& name, const LiteralPrefix& literal, std::size_t first,
                  std::size_t last, const NameAt& name_at, Fn fn) {
  const std::string_view prefix = literal.view();
  if (name.MatchesEverything()) {
    for (std::size_t i = first; i < last; ++i) {
      if (!fn(i)) return false;
    }
    return true;
  }
  const bool exact = !name.HasWildcards() && !literal.cut();
  for (std::size_t i = FirstWithPrefix(prefix, first, last, name_at); i < last; ++i) {
    const std::string_view lower = name_at(i);
    if (lower.substr(0, prefix.size()) != prefix) break;
    if (exact) {  // exact name: the first candidate decides
      return lower.size() == prefix.size() ? fn(i) : true;
    }
    if (name.Matches(lower) && !fn(i)) return false;
  }
  return true;
}

// ForEachMatch over one service's id range of the catalog, `fn(ActionId)`.
template <class Fn>
bool ForEachInService(const Catalog& catalog, const Glob& name, const LiteralPrefix& literal,
                      std::pair<ActionId, ActionId> range, Fn fn) {
  const auto name_at = [&](std::size_t id) {
    return catalog.action_lower_name(static_cast<ActionId>(id));
  };
  return ForEachMatch(name, literal, range.first, range.second, name_at,
                      [&](std::size_t id) { return fn(static_cast<ActionId>(id)); });
}

// Expands the name glob within one service's id range.
void ExpandInService(const Catalog& catalog, const Glob& name, const LiteralPrefix& prefix,
                     std::pair<ActionId, ActionId> range, ActionSet& out) {
  if (name.MatchesEverything()) {
    out.InsertRange(range.first, range.second);
    return;
  }
  ForEachInService(catalog, name, prefix, range, [&](ActionId id) {
    out.insert(id);
    return true;
  });
}

}  // namespace

void ExpandActionsInto(const Catalog& catalog, const ActionPattern& pattern, ActionSet& out) {
  if (out.universe() < catalog.action_count()) out |= ActionSet(catalog.action_count());
  if (pattern.MatchesAllActions()) {
    out.InsertRange(0, static_cast<ActionId>(catalog.action_count()));
    return;
  }
  if (!pattern.HasWildcards()) {  // one action or none: the catalog's name index
    if (const std::optional<ActionId> id = catalog.FindAction(pattern.text())) out.insert(*id);
    return;
  }
  const LiteralPrefix prefix(pattern.name());
  if (!pattern.service().HasWildcards()) {
    const std::optional<std::size_t> s =
        catalog.FindServiceIndex(LiteralPrefix(pattern.service()).view());
    if (s) ExpandInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(*s), out);
    return;
  }
  for (std::size_t s = 0; s < catalog.service_count(); ++s) {
    if (pattern.service().Matches(catalog.service_lower_prefix(s))) {
      ExpandInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(s), out);
    }
  }
}

bool MatchesAnyAction(const Catalog& catalog, const ActionPattern& pattern) {
  if (pattern.MatchesAllActions()) return catalog.action_count() > 0;
  if (!pattern.HasWildcards()) return catalog.FindAction(pattern.text()).has_value();
  const LiteralPrefix prefix(pattern.name());
  const auto none = [](ActionId) { return false; };  // stop at the first match
  if (!pattern.service().HasWildcards()) {
    const std::optional<std::size_t> s =
        catalog.FindServiceIndex(LiteralPrefix(pattern.service()).view());
    return s &&
           !ForEachInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(*s), none);
  }
  for (std::size_t s = 0; s < catalog.service_count(); ++s) {
    if (pattern.service().Matches(catalog.service_lower_prefix(s)) &&
        !ForEachInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(s), none)) {
      return true;
    }
  }
  return false;
}

ActionSet ExpandActions(const Catalog& catalog, const ActionPattern& pattern) {
  ActionSet out(catalog.action_count());
  ExpandActionsInto(catalog, pattern, out);
  return out;
}

ActionSet ExpandActions(const Catalog& catalog, std::span<const ActionPattern> patterns) {
  ActionSet out(catalog.action_count());
  for (const ActionPattern& p : patterns) ExpandActionsInto(catalog, p, out);
  return out;
}

// --- subsets --------------------------------------------------------------------

ActionSubset::ActionSubset(const Catalog& catalog, const ActionSet& members)
    : catalog_(&catalog), ids_(members.ToVector()) {
  for (std::size_t pos = 0; pos < ids_.size(); ++pos) {
    const std::size_t s = catalog.action_service_index(ids_[pos]);
    if (services_.empty() || services_.back().index != s) {
      services_.push_back({catalog.service_lower_prefix(s), s, pos, pos});
    }
    services_.back().last = pos + 1;
  }
  std::sort(services_.begin(), services_.end(),
            [](const ServiceRun& a, const ServiceRun& b) { return a.prefix < b.prefix; });
  std::size_t slots = 16;
  while (slots < 2 * ids_.size()) slots *= 2;
  exact_.assign(slots, {});
  std::string full;
  for (std::size_t pos = 0; pos < ids_.size(); ++pos) {
    full = catalog.service_lower_prefix(catalog.action_service_index(ids_[pos]));
    full += ':';
    full += catalog.action_lower_name(ids_[pos]);
    const std::uint64_t hash = ascii::HashIgnoreCase(full);
    std::size_t slot = hash & (slots - 1);
    while (exact_[slot].position != 0) slot = (slot + 1) & (slots - 1);
    exact_[slot] = {static_cast<std::uint32_t>(pos + 1), static_cast<std::uint32_t>(hash >> 32)};
  }
}

std::optional<std::size_t> ActionSubset::FindExact(std::string_view text) const {
  const std::size_t mask = exact_.size() - 1;
  const std::uint64_t hash = ascii::HashIgnoreCase(text);
  for (std::size_t slot = hash & mask; exact_[slot].position != 0; slot = (slot + 1) & mask) {
    if (exact_[slot].high_hash != static_cast<std::uint32_t>(hash >> 32)) continue;
    const std::size_t pos = exact_[slot].position - 1;
    const std::string_view service =
        catalog_->service_lower_prefix(catalog_->action_service_index(ids_[pos]));
    const std::string_view name = catalog_->action_lower_name(ids_[pos]);
    if (text.size() == service.size() + 1 + name.size() && text[service.size()] == ':' &&
        ascii::EqualsIgnoreCase(text.substr(0, service.size()), service) &&
        ascii::EqualsIgnoreCase(text.substr(service.size() + 1), name)) {
      return pos;
    }
  }
  return std::nullopt;
}

// As ExpandActionsInto, on the members only. An exact name is looked up in
// a hash of the members' "service:name" (ExpandActionsInto: the catalog's
// case-insensitive FindAction). Otherwise the members of each service are
// one run of positions (ids are grouped by service), their names sorted: the
// catalog's expansion (ForEachMatch) runs on them unchanged. A literal
// service is looked up among the subset's few services only (an unknown
// one, or one without members, matches nothing either way). In the lint of
// the managed policies, 76,000 patterns cost 23 M instructions this way,
// against 83 M for their expansion over the catalog and exact lookups.
void ActionSubset::MatchInto(const ActionPattern& pattern, ActionSet& out) const {
  if (out.universe() < size()) out |= ActionSet(size());
  if (ids_.empty()) return;
  if (pattern.MatchesAllActions()) {
    out.InsertRange(0, static_cast<ActionId>(size()));
    return;
  }
  if (!pattern.HasWildcards()) {  // one action or none (most patterns): a hash lookup
    if (const std::optional<std::size_t> pos = FindExact(pattern.text())) {
      out.insert(static_cast<ActionId>(*pos));
    }
    return;
  }
  const auto name_at = [&](std::size_t pos) { return catalog_->action_lower_name(ids_[pos]); };
  const auto match = [&](const ServiceRun& run) {
    const LiteralPrefix literal(pattern.name());
    ForEachMatch(pattern.name(), literal, run.first, run.last, name_at, [&](std::size_t pos) {
      out.insert(static_cast<ActionId>(pos));
      return true;
    });
  };
  if (!pattern.service().HasWildcards()) {
    const LiteralPrefix literal_service(pattern.service());  // holds the text `service` views
    const std::string_view service = literal_service.view();
    const auto it =
        std::lower_bound(services_.begin(), services_.end(), service,
                         [](const ServiceRun& run, std::string_view s) { return run.prefix < s; });
    if (it != services_.end() && it->prefix == service) match(*it);
    return;
  }
  for (const ServiceRun& run : services_) {
    if (pattern.service().Matches(run.prefix)) match(run);
  }
}

// --- suggestions ----------------------------------------------------------------

namespace {

std::size_t LiteralCount(std::string_view pattern) {
  return static_cast<std::size_t>(
      std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*' && c != '?'; }));
}

// `text` with runs of `*` collapsed (they mean the same, and cost the same
// as one in GlobDistance).
std::string CollapseStars(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '*' || out.empty() || out.back() != '*') out += c;
  }
  return out;
}

struct Candidate {
  std::size_t distance;
  ActionId id;
};

// The best candidates among `ids` by distance of `pattern` to each action's
// lower-case name (`full`: to "service:name").
void ScoreActions(const Catalog& catalog, std::string_view pattern, bool full, ActionId first,
                  ActionId last, std::vector<Candidate>& out) {
  const std::size_t limit = SuggestionLimit(pattern);
  const bool has_star = pattern.find('*') != std::string_view::npos;
  const std::size_t literal = LiteralCount(pattern);
  std::string subject;
  for (ActionId id = first; id < last; ++id) {
    subject.clear();
    if (full) {
      subject += catalog.service_lower_prefix(catalog.action_service_index(id));
      subject += ':';
    }
    subject += catalog.action_lower_name(id);
    // Lengths bound the distance from below: every literal of the pattern
    // costs an edit when the subject has no character left for it (`*`
    // included), and without `*` every extra character of the subject does.
    if (subject.size() + limit < literal ||
        (!has_star && subject.size() > pattern.size() + limit)) {
      continue;
    }
    const std::size_t d = GlobDistance(pattern, subject, limit);
    if (d <= limit) out.push_back({d, id});
  }
}

std::string FullName(const Catalog& catalog, ActionId id) {
  std::string out(catalog.action_service(id));
  out += ':';
  out += catalog.action_name(id);
  return out;
}

void AddUnique(std::vector<std::string>& out, std::string s, std::size_t n) {
  if (out.size() < n && std::find(out.begin(), out.end(), s) == out.end()) {
    out.push_back(std::move(s));
  }
}

}  // namespace

std::vector<std::string> SuggestActions(const Catalog& catalog, std::string_view text,
                                        std::size_t n) {
  std::vector<std::string> out;
  const std::string lower = ascii::Lower(CollapseStars(text));
  if (n == 0 || LiteralCount(lower) == 0 || lower.size() > kMaxSuggestedLength) return out;
  const std::size_t colon = lower.find(':');
  const std::string_view service =
      std::string_view(lower).substr(0, colon == std::string::npos ? 0 : colon);
  const std::string_view name =
      colon == std::string::npos ? std::string_view() : std::string_view(lower).substr(colon + 1);
  const bool literal_service =
      colon != std::string::npos && service.find_first_of("*?") == std::string_view::npos;

  std::vector<Candidate> candidates;
  if (literal_service) {
    if (const std::optional<std::size_t> s = catalog.FindServiceIndex(service)) {
      const auto [first, last] = catalog.ServiceActionsAt(*s);
      ScoreActions(catalog, name, /*full=*/false, first, last, candidates);
    } else {
      // Unknown service: the closest prefixes, with the rest of the pattern.
      std::vector<std::pair<std::size_t, std::size_t>> services;  // (distance, index)
      const std::size_t limit = SuggestionLimit(service);
      for (std::size_t i = 0; i < catalog.service_count(); ++i) {
        const std::size_t d = EditDistance(service, catalog.service_lower_prefix(i), false, limit);
        if (d <= limit) services.emplace_back(d, i);
      }
      std::sort(services.begin(), services.end());
      const std::string rest(std::string_view(CollapseStars(text)).substr(colon + 1));
      for (const auto& [d, i] : services) {
        const std::string fixed = std::string(catalog.service(i).prefix) + ":" + rest;
        const std::optional<ActionPattern> p = ActionPattern::Parse(fixed);
        if (!p) continue;
        const ActionSet matches = ExpandActions(catalog, *p);
        if (matches.empty()) continue;
        AddUnique(out, p->HasWildcards() ? fixed : FullName(catalog, *matches.begin()), n);
      }
    }
  }
  // Only when the service part is not a literal prefix (`*:Get*`, or no `:`)
  // is every action scored: for a known service, another service's action is
  // no help (an unknown action there is most often newer than the catalog),
  // and an unknown service was answered by the closest prefixes above. That
  // scan of 20,000 names cost an audit ~20 ms per unknown action.
  if (candidates.empty() && out.empty() && !literal_service) {
    ScoreActions(catalog, lower, /*full=*/true, 0, static_cast<ActionId>(catalog.action_count()),
                 candidates);
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
  });
  for (const Candidate& c : candidates) AddUnique(out, FullName(catalog, c.id), n);
  return out;
}

}  // namespace iam_audit
