#include "suggest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
