// Reading policies from the formats teams keep them in: fixtures in
// tests/data/formats/ (one per format, realistic), checked for what they hold,
// how policies combine per principal, and that every location points at the
// right bytes of the real file.
#include "iam_audit/policy_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "iam_audit/evaluator.h"
#include "iam_audit/json.h"
#include "policy_source_internal.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::ReadFile;
using ::testing::SizeIs;
using testing::TempDir;
using testing::TestData;
using testing::WriteFile;

SourceFile Fixture(const std::string& name) {
  const std::string path = TestData("formats/" + name);
  return SourceFile{path, path, ReadFile(path)};
}

SourceFile InMemory(const std::string& name, std::string text) {
  return SourceFile{name, name, std::move(text)};
}

PolicySourceResult Load(const SourceFile& file, const PolicySourceOptions& options = {}) {
  return LoadPolicySource(file, options);
}

// The file's text from `where` on (for checking that a location points at
// what it should).
std::string TextAt(const std::string& text, SourceLocation where) {
  std::size_t offset = 0;
  for (int line = 1; line < where.line; ++line) {
    offset = text.find('\n', offset);
    if (offset == std::string::npos) return "<no such line>";
    ++offset;
  }
  return text.substr(offset + static_cast<std::size_t>(where.column - 1), 40);
}

const AuditSubject& Subject(const PolicySourceResult& r, const std::string& name) {
  for (const AuditSubject& s : r.subjects) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no subject " << name;
  static const AuditSubject kNone;
  return kNone;
}

std::vector<std::string> SubjectNames(const PolicySourceResult& r) {
  std::vector<std::string> names;
  for (const AuditSubject& s : r.subjects) names.push_back(s.name);
  return names;
}

std::vector<std::string> Resources(const Policy& p) {
  std::vector<std::string> out;
  for (const Statement& s : p.statements) {
    for (const LocatedString& r : s.resources) out.push_back(r.value);
  }
  return out;
}

std::vector<std::string> Messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d) out.push_back(x.ToString());
  return out;
}

Decision::Kind Decide(const PolicySet& set, const std::string& action,
                      const std::string& resource) {
  Evaluator::CompileResult compiled = Evaluator::Compile(set);
  EXPECT_THAT(compiled.errors, IsEmpty());
  if (!compiled.evaluator) return Decision::kImplicitDeny;
  return compiled.evaluator->Evaluate(Request{action, resource, {}, MissingKeys::kAbsent}).kind;
}

// --- names ----------------------------------------------------------------------------------

TEST(PolicySourceTest, CanonicalTextIgnoresLayoutAndKeepsMeaning) {
  const auto canonical = [](std::string_view text) {
    json::ParseResult r = json::Parse(text, "f.json");
    EXPECT_TRUE(r.ok()) << text;
    std::string out;
    policy_source::AppendCanonical(r.value(), out);
    return out;
  };
  EXPECT_EQ(canonical(R"({ "a" : [1.50, "x\"y", null],
                          "b": {"c": true} })"),
            R"({"a":[1.50,"x\"y",null,],"b":{"c":true,},})");
  EXPECT_EQ(canonical(R"({"a": [1, 2]})"), canonical("{\n  \"a\": [ 1,2 ]\n}"));
  EXPECT_NE(canonical(R"({"a": [1, 2]})"), canonical(R"({"a": [2, 1]})"));
  EXPECT_NE(canonical(R"(["a,b"])"), canonical(R"(["a", "b"])"));
  EXPECT_NE(canonical(R"({"a": "1"})"), canonical(R"({"a": 1})"));
}

TEST(PolicySourceTest, FormatNamesRoundTrip) {
  ASSERT_THAT(InputFormatNames(), SizeIs(6));
  EXPECT_EQ(InputFormatNames()[0], "auto");
  for (std::string_view name : InputFormatNames()) {
    const std::optional<InputFormat> f = ParseInputFormat(name);
    ASSERT_TRUE(f) << name;
    EXPECT_EQ(InputFormatName(*f), name);
  }
  EXPECT_EQ(ParseInputFormat("cfn"), std::nullopt);
  EXPECT_EQ(ParseInputFormat("account-authorization-details"),
            InputFormat::kAccountAuthorizationDetails);
}

// docs/input-formats.md's first table documents the format table: a row for
// every format, none for a format that does not exist.
TEST(PolicySourceTest, DocsTableListsEveryFormat) {
  std::istringstream doc(
      testing::ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/docs/input-formats.md"));
  std::set<std::string> documented;
  bool body = false;  // past the header row
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) break;  // the first table only
    if (line.rfind("| ---", 0) == 0) body = true;
    if (!body || line.rfind("| `", 0) != 0) continue;
    const std::size_t end = line.find('`', 3);
    ASSERT_NE(end, std::string::npos) << line;
    EXPECT_TRUE(documented.insert(line.substr(3, end - 3)).second) << "twice: " << line;
  }
  std::set<std::string> formats(InputFormatNames().begin() + 1, InputFormatNames().end());
  EXPECT_EQ(documented, formats);
}

TEST(PolicySourceTest, FormatsSayWhatTheirSubjectsAre) {
  EXPECT_FALSE(InputFormatHasPrincipals(InputFormat::kPolicy));
  EXPECT_FALSE(InputFormatHasPrincipals(InputFormat::kAwsCli));
  EXPECT_TRUE(InputFormatHasPrincipals(InputFormat::kAccountAuthorizationDetails));
  EXPECT_TRUE(InputFormatHasPrincipals(InputFormat::kCloudFormation));
  EXPECT_TRUE(InputFormatHasPrincipals(InputFormat::kTerraform));
  EXPECT_TRUE(InputFormatSelectsPrincipalWhileReading(InputFormat::kAccountAuthorizationDetails));
  EXPECT_FALSE(InputFormatSelectsPrincipalWhileReading(InputFormat::kCloudFormation));
  EXPECT_FALSE(InputFormatSelectsPrincipalWhileReading(InputFormat::kTerraform));
}

TEST(PolicySourceTest, UnresolvedPlaceholdersAreSafeLiterals) {
  EXPECT_EQ(UnresolvedValue("DbtBucket.Arn"), "{unresolved.DbtBucket.Arn}");
  EXPECT_EQ(UnresolvedValue("AWS::AccountId"), "{unresolved.AWS.AccountId}");
  // No wildcard, no policy variable, no ':' that would shift ARN fields.
  EXPECT_EQ(UnresolvedValue("a*b?c${d} e:f"), "{unresolved.a_b_c__d__e.f}");
  EXPECT_TRUE(ContainsUnresolved("arn:aws:s3:::{unresolved.X}/*"));
  EXPECT_FALSE(ContainsUnresolved("arn:aws:s3:::bucket/*"));
}

// --- bare policies -----------------------------------------------------------------------

TEST(PolicySourceTest, BarePolicyIsOneSubjectNamedAfterTheFile) {
  const SourceFile file = Fixture("policy.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kPolicy);
  EXPECT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.subjects, SizeIs(1));
  EXPECT_EQ(r.subjects[0].name, file.name);
  ASSERT_THAT(r.subjects[0].policies.identity, SizeIs(1));
  const Statement& s = r.subjects[0].policies.identity[0]->statements[0];
  EXPECT_EQ(s.effect_where, (SourceLocation{6, 7}));
  EXPECT_EQ(TextAt(file.text, s.effect_where).substr(0, 8), "\"Effect\"");
  ASSERT_THAT(r.policies, SizeIs(1));
  EXPECT_EQ(r.policies[0].kind, PolicyKind::kIdentity);
}

TEST(PolicySourceTest, PolicyInYaml) {
  const SourceFile file = Fixture("policy.yaml");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kPolicy);
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.policies, SizeIs(1));
  const Statement& s = r.policies[0].policy->statements[0];
  EXPECT_EQ(TextAt(file.text, s.effect_where).substr(0, 6), "Effect");
  ASSERT_THAT(s.conditions, SizeIs(1));
  EXPECT_EQ(s.conditions[0].values[0].value, "true");
}

TEST(PolicySourceTest, BrokenJsonIsReportedNotGuessed) {
  const PolicySourceResult r = Load(Fixture("broken.json"));
  EXPECT_THAT(r.subjects, IsEmpty());
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_EQ(r.errors[0].where, (SourceLocation{4, 24}));
}

TEST(PolicySourceTest, InvalidPolicyGivesErrorsAndNoSubject) {
  const PolicySourceResult r = Load(InMemory(
      "p.json",
      R"({"Version": "2012-10-17", "Statement": {"Effect": "Alow", "Action": "s3:Get"}})"));
  EXPECT_THAT(Messages(r.errors), ElementsAre(HasSubstr("p.json:1:51: Effect must be")));
  EXPECT_THAT(r.policies, IsEmpty());
  ASSERT_THAT(r.subjects, SizeIs(1));  // the file, incomplete
  EXPECT_FALSE(r.subjects[0].complete);
}

// --- AWS CLI ------------------------------------------------------------------------------

TEST(PolicySourceTest, GetPolicyVersionWithUrlEncodedDocument) {
  const SourceFile file = Fixture("get-policy-version.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kAwsCli);
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.policies, SizeIs(1));
  EXPECT_EQ(r.policies[0].name, "policy version v3");
  const Policy& p = *r.policies[0].policy;
  ASSERT_THAT(p.statements, SizeIs(2));
  EXPECT_EQ(p.statements[1].sid->value, "GlueCatalog");
  EXPECT_THAT(Resources(p), ElementsAre("arn:aws:athena:eu-west-1:123456789012:workgroup/dbt",
                                        "arn:aws:glue:eu-west-1:123456789012:catalog",
                                        "arn:aws:glue:eu-west-1:123456789012:database/analytics",
                                        "arn:aws:glue:eu-west-1:123456789012:table/analytics/*"));
  // Locations point inside the encoded string, at the escape that encodes
  // the element.
  const Statement& s = p.statements[0];
  EXPECT_EQ(s.effect_where.line, 3);
  EXPECT_EQ(TextAt(file.text, s.effect_where).substr(0, 13), "%22Effect%22%");
  EXPECT_EQ(TextAt(file.text, s.actions[0].where).substr(0, 13), "%22athena%3AS");
}

TEST(PolicySourceTest, GetPolicyVersionAsTheCliPrintsIt) {
  const PolicySourceResult r = Load(InMemory("v.json", R"({
  "PolicyVersion": {
    "Document": {"Version": "2012-10-17",
                 "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]},
    "VersionId": "v1", "IsDefaultVersion": true
  }
})"));
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.subjects, SizeIs(1));
  EXPECT_EQ(r.subjects[0].policies.identity[0]->statements[0].effect_where,
            (SourceLocation{4, 33}));
}

TEST(PolicySourceTest, GetRolePolicy) {
  const SourceFile file = Fixture("get-role-policy.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kAwsCli);
  ASSERT_THAT(r.errors, IsEmpty());
  ASSERT_THAT(r.subjects, SizeIs(1));
  EXPECT_EQ(r.subjects[0].name, "role/dbt-runner policy dbt-athena-access");
  const Statement& deny = r.subjects[0].policies.identity[0]->statements[1];
  EXPECT_EQ(deny.effect, Effect::kDeny);
  EXPECT_EQ(deny.effect_where, (SourceLocation{19, 17}));
}

TEST(PolicySourceTest, UrlEncodingErrorsPointIntoTheString) {
  const PolicySourceResult r = Load(InMemory(
      "u.json",
      R"({"RoleName": "r", "PolicyName": "p", "PolicyDocument": "%7B%22Version%22%3A%7D"})"));
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0].message, HasSubstr("in the PolicyDocument string"));
  EXPECT_EQ(r.errors[0].where.line, 1);
  EXPECT_GT(r.errors[0].where.column, 56);  // inside the string, not at its start
}

// --- account authorization details ----------------------------------------------------------

TEST(PolicySourceTest, AuthorizationDetailsCombinePoliciesPerPrincipal) {
  const SourceFile file = Fixture("account-authorization-details.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kAccountAuthorizationDetails);
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(SubjectNames(r),
              ElementsAre("user/alice", "role/service/dbt-runner", "role/lambda-exec"));

  const AuditSubject& role = Subject(r, "role/service/dbt-runner");
  EXPECT_EQ(role.arn, "arn:aws:iam::123456789012:role/service/dbt-runner");
  EXPECT_EQ(role.policies.principal, role.arn);
  EXPECT_THAT(role.identity_names,
              ElementsAre("role/service/dbt-runner policy dbt-results-bucket",
                          "arn:aws:iam::123456789012:policy/dbt-athena (v2)",
                          "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (v3)"));
  ASSERT_TRUE(role.policies.boundary);
  EXPECT_EQ(role.boundary_name, "arn:aws:iam::123456789012:policy/data-boundary (v1)");
  EXPECT_TRUE(role.complete);
  // The default version (v2, two statements), not v1.
  EXPECT_THAT(role.policies.identity[1]->statements, SizeIs(2));
  // The boundary cuts what the managed policies grant: iam:* is denied.
  EXPECT_EQ(Decide(role.policies.ToPolicySet(), "glue:GetTable",
                   "arn:aws:glue:eu-west-1:123456789012:table/analytics/events"),
            Decision::kAllowed);
  EXPECT_EQ(Decide(role.policies.ToPolicySet(), "s3:GetObject", "arn:aws:s3:::any-bucket/key"),
            Decision::kAllowed);  // AmazonS3ReadOnlyAccess, within the boundary

  const AuditSubject& alice = Subject(r, "user/alice");
  EXPECT_THAT(
      alice.identity_names,
      ElementsAre("user/alice policy alice-scratch", "group/analysts policy athena-workgroup",
                  "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (v3)"));
  EXPECT_FALSE(alice.policies.boundary);

  const AuditSubject& lambda = Subject(r, "role/lambda-exec");
  EXPECT_FALSE(lambda.complete);
  EXPECT_THAT(lambda.policies.identity, IsEmpty());
  EXPECT_THAT(Messages(r.warnings),
              ElementsAre(HasSubstr("AWSLambdaBasicExecutionRole' of role/lambda-exec is not in "
                                    "this file's Policies list")));

  // Each document once, the boundary marked as such, the unattached customer
  // policy included for linting.
  std::vector<std::string> names;
  for (const SourcePolicy& p : r.policies) names.push_back(p.name);
  EXPECT_THAT(names, ElementsAre("user/alice policy alice-scratch",
                                 "group/analysts policy athena-workgroup",
                                 "role/service/dbt-runner policy dbt-results-bucket",
                                 "arn:aws:iam::123456789012:policy/dbt-athena (v2)",
                                 "arn:aws:iam::123456789012:policy/data-boundary (v1)",
                                 "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (v3)",
                                 "arn:aws:iam::123456789012:policy/legacy-s3-admin (v1)"));
  EXPECT_EQ(r.policies[4].kind, PolicyKind::kBoundary);
  // Locations are those of the real file.
  const Statement& s = role.policies.boundary->statements[1];
  EXPECT_EQ(TextAt(file.text, s.sid->where).substr(0, 7), "\"NoIam\"");
}

TEST(PolicySourceTest, AuthorizationDetailsPrincipalFilter) {
  const SourceFile file = Fixture("account-authorization-details.json");
  PolicySourceOptions options;
  options.principal = "alice";
  PolicySourceResult r = Load(file, options);
  EXPECT_THAT(SubjectNames(r), ElementsAre("user/alice"));
  EXPECT_THAT(r.policies, SizeIs(3));  // only what alice uses
  EXPECT_THAT(r.warnings, IsEmpty());  // lambda-exec was not read

  options.principal = "arn:aws:iam::123456789012:role/service/dbt-runner";
  r = Load(file, options);
  EXPECT_THAT(SubjectNames(r), ElementsAre("role/service/dbt-runner"));

  options.principal = "bob";
  try {
    Load(file, options);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--principal 'bob' names none of the principals found; they "
                                    "are:\n  role/service/dbt-runner\n  role/lambda-exec\n  "
                                    "user/alice\n"));
  }
}

// --- CloudFormation -----------------------------------------------------------------------

TEST(PolicySourceTest, CloudFormationYamlResolvesWhatTheTemplateSays) {
  const SourceFile file = Fixture("cloudformation.yaml");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kCloudFormation);
  ASSERT_THAT(r.errors, IsEmpty()) << Messages(r.errors)[0];
  EXPECT_THAT(SubjectNames(r),
              ElementsAre("AWS::IAM::Role DbtRunnerRole", "AWS::IAM::ManagedPolicy AuditorPolicy"));

  const AuditSubject& role = Subject(r, "AWS::IAM::Role DbtRunnerRole");
  // Inline policy, the template's managed policy (by !Ref) and the
  // AWS::IAM::Policy naming the role: combined as AWS would.
  EXPECT_THAT(role.identity_names, ElementsAre("AWS::IAM::Role DbtRunnerRole policy athena-results",
                                               "AWS::IAM::ManagedPolicy DbtGluePolicy",
                                               "AWS::IAM::Policy RawReadPolicy"));
  EXPECT_FALSE(role.complete);  // CloudWatchLogsReadOnlyAccess is not in the template
  EXPECT_THAT(Messages(r.warnings),
              ElementsAre(AllOf(HasSubstr("cloudformation.yaml:50:11: managed policy "
                                          "'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess'"),
                                HasSubstr("not defined in this template"))));

  // !GetAtt of a named bucket and !Sub over it, with the parameter defaults.
  const Policy& inline_policy = *role.policies.identity[0];
  EXPECT_THAT(
      Resources(inline_policy),
      ElementsAre("arn:aws:s3:::dbt-athena-results-dev", "arn:aws:s3:::dbt-athena-results-dev/*",
                  "arn:aws:athena:{unresolved.AWS.Region}:{unresolved.AWS.AccountId}:"
                  "workgroup/dbt-dev"));
  // The Effect of the first statement, line:column in the YAML file.
  const Statement& first = inline_policy.statements[0];
  EXPECT_EQ(first.effect_where, (SourceLocation{57, 17}));
  EXPECT_EQ(TextAt(file.text, first.effect_where).substr(0, 13), "Effect: Allow");
  EXPECT_EQ(TextAt(file.text, first.resources[1].where).substr(0, 4), "!Sub");
  // !Join with !Ref of pseudo parameters; !If on a condition false by default.
  const Policy& glue = *role.policies.identity[1];
  EXPECT_EQ(glue.statements[0].resources[1].value,
            "arn:aws:glue:{unresolved.AWS.Region}:{unresolved.AWS.AccountId}:database/analytics");
  EXPECT_EQ(glue.statements[1].effect, Effect::kAllow);

  // What cannot be resolved: unknown, never '*', and a note says where.
  const Policy& raw = *role.policies.identity[2];
  EXPECT_THAT(Resources(raw),
              ElementsAre("arn:{unresolved.RawBucket.Arn}/*", "arn:{unresolved.DataKmsKeyArn}",
                          "arn:{unresolved.DataKey.Arn}"));
  EXPECT_THAT(
      Messages(r.notes),
      Contains(AllOf(HasSubstr("cloudformation.yaml:111:23: Fn::GetAtt DataKey.Arn (AWS::KMS::Key) "
                               "is known only once the stack is deployed"),
                     HasSubstr("treated as the unknown value '{unresolved.DataKey.Arn}'"))));
  EXPECT_THAT(Messages(r.notes),
              Contains(HasSubstr("108:23: parameter 'DataKmsKeyArn' has no Default (pass "
                                 "--var DataKmsKeyArn=VALUE)")));
  EXPECT_EQ(TextAt(file.text, {111, 23}).substr(0, 19), "!GetAtt DataKey.Arn");
}

TEST(PolicySourceTest, CloudFormationUnknownValuesMatchNothing) {
  const PolicySourceResult r = Load(Fixture("cloudformation.yaml"));
  const AuditSubject& role = Subject(r, "AWS::IAM::Role DbtRunnerRole");
  // The statement on !GetAtt DataKey.Arn grants nothing on any real key (the
  // key policy, not given, could still allow the role itself)...
  EXPECT_EQ(Decide(role.policies.ToPolicySet(), "kms:GenerateDataKey",
                   "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
            Decision::kNeedsResourcePolicy);
  // ...nor on any object of the bucket whose name CloudFormation picks.
  EXPECT_EQ(Decide(role.policies.ToPolicySet(), "s3:GetObject",
                   "arn:aws:s3:::stack-rawbucket-1x2y3z/key"),
            Decision::kImplicitDeny);
  // What is resolved does.
  EXPECT_EQ(Decide(role.policies.ToPolicySet(), "s3:PutObject",
                   "arn:aws:s3:::dbt-athena-results-dev/run/1"),
            Decision::kAllowed);
}

TEST(PolicySourceTest, CloudFormationVarsResolveParametersAndPseudoParameters) {
  PolicySourceOptions options;
  options.variables = {{"AWS::Region", "eu-west-1"},
                       {"AWS::AccountId", "123456789012"},
                       {"Environment", "prod"},
                       {"DataKmsKeyArn", "arn:aws:kms:eu-west-1:123456789012:key/k1"}};
  const PolicySourceResult r = Load(Fixture("cloudformation.yaml"), options);
  ASSERT_THAT(r.errors, IsEmpty());
  const AuditSubject& role = Subject(r, "AWS::IAM::Role DbtRunnerRole");
  EXPECT_EQ(role.arn, "arn:aws:iam::123456789012:role/dbt-runner-prod");
  EXPECT_THAT(
      Resources(*role.policies.identity[0]),
      ElementsAre("arn:aws:s3:::dbt-athena-results-prod", "arn:aws:s3:::dbt-athena-results-prod/*",
                  "arn:aws:athena:eu-west-1:123456789012:workgroup/dbt-prod"));
  EXPECT_EQ(role.policies.identity[1]->statements[1].effect, Effect::kDeny);  // !If IsProd
  EXPECT_EQ(role.policies.identity[2]->statements[1].resources[0].value,
            "arn:aws:kms:eu-west-1:123456789012:key/k1");
  // Only what no --var can give is left.
  EXPECT_THAT(r.notes, SizeIs(2));
  EXPECT_THAT(r.variables_used,
              ElementsAre("AWS::AccountId", "AWS::Region", "DataKmsKeyArn", "Environment"));
}

TEST(PolicySourceTest, CloudFormationJson) {
  const SourceFile file = Fixture("cloudformation.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kCloudFormation);
  ASSERT_THAT(r.errors, IsEmpty());
  // The group has a user in the template: it is audited through that user.
  EXPECT_THAT(SubjectNames(r), ElementsAre("AWS::IAM::User CiUser"));
  const AuditSubject& user = r.subjects[0];
  EXPECT_THAT(user.identity_names, ElementsAre("AWS::IAM::User CiUser policy publish-reports",
                                               "AWS::IAM::Group Analysts policy read-lake",
                                               "AWS::IAM::Policy ListLake"));
  ASSERT_TRUE(user.policies.boundary);
  EXPECT_EQ(user.boundary_name, "AWS::IAM::ManagedPolicy Boundary");
  // Fn::Join / Fn::Select over a CommaDelimitedList default, Fn::Sub, Fn::Split.
  EXPECT_EQ(user.policies.identity[1]->statements[0].resources[0].value,
            "arn:aws:s3:::analytics-lake/curated/*");
  const Statement& list = user.policies.identity[2]->statements[0];
  EXPECT_EQ(list.resources[0].value, "arn:aws:s3:::analytics-lake");
  ASSERT_THAT(list.conditions, SizeIs(1));
  EXPECT_EQ(list.conditions[0].values.size(), 2u);
  EXPECT_EQ(list.conditions[0].values[1].value, "reports/*");
  // A PolicyDocument written as a JSON string: exact columns inside it.
  const Statement& publish = user.policies.identity[0]->statements[0];
  EXPECT_EQ(TextAt(file.text, publish.actions[0].where).substr(0, 16), "\\\"s3:PutObject\\\"");
  // Fn::ImportValue is not evaluated.
  EXPECT_THAT(Messages(r.notes),
              ElementsAre(HasSubstr("78:27: Fn::ImportValue is not evaluated offline")));
  EXPECT_EQ(user.policies.identity[2]->statements[1].resources[0].value,
            "arn:{unresolved.Fn.ImportValue.shared-alerts-topic-arn}");
}

TEST(PolicySourceTest, CloudFormationConditionsDecideWhatExists) {
  PolicySourceOptions options;
  options.variables = {{"CreateCiUser", "false"}};
  const PolicySourceResult r = Load(Fixture("cloudformation.json"), options);
  // No user: the group is audited on its own, the boundary is a lone policy.
  EXPECT_THAT(SubjectNames(r),
              ElementsAre("AWS::IAM::ManagedPolicy Boundary", "AWS::IAM::Group Analysts"));
  EXPECT_THAT(
      Subject(r, "AWS::IAM::Group Analysts").identity_names,
      ElementsAre("AWS::IAM::Group Analysts policy read-lake", "AWS::IAM::Policy ListLake"));
}

TEST(PolicySourceTest, CloudFormationUndecidedIfAndUnknownFunctions) {
  const PolicySourceResult r = Load(InMemory("t.yaml", R"(Parameters:
  Env: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - !If
            - Prod
            - {Effect: Deny, Action: "s3:*", Resource: "*"}
            - !Ref AWS::NoValue
          - Effect: Allow
            Action: !Sub "${AWS::NoSuchThing}:Get"
            Resource: !Select [1, !GetAZs ""]
)"));
  ASSERT_THAT(r.errors, IsEmpty()) << Messages(r.errors)[0];
  ASSERT_THAT(r.policies, SizeIs(1));
  const Policy& p = *r.policies[0].policy;
  ASSERT_THAT(p.statements, SizeIs(1));  // the undecided statement is left out
  EXPECT_EQ(p.statements[0].actions[0].value, "{unresolved.AWS.NoSuchThing}:Get");
  EXPECT_EQ(p.statements[0].resources[0].value, "arn:{unresolved.Fn.Select}");
  EXPECT_THAT(Messages(r.notes),
              ElementsAre(HasSubstr("t.yaml:12:13: Fn::If: condition 'Prod' cannot be decided"),
                          HasSubstr("t.yaml:12:13: a statement that depends on an undecided "
                                    "condition is left out"),
                          HasSubstr("t.yaml:17:21: Ref 'AWS::NoSuchThing' names no parameter"),
                          HasSubstr("t.yaml:18:35: Fn::GetAZs is not evaluated offline")));
}

TEST(PolicySourceTest, CloudFormationOtherIamResources) {
  const PolicySourceResult r = Load(InMemory("o.json", R"({"Resources": {
  "Role": {"Type": "AWS::IAM::Role", "Properties": {
    "RoleName": "etl", "PermissionsBoundary": "arn:aws:iam::123456789012:policy/org-boundary"}},
  "RolePolicy": {"Type": "AWS::IAM::RolePolicy", "Properties": {
    "RoleName": "etl", "PolicyName": "p",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Action": "sqs:SendMessage",
      "Resource": {"Fn::Sub": ["arn:aws:sqs:eu-west-1:123456789012:${Q}", {"Q": {"Fn::GetAtt": ["Queue", "QueueName"]}}]}}]}}},
  "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "etl-jobs"}},
  "User": {"Type": "AWS::IAM::User", "Properties": {"UserName": "ops"}},
  "Group": {"Type": "AWS::IAM::Group", "Properties": {"Policies": [{"PolicyName": "g",
    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*"}]}}]}},
  "Membership": {"Type": "AWS::IAM::UserToGroupAddition", "Properties": {"GroupName": {"Ref": "Group"}, "Users": [{"Ref": "User"}]}}
}})"));
  ASSERT_THAT(r.errors, IsEmpty()) << Messages(r.errors)[0];
  EXPECT_THAT(SubjectNames(r), ElementsAre("AWS::IAM::Role Role", "AWS::IAM::User User"));
  const AuditSubject& role = Subject(r, "AWS::IAM::Role Role");
  EXPECT_THAT(role.identity_names, ElementsAre("AWS::IAM::RolePolicy RolePolicy"));
  EXPECT_EQ(role.policies.identity[0]->statements[0].resources[0].value,
            "arn:aws:sqs:eu-west-1:123456789012:etl-jobs");
  EXPECT_FALSE(role.complete);  // the boundary is not in the template
  EXPECT_THAT(
      Messages(r.warnings),
      ElementsAre(HasSubstr("managed policy 'arn:aws:iam::123456789012:policy/org-boundary' "
                            "of AWS::IAM::Role Role is not defined in this template")));
  EXPECT_THAT(Subject(r, "AWS::IAM::User User").identity_names,
              ElementsAre("AWS::IAM::Group Group policy g"));
}

TEST(PolicySourceTest, CloudFormationSelfReferenceEnds) {
  // A bucket named after its own Ref: CloudFormation rejects it; we must not loop.
  const PolicySourceResult r = Load(InMemory("loop.json", R"({"Resources": {
    "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::GetAtt": ["B", "Arn"]}}},
    "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Ref": "B"}}]}}}}})"));
  ASSERT_THAT(r.policies, SizeIs(1));
  EXPECT_TRUE(ContainsUnresolved(r.policies[0].policy->statements[0].resources[0].value));
}

TEST(PolicySourceTest, CloudFormationNamesBuiltFromNamesStayBounded) {
  // Each bucket is named twice after the previous one: 2^40 bytes if
  // evaluated naively, and as many evaluations.
  std::string text =
      R"({"Resources": {"B0": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}})";
  for (int i = 1; i <= 40; ++i) {
    const std::string prev = "B" + std::to_string(i - 1);
    text +=
        ",\n\"B" + std::to_string(i) +
        R"(": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::Join": ["-", [{"Ref": ")" +
        prev + R"("}, {"Ref": ")" + prev + R"("}]]}}})";
  }
  // And a condition chain longer than any stack allows to recurse through.
  text +=
      R"(, "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::GetAtt": ["B40", "Arn"]}},
                    {"Effect": "Allow", "Action": "s3:PutObject",
                     "Resource": {"Fn::If": ["C0", "*", "arn:aws:s3:::b/*"]}}]}}}},
    "Conditions": {"C2000": {"Fn::Equals": ["a", "a"]})";
  for (int i = 0; i < 2000; ++i) {
    text += ", \"C" + std::to_string(i) + R"(": {"Condition": "C)" + std::to_string(i + 1) + "\"}";
  }
  text += "}}";
  const PolicySourceResult r = Load(InMemory("big.json", text));
  ASSERT_THAT(r.errors, IsEmpty()) << Messages(r.errors)[0];
  ASSERT_THAT(r.policies, SizeIs(1));
  const Policy& p = *r.policies[0].policy;
  EXPECT_TRUE(ContainsUnresolved(p.statements[0].resources[0].value));
  EXPECT_THAT(Messages(r.notes), Contains(HasSubstr("bytes long")));
  // Too deep to decide: unknown, neither branch guessed.
  EXPECT_EQ(p.statements[1].resources[0].value, "arn:{unresolved.Condition.C0}");
}

TEST(PolicySourceTest, YamlAliasBombIsCutOff) {
  std::string text = "Resources:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    text += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    text += "]\n";
  }
  const PolicySourceResult r = Load(InMemory("bomb.yaml", text));
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0].message, HasSubstr("expands to more than 1000000 nodes"));
}

TEST(PolicySourceTest, DeepYamlIsAnError) {
  const std::string flow = "Statement: " + std::string(300, '[') + std::string(300, ']') + "\n";
  const PolicySourceResult r = Load(InMemory("deep.yaml", flow));
  ASSERT_THAT(r.errors, SizeIs(1));
  EXPECT_THAT(r.errors[0].message, HasSubstr("nesting deeper than 256"));
}

// --- Terraform ----------------------------------------------------------------------------

TEST(PolicySourceTest, TerraformStateGroupsPoliciesByRole) {
  const SourceFile file = Fixture("terraform-state.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kTerraform);
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(SubjectNames(r),
              ElementsAre("aws_iam_role.dbt_runner", "data.aws_iam_policy_document.logs",
                          "module.data_access.module.kms.aws_iam_policy.decrypt[0]"));
  const AuditSubject& role = Subject(r, "aws_iam_role.dbt_runner");
  EXPECT_EQ(role.arn, "arn:aws:iam::123456789012:role/dbt-runner");
  // The role policy (once, though the role's inline_policy and a data source
  // hold the same document) and the module's policy attached by ARN.
  EXPECT_THAT(role.identity_names, ElementsAre("aws_iam_role_policy.dbt_results",
                                               "module.data_access.aws_iam_policy.glue"));
  EXPECT_FALSE(role.complete);  // AmazonAthenaFullAccess is not in the file
  EXPECT_THAT(Messages(r.warnings), ElementsAre(HasSubstr("AmazonAthenaFullAccess' attached to "
                                                          "aws_iam_role.dbt_runner is not in "
                                                          "this file")));
  // Locations inside the policy JSON strings, exact to the column.
  const Statement& s = role.policies.identity[0]->statements[0];
  EXPECT_EQ(TextAt(file.text, s.effect_where).substr(0, 10), "\\\"Effect\\\"");
  EXPECT_EQ(TextAt(file.text, s.actions[1].where).substr(0, 16), "\\\"s3:PutObject\\\"");
  // A pretty-printed `json` attribute: "\n" escapes inside, same line.
  const AuditSubject& logs = Subject(r, "data.aws_iam_policy_document.logs");
  const Statement& l = logs.policies.identity[0]->statements[0];
  EXPECT_EQ(TextAt(file.text, l.resources[0].where).substr(0, 20), "\\\"arn:aws:logs:eu-we");
}

TEST(PolicySourceTest, TerraformPlanWithUnknownValues) {
  const SourceFile file = Fixture("terraform-plan.json");
  const PolicySourceResult r = Load(file);
  EXPECT_EQ(r.format, InputFormat::kTerraform);
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(SubjectNames(r), ElementsAre("aws_iam_role.dbt_runner",
                                           "module.athena.data.aws_iam_policy_document.this"));
  const AuditSubject& role = Subject(r, "aws_iam_role.dbt_runner");
  EXPECT_THAT(role.identity_names, ElementsAre("aws_iam_role_policy.staging"));
  EXPECT_FALSE(role.complete);  // an attachment whose policy is known after apply

  // The deferred data source, built from its statement blocks.
  const Policy& doc =
      *Subject(r, "module.athena.data.aws_iam_policy_document.this").policies.identity[0];
  ASSERT_THAT(doc.statements, SizeIs(2));
  EXPECT_EQ(doc.statements[0].sid->value, "Athena");
  EXPECT_THAT(Resources(doc),
              ElementsAre("arn:aws:athena:eu-west-1:123456789012:workgroup/primary",
                          "arn:{unresolved.module.athena.data.aws_iam_policy_document.this."
                          "statement[0].resources[1]}",
                          "arn:aws:s3:::raw-data/*"));
  EXPECT_EQ(doc.statements[1].effect, Effect::kDeny);
  EXPECT_EQ(doc.statements[1].conditions[0].key.value, "s3:ResourceAccount");
  EXPECT_EQ(TextAt(file.text, doc.statements[1].actions[0].where).substr(0, 14),
            "\"s3:GetObject\"");

  EXPECT_THAT(Messages(r.notes),
              ElementsAre(HasSubstr("aws_iam_role_policy_attachment.athena: the policy it "
                                    "attaches is known only after apply"),
                          HasSubstr("module.athena.aws_iam_policy.this: its policy is known only "
                                    "after apply, so it is not audited"),
                          HasSubstr("statement[0].resources[1] is known only after apply")));
}

TEST(PolicySourceTest, RawTerraformStateFile) {
  const PolicySourceResult r = Load(Fixture("tree/terraform/terraform.tfstate"));
  EXPECT_EQ(r.format, InputFormat::kTerraform);
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_THAT(SubjectNames(r), ElementsAre("aws_iam_user.reporter"));
  EXPECT_THAT(r.subjects[0].identity_names,
              ElementsAre("module.reports.aws_iam_user_policy.athena[\"reports\"]"));
}

TEST(PolicySourceTest, EmbeddedJsonColumnsSurviveEscapes) {
  // \u002A is '*', \/ is '/': the Resource's column must still be exact.
  const std::string text =
      R"({"RoleName": "r", "PolicyName": "p", "PolicyDocument": "{\"Version\":\"2012-10-17\",)"
      R"(\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get\u002A\",)"
      R"(\"Resource\":\"arn:aws:s3:::b\/k\"}]}"})";
  const PolicySourceResult r = Load(InMemory("e.json", text));
  ASSERT_THAT(r.errors, IsEmpty()) << Messages(r.errors)[0];
  const Statement& s = r.policies[0].policy->statements[0];
  EXPECT_EQ(s.actions[0].value, "s3:Get*");
  EXPECT_EQ(s.resources[0].value, "arn:aws:s3:::b/k");
  EXPECT_EQ(TextAt(text, s.resources[0].where).substr(0, 21), "\\\"arn:aws:s3:::b\\/k\\\"");
}

// --- what cannot be read ------------------------------------------------------------------

TEST(PolicySourceTest, UnknownFormatListsTheFormatsItReads) {
  try {
    Load(Fixture("unknown-format.json"));
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_THAT(what, HasSubstr("unknown-format.json:1:1: cannot tell what kind of input this is"));
    for (std::string_view name : InputFormatNames().subspan(1)) {
      EXPECT_THAT(what, HasSubstr("\n  " + std::string(name) + ": "));
    }
    EXPECT_THAT(what, HasSubstr("--input-format"));
  }
  PolicySourceOptions lenient;
  lenient.allow_unrecognized = true;
  const PolicySourceResult r = Load(Fixture("unknown-format.json"), lenient);
  EXPECT_EQ(r.format, InputFormat::kAuto);
  EXPECT_THAT(r.subjects, IsEmpty());
}

TEST(PolicySourceTest, ForcedFormatMustFit) {
  PolicySourceOptions options;
  options.format = InputFormat::kTerraform;
  EXPECT_THROW(
      {
        try {
          Load(Fixture("policy.json"), options);
        } catch (const InputError& e) {
          EXPECT_THAT(e.what(), HasSubstr("--input-format terraform: this is not `terraform show "
                                          "-json` output"));
          EXPECT_THAT(e.what(), HasSubstr("it looks like a policy document"));
          throw;
        }
      },
      InputError);
  // Forcing the right one works; forcing `policy` on anything reports why it
  // is not a policy.
  options.format = InputFormat::kCloudFormation;
  EXPECT_THAT(Load(Fixture("cloudformation.json"), options).subjects, SizeIs(1));
  options.format = InputFormat::kPolicy;
  const PolicySourceResult r = Load(Fixture("get-role-policy.json"), options);
  EXPECT_THAT(Messages(r.errors), Contains(HasSubstr("unknown top-level element")));
}

TEST(PolicySourceTest, EmptyAndTextFilesAreNotGuessed) {
  EXPECT_THROW(Load(InMemory("empty.json", "")), InputError);
  EXPECT_THROW(Load(InMemory("notes.txt", "hello world\n")), InputError);
}

// --- directories --------------------------------------------------------------------------

std::vector<std::string> Relative(const PolicyFileScan& scan, const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& f : scan.files) out.push_back(f.substr(dir.size() + 1));
  return out;
}

TEST(PolicySourceTest, FindPolicyFilesSkipsWhatIsPlainlyNotIam) {
  const std::string dir = TestData("formats/tree");
  const std::vector<std::string> excludes = {"generated/", "*.draft.json"};
  const PolicyFileScan scan = FindPolicyFiles(dir, excludes);
  EXPECT_THAT(Relative(scan, dir), ElementsAre("cloudformation/stack.yaml", "policies/s3-read.json",
                                               "terraform/terraform.tfstate"));
  EXPECT_EQ(scan.skipped, 2u);   // package.json, docker-compose.yml
  EXPECT_EQ(scan.excluded, 2u);  // generated/, old.draft.json
  // Without excludes both come back.
  const PolicyFileScan all = FindPolicyFiles(dir);
  EXPECT_THAT(all.files, SizeIs(5));
  EXPECT_EQ(all.excluded, 0u);
  // Left to the reader, nothing is sniffed: the two come back too, and the
  // reader's test (FileMightHoldPolicies) tells them apart.
  const PolicyFileScan unsniffed = FindPolicyFiles(dir, excludes, Sniff::kLeaveToReader);
  EXPECT_THAT(unsniffed.files, SizeIs(5));
  EXPECT_EQ(unsniffed.skipped, 0u);
  EXPECT_EQ(unsniffed.excluded, 2u);
  std::vector<std::string> not_iam;
  for (const std::string& f : unsniffed.files) {
    if (!FileMightHoldPolicies(f)) not_iam.push_back(f.substr(dir.size() + 1));
  }
  EXPECT_THAT(not_iam, ElementsAre("cloudformation/docker-compose.yml", "policies/package.json"));
  EXPECT_TRUE(FileMightHoldPolicies(dir + "/missing.json"));  // the reader says why
  // Every file found is readable as some format.
  for (const std::string& f : scan.files) {
    const PolicySourceResult r = Load(SourceFile{f, f, ReadFile(f)});
    EXPECT_THAT(r.errors, IsEmpty()) << f;
    EXPECT_THAT(r.subjects, Not(IsEmpty())) << f;
  }
}

TEST(PolicySourceTest, FindPolicyFilesNeverEntersToolDirectories) {
  TempDir tmp;
  namespace fs = std::filesystem;
  const std::string policy = R"({"Version": "2012-10-17", "Statement": []})";
  for (const std::string d : {"b/c", "a", "node_modules/x", ".git/objects", ".terraform/modules"}) {
    fs::create_directories(tmp.File(d));
  }
  for (const std::string f :
       {"b/c/z.json", "a/y.yml", "b/x.JSON", "node_modules/x/p.json", ".git/objects/p.json",
        ".terraform/modules/p.json", "top.template", "state.tfstate", "policy.txt"}) {
    WriteFile(tmp.File(f), policy);
  }
  fs::create_directory_symlink(tmp.path(), tmp.File("b/loop"));  // not followed
  const PolicyFileScan scan = FindPolicyFiles(tmp.path());
  EXPECT_THAT(Relative(scan, tmp.path()),
              ElementsAre("a/y.yml", "b/c/z.json", "b/x.JSON", "state.tfstate", "top.template"));
  EXPECT_THROW(FindPolicyFiles(tmp.File("missing")), InputError);
}

TEST(PolicySourceTest, ExcludePatternsFollowGitignore) {
  struct Case {
    std::vector<std::string> patterns;
    std::string path;
    bool directory;
    bool excluded;
  };
  const Case cases[] = {
      {{"*.draft.json"}, "a/b/x.draft.json", false, true},  // no '/': any level
      {{"/root.json"}, "root.json", false, true},           // anchored
      {{"/root.json"}, "sub/root.json", false, false},
      {{"build/"}, "build", true, true},  // directories only
      {{"build/"}, "build", false, false},
      {{"build/"}, "build/out/p.json", false, true},  // below an excluded dir
      {{"docs/*.json"}, "docs/a.json", false, true},  // '*' stays in its segment
      {{"docs/*.json"}, "docs/x/a.json", false, false},
      {{"docs/**/*.json"}, "docs/x/y/a.json", false, true},  // '**' crosses
      {{"docs/**/*.json"}, "docs/a.json", false, true},
      {{"**/fixtures"}, "t/u/fixtures", true, true},
      {{"legacy/**"}, "legacy/a/b.json", false, true},
      {{"*.json", "!keep.json"}, "keep.json", false, false},  // last match wins
      {{"*.json", "!keep.json"}, "drop.json", false, true},
      {{"[ab]*.yaml"}, "b1.yaml", false, true},
      {{"[!ab]*.yaml"}, "b1.yaml", false, false},
      {{"p?.json"}, "p1.json", false, true},
      {{"p?.json"}, "p/.json", false, false},
      {{"# comment", ""}, "x.json", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsExcluded(c.path, c.directory, c.patterns), c.excluded)
        << c.patterns[0] << " on " << c.path;
  }
}

TEST(PolicySourceTest, SniffingLooksForWhatEveryFormatContains) {
  EXPECT_TRUE(MightHoldPolicies(R"({"Statement": []})"));
  EXPECT_TRUE(MightHoldPolicies("AWSTemplateFormatVersion: 2010-09-09"));
  EXPECT_TRUE(MightHoldPolicies(R"({"format_version":"1.2"})"));
  EXPECT_TRUE(MightHoldPolicies(R"({"RoleDetailList": []})"));
  EXPECT_FALSE(MightHoldPolicies(R"({"name": "pkg", "dependencies": {}})"));
  EXPECT_FALSE(MightHoldPolicies("services:\n  db:\n    image: postgres\n"));
}

}  // namespace
}  // namespace iam_audit
