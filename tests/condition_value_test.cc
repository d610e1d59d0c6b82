// The typed value parsers of Condition operators (condition_value.h).
#include "iam_audit/condition_value.h"

#include <gtest/gtest.h>

namespace iam_audit {
namespace {

TEST(ConditionValueTest, Dates) {
  EXPECT_EQ(ParseConditionDate("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseConditionDate("0"), 0);
  EXPECT_EQ(ParseConditionDate("1577836800"), ParseConditionDate("2020-01-01T00:00:00Z"));
  EXPECT_EQ(ParseConditionDate("2020-01"), ParseConditionDate("2020-01-01T00:00:00Z"));
  EXPECT_EQ(ParseConditionDate("2020-01-01T00:00Z"), ParseConditionDate("2020-01-01"));
  EXPECT_EQ(ParseConditionDate("2019-12-31T19:00:00-05:00"), ParseConditionDate("2020-01-01"));
  EXPECT_EQ(*ParseConditionDate("1970-01-01T00:00:01.25Z"), 1250000);
  EXPECT_EQ(*ParseConditionDate("1.5"), 1500000);
  EXPECT_EQ(ParseConditionDate("2024-02-29"), ParseConditionDate("1709164800"));
  EXPECT_FALSE(ParseConditionDate("2023-02-29"));
  EXPECT_FALSE(ParseConditionDate("2020-01-01T25:00:00Z"));
  EXPECT_FALSE(ParseConditionDate("2020-01-01 00:00:00"));
  EXPECT_FALSE(ParseConditionDate(""));
}

TEST(ConditionValueTest, Cidrs) {
  const auto v4 = ParseCidr("203.0.113.9/24");  // host bits are ignored
  ASSERT_TRUE(v4);
  EXPECT_TRUE(CidrContains(*v4, *ParseCidr("203.0.113.0")));
  EXPECT_TRUE(CidrContains(*ParseCidr("0.0.0.0/0"), *ParseCidr("8.8.8.8")));
  EXPECT_FALSE(CidrContains(*ParseCidr("0.0.0.0/0"), *ParseCidr("::1")));  // families differ
  EXPECT_TRUE(CidrContains(*ParseCidr("::/0"), *ParseCidr("2001:db8::1")));
  EXPECT_TRUE(CidrContains(*ParseCidr("::ffff:0:0/96"), *ParseCidr("::ffff:192.0.2.1")));
  EXPECT_TRUE(CidrContains(*ParseCidr("2001:db8::/48"), *ParseCidr("2001:db8:0:1::/64")));
  EXPECT_FALSE(CidrContains(*ParseCidr("2001:db8::/64"), *ParseCidr("2001:db8::/48")));
  EXPECT_TRUE(ParseCidr("::"));
  EXPECT_TRUE(ParseCidr("1::"));
  EXPECT_TRUE(ParseCidr("1:2:3:4:5:6:7:8"));
  EXPECT_FALSE(ParseCidr("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(ParseCidr("1:2:3:4:5:6:7::8"));
  EXPECT_FALSE(ParseCidr("12345::"));
  EXPECT_FALSE(ParseCidr("1.2.3"));
  EXPECT_FALSE(ParseCidr("1.2.3.4/"));
  EXPECT_FALSE(ParseCidr(""));
}

TEST(ConditionValueTest, NumbersAndBase64) {
  EXPECT_EQ(ParseConditionNumber("+1.5"), 1.5);
  EXPECT_EQ(ParseConditionNumber("1e3"), 1000.0);
  EXPECT_FALSE(ParseConditionNumber("inf"));
  EXPECT_FALSE(ParseConditionNumber("0x10"));
  EXPECT_FALSE(ParseConditionNumber(""));
  EXPECT_EQ(DecodeBase64("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), "BinaryValueInBase64");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("QQ=A"));
  EXPECT_FALSE(DecodeBase64("Q"));
}

TEST(ConditionValueTest, CidrOverlaps) {
  EXPECT_TRUE(CidrOverlaps(*ParseCidr("10.0.0.0/8"), *ParseCidr("10.1.0.0/16")));
  EXPECT_TRUE(CidrOverlaps(*ParseCidr("10.1.0.0/16"), *ParseCidr("10.0.0.0/8")));
  EXPECT_TRUE(CidrOverlaps(*ParseCidr("0.0.0.0/0"), *ParseCidr("192.168.1.1")));
  EXPECT_FALSE(CidrOverlaps(*ParseCidr("10.0.0.0/8"), *ParseCidr("11.0.0.0/8")));
  EXPECT_FALSE(CidrOverlaps(*ParseCidr("10.0.0.0/8"), *ParseCidr("::/0")));
}

}  // namespace
}  // namespace iam_audit
