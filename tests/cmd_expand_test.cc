// `iam-audit expand`, run as a user would. Golden outputs live in
// tests/data/expand/ and come from the pinned catalog: after bumping the pin,
// regenerate them with IAM_AUDIT_UPDATE_GOLDEN=1 and review the diff.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "iam_audit/catalog.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::MatchesGolden;
using testing::RunIamAudit;
using ::testing::StartsWith;
using testing::TestData;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Runs `expand ARGS...` and expects a clean exit.
std::string Expand(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"expand"};
  all.insert(all.end(), args.begin(), args.end());
  const CommandResult r = RunIamAudit(all);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return r.out;
}

TEST(CmdExpandTest, GetStarTagging) {
  const std::string out = Expand({"s3:Get*Tagging"});
  EXPECT_TRUE(MatchesGolden(out, "expand/s3_get_tagging.txt"));
  for (const std::string& line : Lines(out)) {
    EXPECT_THAT(line, StartsWith("s3:Get"));
    EXPECT_TRUE(line.ends_with("Tagging")) << line;
  }
}

TEST(CmdExpandTest, GenerateDataKeyStar) {
  const std::string out = Expand({"kms:GenerateDataKey*"});
  EXPECT_TRUE(MatchesGolden(out, "expand/kms_generate_data_key.txt"));
  EXPECT_EQ(Lines(out).size(), 4u);
}

TEST(CmdExpandTest, EveryGetActionOfEveryService) {
  const std::vector<std::string> lines = Lines(Expand({"*:Get*"}));
  // As many as the catalog has, each once, in catalog order.
  const Catalog c = Catalog::Embedded();
  std::size_t want = 0;
  for (ActionId id = 0; id < c.action_count(); ++id) {
    if (c.action_lower_name(id).starts_with("get")) ++want;
  }
  EXPECT_GT(want, 1000u);
  EXPECT_EQ(lines.size(), want);
  EXPECT_EQ(std::set<std::string>(lines.begin(), lines.end()).size(), lines.size());
  for (const std::string& line : lines) {
    // Catalog casing: mostly "Get...", a few "GET" (apigateway:GET).
    const std::string name = line.substr(line.find(':') + 1);
    EXPECT_TRUE(name.starts_with("Get") || name.starts_with("GET")) << line;
  }
  EXPECT_NE(std::find(lines.begin(), lines.end(), "s3:GetObject"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "ec2:GetConsoleOutput"), lines.end());
}

TEST(CmdExpandTest, CaseInsensitiveOutputInCatalogCasing) {
  EXPECT_EQ(Expand({"S3:getobject"}), "s3:GetObject\n");
  EXPECT_EQ(Expand({"KMS:DECRYPT"}), "kms:Decrypt\n");
}

TEST(CmdExpandTest, QuestionMarkMatchesOneCharacter) {
  const std::string out = Expand({"kms:??crypt", "s3:GetObject?cl", "sts:GetCallerIdentit?"});
  EXPECT_TRUE(MatchesGolden(out, "expand/question_mark.txt"));
  EXPECT_EQ(out, "kms:Decrypt\nkms:Encrypt\ns3:GetObjectAcl\nsts:GetCallerIdentity\n");
  // ? is exactly one character: "?crypt" is too short for Decrypt and Encrypt.
  EXPECT_EQ(RunIamAudit({"expand", "kms:?crypt"}).exit_code, 1);
}

TEST(CmdExpandTest, SortedAndDeduplicatedAcrossPatterns) {
  EXPECT_EQ(Expand({"s3:GetObject", "kms:Decrypt", "s3:getobject", "s3:GetObj*"}),
            "kms:Decrypt\n"
            "s3:GetObject\n"
            "s3:GetObjectAcl\n"
            "s3:GetObjectAnnotation\n"
            "s3:GetObjectAttributes\n"
            "s3:GetObjectLegalHold\n"
            "s3:GetObjectRetention\n"
            "s3:GetObjectTagging\n"
            "s3:GetObjectTorrent\n"
            "s3:GetObjectVersion\n"
            "s3:GetObjectVersionAcl\n"
            "s3:GetObjectVersionAnnotation\n"
            "s3:GetObjectVersionAnnotationForReplication\n"
            "s3:GetObjectVersionAttributes\n"
            "s3:GetObjectVersionForReplication\n"
            "s3:GetObjectVersionTagging\n"
            "s3:GetObjectVersionTorrent\n");
}

TEST(CmdExpandTest, NoMatchSuggestsAndExitsOne) {
  const CommandResult r = RunIamAudit({"expand", "s3:GetObjcet"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(MatchesGolden(r.err, "expand/no_match.err"));
  EXPECT_THAT(r.err, StartsWith("iam-audit: 's3:GetObjcet' matches no action in the catalog; "
                                "did you mean: s3:GetObject"));
}

TEST(CmdExpandTest, NoMatchStillPrintsTheOtherMatches) {
  const CommandResult r = RunIamAudit({"expand", "kms:Decrypt", "lamda:Invoke*", "qqqzzz:Xyzzy"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "kms:Decrypt\n");
  EXPECT_EQ(r.err,
            "iam-audit: 'lamda:Invoke*' matches no action in the catalog; did you mean: "
            "lambda:Invoke*?\n"
            "iam-audit: 'qqqzzz:Xyzzy' matches no action in the catalog\n");
}

TEST(CmdExpandTest, MalformedPatternsExitTwo) {
  struct Case {
    std::string pattern, message;
  };
  for (const Case& c : std::vector<Case>{
           {"s3GetObject",
            "iam-audit: action 's3GetObject' has no ':' between service prefix "
            "and action name\n"},
           {"", "iam-audit: empty action\n"},
           {"s3:Get Object", "iam-audit: action 's3:Get Object' contains whitespace\n"},
           {" s3:GetObject", "iam-audit: action ' s3:GetObject' contains whitespace\n"},
           {"s3:", "iam-audit: action 's3:' has an empty action name\n"},
           {"s3:Get:Object", "iam-audit: action 's3:Get:Object' has more than one ':'\n"},
       }) {
    const CommandResult r = RunIamAudit({"expand", "kms:Decrypt", c.pattern});
    EXPECT_EQ(r.exit_code, 2) << c.pattern;
    EXPECT_EQ(r.out, "") << c.pattern;
    EXPECT_EQ(r.err, c.message);
  }
}

TEST(CmdExpandTest, NoPatternIsAUsageError) {
  const CommandResult r = RunIamAudit({"expand"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("PATTERN"));
}

TEST(CmdExpandTest, AccessLevelFilter) {
  EXPECT_TRUE(MatchesGolden(Expand({"kms:*", "--access-level", "permissions-management"}),
                            "expand/kms_permissions_management.txt"));
  // write,permissions-management keeps every action with either level, and only those.
  const Catalog c = Catalog::Embedded();
  const std::vector<std::string> lines =
      Lines(Expand({"iam:*", "--access-level", "write,permissions-management"}));
  std::size_t want = 0;
  const auto [first, last] = c.ServiceActions("iam");
  for (ActionId id = first; id < last; ++id) {
    if (c.action_access(id) & (kAccessWrite | kAccessPermissionsManagement)) ++want;
  }
  EXPECT_EQ(lines.size(), want);
  for (const std::string& line : lines) {
    EXPECT_TRUE(c.action_access(*c.FindAction(line)) &
                (kAccessWrite | kAccessPermissionsManagement))
        << line;
  }
  EXPECT_EQ(Expand({"s3:GetObject", "--access-level", "Write"}), "");
  EXPECT_EQ(Expand({"s3:GetObject", "--access-level", "list,READ"}), "s3:GetObject\n");
}

TEST(CmdExpandTest, UnknownAccessLevelExitsTwo) {
  const CommandResult r = RunIamAudit({"expand", "s3:*", "--access-level", "write,admin"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "iam-audit: unknown access level 'admin' in --access-level (expected a "
            "comma-separated list of: list, read, permissions-management, tagging, write)\n");
}

TEST(CmdExpandTest, JsonFormat) {
  const std::string out = Expand({"kms:GenerateDataKey*", "--format", "json"});
  EXPECT_TRUE(MatchesGolden(out, "expand/kms_generate_data_key.json"));
  const nlohmann::json j = nlohmann::json::parse(out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[0]["action"], "kms:GenerateDataKey");
  EXPECT_EQ(j[0]["access_level"], "Write");
  ASSERT_EQ(j[0]["resource_types"].size(), 1u);
  EXPECT_EQ(j[0]["resource_types"][0]["name"], "key");
  EXPECT_EQ(j[0]["resource_types"][0]["required"], true);
  EXPECT_EQ(j[0]["resource_types"][0]["arn"],
            "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}");
  EXPECT_EQ(Expand({"s3:GetObject", "--access-level", "write", "--format", "json"}), "[]\n");
}

TEST(CmdExpandTest, BadFormatIsAUsageError) {
  EXPECT_EQ(RunIamAudit({"expand", "s3:GetObject", "--format", "yaml"}).exit_code, 2);
}

TEST(CmdExpandTest, FixtureCatalog) {
  const CommandResult r =
      RunIamAudit({"--catalog", "catalog", "expand", "*", "--format", "json"}, "", TestData(""));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(MatchesGolden(r.out, "expand/fixture_all.json"));
  const CommandResult tagging = RunIamAudit({"--catalog", TestData("catalog/data"), "expand", "*:*",
                                             "--access-level", "tagging,permissions-management"});
  EXPECT_EQ(tagging.out, "toy:SetWidgetPolicy\ntoy:TagWidget\n");
}

}  // namespace
}  // namespace iam_audit
