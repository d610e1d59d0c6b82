// The `when` language's limits (src/profile_when.cc), through small profiles.
// Issue 16 defect 1: ~10,000 nested '(' or ~20,000 'not ' crashed the
// recursive-descent parser with a stack overflow.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "iam_audit/profile.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using testing::TestCatalog;

// A profile whose one group applies `when`, over `variables` (YAML lines).
std::string ProfileWithWhen(const std::string& when,
                            const std::string& variables = "  b: {type: bool, default: false}\n") {
  return "name: t\n"
         "variables:\n" +
         variables +
         "groups:\n"
         "  - id: g\n"
         "    title: G\n"
         "    origin: code\n"
         "    when: \"" +
         when +
         "\"\n"
         "    actions: [lakeformation:GetDataAccess]\n";
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Whether the group is on (the profile must load).
bool GroupOn(const std::string& when) {
  const ProfileLoadResult r = Profile::Load(ProfileWithWhen(when), "t.yaml", TestCatalog());
  if (!r.profile) throw std::runtime_error(r.errors.front().ToString());
  return !r.profile->Requirements(r.profile->Bind({})).empty();
}

TEST(ProfileWhenLimits, TenThousandNestedParenthesesAreAnErrorNamingTheLimit) {
  const std::string when = Repeat("(", 10000) + "b" + Repeat(")", 10000);
  const ProfileLoadResult r = Profile::Load(ProfileWithWhen(when), "t.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  ASSERT_EQ(r.errors.size(), 1u);
  // The 101st '(' is at offset 100: the value starts at column 12 of line 8.
  EXPECT_EQ(r.errors.front().ToString(),
            "t.yaml:8:112: in 'when': parentheses nested deeper than 100 levels (the limit of "
            "a 'when' condition)");
}

TEST(ProfileWhenLimits, NestingUpToTheLimitIsAccepted) {
  EXPECT_FALSE(GroupOn(Repeat("(", 100) + "b" + Repeat(")", 100)));
  EXPECT_FALSE(GroupOn(Repeat("(not ", 100) + "b" + Repeat(")", 100)));  // even: b
  EXPECT_TRUE(GroupOn(Repeat("(not ", 99) + "b" + Repeat(")", 99)));     // odd: not b
  const ProfileLoadResult r = Profile::Load(
      ProfileWithWhen(Repeat("(", 101) + "b" + Repeat(")", 101)), "t.yaml", TestCatalog());
  EXPECT_FALSE(r.profile);
}

TEST(ProfileWhenLimits, TwentyThousandNotsParseAndFold) {
  EXPECT_FALSE(GroupOn(Repeat("not ", 20000) + "b"));  // even: b, which is false
  EXPECT_TRUE(GroupOn(Repeat("not ", 20001) + "b"));   // odd: not b
  EXPECT_TRUE(GroupOn("not not not b and not b"));
}

TEST(ProfileWhenLimits, AnErrorAfterManyNotsStillHasItsLocation) {
  const ProfileLoadResult r =
      Profile::Load(ProfileWithWhen(Repeat("not ", 20000) + "nope"), "t.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  EXPECT_THAT(r.errors.front().ToString(),
              HasSubstr("t.yaml:8:80012: in 'when': unknown variable 'nope'"));
}

std::string ProfileWithString(const std::string& when) {
  return ProfileWithWhen(when,
                         "  s: {default: AwsDataCatalog}\n  b: {type: bool, default: false}\n");
}

std::optional<bool> StringGroupOn(const std::string& when, std::string* error = nullptr) {
  const ProfileLoadResult r = Profile::Load(ProfileWithString(when), "t.yaml", TestCatalog());
  if (!r.profile) {
    if (error) *error = r.errors.front().ToString();
    return std::nullopt;
  }
  return !r.profile->Requirements(r.profile->Bind({})).empty();
}

TEST(ProfileWhenLower, ComparesTheValueLowerCased) {
  EXPECT_EQ(StringGroupOn("lower(s) == 'awsdatacatalog'"), true);
  EXPECT_EQ(StringGroupOn("s == 'awsdatacatalog'"), false);  // plain == is exact
  EXPECT_EQ(StringGroupOn("lower(s) != 'awsdatacatalog'"), false);
  EXPECT_EQ(StringGroupOn("lower(s) matches 'aws*'"), true);
  EXPECT_EQ(StringGroupOn("not lower(s) matches 's3tablescatalog/*' and not b"), true);
}

TEST(ProfileWhenLower, Errors) {
  std::string error;
  EXPECT_FALSE(StringGroupOn("lower(s) == 'AwsDataCatalog'", &error));
  EXPECT_THAT(error, HasSubstr("t.yaml:9:21: in 'when': 'lower(s)' is compared with "
                               "'AwsDataCatalog', which has upper-case letters"));
  EXPECT_FALSE(StringGroupOn("lower(s)", &error));
  EXPECT_THAT(error, HasSubstr("t.yaml:9:12: in 'when': 'lower(s)' must be compared"));
  EXPECT_FALSE(StringGroupOn("lower(b) == 'true'", &error));
  EXPECT_THAT(error, HasSubstr("'lower' applies to string variables; 'b' is a bool"));
  EXPECT_FALSE(StringGroupOn("lower(s == 'x'", &error));
  EXPECT_THAT(error, HasSubstr("expected ')' but found '=='"));
}

}  // namespace
}  // namespace iam_audit
