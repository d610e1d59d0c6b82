#include "iam_audit/profile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "builtin_profiles.h"
#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

using testing::TestCatalog;

const Profile& DbtAthena() {
  static const Profile profile = LoadProfile("dbt-athena", TestCatalog());
  return profile;
}

const ProfileGroup& Group(const Profile& p, const std::string& id) {
  for (const ProfileGroup& g : p.groups()) {
    if (g.id == id) return g;
  }
  throw std::runtime_error("no group " + id);
}

// The resource templates an action is checked on in a group ("*" for none).
std::vector<std::string> CheckedOn(const ProfileGroup& g, const std::string& action) {
  std::vector<std::string> out;
  for (const ProfileCheck& c : g.checks) {
    if (c.action != action) continue;
    out.push_back(c.resource < 0 ? "*" : g.resources[c.resource].arn.text);
  }
  return out;
}

std::vector<std::string> CheckedTypes(const ProfileGroup& g, const std::string& action) {
  std::vector<std::string> out;
  for (const ProfileCheck& c : g.checks) {
    if (c.action == action) out.push_back(c.resource_type);
  }
  return out;
}

ProfileLoadResult LoadText(const std::string& yaml) {
  return Profile::Load(yaml, "test.yaml", TestCatalog());
}

std::vector<std::string> Messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d) out.push_back(x.ToString());
  return out;
}

VariableInput Var(const std::string& name, const std::string& value) {
  return {name, {value}, false, "--var " + name};
}

std::vector<VariableInput> BaseVars() {
  return {Var("region_name", "eu-west-1"), Var("account_id", "111122223333"),
          Var("schema", "analytics"), Var("s3_staging_dir", "s3://acme-results/dbt/")};
}

// (action, resource) pairs of the requirements of one group.
std::set<std::pair<std::string, std::string>> Pairs(const std::vector<Requirement>& reqs,
                                                    const std::string& group) {
  std::set<std::pair<std::string, std::string>> out;
  for (const Requirement& r : reqs) {
    if (r.group_id == group) out.emplace(r.action, r.resource);
  }
  return out;
}

bool HasGroup(const std::vector<Requirement>& reqs, const std::string& group) {
  return std::any_of(reqs.begin(), reqs.end(),
                     [&](const Requirement& r) { return r.group_id == group; });
}

// ---------------------------------------------------------------------------
// Catalog-driven resource matching in the built-in profile.

TEST(ProfileDbtAthena, LoadsWithDocumentedGroups) {
  const Profile& p = DbtAthena();
  EXPECT_EQ(p.name(), "dbt-athena");
  EXPECT_EQ(p.dbt_adapter(), "athena");
  std::vector<std::string> ids;
  for (const ProfileGroup& g : p.groups()) ids.push_back(g.id);
  for (const char* id :
       {"athena-queries", "athena-workgroup", "glue-read-databases", "glue-write-databases",
        "s3-read-buckets", "s3-query-results", "s3-table-data", "s3-dbt-table-data", "kms-keys",
        "lake-formation", "glue-write-table-versions", "s3-tmp-table-dir", "athena-data-catalog",
        "athena-spark", "sts-assume-role"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  EXPECT_TRUE(Group(p, "glue-write-table-versions").beyond_doc);
  EXPECT_FALSE(Group(p, "glue-write-databases").beyond_doc);
}

// Every permission of the documented list is in a documented group.
TEST(ProfileDbtAthena, CoversTheDocumentedList) {
  const auto shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << "../shared (the documented list) is not available";
  std::string doc;
  for (const auto& entry : std::filesystem::directory_iterator(*shared + "/seeds")) {
    doc += testing::ReadFile(entry.path().string());
  }
  // Compared after expansion: the doc's kms:GenerateDataKey* is covered by
  // kms:GenerateDataKey (error) and its three unused variants (a note).
  std::set<std::string> documented;
  for (const ProfileGroup& g : DbtAthena().groups()) {
    if (g.origin != "documented") continue;
    for (const ProfileAction& a : g.actions) documented.insert(a.actions.begin(), a.actions.end());
  }
  std::size_t found = 0;
  for (std::size_t pos = doc.find("\"", 0); pos != std::string::npos;
       pos = doc.find('"', pos + 1)) {
    const std::size_t end = doc.find('"', pos + 1);
    if (end == std::string::npos) break;
    const std::string word = doc.substr(pos + 1, end - pos - 1);
    pos = end;
    if (word.find(':') == std::string::npos || word.find(' ') != std::string::npos) continue;
    ++found;
    const ActionSet expanded = ExpandActions(TestCatalog(), *ActionPattern::Parse(word));
    EXPECT_FALSE(expanded.empty()) << word;
    for (ActionId id : expanded) {
      const std::string name = TestCatalog().action(id).FullName();
      EXPECT_TRUE(documented.count(name))
          << name << " (documented as " << word << ") is not in a documented group";
    }
  }
  EXPECT_GT(found, 30u);
}

TEST(ProfileDbtAthena, GlueActionsCheckedOnTheirCatalogResourceTypes) {
  const ProfileGroup& g = Group(DbtAthena(), "glue-write-athena");
  // CreateDatabase: catalog and databases only, never the tables.
  EXPECT_THAT(CheckedTypes(g, "glue:CreateDatabase"),
              ElementsAre("rootcatalog", "database", "database"));
  // GetTable: catalog, database and table (Glue checks all of them).
  EXPECT_THAT(CheckedTypes(g, "glue:GetTable"),
              ElementsAre("rootcatalog", "database", "database", "table", "table"));
  EXPECT_THAT(CheckedOn(g, "glue:GetTable").back(),
              "arn:${partition}:glue:${region_name}:${catalog_account_id}:table/"
              "${write_databases}/*");
}

TEST(ProfileDbtAthena, S3BucketActionsOnBucketsObjectActionsOnObjects) {
  const ProfileGroup& g = Group(DbtAthena(), "s3-table-data");
  EXPECT_THAT(CheckedOn(g, "s3:ListBucket"),
              ElementsAre("arn:${partition}:s3:::${s3_data_dir.bucket}",
                          "arn:${partition}:s3:::${model_locations.bucket}"));
  EXPECT_THAT(CheckedTypes(g, "s3:ListBucket"), ElementsAre("bucket", "bucket"));
  EXPECT_THAT(
      CheckedOn(g, "s3:GetObject"),
      ElementsAre("arn:${partition}:s3:::${s3_data_dir.bucket}/${s3_data_dir.prefix}*",
                  "arn:${partition}:s3:::${model_locations.bucket}/${model_locations.prefix}*"));
  EXPECT_THAT(CheckedTypes(g, "s3:DeleteObject"), ElementsAre("object", "object"));
}

TEST(ProfileDbtAthena, WildcardOnlyActionsAreCheckedOnStar) {
  const ProfileGroup& g = Group(DbtAthena(), "lake-formation");
  EXPECT_THAT(CheckedOn(g, "lakeformation:GetDataAccess"), ElementsAre("*"));
  EXPECT_THAT(CheckedTypes(g, "lakeformation:GetDataAccess"), ElementsAre("*"));
}

TEST(ProfileDbtAthena, PatternsExpandWithTheCatalog) {
  const ProfileLoadResult r = LoadText(
      "name: t\ngroups:\n"
      "  - {id: g, title: G, origin: code, actions: ['kms:GenerateDataKey*'],\n"
      "     resources: [{arn: 'arn:aws:kms:eu-west-1:1:key/k', type: key}]}\n");
  ASSERT_TRUE(r.profile);
  const ProfileGroup& g = r.profile->groups().front();
  EXPECT_EQ(g.actions[0].pattern, "kms:GenerateDataKey*");
  EXPECT_THAT(g.actions[0].actions, ElementsAre("kms:GenerateDataKey", "kms:GenerateDataKeyPair",
                                                "kms:GenerateDataKeyPairWithoutPlaintext",
                                                "kms:GenerateDataKeyWithoutPlaintext"));
}

// ---------------------------------------------------------------------------
// Requirements with variable values.

TEST(ProfileRequirements, ConcreteArnsForTheDefaultSetUp) {
  const Profile& p = DbtAthena();
  const std::vector<Requirement> reqs = p.Requirements(p.Bind(BaseVars()));
  const auto glue = Pairs(reqs, "glue-write-athena");
  const std::string prefix = "arn:aws:glue:eu-west-1:111122223333:";
  EXPECT_TRUE(glue.count({"glue:CreateDatabase", prefix + "catalog"}));
  EXPECT_TRUE(glue.count({"glue:CreateDatabase", prefix + "database/analytics"}));
  EXPECT_FALSE(glue.count({"glue:CreateDatabase", prefix + "table/analytics/*"}));
  EXPECT_TRUE(glue.count({"glue:GetTable", prefix + "table/analytics/*"}));
  // s3_data_dir defaults to ${s3_staging_dir}tables/.
  const auto results = Pairs(reqs, "s3-query-results");
  const auto s3 = Pairs(reqs, "s3-table-data");
  EXPECT_TRUE(results.count({"s3:PutObject", "arn:aws:s3:::acme-results/dbt/*"}));
  EXPECT_TRUE(s3.count({"s3:PutObject", "arn:aws:s3:::acme-results/dbt/tables/*"}));
  EXPECT_TRUE(s3.count({"s3:ListBucket", "arn:aws:s3:::acme-results"}));
  EXPECT_FALSE(s3.count({"s3:ListBucket", "arn:aws:s3:::acme-results/dbt/*"}));
  EXPECT_TRUE(Pairs(reqs, "athena-queries")
                  .count({"athena:StartQueryExecution",
                          "arn:aws:athena:eu-west-1:111122223333:workgroup/primary"}));
  // Optional features are off.
  for (const char* off :
       {"lake-formation", "kms-keys", "athena-spark", "sts-assume-role", "glue-read-databases",
        "s3-read-buckets", "athena-data-catalog", "s3-tmp-table-dir"}) {
    EXPECT_FALSE(HasGroup(reqs, off)) << off;
  }
  EXPECT_FALSE(HasGroup(reqs, "athena-workgroup"));  // no work_group: dbt never reads it
}

TEST(ProfileRequirements, RequirementCarriesGroupDataAndContext) {
  const Profile& p = DbtAthena();
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("kms_key_arns", "arn:aws:kms:eu-west-1:111122223333:key/k-1"));
  const std::vector<Requirement> reqs = p.Requirements(p.Bind(vars));
  const auto it = std::find_if(reqs.begin(), reqs.end(),
                               [](const Requirement& r) { return r.action == "kms:Decrypt"; });
  ASSERT_NE(it, reqs.end());
  EXPECT_EQ(it->group_id, "kms-keys");
  EXPECT_EQ(it->resource, "arn:aws:kms:eu-west-1:111122223333:key/k-1");
  EXPECT_EQ(it->resource_type, "key");
  EXPECT_EQ(it->severity, Severity::kError);
  EXPECT_EQ(it->origin, "documented");
  EXPECT_FALSE(it->beyond_doc);
  EXPECT_EQ(it->access, kAccessWrite);
  EXPECT_GT(it->where.line, 0);
  using Entry = std::pair<std::string, std::vector<std::string>>;
  EXPECT_THAT(it->context, ElementsAre(Entry{"aws:SecureTransport", {"true"}},
                                       Entry{"aws:RequestedRegion", {"eu-west-1"}},
                                       Entry{"aws:ViaAWSService", {"true"}},
                                       Entry{"kms:ViaService", {"s3.eu-west-1.amazonaws.com"}}));
}

TEST(ProfileRequirements, ListVariablesExpandPerElement) {
  const Profile& p = DbtAthena();
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("write_databases", "staging, marts"));
  vars.push_back(Var("read_locations", "s3://lake/raw/orders,s3://lake2"));
  vars.push_back(Var("read_databases", "raw"));
  const std::vector<Requirement> reqs = p.Requirements(p.Bind(vars));
  const auto glue = Pairs(reqs, "glue-write-databases");
  EXPECT_TRUE(
      glue.count({"glue:DeleteTable", "arn:aws:glue:eu-west-1:111122223333:table/marts/*"}));
  EXPECT_TRUE(
      glue.count({"glue:DeleteTable", "arn:aws:glue:eu-west-1:111122223333:table/staging/*"}));
  // The bucket and prefix of one location stay together.
  const auto read = Pairs(reqs, "s3-read-buckets");
  EXPECT_THAT(read, ::testing::IsSupersetOf(std::set<std::pair<std::string, std::string>>{
                        {"s3:GetObject", "arn:aws:s3:::lake/raw/orders/*"},
                        {"s3:GetObject", "arn:aws:s3:::lake2/*"},
                        {"s3:ListBucket", "arn:aws:s3:::lake"},
                        {"s3:ListBucket", "arn:aws:s3:::lake2"}}));
  EXPECT_FALSE(read.count({"s3:GetObject", "arn:aws:s3:::lake/*"}));
  EXPECT_TRUE(HasGroup(reqs, "glue-read-databases"));
}

TEST(ProfileRequirements, ConditionsTurnGroupsOn) {
  const Profile& p = DbtAthena();
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("lake_formation", "true"));
  vars.push_back(Var("skip_workgroup_check", "true"));
  vars.push_back(Var("database", "shared_catalog"));
  vars.push_back(Var("spark_work_group", "spark"));
  const std::vector<Requirement> reqs = p.Requirements(p.Bind(vars));
  EXPECT_THAT(Pairs(reqs, "lake-formation"),
              ElementsAre(std::pair<std::string, std::string>{"lakeformation:GetDataAccess", "*"}));
  EXPECT_FALSE(HasGroup(reqs, "athena-workgroup"));
  EXPECT_TRUE(Pairs(reqs, "athena-data-catalog")
                  .count({"athena:GetDataCatalog",
                          "arn:aws:athena:eu-west-1:111122223333:datacatalog/shared_catalog"}));
  EXPECT_TRUE(HasGroup(reqs, "athena-spark"));

  vars.back() = Var("database", "s3tablescatalog/tables-bucket");  // refused: see dbt_athena_test
  EXPECT_THROW(p.Requirements(p.Bind(vars)), InputError);
}

TEST(ProfileRequirements, NoDuplicatesWithinAGroup) {
  const Profile& p = DbtAthena();
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("write_databases", "analytics,analytics"));
  const std::vector<Requirement> reqs = p.Requirements(p.Bind(vars));
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const Requirement& r : reqs) {
    EXPECT_TRUE(seen.emplace(r.group_id, r.action, r.resource).second)
        << r.group_id << " " << r.action << " " << r.resource;
  }
}

TEST(ProfileRequirements, ValueThatIsNotOfTheResourceTypeIsAnError) {
  const Profile& p = DbtAthena();
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("kms_key_arns", "arn:aws:kms:eu-west-1:111122223333:alias/my-key"));
  const Bindings b = p.Bind(vars);
  try {
    p.Requirements(b);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'arn:aws:kms:eu-west-1:111122223333:alias/my-key'"));
    EXPECT_THAT(e.what(), HasSubstr("is not an ARN of resource type kms:key"));
  }
}

// ---------------------------------------------------------------------------
// Binding variables.

TEST(ProfileBind, MissingRequiredVariableSaysHowToGiveIt) {
  try {
    DbtAthena().Bind({Var("account_id", "111122223333")});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_THAT(m, HasSubstr("missing required variable 'region_name'"));
    EXPECT_THAT(m, HasSubstr("--var region_name=VALUE"));
    EXPECT_THAT(m, HasSubstr("'region_name' in the dbt target"));
    EXPECT_THAT(m, HasSubstr("missing required variable 'schema'"));
    EXPECT_THAT(m, HasSubstr("missing required variable 's3_staging_dir'"));
  }
}

TEST(ProfileBind, TypedValues) {
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("lake_formation", "YES"));
  vars.push_back(Var("write_databases", " a , ,b,"));
  vars.push_back(Var("s3_data_dir", "s3://data-bucket/some/dir"));
  const Bindings b = DbtAthena().Bind(vars);
  EXPECT_THAT(b.at("lake_formation").items, ElementsAre("true"));
  EXPECT_THAT(b.at("write_databases").items, ElementsAre("a", "b"));
  EXPECT_THAT(b.at("s3_data_dir").items, ElementsAre("s3://data-bucket/some/dir/"));
  EXPECT_EQ(b.at("s3_data_dir").locations.at(0).prefix, "some/dir/");
  EXPECT_EQ(b.at("s3_data_dir").origin, "--var s3_data_dir");
  EXPECT_EQ(b.at("catalog_account_id").items.at(0), "111122223333");  // ${account_id}
  EXPECT_EQ(b.at("catalog_account_id").origin, "default");
  EXPECT_EQ(b.count("s3_tmp_table_dir"), 0u);  // optional, unset
  EXPECT_THAT(b.at("read_databases").items, ElementsAre());
}

TEST(ProfileBind, LaterInputsOverrideEarlierOnes) {
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("schema", "override"));
  EXPECT_THAT(DbtAthena().Bind(vars).at("schema").items, ElementsAre("override"));
}

TEST(ProfileBind, BadValuesAndUnknownNames) {
  std::vector<VariableInput> vars = BaseVars();
  vars.push_back(Var("lake_formation", "maybe"));
  vars.push_back(Var("s3_data_dir", "https://bucket/x"));
  vars.push_back(Var("regoin", "x"));
  try {
    DbtAthena().Bind(vars);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_THAT(m, HasSubstr("'lake_formation' must be true or false, not 'maybe'"));
    EXPECT_THAT(m, HasSubstr("'https://bucket/x' is not an S3 location"));
    EXPECT_THAT(m, HasSubstr("unknown variable 'regoin' (from --var regoin)"));
  }
}

TEST(S3LocationTest, Parse) {
  EXPECT_EQ(S3Location::Parse("s3://b")->prefix, "");
  EXPECT_EQ(S3Location::Parse("s3://b/")->Uri(), "s3://b/");
  EXPECT_EQ(S3Location::Parse("S3://b/x/y")->prefix, "x/y/");
  EXPECT_EQ(S3Location::Parse("s3://b/x/y/")->bucket, "b");
  std::string error;
  EXPECT_FALSE(S3Location::Parse("s3:///x", &error));
  EXPECT_THAT(error, HasSubstr("no valid bucket"));
  EXPECT_FALSE(S3Location::Parse("b/x"));
}

// ---------------------------------------------------------------------------
// Conditions and templates, through small profiles.

std::string SmallProfile(const std::string& when) {
  return "name: t\n"
         "variables:\n"
         "  s: {type: string, default: abc}\n"
         "  l: {type: list, default: []}\n"
         "  b: {type: bool, default: false}\n"
         "  o: {type: string}\n"
         "groups:\n"
         "  - id: g\n"
         "    title: G\n"
         "    origin: code\n"
         "    when: \"" +
         when +
         "\"\n"
         "    actions: [lakeformation:GetDataAccess]\n";
}

bool When(const std::string& when, const std::vector<VariableInput>& vars = {}) {
  const ProfileLoadResult r = LoadText(SmallProfile(when));
  if (!r.profile) throw std::runtime_error(Messages(r.errors).front());
  return !r.profile->Requirements(r.profile->Bind(vars)).empty();
}

TEST(ProfileWhen, Evaluates) {
  EXPECT_TRUE(When("s"));
  EXPECT_FALSE(When("l"));
  EXPECT_TRUE(When("l", {Var("l", "x")}));
  EXPECT_FALSE(When("b"));
  EXPECT_TRUE(When("not b"));
  EXPECT_TRUE(When("b", {Var("b", "true")}));
  EXPECT_FALSE(When("o"));
  EXPECT_TRUE(When("s == 'abc'"));
  EXPECT_FALSE(When("s != 'abc'"));
  EXPECT_TRUE(When("s matches 'a*'"));
  EXPECT_FALSE(When("s matches 'b*'"));
  EXPECT_TRUE(When("b == false and (s == 'x' or l or s == 'abc')"));
  EXPECT_FALSE(When("not (s or b)"));
  EXPECT_TRUE(When("b or not l and s"));  // and binds tighter than or
  EXPECT_TRUE(When("true"));
  EXPECT_TRUE(When("o != 'x'"));  // unset compares as ""
}

TEST(ProfileWhen, ErrorsHaveLocations) {
  struct Case {
    std::string when;
    std::string message;
  };
  // The `when` value starts at column 12 (after the opening quote).
  const std::vector<Case> cases = {
      {"s ==", "test.yaml:11:16: in 'when': expected a quoted string after '==' but found end"},
      {"nope", "test.yaml:11:12: in 'when': unknown variable 'nope' in condition"},
      {"l == 'x'", "test.yaml:11:14: in 'when': list variable 'l' cannot be compared"},
      {"b == 'x'", "test.yaml:11:17: in 'when': bool variable 'b' can only be compared"},
      {"(s", "test.yaml:11:14: in 'when': expected ')' but found end of condition"},
      {"s and", "test.yaml:11:17: in 'when': expected a variable"},
      {"s & b", "test.yaml:11:14: in 'when': unexpected character '&'"},
  };
  for (const Case& c : cases) {
    const ProfileLoadResult r = LoadText(SmallProfile(c.when));
    ASSERT_FALSE(r.profile) << c.when;
    EXPECT_THAT(Messages(r.errors), ElementsAre(HasSubstr(c.message))) << c.when;
  }
}

TEST(ValueTemplateTest, ExpandsListsAsProducts) {
  ValueTemplate t;
  t.parts = {{"", "a", ""}, {"-", "", ""}, {"", "b", ""}, {"-", "", ""}, {"", "a", ""}};
  Bindings b;
  b["a"].items = {"1", "2"};
  b["b"].items = {"x", "y"};
  EXPECT_THAT(*t.Expand(b), ElementsAre("1-x-1", "1-y-1", "2-x-2", "2-y-2"));
  b["b"].items = {};
  EXPECT_THAT(*t.Expand(b), ElementsAre());
  b.erase("b");
  std::string missing;
  EXPECT_FALSE(t.Expand(b, &missing));
  EXPECT_EQ(missing, "b");
}

// ---------------------------------------------------------------------------
// Load errors.

TEST(ProfileLoad, FixtureReportsEveryErrorWithItsLocation) {
  const std::string file = testing::TestData("profiles/errors.yaml");
  const ProfileLoadResult r = Profile::Load(testing::ReadFile(file), "errors.yaml", TestCatalog());
  ASSERT_FALSE(r.profile);
  EXPECT_THAT(
      Messages(r.errors),
      ElementsAre(
          "errors.yaml:5:16: unknown variable type 'boolean' (expected one of: string, list, bool, "
          "s3_location, account_id)",
          HasSubstr("errors.yaml:11:5: unknown key 'resourcez' in group 'typo-key'"),
          "errors.yaml:15:25: in 'when': unexpected 'andd' (expected 'and', 'or' or the end)",
          HasSubstr("errors.yaml:21:15: action pattern 's3:GetObjekt' matches no action in the "
                    "catalog (did you mean s3:GetObject"),
          "errors.yaml:26:15: glue:GetTable is authorised on resource types catalog, database, "
          "rootcatalog, table, but none of the resources of group 'wrong-resource' is of those "
          "types (they are s3:object)",
          "errors.yaml:32:31: unknown variable 'regoin' (variables: region, flag)"));
}

TEST(ProfileLoad, StructuralErrors) {
  struct Case {
    std::string yaml;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"name: [x", "test.yaml:1:"},  // YAML syntax
      {"- a\n", "test.yaml:1:1: a profile must be a mapping"},
      {"name: t\nbogus: 1\ngroups: []\n", "test.yaml:2:1: unknown key 'bogus' in the profile"},
      {"name: t\n", "the profile has no 'groups'"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n    actions: ['*']\n",
       "test.yaml:6:15: '*' grants every action"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: folklore\n    actions: "
       "[s3:GetObject]\n",
       "test.yaml:5:13: unknown origin 'folklore'"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n    severity: fatal\n"
       "    actions: [lakeformation:GetDataAccess]\n",
       "test.yaml:6:15: unknown severity 'fatal'"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n    actions: [s3:GetObject]\n",
       "test.yaml:6:15: s3:GetObject is authorised on resource types accesspointobject, object, "
       "but "
       "none of the resources of group 'a' is of those types (the group lists no resources)"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n    actions: [s3:GetObject]\n"
       "    resources: ['${x}']\n",
       "test.yaml:7:18: unknown variable 'x'"},
      {"name: t\nvariables:\n  x: {type: string, required: true}\ngroups:\n  - id: a\n    title: "
       "A\n"
       "    origin: code\n    actions: [kms:Decrypt]\n    resources: ['${x}']\n",
       "test.yaml:9:17: resource '${x}' is not an ARN template; when a variable holds whole ARNs, "
       "give the resource type"},
      {"name: t\nvariables:\n  a: {default: '${b}'}\n  b: {default: '${a}'}\ngroups: []\n",
       "test.yaml:3:3: the defaults of these variables depend on each other: a -> b -> a"},
      {"name: t\nvariables:\n  a: {required: true, default: x}\ngroups: []\n",
       "test.yaml:3:32: required variable 'a' cannot have a default"},
      {"name: t\nvariables:\n  l: {type: list}\n  s: {default: '${l}'}\ngroups: []\n",
       "test.yaml:4:17: the default of a single-valued variable cannot use list variable 'l'"},
      {"name: t\nvariables:\n  s: {type: s3_location, default: 'bucket/x'}\ngroups: []\n",
       "test.yaml:3:35: default of 's': 'bucket/x' is not an S3 location"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n    actions: [s3:GetObject]\n"
       "    resources: ['arn:aws:s3:::b/${x.bucket}']\n",
       "test.yaml:7:33: unknown variable 'x'"},
      {"name: t\nvariables:\n  x: {}\ngroups:\n  - id: a\n    title: A\n    origin: code\n"
       "    actions: [s3:GetObject]\n    resources: ['arn:aws:s3:::b/${x.bucket}']\n",
       "test.yaml:9:33: '.bucket' needs an s3_location variable; 'x' is a string"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n"
       "    actions: [lakeformation:GetDataAccess]\n  - id: a\n    title: B\n    origin: code\n"
       "    actions: [lakeformation:GetDataAccess]\n",
       "test.yaml:7:9: duplicate group id 'a'"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    title: B\n    origin: code\n"
       "    actions: [lakeformation:GetDataAccess]\n",
       "test.yaml:5:5: duplicate key 'title' in group 'a'"},
      {"name: t\ngroups:\n  - id: a\n    title: A\n    origin: code\n"
       "    actions: [kms:Decrypt]\n    resources: [{arn: '*', typ: key}]\n",
       "test.yaml:7:28: unknown key 'typ' in a resource"},
  };
  for (const Case& c : cases) {
    const ProfileLoadResult r = LoadText(c.yaml);
    EXPECT_FALSE(r.profile) << c.yaml;
    EXPECT_THAT(Messages(r.errors), ::testing::Contains(HasSubstr(c.message))) << c.yaml;
  }
}

TEST(ProfileLoad, UserProfileFixture) {
  const Profile p = LoadProfile(testing::TestData("profiles/minimal.yaml"), TestCatalog());
  EXPECT_EQ(p.name(), "s3-backup");
  ASSERT_EQ(p.groups().size(), 2u);
  const ProfileGroup& enc = p.groups()[1];
  ASSERT_EQ(enc.resources.size(), 1u);
  EXPECT_EQ(enc.resources[0].type_hint, "key");
  const std::vector<Requirement> off = p.Requirements(p.Bind({Var("bucket", "bk")}));
  EXPECT_EQ(off.size(), 2u);
  const std::vector<Requirement> on = p.Requirements(
      p.Bind({Var("bucket", "bk"), Var("encrypt", "true"), Var("regions", "eu-west-1,us-east-1"),
              Var("key_arn", "arn:aws:kms:eu-west-1:111122223333:key/k")}));
  ASSERT_EQ(on.size(), 3u);
  EXPECT_EQ(on[2].severity, Severity::kWarning);
  EXPECT_TRUE(on[2].beyond_doc);
  using Entry = std::pair<std::string, std::vector<std::string>>;
  EXPECT_THAT(on[2].context,
              ElementsAre(Entry{"kms:ViaService",
                                {"s3.eu-west-1.amazonaws.com", "s3.us-east-1.amazonaws.com"}}));
}

TEST(ProfileLoad, UnknownBuiltinNameListsTheBuiltinOnes) {
  try {
    LoadProfile("dbt-athenaa", TestCatalog());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(),
                HasSubstr("unknown profile 'dbt-athenaa' (built-in profiles: dbt-athena"));
  }
}

}  // namespace
}  // namespace iam_audit
