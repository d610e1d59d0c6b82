#include "iam_audit/action_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ActionPattern P(std::string_view text) {
  std::string error;
  std::optional<ActionPattern> p = ActionPattern::Parse(text, &error);
  if (!p) throw std::invalid_argument(error);
  return *p;
}

const Catalog& Toy() {
  static const Catalog c = Catalog::FromDataDir(testing::TestData("catalog"));
  return c;
}

const Catalog& Embedded() {
  static const Catalog c = Catalog::Embedded();
  return c;
}

std::vector<std::string> Names(const Catalog& c, const ActionSet& s) {
  std::vector<std::string> out;
  for (ActionId id : s) out.push_back(c.action(id).FullName());
  return out;
}

std::vector<std::string> Expand(const Catalog& c, std::string_view pattern) {
  return Names(c, ExpandActions(c, P(pattern)));
}

// --- ActionSet --------------------------------------------------------------------

TEST(ActionSetTest, InsertEraseContainsCount) {
  ActionSet s(130);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.universe(), 130u);
  s.insert(0);
  s.insert(63);
  s.insert(64);
  s.insert(129);
  s.insert(130);  // outside the universe: ignored
  EXPECT_EQ(s.count(), 4u);
  EXPECT_TRUE(s.contains(63));
  EXPECT_FALSE(s.contains(62));
  EXPECT_FALSE(s.contains(130));
  EXPECT_THAT(s.ToVector(), ElementsAre(0, 63, 64, 129));
  s.erase(63);
  EXPECT_THAT(s.ToVector(), ElementsAre(0, 64, 129));
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.universe(), 130u);
  EXPECT_THAT(ActionSet().ToVector(), IsEmpty());
}

TEST(ActionSetTest, InsertRangeAcrossWords) {
  for (ActionId first : {0u, 1u, 63u, 64u, 65u}) {
    for (ActionId last : {first, first + 1, 64u, 128u, 190u, 200u, 500u}) {
      if (last < first) continue;
      ActionSet s(200);
      s.InsertRange(first, last);
      std::vector<ActionId> want;
      for (ActionId i = first; i < std::min<ActionId>(last, 200); ++i) want.push_back(i);
      EXPECT_EQ(s.ToVector(), want) << first << ".." << last;
    }
  }
  EXPECT_EQ(ActionSet::All(77).count(), 77u);
}

TEST(ActionSetTest, SetOperations) {
  ActionSet a(100), b(100);
  a.InsertRange(10, 20);
  b.InsertRange(15, 30);
  EXPECT_EQ((a | b).count(), 20u);
  EXPECT_THAT((a & b).ToVector(), ElementsAre(15, 16, 17, 18, 19));
  EXPECT_THAT((a - b).ToVector(), ElementsAre(10, 11, 12, 13, 14));
  EXPECT_EQ(a.Complement().count(), 90u);
  EXPECT_FALSE(a.Complement().contains(10));
  EXPECT_TRUE((a & b).IsSubsetOf(a));
  EXPECT_FALSE(a.IsSubsetOf(b));
  EXPECT_TRUE(a.Intersects(b));
  EXPECT_FALSE((a - b).Intersects(b));
  EXPECT_EQ(a | b, b | a);
  EXPECT_NE(a, b);
  EXPECT_TRUE(ActionSet(100).IsSubsetOf(a));
}

TEST(ActionSetTest, DifferentUniversesTreatMissingIdsAsAbsent) {
  ActionSet small(10), big(200);
  small.insert(5);
  big.insert(5);
  big.insert(150);
  EXPECT_EQ((small | big).universe(), 200u);
  EXPECT_THAT((small | big).ToVector(), ElementsAre(5, 150));
  EXPECT_THAT((small & big).ToVector(), ElementsAre(5));
  EXPECT_THAT((big - small).ToVector(), ElementsAre(150));
  EXPECT_TRUE(small.IsSubsetOf(big));
  EXPECT_FALSE(big.IsSubsetOf(small));
  ActionSet also_small(200);
  also_small.insert(5);
  EXPECT_EQ(small, also_small);
}

// --- ExpandActions on the fixture ----------------------------------------------------------

TEST(ExpandActionsTest, Fixture) {
  const Catalog& c = Toy();
  EXPECT_THAT(Expand(c, "toy:Get*"), ElementsAre("toy:GetWidget", "toy:GetWidgetTagging"));
  EXPECT_THAT(Expand(c, "TOY:getwidget"), ElementsAre("toy:GetWidget"));
  EXPECT_THAT(Expand(c, "toy:?etWidget"), ElementsAre("toy:GetWidget"));
  EXPECT_THAT(Expand(c, "toy:*Widget"),
              ElementsAre("toy:GetWidget", "toy:PutWidget", "toy:TagWidget"));
  EXPECT_THAT(Expand(c, "*:*Account"),
              ElementsAre("toy-admin:DescribeAccount", "toy-admin:ResetAccount"));
  EXPECT_THAT(Expand(c, "toy-*:*"),
              ElementsAre("toy-admin:DescribeAccount", "toy-admin:ResetAccount"));
  EXPECT_THAT(Expand(c, "to?:list*"), ElementsAre("toy:ListWidgets"));
  EXPECT_EQ(Expand(c, "*").size(), 8u);
  EXPECT_EQ(Expand(c, "*:*").size(), 8u);
  EXPECT_EQ(Expand(c, "toy*:*").size(), 8u);
  EXPECT_THAT(Expand(c, "toy:GetWidge"), IsEmpty());
  EXPECT_THAT(Expand(c, "toy:GetWidgets"), IsEmpty());
  EXPECT_THAT(Expand(c, "toy:Nope*"), IsEmpty());
  EXPECT_THAT(Expand(c, "nope:*"), IsEmpty());
}

TEST(ExpandActionsTest, UnionOfPatterns) {
  const Catalog& c = Toy();
  const std::vector<ActionPattern> ps = {P("toy:Put*"), P("toy:get*"), P("toy:PutWidget")};
  EXPECT_THAT(Names(c, ExpandActions(c, ps)),
              ElementsAre("toy:GetWidget", "toy:GetWidgetTagging", "toy:PutWidget"));
  ActionSet into;  // an unsized set grows to the catalog
  ExpandActionsInto(c, P("toy:TagWidget"), into);
  EXPECT_EQ(into.universe(), c.action_count());
  EXPECT_THAT(Names(c, into), ElementsAre("toy:TagWidget"));
}

// --- ExpandActions on the real catalog, against a brute-force oracle -----------------------

TEST(ExpandActionsTest, AgreesWithMatchingEveryAction) {
  const Catalog& c = Embedded();
  for (const char* text : {"s3:Get*",
                           "s3:*Object",
                           "*:Get*",
                           "s3-*:*",
                           "?3:*",
                           "s3:GetObject",
                           "S3:GETOBJECT",
                           "s3:GetObject?",
                           "s3:GetObject*",
                           "*:*Tagging",
                           "ec2:Describe*s",
                           "kms:GenerateDataKey*",
                           "iam:*Policy*",
                           "*:List???",
                           "*:*",
                           "*",
                           "s?:*Bucket*",
                           "*3:Put*",
                           "a*:*a*a*a*",
                           "lambda:Invoke*",
                           "nope:*",
                           "s3:Nope*",
                           "*:?",
                           "s3:*",
                           "sts:AssumeRole*"}) {
    const ActionPattern p = P(text);
    ActionSet want(c.action_count());
    for (ActionId id = 0; id < c.action_count(); ++id) {
      if (p.Matches(c.action_service(id), c.action_name(id))) want.insert(id);
    }
    EXPECT_EQ(ExpandActions(c, p), want) << text;
    EXPECT_EQ(MatchesAnyAction(c, p), !want.empty()) << text;
  }
}

TEST(ExpandActionsTest, MatchesAnyActionStopsAtTheFirst) {
  const Catalog& c = Embedded();
  EXPECT_TRUE(MatchesAnyAction(c, P("s3:GetObject")));
  EXPECT_TRUE(MatchesAnyAction(c, P("*:Get*")));
  EXPECT_TRUE(MatchesAnyAction(c, P("*")));
  EXPECT_FALSE(MatchesAnyAction(c, P("s3:GetObjects")));
  EXPECT_FALSE(MatchesAnyAction(c, P("nope*:Get*")));
  EXPECT_FALSE(MatchesAnyAction(c, P("s3:" + std::string(300, 'a'))));  // longer than a name
  EXPECT_FALSE(MatchesAnyAction(c, P("s3:GetObject" + std::string(300, 'a') + "*")));
  EXPECT_TRUE(MatchesAnyAction(Toy(), P("*:*")));
}

TEST(ExpandActionsTest, KnownExpansions) {
  const Catalog& c = Embedded();
  EXPECT_THAT(Expand(c, "kms:GenerateDataKey*"),
              ElementsAre("kms:GenerateDataKey", "kms:GenerateDataKeyPair",
                          "kms:GenerateDataKeyPairWithoutPlaintext",
                          "kms:GenerateDataKeyWithoutPlaintext"));
  EXPECT_THAT(Expand(c, "S3:getobject"), ElementsAre("s3:GetObject"));
  EXPECT_EQ(ExpandActions(c, P("*")).count(), c.action_count());
}

// --- suggestions ---------------------------------------------------------------------------

// --- ActionSubset: ExpandActions & members, by position --------------------------------

std::vector<std::string> SubsetMatches(const Catalog& c, const ActionSubset& subset,
                                       std::string_view pattern) {
  ActionSet hit;  // an unsized set grows to the subset
  subset.MatchInto(P(pattern), hit);
  EXPECT_EQ(hit.universe(), subset.size());
  std::vector<std::string> out;
  for (ActionId pos : hit) out.push_back(c.action(subset.id(pos)).FullName());
  return out;
}

TEST(ActionSubsetTest, Fixture) {
  const Catalog& c = Toy();
  const ActionSet members =
      ExpandActions(c, P("toy:*Widget")) | ExpandActions(c, P("toy-*:Reset*"));
  const ActionSubset subset(c, members);
  ASSERT_EQ(subset.size(), 4u);
  // Positions in id order (the catalog's: "toy-admin" sorts before "toy").
  EXPECT_EQ(c.action(subset.id(0)).FullName(), "toy-admin:ResetAccount");
  EXPECT_EQ(c.action(subset.id(1)).FullName(), "toy:GetWidget");
  // Exact names, in any case; a non-member matches nothing.
  EXPECT_THAT(SubsetMatches(c, subset, "TOY:getwidget"), ElementsAre("toy:GetWidget"));
  EXPECT_THAT(SubsetMatches(c, subset, "toy:ListWidgets"), IsEmpty());
  EXPECT_THAT(SubsetMatches(c, subset, "toy:GetWidge"), IsEmpty());
  EXPECT_THAT(SubsetMatches(c, subset, "nope:GetWidget"), IsEmpty());
  // Wildcards in the name, in the service, both.
  EXPECT_THAT(SubsetMatches(c, subset, "toy:Get*"), ElementsAre("toy:GetWidget"));
  EXPECT_THAT(SubsetMatches(c, subset, "toy:?etWidget"), ElementsAre("toy:GetWidget"));
  EXPECT_THAT(SubsetMatches(c, subset, "*:*Account"), ElementsAre("toy-admin:ResetAccount"));
  EXPECT_THAT(SubsetMatches(c, subset, "TOY-*:*"), ElementsAre("toy-admin:ResetAccount"));
  EXPECT_THAT(SubsetMatches(c, subset, "toy:*"),
              ElementsAre("toy:GetWidget", "toy:PutWidget", "toy:TagWidget"));
  EXPECT_EQ(SubsetMatches(c, subset, "*").size(), 4u);
  EXPECT_EQ(SubsetMatches(c, subset, "*:*").size(), 4u);
  EXPECT_THAT(SubsetMatches(c, subset, "nope:*"), IsEmpty());
  // Results accumulate; positions of a set.
  ActionSet hit;
  subset.MatchInto(P("toy:Put*"), hit);
  subset.MatchInto(P("toy:tag*"), hit);
  EXPECT_THAT(hit.ToVector(), ElementsAre(2, 3));
}

TEST(ActionSubsetTest, AnEmptySubsetMatchesNothing) {
  const ActionSubset subset(Toy(), ActionSet(Toy().action_count()));
  EXPECT_EQ(subset.size(), 0u);
  EXPECT_THAT(SubsetMatches(Toy(), subset, "*"), IsEmpty());
  EXPECT_THAT(SubsetMatches(Toy(), subset, "toy:GetWidget"), IsEmpty());
}

// The subset's answer is the catalog's expansion restricted to the members,
// for patterns derived from members and non-members of the real catalog: exact
// names in other cases, prefixes, suffixes, `?`, service wildcards, unknowns.
TEST(ActionSubsetTest, AgreesWithTheCatalogExpansion) {
  const Catalog& c = Embedded();
  ActionSet members(c.action_count());
  for (ActionId id = 0; id < c.action_count(); id += 37) members.insert(id);  // every service
  members |= ExpandActions(c, P("iam:*")) | ExpandActions(c, P("s3:Put*"));
  const ActionSubset subset(c, members);
  std::vector<std::string> patterns = {"*",
                                       "*:*",
                                       "s3:*",
                                       "*:Get*",
                                       "?3:Put*",
                                       "S3:PUTOBJECT",
                                       "s3:PutObject?",
                                       "iam:*Policy*",
                                       "iam:Pass?ole",
                                       "*am:PassRole",
                                       "i*:*",
                                       "*:*Tagging",
                                       "nope:*",
                                       "nope:GetObject",
                                       "s3:NoSuchAction",
                                       "s3:PutObject*",
                                       "*:?",
                                       "a*:*a*a*a*",
                                       "ec2:Describe*s",
                                       "iam:passrole"};
  for (ActionId id = 0; id < c.action_count(); id += 11) {  // members and neighbours
    const std::string service(c.action_service(id));
    const std::string name(c.action_name(id));
    std::string upper = service + ":" + name;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    patterns.push_back(service + ":" + name);
    patterns.push_back(upper);
    patterns.push_back(service + ":" + name.substr(0, name.size() / 2) + "*");
    patterns.push_back(service + ":*" + name.substr(name.size() / 2));
    patterns.push_back(service + ":?" + name.substr(1));
    patterns.push_back(service.substr(0, 1) + "*:" + name);
    patterns.push_back(service + ":" + name + "X");
  }
  for (const std::string& text : patterns) {
    const ActionPattern p = P(text);
    ActionSet hit(subset.size());
    subset.MatchInto(p, hit);
    std::vector<ActionId> got;
    for (ActionId pos : hit) got.push_back(subset.id(pos));
    EXPECT_EQ(got, (ExpandActions(c, p) & members).ToVector()) << text;
  }
}

TEST(SuggestActionsTest, TyposInTheActionName) {
  const Catalog& c = Embedded();
  EXPECT_EQ(SuggestActions(c, "s3:GetObjcet", 3).at(0), "s3:GetObject");
  EXPECT_EQ(SuggestActions(c, "S3:GETOBJEC", 3).at(0), "s3:GetObject");
  EXPECT_EQ(SuggestActions(c, "kms:Decrpyt", 1), std::vector<std::string>{"kms:Decrypt"});
  EXPECT_EQ(SuggestActions(c, "iam:PasRole", 1), std::vector<std::string>{"iam:PassRole"});
  // Wildcards match freely, so the typo is what counts.
  EXPECT_EQ(SuggestActions(c, "kms:GenerateDtaKey*", 1),
            std::vector<std::string>{"kms:GenerateDataKey"});
  EXPECT_LE(SuggestActions(c, "s3:GetObjcet", 2).size(), 2u);
}

TEST(SuggestActionsTest, UnknownServiceSuggestsTheClosestPrefix) {
  const Catalog& c = Embedded();
  EXPECT_EQ(SuggestActions(c, "lamda:Invoke*", 3), std::vector<std::string>{"lambda:Invoke*"});
  EXPECT_EQ(SuggestActions(c, "s4:getobject", 3).at(0), "s3:GetObject");
  EXPECT_EQ(SuggestActions(c, "ec:DescribeInstances", 3).at(0), "ec2:DescribeInstances");
}

TEST(SuggestActionsTest, NothingCloseMeansNoSuggestion) {
  const Catalog& c = Embedded();
  EXPECT_THAT(SuggestActions(c, "zzzzqqqq:xxxxyyyyvvvv", 3), IsEmpty());
  EXPECT_THAT(SuggestActions(c, "s3:Xqzwvkjhgfdsa", 3), IsEmpty());
  EXPECT_THAT(SuggestActions(c, "*", 3), IsEmpty());
  // A service the catalog does not have, nothing like any prefix: no guess
  // from other services' actions.
  EXPECT_THAT(SuggestActions(c, "deeplensx:*", 3), IsEmpty());
  EXPECT_THAT(SuggestActions(c, "builderidq:CreateInvitation", 3), IsEmpty());
  EXPECT_THAT(SuggestActions(c, "s3:GetObjcet", 0), IsEmpty());
}

// Issue 16, defect 6: a wildcard service with a long name was compared with
// every catalog action at the cost of both lengths (4.45 s for one 4 KB
// action, 102 s for 24). The work is bounded: lengths rule candidates out with
// wildcards too, and names longer than kMaxSuggestedLength get no suggestion.
TEST(SuggestActionsTest, LongWildcardPatternsAreCheap) {
  const Catalog& c = Embedded();
  EXPECT_THAT(SuggestActions(c, "q*:" + std::string(4000, 'a'), 3), IsEmpty());
  std::string stars;
  for (int i = 0; i < 2000; ++i) stars += "a*";
  EXPECT_THAT(SuggestActions(c, stars, 3), IsEmpty());
  EXPECT_THAT(SuggestActions(c, "*:" + std::string(4000, '?') + "x", 3), IsEmpty());
  // Runs of `*` are one `*`: still a suggestion when the rest is close.
  EXPECT_EQ(SuggestActions(c, "kms:" + std::string(500, '*') + "GenerateDtaKey", 1),
            std::vector<std::string>{"kms:GenerateDataKey"});
  // The pre-filter keeps what is close: a wildcard service, a typo.
  EXPECT_EQ(SuggestActions(c, "k*:GenerateDataKeyPairWithoutPlaintxt", 1),
            std::vector<std::string>{"kms:GenerateDataKeyPairWithoutPlaintext"});
}

TEST(SuggestActionsTest, Fixture) {
  const Catalog& c = Toy();
  // Closest first; PutWidget is two edits away, within a third of 9 letters.
  EXPECT_EQ(SuggestActions(c, "toy:GetWidgte", 3),
            (std::vector<std::string>{"toy:GetWidget", "toy:PutWidget"}));
  EXPECT_THAT(SuggestActions(c, "toy:Wdget", 3), IsEmpty());
  EXPECT_EQ(SuggestActions(c, "toi:PutWidget", 3), std::vector<std::string>{"toy:PutWidget"});
  EXPECT_EQ(SuggestActions(c, "toy-admn:*", 3), std::vector<std::string>{"toy-admin:*"});
}

}  // namespace
}  // namespace iam_audit
