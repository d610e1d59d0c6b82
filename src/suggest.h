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

// The one home of "how close is a typed name to a known one", for policy
// element names and operators as for actions (action_set.h's SuggestActions
// scores with GlobDistance and SuggestionLimit below).
//
// The metric is the optimal string alignment distance: insertions, deletions,
// substitutions and transpositions of two adjacent bytes each cost 1.

// Names longer than this get no suggestion: no AWS name is as long, and the
// cost of a comparison is the product of the two lengths.
inline constexpr std::size_t kMaxSuggestedLength = 128;

// The distance between `a` and `b`, comparing ASCII letters
// case-insensitively when `ignore_case`. Gives up early and returns `limit`
// + 1 once the distance is known to exceed `limit`.
std::size_t EditDistance(std::string_view a, std::string_view b, bool ignore_case = false,
                         std::size_t limit = std::numeric_limits<std::size_t>::max() - 1);

// The same where `pattern`'s `?` matches any one byte and `*` any run of
// bytes, for free; case-insensitive. `limit` as above. O(|pattern| * |s|)
// time at worst; callers bound |pattern| by kMaxSuggestedLength.
std::size_t GlobDistance(std::string_view pattern, std::string_view s, std::size_t limit);

// How far a candidate may be from what was typed to be suggested: a third of
// the typed characters that are not wildcards, at least 1.
std::size_t SuggestionLimit(std::string_view typed);

// The candidates `word` most likely meant, best first, at most `max_results`:
// the ones equal to it but for ASCII case if there are any; otherwise those
// within a case-insensitive EditDistance of SuggestionLimit(word), closest
// first (ties keep the candidates' order). None for a word longer than
// kMaxSuggestedLength.
std::vector<std::string_view> ClosestMatches(std::string_view word,
                                             std::span<const std::string_view> candidates,
                                             std::size_t max_results = 3);

// " (did you mean 'X'?)", " (did you mean 'X' or 'Y'?)", or "" when nothing is close.
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace iam_audit
