#include "suggest.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "ascii.h"

namespace iam_audit {
namespace {

bool IsWildcard(char c) { return c == '*' || c == '?'; }

// Optimal string alignment distance between `p` and `s` over three rows of
// the dynamic-programming table; with `wildcards`, p's `?` matches any byte
// and p's `*` any run, for free. Stops once a whole row exceeds `limit` (the
// row minimum never decreases, transpositions included).
//
// Without wildcards only the band of cells within `limit` of the diagonal is
// computed (Ukkonen): a path through a cell (i, j) costs at least |i - j|, so
// a distance within `limit` never leaves the band, and the cells just outside
// it are set to limit + 1. Unknown-action suggestions compare a typed service
// with all 450 prefixes: 58 M instructions on the managed corpus before.
std::size_t Distance(std::string_view p, std::string_view s, bool ignore_case, bool wildcards,
                     std::size_t limit) {
  const auto fold = [ignore_case](char c) { return ignore_case ? ascii::Lower(c) : c; };
  const std::size_t m = p.size(), n = s.size(), w = n + 1;
  // Without wildcards each byte of length difference costs an edit (and the
  // band below then reaches the last cell).
  if (!wildcards && std::max(m, n) - std::min(m, n) > limit) return limit + 1;
  std::array<std::size_t, 3 * 160> stack_rows;  // most names: no allocation
  std::vector<std::size_t> heap_rows(3 * w > stack_rows.size() ? 3 * w : 0);
  std::size_t* prev2 = heap_rows.empty() ? stack_rows.data() : heap_rows.data();
  std::size_t* prev = prev2 + w;
  std::size_t* cur = prev + w;
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  const bool banded = !wildcards && limit < n;
  const std::size_t outside = limit + 1;  // only written when banded: no overflow
  for (std::size_t i = 1; i <= m; ++i) {
    const char t = fold(p[i - 1]);
    const bool star = wildcards && t == '*';
    const bool any = wildcards && t == '?';
    const std::size_t lo = banded && i > limit ? i - limit : 1;
    const std::size_t hi = banded ? std::min(n, i + limit) : n;
    cur[0] = prev[0] + (star ? 0 : 1);
    if (lo > 1) cur[lo - 1] = outside;
    if (hi < n) cur[hi + 1] = outside;
    std::size_t best = lo > 1 ? outside : cur[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      if (star) {
        cur[j] = std::min(prev[j], cur[j - 1]);
      } else {
        const std::size_t cost = (any || t == fold(s[j - 1])) ? 0 : 1;
        std::size_t d = std::min({prev[j - 1] + cost, prev[j] + 1, cur[j - 1] + 1});
        if (i > 1 && j > 1 && !any) {  // a transposition of two literals
          const char before = fold(p[i - 2]);
          if (!(wildcards && IsWildcard(before)) && t == fold(s[j - 2]) &&
              before == fold(s[j - 1])) {
            d = std::min(d, prev2[j - 2] + 1);
          }
        }
        cur[j] = d;
      }
      best = std::min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[n], limit + 1);
}

// A lower bound of the distance, in a few operations per byte: the bytes
// (folded, and counted in 64 buckets) that one string has more of than the
// other each need an edit. An insertion or a deletion changes one count by
// one, a substitution two counts (one up, one down), a transposition none.
// With `wildcards`, p's `*` and `?` are not counted and may stand for any of
// s's extra bytes: only p's extra literals count. Most of the 450 service
// prefixes an unknown service is compared with, and most actions of a
// service an unknown action is compared with, are ruled out here.
std::size_t CountBound(std::string_view p, std::string_view s, bool ignore_case, bool wildcards) {
  std::array<int, 64> count{};
  const auto bucket = [ignore_case](char c) {
    return static_cast<unsigned char>(ignore_case ? ascii::Lower(c) : c) & 63u;
  };
  const auto literal = [wildcards](char c) { return !(wildcards && IsWildcard(c)); };
  for (const char c : p) count[bucket(c)] += literal(c) ? 1 : 0;
  for (const char c : s) --count[bucket(c)];
  std::size_t more = 0, fewer = 0;  // each bucket is summed once, then zeroed
  for (const char c : p) {
    more += static_cast<std::size_t>(std::max(std::exchange(count[bucket(c)], 0), 0));
  }
  if (wildcards) return more;
  for (const char c : s) {
    fewer += static_cast<std::size_t>(std::max(-std::exchange(count[bucket(c)], 0), 0));
  }
  return std::max(more, fewer);
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case,
                         std::size_t limit) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > limit) return limit + 1;
  if (CountBound(a, b, ignore_case, /*wildcards=*/false) > limit) return limit + 1;
  return Distance(a, b, ignore_case, /*wildcards=*/false, limit);
}

std::size_t GlobDistance(std::string_view pattern, std::string_view s, std::size_t limit) {
  if (CountBound(pattern, s, /*ignore_case=*/true, /*wildcards=*/true) > limit) return limit + 1;
  return Distance(pattern, s, /*ignore_case=*/true, /*wildcards=*/true, limit);
}

std::size_t SuggestionLimit(std::string_view typed) {
  const auto literal = static_cast<std::size_t>(
      std::count_if(typed.begin(), typed.end(), [](char c) { return !IsWildcard(c); }));
  return std::max<std::size_t>(1, literal / 3);
}

std::vector<std::string_view> ClosestMatches(std::string_view word,
                                             std::span<const std::string_view> candidates,
                                             std::size_t max_results) {
  std::vector<std::string_view> out;
  if (word.size() > kMaxSuggestedLength) return out;
  for (std::string_view c : candidates) {
    if (ascii::EqualsIgnoreCase(word, c) && out.size() < max_results) out.push_back(c);
  }
  if (!out.empty()) return out;
  const std::size_t limit = SuggestionLimit(word);
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (std::string_view c : candidates) {
    const std::size_t d = EditDistance(word, c, /*ignore_case=*/true, limit);
    if (d <= limit) scored.emplace_back(d, c);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t i = 0; i < scored.size() && i < max_results; ++i)
    out.push_back(scored[i].second);
  return out;
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  const std::vector<std::string_view> matches = ClosestMatches(word, candidates);
  if (matches.empty()) return "";
  return " (did you mean " +
         ascii::JoinOr(matches, [](std::string_view m) { return "'" + std::string(m) + "'"; }) +
         "?)";
}

}  // namespace iam_audit
