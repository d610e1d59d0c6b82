// Suggest: "did you mean ...?" candidates for a misspelt name.
//
// Used for policy element names ("effect" -> "Effect"), condition operators
// ("StringEqual" -> "StringEquals") and anything else where a user may have
// mistyped one of a known, smallish set of names.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {

// Levenshtein distance (insertions, deletions, substitutions of bytes),
// comparing ASCII letters case-insensitively when `ignore_case`. Gives up
// early and returns `limit` + 1 once the distance is known to exceed `limit`.
std::size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case = false,
                         std::size_t limit = std::numeric_limits<std::size_t>::max() - 1);

// The candidates `word` most likely meant, best first, at most `max_results`:
// the ones equal to it but for ASCII case if there are any; otherwise those
// within a case-insensitive edit distance of max(1, word.size() / 3), closest
// first (ties keep the candidates' order).
std::vector<std::string_view> ClosestMatches(std::string_view word,
                                             std::span<const std::string_view> candidates,
                                             std::size_t max_results = 3);

// " (did you mean 'X'?)", " (did you mean 'X' or 'Y'?)", or "" when nothing is close.
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace iam_audit
