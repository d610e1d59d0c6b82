// .iam-audit.yaml: discovery, every setting, per-path overrides, precedence
// against the command line, and located errors for anything wrong.
#include "config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr char kRoot[] = "/repo";

Config Parse(const std::string& text) { return ParseConfig(text, ".iam-audit.yaml", kRoot); }

// Every diagnostic of a configuration that must not load.
std::vector<std::string> Errors(const std::string& text) {
  try {
    Parse(text);
  } catch (const InputError& e) {
    std::vector<std::string> out;
    for (const Diagnostic& d : e.diagnostics()) out.push_back(d.ToString());
    if (out.empty()) out.push_back(e.what());
    return out;
  }
  ADD_FAILURE() << "expected errors for:\n" << text;
  return {};
}

std::vector<std::string> VarNames(const std::vector<VariableInput>& vars) {
  std::vector<std::string> out;
  for (const VariableInput& v : vars)
    out.push_back(v.name + "=" + ::testing::PrintToString(v.values));
  return out;
}

TEST(ConfigTest, EmptyFileMeansDefaults) {
  const Config c = Parse("");
  EXPECT_EQ(c.file, ".iam-audit.yaml");
  EXPECT_EQ(c.root, kRoot);
  EXPECT_FALSE(c.defaults.profile);
  EXPECT_FALSE(c.fail_on);
  EXPECT_THAT(c.suppressions, IsEmpty());
  EXPECT_THAT(Parse("# only a comment\n").overrides, IsEmpty());
}

TEST(ConfigTest, ReadsEverySetting) {
  const Config c = Parse(R"(profile: dbt-athena
vars:
  region_name: eu-west-1
  account_id: 012345678901
  write_databases: [analytics, staging]
  lake_formation: true
dbt-profiles:
  path: dbt/profiles.yml
  profile: acme
  target: prod
context:
  aws:SourceVpce: vpce-1
  aws:PrincipalTag/team: [data, platform]
each: true
fail-on: warning
baseline: .iam-audit-baseline.json
exclude: [tests/fixtures/, "!tests/fixtures/keep.json"]
)");
  EXPECT_EQ(c.defaults.profile, "dbt-athena");  // a built-in name stays a name
  ASSERT_EQ(c.defaults.vars.size(), 4u);
  EXPECT_EQ(c.defaults.vars[0].name, "region_name");
  EXPECT_EQ(c.defaults.vars[0].origin, ".iam-audit.yaml:3:16");
  EXPECT_THAT(c.defaults.vars[1].values, ElementsAre("012345678901"));  // the text as written
  EXPECT_FALSE(c.defaults.vars[1].sequence);
  EXPECT_THAT(c.defaults.vars[2].values, ElementsAre("analytics", "staging"));
  EXPECT_TRUE(c.defaults.vars[2].sequence);
  EXPECT_THAT(c.defaults.vars[3].values, ElementsAre("true"));
  ASSERT_TRUE(c.defaults.dbt);
  EXPECT_EQ(c.defaults.dbt->path, "/repo/dbt/profiles.yml");  // relative to the file
  EXPECT_EQ(c.defaults.dbt->profile, "acme");
  EXPECT_EQ(c.defaults.dbt->target, "prod");
  EXPECT_THAT(c.defaults.context, ElementsAre("aws:SourceVpce=vpce-1", "aws:PrincipalTag/team=data",
                                              "aws:PrincipalTag/team=platform"));
  EXPECT_EQ(c.defaults.each, true);
  EXPECT_EQ(c.fail_on, "warning");
  EXPECT_EQ(c.baseline, "/repo/.iam-audit-baseline.json");
  EXPECT_THAT(c.exclude, ElementsAre("tests/fixtures/", "!tests/fixtures/keep.json"));
}

TEST(ConfigTest, DbtProfilesMayBeJustAPath) {
  const Config c = Parse("dbt-profiles: ../dbt\n");
  ASSERT_TRUE(c.defaults.dbt);
  EXPECT_EQ(c.defaults.dbt->path, "/dbt");
  EXPECT_EQ(c.defaults.dbt->target, "");
}

TEST(ConfigTest, ProfileFilesAreRelativeToTheConfiguration) {
  EXPECT_EQ(Parse("profile: profiles/etl.yaml\n").defaults.profile, "/repo/profiles/etl.yaml");
  EXPECT_EQ(Parse("profile: ./etl.yaml\n").defaults.profile, "/repo/etl.yaml");
  EXPECT_EQ(Parse("profile: /abs/etl.yaml\n").defaults.profile, "/abs/etl.yaml");
}

TEST(ConfigTest, UnknownKeysAreLocatedWithSuggestions) {
  EXPECT_THAT(
      Errors("profile: dbt-athena\nfail_on: error\n"),
      ElementsAre(".iam-audit.yaml:2:1: unknown key 'fail_on' in the configuration (did "
                  "you mean 'fail-on'?) (expected one of: profile, vars, dbt-profiles, "
                  "context, each, fail-on, baseline, exclude, overrides, suppressions, checks)"));
  EXPECT_THAT(Errors("overrides:\n  - paths: a/**\n    profil: x\n"),
              ElementsAre(HasSubstr(".iam-audit.yaml:3:5: unknown key 'profil' in an overrides "
                                    "entry (did you mean 'profile'?)")));
  EXPECT_THAT(Errors("dbt-profiles: {path: p, tagret: t}\n"),
              ElementsAre(HasSubstr(":1:25: unknown key 'tagret' in dbt-profiles")));
  EXPECT_THAT(
      Errors("suppressions:\n  - {id: unknown-action, paths: x, reason: r, until: 2030-01-01}\n"),
      ElementsAre(HasSubstr(":2:47: unknown key 'until' in a suppression")));
}

TEST(ConfigTest, WrongTypesAreLocated) {
  EXPECT_THAT(Errors("profile: [a, b]\n"),
              ElementsAre(".iam-audit.yaml:1:10: profile must be a non-empty string, not a list"));
  EXPECT_THAT(Errors("each: yes\n"),
              ElementsAre(".iam-audit.yaml:1:7: each must be true or false"));
  EXPECT_THAT(Errors("fail-on: fatal\n"),
              ElementsAre(".iam-audit.yaml:1:10: fail-on must be one of error, warning, note, "
                          "never, not 'fatal'"));
  EXPECT_THAT(Errors("vars: [a]\n"), ElementsAre(HasSubstr(":1:7: vars must be a mapping")));
  EXPECT_THAT(Errors("vars:\n  schema: {a: b}\n"),
              ElementsAre(HasSubstr(":2:11: variable 'schema' must be a string or a list")));
  EXPECT_THAT(Errors("vars:\n  schema:\n"),
              ElementsAre(HasSubstr(":2:3: variable 'schema' must be a string or a list of "
                                    "strings, not nothing")));
  EXPECT_THAT(Errors("exclude: {a: b}\n"),
              ElementsAre(HasSubstr(":1:10: exclude must be a string or a non-empty list")));
  EXPECT_THAT(Errors("overrides: {paths: x}\n"),
              ElementsAre(HasSubstr(":1:12: overrides must be a list")));
  EXPECT_THAT(Errors("context: {'aws:SourceVpc': }\n"),
              ElementsAre(HasSubstr("context key 'aws:SourceVpc' needs a value")));
  EXPECT_THAT(Errors("- a\n- b\n"),
              ElementsAre(".iam-audit.yaml:1:1: the configuration must be a mapping of settings, "
                          "not a list"));
}

TEST(ConfigTest, ReportsEveryProblemNotOnlyTheFirst) {
  const std::vector<std::string> errors = Errors(R"(profil: x
each: 3
suppressions:
  - id: no-such-finding
    paths: a.json
    reason: r
  - id: unknown-action
    paths: a.json
)");
  EXPECT_THAT(errors,
              ElementsAre(HasSubstr(":1:1: unknown key 'profil'"),
                          HasSubstr(":2:7: each must be true or false"),
                          HasSubstr(":4:9: unknown finding id 'no-such-finding'"),
                          HasSubstr(":7:5: a suppression needs 'reason' (why the finding is "
                                    "accepted)")));
}

TEST(ConfigTest, YamlSyntaxErrorsAreLocated) {
  EXPECT_THAT(Errors("profile: [a\n"), ElementsAre(HasSubstr(".iam-audit.yaml:")));
  EXPECT_THAT(Errors("profile: [a\n")[0], HasSubstr("invalid YAML"));
}

TEST(ConfigTest, DuplicateKeysAreErrors) {
  EXPECT_THAT(Errors("profile: a\nprofile: b\n"),
              ElementsAre(".iam-audit.yaml:2:1: duplicate key 'profile' in the configuration"));
}

TEST(ConfigTest, SuppressionsAreValidated) {
  const Config c = Parse(R"(suppressions:
  - id: [over-broad-action, over-broad-resource]
    paths: legacy/*.json
    action: "S3:*"
    resource: "arn:aws:s3:::legacy-*"
    reason: replaced in Q3
    expires: 2030-06-30
)");
  ASSERT_EQ(c.suppressions.size(), 1u);
  const Suppression& s = c.suppressions[0];
  EXPECT_THAT(s.ids, ElementsAre(FindingId::kOverBroadAction, FindingId::kOverBroadResource));
  EXPECT_THAT(s.paths, ElementsAre("legacy/*.json"));
  EXPECT_EQ(s.action_text, "S3:*");
  EXPECT_EQ(s.reason, "replaced in Q3");
  EXPECT_EQ(s.expires_text, "2030-06-30");
  EXPECT_EQ(s.file, ".iam-audit.yaml");
  EXPECT_EQ(s.where, (SourceLocation{2, 5}));

  EXPECT_THAT(Errors("suppressions:\n  - {id: '*', paths: a, reason: r}\n"),
              ElementsAre(HasSubstr(":2:10: a suppression names the finding ids it accepts; '*' "
                                    "is not one (to skip whole files, use 'exclude')")));
  EXPECT_THAT(Errors("suppressions:\n  - {id: missing-permision, paths: a, reason: r}\n"),
              ElementsAre(HasSubstr("unknown finding id 'missing-permision' (did you mean "
                                    "'missing-permission'")));
  EXPECT_THAT(Errors("suppressions:\n  - {id: unknown-action, paths: a, reason: '  '}\n"),
              ElementsAre(HasSubstr(":2:44: reason must say why the finding is accepted")));
  EXPECT_THAT(
      Errors("suppressions:\n  - {id: unknown-action, paths: a, reason: r, expires: 2023-02-29}\n"),
      ElementsAre(HasSubstr("expires must be a date YYYY-MM-DD, not '2023-02-29'")));
  EXPECT_THAT(Errors("suppressions:\n  - {id: unknown-action, reason: r}\n"),
              ElementsAre(HasSubstr("a suppression needs 'paths' (the files it applies to)")));
  EXPECT_THAT(Errors("suppressions:\n  - unknown-action\n"),
              ElementsAre(HasSubstr(":2:5: each suppression must be a mapping")));
}

TEST(ConfigTest, OverridesApplyInOrderOnTopOfTheDefaults) {
  const Config c = Parse(R"(profile: dbt-athena
vars: {region_name: eu-west-1, schema: analytics}
context: {aws:SourceVpce: vpce-1}
overrides:
  - paths: [marketing/**]
    vars: {schema: marketing}
  - paths: "*.tf.json"
    profile: other.yaml
    each: true
    context: {aws:SourceVpce: vpce-2}
  - paths: [marketing/legacy/]
    vars: {schema: legacy}
)");
  EXPECT_THAT(c.OverridesFor("/repo/marketing/a.json"), ElementsAre(0u));
  EXPECT_THAT(c.OverridesFor("/repo/marketing/legacy/x.tf.json"), ElementsAre(0u, 1u, 2u));
  EXPECT_THAT(c.OverridesFor("/repo/finance/a.json"), IsEmpty());
  EXPECT_THAT(c.OverridesFor("/elsewhere/marketing/a.json"), IsEmpty());

  const AuditSettings s = c.SettingsFor("/repo/marketing/legacy/x.tf.json");
  EXPECT_EQ(s.profile, "/repo/other.yaml");
  EXPECT_EQ(s.each, true);
  // Later values of a variable win when bound (Profile::Bind), so order matters.
  EXPECT_THAT(VarNames(s.vars),
              ElementsAre("region_name={ \"eu-west-1\" }", "schema={ \"analytics\" }",
                          "schema={ \"marketing\" }", "schema={ \"legacy\" }"));
  EXPECT_THAT(s.context, ElementsAre("aws:SourceVpce=vpce-2"));

  const AuditSettings plain = c.SettingsFor("/repo/finance/a.json");
  EXPECT_EQ(plain.profile, "dbt-athena");
  EXPECT_FALSE(plain.each);
  EXPECT_THAT(plain.context, ElementsAre("aws:SourceVpce=vpce-1"));

  EXPECT_THAT(Errors("overrides:\n  - profile: x\n"),
              ElementsAre(HasSubstr(":2:5: an overrides entry needs 'paths'")));
}

TEST(ConfigTest, PathsAreRelativeToTheConfigurationNotTheCurrentDirectory) {
  const Config c =
      Parse("exclude: [tests/fixtures/, '*.generated.json', '!keep.generated.json']\n");
  EXPECT_TRUE(c.Excluded("/repo/tests/fixtures/bad.json"));
  EXPECT_TRUE(c.Excluded("/repo/a/b/x.generated.json"));        // no '/': any depth
  EXPECT_FALSE(c.Excluded("/repo/a/keep.generated.json"));      // re-included
  EXPECT_FALSE(c.Excluded("/repo/src/tests/fixtures/x.json"));  // anchored at the root
  EXPECT_FALSE(c.Excluded("/repo/iam/policy.json"));
  EXPECT_EQ(c.Relative("/repo/iam/../iam/./p.json"), "iam/p.json");
  EXPECT_EQ(c.Relative("/other/p.json"), "../other/p.json");
  EXPECT_FALSE(Parse("").Excluded("/repo/x.json"));
}

TEST(ConfigTest, RelativeToRootResolvesAgainstTheCurrentDirectory) {
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(RelativeToRoot(cwd, "a/./b.json"), "a/b.json");
  EXPECT_EQ(RelativeToRoot(cwd, "./a.json"), "a.json");
  EXPECT_EQ(RelativeToRoot("", "/x/../y.json"), "/y.json");
}

TEST(ConfigTest, FindConfigWalksUpToTheRoot) {
  TempDir tmp;
  const std::filesystem::path deep = std::filesystem::path(tmp.path()) / "a" / "b" / "c";
  std::filesystem::create_directories(deep);
  WriteFile(tmp.File("a/.iam-audit.yaml"), "profile: dbt-athena\n");
  EXPECT_EQ(FindConfig(deep), tmp.File("a/.iam-audit.yaml"));
  EXPECT_EQ(FindConfig(std::filesystem::path(tmp.path()) / "a"), tmp.File("a/.iam-audit.yaml"));
  // Nothing above the temporary folder is ours to control, so only check that
  // a folder beside "a" does not see a/.iam-audit.yaml.
  std::filesystem::create_directories(std::filesystem::path(tmp.path()) / "z");
  const std::optional<std::string> beside = FindConfig(std::filesystem::path(tmp.path()) / "z");
  EXPECT_NE(beside, tmp.File("a/.iam-audit.yaml"));
  WriteFile(tmp.File("a/b/.iam-audit.yaml"), "");
  EXPECT_EQ(FindConfig(deep), tmp.File("a/b/.iam-audit.yaml"));  // the nearest wins
}

TEST(ConfigTest, LoadConfigTakesItsFolderAsRoot) {
  TempDir tmp;
  std::filesystem::create_directories(tmp.File("sub"));
  WriteFile(tmp.File("sub/.iam-audit.yaml"), "baseline: b.json\n");
  const Config c = LoadConfig(tmp.File("sub/.iam-audit.yaml"));
  EXPECT_EQ(c.root, tmp.File("sub"));
  EXPECT_EQ(c.baseline, tmp.File("sub/b.json"));
  EXPECT_THROW(LoadConfig(tmp.File("missing.yaml")), InputError);
}

TEST(ConfigTest, TheCommandLineOverridesTheConfiguration) {
  const Config c = Parse(R"(profile: dbt-athena
vars: {schema: analytics}
dbt-profiles: dbt/
context: {aws:SourceVpce: vpce-1, aws:SourceIp: 10.0.0.1}
)");
  CommandLineSettings none;
  ResolvedSettings r = ResolveSettings(c.defaults, none);
  EXPECT_EQ(r.profile, "dbt-athena");
  EXPECT_EQ(r.vars.dbt.path, "/repo/dbt/");
  EXPECT_THAT(VarNames(r.config_vars), ElementsAre("schema={ \"analytics\" }"));
  EXPECT_THAT(r.context, ElementsAre("aws:SourceVpce=vpce-1", "aws:SourceIp=10.0.0.1"));
  EXPECT_FALSE(r.each);

  CommandLineSettings cli;
  cli.profile = "other";
  cli.vars.vars = {"schema=cli"};
  cli.vars.dbt.path = "mine/profiles.yml";
  cli.context = {"AWS:SOURCEVPCE=vpce-9"};  // condition keys ignore case
  cli.each = true;
  r = ResolveSettings(c.defaults, cli);
  EXPECT_EQ(r.profile, "other");
  EXPECT_EQ(r.vars.dbt.path, "mine/profiles.yml");
  EXPECT_THAT(r.vars.vars, ElementsAre("schema=cli"));  // bound after config_vars: it wins
  EXPECT_THAT(r.context, ElementsAre("aws:SourceIp=10.0.0.1", "AWS:SOURCEVPCE=vpce-9"));
  EXPECT_TRUE(r.each);

  EXPECT_EQ(ResolveSettings(Parse("").defaults, none).profile, "");  // validate only
}

// The complete example in docs/configuration.md is a valid configuration.
TEST(ConfigTest, DocumentedExampleLoads) {
  // docs/configuration.md shows this file (`cat`, checked by docs_examples_test).
  const std::string file =
      std::string(IAM_AUDIT_SOURCE_DIR) + "/examples/configuration/.iam-audit.yaml";
  const Config c = Parse(ReadFile(file));
  EXPECT_TRUE(c.defaults.profile);
  EXPECT_FALSE(c.overrides.empty());
  EXPECT_FALSE(c.suppressions.empty());
  EXPECT_FALSE(c.exclude.empty());
  for (const Suppression& s : c.suppressions) {
    EXPECT_FALSE(s.ExpiredOn(Today())) << "the example's suppression expired: " << s.Describe();
  }
}

}  // namespace
}  // namespace iam_audit
