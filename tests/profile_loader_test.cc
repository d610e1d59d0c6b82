// Profile loading at scale (src/profile_loader.cc). Issue 16 defect 2:
// variable v0 defaulting to ${v1}, v1 to ${v2}, ... crashed the recursive
// default ordering at 60,000 variables and took quadratic time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "iam_audit/profile.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using testing::TestCatalog;

// v0 -> v1 -> ... -> v{n-1}; the last one defaults to `last_default`.
std::string ChainedDefaults(int n, const std::string& last_default) {
  std::string yaml = "name: chain\nvariables:\n";
  for (int i = 0; i + 1 < n; ++i) {
    yaml += "  v" + std::to_string(i) + ": {default: '${v" + std::to_string(i + 1) + "}'}\n";
  }
  yaml += "  v" + std::to_string(n - 1) + ": {default: '" + last_default + "'}\n";
  yaml +=
      "groups:\n"
      "  - id: g\n"
      "    title: G\n"
      "    origin: code\n"
      "    when: v0 == 'end'\n"
      "    actions: [lakeformation:GetDataAccess]\n";
  return yaml;
}

TEST(ProfileLoaderScale, SixtyThousandChainedDefaultsResolve) {
  const ProfileLoadResult r =
      Profile::Load(ChainedDefaults(60000, "end"), "chain.yaml", TestCatalog());
  ASSERT_TRUE(r.profile) << r.errors.front().ToString();
  const Bindings b = r.profile->Bind({});
  EXPECT_EQ(b.at("v0").items.front(), "end");
  EXPECT_EQ(b.at("v59999").items.front(), "end");
  EXPECT_EQ(r.profile->Requirements(b).size(), 1u);  // the group saw v0 == 'end'
}

TEST(ProfileLoaderScale, ALongCycleIsOneErrorWithItsPath) {
  // The last variable points back to the first: one cycle through all 20,000.
  const ProfileLoadResult r =
      Profile::Load(ChainedDefaults(20000, "${v0}"), "c.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  ASSERT_EQ(r.errors.size(), 1u);
  const std::string message = r.errors.front().ToString();
  EXPECT_THAT(message,
              HasSubstr("c.yaml:3:3: the defaults of these variables depend on each other: "
                        "v0 -> v1 -> v2 -> "));
  EXPECT_THAT(message, HasSubstr("v19998 -> v19999 -> v0"));
}

TEST(ProfileLoaderScale, DefaultsOrderedWhateverTheDeclarationOrder) {
  const ProfileLoadResult r = Profile::Load(
      "name: t\n"
      "variables:\n"
      "  a: {default: '${b}-${c}'}\n"
      "  b: {default: '${c}b'}\n"
      "  c: {default: c}\n"
      "  d: {default: '${d}'}\n"
      "groups:\n"
      "  - {id: g, title: G, origin: code, actions: [lakeformation:GetDataAccess]}\n",
      "t.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);  // d depends on itself
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors.front().ToString(),
            "t.yaml:6:3: the defaults of these variables depend on each other: d -> d");
}

}  // namespace
}  // namespace iam_audit
