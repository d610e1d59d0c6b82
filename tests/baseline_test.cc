// Baselines: what is recorded, the file format, reading errors, and matching
// by fingerprint with counts.
#include "baseline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "iam_audit/report.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

Finding F(FindingId id, std::string file, std::string action, std::string key = "") {
  Finding f = MakeFinding(id, std::move(file), {4, 2});
  f.action = std::move(action);
  f.resource = "arn:aws:s3:::b/*";
  f.fingerprint = Fingerprint(f, key);
  return f;
}

std::vector<const Finding*> Ptrs(const std::vector<Finding>& v) {
  std::vector<const Finding*> out;
  for (const Finding& f : v) out.push_back(&f);
  return out;
}
std::vector<Finding*> Ptrs(std::vector<Finding>& v) {
  std::vector<Finding*> out;
  for (Finding& f : v) out.push_back(&f);
  return out;
}

std::vector<std::string> Errors(const std::string& text) {
  try {
    ParseBaseline(text, "base.json");
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.ToString());
    return out;
  }
  ADD_FAILURE() << "expected errors for " << text;
  return {};
}

TEST(BaselineTest, RecordsCountingFindingsSortedForReview) {
  std::vector<Finding> findings = {
      F(FindingId::kMissingPermission, "b.json", "s3:GetObject"),
      F(FindingId::kOverBroadAction, "a.json", "s3:*"),
      F(FindingId::kStaleSuppression, ".iam-audit.yaml", ""),
      F(FindingId::kUnknownAction, "a.json", "s3:GetObjekt"),
  };
  findings.push_back(F(FindingId::kMissingPermission, "c.json", "kms:Decrypt"));
  findings.back().suppressed = FindingSuppression{};  // accepted by the configuration
  const Baseline b = MakeBaseline(Ptrs(std::as_const(findings)));
  ASSERT_EQ(b.entries.size(), 3u);
  EXPECT_EQ(b.entries[0].file, "a.json");
  EXPECT_EQ(b.entries[0].id, "over-broad-action");
  EXPECT_EQ(b.entries[1].id, "unknown-action");
  EXPECT_EQ(b.entries[2].file, "b.json");
  EXPECT_EQ(b.entries[2].fingerprint, findings[0].fingerprint);

  const auto doc = nlohmann::json::parse(BaselineToJson(b));
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["tool"]["name"], "iam-audit");
  EXPECT_EQ(doc["tool"]["version"], std::string(ToolVersion()));
  EXPECT_EQ(doc["entries"][2], (nlohmann::json{{"id", "missing-permission"},
                                               {"file", "b.json"},
                                               {"action", "s3:GetObject"},
                                               {"resource", "arn:aws:s3:::b/*"},
                                               {"fingerprint", findings[0].fingerprint}}));
}

TEST(BaselineTest, RoundTripsThroughItsJson) {
  std::vector<Finding> findings = {F(FindingId::kMissingPermission, "p.json", "s3:GetObject")};
  const Baseline b = MakeBaseline(Ptrs(std::as_const(findings)));
  const Baseline back = ParseBaseline(BaselineToJson(b), "base.json");
  EXPECT_EQ(back.file, "base.json");
  ASSERT_EQ(back.entries.size(), 1u);
  EXPECT_EQ(back.entries[0].fingerprint, b.entries[0].fingerprint);
  EXPECT_EQ(back.entries[0].action, "s3:GetObject");
}

TEST(BaselineTest, OnlyNewFindingsStayUnsuppressed) {
  std::vector<Finding> old = {F(FindingId::kMissingPermission, "p.json", "s3:GetObject", "sid:A"),
                              F(FindingId::kOverBroadAction, "p.json", "s3:*", "sid:B")};
  Baseline b = MakeBaseline(Ptrs(std::as_const(old)));
  b.file = "base.json";

  std::vector<Finding> now = {
      F(FindingId::kOverBroadAction, "p.json", "s3:*", "sid:B"),            // same, moved
      F(FindingId::kMissingPermission, "p.json", "s3:PutObject", "sid:A"),  // new action
      F(FindingId::kMissingPermission, "q.json", "s3:GetObject", "sid:A"),  // other file
      F(FindingId::kMissingPermission, "p.json", "s3:GetObject", "sid:A"),  // same
  };
  now[0].where = {40, 9};  // line numbers play no part
  EXPECT_EQ(ApplyBaseline(b, Ptrs(now)), 2u);
  ASSERT_TRUE(now[0].suppressed);
  EXPECT_EQ(now[0].suppressed->kind, FindingSuppression::Kind::kBaseline);
  EXPECT_EQ(now[0].suppressed->file, "base.json");
  EXPECT_EQ(now[0].suppressed->reason, "recorded in the baseline");
  EXPECT_FALSE(now[1].suppressed);
  EXPECT_FALSE(now[2].suppressed);
  EXPECT_TRUE(now[3].suppressed);
}

TEST(BaselineTest, AnEntryMatchesOneFinding) {
  std::vector<Finding> old = {F(FindingId::kOverBroadAction, "p.json", "s3:*")};
  const Baseline b = MakeBaseline(Ptrs(std::as_const(old)));
  std::vector<Finding> now = {old[0], old[0]};  // the same problem twice
  EXPECT_EQ(ApplyBaseline(b, Ptrs(now)), 1u);
  EXPECT_TRUE(now[0].suppressed);
  EXPECT_FALSE(now[1].suppressed);
}

TEST(BaselineTest, AlreadySuppressedFindingsDoNotUseEntries) {
  std::vector<Finding> old = {F(FindingId::kOverBroadAction, "p.json", "s3:*")};
  const Baseline b = MakeBaseline(Ptrs(std::as_const(old)));
  std::vector<Finding> now = {old[0], old[0]};
  now[0].suppressed = FindingSuppression{FindingSuppression::Kind::kConfig, "r", "c", {1, 1}, ""};
  EXPECT_EQ(ApplyBaseline(b, Ptrs(now)), 1u);
  EXPECT_EQ(now[0].suppressed->kind, FindingSuppression::Kind::kConfig);
  EXPECT_EQ(now[1].suppressed->kind, FindingSuppression::Kind::kBaseline);
}

TEST(BaselineTest, MalformedFilesAreLocatedErrors) {
  EXPECT_THAT(Errors("{\"version\": 1, \"entries\": [}"), ElementsAre(HasSubstr("base.json:1:")));
  EXPECT_THAT(Errors("[]"), ElementsAre("base.json:1:1: a baseline is a JSON object with "
                                        "\"version\" and \"entries\""));
  EXPECT_THAT(Errors("{\"version\": 2, \"entries\": []}"),
              ElementsAre(HasSubstr("base.json:1:13: unsupported baseline version '2'")));
  EXPECT_THAT(Errors("{\"version\": 1}"),
              ElementsAre("base.json:1:1: the baseline needs an \"entries\" array"));
  EXPECT_THAT(Errors("{\"version\": 1, \"entries\": [{\"id\": \"x\"}, 3,\n {\"fingerprint\": 7}]}"),
              ElementsAre("base.json:1:28: a baseline entry needs \"fingerprint\"",
                          "base.json:1:41: each baseline entry must be an object, not number",
                          "base.json:2:18: \"fingerprint\" must be a string"));
}

TEST(BaselineTest, ReadAndWriteFiles) {
  TempDir tmp;
  std::vector<Finding> findings = {F(FindingId::kMissingPermission, "p.json", "s3:GetObject")};
  const Baseline b = MakeBaseline(Ptrs(std::as_const(findings)));
  WriteBaseline(tmp.File("base.json"), b);
  EXPECT_EQ(ReadFile(tmp.File("base.json")), BaselineToJson(b));
  const Baseline back = ReadBaseline(tmp.File("base.json"));
  EXPECT_EQ(back.file, tmp.File("base.json"));
  EXPECT_EQ(back.entries.size(), 1u);
  try {
    ReadBaseline(tmp.File("missing.json"));
    ADD_FAILURE() << "no error for a missing baseline";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot read the baseline (create it with --write-baseline"));
  }
  EXPECT_THROW(WriteBaseline(tmp.File("no/such/dir/base.json"), b), InputError);
  // Nothing was left behind by the failed write.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++files;
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace iam_audit
