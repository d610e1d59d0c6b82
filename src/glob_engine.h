// Internal: the automata behind Glob::Covers / Glob::Overlaps / Glob's
// matching fallback and the ARN pattern set operations (glob_engine.cc).
//
// The engine works on "extended tokens": a Glob token plus two per-token
// flags, so one pattern can mix fields with different rules (an ARN pattern is
// "arn:" + four case-insensitive fields whose wildcards never match ':' + a
// case-sensitive resource part whose wildcards match anything):
//   fold        - a literal matches c iff ascii::Lower(c) == literal (the literal
//                 is stored folded); otherwise iff c == literal.
//   colon_free  - a wildcard (`?` or `*`) never consumes ':'.
//
// The language of a token sequence is the set of byte strings it matches.
//   Covers(p, q)   : L(q) ⊆ L(p)   (exact; see glob.cc for the algorithm)
//   Overlaps(p, q) : L(p) ∩ L(q) ≠ ∅  (exact, O(|p|·|q|) time, O(|p|) memory)
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "ascii.h"
#include "iam_audit/glob.h"

namespace iam_audit::glob_internal {

struct XToken {
  Glob::TokenKind kind;
  char literal;  // kLiteral only; folded when `fold`
  bool fold;
  bool colon_free;
};

// Appends `g`'s tokens; wildcards get `colon_free`, literals fold when `g` is
// case-insensitive.
void AppendTokens(const Glob& g, bool colon_free, std::vector<XToken>* out);
// The same for a run of tokens of a glob whose literals fold when `fold`.
void AppendTokens(std::span<const Glob::Token> tokens, bool fold, bool colon_free,
                  std::vector<XToken>* out);
// Appends `text` as case-sensitive literal tokens.
void AppendLiteral(std::string_view text, std::vector<XToken>* out);

enum class Answer : unsigned char { kNo, kYes, kGaveUp };

// Exact containment L(q) ⊆ L(p). Deciding containment of wildcard patterns is
// coNP-hard in general, so the search is bounded: on hostile inputs that need
// more than kMaxCoverStates intermediate states it returns kGaveUp.
inline constexpr std::size_t kMaxCoverStates = std::size_t{1} << 18;
inline constexpr std::size_t kMaxCoverWords = std::size_t{1} << 21;  // 16 MiB of state sets
Answer Covers(std::span<const XToken> p, std::span<const XToken> q);

bool Overlaps(std::span<const XToken> p, std::span<const XToken> q);

// Containment L(q) ⊆ L(p) of two globs of the same case mode (their literals
// folded alike), their wildcards colon-free when `colon_free`: Covers, after
// the shortcuts that decide most real pairs without a search (the literal
// prefix and suffix, two strings of q that p must match, p's literal runs
// found in q's in order). False when the search gives up.
bool CoversSameCase(const Glob& p, const Glob& q, bool colon_free);

// Whether `s` is in L(p): a bit-parallel NFA simulation, O(|s| * |p| / 64)
// time, O(256 * |p| / 64) words of memory (Glob::Matches' fallback when its
// greedy matcher would be quadratic).
bool MatchesNfa(std::span<const XToken> p, std::string_view s);

}  // namespace iam_audit::glob_internal
