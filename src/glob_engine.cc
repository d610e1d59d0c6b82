// The automata behind Glob (glob.h) and ArnPattern's set operations: NFA
// simulation over bit sets, containment and overlap of token sequences. The
// contract is in glob_engine.h.
#include "glob_engine.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iam_audit::glob_internal {
namespace {

inline bool IsLowerAscii(char c) { return c >= 'a' && c <= 'z'; }
inline char UpperAscii(char c) { return static_cast<char>(c - ('a' - 'A')); }
inline unsigned char Byte(char c) { return static_cast<unsigned char>(c); }

// ---------------------------------------------------------------------------
// Fixed-width bit sets over pattern positions 0..n (bit n = "matched all").
// A pattern's NFA has one state per position; a set of states is `words`
// uint64_t. These helpers are shared by Matches' fallback and Covers.

struct BitSpan {
  std::size_t words;

  static void Clear(std::uint64_t* d, std::size_t w) { std::fill(d, d + w, 0); }
  static bool Test(const std::uint64_t* d, std::size_t bit) {
    return (d[bit >> 6] >> (bit & 63)) & 1U;
  }
  static void Set(std::uint64_t* d, std::size_t bit) {
    d[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  static bool Empty(const std::uint64_t* d, std::size_t w) {
    for (std::size_t i = 0; i < w; ++i) {
      if (d[i] != 0) return false;
    }
    return true;
  }
};

// One NFA step: out = ((s & advance) << 1) | (s & stay), then the epsilon
// closure over `*` (a `*` at position k lets the match continue at k + 1).
// `advance` = positions whose token consumes the character and moves on;
// `stay`    = `*` positions that consume the character and stay.
// One closure pass is exact unless two `*` are adjacent (a Glob collapses
// runs of `*`, and sequences built from several globs keep a literal between
// them); `star_runs` asks for the fixed point.
void Step(const std::uint64_t* s, const std::uint64_t* advance, const std::uint64_t* stay,
          const std::uint64_t* star, std::size_t w, bool star_runs, std::uint64_t* out) {
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < w; ++i) {
    const std::uint64_t a = s[i] & advance[i];
    out[i] = (a << 1) | carry | (s[i] & stay[i]);
    carry = a >> 63;
  }
  bool changed = true;
  while (changed) {
    changed = false;
    carry = 0;
    for (std::size_t i = 0; i < w; ++i) {
      const std::uint64_t a = out[i] & star[i];
      const std::uint64_t add = (a << 1) | carry;
      carry = a >> 63;
      if (add & ~out[i]) {
        out[i] |= add;
        changed = star_runs;
      }
    }
  }
}

// The start set: position 0 and the positions after leading `*`s.
void Start(const std::uint64_t* star, std::size_t w, std::uint64_t* out) {
  std::fill(out, out + w, 0);
  std::size_t k = 0;
  out[0] = 1;
  while (BitSpan::Test(star, k)) BitSpan::Set(out, ++k);
}

bool HasStarRun(std::span<const XToken> p) {
  for (std::size_t k = 1; k < p.size(); ++k) {
    if (p[k].kind == Glob::TokenKind::kAnyRun && p[k - 1].kind == Glob::TokenKind::kAnyRun) {
      return true;
    }
  }
  return false;
}

bool TokenMatchesChar(const XToken& t, char c) {
  switch (t.kind) {
    case Glob::TokenKind::kLiteral:
      return t.fold ? ascii::Lower(c) == t.literal : c == t.literal;
    case Glob::TokenKind::kAnyOne:
    case Glob::TokenKind::kAnyRun:
      return !(t.colon_free && c == ':');
  }
  return false;
}

// The characters a literal token stands for (one, or two when it folds case).
int LiteralChars(const XToken& t, std::array<char, 2>* out) {
  (*out)[0] = t.literal;
  if (t.fold && IsLowerAscii(t.literal)) {
    (*out)[1] = UpperAscii(t.literal);
    return 2;
  }
  return 1;
}

// Can one character be consumed by both tokens?
bool Compatible(const XToken& a, const XToken& b) {
  const bool a_lit = a.kind == Glob::TokenKind::kLiteral;
  const bool b_lit = b.kind == Glob::TokenKind::kLiteral;
  if (!a_lit && !b_lit) return true;  // some byte other than ':' exists
  if (a_lit && b_lit) {
    std::array<char, 2> chars;
    const int k = LiteralChars(a, &chars);
    for (int i = 0; i < k; ++i) {
      if (TokenMatchesChar(b, chars[i])) return true;
    }
    return false;
  }
  const XToken& lit = a_lit ? a : b;
  const XToken& any = a_lit ? b : a;
  return !(any.colon_free && lit.literal == ':');
}

// Open-addressing set of (q position, NFA state set) pairs, stored in one
// arena. Returns the index of a newly inserted state, or npos if present.
class StateSet {
 public:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  explicit StateSet(std::size_t words) : words_(words), slots_(16, 0) {}

  std::size_t size() const { return js_.size(); }
  std::size_t arena_words() const { return arena_.size(); }
  std::uint32_t j(std::size_t index) const { return js_[index]; }
  const std::uint64_t* bits(std::size_t index) const { return arena_.data() + index * words_; }

  std::size_t Insert(std::uint32_t j, const std::uint64_t* s) {
    if ((js_.size() + 1) * 2 > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t slot = Hash(j, s) & mask;; slot = (slot + 1) & mask) {
      const std::uint32_t entry = slots_[slot];
      if (entry == 0) {
        slots_[slot] = static_cast<std::uint32_t>(js_.size() + 1);
        js_.push_back(j);
        arena_.insert(arena_.end(), s, s + words_);
        return js_.size() - 1;
      }
      const std::size_t index = entry - 1;
      if (js_[index] == j && std::equal(s, s + words_, bits(index))) return npos;
    }
  }

 private:
  std::size_t Hash(std::uint32_t j, const std::uint64_t* s) const {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL * (j + 1);
    for (std::size_t i = 0; i < words_; ++i) {
      h ^= s[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    }
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    return static_cast<std::size_t>(h);
  }

  void Grow() {
    std::vector<std::uint32_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = 0; index < js_.size(); ++index) {
      std::size_t slot = Hash(js_[index], bits(index)) & mask;
      while (slots_[slot] != 0) slot = (slot + 1) & mask;
      slots_[slot] = static_cast<std::uint32_t>(index + 1);
    }
  }

  std::size_t words_;
  std::vector<std::uint32_t> slots_;  // 0 = empty, else index + 1
  std::vector<std::uint32_t> js_;
  std::vector<std::uint64_t> arena_;
};

}  // namespace

void AppendTokens(const Glob& g, bool colon_free, std::vector<XToken>* out) {
  AppendTokens(g.tokens(), g.case_mode() == Glob::Case::kInsensitive, colon_free, out);
}

void AppendTokens(std::span<const Glob::Token> tokens, bool fold, bool colon_free,
                  std::vector<XToken>* out) {
  out->reserve(out->size() + tokens.size());
  for (const Glob::Token& t : tokens) {
    if (t.kind == Glob::TokenKind::kLiteral) {
      out->push_back({t.kind, fold ? ascii::Lower(t.literal) : t.literal, fold, false});
    } else {
      out->push_back({t.kind, 0, false, colon_free});
    }
  }
}

void AppendLiteral(std::string_view text, std::vector<XToken>* out) {
  for (char c : text) out->push_back({Glob::TokenKind::kLiteral, c, false, false});
}

// The representative characters of Covers: ':' and every character a p
// literal matches, then one character none of them is (if any is left).
// of[c]: the index of c's representative.
struct Representatives {
  std::array<char, 256> chars;
  std::size_t count = 0;
  std::array<std::uint16_t, 256> of;
};

Representatives RepresentativesOf(std::span<const XToken> p) {
  Representatives out;
  std::array<bool, 256> distinguished{};
  auto add = [&](char c) {
    if (!distinguished[Byte(c)]) {
      distinguished[Byte(c)] = true;
      out.chars[out.count++] = c;
    }
  };
  add(':');
  for (const XToken& t : p) {
    if (t.kind != Glob::TokenKind::kLiteral) continue;
    std::array<char, 2> chars;
    const int k = LiteralChars(t, &chars);
    for (int i = 0; i < k; ++i) add(chars[i]);
  }
  const std::size_t other = out.count;  // the class of characters p never names
  for (int c = 0; c < 256 && out.count == other; ++c) {
    if (!distinguished[c]) out.chars[out.count++] = static_cast<char>(c);
  }
  out.of.fill(static_cast<std::uint16_t>(other));
  for (std::size_t r = 0; r < other; ++r)
    out.of[Byte(out.chars[r])] = static_cast<std::uint16_t>(r);
  return out;
}

// Containment L(q) ⊆ L(p).
//
// Simulate p's NFA (a set of positions, as a bit set) over q's tokens: a q
// literal moves the set by that character; a q `?` may stand for any
// character, so the search branches over representative characters: every
// character p's literals distinguish (each literal, both cases of a folding
// literal, ':' because colon-free wildcards single it out) plus one character
// no p token singles out. Characters in the same class move every p state
// identically, so the representatives are exhaustive. A q `*` is a loop of
// `?` with an exit. The product graph (q position, p state set) is explored
// depth-first with memoisation; containment fails as soon as a state with an
// empty set is reached (every suffix of q matches some string) or q's end is
// reached with a set lacking p's accepting position.
Answer Covers(std::span<const XToken> p, std::span<const XToken> q) {
  const std::size_t n = p.size();
  const std::size_t m = q.size();
  const std::size_t w = (n + 1 + 63) / 64;

  const Representatives alphabet = RepresentativesOf(p);
  const std::size_t nreps = alphabet.count;
  const std::array<char, 256>& reps = alphabet.chars;
  const std::array<std::uint16_t, 256>& rep_of = alphabet.of;

  // One allocation: per representative the positions that consume it and
  // advance / stay, the `*` positions, and two scratch sets.
  std::vector<std::uint64_t> masks((2 * nreps + 3) * w, 0);
  std::uint64_t* const advance = masks.data();
  std::uint64_t* const stay = advance + nreps * w;
  std::uint64_t* const star = stay + nreps * w;
  std::uint64_t* const cur = star + w;
  std::uint64_t* const next = cur + w;
  for (std::size_t k = 0; k < n; ++k) {
    const bool is_star = p[k].kind == Glob::TokenKind::kAnyRun;
    if (is_star) BitSpan::Set(star, k);
    for (std::size_t r = 0; r < nreps; ++r) {
      if (TokenMatchesChar(p[k], reps[r])) BitSpan::Set((is_star ? stay : advance) + r * w, k);
    }
  }
  const bool star_runs = HasStarRun(p);

  StateSet seen(w);
  std::vector<std::size_t> stack;
  bool failed = false;
  bool gave_up = false;
  auto visit = [&](std::size_t j, const std::uint64_t* s) {
    if (BitSpan::Empty(s, w) || (j == m && !BitSpan::Test(s, n))) {
      failed = true;
      return;
    }
    if (seen.size() >= kMaxCoverStates || seen.arena_words() + w > kMaxCoverWords) {
      gave_up = true;
      return;
    }
    const std::size_t index = seen.Insert(static_cast<std::uint32_t>(j), s);
    if (index != StateSet::npos && j < m) stack.push_back(index);
  };
  auto step_by = [&](std::size_t r) {
    Step(cur, advance + r * w, stay + r * w, star, w, star_runs, next);
  };

  Start(star, w, cur);
  visit(0, cur);
  while (!stack.empty() && !failed && !gave_up) {
    const std::size_t index = stack.back();
    stack.pop_back();
    const std::size_t j = seen.j(index);
    std::copy(seen.bits(index), seen.bits(index) + w, cur);
    const XToken& t = q[j];
    if (t.kind == Glob::TokenKind::kLiteral) {
      std::array<char, 2> chars;
      const int k = LiteralChars(t, &chars);
      for (int i = 0; i < k && !failed; ++i) {
        step_by(rep_of[Byte(chars[i])]);
        visit(j + 1, next);
      }
      continue;
    }
    // `?` or `*`: any character (but ':' for a colon-free wildcard).
    const std::size_t to = t.kind == Glob::TokenKind::kAnyRun ? j : j + 1;
    if (t.kind == Glob::TokenKind::kAnyRun) visit(j + 1, cur);  // `*` matching nothing
    for (std::size_t r = 0; r < nreps && !failed && !gave_up; ++r) {
      if (t.colon_free && reps[r] == ':') continue;
      step_by(r);
      visit(to, next);
    }
  }
  if (failed) return Answer::kNo;
  return gave_up ? Answer::kGaveUp : Answer::kYes;
}

namespace {

using Tokens = std::span<const Glob::Token>;

bool IsLiteral(const Glob::Token& t) { return t.kind == Glob::TokenKind::kLiteral; }

// Strips the literal prefix and suffix p has from both, deciding "no" when q
// does not have them. Exact: while p has a literal c at position i, q (which
// so far had the same literals) must have c there too: another literal, a `?`
// or `*` (which can be any character but c, and but ':'), or q's end give a
// string of q that p does not match. Once p reaches a wildcard,
// A·L(p') ⊇ A·L(q') iff L(p') ⊇ L(q') (strip the common A); the suffix is the
// same on the reversed strings. Afterwards p starts and ends with a wildcard.
std::optional<bool> StripAffixes(Tokens& p, Tokens& q) {
  std::size_t i = 0;
  for (; i < p.size() && IsLiteral(p[i]); ++i) {
    if (i == q.size() || !IsLiteral(q[i]) || q[i].literal != p[i].literal) return false;
  }
  p = p.subspan(i);
  q = q.subspan(i);
  if (p.empty()) return q.empty();
  std::size_t k = 0;
  for (; k < p.size() && IsLiteral(p[p.size() - 1 - k]); ++k) {
    if (k == q.size()) return false;
    const Glob::Token& t = q[q.size() - 1 - k];
    if (!IsLiteral(t) || t.literal != p[p.size() - 1 - k].literal) return false;
  }
  p = p.first(p.size() - k);
  q = q.first(q.size() - k);
  return std::nullopt;
}

// A string of q: each `*` as `star` ("" or one character), each `?` as one
// character; the character is \x01, which no real pattern names (and not ':').
std::string Witness(const Glob& q, std::string_view star) {
  std::string out;
  for (const Glob::Token& t : q.tokens()) {
    if (IsLiteral(t)) {
      out += t.literal;
    } else {
      out += t.kind == Glob::TokenKind::kAnyRun ? star : std::string_view("\x01");
    }
  }
  return out;
}

// Is p `*L1*L2*...*Lk*`: literal runs between `*`s, no `?`, no literal \x01?
bool StarsAndLiterals(Tokens p) {
  return !p.empty() && p.front().kind == Glob::TokenKind::kAnyRun &&
         p.back().kind == Glob::TokenKind::kAnyRun &&
         std::none_of(p.begin(), p.end(), [](const Glob::Token& t) {
           return t.kind == Glob::TokenKind::kAnyOne || (IsLiteral(t) && t.literal == '\x01');
         });
}

bool HasColon(Tokens q) {
  return std::any_of(q.begin(), q.end(),
                     [](const Glob::Token& t) { return IsLiteral(t) && t.literal == ':'; });
}

}  // namespace

bool CoversSameCase(const Glob& p, const Glob& q, bool colon_free) {
  Tokens pt = p.tokens(), qt = q.tokens();
  if (const std::optional<bool> known = StripAffixes(pt, qt)) return *known;
  // `*` matches every string (colon-free: every string without ':').
  if (pt.size() == 1 && pt[0].kind == Glob::TokenKind::kAnyRun) return !colon_free || !HasColon(qt);
  // Two strings of q that p must match: q's wildcards as nothing, then each
  // as \x01 (no ':', so a colon-free p matches them as Matches does).
  if (!p.Matches(Witness(q, "")) || !p.Matches(Witness(q, "\x01"))) return false;
  // When p is `*L1*...*Lk*`, the second match proves containment: \x01 stood
  // for every wildcard of q, so L1, ..., Lk lie in order within q's literal
  // runs, which every string of q has (colon-free: unless q has a ':' that a
  // `*` of p cannot cross).
  if (StarsAndLiterals(pt) && (!colon_free || !HasColon(qt))) return true;
  const bool fold = p.case_mode() == Glob::Case::kInsensitive;
  std::vector<XToken> xp, xq;
  AppendTokens(pt, fold, colon_free, &xp);
  AppendTokens(qt, fold, colon_free, &xq);
  return Covers(xp, xq) == Answer::kYes;
}

// Non-emptiness of L(p) ∩ L(q): reachability of (n, m) in the product of the
// two NFAs. Every product edge is non-decreasing in both positions, so one
// sweep over q positions (columns), each swept in increasing p position, visits
// the states in a topological order.
bool Overlaps(std::span<const XToken> p, std::span<const XToken> q) {
  const std::size_t n = p.size();
  const std::size_t m = q.size();
  std::vector<char> cur(n + 1, 0), next(n + 1, 0);
  cur[0] = 1;
  for (std::size_t j = 0;; ++j) {
    const bool q_star = j < m && q[j].kind == Glob::TokenKind::kAnyRun;
    for (std::size_t i = 0; i <= n; ++i) {
      if (!cur[i]) continue;
      const bool p_star = i < n && p[i].kind == Glob::TokenKind::kAnyRun;
      if (p_star) cur[i + 1] = 1;  // p's `*` matches nothing
      if (q_star) next[i] = 1;     // q's `*` matches nothing
      if (i < n && j < m && Compatible(p[i], q[j])) {
        // Both consume one character; a `*` stays where it is.
        if (p_star && q_star) continue;  // self-loop
        if (p_star) {
          next[i] = 1;
        } else if (q_star) {
          cur[i + 1] = 1;
        } else {
          next[i + 1] = 1;
        }
      }
    }
    if (j == m) return cur[n] != 0;
    cur.swap(next);
    std::fill(next.begin(), next.end(), 0);
  }
}

bool MatchesNfa(std::span<const XToken> p, std::string_view s) {
  const std::size_t n = p.size();
  const std::size_t w = (n + 1 + 63) / 64;
  // literal[c]: positions that advance on c (its literal, and every `?`).
  std::vector<std::uint64_t> literal(256 * w, 0), any(w, 0), star(w, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const XToken& t = p[k];
    if (t.kind == Glob::TokenKind::kAnyRun) {
      BitSpan::Set(star.data(), k);
    } else if (t.kind == Glob::TokenKind::kAnyOne) {
      BitSpan::Set(any.data(), k);
    } else {
      std::array<char, 2> chars;
      const int count = LiteralChars(t, &chars);
      for (int i = 0; i < count; ++i) BitSpan::Set(literal.data() + Byte(chars[i]) * w, k);
    }
  }
  for (int c = 0; c < 256; ++c) {
    for (std::size_t x = 0; x < w; ++x) literal[c * w + x] |= any[x];
  }
  if (w == 1) {  // patterns of up to 63 tokens: one machine word
    const std::uint64_t stars = star[0];
    std::uint64_t cur = 0;
    Start(star.data(), 1, &cur);
    for (char ch : s) {
      cur = ((cur & literal[Byte(ch)]) << 1) | (cur & stars);
      cur |= (cur & stars) << 1;  // runs of `*` are collapsed: one pass
      if (cur == 0) return false;
    }
    return (cur >> n) & 1;
  }
  std::vector<std::uint64_t> cur(w, 0), next(w);
  Start(star.data(), w, cur.data());
  for (char ch : s) {
    Step(cur.data(), literal.data() + Byte(ch) * w, star.data(), star.data(), w, false,
         next.data());
    cur.swap(next);
    if (BitSpan::Empty(cur.data(), w)) return false;
  }
  return BitSpan::Test(cur.data(), n);
}

}  // namespace iam_audit::glob_internal
