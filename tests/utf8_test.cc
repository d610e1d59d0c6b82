#include "utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace iam_audit::utf8 {
namespace {

int DecodeAll(const std::string& s, char32_t* cp) {
  return Decode(s.data(), s.data() + s.size(), cp);
}

TEST(Utf8Test, DecodesWellFormedSequences) {
  char32_t cp = 0;
  EXPECT_EQ(DecodeAll("A", &cp), 1);
  EXPECT_EQ(cp, U'A');
  EXPECT_EQ(DecodeAll("\xC3\xA9", &cp), 2);
  EXPECT_EQ(cp, U'\u00E9');
  EXPECT_EQ(DecodeAll("\xE2\x82\xAC", &cp), 3);
  EXPECT_EQ(cp, U'\u20AC');
  EXPECT_EQ(DecodeAll("\xF0\x9F\x98\x80", &cp), 4);
  EXPECT_EQ(cp, U'\U0001F600');
  EXPECT_EQ(DecodeAll("\xF4\x8F\xBF\xBF", &cp), 4);
  EXPECT_EQ(cp, U'\U0010FFFF');
}

TEST(Utf8Test, RejectsIllFormedSequences) {
  char32_t cp;
  for (const std::string bad :
       {"\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
        "\xED\xBF\xBF", "\xF0\x80\x80\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3",
        "\xE2\x82", "\xF0\x9F\x98", "\xC3\x41"}) {
    EXPECT_EQ(DecodeAll(bad, &cp), 0) << ::testing::PrintToString(bad);
  }
}

TEST(Utf8Test, AppendIsTheInverseOfDecode) {
  for (char32_t cp : {U'\0', U'A', U'\u00FF', U'\u0800', U'\uFFFD', U'\U00010000', U'\U0010FFFF'}) {
    std::string s;
    Append(s, cp);
    char32_t back = 0;
    EXPECT_EQ(DecodeAll(s, &back), static_cast<int>(s.size()));
    EXPECT_EQ(back, cp);
  }
}

TEST(Utf8Test, AllPrintableAscii) {
  EXPECT_TRUE(AllPrintableAscii(""));
  EXPECT_TRUE(AllPrintableAscii("s3:GetObject"));
  EXPECT_TRUE(AllPrintableAscii("arn:aws:s3:::bucket/${aws:username}/*~\x7F"));
  // A bad byte at every offset of strings around the 8-byte word size.
  for (std::size_t n = 1; n < 30; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (char bad : {'\x00', '\x1F', '\x80', '\xFF', '\t'}) {
        std::string s(n, 'a');
        s[at] = bad;
        EXPECT_FALSE(AllPrintableAscii(s)) << n << " " << at;
      }
    }
  }
}

TEST(Utf8Test, Names) {
  EXPECT_EQ(CodePointName(0x1), "U+0001");
  EXPECT_EQ(CodePointName(0x2019), "U+2019");
  EXPECT_EQ(CodePointName(0x1F600), "U+1F600");
  EXPECT_EQ(HexByte(0x0A), "0A");
  EXPECT_EQ(HexByte(0xFF), "FF");
}

}  // namespace
}  // namespace iam_audit::utf8
