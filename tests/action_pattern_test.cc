#include "iam_audit/action_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

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

// Every message, and which check wins when several apply: the first
// whitespace or control character in the text, then the "*" forms, then the
// colons (count, then position).
TEST(ActionPatternTest, IsValidMessages) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "empty action"},
      {"s3:Get Object", "action 's3:Get Object' contains whitespace"},
      {"s3:Get\tObject", "action 's3:Get\tObject' contains whitespace"},
      {"s3\x7f:x\vy", "action 's3\x7f:x\vy' contains whitespace"},  // DEL is not a control
      {"s3:Get\x1fObject ", "action 's3:Get\x1fObject ' contains a control character"},
      {std::string("s3:\0x", 5),
       "action '" + std::string("s3:\0x", 5) + "' contains a control character"},
      {"a b:c:d", "action 'a b:c:d' contains whitespace"},
      {"s3GetObject", "action 's3GetObject' has no ':' between service prefix and action name"},
      {"**", "action '**' has no ':' between service prefix and action name"},
      {"s3:Get:Object", "action 's3:Get:Object' has more than one ':'"},
      {"::", "action '::' has more than one ':'"},
      {":GetObject", "action ':GetObject' has an empty service prefix"},
      {":", "action ':' has an empty service prefix"},
      {"s3:", "action 's3:' has an empty action name"},
  };
  for (const auto& [text, message] : cases) {
    std::string error;
    EXPECT_FALSE(ActionPattern::IsValid(text, &error)) << text;
    EXPECT_EQ(error, message);
  }
  for (const char* valid : {"*", "*:*", "s3:*", "*:Get*", "\xc3\xa9:\xc3\xa9", "a:b"}) {
    std::string error;
    EXPECT_TRUE(ActionPattern::IsValid(valid, &error)) << valid;
    EXPECT_EQ(error, "");
  }
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
