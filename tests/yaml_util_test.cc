// yaml_util::Parse: the expanded-node cap on aliases, unit-tested and then
// through every real YAML reader (config, profile, dbt profiles.yml,
// CloudFormation) with the inputs of issue 16 (defects 3 and 4).
#include "yaml_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_profiles.h"
#include "config.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/profile.h"
#include "profile_vars.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using testing::TestCatalog;

constexpr const char* kTooBig = "expands to more than 1000000 nodes through aliases";

// "a, a, ..., a" (n items).
std::string Items(int n, const std::string& item = "a") {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? ", " : "") + item;
  return out;
}

// "k0: *l, k1: *l, ..." (n keys aliasing `*l`), the first one anchoring `list`.
std::string KeysAliasing(int n, const std::string& prefix, const std::string& list) {
  std::string out = prefix + "0: &l [" + list + "]";
  for (int i = 1; i < n; ++i) out += ", " + prefix + std::to_string(i) + ": *l";
  return out;
}

Diagnostic ParseError(const std::string& text) {
  Diagnostic error;
  EXPECT_FALSE(yaml_util::Parse(text, "t.yaml", &error).has_value()) << text.substr(0, 80);
  return error;
}

TEST(YamlUtilTest, CountsAliasesAsTheNodesTheyStandFor) {
  // A list of 1 + 999 nodes, aliased 998 more times, then single scalars:
  // 1 (outer) + 999 * 1000 + 999 = exactly kMaxNodes.
  const std::string list = "&l [" + Items(999) + "]";
  std::string aliases;
  for (int i = 0; i < 998; ++i) aliases += ", *l";
  const std::string at_limit = "[" + list + aliases + ", " + Items(999, "b");
  Diagnostic error;
  const std::optional<yaml_util::Node> doc = yaml_util::Parse(at_limit + "]", "t.yaml", &error);
  ASSERT_TRUE(doc.has_value()) << error.message;
  EXPECT_EQ(doc->size(), 1u + 998u + 999u);
  const Diagnostic over = ParseError(at_limit + ", c]");
  EXPECT_EQ(over.file, "t.yaml");
  EXPECT_THAT(over.message, HasSubstr(kTooBig));
  EXPECT_EQ(over.where.line, 1);
  EXPECT_EQ(over.where.column, static_cast<int>(at_limit.size()) + 3);  // the `c`
}

TEST(YamlUtilTest, NestedAliasBombStopsAtTheAliasThatCrossesTheLimit) {
  // a0 = 11 nodes (the list and its items); a(i) = 1 + 10 a(i-1): a4 is
  // 111,111 nodes, a5 1,111,111, over the limit at its 9th alias.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 7; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  const Diagnostic error = ParseError(text);
  EXPECT_THAT(error.message, HasSubstr(kTooBig));
  EXPECT_EQ(error.where.line, 6);  // a5
}

TEST(YamlUtilTest, AnAliasInsideItsOwnAnchorIsAnError) {
  const Diagnostic error = ParseError("a: &a [x, *a]\n");
  EXPECT_THAT(error.message, HasSubstr("refers to a node that contains it"));
  EXPECT_EQ(error.where.line, 1);
  EXPECT_EQ(error.where.column, 11);
}

TEST(YamlUtilTest, ReusedAnchorNamesAndOrdinaryAliasesAreFine) {
  Diagnostic error;
  const std::optional<yaml_util::Node> doc =
      yaml_util::Parse("a: &x [1, 2]\nb: *x\nc: &x {k: v}\nd: *x\n", "t.yaml", &error);
  ASSERT_TRUE(doc.has_value()) << error.message;
  EXPECT_EQ((*doc)["b"].size(), 2u);
  EXPECT_EQ((*doc)["d"]["k"].Scalar(), "v");
}

TEST(YamlUtilTest, SyntaxErrorsKeepTheirLocation) {
  const Diagnostic error = ParseError("a: [1, 2\nb: c\n");
  EXPECT_THAT(error.message, HasSubstr("invalid YAML"));
  EXPECT_GT(error.where.line, 0);
}

// Issue 16, defect 3: `overrides:` repeating an anchored entry whose `vars:`
// map K keys to one aliased list of M items (a few KB; 1.2 GB before).
// --- Reader: the mapping helpers of the configuration and the profiles -------------------

// A Reader over one document, for the tests.
class TestReader : public yaml_util::Reader {
 public:
  explicit TestReader(const std::string& text) : Reader("t.yaml") {
    Diagnostic error;
    doc = *yaml_util::Parse(text, "t.yaml", &error);
  }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : errors_) out.push_back(d.ToString());
    return out;
  }
  yaml_util::Node doc;
};

constexpr std::array<std::string_view, 3> kKeys = {"profile", "vars", "each"};

TEST(YamlUtilTest, ForEachKeyVisitsKnownKeysAndReportsTheRest) {
  TestReader r("profile: p\nprofil: q\n[x]: 1\nvars: {}\nprofile: again\neach: true\n");
  std::vector<std::string> visited;
  r.ForEachKey(r.doc, "the configuration", kKeys,
               [&](const std::string& key, const yaml_util::Node&) { visited.push_back(key); });
  EXPECT_THAT(visited, ::testing::ElementsAre("profile", "vars", "each"));
  EXPECT_THAT(r.Messages(),
              ::testing::ElementsAre("t.yaml:2:1: unknown key 'profil' in the configuration (did "
                                     "you mean 'profile'?) (expected one of: profile, vars, each)",
                                     "t.yaml:3:1: keys of the configuration must be strings",
                                     "t.yaml:5:1: duplicate key 'profile' in the configuration"));
}

TEST(YamlUtilTest, ForEachMappingVisitsMappingsAndReportsTheRest) {
  constexpr yaml_util::Reader::ListOfMappings kList = {"'sources' must be a list of {id}",
                                                       "each source must be a mapping with id"};
  TestReader list("- {id: a}\n- b\n- {id: c}\n");
  int visited = 0;
  list.ForEachMapping(list.doc, kList, [&](const yaml_util::Node& entry) {
    EXPECT_TRUE(entry.IsMap());
    ++visited;
  });
  EXPECT_EQ(visited, 2);
  EXPECT_THAT(list.Messages(),
              ::testing::ElementsAre("t.yaml:2:3: each source must be a mapping with id, not a "
                                     "scalar"));

  TestReader scalar("just text\n");
  scalar.ForEachMapping(scalar.doc, kList, [&](const yaml_util::Node&) { ++visited; });
  EXPECT_EQ(visited, 2);
  EXPECT_THAT(scalar.Messages(),
              ::testing::ElementsAre("t.yaml:1:1: 'sources' must be a list of {id}, not a scalar"));
}

TEST(YamlUtilTest, GetBoolTakesTrueOrFalseOnly) {
  TestReader r("[true, false, yes]\n");
  bool b = false;
  EXPECT_TRUE(r.GetBool(r.doc.Item(0), "each", &b));
  EXPECT_TRUE(b);
  EXPECT_TRUE(r.GetBool(r.doc.Item(1), "each", &b));
  EXPECT_FALSE(b);
  EXPECT_FALSE(r.GetBool(r.doc.Item(2), "each", &b));
  EXPECT_THAT(r.Messages(), ::testing::ElementsAre("t.yaml:1:15: each must be true or false"));
}

// The profile loader reads through the same Reader as the configuration: an
// unknown key is quoted, with a suggestion.
TEST(YamlUtilTest, ProfilesSuggestForUnknownKeysLikeTheConfiguration) {
  const ProfileLoadResult r =
      Profile::Load("name: t\ndescriptoin: x\ngroups: []\n", "p.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0].ToString(),
              HasSubstr("p.yaml:2:1: unknown key 'descriptoin' in the profile (did you mean "
                        "'description'?)"));
}

TEST(YamlUtilTest, ConfigAliasBombIsAnErrorNotAnAbort) {
  std::string text = "overrides:\n  - &e\n    paths: [\"**\"]\n    vars: {" +
                     KeysAliasing(300, "k", Items(500)) + "}\n";
  for (int i = 0; i < 100; ++i) text += "  - *e\n";
  ASSERT_LT(text.size(), 8'192u);
  try {
    ParseConfig(text, ".iam-audit.yaml", "/repo");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    ASSERT_THAT(e.diagnostics(), SizeIs(1));
    EXPECT_EQ(e.diagnostics()[0].file, ".iam-audit.yaml");
    EXPECT_THAT(e.diagnostics()[0].message, HasSubstr(kTooBig));
    EXPECT_GT(e.diagnostics()[0].where.line, 5);  // one of the `- *e` lines
  }
  // The same shape, small, loads: aliases themselves are fine.
  const Config ok = ParseConfig(
      "overrides:\n  - &e\n    paths: [\"a/**\"]\n    vars: {k0: &l [x, y], k1: *l}\n  - *e\n",
      ".iam-audit.yaml", "/repo");
  EXPECT_THAT(ok.overrides, SizeIs(2));
}

// Issue 16, defect 4: a group's `context:` with 3,000 keys all aliasing one
// 3,000-item list (76 KB; 2.17 GB and 7.3 s before).
TEST(YamlUtilTest, ProfileAliasBombIsAnError) {
  const std::string text =
      "name: bomb\nsources: [{id: s, title: t}]\ngroups:\n"
      "  - id: g\n    title: t\n    origin: code\n    actions: [s3:GetObject]\n"
      "    context: {" +
      KeysAliasing(3000, "aws:k", Items(3000, "v")) + "}\n";
  const ProfileLoadResult r = Profile::Load(text, "bomb.yaml", TestCatalog());
  EXPECT_FALSE(r.profile.has_value());
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].file, "bomb.yaml");
  EXPECT_THAT(r.errors[0].message, HasSubstr(kTooBig));
  EXPECT_EQ(r.errors[0].where.line, 8);
}

TEST(YamlUtilTest, DbtProfilesAliasBombIsAnError) {
  const Profile profile = LoadProfile("dbt-athena", TestCatalog());
  const std::string text =
      "p:\n  target: dev\n  outputs:\n    dev: {" + KeysAliasing(2000, "k", Items(2000)) + "}\n";
  try {
    ReadDbtProfilesText(text, "profiles.yml", {}, profile,
                        [](const std::string&) { return std::optional<std::string>(); });
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    ASSERT_THAT(e.diagnostics(), SizeIs(1));
    EXPECT_EQ(e.diagnostics()[0].file, "profiles.yml");
    EXPECT_THAT(e.diagnostics()[0].message, HasSubstr(kTooBig));
  }
}

TEST(YamlUtilTest, CloudFormationAliasBombIsAnError) {
  std::string text = "Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties: {" +
                     KeysAliasing(2000, "P", Items(2000)) + "}\n";
  const PolicySourceResult r = LoadPolicySource(SourceFile{"t.yaml", "t.yaml", text}, {});
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].file, "t.yaml");
  EXPECT_THAT(r.errors[0].message, HasSubstr(kTooBig));
  EXPECT_EQ(r.errors[0].where.line, 4);
}

}  // namespace
}  // namespace iam_audit
