// Terraform plans: resources whose linking values are known only after apply
// (a role named by name_prefix, a policy's ARN) are linked through the plan's
// configuration references; when no link can be made, a warning says so.
#include "terraform_references.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "iam_audit/json.h"
#include "iam_audit/policy_source.h"
#include "test_util.h"

namespace iam_audit::policy_source {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(TerraformReferencesTest, AddressesWithoutInstanceKeys) {
  EXPECT_EQ(WithoutInstanceKeys("module.a[0].module.b[\"x.y]\"].aws_iam_role.r[\"k\"]"),
            "module.a.module.b.aws_iam_role.r");
  EXPECT_EQ(WithoutInstanceKeys("data.aws_iam_policy_document.d"),
            "data.aws_iam_policy_document.d");
  EXPECT_EQ(InstanceKey("module.a[0].aws_iam_role.r[\"k\"]"), "[\"k\"]");
  EXPECT_EQ(InstanceKey("aws_iam_role.r[3]"), "[3]");
  EXPECT_EQ(InstanceKey("aws_iam_role.r"), "");
}

TEST(TerraformReferencesTest, ResourcesReferencedFromAModule) {
  const json::ParseResult plan = json::Parse(R"({"configuration": {"root_module": {
    "resources": [{"address": "aws_iam_role_policy.p", "expressions": {
      "role": {"references": ["aws_iam_role.r.id", "aws_iam_role.r", "var.x", "local.y"]}}}],
    "module_calls": {"m": {"module": {"resources": [
      {"address": "aws_iam_role_policy.q", "expressions": {
        "role": {"references": ["aws_iam_role.r[0].name", "aws_iam_role.r[0]", "aws_iam_role.r",
                                "each.key", "module.n.role", "path.module"]},
        "policy": {"references": ["data.aws_iam_policy_document.d.json",
                                  "data.aws_iam_policy_document.d"]}}}]}}}}}})",
                                             "plan.json");
  ASSERT_TRUE(plan.ok());
  const TerraformReferences refs(plan.value());
  EXPECT_THAT(refs.Resources("aws_iam_role_policy.p", "role"), ElementsAre("aws_iam_role.r"));
  EXPECT_THAT(refs.Resources("module.m[\"a\"].aws_iam_role_policy.q[2]", "role"),
              ElementsAre("module.m.aws_iam_role.r[0]", "module.m.aws_iam_role.r"));
  EXPECT_THAT(refs.Resources("module.m.aws_iam_role_policy.q", "policy"),
              ElementsAre("module.m.data.aws_iam_policy_document.d"));
  EXPECT_THAT(refs.Resources("module.m.aws_iam_role_policy.q", "user"), IsEmpty());
  EXPECT_THAT(refs.Resources("aws_iam_role_policy.other", "role"), IsEmpty());
}

std::vector<std::string> Messages(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d) out.push_back(x.ToString());
  return out;
}

TEST(TerraformReferencesTest, PlanLinksPoliciesToRolesNamedAfterApply) {
  const std::string path = testing::TestData("formats/terraform-plan-links.json");
  const SourceFile file{path, "plan.json", testing::ReadFile(path)};
  const PolicySourceResult r = LoadPolicySource(file, {});
  ASSERT_THAT(r.errors, IsEmpty());
  std::vector<std::string> subjects;
  for (const AuditSubject& s : r.subjects) {
    std::string line = s.name + ":";
    for (const std::string& n : s.identity_names) line += " " + n;
    subjects.push_back(line);
  }
  // The role's inline policy, its attached policy (ARN known after apply)
  // and the inline policy whose document is a deferred data source: one
  // principal. Instances of count are linked to the instance with their key.
  EXPECT_THAT(subjects, ElementsAre("aws_iam_role.runner: aws_iam_role_policy.inline "
                                    "data.aws_iam_policy_document.glue aws_iam_policy.athena",
                                    "aws_iam_role.workers[0]: aws_iam_role_policy.workers[0]",
                                    "aws_iam_role.workers[1]: aws_iam_role_policy.workers[1]",
                                    "aws_iam_role_policy.orphan: aws_iam_role_policy.orphan"));
  // Never silently: what could not be linked is a warning; a link through a
  // data source is a note.
  EXPECT_THAT(Messages(r.warnings),
              ElementsAre(HasSubstr("aws_iam_role_policy.orphan: its role is known only after "
                                    "apply and the plan's configuration links it to no "
                                    "aws_iam_role of this file")));
  EXPECT_THAT(Messages(r.notes),
              ElementsAre(HasSubstr("aws_iam_role_policy.from_document: its policy is known only "
                                    "after apply; the configuration says it is "
                                    "data.aws_iam_policy_document.glue's document, audited as part "
                                    "of aws_iam_role.runner")));
  for (const AuditSubject& s : r.subjects) {
    if (s.name == "aws_iam_role.runner") {
      EXPECT_TRUE(s.complete);
    }
  }
}

TEST(TerraformReferencesTest, AuditOfTheLinkedRole) {
  const std::string path = testing::TestData("formats/terraform-plan-links.json");
  const testing::CommandResult r = testing::RunIamAudit(
      {"simulate", path, "--principal", "aws_iam_role.runner", "--action", "glue:GetTable",
       "--resource", "arn:aws:glue:eu-west-1:111122223333:table/raw/orders"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("allowed: glue:GetTable"));
}

}  // namespace
}  // namespace iam_audit::policy_source
