#include "iam_audit/action_set.h"

#include <algorithm>
#include <bit>
#include <optional>

#include "ascii.h"
#include "catalog_format.h"

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

// The leading literal characters of a (case-insensitive, hence lower-case) glob.
std::string LiteralPrefix(const Glob& g) {
  std::string out;
  for (const Glob::Token& t : g.tokens()) {
    if (t.kind != Glob::TokenKind::kLiteral) break;
    out += t.literal;
  }
  return out;
}

// Expands the name glob within one service's id range.
void ExpandInService(const Catalog& catalog, const Glob& name, std::string_view prefix,
                     std::pair<ActionId, ActionId> range, ActionSet& out) {
  auto [first, last] = range;
  if (name.MatchesEverything()) {
    out.InsertRange(first, last);
    return;
  }
  // Names are sorted, so those starting with the literal prefix are one run.
  while (first < last) {
    const ActionId mid = first + (last - first) / 2;
    if (catalog.action_lower_name(mid) < prefix) {
      first = mid + 1;
    } else {
      last = mid;
    }
  }
  for (ActionId id = first; id < range.second; ++id) {
    const std::string_view lower = catalog.action_lower_name(id);
    if (lower.substr(0, prefix.size()) != prefix) break;
    if (!name.HasWildcards()) {  // exact name: the first candidate decides
      if (lower.size() == prefix.size()) out.insert(id);
      break;
    }
    if (name.Matches(lower)) out.insert(id);
  }
}

}  // namespace

void ExpandActionsInto(const Catalog& catalog, const ActionPattern& pattern, ActionSet& out) {
  if (out.universe() < catalog.action_count()) out |= ActionSet(catalog.action_count());
  if (pattern.MatchesAllActions()) {
    out.InsertRange(0, static_cast<ActionId>(catalog.action_count()));
    return;
  }
  const std::string prefix = LiteralPrefix(pattern.name());
  if (!pattern.service().HasWildcards()) {
    const std::optional<std::size_t> s = catalog.FindServiceIndex(LiteralPrefix(pattern.service()));
    if (s) ExpandInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(*s), out);
    return;
  }
  for (std::size_t s = 0; s < catalog.service_count(); ++s) {
    if (pattern.service().Matches(catalog.service_lower_prefix(s))) {
      ExpandInService(catalog, pattern.name(), prefix, catalog.ServiceActionsAt(s), out);
    }
  }
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

// --- suggestions ----------------------------------------------------------------

namespace {

std::size_t LiteralCount(std::string_view pattern) {
  return static_cast<std::size_t>(
      std::count_if(pattern.begin(), pattern.end(), [](char c) { return c != '*' && c != '?'; }));
}

// How far off a suggestion may be: a third of the typed characters, at least 2.
std::size_t MaxDistance(std::string_view pattern) {
  return std::max<std::size_t>(2, LiteralCount(pattern) / 3);
}

// Edit distance (optimal string alignment: insertions, deletions,
// substitutions and adjacent transpositions cost 1) between lower-case
// `pattern` and `s`, where the pattern's `?` matches any one character and `*`
// any run, for free. Reuses `rows` to avoid allocating per candidate.
std::size_t GlobDistance(std::string_view pattern, std::string_view s,
                         std::vector<std::size_t>& rows) {
  const std::size_t m = pattern.size(), n = s.size(), w = n + 1;
  rows.assign(3 * w, 0);
  std::size_t* prev2 = rows.data();
  std::size_t* prev = prev2 + w;
  std::size_t* cur = prev + w;
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= m; ++i) {
    const char t = pattern[i - 1];
    cur[0] = prev[0] + (t == '*' ? 0 : 1);
    for (std::size_t j = 1; j <= n; ++j) {
      if (t == '*') {
        cur[j] = std::min(prev[j], cur[j - 1]);
        continue;
      }
      const std::size_t cost = (t == '?' || t == s[j - 1]) ? 0 : 1;
      std::size_t d = std::min({prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1});
      if (i > 1 && j > 1 && t != '?' && pattern[i - 2] != '*' && pattern[i - 2] != '?' &&
          t == s[j - 2] && pattern[i - 2] == s[j - 1]) {
        d = std::min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[n];
}

struct Candidate {
  std::size_t distance;
  ActionId id;
};

// The best candidates among `ids` by distance of `pattern` to each action's
// lower-case name (`full`: to "service:name").
void ScoreActions(const Catalog& catalog, std::string_view pattern, bool full, ActionId first,
                  ActionId last, std::vector<Candidate>& out) {
  const std::size_t limit = MaxDistance(pattern);
  const bool has_star = pattern.find('*') != std::string_view::npos;
  const std::size_t literal = LiteralCount(pattern);
  std::vector<std::size_t> rows;
  std::string subject;
  for (ActionId id = first; id < last; ++id) {
    subject.clear();
    if (full) {
      subject += catalog.service_lower_prefix(catalog.action_service_index(id));
      subject += ':';
    }
    subject += catalog.action_lower_name(id);
    // Without `*`, lengths alone bound the distance from below.
    if (!has_star &&
        (subject.size() > pattern.size() + limit || subject.size() + limit < literal)) {
      continue;
    }
    const std::size_t d = GlobDistance(pattern, subject, rows);
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
  const std::string lower = ascii::Lower(text);
  if (n == 0 || LiteralCount(lower) == 0) return out;
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
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < catalog.service_count(); ++i) {
        const std::size_t d = GlobDistance(service, catalog.service_lower_prefix(i), rows);
        if (d <= MaxDistance(service)) services.emplace_back(d, i);
      }
      std::sort(services.begin(), services.end());
      const std::string rest(text.substr(colon + 1));
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
