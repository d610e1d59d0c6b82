// Glob: an IAM wildcard pattern over a string, compiled once.
//
// The only wildcards are `*` (any run of characters, including none) and `?`
// (exactly one character). A Glob is a sequence of tokens, so a literal `*` or
// `?` (from the policy-variable escapes `${*}` and `${?}`) is distinct from a
// wildcard. Matching is byte-wise, optionally ASCII-case-insensitive.
//
// Matching never backtracks exponentially: a greedy matcher handles the
// common cases in one pass, and when a pattern makes it retry too often
// ("*aaaab" against "aaaa...") it switches to a bit-parallel NFA simulation,
// O(|subject| * ceil(|pattern| / 64)). `a*a*a*a*b` against 100,000 characters
// is as fast as any other pattern.
//
//   Matches(s)    - does the pattern match the concrete string s?
//   Covers(q)     - does every string that q matches also match this pattern?
//                   (language containment: "arn:aws:s3:::b/*" covers
//                   "arn:aws:s3:::b/data/*"; "b/d*" does not cover "b/*")
//   Overlaps(q)   - is there a string both patterns match?
//
// Covers and Overlaps are exact for any mix of `*`, `?`, literals and literal
// `*`/`?` tokens, and for globs of different case modes (a case-insensitive
// glob stands for every casing). Overlaps takes O(|p| * |q|) time. Exact
// containment of wildcard patterns is coNP-hard in general; Covers explores at
// most ~260,000 intermediate states (real policy patterns need a handful) and
// on hostile patterns beyond that answers false ("not proven covered"), which
// is the safe answer for an audit of what a policy grants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {

class Glob {
 public:
  enum class TokenKind : unsigned char { kLiteral, kAnyOne, kAnyRun };
  struct Token {
    TokenKind kind;
    char literal;  // only for kLiteral
    friend bool operator==(const Token&, const Token&) = default;
  };
  enum class Case : unsigned char { kSensitive, kInsensitive };

  Glob() = default;
  // `*` and `?` in `pattern` are wildcards; every other byte is literal.
  static Glob Compile(std::string_view pattern, Case c = Case::kSensitive);
  // A glob with no wildcards at all that matches exactly `text`.
  static Glob Literal(std::string_view text, Case c = Case::kSensitive);
  static Glob FromTokens(std::vector<Token> tokens, Case c = Case::kSensitive);

  bool Matches(std::string_view subject) const;
  bool Covers(const Glob& other) const;
  bool Overlaps(const Glob& other) const;

  bool HasWildcards() const { return has_wildcards_; }
  bool MatchesEverything() const;  // the pattern is only `*` runs
  Case case_mode() const { return case_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  // The pattern written back with `*`/`?` for wildcards (literal `*`/`?` are
  // written as `${*}`/`${?}`).
  std::string ToString() const;

  friend bool operator==(const Glob&, const Glob&) = default;

 private:
  bool MatchesNfa(std::string_view subject) const;
  // The literals concatenated (meaningful when !HasWildcards()).
  std::string ToLiteralString() const;

  std::vector<Token> tokens_;
  Case case_ = Case::kSensitive;
  bool has_wildcards_ = false;
};

}  // namespace iam_audit
