#include "iam_audit/glob.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "glob_engine.h"

namespace iam_audit {
namespace {

using glob_internal::Answer;
using glob_internal::XToken;

inline char Fold(char c, Glob::Case mode) {
  return mode == Glob::Case::kInsensitive ? ascii::Lower(c) : c;
}

std::vector<XToken> ToXTokens(const Glob& g) {
  std::vector<XToken> out;
  glob_internal::AppendTokens(g, /*colon_free=*/false, &out);
  return out;
}

}  // namespace

Glob::Glob(const Glob& other) : case_(other.case_), has_wildcards_(other.has_wildcards_) {
  std::copy_n(other.data(), other.size_, Allocate(other.size_));
  size_ = other.size_;
}

Glob& Glob::operator=(const Glob& other) {
  if (this != &other) *this = Glob(other);
  return *this;
}

Glob::Token* Glob::Allocate(std::size_t n) {
  if (n <= kInlineTokens) return inline_;
  heap_ = new Token[n];
  on_heap_ = true;
  return heap_;
}

void Glob::Finish(std::size_t n) {
  size_ = static_cast<std::uint32_t>(n);
  if (on_heap_ && n <= kInlineTokens) {  // normalising shrank it: back inline
    Token* heap = heap_;
    std::copy_n(heap, n, inline_);
    delete[] heap;
    on_heap_ = false;
  }
}

bool operator==(const Glob& a, const Glob& b) {
  return a.case_ == b.case_ && a.has_wildcards_ == b.has_wildcards_ &&
         std::ranges::equal(a.tokens(), b.tokens());
}

namespace {

// Appends `t` to the `n` tokens at `out`, normalised: literals folded to the
// case mode, wildcard tokens without a literal, runs of `*` collapsed (they
// mean the same).
inline void Push(Glob::Token t, Glob::Case mode, Glob::Token* out, std::size_t& n,
                 bool& wildcards) {
  if (t.kind == Glob::TokenKind::kLiteral) {
    t.literal = Fold(t.literal, mode);
  } else {
    if (t.kind == Glob::TokenKind::kAnyRun && n > 0 && out[n - 1].kind == t.kind) return;
    t.literal = 0;
    wildcards = true;
  }
  out[n++] = t;
}

}  // namespace

Glob Glob::FromTokens(std::span<const Token> tokens, Case c) {
  Glob g;
  g.case_ = c;
  Token* out = g.Allocate(tokens.size());
  std::size_t n = 0;
  for (const Token t : tokens) Push(t, c, out, n, g.has_wildcards_);
  g.Finish(n);
  return g;
}

// Builds the tokens in place, a byte at a time (no intermediate vector, no
// per-token checks): ActionPattern::Parse compiles two globs per Action
// entry, 122,000 for the AWS managed policies.
Glob Glob::Compile(std::string_view pattern, Case c) {
  Glob g;
  g.case_ = c;
  Token* const out = g.Allocate(pattern.size());
  const bool fold = c == Case::kInsensitive;
  bool wildcards = false;
  std::size_t n = 0;
  for (const char ch : pattern) {
    if (ch == '*') {
      wildcards = true;
      if (n == 0 || out[n - 1].kind != TokenKind::kAnyRun) out[n++] = {TokenKind::kAnyRun, 0};
    } else if (ch == '?') {
      wildcards = true;
      out[n++] = {TokenKind::kAnyOne, 0};
    } else {
      out[n++] = {TokenKind::kLiteral,
                  fold ? ascii::kLowerTable[static_cast<unsigned char>(ch)] : ch};
    }
  }
  g.has_wildcards_ = wildcards;
  g.Finish(n);
  return g;
}

Glob Glob::Literal(std::string_view text, Case c) {
  Glob g;
  g.case_ = c;
  Token* out = g.Allocate(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) out[i] = {TokenKind::kLiteral, Fold(text[i], c)};
  g.Finish(text.size());
  return g;
}

// Greedy matching with a single resume point (the last `*` seen). Because `*`
// can absorb anything, retrying only from the most recent star is complete.
// Its work is O(|subject| * |pattern|) at worst ("*aaaab" against "aaaa...");
// when it has spent a few passes' worth of steps without an answer, matching
// switches to a bit-parallel NFA simulation, O(|subject| * |pattern| / 64),
// i.e. linear in the subject for any pattern up to 64 tokens.
bool Glob::Matches(std::string_view s) const {
  const Token* const tokens = data();
  const std::size_t n = size_;
  std::size_t p = 0, i = 0;
  std::size_t star_p = std::string_view::npos, star_i = 0;
  std::size_t budget = 4 * (s.size() + n) + 64;
  while (i < s.size()) {
    if (budget-- == 0) return MatchesNfa(s);
    if (p < n) {
      const Token& t = tokens[p];
      if (t.kind == TokenKind::kAnyRun) {
        star_p = p++;
        star_i = i;
        continue;
      }
      if (t.kind == TokenKind::kAnyOne || t.literal == Fold(s[i], case_)) {
        ++p;
        ++i;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    i = ++star_i;
  }
  while (p < n && tokens[p].kind == TokenKind::kAnyRun) ++p;
  return p == n;
}

bool Glob::MatchesNfa(std::string_view s) const {
  return glob_internal::MatchesNfa(ToXTokens(*this), s);
}

bool Glob::Covers(const Glob& other) const {
  if (MatchesEverything()) return true;
  if (case_ == other.case_) {
    if (std::ranges::equal(tokens(), other.tokens())) return true;
    // A pattern without wildcards has one string (several when it folds case,
    // but then so does `this`, in the same way): match it.
    if (!other.has_wildcards_) return Matches(other.ToLiteralString());
    // `this` has one string per case class; `other` has more.
    if (!has_wildcards_) return false;
    // Most real pairs are decided by their literal prefix and suffix
    // ("arn:aws:s3:::b/*" against "arn:aws:s3:::b/logs/*").
    return glob_internal::CoversSameCase(*this, other, /*colon_free=*/false);
  }
  const std::vector<XToken> p = ToXTokens(*this);
  const std::vector<XToken> q = ToXTokens(other);
  return glob_internal::Covers(p, q) == Answer::kYes;
}

bool Glob::Overlaps(const Glob& other) const {
  if (case_ == other.case_) {
    if (!other.has_wildcards_) return Matches(other.ToLiteralString());
    if (!has_wildcards_) return other.Matches(ToLiteralString());
  }
  const std::vector<XToken> p = ToXTokens(*this);
  const std::vector<XToken> q = ToXTokens(other);
  return glob_internal::Overlaps(p, q);
}

std::string Glob::ToLiteralString() const {
  std::string out;
  out.reserve(size_);
  for (const Token& t : tokens()) out += t.literal;
  return out;
}

bool Glob::MatchesEverything() const {
  for (const Token& t : tokens()) {
    if (t.kind != TokenKind::kAnyRun) return false;
  }
  return size_ != 0;
}

// Writes through a local pointer (a store through the string's own buffer
// would make the compiler reload its data pointer at every byte).
std::string Glob::ToString() const {
  std::size_t escapes = 0;
  for (const Token& t : tokens()) {
    escapes += t.kind == TokenKind::kLiteral && (t.literal == '*' || t.literal == '?');
  }
  std::string out(size_ + 3 * escapes, '\0');
  char* p = out.data();
  for (const Token& t : tokens()) {
    if (t.kind == TokenKind::kAnyRun) {
      *p++ = '*';
    } else if (t.kind == TokenKind::kAnyOne) {
      *p++ = '?';
    } else if (t.literal == '*' || t.literal == '?') {  // written as ${*} / ${?}
      p[0] = '$';
      p[1] = '{';
      p[2] = t.literal;
      p[3] = '}';
      p += 4;
    } else {
      *p++ = t.literal;
    }
  }
  return out;
}

}  // namespace iam_audit
