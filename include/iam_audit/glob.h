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
//
// Storage: up to kInlineTokens tokens live inside the Glob (no allocation:
// 92% of the action names and most ARN fields of the AWS managed policies
// fit); longer patterns take one heap array. Copying a Glob copies its tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
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

  static constexpr std::size_t kInlineTokens = 28;  // a Glob is 64 bytes

  Glob() {}  // the empty pattern: matches only ""
  Glob(const Glob& other);
  // Moves are inline (a compiled statement moves its globs a few times).
  Glob(Glob&& other) noexcept { Steal(other); }
  Glob& operator=(const Glob& other);
  Glob& operator=(Glob&& other) noexcept {
    if (this != &other) {
      Release();
      Steal(other);
    }
    return *this;
  }
  ~Glob() { Release(); }

  // `*` and `?` in `pattern` are wildcards; every other byte is literal.
  static Glob Compile(std::string_view pattern, Case c = Case::kSensitive);
  // A glob with no wildcards at all that matches exactly `text`.
  static Glob Literal(std::string_view text, Case c = Case::kSensitive);
  // Literals are folded (kInsensitive) and runs of `*` collapsed.
  static Glob FromTokens(std::span<const Token> tokens, Case c = Case::kSensitive);

  bool Matches(std::string_view subject) const;
  bool Covers(const Glob& other) const;
  bool Overlaps(const Glob& other) const;

  bool HasWildcards() const { return has_wildcards_; }
  bool MatchesEverything() const;  // the pattern is only `*` runs
  Case case_mode() const { return case_; }
  std::span<const Token> tokens() const { return {data(), size_}; }
  // The pattern written back with `*`/`?` for wildcards (literal `*`/`?` are
  // written as `${*}`/`${?}`).
  std::string ToString() const;

  // Same case mode and same tokens.
  friend bool operator==(const Glob& a, const Glob& b);

 private:
  const Token* data() const { return on_heap_ ? heap_ : inline_; }
  // Room for `n` tokens (inline or on the heap); the glob must be empty.
  Token* Allocate(std::size_t n);
  // Sets the size to `n` (at most what Allocate gave), back inline when it fits.
  void Finish(std::size_t n);
  void Release() {
    if (on_heap_) delete[] heap_;
    on_heap_ = false;
    size_ = 0;
  }
  // Takes `other`'s tokens (and its heap array); leaves it empty.
  void Steal(Glob& other) {
    size_ = other.size_;
    case_ = other.case_;
    has_wildcards_ = other.has_wildcards_;
    on_heap_ = other.on_heap_;
    if (on_heap_) {
      heap_ = other.heap_;
    } else {
      for (std::size_t i = 0; i < kInlineTokens; ++i) inline_[i] = other.inline_[i];
    }
    other.on_heap_ = false;
    other.size_ = 0;
    other.has_wildcards_ = false;
  }
  bool MatchesNfa(std::string_view subject) const;
  // The literals concatenated (meaningful when !HasWildcards()).
  std::string ToLiteralString() const;

  std::uint32_t size_ = 0;
  Case case_ = Case::kSensitive;
  bool has_wildcards_ = false;
  bool on_heap_ = false;  // heap_ holds the tokens, else inline_
  union {
    Token inline_[kInlineTokens] = {};  // initialised: moves copy it whole
    Token* heap_;
  };
};

}  // namespace iam_audit
