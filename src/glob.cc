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

Glob Glob::FromTokens(std::vector<Token> tokens, Case c) {
  Glob g;
  g.case_ = c;
  // Normalise in place: fold case of literals, and collapse runs of `*`
  // (they mean the same).
  std::size_t n = 0;
  for (Token t : tokens) {
    if (t.kind == TokenKind::kAnyRun && n > 0 && tokens[n - 1].kind == TokenKind::kAnyRun) {
      continue;
    }
    if (t.kind == TokenKind::kLiteral) {
      t.literal = Fold(t.literal, c);
    } else {
      t.literal = 0;
      g.has_wildcards_ = true;
    }
    tokens[n++] = t;
  }
  tokens.resize(n);
  g.tokens_ = std::move(tokens);
  return g;
}

Glob Glob::Compile(std::string_view pattern, Case c) {
  std::vector<Token> tokens;
  tokens.reserve(pattern.size());
  for (char ch : pattern) {
    if (ch == '*') {
      tokens.push_back({TokenKind::kAnyRun, 0});
    } else if (ch == '?') {
      tokens.push_back({TokenKind::kAnyOne, 0});
    } else {
      tokens.push_back({TokenKind::kLiteral, ch});
    }
  }
  return FromTokens(std::move(tokens), c);
}

Glob Glob::Literal(std::string_view text, Case c) {
  std::vector<Token> tokens;
  tokens.reserve(text.size());
  for (char ch : text) tokens.push_back({TokenKind::kLiteral, ch});
  return FromTokens(std::move(tokens), c);
}

// Greedy matching with a single resume point (the last `*` seen). Because `*`
// can absorb anything, retrying only from the most recent star is complete.
// Its work is O(|subject| * |pattern|) at worst ("*aaaab" against "aaaa...");
// when it has spent a few passes' worth of steps without an answer, matching
// switches to a bit-parallel NFA simulation, O(|subject| * |pattern| / 64),
// i.e. linear in the subject for any pattern up to 64 tokens.
bool Glob::Matches(std::string_view s) const {
  const std::size_t n = tokens_.size();
  std::size_t p = 0, i = 0;
  std::size_t star_p = std::string_view::npos, star_i = 0;
  std::size_t budget = 4 * (s.size() + n) + 64;
  while (i < s.size()) {
    if (budget-- == 0) return MatchesNfa(s);
    if (p < n) {
      const Token& t = tokens_[p];
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
  while (p < n && tokens_[p].kind == TokenKind::kAnyRun) ++p;
  return p == n;
}

bool Glob::MatchesNfa(std::string_view s) const {
  return glob_internal::MatchesNfa(ToXTokens(*this), s);
}

bool Glob::Covers(const Glob& other) const {
  if (MatchesEverything()) return true;
  if (case_ == other.case_) {
    if (tokens_ == other.tokens_) return true;
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
  out.reserve(tokens_.size());
  for (const Token& t : tokens_) out += t.literal;
  return out;
}

bool Glob::MatchesEverything() const {
  for (const Token& t : tokens_) {
    if (t.kind != TokenKind::kAnyRun) return false;
  }
  return !tokens_.empty();
}

std::string Glob::ToString() const {
  std::string out;
  out.reserve(tokens_.size());
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case TokenKind::kAnyRun:
        out += '*';
        break;
      case TokenKind::kAnyOne:
        out += '?';
        break;
      case TokenKind::kLiteral:
        if (t.literal == '*' || t.literal == '?') {
          out += "${";
          out += t.literal;
          out += '}';
        } else {
          out += t.literal;
        }
        break;
    }
  }
  return out;
}

}  // namespace iam_audit
