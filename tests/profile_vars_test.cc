#include "profile_vars.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "iam_audit/catalog.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Profile& DbtAthena() {
  static const Catalog catalog = Catalog::Embedded();
  static const Profile profile = LoadProfile("dbt-athena", catalog);
  return profile;
}

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string Fixture(const std::string& name) { return testing::TestData("profiles/dbt/" + name); }

std::map<std::string, std::vector<std::string>> Values(const std::vector<VariableInput>& inputs) {
  std::map<std::string, std::vector<std::string>> out;
  for (const VariableInput& in : inputs) out[in.name] = in.values;
  return out;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------------------
// --var

TEST(ParseVarAssignments, SplitsAtTheFirstEquals) {
  const std::vector<VariableInput> v = ParseVarAssignments({"a=1", " b =x=y", "c="});
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].name, "a");
  EXPECT_THAT(v[0].values, ElementsAre("1"));
  EXPECT_EQ(v[1].name, "b");
  EXPECT_THAT(v[1].values, ElementsAre("x=y"));
  EXPECT_THAT(v[2].values, ElementsAre(""));
  EXPECT_FALSE(v[0].sequence);
  EXPECT_EQ(v[0].origin, "--var a");
}

TEST(ParseVarAssignments, RejectsMalformed) {
  const std::string m = ErrorOf([] { ParseVarAssignments({"novalue", "=x"}); });
  EXPECT_THAT(m, HasSubstr("'novalue' is not KEY=VALUE"));
  EXPECT_THAT(m, HasSubstr("'=x' is not KEY=VALUE"));
}

// ---------------------------------------------------------------------------
// Jinja in profiles.yml values

std::string Render(const std::string& text, const EnvLookup& env, std::string* error = nullptr) {
  std::string e;
  std::size_t offset = 0;
  const std::optional<std::string> v = RenderDbtValue(text, env, &e, &offset);
  if (error) *error = v ? "" : e + " @" + std::to_string(offset);
  return v.value_or("<error>");
}

TEST(RenderDbtValue, EnvVarWithAndWithoutDefault) {
  const EnvLookup env = Env({{"BUCKET", "acme"}, {"EMPTY", ""}});
  EXPECT_EQ(Render("plain {text}", env), "plain {text}");
  EXPECT_EQ(Render("{{ env_var('BUCKET') }}", env), "acme");
  EXPECT_EQ(Render("s3://{{env_var(\"BUCKET\")}}/x/{{ env_var('NOPE', 'dflt') }}/", env),
            "s3://acme/x/dflt/");
  EXPECT_EQ(Render("{{ env_var('BUCKET', 'other') }}", env), "acme");
  EXPECT_EQ(Render("{{ env_var('EMPTY', 'x') }}", env), "");
  EXPECT_EQ(Render("{{ env_var('BUCKET') | as_text }}", env), "acme");
}

TEST(RenderDbtValue, ErrorsSayWhatIsWrongAndWhere) {
  const EnvLookup env = Env({});
  std::string error;
  Render("x {{ env_var('NOPE') }}", env, &error);
  EXPECT_EQ(error, "environment variable NOPE is not set and env_var('NOPE') has no default @2");
  Render("{{ var('catalog') }}", env, &error);
  EXPECT_THAT(error, HasSubstr("unsupported Jinja expression '{{ var('catalog') }}'"));
  Render("{{ env_var('A') | upper }}", env, &error);
  EXPECT_THAT(error, HasSubstr("unsupported Jinja expression"));
  Render("{% if target.name == 'prod' %}a{% endif %}", env, &error);
  EXPECT_THAT(error, HasSubstr("unsupported Jinja statement"));
  Render("{{ env_var('A'", env, &error);
  EXPECT_THAT(error, HasSubstr("unterminated '{{'"));
}

// ---------------------------------------------------------------------------
// profiles.yml

TEST(ReadDbtProfiles, DefaultTargetWithEnvVars) {
  DbtProfilesOptions o{Fixture("profiles.yml"), "", ""};
  const auto v = Values(ReadDbtProfiles(o, DbtAthena(), Env({{"DBT_SCHEMA", "analytics"}})));
  // target: "{{ env_var('DBT_TARGET', 'dev') }}" -> dev
  EXPECT_THAT(v.at("region_name"), ElementsAre("eu-west-1"));
  EXPECT_THAT(v.at("schema"), ElementsAre("analytics"));
  EXPECT_THAT(v.at("s3_staging_dir"), ElementsAre("s3://acme-athena-dev/results/"));
  EXPECT_THAT(v.at("s3_data_dir"), ElementsAre("s3://acme-lake-dev/dbt/"));
  EXPECT_THAT(v.at("work_group"), ElementsAre("analytics-dev"));
  EXPECT_THAT(v.at("database"), ElementsAre("awsdatacatalog"));
  // Fields no variable reads (threads, aws_profile_name) are not evaluated.
  EXPECT_EQ(v.count("account_id"), 0u);
}

TEST(ReadDbtProfiles, OriginsPointIntoTheFile) {
  DbtProfilesOptions o{Fixture("profiles.yml"), "", ""};
  for (const VariableInput& in :
       ReadDbtProfiles(o, DbtAthena(), Env({{"DBT_SCHEMA", "analytics"}}))) {
    if (in.name == "region_name") {
      EXPECT_THAT(in.origin, HasSubstr("profiles.yml:7:20"));
    }
  }
}

TEST(ReadDbtProfiles, TargetFromEnvironmentOrOption) {
  const EnvLookup env = Env({{"DBT_TARGET", "prod"}, {"AWS_REGION", "us-east-2"}});
  auto v = Values(ReadDbtProfiles({Fixture("profiles.yml"), "", ""}, DbtAthena(), env));
  EXPECT_THAT(v.at("region_name"), ElementsAre("us-east-2"));
  EXPECT_THAT(v.at("s3_tmp_table_dir"), ElementsAre("s3://acme-athena-prod/tmp/"));
  EXPECT_THAT(v.at("skip_workgroup_check"), ElementsAre("true"));
  EXPECT_THAT(v.at("lf_tags_database"), ElementsAre("true"));  // lf_tags_database: {team: data}
  v = Values(ReadDbtProfiles({Fixture("profiles.yml"), "analytics", "prod"}, DbtAthena(),
                             Env({{"AWS_REGION", "ap-south-1"}})));
  EXPECT_THAT(v.at("schema"), ElementsAre("analytics"));
  EXPECT_THAT(v.at("region_name"), ElementsAre("ap-south-1"));
}

TEST(ReadDbtProfiles, UnsetEnvVarIsAnErrorNamingTheVar) {
  const std::string m = ErrorOf([] {
    ReadDbtProfiles({Fixture("profiles.yml"), "", "dev"}, DbtAthena(), Env({}));
  });
  EXPECT_THAT(m, HasSubstr("profiles.yml:9:16: environment variable DBT_SCHEMA is not set"));
  EXPECT_THAT(m, HasSubstr("pass --var schema=VALUE instead"));
  // Given with --var, the field is not read at all.
  EXPECT_NO_THROW(
      ReadDbtProfiles({Fixture("profiles.yml"), "", "dev"}, DbtAthena(), Env({}), {"schema"}));
}

TEST(ReadDbtProfiles, ChoosingTheProfile) {
  EXPECT_THAT(ErrorOf([] {
                ReadDbtProfiles({Fixture("two_profiles.yml"), "", ""}, DbtAthena(), Env({}));
              }),
              HasSubstr("the file has 2 profiles (warehouse, marketing): choose one with "
                        "--dbt-profile NAME"));
  EXPECT_THAT(ErrorOf([] {
                ReadDbtProfiles({Fixture("two_profiles.yml"), "sales", ""}, DbtAthena(), Env({}));
              }),
              HasSubstr("no profile 'sales' (profiles: warehouse, marketing)"));
  const auto v =
      Values(ReadDbtProfiles({Fixture("two_profiles.yml"), "warehouse", ""}, DbtAthena(), Env({})));
  EXPECT_THAT(v.at("schema"), ElementsAre("wh"));
  EXPECT_THAT(v.at("s3_staging_dir"), ElementsAre("s3://wh-results/"));
}

TEST(ReadDbtProfiles, ChoosingTheTarget) {
  // No `target:`: dbt uses "default".
  const auto v = Values(ReadDbtProfiles({Fixture("two_profiles.yml"), "marketing", ""}, DbtAthena(),
                                        Env({}), {"database"}));
  EXPECT_THAT(v.at("region_name"), ElementsAre("us-west-2"));
  EXPECT_THAT(
      ErrorOf([] {
        ReadDbtProfiles({Fixture("two_profiles.yml"), "warehouse", "prod"}, DbtAthena(), Env({}));
      }),
      HasSubstr("profile 'warehouse' has no target 'prod' (targets: dev); choose one "
                "with --dbt-target NAME"));
  EXPECT_THAT(
      ErrorOf([] {
        ReadDbtProfiles({Fixture("two_profiles.yml"), "marketing", "snow"}, DbtAthena(), Env({}));
      }),
      HasSubstr("target 'snow' is a 'snowflake' connection; profile dbt-athena reads "
                "'athena' targets"));
}

TEST(ReadDbtProfiles, OtherJinjaTellsWhichVarToPass) {
  const std::string m = ErrorOf([] {
    ReadDbtProfiles({Fixture("two_profiles.yml"), "marketing", ""}, DbtAthena(), Env({}));
  });
  EXPECT_THAT(m, HasSubstr("two_profiles.yml:14:18: unsupported Jinja expression "
                           "'{{ var('catalog') }}'"));
  EXPECT_THAT(m, HasSubstr("pass --var database=VALUE instead"));
}

TEST(ReadDbtProfiles, FolderHoldingProfilesYml) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("profiles.yml"),
                     "p:\n  target: t\n  outputs:\n    t:\n      type: athena\n"
                     "      schema: [a, b]\n");
  // A list where a single value is expected is reported when binding.
  const std::vector<VariableInput> in = ReadDbtProfiles({dir.path(), "", ""}, DbtAthena(), Env({}));
  ASSERT_EQ(in.size(), 1u);
  EXPECT_TRUE(in[0].sequence);
  EXPECT_THAT(in[0].values, ElementsAre("a", "b"));
  EXPECT_THAT(ErrorOf([&] { DbtAthena().Bind(in); }),
              HasSubstr("'schema' takes a single string value, not a list of 2"));
  EXPECT_THAT(ErrorOf([] {
                ReadDbtProfiles({"/nonexistent/profiles.yml", "", ""}, DbtAthena(), Env({}));
              }),
              HasSubstr("/nonexistent/profiles.yml: cannot read the dbt profiles file"));
}

TEST(ReadDbtProfiles, SyntaxErrorHasALocation) {
  EXPECT_THAT(ErrorOf([] {
                ReadDbtProfilesText("p:\n  outputs: [\n", "bad.yml", {}, DbtAthena(), Env({}));
              }),
              HasSubstr("bad.yml:3:1: invalid YAML"));
}

// ---------------------------------------------------------------------------
// Everything together

TEST(ResolveVariables, VarOverridesTheFileAndRequiredOnesAreChecked) {
  VariableOptions o;
  o.dbt = {Fixture("profiles.yml"), "", ""};
  o.vars = {"account_id=111122223333", "schema=from_cli", "read_databases=raw,ext"};
  const Bindings b = ResolveVariables(DbtAthena(), o, Env({}));
  EXPECT_THAT(b.at("schema").items, ElementsAre("from_cli"));
  EXPECT_THAT(b.at("region_name").items, ElementsAre("eu-west-1"));
  EXPECT_THAT(b.at("region_name").origin, HasSubstr("profiles.yml:7:20"));
  EXPECT_THAT(b.at("read_databases").items, ElementsAre("raw", "ext"));

  o.vars = {"schema=x"};
  const std::string m = ErrorOf([&] { ResolveVariables(DbtAthena(), o, Env({})); });
  EXPECT_THAT(m, HasSubstr("missing required variable 'account_id'"));
  EXPECT_THAT(m, HasSubstr("pass --var account_id=VALUE"));
}

// Issue 14 defect 11: an AWS account ID is 12 digits, whether it comes from
// --var, profiles.yml or the configuration (and for catalog_account_id too).
TEST(ResolveVariables, AnAccountIdIsTwelveDigitsWhereverItComesFrom) {
  const std::vector<std::string> rest = {"region_name=eu-west-1", "schema=a",
                                         "s3_staging_dir=s3://b/p/"};
  VariableOptions o;
  o.vars = rest;
  o.vars.push_back("account_id=1");
  std::string m = ErrorOf([&] { ResolveVariables(DbtAthena(), o, Env({})); });
  EXPECT_THAT(m, HasSubstr("'account_id' must be an AWS account ID of 12 digits, not '1' (from "
                           "--var account_id)"));
  o.vars.back() = "account_id=11112222333a";
  EXPECT_THAT(ErrorOf([&] { ResolveVariables(DbtAthena(), o, Env({})); }),
              HasSubstr("not '11112222333a'"));
  o.vars.back() = "catalog_account_id=44445555666";
  o.vars.push_back("account_id=111122223333");
  EXPECT_THAT(ErrorOf([&] { ResolveVariables(DbtAthena(), o, Env({})); }),
              HasSubstr("'catalog_account_id' must be an AWS account ID of 12 digits"));
  o.vars.erase(o.vars.end() - 2);
  EXPECT_EQ(ResolveVariables(DbtAthena(), o, Env({})).at("catalog_account_id").items.front(),
            "111122223333");

  const testing::TempDir dir;
  testing::WriteFile(dir.File("profiles.yml"), R"(acme:
  outputs:
    default:
      type: athena
      region_name: eu-west-1
      schema: analytics
      s3_staging_dir: s3://acme-athena-results/dbt/
      account_id: "1"
)");
  o.vars.clear();
  o.dbt = {dir.File("profiles.yml"), "", ""};
  m = ErrorOf([&] { ResolveVariables(DbtAthena(), o, Env({})); });
  EXPECT_THAT(m, HasSubstr("not '1' (from " + dir.File("profiles.yml") + ":8:19)"));

  o.dbt = {};
  o.vars = rest;
  const std::vector<VariableInput> config = {
      {"account_id", {"123"}, false, ".iam-audit.yaml:4:15"}};
  m = ErrorOf([&] { ResolveVariables(DbtAthena(), o, config, Env({})); });
  EXPECT_THAT(m, HasSubstr("not '123' (from .iam-audit.yaml:4:15)"));
}

// Issue 14 defect 11: a value from the user's profiles.yml that is no ARN of
// its type is blamed on profiles.yml, not on the profile's template.
TEST(ResolveVariables, AnInvalidArnFromProfilesYmlIsBlamedOnProfilesYml) {
  const testing::TempDir dir;
  testing::WriteFile(dir.File("profiles.yml"), R"(acme:
  outputs:
    default:
      type: athena
      region_name: eu-west-1
      schema: analytics
      s3_staging_dir: s3://acme-athena-results/dbt/
      assume_role_arn: "arn:aws:iam:bad"
)");
  VariableOptions o;
  o.dbt = {dir.File("profiles.yml"), "", ""};
  o.vars = {"account_id=111122223333"};
  const Bindings b = ResolveVariables(DbtAthena(), o, Env({}));
  std::string m = ErrorOf([&] { DbtAthena().Requirements(b); });
  EXPECT_THAT(m, HasSubstr(dir.File("profiles.yml") +
                           ":8:24: assume_role_arn gives 'arn:aws:iam:bad', which is not an ARN of "
                           "resource type sts:role"));
  EXPECT_THAT(m, HasSubstr("(the profile uses it at "));
  EXPECT_THAT(m, ::testing::Not(HasSubstr(" (from ")));
  // Given with --var, it is blamed on --var.
  o.vars.push_back("assume_role_arn=arn:aws:iam:bad");
  m = ErrorOf([&] { DbtAthena().Requirements(ResolveVariables(DbtAthena(), o, Env({}))); });
  EXPECT_THAT(m, HasSubstr("--var assume_role_arn gives 'arn:aws:iam:bad', which is not an ARN"));
}

}  // namespace
}  // namespace iam_audit
