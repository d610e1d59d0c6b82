// yaml_tree: the located tree, its serialized form, and the built-in texts
// read from their embedded trees equal to the same texts parsed.
#include "yaml_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "embedded.h"
#include "iam_audit/profile.h"
#include "iam_audit/risk.h"
#include "test_util.h"
#include "yaml_util.h"

namespace iam_audit {
namespace {

using testing::TestCatalog;
using yaml_tree::Node;

Node MustParse(const std::string& text) {
  Diagnostic error;
  const std::optional<Node> node = yaml_util::Parse(text, "t.yaml", &error);
  EXPECT_TRUE(node.has_value()) << error.ToString();
  return node.value_or(Node());
}

Node RoundTrip(const Node& node) {
  const std::optional<Node> back = yaml_tree::Deserialize(yaml_tree::Serialize(*node.tree()));
  EXPECT_TRUE(back.has_value());
  return back.value_or(Node());
}

constexpr const char* kSample = R"(# a comment
name: sample
quoted: "a ${x} b"
single: 'it''s'
empty:
tilde: ~
tagged: !Sub x-${AWS::Region}
list: &l [1, "two", {k: v}]
again: *l
block: |
  line one
  line two
nested:
  - a: 1
    b: [x, y]
  - - deep
name: repeated
)";

TEST(YamlTreeTest, NodesKeepKindTextTagAndLocation) {
  const Node doc = MustParse(kSample);
  ASSERT_TRUE(doc.IsMap());
  EXPECT_EQ(doc.where(), (SourceLocation{2, 1}));
  EXPECT_EQ(doc.size(), 11u);                 // repeated keys are kept, in order
  EXPECT_EQ(doc["name"].Scalar(), "sample");  // the first of a repeated key
  EXPECT_EQ(doc.EntryAt(10).value.Scalar(), "repeated");
  EXPECT_EQ(doc.EntryAt(10).key.where(), (SourceLocation{17, 1}));
  EXPECT_EQ(doc["name"].where(), (SourceLocation{2, 7}));
  EXPECT_FALSE(doc["name"].Quoted());
  EXPECT_EQ(doc["name"].Tag(), "?");
  EXPECT_TRUE(doc["quoted"].Quoted());
  EXPECT_EQ(doc["quoted"].Tag(), "!");
  EXPECT_EQ(yaml_util::WhereInScalar(doc["quoted"], 2), (SourceLocation{3, 12}));  // the `$`
  EXPECT_EQ(doc["single"].Scalar(), "it's");
  EXPECT_TRUE(doc["empty"].IsDefined());
  EXPECT_TRUE(doc["empty"].IsNull());
  EXPECT_TRUE(doc["tilde"].IsNull());
  EXPECT_EQ(doc["tagged"].Tag(), "!Sub");
  EXPECT_EQ(doc["tagged"].Scalar(), "x-${AWS::Region}");
  EXPECT_EQ(doc["block"].Scalar(), "line one\nline two\n");
  EXPECT_EQ(doc["nested"].Item(0)["b"].Item(1).Scalar(), "y");
  EXPECT_EQ(doc["nested"].Item(0)["b"].Item(1).where(), (SourceLocation{15, 12}));
  EXPECT_EQ(doc["nested"].Item(1).Item(0).Scalar(), "deep");
}

TEST(YamlTreeTest, EachDistinctTagIsKeptOnce) {
  const Node doc = MustParse("[!a x, !b y, !a z, 'q', p]\n");
  EXPECT_EQ(doc.Item(0).Tag(), "!a");
  EXPECT_EQ(doc.Item(1).Tag(), "!b");
  EXPECT_EQ(doc.Item(2).Tag(), "!a");
  EXPECT_EQ(doc.Item(3).Tag(), "!");
  EXPECT_EQ(doc.Item(4).Tag(), "?");
  EXPECT_EQ(doc.tree()->tags, (std::vector<std::string>{"", "?", "!", "!a", "!b"}));
}

TEST(YamlTreeTest, MissingKeysAndWrongKindsGiveEmptyAnswers) {
  const Node doc = MustParse(kSample);
  const Node missing = doc["nope"];
  EXPECT_FALSE(missing.IsDefined());
  EXPECT_FALSE(missing);
  EXPECT_FALSE(missing.IsNull() || missing.IsScalar() || missing.IsMap() || missing.IsSequence());
  EXPECT_EQ(missing.where(), (SourceLocation{}));
  EXPECT_EQ(missing["deeper"].IsDefined(), false);
  EXPECT_EQ(doc["name"]["x"].IsDefined(), false);  // a scalar has no keys (no exception)
  EXPECT_EQ(doc["list"].Item(3).IsDefined(), false);
  EXPECT_EQ(doc.Scalar(), "");
  EXPECT_EQ(doc["name"].size(), 0u);
  EXPECT_EQ(yaml_util::KindName(missing), "nothing");
  EXPECT_EQ(yaml_util::KindName(doc["empty"]), "nothing");
  int visited = 0;
  for (const Node& item : doc.items()) visited += item.IsDefined() ? 1 : 0;
  for (const yaml_tree::Entry& e : doc["list"].entries()) visited += e.key.IsDefined() ? 1 : 0;
  EXPECT_EQ(visited, 0);
  EXPECT_FALSE(doc.EntryAt(11).key.IsDefined());
  EXPECT_FALSE(doc["list"].EntryAt(0).value.IsDefined());
  // A key that is not a scalar matches no string.
  EXPECT_FALSE(MustParse("[a]: 1\n")["[a]"].IsDefined());
}

TEST(YamlTreeTest, AnAliasSharesItsAnchoredNode) {
  const Node doc = MustParse(kSample);
  EXPECT_TRUE(doc["again"].SameAs(doc["list"]));
  EXPECT_EQ(doc["again"].where(), (SourceLocation{8, 7}));  // where the anchored node is
  EXPECT_EQ(doc["again"].Item(2)["k"].Scalar(), "v");
  // K keys aliasing one list of M items: the tree stays linear in the text.
  std::string text = "a: &l [";
  for (int i = 0; i < 500; ++i) text += "x, ";
  text += "x]\n";
  for (int i = 0; i < 1000; ++i) text += "k" + std::to_string(i) + ": *l\n";
  const Node bomb = MustParse(text);
  EXPECT_EQ(bomb.size(), 1001u);
  EXPECT_EQ(bomb["k999"].size(), 501u);
  EXPECT_LT(bomb.tree()->nodes.size(), 3000u);
}

TEST(YamlTreeTest, AnEmptyDocumentIsANullAtNoLocation) {
  for (const char* text : {"", "# only a comment\n"}) {
    const Node doc = MustParse(text);
    EXPECT_TRUE(doc.IsDefined());
    EXPECT_TRUE(doc.IsNull());
    EXPECT_EQ(doc.where(), (SourceLocation{}));
  }
}

TEST(YamlTreeTest, SerializedTreesReadBackEqualWithLocations) {
  for (const std::string& text :
       {std::string(kSample), std::string(""), std::string("just a scalar"),
        std::string("- &a {x: [1, 2]}\n- {y: *a}\n- *a\n"), std::string("? [complex]\n: key\n")}) {
    const Node doc = MustParse(text);
    const Node back = RoundTrip(doc);
    ASSERT_TRUE(back.IsDefined()) << text;
    EXPECT_EQ(*back.tree(), *doc.tree()) << text;
  }
  const Node back = RoundTrip(MustParse(kSample));
  EXPECT_EQ(back["nested"].Item(0)["b"].Item(1).where(), (SourceLocation{15, 12}));
  EXPECT_TRUE(back["again"].SameAs(back["list"]));
  EXPECT_TRUE(back["quoted"].Quoted());
  EXPECT_EQ(back["tagged"].Tag(), "!Sub");
}

TEST(YamlTreeTest, MalformedBytesAreRefused) {
  const std::string good = yaml_tree::Serialize(*MustParse(kSample).tree());
  ASSERT_TRUE(yaml_tree::Deserialize(good).has_value());
  EXPECT_FALSE(yaml_tree::Deserialize("").has_value());
  EXPECT_FALSE(yaml_tree::Deserialize("XXXX" + good.substr(4)).has_value());
  for (std::size_t n = 0; n < good.size(); n += 7) {
    EXPECT_FALSE(yaml_tree::Deserialize(good.substr(0, n)).has_value()) << n;
  }
  EXPECT_FALSE(yaml_tree::Deserialize(good + "x").has_value());
  // A child index out of range: the first child of the root (a u32 after the
  // node records) set to 0xffffffff.
  yaml_tree::Tree t = *MustParse(kSample).tree();
  t.children[0] = 0xffffffffu;
  EXPECT_FALSE(yaml_tree::Deserialize(yaml_tree::Serialize(t)).has_value());
  t = *MustParse(kSample).tree();
  t.nodes[0].count = 1000;
  EXPECT_FALSE(yaml_tree::Deserialize(yaml_tree::Serialize(t)).has_value());
  // A container inside itself (the root's first value made the root).
  t = *MustParse(kSample).tree();
  t.children[t.nodes[0].first + 1] = 0;
  EXPECT_FALSE(yaml_tree::Deserialize(yaml_tree::Serialize(t)).has_value());
  // The same node twice (what an alias is) is fine.
  t = *MustParse(kSample).tree();
  t.children[t.nodes[0].first + 3] = t.children[t.nodes[0].first + 1];
  EXPECT_TRUE(yaml_tree::Deserialize(yaml_tree::Serialize(t)).has_value());
}

// --- the built-in texts: embedded tree == parsed text -----------------------------------------

TEST(YamlTreeTest, EmbeddedTreesAreTheParsedBuiltinTexts) {
  std::vector<std::pair<std::string_view, std::string_view>> texts = {
      {embedded::RiskTableYaml(), embedded::RiskTableTree()}};
  for (const BuiltinProfile& p : BuiltinProfiles()) texts.emplace_back(p.yaml, p.tree);
  ASSERT_GE(texts.size(), 2u);
  for (const auto& [yaml, tree] : texts) {
    const std::optional<Node> embedded = yaml_tree::Deserialize(tree);
    ASSERT_TRUE(embedded.has_value());
    EXPECT_EQ(*embedded->tree(), *MustParse(std::string(yaml)).tree());
  }
}

void ExpectSameTemplate(const ValueTemplate& a, const ValueTemplate& b) {
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.where, b.where) << a.text;
}

TEST(YamlTreeTest, BuiltinProfilesFromTheirTreesEqualTheTextsParsed) {
  for (const BuiltinProfile& p : BuiltinProfiles()) {
    const Profile fast = LoadBuiltinProfile(p, TestCatalog());
    const Profile slow = Profile::LoadOrThrow(p.yaml, p.file, TestCatalog());
    EXPECT_EQ(fast.file(), p.file);
    EXPECT_EQ(fast.name(), slow.name());
    EXPECT_EQ(fast.description(), slow.description());
    EXPECT_EQ(fast.accepted_extras(), slow.accepted_extras());
    ASSERT_EQ(fast.variables().size(), slow.variables().size());
    for (std::size_t i = 0; i < fast.variables().size(); ++i) {
      const ProfileVariable& a = fast.variables()[i];
      const ProfileVariable& b = slow.variables()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.where, b.where) << a.name;
      EXPECT_EQ(a.default_value, b.default_value) << a.name;
      EXPECT_EQ(a.dbt_fields, b.dbt_fields) << a.name;
    }
    ASSERT_EQ(fast.groups().size(), slow.groups().size());
    for (std::size_t i = 0; i < fast.groups().size(); ++i) {
      const ProfileGroup& a = fast.groups()[i];
      const ProfileGroup& b = slow.groups()[i];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.where, b.where) << a.id;
      EXPECT_EQ(a.severity, b.severity) << a.id;
      ASSERT_EQ(a.actions.size(), b.actions.size()) << a.id;
      for (std::size_t k = 0; k < a.actions.size(); ++k) {
        EXPECT_EQ(a.actions[k].pattern, b.actions[k].pattern);
        EXPECT_EQ(a.actions[k].where, b.actions[k].where) << a.actions[k].pattern;
        EXPECT_EQ(a.actions[k].actions, b.actions[k].actions);
      }
      ASSERT_EQ(a.resources.size(), b.resources.size()) << a.id;
      for (std::size_t k = 0; k < a.resources.size(); ++k) {
        ExpectSameTemplate(a.resources[k].arn, b.resources[k].arn);
      }
      EXPECT_EQ(a.checks.size(), b.checks.size()) << a.id;
    }
  }
}

TEST(YamlTreeTest, BuiltinRiskTableFromItsTreeEqualsTheTextParsed) {
  const RiskTableLoadResult slow =
      LoadRiskTable(embedded::RiskTableYaml(), "rules/risk/risks.yaml", &TestCatalog());
  ASSERT_TRUE(slow.table.has_value());
  const RiskTable& fast = BuiltinRiskTable();
  ASSERT_EQ(fast.categories.size(), slow.table->categories.size());
  for (std::size_t i = 0; i < fast.categories.size(); ++i) {
    EXPECT_EQ(fast.categories[i].first, slow.table->categories[i].first);
    EXPECT_EQ(fast.categories[i].second.audit, slow.table->categories[i].second.audit);
    EXPECT_EQ(fast.categories[i].second.lint, slow.table->categories[i].second.lint);
  }
  EXPECT_EQ(fast.raised_services, slow.table->raised_services);
  EXPECT_EQ(fast.sources, slow.table->sources);
  ASSERT_EQ(fast.rows.size(), slow.table->rows.size());
  for (std::size_t i = 0; i < fast.rows.size(); ++i) {
    const RiskRow& a = fast.rows[i];
    const RiskRow& b = slow.table->rows[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.where, b.where) << a.id;
    EXPECT_EQ(a.category, b.category) << a.id;
    EXPECT_EQ(a.actions, b.actions) << a.id;
    EXPECT_EQ(a.with_any, b.with_any) << a.id;
    EXPECT_EQ(a.scope, b.scope) << a.id;
    EXPECT_EQ(a.resource_types, b.resource_types) << a.id;
    EXPECT_EQ(a.unless, b.unless) << a.id;
    EXPECT_EQ(a.why, b.why) << a.id;
    EXPECT_EQ(a.sources, b.sources) << a.id;
  }
}

}  // namespace
}  // namespace iam_audit
