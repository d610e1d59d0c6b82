#include "iam_audit/action_pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace iam_audit {
namespace {

TEST(ActionPatternTest, IsValidAgreesWithParse) {
  const char* const texts[] = {
      "s3:GetObject",  "s3:Get*",    "*",   "*:*",           "*:Describe*",     "s3:*", "", "s3",
      "s3:Get:Object", ":GetObject", "s3:", "s3: GetObject", "s3:Get\x01Object"};
  for (const char* text : texts) {
    std::string parse_error, check_error;
    const bool parsed = ActionPattern::Parse(text, &parse_error).has_value();
    EXPECT_EQ(ActionPattern::IsValid(text, &check_error), parsed) << text;
    EXPECT_EQ(check_error, parse_error) << text;
  }
  std::string error;
  EXPECT_FALSE(ActionPattern::IsValid("s3GetObject", &error));
  EXPECT_EQ(error, "action 's3GetObject' has no ':' between service prefix and action name");
  EXPECT_TRUE(ActionPattern::IsValid("kms:GenerateDataKey*"));
}

TEST(ActionPatternTest, ParseBuildsCaseInsensitiveGlobs) {
  const ActionPattern p = *ActionPattern::Parse("S3:get*");
  EXPECT_TRUE(p.Matches("s3:GetObject"));
  EXPECT_FALSE(p.Matches("s3:PutObject"));
  EXPECT_FALSE(p.MatchesAllActions());
  EXPECT_TRUE(ActionPattern::Parse("*:*")->MatchesAllActions());
}

}  // namespace
}  // namespace iam_audit
