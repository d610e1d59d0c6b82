#include "iam_audit/glob.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {
namespace {

using Case = Glob::Case;
using Kind = Glob::TokenKind;

// Reference matcher: dynamic programming over (pattern position, subject
// position). O(|p| * |s|) and obviously right; the oracle for the tests.
bool ReferenceMatches(const Glob& g, std::string_view s) {
  const auto& t = g.tokens();
  auto fold = [&](char c) {
    return (g.case_mode() == Case::kInsensitive && c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32)
                                                                         : c;
  };
  // reach[i]: pattern prefix t[0..i) matches the subject prefix read so far.
  std::vector<char> reach(t.size() + 1, 0), next(t.size() + 1);
  reach[0] = 1;
  for (std::size_t i = 0; i < t.size() && t[i].kind == Kind::kAnyRun; ++i) reach[i + 1] = 1;
  for (char c : s) {
    std::fill(next.begin(), next.end(), 0);
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!reach[i]) continue;
      if (t[i].kind == Kind::kAnyRun) next[i] = 1;
      if (t[i].kind == Kind::kAnyOne || t[i].kind == Kind::kAnyRun ||
          (t[i].kind == Kind::kLiteral && t[i].literal == fold(c))) {
        if (t[i].kind != Kind::kAnyRun) next[i + 1] = 1;
      }
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (next[i] && t[i].kind == Kind::kAnyRun) next[i + 1] = 1;
    }
    reach.swap(next);
  }
  return reach[t.size()] != 0;
}

// (GCC 12 raises a false -Wrestrict on `"literal" + std::string` at -O2.)
std::string Concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

// A glob from a compact notation: `*` and `?` are wildcards, `\*` and `\?` are
// literal `*` / `?` tokens (what the ${*} and ${?} escapes produce).
Glob G(std::string_view text, Case c = Case::kSensitive) {
  std::vector<Glob::Token> tokens;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      tokens.push_back({Kind::kLiteral, text[++i]});
    } else if (text[i] == '*') {
      tokens.push_back({Kind::kAnyRun, 0});
    } else if (text[i] == '?') {
      tokens.push_back({Kind::kAnyOne, 0});
    } else {
      tokens.push_back({Kind::kLiteral, text[i]});
    }
  }
  return Glob::FromTokens(std::move(tokens), c);
}

struct MatchCase {
  const char* pattern;
  const char* subject;
  bool match;
};

TEST(GlobMatchesTest, Table) {
  const MatchCase cases[] = {
      {"", "", true},
      {"", "a", false},
      {"*", "", true},
      {"*", "anything:at/all", true},
      {"?", "", false},
      {"?", "x", true},
      {"?", "xy", false},
      {"abc", "abc", true},
      {"abc", "abd", false},
      {"abc", "ab", false},
      {"a*c", "ac", true},
      {"a*c", "abbbc", true},
      {"a*c", "abbbd", false},
      {"a?c", "abc", true},
      {"a?c", "ac", false},
      {"*a", "bbba", true},
      {"*a", "bbab", false},
      {"a*b*c", "a-b-c", true},
      {"a*b*c", "acb", false},
      {"*?", "", false},
      {"*?", "x", true},
      {"?*?", "x", false},
      {"?*?", "xy", true},
      {"s3:Get*Tagging", "s3:GetObjectTagging", true},
      {"s3:Get*Tagging", "s3:GetObject", false},
      {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/object.jpg", true},
      {"arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/test/object.jpg", false},
      {"\\*", "*", true},  // a literal `*` token only matches '*'
      {"\\*", "a", false},
      {"a\\?", "a?", true},
      {"a\\?", "ab", false},
      {"*\\**", "x*y", true},
      {"*\\**", "xy", false},
  };
  for (const MatchCase& c : cases) {
    const Glob g = G(c.pattern);
    EXPECT_EQ(g.Matches(c.subject), c.match) << c.pattern << " vs " << c.subject;
    EXPECT_EQ(ReferenceMatches(g, c.subject), c.match) << "oracle: " << c.pattern;
  }
}

TEST(GlobMatchesTest, CaseInsensitive) {
  const Glob g = Glob::Compile("S3:get*", Case::kInsensitive);
  EXPECT_TRUE(g.Matches("s3:GetObject"));
  EXPECT_TRUE(g.Matches("S3:GETOBJECT"));
  EXPECT_FALSE(g.Matches("s3:PutObject"));
  EXPECT_FALSE(Glob::Compile("S3:get*").Matches("s3:GetObject"));
  // Only ASCII letters fold.
  EXPECT_FALSE(Glob::Compile("[", Case::kInsensitive).Matches("{"));
}

TEST(GlobMatchesTest, PathologicalPatternsGiveTheRightAnswer) {
  const std::string as(100000, 'a');
  const Glob stars = Glob::Compile("a*a*a*a*a*a*a*a*b");
  EXPECT_FALSE(stars.Matches(as));
  EXPECT_TRUE(stars.Matches(as + "b"));
  // Defeats the greedy matcher (it retries the long literal run at every
  // position) and so exercises the bit-parallel fallback.
  const Glob long_run = Glob::Compile(Concat({"*", std::string(40, 'a'), "b*"}));
  EXPECT_FALSE(long_run.Matches(as));
  EXPECT_TRUE(long_run.Matches(as + "b"));
  EXPECT_FALSE(long_run.Matches(Concat({std::string(39, 'a'), "b", as})));
  const Glob wide = Glob::Compile(Concat({"*", std::string(100, 'a'), "?b"}));  // > 64 tokens
  EXPECT_TRUE(wide.Matches(as + "xb"));
  EXPECT_TRUE(wide.Matches(as + "bb"));                     // `?` takes the first b
  EXPECT_FALSE(wide.Matches(as + "bab"));                   // no 100 a's before the `?`
  EXPECT_FALSE(wide.Matches(std::string(100, 'a') + "b"));  // one character short
}

TEST(GlobMatchesTest, AgreesWithReferenceOnRandomInputs) {
  std::mt19937 rng(20240601);
  const std::string pattern_chars = "ab*?";
  for (int round = 0; round < 3000; ++round) {
    std::string pattern;
    const int plen = std::uniform_int_distribution<int>(0, round % 3 == 0 ? 90 : 8)(rng);
    for (int i = 0; i < plen; ++i) pattern += pattern_chars[rng() % pattern_chars.size()];
    // Long subjects of mostly 'a' make the greedy matcher fall back.
    std::string subject;
    const int slen = std::uniform_int_distribution<int>(0, round % 2 ? 400 : 10)(rng);
    for (int i = 0; i < slen; ++i) subject += (rng() % 8 == 0) ? 'b' : 'a';
    const Case c = round % 5 == 0 ? Case::kInsensitive : Case::kSensitive;
    if (c == Case::kInsensitive) {
      for (char& ch : subject) {
        if (rng() % 2) ch = static_cast<char>(ch - 32);
      }
    }
    const Glob g = Glob::Compile(pattern, c);
    ASSERT_EQ(g.Matches(subject), ReferenceMatches(g, subject)) << pattern << " vs " << subject;
  }
}

struct SetCase {
  const char* p;
  const char* q;
  bool covers;    // p covers q
  bool overlaps;  // p and q share a string
};

TEST(GlobSetOpsTest, Table) {
  const SetCase cases[] = {
      // From the issue.
      {"arn:aws:s3:::b/*", "arn:aws:s3:::b/data/*", true, true},
      {"arn:aws:s3:::b/d*", "arn:aws:s3:::b/*", false, true},
      {"arn:aws:s3:::b/*", "arn:aws:s3:::b/*", true, true},
      {"arn:aws:s3:::b/*", "arn:aws:s3:::c/*", false, false},
      {"*", "", true, true},
      {"*", "?*?", true, true},
      {"", "*", false, true},
      {"", "?", false, false},
      {"?", "*", false, true},
      {"??", "?", false, false},
      {"?*", "*?", true, true},  // both: at least one character
      {"*?", "?*", true, true},
      {"*?*", "??", true, true},
      {"??", "*?*", false, true},
      {"a*", "ab*", true, true},
      {"ab*", "a*", false, true},
      {"*a*", "a*", true, true},
      {"*a*", "*b*", false, true},
      {"a*", "*b", false, true},  // "ab"
      {"a*", "b*", false, false},
      {"*a", "*b", false, false},
      {"a?c", "abc", true, true},
      {"a?c", "a?c", true, true},
      {"a?c", "a*c", false, true},
      {"a*c", "a?c", true, true},
      {"a*b*c", "a*bb*c", true, true},
      {"a*bb*c", "a*b*c", false, true},
      {"*ab*", "*a?b*", false, true},  // "axb" vs "ab"... "aab" is in both
      {"*a?b*", "*ab*", false, true},
      {"a*a", "a*a*a", true, true},
      {"a*a*a", "a*a", false, true},  // "aa"
      {"*?a?*", "*a*", false, true},  // "a" alone
      {"?*", "a*", true, true},
      {"*b?", "*?b?", true, true},  // q's last-but-one char is b
      {"*??", "*?b?", true, true},
      {"x*?y", "x?*y", true, true},
      {"x?*y", "x*?y", true, true},
      // Literal `*` / `?` tokens (escapes) are ordinary characters.
      {"\\*", "*", false, true},
      {"*", "\\*", true, true},
      {"?", "\\?", true, true},
      {"\\?", "?", false, true},
      {"a\\*", "a*", false, true},
      {"a*", "a\\*", true, true},
      {"\\*\\*", "\\*\\*", true, true},
      {"\\*b", "?b", false, true},
      {"\\*b", "ab", false, false},
      {"b/\\*/*", "b/\\*/x*", true, true},
      {"b/\\*/*", "b/*/x", false, true},
  };
  for (const SetCase& c : cases) {
    const Glob p = G(c.p);
    const Glob q = G(c.q);
    EXPECT_EQ(p.Covers(q), c.covers) << "'" << c.p << "' covers '" << c.q << "'";
    EXPECT_EQ(p.Overlaps(q), c.overlaps) << "'" << c.p << "' overlaps '" << c.q << "'";
    EXPECT_EQ(q.Overlaps(p), c.overlaps) << "symmetry: '" << c.q << "' overlaps '" << c.p << "'";
  }
}

// Covers decides most real pairs without the containment search (common
// literal prefix and suffix, two strings of q that p must match, p of the form
// `*L1*...*Lk*`); these pairs reach each shortcut, and the last ones get past
// every shortcut to the search.
TEST(GlobSetOpsTest, CoversShortcutsOnRealPatterns) {
  const SetCase cases[] = {
      {"b/*", "b/logs/*", true, true},              // prefix, then `*`
      {"b/*/x", "b/*/y/x", true, true},             // prefix and suffix
      {"b/*/x", "b/*/y", false, false},             // suffix differs
      {"b/logs/*", "b/*", false, true},             // p's literal facing q's `*`
      {"*/*", "*", false, true},                    // q's "" is not in p
      {"*sagemaker*", "*SageMaker*", false, true},  // case-sensitive
      {"*sagemaker*", "*/*", false, true},          // "/"
      {"*/webacl/*", "*/webacl/*/*", true, true},   // `*L*`: in q's literal runs
      {"*ab*cd*", "x*ab*cd", true, true},
      {"*ab*cd*", "*cd*ab*", false, true},  // out of order
      {"*ab*", "*a*b*", false, true},       // split by q's `*`
      {"*a?a*", "*aa*a*", false, true},     // both strings match; "aabba" does not
      {"*a?a*", "*aaa*", true, true},
      {"*/stages/*", "*/stages/prod/*", true, true},
  };
  for (const SetCase& c : cases) {
    EXPECT_EQ(G(c.p).Covers(G(c.q)), c.covers) << "'" << c.p << "' covers '" << c.q << "'";
    EXPECT_EQ(G(c.p).Overlaps(G(c.q)), c.overlaps) << "'" << c.p << "' overlaps '" << c.q << "'";
  }
  // Case-insensitive: the same shortcuts over folded literals.
  EXPECT_TRUE(G("*SageMaker*", Case::kInsensitive).Covers(G("*sagemaker*", Case::kInsensitive)));
  EXPECT_FALSE(G("*SageMaker*", Case::kInsensitive).Covers(G("*sage*", Case::kInsensitive)));
}

TEST(GlobSetOpsTest, CaseModes) {
  const Glob upper = G("AB*", Case::kInsensitive);
  const Glob lower_sensitive = G("ab*");
  const Glob exact_upper = G("AB");
  EXPECT_TRUE(upper.Covers(lower_sensitive));   // every casing of ab*
  EXPECT_FALSE(lower_sensitive.Covers(upper));  // upper matches "ABx"
  EXPECT_TRUE(upper.Covers(exact_upper));
  EXPECT_TRUE(upper.Overlaps(exact_upper));
  EXPECT_FALSE(lower_sensitive.Overlaps(exact_upper));
  EXPECT_TRUE(G("?b", Case::kInsensitive).Covers(G("aB")));
  EXPECT_FALSE(G("aB").Covers(G("ab", Case::kInsensitive)));  // "ab" also stands for "Ab"
  EXPECT_TRUE(G("[*").Covers(G("[x", Case::kInsensitive)));   // only letters fold
  EXPECT_FALSE(G("a*").Covers(G("?", Case::kInsensitive)));
}

TEST(GlobSetOpsTest, HostileCoversIsBoundedAndSafe) {
  // L(q) ⊆ L(p), but deciding it this way needs 2^20 state sets of p's NFA.
  // Covers gives up and answers "not proven covered".
  const Glob p = G(Concat({"*a", std::string(20, '?')}));
  const Glob q = G(Concat({"*aa", std::string(19, '?')}));
  EXPECT_FALSE(p.Covers(q));
  EXPECT_TRUE(p.Overlaps(q));
  // Large but benign patterns are decided exactly.
  std::string big_p = "arn:aws:s3:::bucket/";
  std::string big_q = big_p;
  for (int i = 0; i < 200; ++i) {
    big_p += "dir*/";
    big_q += Concat({"dir", std::to_string(i), "/"});
  }
  EXPECT_TRUE(G(Concat({big_p, "*"})).Covers(G(Concat({big_q, "?*"}))));
  EXPECT_FALSE(G(Concat({big_q, "?*"})).Covers(G(Concat({big_p, "*"}))));
}

// ---------------------------------------------------------------------------
// Property test: Covers / Overlaps against brute force on every string up to
// a length over a small alphabet. The alphabet holds the pattern literals, a
// character no pattern uses, and '*' so literal-star tokens are exercised.
//
// Overlaps: a shortest common string is at most |p| + |q| long (every step of
// the product automaton consumes a token of p or q), so enumerating strings
// up to that length decides it. Covers: a counterexample found by brute force
// refutes Covers (checked always); for these tiny patterns a shortest
// counterexample is also short, so "not covered" must be confirmed too.

// Every string up to `max_len` over `alphabet`, shortest first; parent[i] is
// the index of string i without its last character.
struct Strings {
  std::vector<std::string> text;
  std::vector<std::size_t> parent;
};

Strings AllStrings(std::string_view alphabet, int max_len) {
  Strings out{{""}, {0}};
  std::size_t begin = 0;
  for (int len = 1; len <= max_len; ++len) {
    const std::size_t end = out.text.size();
    for (std::size_t i = begin; i < end; ++i) {
      for (char c : alphabet) {
        out.text.push_back(out.text[i] + c);
        out.parent.push_back(i);
      }
    }
    begin = end;
  }
  return out;
}

// The oracle's language of `g` over `strings`, as a bit set: the reference
// NFA (positions as bits, patterns of at most 63 tokens) run incrementally.
std::vector<std::uint64_t> Language(const Glob& g, const Strings& strings) {
  const auto& t = g.tokens();
  auto fold = [&](char c) {
    return (g.case_mode() == Case::kInsensitive && c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32)
                                                                         : c;
  };
  auto closure = [&](std::uint64_t reach) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if ((reach >> i & 1) && t[i].kind == Kind::kAnyRun) reach |= std::uint64_t{1} << (i + 1);
    }
    return reach;
  };
  std::vector<std::uint64_t> reach(strings.text.size());
  std::vector<std::uint64_t> lang((strings.text.size() + 63) / 64, 0);
  reach[0] = closure(1);
  for (std::size_t s = 0; s < strings.text.size(); ++s) {
    if (s > 0) {
      const std::uint64_t from = reach[strings.parent[s]];
      const char c = strings.text[s].back();
      std::uint64_t to = 0;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (!(from >> i & 1)) continue;
        if (t[i].kind == Kind::kAnyRun) {
          to |= std::uint64_t{1} << i;
        } else if (t[i].kind == Kind::kAnyOne || t[i].literal == fold(c)) {
          to |= std::uint64_t{1} << (i + 1);
        }
      }
      reach[s] = closure(to);
    }
    if (reach[s] >> t.size() & 1) lang[s / 64] |= std::uint64_t{1} << (s % 64);
  }
  return lang;
}

std::string Describe(const Glob& g) {
  return Concat({"'", g.ToString(), g.case_mode() == Case::kInsensitive ? "' (ci)" : "'"});
}

void CheckAgainstBruteForce(const std::vector<Glob>& pool, std::string_view alphabet, int max_len) {
  const Strings strings = AllStrings(alphabet, max_len);
  std::vector<std::vector<std::uint64_t>> lang;
  for (const Glob& g : pool) lang.push_back(Language(g, strings));
  // Spot-check the oracle against the DP reference.
  for (std::size_t s = 0; s < strings.text.size(); s += 997) {
    for (std::size_t i = 0; i < pool.size(); ++i) {
      ASSERT_EQ((lang[i][s / 64] >> (s % 64)) & 1, ReferenceMatches(pool[i], strings.text[s]));
    }
  }
  int covered = 0, overlapping = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    for (std::size_t j = 0; j < pool.size(); ++j) {
      bool brute_covers = true, brute_overlaps = false;
      for (std::size_t w = 0; w < lang[i].size(); ++w) {
        if (lang[j][w] & ~lang[i][w]) brute_covers = false;
        if (lang[j][w] & lang[i][w]) brute_overlaps = true;
      }
      covered += brute_covers;
      overlapping += brute_overlaps;
      ASSERT_EQ(pool[i].Covers(pool[j]), brute_covers)
          << Describe(pool[i]) << " covers " << Describe(pool[j]);
      ASSERT_EQ(pool[i].Overlaps(pool[j]), brute_overlaps)
          << Describe(pool[i]) << " overlaps " << Describe(pool[j]);
    }
  }
  // The pool must exercise both answers, or the test proves little.
  const int pairs = static_cast<int>(pool.size() * pool.size());
  EXPECT_GT(covered, pairs / 20);
  EXPECT_LT(covered, pairs);
  EXPECT_GT(overlapping, pairs / 10);
  EXPECT_LT(overlapping, pairs);
}

std::vector<Glob> RandomPool(std::mt19937& rng, std::string_view token_chars, int count,
                             int max_tokens, Case c) {
  std::vector<Glob> pool;
  for (int k = 0; k < count; ++k) {
    std::vector<Glob::Token> tokens;
    const int len = std::uniform_int_distribution<int>(0, max_tokens)(rng);
    for (int i = 0; i < len; ++i) {
      const char ch = token_chars[rng() % token_chars.size()];
      if (ch == '*') {
        tokens.push_back({Kind::kAnyRun, 0});
      } else if (ch == '?') {
        tokens.push_back({Kind::kAnyOne, 0});
      } else if (ch == '#') {
        tokens.push_back({Kind::kLiteral, '*'});  // a literal-star token
      } else {
        tokens.push_back({Kind::kLiteral, ch});
      }
    }
    pool.push_back(Glob::FromTokens(std::move(tokens), c));
  }
  return pool;
}

TEST(GlobSetOpsPropertyTest, AgreesWithBruteForce) {
  std::mt19937 rng(7);
  // Tokens: a, b, wildcards (weighted), literal '*'. Strings add 'c' (in no
  // pattern) and '*'. Patterns have at most 4 tokens: witnesses fit in 8.
  const std::vector<Glob> pool = RandomPool(rng, "ab**??#", 70, 4, Case::kSensitive);
  CheckAgainstBruteForce(pool, "abc*", 8);
}

TEST(GlobSetOpsPropertyTest, AgreesWithBruteForceCaseInsensitive) {
  std::mt19937 rng(11);
  // Case-insensitive patterns over a/A/b/B, case-sensitive ones over a/A.
  // Strings: a, A (the case-sensitive patterns tell them apart), b (the
  // case-insensitive ones cannot tell b from B, so B is not needed) and c,
  // which no pattern names.
  std::vector<Glob> pool = RandomPool(rng, "aAbB*?", 35, 4, Case::kInsensitive);
  const std::vector<Glob> sensitive = RandomPool(rng, "aA*?", 35, 4, Case::kSensitive);
  pool.insert(pool.end(), sensitive.begin(), sensitive.end());
  CheckAgainstBruteForce(pool, "aAbc", 8);
}

// --- storage: tokens inline up to kInlineTokens, else on the heap ---------------------

// A pattern of `n` tokens: literals cycling through "abc", a `*` every 7th.
std::string PatternOf(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i % 7 == 6 ? '*' : static_cast<char>('a' + i % 3);
  return out;
}

TEST(GlobStorageTest, EverySizeAroundTheInlineCapacityKeepsItsTokens) {
  constexpr std::size_t kInline = Glob::kInlineTokens;
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, kInline - 1, kInline, kInline + 1,
                              2 * kInline, std::size_t{300}}) {
    const std::string text = PatternOf(n);
    const Glob g = Glob::Compile(text);
    ASSERT_EQ(g.tokens().size(), n) << n;
    EXPECT_EQ(g.ToString(), text) << n;
    EXPECT_EQ(g, G(text)) << n;
    EXPECT_TRUE(g.Matches(text)) << n;  // its `*` match themselves
    // Only a final `*` can absorb one more character.
    EXPECT_EQ(g.Matches(text + "x"), !text.empty() && text.back() == '*') << n;
    const Glob literal = Glob::Literal(text);
    ASSERT_EQ(literal.tokens().size(), n);
    EXPECT_FALSE(literal.HasWildcards());
    EXPECT_TRUE(literal.Matches(text));
    EXPECT_EQ(Glob::FromTokens(g.tokens()), g);
  }
}

TEST(GlobStorageTest, NormalisingALongTokenListCanBringItInline) {
  // 60 tokens in, 3 out: the `*` runs collapse.
  std::vector<Glob::Token> tokens(29, {Kind::kAnyRun, 0});
  tokens.push_back({Kind::kLiteral, 'A'});
  tokens.insert(tokens.end(), 30, {Kind::kAnyRun, 0});
  const Glob g = Glob::FromTokens(tokens, Case::kInsensitive);
  ASSERT_EQ(g.tokens().size(), 3u);
  EXPECT_EQ(g.tokens()[1].literal, 'a');
  EXPECT_EQ(g.ToString(), "*a*");
  EXPECT_TRUE(g.Matches("xAx"));
  EXPECT_EQ(Glob::Compile(std::string(100, '*')).tokens().size(), 1u);
  EXPECT_TRUE(Glob::Compile(std::string(100, '*')).MatchesEverything());
}

TEST(GlobStorageTest, EqualityComparesCaseModeAndTokensWhereverTheyAreStored) {
  const std::string long_text = PatternOf(3 * Glob::kInlineTokens);
  EXPECT_EQ(Glob::Compile(long_text), Glob::Compile(long_text));
  EXPECT_NE(Glob::Compile(long_text), Glob::Compile(long_text + "a"));
  EXPECT_NE(Glob::Compile(long_text), Glob::Compile(long_text, Case::kInsensitive));
  EXPECT_EQ(Glob::Compile("ABC", Case::kInsensitive), Glob::Compile("abc", Case::kInsensitive));
  EXPECT_NE(Glob::Compile("ABC"), Glob::Compile("abc"));
  EXPECT_NE(Glob::Compile("a*"), Glob::Literal("a*"));  // wildcard vs literal `*`
  EXPECT_EQ(Glob(), Glob::Compile(""));
  // A long pattern that normalises short equals the short one (stored inline).
  EXPECT_EQ(Glob::Compile("a" + std::string(50, '*')), Glob::Compile("a*"));
}

TEST(GlobStorageTest, CopiesAreIndependentAndMovesEmptyTheSource) {
  for (const std::size_t n : {std::size_t{5}, 4 * Glob::kInlineTokens}) {
    const std::string text = PatternOf(n);
    auto original = std::make_unique<Glob>(Glob::Compile(text, Case::kInsensitive));
    Glob copy(*original);
    Glob assigned = Glob::Compile("zzz");
    assigned = *original;
    original.reset();  // the copies own their tokens
    EXPECT_EQ(copy.ToString(), text) << n;
    EXPECT_EQ(assigned, copy) << n;
    EXPECT_EQ(copy.case_mode(), Case::kInsensitive);

    Glob moved(std::move(copy));
    EXPECT_EQ(moved.ToString(), text) << n;
    EXPECT_TRUE(copy.tokens().empty());  // NOLINT(bugprone-use-after-move): specified
    EXPECT_FALSE(copy.HasWildcards());   // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(copy.Matches(""));       // NOLINT(bugprone-use-after-move)
    Glob target = Glob::Compile(PatternOf(2 * Glob::kInlineTokens));  // replaced, freed
    target = std::move(moved);
    EXPECT_EQ(target.ToString(), text) << n;
    const Glob& same = target;
    target = same;  // self-assignment keeps it
    EXPECT_EQ(target.ToString(), text) << n;
    copy = target;  // a moved-from glob can be assigned again
    EXPECT_EQ(copy, target) << n;
  }
}

TEST(GlobStorageTest, SurvivesContainerGrowth) {
  std::vector<Glob> globs;
  for (std::size_t n = 0; n < 100; ++n) globs.push_back(Glob::Compile(PatternOf(n)));
  for (std::size_t n = 0; n < globs.size(); ++n) EXPECT_EQ(globs[n].ToString(), PatternOf(n));
}

}  // namespace
}  // namespace iam_audit
