#include "iam_audit/policy_variable.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "iam_audit/arn_pattern.h"

namespace iam_audit {
namespace {

using Kind = PolicyTemplate::Part::Kind;
constexpr auto kSensitive = Glob::Case::kSensitive;

// A request context: single-valued keys, compared case-insensitively as AWS
// does ("Key names are case-insensitive").
PolicyTemplate::Lookup Context(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<std::string> {
    for (const auto& [k, v] : values) {
      if (k.size() == key.size() && std::equal(k.begin(), k.end(), key.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return v;
      }
    }
    return std::nullopt;
  };
}

Glob Instantiate(const std::string& text, const std::map<std::string, std::string>& ctx) {
  const PolicyTemplate t = PolicyTemplate::Parse(text, true, kSensitive);
  const PolicyTemplate::Instance i = t.Instantiate(Context(ctx));
  EXPECT_TRUE(i.glob.has_value()) << text;
  return i.glob.value_or(Glob());
}

TEST(PolicyTemplateTest, ParsesVariablesTextAndEscapes) {
  const PolicyTemplate t =
      PolicyTemplate::Parse("arn:aws:s3:::b/${aws:username}/${*}x", true, kSensitive);
  ASSERT_EQ(t.parts().size(), 5u);
  EXPECT_EQ(t.parts()[0].kind, Kind::kText);
  EXPECT_EQ(t.parts()[0].text, "arn:aws:s3:::b/");
  EXPECT_EQ(t.parts()[1].kind, Kind::kVariable);
  EXPECT_EQ(t.parts()[1].variable, "aws:username");
  EXPECT_FALSE(t.parts()[1].default_value.has_value());
  EXPECT_EQ(t.parts()[2].text, "/");
  EXPECT_EQ(t.parts()[3].kind, Kind::kEscape);
  EXPECT_EQ(t.parts()[3].text, "*");
  EXPECT_EQ(t.parts()[4].text, "x");
  EXPECT_TRUE(t.HasVariables());
  EXPECT_EQ(t.text(), "arn:aws:s3:::b/${aws:username}/${*}x");
}

// "IAM policy elements: Variables and tags", Specifying default values:
// "surround the default value with single quotes (' '), and separate the
// variable text and the default value with a comma and space (, )".
TEST(PolicyTemplateTest, DefaultValues) {
  const PolicyTemplate t = PolicyTemplate::Parse(
      "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}", true,
      kSensitive);
  ASSERT_EQ(t.parts().size(), 2u);
  EXPECT_EQ(t.parts()[1].variable, "aws:PrincipalTag/team");
  EXPECT_EQ(t.parts()[1].default_value, "company-wide");

  EXPECT_TRUE(t.Instantiate(Context({{"aws:PrincipalTag/team", "red"}}))
                  .glob->Matches("arn:aws:s3:::amzn-s3-demo-bucket-red"));
  const PolicyTemplate::Instance fallback = t.Instantiate(Context({}));
  ASSERT_TRUE(fallback.glob.has_value());
  EXPECT_TRUE(fallback.glob->Matches("arn:aws:s3:::amzn-s3-demo-bucket-company-wide"));
  EXPECT_TRUE(fallback.missing_variable.empty());

  // The default may contain '}' and spaces; it ends at "'}".
  const PolicyTemplate odd = PolicyTemplate::Parse("${k, 'a} b'}/x", true, kSensitive);
  ASSERT_EQ(odd.parts().size(), 2u);
  EXPECT_EQ(odd.parts()[0].default_value, "a} b");
  EXPECT_EQ(odd.parts()[1].text, "/x");
  // An empty default is a value.
  EXPECT_TRUE(PolicyTemplate::Parse("a${k, ''}b", true, kSensitive)
                  .Instantiate(Context({}))
                  .glob->Matches("ab"));
}

TEST(PolicyTemplateTest, SubstitutedValuesAreLiteral) {
  // A user name containing '*' or '?' must not become a wildcard.
  const Glob g = Instantiate("arn:aws:s3:::b/${aws:username}/*", {{"aws:username", "a*"}});
  EXPECT_TRUE(g.Matches("arn:aws:s3:::b/a*/file"));
  EXPECT_FALSE(g.Matches("arn:aws:s3:::b/abc/file"));
  const Glob q = Instantiate("home/${aws:username}", {{"aws:username", "?"}});
  EXPECT_TRUE(q.Matches("home/?"));
  EXPECT_FALSE(q.Matches("home/x"));
  // The same for defaults.
  const Glob d = Instantiate("x/${missing, '*'}", {});
  EXPECT_TRUE(d.Matches("x/*"));
  EXPECT_FALSE(d.Matches("x/y"));
  // Policy wildcards stay wildcards around the value.
  const Glob w = Instantiate("${aws:username}-?-*", {{"aws:username", "bob"}});
  EXPECT_TRUE(w.Matches("bob-1-anything"));
  EXPECT_FALSE(w.Matches("bobx-1-anything"));
  // Key lookup is the Lookup's business (case-insensitive here).
  EXPECT_TRUE(Instantiate("${AWS:UserName}", {{"aws:username", "bob"}}).Matches("bob"));
}

// "IAM policy elements: Variables and tags", Special characters: ${*} ${?} ${$}.
TEST(PolicyTemplateTest, EscapesAreLiteralCharacters) {
  const PolicyTemplate t = PolicyTemplate::Parse("a${*}b${?}c${$}d*", true, kSensitive);
  EXPECT_FALSE(t.HasVariables());
  const Glob& g = t.StaticGlob();
  EXPECT_TRUE(g.Matches("a*b?c$dxyz"));
  EXPECT_FALSE(g.Matches("aXb?c$d"));
  EXPECT_FALSE(g.Matches("a*bXc$d"));
  EXPECT_EQ(g.ToString(), "a${*}b${?}c$d*");
  EXPECT_TRUE(PolicyTemplate::Parse("${$}{aws:username}", true, kSensitive)
                  .StaticGlob()
                  .Matches("${aws:username}"));
}

TEST(PolicyTemplateTest, MissingVariableMatchesNothing) {
  const PolicyTemplate t =
      PolicyTemplate::Parse("arn:aws:s3:::b/${aws:username}/${aws:userid}", true, kSensitive);
  const PolicyTemplate::Instance none = t.Instantiate(Context({}));
  EXPECT_FALSE(none.glob.has_value());
  EXPECT_EQ(none.missing_variable, "aws:username");
  const PolicyTemplate::Instance half = t.Instantiate(Context({{"aws:username", "bob"}}));
  EXPECT_FALSE(half.glob.has_value());
  EXPECT_EQ(half.missing_variable, "aws:userid");
  const PolicyTemplate::Instance full =
      t.Instantiate(Context({{"aws:username", "bob"}, {"aws:userid", "AIDA1"}}));
  ASSERT_TRUE(full.glob.has_value());
  EXPECT_TRUE(full.missing_variable.empty());
  EXPECT_TRUE(full.glob->Matches("arn:aws:s3:::b/bob/AIDA1"));
}

TEST(PolicyTemplateTest, MalformedVariablesAreText) {
  // Unterminated: literal text, wildcards after it still live.
  const PolicyTemplate open = PolicyTemplate::Parse("a/${aws:username/*", true, kSensitive);
  EXPECT_FALSE(open.HasVariables());
  EXPECT_TRUE(open.StaticGlob().Matches("a/${aws:username/x"));
  EXPECT_FALSE(open.StaticGlob().Matches("a/bob/x"));
  // Empty: literal.
  const PolicyTemplate empty = PolicyTemplate::Parse("a${}b", true, kSensitive);
  EXPECT_FALSE(empty.HasVariables());
  EXPECT_TRUE(empty.StaticGlob().Matches("a${}b"));
  // A lone '$' or '{' is text.
  EXPECT_TRUE(PolicyTemplate::Parse("$a{b}", true, kSensitive).StaticGlob().Matches("$a{b}"));
  // A comma without the quoted default: the whole inside is the key.
  const PolicyTemplate comma = PolicyTemplate::Parse("${a,b}", true, kSensitive);
  ASSERT_TRUE(comma.HasVariables());
  EXPECT_EQ(comma.parts()[0].variable, "a,b");
  EXPECT_FALSE(comma.parts()[0].default_value.has_value());
}

// "If you don't include the Version element and set it to an appropriate
// version date, variables like ${aws:username} are treated as literal strings".
TEST(PolicyTemplateTest, VersionWithoutVariablesTreatsEverythingAsText) {
  const PolicyTemplate t =
      PolicyTemplate::Parse("arn:aws:s3:::b/${aws:username}/*", /*variables=*/false, kSensitive);
  EXPECT_FALSE(t.HasVariables());
  EXPECT_TRUE(t.VariableKeys().empty());
  ASSERT_EQ(t.parts().size(), 1u);
  EXPECT_EQ(t.parts()[0].kind, Kind::kText);
  EXPECT_TRUE(t.StaticGlob().Matches("arn:aws:s3:::b/${aws:username}/x"));
  EXPECT_FALSE(t.StaticGlob().Matches("arn:aws:s3:::b/bob/x"));
  // Instantiate gives the same glob, whatever the context.
  const PolicyTemplate::Instance i = t.Instantiate(Context({{"aws:username", "bob"}}));
  ASSERT_TRUE(i.glob.has_value());
  EXPECT_EQ(*i.glob, t.StaticGlob());
  // Escapes are not recognised either: "${*}" is "${", a wildcard, "}".
  const Glob e = PolicyTemplate::Parse("a${*}", false, kSensitive).StaticGlob();
  EXPECT_TRUE(e.Matches("a${anything}"));
  EXPECT_FALSE(e.Matches("a*"));
}

// A template without variables has a fixed glob: StaticGlob() is what any
// instantiation gives, for plain text (compiled directly) and for text with
// escapes or malformed variables, in both case modes and both versions.
TEST(PolicyTemplateTest, StaticGlobIsTheInstantiation) {
  const std::string long_text = "arn:aws:s3:::" + std::string(80, 'k') + "/*/?";
  for (const std::string& text :
       {std::string(), std::string("*"), std::string("arn:aws:s3:::B/*"), long_text,
        std::string("a/${aws:username/*"), std::string("a${}b*"), std::string("x${*}y${?}${$}"),
        std::string("${*}") + long_text}) {
    for (const bool variables : {true, false}) {
      for (const Glob::Case c : {kSensitive, Glob::Case::kInsensitive}) {
        const PolicyTemplate t = PolicyTemplate::Parse(text, variables, c);
        ASSERT_FALSE(t.HasVariables()) << text;
        const PolicyTemplate::Instance i = t.Instantiate(Context({}));
        ASSERT_TRUE(i.glob.has_value()) << text;
        EXPECT_EQ(*i.glob, t.StaticGlob()) << text << " " << variables;
        EXPECT_EQ(t.StaticGlob().case_mode(), c);
      }
    }
  }
  EXPECT_TRUE(PolicyTemplate::Parse("", true, kSensitive).IsPlainText());
  EXPECT_TRUE(PolicyTemplate::Parse("a*${", true, kSensitive).IsPlainText());
  EXPECT_TRUE(PolicyTemplate::Parse("a${x}", false, kSensitive).IsPlainText());
  EXPECT_FALSE(PolicyTemplate::Parse("a${x}", true, kSensitive).IsPlainText());
  EXPECT_FALSE(PolicyTemplate::Parse("a${*}", true, kSensitive).IsPlainText());
  // Plain text keeps its wildcards live; an escape's character is literal.
  EXPECT_TRUE(PolicyTemplate::Parse("a*", true, kSensitive).StaticGlob().HasWildcards());
  EXPECT_FALSE(PolicyTemplate::Parse("a${*}", true, kSensitive).StaticGlob().HasWildcards());
  EXPECT_TRUE(
      PolicyTemplate::Parse("AB", true, Glob::Case::kInsensitive).StaticGlob().Matches("ab"));
}

TEST(PolicyTemplateTest, VariableKeys) {
  const PolicyTemplate t = PolicyTemplate::Parse(
      "${aws:username}/${aws:PrincipalTag/team, 'x'}/${AWS:UserName}/${*}/${s3:prefix}", true,
      kSensitive);
  EXPECT_EQ(t.VariableKeys(),
            (std::vector<std::string>{"aws:username", "aws:PrincipalTag/team", "s3:prefix"}));
  EXPECT_TRUE(PolicyTemplate::Parse("plain*", true, kSensitive).VariableKeys().empty());
}

TEST(PolicyTemplateTest, CaseModeIsPassedToTheGlob) {
  const PolicyTemplate t =
      PolicyTemplate::Parse("${aws:username}-ADMIN", true, Glob::Case::kInsensitive);
  const auto i = t.Instantiate(Context({{"aws:username", "Bob"}}));
  ASSERT_TRUE(i.glob.has_value());
  EXPECT_TRUE(i.glob->Matches("bob-admin"));
}

// The AWS example: a Resource with a variable, as the evaluator uses it.
TEST(PolicyTemplateTest, ResourceWithVariableAsArnPattern) {
  const PolicyTemplate t = PolicyTemplate::Parse(
      "arn:aws:dynamodb:us-east-2:123456789012:table/${aws:username}", true, kSensitive);
  const auto i = t.Instantiate(Context({{"aws:username", "Adele"}}));
  ASSERT_TRUE(i.glob.has_value());
  const ArnPattern p = ArnPattern::FromGlob(*i.glob);
  EXPECT_TRUE(p.IsArnShaped());
  EXPECT_TRUE(p.Matches("arn:aws:dynamodb:us-east-2:123456789012:table/Adele"));
  EXPECT_FALSE(p.Matches("arn:aws:dynamodb:us-east-2:123456789012:table/adele"));
  EXPECT_FALSE(p.Matches("arn:aws:dynamodb:us-east-2:123456789012:table/David"));
}

}  // namespace
}  // namespace iam_audit
