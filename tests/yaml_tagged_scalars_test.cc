// yaml-cpp 0.7 rejects a tagged plain scalar continued on the next line when
// it is a block sequence entry (`- !Sub abc` then an indented `ghi`): the
// workaround re-indents the continuation lines and keeps every location.
#include "yaml_tagged_scalars.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "iam_audit/policy_source.h"
#include "test_util.h"
#include "yaml_util.h"

namespace iam_audit::yaml_util {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

yaml_util::Node MustParse(const std::string& text) {
  Diagnostic error;
  std::optional<yaml_util::Node> node = Parse(text, "t.yaml", &error);
  EXPECT_TRUE(node.has_value()) << error.ToString() << "\n" << text;
  return node.value_or(yaml_util::Node());
}

TEST(YamlTaggedScalarsTest, ContinuationsOfTaggedSequenceEntriesAreIndentedPastTheTag) {
  EXPECT_THAT(IndentTaggedScalarContinuations("A:\n  - !Sub abc\n    ghi\n\n   jkl\n  - x\n"),
              Optional(std::string("A:\n  - !Sub abc\n     ghi\n\n     jkl\n  - x\n")));
  // Nested compact sequences: the last dash counts; CRLF is kept.
  EXPECT_THAT(IndentTaggedScalarContinuations("- - !Ref a\r\n    b\r\n"),
              Optional(std::string("- - !Ref a\r\n     b\r\n")));
}

TEST(YamlTaggedScalarsTest, LeavesEverythingElseAlone) {
  // Map values, untagged entries, lines already past the tag, quoted, block
  // and flow scalars, a tagged mapping key, a comment, a tag alone on its line.
  for (const char* text : {
           "A:\n  D: !Sub abc\n    ghi\n",
           "A:\n  - abc\n    ghi\n",
           "A:\n  - !Sub abc\n         ghi\n",
           "A:\n  - !Sub \"abc\n    ghi\"\n",
           "A:\n  - !Sub |\n    ghi\n",
           "A:\n  - !Sub [a,\n    b]\n",
           "A:\n  - !Sub k: v\n    o: w\n",
           "A:\n  - !Sub abc # note\n  - x\n",
           "A:\n  - !Sub\n    abc\n    ghi\n",
           "A:\n  - !Sub abc\n  - !Ref x\n",
       }) {
    EXPECT_EQ(IndentTaggedScalarContinuations(text), std::nullopt) << text;
  }
}

TEST(YamlTaggedScalarsTest, ValidYamlThatYamlCppRejectedIsRead) {
  // Each failed with "end of sequence not found" before the workaround.
  yaml_util::Node n = MustParse("A:\n  - !Sub abc ${AWS::Region} def\n    ghi\n  - x\nB: y\n");
  ASSERT_TRUE(n["A"].IsSequence());
  EXPECT_EQ(n["A"].Item(0).Tag(), "!Sub");
  EXPECT_EQ(n["A"].Item(0).Scalar(), "abc ${AWS::Region} def ghi");
  EXPECT_EQ(n["A"].Item(1).Scalar(), "x");
  EXPECT_EQ(n["B"].Scalar(), "y");
  // The node is located at its tag (line 2, column 5), as without the workaround.
  EXPECT_EQ(Where(n["A"].Item(0)), (SourceLocation{2, 5}));

  n = MustParse("A:\n- !Ref abc\n ghi\n\n jkl\n- x\n");
  EXPECT_EQ(n["A"].Item(0).Scalar(), "abc ghi\njkl");  // a blank line folds to a line break
  n = MustParse("- - !Sub abc\n    ghi\n- x\n");
  EXPECT_EQ(n.Item(0).Item(0).Scalar(), "abc ghi");
}

TEST(YamlTaggedScalarsTest, InvalidYamlStillReportsItsOwnError) {
  Diagnostic error;
  // A comment ends a plain scalar: the next line cannot continue it.
  EXPECT_FALSE(Parse("A:\n  - !Sub abc # c\n    ghi\n  - x\n", "t.yaml", &error).has_value());
  EXPECT_THAT(error.ToString(), HasSubstr("t.yaml:3:"));
  EXPECT_THAT(error.message, HasSubstr("invalid YAML"));
}

TEST(YamlTaggedScalarsTest, CloudFormationTemplateWithContinuedScalars) {
  const std::string path = testing::TestData("formats/cloudformation-multiline.yaml");
  const SourceFile file{path, path, testing::ReadFile(path)};
  PolicySourceOptions options;
  options.variables = {{"AWS::AccountId", "111122223333"}};
  const PolicySourceResult r = LoadPolicySource(file, options);
  ASSERT_THAT(r.errors, IsEmpty()) << r.errors[0].ToString();
  ASSERT_EQ(r.subjects.size(), 1u);
  const AuditSubject& role = r.subjects[0];
  EXPECT_EQ(role.name, "AWS::IAM::Role DbtRunnerRole");
  // The managed policy ARN continued on the next line is one ARN (folded with
  // a space, as YAML says; AWS would refuse it at deploy time, and the
  // warning names it at its tag).
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_THAT(r.warnings[0].ToString(),
              HasSubstr("cloudformation-multiline.yaml:20:11: managed policy "
                        "'arn:aws:iam::aws:policy/ AmazonAthenaFullAccess'"));
  const Policy& inline_policy = *role.policies.identity.at(0);
  ASSERT_EQ(inline_policy.statements.size(), 2u);
  const Statement& results = inline_policy.statements[0];
  ASSERT_EQ(results.resources.size(), 2u);
  EXPECT_EQ(results.resources[0].value, "arn:aws:s3:::dbt-results-111122223333/ dbt/*");
  EXPECT_EQ(results.resources[0].where, (SourceLocation{33, 21}));
  EXPECT_EQ(results.resources[1].value, "arn:aws:s3:::dbt-lake- 111122223333/*");
  EXPECT_EQ(results.resources[1].where, (SourceLocation{35, 21}));
  // Locations after the rewritten lines are unchanged.
  const Statement& topic = inline_policy.statements[1];
  EXPECT_EQ(topic.effect_where, (SourceLocation{41, 17}));
  EXPECT_THAT(topic.resources[0].value, HasSubstr("dbt-alerts"));
  EXPECT_EQ(topic.resources[0].where, (SourceLocation{43, 27}));
}

}  // namespace
}  // namespace iam_audit::yaml_util
