#include "statement_actions.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/evaluator.h"
#include "iam_audit/policy.h"
#include "test_util.h"

namespace iam_audit {
namespace {

std::vector<ActionPattern> Patterns(std::initializer_list<std::string_view> texts) {
  std::vector<ActionPattern> out;
  for (const std::string_view t : texts) {
    std::string error;
    std::optional<ActionPattern> p = ActionPattern::Parse(t, &error);
    if (!p) throw std::invalid_argument(error);
    out.push_back(*p);
  }
  return out;
}

const Catalog& C() { return testing::TestCatalog(); }

ActionId Id(std::string_view name) { return *C().FindAction(name); }

TEST(StatementActionsTest, LiteralEntriesResolveWithoutCase) {
  const std::vector<ActionPattern> p = Patterns({"s3:GetObject", "S3:getobject", "IAM:PassRole"});
  const StatementActions t(C(), p);
  ASSERT_EQ(t.size(), 3u);
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_TRUE(t.literal(i));
    EXPECT_TRUE(t.Known(i));
  }
  EXPECT_EQ(t.id(0), Id("s3:GetObject"));
  EXPECT_EQ(t.id(1), Id("s3:GetObject"));
  EXPECT_EQ(t.id(2), Id("iam:PassRole"));
  EXPECT_EQ(t.Entry(1).count(), 1u);
  EXPECT_TRUE(t.Entry(1).contains(Id("s3:GetObject")));
}

TEST(StatementActionsTest, UnknownActionsAndServicesMatchNothing) {
  const std::vector<ActionPattern> p =
      Patterns({"s3:GetObjekt", "nosuchservice:GetObject", "nosuchservice:*", "s3:Nothing*"});
  const StatementActions t(C(), p);
  EXPECT_TRUE(t.literal(0));
  EXPECT_TRUE(t.literal(1));
  EXPECT_FALSE(t.literal(2));
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_FALSE(t.id(i)) << i;
    EXPECT_FALSE(t.Known(i)) << i;
    EXPECT_TRUE(t.Entry(i).empty()) << i;
  }
  EXPECT_TRUE(t.All().empty());
}

TEST(StatementActionsTest, WildcardsExpandAsExpandActions) {
  const std::vector<ActionPattern> p =
      Patterns({"s3:Get*", "s3:GetObjec?", "*:GetObject", "S3:PUT*", "*"});
  const StatementActions t(C(), p);
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_FALSE(t.literal(i)) << i;
    EXPECT_FALSE(t.id(i)) << i;  // a wildcard entry has no single id
    EXPECT_TRUE(t.Known(i)) << i;
    EXPECT_EQ(t.Entry(i), ExpandActions(C(), p[i])) << p[i].text();
  }
  EXPECT_TRUE(t.Entry(1).contains(Id("s3:GetObject")));  // `?` is one character
  EXPECT_FALSE(t.Entry(1).contains(Id("s3:GetObjectAcl")));
  EXPECT_TRUE(t.Entry(3).contains(Id("s3:PutObject")));  // case-insensitive
  EXPECT_EQ(t.All().count(), C().action_count());        // "*"
}

TEST(StatementActionsTest, AllIsTheUnionOfTheEntries) {
  const std::vector<ActionPattern> p =
      Patterns({"s3:GetObject", "s3:List*", "nosuch:Action", "iam:PassRole", "s3:GetObject"});
  const StatementActions t(C(), p);
  EXPECT_EQ(t.All(), ExpandActions(C(), p));
  EXPECT_TRUE(t.All().contains(Id("iam:PassRole")));
  EXPECT_FALSE(t.All().contains(Id("s3:PutObject")));
  // Asked again: the same set (kept, not rebuilt).
  EXPECT_EQ(&t.All(), &t.All());
  EXPECT_EQ(&t.Entry(1), &t.Entry(1));
}

TEST(StatementActionsTest, NotActionEntriesResolveTheSame) {
  // The table says what the entries match; a NotAction statement grants the
  // complement, which its callers take.
  PolicyParseResult parsed = ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","s3:GetObject"],"Resource":"*"}]})",
      "p.json");
  ASSERT_TRUE(parsed.policy);
  PolicySet set;
  set.identity.push_back(std::move(*parsed.policy));
  Evaluator::CompileResult compiled = Evaluator::Compile(set);
  ASSERT_TRUE(compiled.errors.empty());
  const CompiledStatement& s = compiled.evaluator->statements()[0];
  ASSERT_TRUE(s.not_action());
  const StatementActions t(C(), s.actions());
  EXPECT_TRUE(t.All().contains(Id("iam:PassRole")));
  EXPECT_TRUE(t.All().contains(Id("s3:GetObject")));
  EXPECT_EQ(t.All(), ExpandActions(C(), s.actions()));
}

TEST(StatementActionsTest, EmptyStatement) {
  const StatementActions t(C(), {});
  EXPECT_EQ(t.size(), 0u);
  EXPECT_TRUE(t.All().empty());
}

}  // namespace
}  // namespace iam_audit
