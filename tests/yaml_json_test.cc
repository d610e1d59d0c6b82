// src/yaml_json.h: YAML text as located JSON, the YAML reader of every input
// format (CloudFormation short-form tags, aliases, locations, errors).
#include "yaml_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace iam_audit::policy_source {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

json::Document Convert(const std::string& text) {
  Diagnostics errors;
  std::optional<json::Document> doc = YamlToJson(text, "t.yaml", &errors);
  EXPECT_TRUE(doc) << (errors.empty() ? "" : errors.front().ToString());
  return doc ? std::move(*doc) : json::Document();
}

TEST(YamlJsonTest, ScalarsAreStringsAndEmptyValuesNull) {
  const json::Document doc = Convert("a: 1\nb: true\nc: ~\nd:\ne: 'x'\n");
  const json::Value& root = doc.root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.Find("a")->AsString(), "1");  // plain scalars stay text
  EXPECT_EQ(root.Find("b")->AsString(), "true");
  EXPECT_TRUE(root.Find("c")->is_null());
  EXPECT_TRUE(root.Find("d")->is_null());
  EXPECT_EQ(root.Find("e")->AsString(), "x");
}

TEST(YamlJsonTest, ShortFormTagsBecomeTheirLongForms) {
  const json::Document doc = Convert(
      "r: !Ref Bucket\ng: !GetAtt Role.Arn\ns: !Sub 'arn:${AWS::Partition}:s3:::x'\n"
      "c: !Condition IsProd\nj: !Join [',', [a, b]]\n");
  const json::Value& root = doc.root();
  EXPECT_EQ(root.Find("r")->Find("Ref")->AsString(), "Bucket");
  EXPECT_EQ(root.Find("g")->Find("Fn::GetAtt")->AsString(), "Role.Arn");
  EXPECT_EQ(root.Find("s")->Find("Fn::Sub")->AsString(), "arn:${AWS::Partition}:s3:::x");
  EXPECT_EQ(root.Find("c")->Find("Condition")->AsString(), "IsProd");
  ASSERT_TRUE(root.Find("j")->Find("Fn::Join"));
  EXPECT_EQ(root.Find("j")->Find("Fn::Join")->size(), 2u);
  // Standard and non-specific tags are not intrinsics.
  const json::Document plain = Convert("a: !!str 5\nb: ! x\n");
  EXPECT_EQ(plain.root().Find("a")->AsString(), "5");
  EXPECT_EQ(plain.root().Find("b")->AsString(), "x");
}

TEST(YamlJsonTest, EveryValueKeepsItsLineAndColumn) {
  const json::Document doc = Convert("Statement:\n  - Effect: Allow\n    Action: s3:GetObject\n");
  const json::Value& statement = doc.root().Find("Statement")->Elements()[0];
  EXPECT_EQ(statement.Find("Effect")->where(), (SourceLocation{2, 13}));
  EXPECT_EQ(statement.Find("Action")->where(), (SourceLocation{3, 13}));
  EXPECT_EQ(statement.Members()[1].key.where(), (SourceLocation{3, 5}));
}

TEST(YamlJsonTest, AnAliasedContainerIsConvertedOnce) {
  const json::Document doc = Convert("a: &l [x, y]\nb: *l\n");
  const json::Value* a = doc.root().Find("a");
  const json::Value* b = doc.root().Find("b");
  ASSERT_THAT(a->Elements(), SizeIs(2));
  ASSERT_THAT(b->Elements(), SizeIs(2));
  EXPECT_EQ(a->Elements().data(), b->Elements().data());  // shared, not copied
}

TEST(YamlJsonTest, ErrorsNameFileLineAndColumn) {
  Diagnostics errors;
  EXPECT_FALSE(YamlToJson("a: [x\n", "t.yaml", &errors));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].file, "t.yaml");
  EXPECT_THAT(errors[0].message, HasSubstr("invalid YAML"));

  errors.clear();
  EXPECT_FALSE(YamlToJson("? [a, b]\n: c\n", "t.yaml", &errors));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_EQ(errors[0].ToString(), "t.yaml:1:3: mapping keys must be plain strings");

  std::string deep;
  for (int i = 0; i < json::kMaxDepth + 2; ++i) deep += "[";
  errors.clear();
  EXPECT_FALSE(YamlToJson(deep + "x" + std::string(json::kMaxDepth + 2, ']'), "t.yaml", &errors));
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0].message, HasSubstr("nesting deeper than"));
}

}  // namespace
}  // namespace iam_audit::policy_source
