#include "suggest.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

namespace iam_audit {
namespace {

char Fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return Fold(x, true) == Fold(y, true);
         });
}

}  // namespace

std::size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case,
                         std::size_t limit) {
  if (a.size() < b.size()) std::swap(a, b);
  if (a.size() - b.size() > limit) return limit + 1;
  // One row of the dynamic-programming table over the shorter string.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = Fold(a[i - 1], ignore_case) == Fold(b[j - 1], ignore_case) ? 0 : 1;
      row[j] = std::min({up + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = up;
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
  }
  return std::min(row[b.size()], limit + 1);
}

std::vector<std::string_view> ClosestMatches(std::string_view word,
                                             std::span<const std::string_view> candidates,
                                             std::size_t max_results) {
  std::vector<std::string_view> out;
  for (std::string_view c : candidates) {
    if (EqualIgnoringCase(word, c) && out.size() < max_results) out.push_back(c);
  }
  if (!out.empty()) return out;
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
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
  std::string out = " (did you mean ";
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (i > 0) out += i + 1 == matches.size() ? " or " : ", ";
    out += "'" + std::string(matches[i]) + "'";
  }
  return out + "?)";
}

}  // namespace iam_audit
