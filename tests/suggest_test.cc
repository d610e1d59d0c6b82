#include "suggest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::string_view kElements[] = {"Sid",          "Effect",      "Principal",
                                          "NotPrincipal", "Action",      "NotAction",
                                          "Resource",     "NotResource", "Condition"};

TEST(SuggestTest, EditDistance) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("Action", "action"), 1u);
  EXPECT_EQ(EditDistance("Action", "action", /*ignore_case=*/true), 0u);
  EXPECT_EQ(EditDistance("Condtion", "Condition"), 1u);
}

TEST(SuggestTest, EditDistanceStopsAtTheLimit) {
  EXPECT_EQ(EditDistance("abcdefgh", "zzzzzzzz", false, 2), 3u);
  EXPECT_EQ(EditDistance("a", "abcdefgh", false, 2), 3u);
  EXPECT_EQ(EditDistance("abc", "abd", false, 2), 1u);
}

// The whole optimal-string-alignment table, without band or early exit.
std::size_t ReferenceDistance(std::string_view a, std::string_view b, bool ignore_case) {
  const auto eq = [&](char x, char y) {
    return ignore_case ? std::tolower(static_cast<unsigned char>(x)) ==
                             std::tolower(static_cast<unsigned char>(y))
                       : x == y;
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (eq(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// EditDistance computes only the band within `limit` of the diagonal, after
// length and letter-count bounds: each must give the full table's answer
// (capped at limit + 1) for every limit.
TEST(SuggestTest, BoundedDistanceEqualsTheFullTable) {
  std::mt19937 rng(20261207);
  const std::string alphabet = "abcAB:*";
  const auto random_word = [&](std::size_t max_len) {
    std::string w(std::uniform_int_distribution<std::size_t>(0, max_len)(rng), 'a');
    for (char& c : w) c = alphabet[std::uniform_int_distribution<std::size_t>(0, 6)(rng)];
    return w;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string a = random_word(12), b = random_word(12);
    for (const bool ignore_case : {false, true}) {
      const std::size_t full = ReferenceDistance(a, b, ignore_case);
      EXPECT_EQ(EditDistance(a, b, ignore_case), full) << a << " / " << b;
      for (std::size_t limit = 0; limit <= 8; ++limit) {
        EXPECT_EQ(EditDistance(a, b, ignore_case, limit), std::min(full, limit + 1))
            << a << " / " << b << " limit " << limit << (ignore_case ? " ignoring case" : "");
      }
    }
  }
}

// GlobDistance's count bound and early exits give the unbounded answer,
// capped at limit + 1, for every limit.
TEST(SuggestTest, BoundedGlobDistanceEqualsTheUnboundedOne) {
  std::mt19937 rng(7);
  const std::string pattern_bytes = "abcAB:*?", subject_bytes = "abcab:";
  const auto random_word = [&](const std::string& bytes, std::size_t max_len) {
    std::string w(std::uniform_int_distribution<std::size_t>(0, max_len)(rng), 'a');
    for (char& c : w)
      c = bytes[std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng)];
    return w;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string p = random_word(pattern_bytes, 10), s = random_word(subject_bytes, 12);
    const std::size_t full = GlobDistance(p, s, 1000);
    for (std::size_t limit = 0; limit <= 8; ++limit) {
      EXPECT_EQ(GlobDistance(p, s, limit), std::min(full, limit + 1))
          << p << " / " << s << " limit " << limit;
    }
  }
  // A pattern's literals missing from the subject each cost an edit; its
  // wildcards stand for the subject's extra bytes for free.
  EXPECT_EQ(GlobDistance("s3:xyz*", "s3:getobject", 2), 3u);
  EXPECT_EQ(GlobDistance("s3:xyz*", "s3:getobject", 3), 3u);
  EXPECT_EQ(GlobDistance("s3:get*", "s3:getobjectacl", 0), 0u);
}

TEST(SuggestTest, BoundsStopFarNamesAndKeepNearOnes) {
  // Same length, no letter in common: the count bound alone says "too far".
  EXPECT_EQ(EditDistance("deepracer", "kinesisxy", true, 3), 4u);
  // A transposition keeps the letter counts: still found within the band.
  EXPECT_EQ(EditDistance("deepracre", "deepracer", true, 1), 1u);
  // Long names (a heap table instead of the stack one) give the same answers.
  const std::string long_a(300, 'a');
  std::string long_b = long_a;
  long_b[150] = 'b';
  EXPECT_EQ(EditDistance(long_a, long_b), 1u);
  EXPECT_EQ(EditDistance(long_a, long_b, false, 0), 1u);
  EXPECT_EQ(GlobDistance("a*" + std::string(200, 'c'), long_a, 400), 200u);
}

TEST(SuggestTest, TranspositionsCostOne) {
  EXPECT_EQ(EditDistance("Condtiion", "Condition"), 1u);
  EXPECT_EQ(EditDistance("Efefct", "Effect"), 1u);
}

TEST(SuggestTest, GlobDistanceLetsWildcardsMatchFreely) {
  EXPECT_EQ(GlobDistance("s3:get*", "s3:getobject", 5), 0u);
  EXPECT_EQ(GlobDistance("s3:g?tobject", "s3:getobject", 5), 0u);
  EXPECT_EQ(GlobDistance("S3:GTEOBJECT", "s3:getobject", 5), 1u);  // case-insensitive
  EXPECT_EQ(GlobDistance("s3:getobjcet*", "s3:getobjectacl", 5), 1u);
  EXPECT_EQ(GlobDistance("x*", "abc", 0), 1u);  // limit + 1
  EXPECT_EQ(GlobDistance("*", "", 0), 0u);
}

TEST(SuggestTest, OneLimitForEveryName) {
  EXPECT_EQ(SuggestionLimit("Sid"), 1u);
  EXPECT_EQ(SuggestionLimit("Condition"), 3u);
  EXPECT_EQ(SuggestionLimit("get*"), 1u);  // wildcards are not typed letters
  EXPECT_EQ(SuggestionLimit("getobjcet*"), 3u);
}

TEST(SuggestTest, LongNamesGetNoSuggestion) {
  const std::string long_name = "Action" + std::string(kMaxSuggestedLength, 's');
  EXPECT_THAT(ClosestMatches(long_name, kElements), IsEmpty());
  EXPECT_THAT(ClosestMatches("Actionsss", kElements), ElementsAre("Action"));
}

TEST(SuggestTest, CaseOnlyDifferencesComeFirst) {
  EXPECT_THAT(ClosestMatches("effect", kElements), ElementsAre("Effect"));
  EXPECT_THAT(ClosestMatches("NOTACTION", kElements), ElementsAre("NotAction"));
}

TEST(SuggestTest, CloseMisspellings) {
  EXPECT_THAT(ClosestMatches("Actions", kElements), ElementsAre("Action"));
  EXPECT_THAT(ClosestMatches("NotActon", kElements), ElementsAre("NotAction"));
  EXPECT_THAT(ClosestMatches("Ressource", kElements), ElementsAre("Resource"));
  EXPECT_THAT(ClosestMatches("Comment", kElements), IsEmpty());
  EXPECT_THAT(ClosestMatches("", kElements), IsEmpty());
}

TEST(SuggestTest, DidYouMean) {
  EXPECT_EQ(DidYouMean("effect", kElements), " (did you mean 'Effect'?)");
  const std::vector<std::string_view> two = {"abc", "xyz", "abd"};
  EXPECT_EQ(DidYouMean("abx", two), " (did you mean 'abc' or 'abd'?)");
  const std::vector<std::string_view> three = {"ab", "ac", "ad"};
  EXPECT_EQ(DidYouMean("aa", three), " (did you mean 'ab', 'ac' or 'ad'?)");
  EXPECT_EQ(DidYouMean("Comment", kElements), "");
}

}  // namespace
}  // namespace iam_audit
