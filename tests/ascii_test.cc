// src/ascii.h: the one home of case folding and joining.
#include "ascii.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit::ascii {
namespace {

TEST(AsciiTest, FoldsAsciiLettersOnly) {
  EXPECT_EQ(Lower("S3:GetObject-ÄÖ_@[`{"), "s3:getobject-ÄÖ_@[`{");
  for (int c = 0; c < 256; ++c) {
    EXPECT_EQ(kLowerTable[static_cast<std::size_t>(c)], Lower(static_cast<char>(c))) << c;
  }
  EXPECT_EQ(kLowerTable['Z'], 'z');
  EXPECT_EQ(kLowerTable['@'], '@');  // not '`' (0x40 | 0x20)
}

TEST(AsciiTest, ComparesIgnoringCase) {
  EXPECT_TRUE(EqualsIgnoreCase("aws:SourceIp", "AWS:sourceip"));
  EXPECT_FALSE(EqualsIgnoreCase("aws:SourceIp", "aws:SourceIps"));
  EXPECT_FALSE(EqualsIgnoreCase("@", "`"));
  EXPECT_TRUE(StartsWithIgnoreCase("StringLikeIfExists", "stringlike"));
  EXPECT_TRUE(StartsWithIgnoreCase("arn", "ARN"));
  EXPECT_FALSE(StartsWithIgnoreCase("ar", "arn"));
  EXPECT_TRUE(EndsWithIgnoreCase("StringEqualsIfExists", "ifexists"));
  EXPECT_FALSE(EndsWithIgnoreCase("IfExistsString", "ifexists"));
}

TEST(AsciiTest, HashIgnoresCaseOnly) {
  EXPECT_EQ(ascii::HashIgnoreCase("S3:GetObject"), ascii::HashIgnoreCase("s3:getobject"));
  EXPECT_NE(ascii::HashIgnoreCase("s3:GetObject"), ascii::HashIgnoreCase("s3:PutObject"));
  EXPECT_NE(ascii::HashIgnoreCase("ab"), ascii::HashIgnoreCase("ba"));
  EXPECT_NE(ascii::HashIgnoreCase("\xc3\x89"),
            ascii::HashIgnoreCase("\xc3\xa9"));  // not UTF-8 folding
}

TEST(AsciiTest, Joins) {
  const std::vector<std::string> three = {"a", "b", "c"};
  EXPECT_EQ(Join(three, "; "), "a; b; c");
  EXPECT_EQ(JoinComma(three), "a, b, c");
  EXPECT_EQ(JoinComma(std::vector<std::string>{}), "");
  EXPECT_EQ(JoinComma(three, [](const std::string& s) { return "'" + s + "'"; }), "'a', 'b', 'c'");
  // The separator goes between non-empty text.
  EXPECT_EQ(JoinComma(std::vector<std::string>{"", "b"}), "b");
  EXPECT_EQ(JoinComma(std::vector<std::string>{"a", ""}), "a, ");
}

// LowerWord folds the 8 bytes of a word as Lower folds each: every byte
// value, at every position, beside neighbours that could carry into it.
TEST(AsciiTest, LowerWordFoldsEachByte) {
  for (int value = 0; value < 256; ++value) {
    for (int position = 0; position < 8; ++position) {
      for (const std::uint64_t fill : {0x0ULL, 0xffULL, 0x5aULL, 0x41ULL, 0x7fULL, 0x80ULL}) {
        std::uint64_t word = 0, expected = 0;
        for (int b = 0; b < 8; ++b) {
          const std::uint64_t byte = b == position ? static_cast<std::uint64_t>(value) : fill;
          word |= byte << (8 * b);
          const auto lowered = static_cast<unsigned char>(Lower(static_cast<char>(byte)));
          expected |= static_cast<std::uint64_t>(lowered) << (8 * b);
        }
        ASSERT_EQ(LowerWord(word), expected) << "byte " << value << " at " << position;
      }
    }
  }
}

TEST(AsciiTest, JoinsWithOrBeforeTheLast) {
  constexpr std::array<std::string_view, 3> kThree = {"Allow", "Deny", "Maybe"};
  EXPECT_EQ(JoinOr(kThree), "Allow, Deny or Maybe");
  EXPECT_EQ(JoinOr(std::span(kThree).first(2)), "Allow or Deny");
  EXPECT_EQ(JoinOr(std::span(kThree).first(1)), "Allow");
  EXPECT_EQ(JoinOr(std::span(kThree).first(0)), "");
}

}  // namespace
}  // namespace iam_audit::ascii
