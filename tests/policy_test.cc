#include "iam_audit/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "iam_audit/json.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// "LINE:COLUMN: message" for each diagnostic.
std::vector<std::string> Lines(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) {
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                  d.message);
  }
  return out;
}

std::vector<std::string> Values(const std::vector<LocatedString>& list) {
  std::vector<std::string> out;
  for (const LocatedString& s : list) out.push_back(s.value);
  return out;
}

SourceLocation At(int line, int column) { return SourceLocation{line, column}; }

// Parses a policy that must be valid.
Policy Valid(const std::string& text) {
  PolicyParseResult r = ParsePolicy(text, "p.json");
  EXPECT_THAT(Lines(r.errors), IsEmpty());
  EXPECT_TRUE(r.policy.has_value());
  return r.policy.value_or(Policy{});
}

// The errors of a policy that must be invalid.
std::vector<std::string> ErrorsOf(const std::string& text) {
  PolicyParseResult r = ParsePolicy(text, "p.json");
  EXPECT_FALSE(r.policy.has_value());
  return Lines(r.errors);
}

// A statement body inside a minimal policy, on line 2 from column 1.
std::string InStatement(const std::string& body) {
  return "{\"Version\": \"2012-10-17\", \"Statement\": [\n" + body + "\n]}";
}

TEST(PolicyTest, ParsesAnIdentityPolicyWithLocations) {
  const Policy p = Valid(R"({
  "Version": "2012-10-17",
  "Id": "example",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:List*"],
      "Resource": "arn:aws:s3:::bucket/*"
    },
    {
      "Effect": "Deny",
      "NotAction": "iam:*",
      "NotResource": ["arn:aws:iam::*:role/x", "*"]
    }
  ]
})");
  EXPECT_EQ(p.file, "p.json");
  EXPECT_EQ(p.where, At(1, 1));
  ASSERT_TRUE(p.version);
  EXPECT_EQ(p.version->value, "2012-10-17");
  EXPECT_EQ(p.version->where, At(2, 14));
  EXPECT_EQ(p.id->value, "example");
  EXPECT_TRUE(p.SupportsVariables());
  ASSERT_THAT(p.statements, SizeIs(2));

  const Statement& s0 = p.statements[0];
  EXPECT_EQ(s0.index, 0);
  EXPECT_EQ(s0.where, At(5, 5));
  EXPECT_EQ(s0.sid->value, "Read");
  EXPECT_EQ(s0.sid->where, At(6, 14));
  EXPECT_EQ(s0.effect, Effect::kAllow);
  EXPECT_EQ(s0.effect_where, At(7, 7));
  EXPECT_FALSE(s0.not_action);
  EXPECT_EQ(s0.actions_where, At(8, 7));
  EXPECT_THAT(Values(s0.actions), ElementsAre("s3:GetObject", "s3:List*"));
  EXPECT_EQ(s0.actions[1].where, At(8, 34));
  EXPECT_TRUE(s0.has_resource);
  EXPECT_FALSE(s0.not_resource);
  EXPECT_EQ(s0.resources_where, At(9, 7));
  EXPECT_THAT(Values(s0.resources), ElementsAre("arn:aws:s3:::bucket/*"));
  EXPECT_FALSE(s0.principal);
  EXPECT_THAT(s0.conditions, IsEmpty());

  const Statement& s1 = p.statements[1];
  EXPECT_EQ(s1.index, 1);
  EXPECT_FALSE(s1.sid);
  EXPECT_EQ(s1.effect, Effect::kDeny);
  EXPECT_TRUE(s1.not_action);
  EXPECT_THAT(Values(s1.actions), ElementsAre("iam:*"));
  EXPECT_TRUE(s1.not_resource);
  EXPECT_THAT(Values(s1.resources), ElementsAre("arn:aws:iam::*:role/x", "*"));
}

TEST(PolicyTest, StatementMayBeASingleObject) {
  const Policy p = Valid(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})");
  ASSERT_THAT(p.statements, SizeIs(1));
  EXPECT_EQ(p.statements[0].where, At(1, 15));
  EXPECT_FALSE(p.version);
  EXPECT_FALSE(p.SupportsVariables());
}

TEST(PolicyTest, OnlyVersion2012SupportsVariables) {
  EXPECT_TRUE(Valid(R"({"Version": "2012-10-17", "Statement": []})").SupportsVariables());
  EXPECT_FALSE(Valid(R"({"Version": "2008-10-17", "Statement": []})").SupportsVariables());
  EXPECT_FALSE(Valid(R"({"Statement": []})").SupportsVariables());
}

TEST(PolicyTest, ResourcePolicyWithPrincipals) {
  const Policy p = Valid(R"({"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "444455556666"],
  "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
{"Effect": "Deny", "NotPrincipal": {"Federated": "cognito-identity.amazonaws.com",
  "CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}, "Action": "s3:*", "Resource": "*"}]})");
  ASSERT_THAT(p.statements, SizeIs(3));
  ASSERT_TRUE(p.statements[0].principal);
  EXPECT_TRUE(p.statements[0].principal->wildcard);
  EXPECT_EQ(p.statements[0].principal->where, At(2, 21));
  EXPECT_FALSE(p.statements[0].not_principal);

  const PrincipalSpec& two = *p.statements[1].principal;
  EXPECT_FALSE(two.wildcard);
  EXPECT_THAT(Values(two.by_type.at("AWS")),
              ElementsAre("arn:aws:iam::111122223333:root", "444455556666"));
  EXPECT_THAT(Values(two.by_type.at("Service")), ElementsAre("lambda.amazonaws.com"));
  EXPECT_FALSE(p.statements[1].has_resource);

  EXPECT_TRUE(p.statements[2].not_principal);
  EXPECT_THAT(Values(p.statements[2].principal->by_type.at("CanonicalUser")),
              ElementsAre("79a59df900b949e55d96a1e698fbaced"));
}

TEST(PolicyTest, ConditionValuesKeepTheirJsonText) {
  const Policy p = Valid(InStatement(R"({"Effect": "Allow", "Action": "s3:*", "Resource": "*",
"Condition": {"Bool": {"aws:SecureTransport": true},
  "NumericLessThan": {"s3:max-keys": 10.50},
  "ForAnyValue:StringLike": {"aws:TagKeys": ["team-*", "env"], "aws:RequestTag/x": "y"}}})"));
  const Statement& s = p.statements[0];
  EXPECT_EQ(s.conditions_where, At(3, 1));
  ASSERT_THAT(s.conditions, SizeIs(4));
  EXPECT_EQ(s.conditions[0].op.value, "Bool");
  EXPECT_EQ(s.conditions[0].op.where, At(3, 15));
  EXPECT_EQ(s.conditions[0].key.value, "aws:SecureTransport");
  EXPECT_EQ(s.conditions[0].key.where, At(3, 24));
  EXPECT_THAT(Values(s.conditions[0].values), ElementsAre("true"));
  EXPECT_THAT(Values(s.conditions[1].values), ElementsAre("10.50"));
  EXPECT_EQ(s.conditions[2].op.value, "ForAnyValue:StringLike");
  EXPECT_THAT(Values(s.conditions[2].values), ElementsAre("team-*", "env"));
  EXPECT_EQ(s.conditions[2].values[1].where, At(5, 56));
  EXPECT_EQ(s.conditions[3].key.value, "aws:RequestTag/x");
  EXPECT_THAT(Values(s.conditions[3].values), ElementsAre("y"));
}

TEST(PolicyTest, AcceptsLatin1CharactersButNotBeyond) {
  Valid(
      InStatement("{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": "
                  "\"arn:aws:s3:::b/caf\xC3\xA9\"}"));
  EXPECT_THAT(
      ErrorsOf(InStatement("{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", "
                           "\"Resource\": \"arn:aws:s3:::b/\xE2\x80\x99\"}")),
      ElementsAre("2:63: character U+2019 in Resource is not allowed in IAM policies (IAM accepts "
                  "only tab, line feed, carriage return and U+0020 to U+00FF)"));
  EXPECT_THAT(ErrorsOf(InStatement(
                  R"({"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/\u0001"})")),
              ElementsAre(StartsWith("2:51: character U+0001 in Resource is not allowed")));
}

TEST(PolicyTest, ReportsEveryErrorInOnePass) {
  EXPECT_THAT(
      ErrorsOf(R"({"Version": "2012-10-18", "statement": [], "Statement": [
{"effect": "Allow", "Action": "s3GetObject", "Resource": "bucket"},
{"Effect": "allow", "Action": [1], "NotAction": "s3:*", "Condition": []}]})"),
      ElementsAre(
          "1:13: unsupported Version '2012-10-18': IAM accepts only '2012-10-17' (current) and "
          "'2008-10-17'",
          "1:27: unknown top-level element 'statement' (did you mean 'Statement'?)",
          "2:1: the statement has no Effect (it must be 'Allow' or 'Deny')",
          "2:2: unknown statement element 'effect' (did you mean 'Effect'?)",
          "2:31: action 's3GetObject' has no ':' between service prefix and action name",
          "2:58: Resource 'bucket' must be '*' or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:"
          "RESOURCE)",
          "3:12: Effect must be 'Allow' or 'Deny', found 'allow' (did you mean 'Allow'?)",
          "3:32: Action entries must be strings, found number",
          "3:36: a statement cannot have both Action and NotAction",
          "3:70: Condition must be an object of {operator: {key: value}}, found array"));
}

TEST(PolicyTest, StructureErrors) {
  EXPECT_THAT(ErrorsOf("[]"),
              ElementsAre("1:1: a policy document must be a JSON object, found array"));
  EXPECT_THAT(ErrorsOf(R"({"Version": "2012-10-17"})"),
              ElementsAre("1:1: the policy has no Statement element"));
  EXPECT_THAT(
      ErrorsOf(R"({"Statement": "x"})"),
      ElementsAre("1:15: Statement must be an object or an array of objects, found string"));
  EXPECT_THAT(ErrorsOf(R"({"Statement": [[]]})"),
              ElementsAre("1:16: a statement must be a JSON object, found array"));
  EXPECT_THAT(ErrorsOf(R"({"Statement": {"Effect": "Allow"}})"),
              ElementsAre("1:15: the statement has neither Action nor NotAction"));
  EXPECT_THAT(ErrorsOf(R"({"Version": 2012, "Id": ["x"], "Statement": []})"),
              ElementsAre("1:13: Version must be a string, found number",
                          "1:25: Id must be a string, found array"));
  EXPECT_THAT(
      ErrorsOf(R"({"Statement": [], "Foo": 1})"),
      ElementsAre("1:19: unknown top-level element 'Foo' (expected Version, Id or Statement)"));
}

TEST(PolicyTest, StatementElementErrors) {
  EXPECT_THAT(ErrorsOf(InStatement(
                  R"({"Sid": 1, "Effect": true, "Action": {}, "Resource": 5, "Actions": 1})")),
              ElementsAre("2:9: Sid must be a string, found number",
                          "2:22: Effect must be a string, found boolean",
                          "2:38: Action must be a string or an array of strings, found object",
                          "2:54: Resource must be a string or an array of strings, found number",
                          "2:57: unknown statement element 'Actions' (did you mean 'Action'?)"));
  EXPECT_THAT(
      ErrorsOf(InStatement(R"({"Effect": "Allow", "Action": "*", "Resource": "*",
"NotResource": "*", "Principal": "*", "NotPrincipal": "*", "Condtion": {}})")),
      ElementsAre("3:1: a statement cannot have both Resource and NotResource",
                  "3:39: a statement cannot have both Principal and NotPrincipal",
                  "3:60: unknown statement element 'Condtion' (did you mean 'Condition'?)"));
}

TEST(PolicyTest, ActionErrorsComeFromActionPattern) {
  EXPECT_THAT(ErrorsOf(InStatement(
                  R"({"Effect": "Allow", "Action": ["", "s3: Get", "s3:a:b", ":x", "s3:"]})")),
              ElementsAre("2:32: empty action", "2:36: action 's3: Get' contains whitespace",
                          "2:47: action 's3:a:b' has more than one ':'",
                          "2:57: action ':x' has an empty service prefix",
                          "2:63: action 's3:' has an empty action name"));
}

TEST(PolicyTest, PrincipalErrors) {
  EXPECT_THAT(
      ErrorsOf(
          InStatement(R"({"Effect": "Allow", "Action": "s3:*", "Principal": "arn:aws:iam::1:root"},
{"Effect": "Allow", "Action": "s3:*", "Principal": {"aws": "x", "Service": [1]}},
{"Effect": "Allow", "Action": "s3:*", "NotPrincipal": ["*"]})")),
      ElementsAre("2:52: Principal must be '*' or an object such as {\"AWS\": \"ARN\"}, found "
                  "'arn:aws:iam::1:root'",
                  "3:53: unknown Principal type 'aws' (did you mean 'AWS'?)",
                  "3:77: Service entries must be strings, found number",
                  "4:55: NotPrincipal must be '*' or an object, found array"));
}

TEST(PolicyTest, ConditionErrors) {
  EXPECT_THAT(
      ErrorsOf(InStatement(R"({"Effect": "Allow", "Action": "s3:*", "Condition": {
"StringEqual": {"a:b": "x"},
"stringEquals": {"a:b": "x"},
"StringLike": "x",
"ForAnyValue:StringLike": {"aws:TagKeys": [["x"]], "k:a": null, "k:b": {}, "K:A": "y"}}})")),
      ElementsAre("3:1: unknown condition operator 'StringEqual' (did you mean 'StringEquals'?)",
                  "4:1: condition operator 'stringEquals' must be written 'StringEquals' "
                  "(operator names are case-sensitive)",
                  "5:15: the body of condition operator 'StringLike' must be an object of {key: "
                  "value}, found string",
                  "6:44: condition values must be strings, booleans or numbers, found array",
                  "6:59: condition values must be strings, booleans or numbers, found null",
                  "6:72: condition values must be strings, booleans or numbers, found object",
                  "6:76: condition key 'K:A' repeats 'k:a' (at 6:52): condition keys are "
                  "case-insensitive"));
}

TEST(PolicyTest, WarningsLeaveThePolicyValid) {
  PolicyParseResult r = ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
{"Sid": "Read-Only", "Effect": "Allow", "Action": [], "Resource": []},
{"Sid": "Read-Only", "Effect": "Deny", "NotAction": [], "NotResource": [], "Principal": {"AWS": []}},
{"Effect": "Allow", "Action": "s3:*", "Principal": {}, "Condition": {"StringEquals": {"a:b": []}}}]})",
                                    "p.json");
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_TRUE(r.policy);
  EXPECT_THAT(
      Lines(r.warnings),
      ElementsAre(
          "2:9: Sid 'Read-Only' has characters other than A-Z, a-z and 0-9: IAM rejects it in "
          "identity policies (some resource policies accept it)",
          "2:51: empty Action list: the statement applies to no action",
          "2:67: empty Resource list: the statement applies to no resource",
          "3:9: Sid 'Read-Only' has characters other than A-Z, a-z and 0-9: IAM rejects it in "
          "identity policies (some resource policies accept it)",
          "3:9: duplicate Sid 'Read-Only' (first at 2:9): IAM requires unique Sids",
          "3:53: empty NotAction list: the statement applies to every action",
          "3:72: empty NotResource list: the statement applies to every resource",
          "3:97: empty AWS list: it names no principal",
          "4:52: empty Principal object: it names no principal",
          "4:94: empty list of values for condition key 'a:b'"));
  EXPECT_THAT(Lines(ParsePolicy(R"({"Statement": []})", "p.json").warnings),
              ElementsAre("1:15: empty Statement list: the policy has no effect"));
}

TEST(PolicyTest, JsonErrorsInvalidateThePolicyAndAreMergedInOrder) {
  PolicyParseResult r = ParsePolicy(
      "{\"Statement\": {\"Effect\": \"Allow\",\n\"Effect\": \"Deny\", "
      "\"Action\": \"s3:*\", \"Resource\": \"x\"}}",
      "p.json");
  EXPECT_FALSE(r.policy);
  EXPECT_THAT(Lines(r.errors),
              ElementsAre(StartsWith("2:1: duplicate key 'Effect' (first at 1:16)"),
                          StartsWith("2:49: Resource 'x' must be '*' or an ARN")));
  // After a syntax error only the JSON errors are known.
  PolicyParseResult bad = ParsePolicy("{\"Statement\": [}", "p.json");
  EXPECT_THAT(Lines(bad.errors), ElementsAre("1:16: expected a JSON value, found '}'"));
  EXPECT_THAT(bad.errors[0].file, "p.json");
}

TEST(PolicyTest, PolicyFromJsonUsesTheValuesLocations) {
  json::ParseResult parsed =
      json::Parse(R"({"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}})",
                  "template.json");
  ASSERT_TRUE(parsed.ok());
  PolicyParseResult r = PolicyFromJson(*parsed.value().Find("PolicyDocument"), "template.json");
  ASSERT_TRUE(r.policy);
  EXPECT_EQ(r.policy->file, "template.json");
  EXPECT_EQ(r.policy->where, At(1, 20));
  EXPECT_EQ(r.policy->statements[0].actions[0].where, At(1, 65));
}

TEST(PolicyTest, HostileInputIsBounded) {
  // 200,000 unknown elements: reading stops after json::kMaxErrors errors.
  std::string text = "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\"";
  for (int i = 0; i < 200000; ++i) text += ",\"x" + std::to_string(i) + "\":1";
  text += "}}";
  PolicyParseResult r = ParsePolicy(text, "p.json");
  ASSERT_THAT(r.errors, SizeIs(json::kMaxErrors + 1));
  EXPECT_EQ(r.errors.back().message, "too many errors (100); stopped");

  // Many statements with the same Sid: warnings are capped too.
  std::string sids = "{\"Statement\": [";
  for (int i = 0; i < 5000; ++i) sids += "{\"Sid\":\"a\",\"Effect\":\"Allow\",\"Action\":\"*\"},";
  sids.back() = ']';
  sids += "}";
  PolicyParseResult w = ParsePolicy(sids, "p.json");
  ASSERT_TRUE(w.policy);
  EXPECT_THAT(w.policy->statements, SizeIs(5000));
  ASSERT_THAT(w.warnings, SizeIs(json::kMaxErrors + 1));
  EXPECT_EQ(w.warnings.back().message, "4899 more warnings not shown");
}

// Corpus files that IAM itself would reject: the AWS documentation examples
// and Terraform extracts put placeholders where an ARN belongs (the corpus
// README: "names and accounts replaced where they were variables"). IAM
// answers "Resource ... must be in ARN format or \"*\"", and so do we.
struct KnownBadResource {
  std::string_view file;
  std::string_view resource;
};
constexpr KnownBadResource kPlaceholderResources[] = {
    {"awsdocs-athena-access-encrypted-data-glue-data-catalog-0.json",
     "(arn of the key used to encrypt the catalog)"},
    {"awsdocs-glue-aws-glue-programming-etl-dynamo-db-cross-account-0.json", "example"},
    {"awsdocs-glue-encrypt-glue-data-catalog-0.json", "ARN-of-key-used-to-encrypt-data-catalog"},
    {"awsdocs-glue-set-up-encryption-0.json", "1234abcd-12ab-34cd-56ef-1234567890ab"},
    {"awsdocs-glue-set-up-encryption-1.json", "1234abcd-12ab-34cd-56ef-1234567890ab"},
    {"awsdocs-glue-set-up-encryption-2.json", "1234abcd-12ab-34cd-56ef-1234567890ab"},
    {"awsdocs-glue-set-up-encryption-3.json", "1234abcd-12ab-34cd-56ef-1234567890ab"},
    {"tf-aform-aws-analytical-platform-management-production-terraform-state-iam-policies-data-"
     "engineering-state-access.json",
     "example_table"},
    {"tf-orm-aws-analytical-platform-oidc-oidc-providers-analytical-platform-management-"
     "production-github-oidc-provider.json",
     "123456789012"},
    {"tf-s-analytical-platform-oidc-oidc-providers-analytical-platform-data-engineering-"
     "production-github-oidc-provider.json",
     "123456789012"},
    {"tf-terraform-aws-athena-partitions-iam-this.json", "aws"},
    {"tf-terraform-aws-athena-partitions-iam-this.json", "123456789012"},
    {"tf-tform-terraform-aws-analytical-platform-data-production-tooling-iam-datahub-iam-"
     "datahub-ingest-athena-datasets.json",
     "example-ingest-athena-nons3-local"},
};

std::vector<std::string> ExpectedCorpusErrors(const std::filesystem::path& path) {
  std::vector<std::string> out;
  for (const KnownBadResource& k : kPlaceholderResources) {
    if (path.parent_path().filename() == "custom" && path.filename() == k.file) {
      out.push_back("Resource '" + std::string(k.resource) +
                    "' must be '*' or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)");
    }
  }
  return out;
}

std::vector<std::string> Messages(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.message);
  return out;
}

// Every policy of the shared corpus (all AWS managed policies, customer
// policies and resource policies) parses, with no error but the known ones.
TEST(PolicyCorpusTest, EveryCorpusPolicyParses) {
  const std::optional<std::string> shared = testing::SharedDir();
  if (!shared) GTEST_SKIP() << "../shared/corpus is not present";
  const nlohmann::json stats =
      nlohmann::json::parse(testing::ReadFile(*shared + "/corpus/stats.json"));
  std::size_t warnings = 0, known_bad = 0;
  for (const char* folder : {"managed", "custom", "custom_resource"}) {
    std::size_t files = 0, statements = 0;
    const std::filesystem::path dir = std::filesystem::path(*shared) / "corpus" / folder;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json") continue;
      const std::string text = testing::ReadFile(entry.path().string());
      PolicyParseResult r = ParsePolicy(text, entry.path().string());
      const std::vector<std::string> expected = ExpectedCorpusErrors(entry.path());
      EXPECT_EQ(Messages(r.errors), expected) << entry.path();
      EXPECT_EQ(r.policy.has_value(), expected.empty()) << entry.path();
      known_bad += expected.size();
      warnings += r.warnings.size();
      ++files;
      const json::ParseResult doc = json::Parse(text, entry.path().string());
      const json::Value* s = doc.value().Find("Statement");
      ASSERT_NE(s, nullptr) << entry.path();
      statements += s->is_array() ? s->size() : 1;
    }
    // The corpus's own counts (made with another JSON reader) agree with ours.
    EXPECT_EQ(files, stats[folder]["files"].get<std::size_t>()) << folder;
    EXPECT_EQ(statements, stats[folder]["statements"].get<std::size_t>()) << folder;
  }
  EXPECT_EQ(known_bad, std::size(kPlaceholderResources));
  RecordProperty("warnings", static_cast<int>(warnings));
}

}  // namespace
}  // namespace iam_audit
