// rules/dbt-athena.yaml against the adapter's behaviour (dbt-labs/dbt-adapters
// at 802d40f; A = dbt-athena/src/dbt/adapters/athena, M = .../macros): one
// table row per defect of issue 12, each with the variables, a policy and the
// expected status of every affected requirement ("absent": the profile must
// not require it at all). docs/dbt-athena.md cites the code for each group.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "iam_audit/audit.h"
#include "iam_audit/policy.h"
#include "iam_audit/profile.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using testing::TestCatalog;

const Profile& DbtAthena() {
  static const Profile profile = LoadProfile("dbt-athena", TestCatalog());
  return profile;
}

struct Expect {
  std::string group;  // "" for any group
  std::string action;
  std::string resource;
  std::string status;         // granted, conditional, partial, missing, denied, absent
  std::string severity = "";  // checked when not ""
};

struct Row {
  std::string name;  // the defect
  std::vector<std::pair<std::string, std::string>> vars;
  std::string statements;  // JSON statements of the audited policy
  std::vector<Expect> expect;
  std::vector<std::pair<std::string, std::string>> context = {};  // --context
};

constexpr char kAcct[] = "111122223333";
const std::string kWg = "arn:aws:athena:eu-west-1:111122223333:workgroup/";
const std::string kGlue = "arn:aws:glue:eu-west-1:111122223333:";
const std::string kKey = "arn:aws:kms:eu-west-1:111122223333:key/k-1";

std::vector<VariableInput> Vars(const Row& row) {
  std::vector<VariableInput> out = {{"region_name", {"eu-west-1"}, false, "--var"},
                                    {"account_id", {kAcct}, false, "--var"},
                                    {"schema", {"analytics"}, false, "--var"},
                                    {"s3_staging_dir", {"s3://acme-results/dbt/"}, false, "--var"}};
  for (const auto& [k, v] : row.vars) out.push_back({k, {v}, false, "--var " + k});
  return out;
}

void Check(const Row& row) {
  SCOPED_TRACE(row.name);
  const std::vector<Requirement> reqs = DbtAthena().Requirements(DbtAthena().Bind(Vars(row)));
  PolicyParseResult parsed = ParsePolicy(
      R"({"Version": "2012-10-17", "Statement": [)" + row.statements + "]}", "policy.json");
  ASSERT_TRUE(parsed.policy) << parsed.errors.front().ToString();
  PolicySet set;
  set.identity.push_back(std::move(*parsed.policy));
  AuditOptions options;
  options.profile_name = "dbt-athena";
  options.over_broad = false;
  options.lint = false;
  for (const auto& [k, v] : row.context) options.context.Add(k, v);
  const AuditResult result = Audit(TestCatalog(), set, reqs, options);
  ASSERT_TRUE(result.errors.empty());
  for (const Expect& e : row.expect) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      const Requirement& r = reqs[i];
      if ((e.group.empty() || r.group_id == e.group) && r.action == e.action &&
          (e.resource.empty() || r.resource == e.resource)) {
        found = i;
        break;
      }
    }
    const std::string what = e.group + " " + e.action + " " + e.resource;
    if (e.status == "absent") {
      EXPECT_FALSE(found) << what << " is required (group " << reqs[*found].group_id << ")";
      continue;
    }
    ASSERT_TRUE(found) << what << " is not required";
    EXPECT_EQ(CoverageName(result.results[*found].coverage), e.status) << what;
    if (!e.severity.empty()) {
      EXPECT_EQ(SeverityName(reqs[*found].severity), e.severity) << what;
    }
  }
}

const char kQueriesOnPrimary[] = R"({"Effect": "Allow", "Action": ["athena:StartQueryExecution",
    "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution"],
    "Resource": "arn:aws:athena:eu-west-1:111122223333:workgroup/primary"})";

// 1. GetWorkGroup only when work_group is set (A/impl.py:360); primary otherwise.
TEST(DbtAthenaProfile, Defect1WorkGroupCheckOnlyForAConfiguredWorkgroup) {
  Check({"no work_group",
         {},
         kQueriesOnPrimary,
         {{"athena-queries", "athena:StartQueryExecution", kWg + "primary", "granted"},
          {"", "athena:GetWorkGroup", "", "absent"}}});
  Check({"work_group set",
         {{"work_group", "etl"}},
         kQueriesOnPrimary,
         {{"athena-queries", "athena:StartQueryExecution", kWg + "etl", "missing"},
          {"athena-workgroup", "athena:GetWorkGroup", kWg + "etl", "missing"}}});
  Check({"work_group set, skip_workgroup_check",
         {{"work_group", "etl"}, {"skip_workgroup_check", "true"}},
         kQueriesOnPrimary,
         {{"", "athena:GetWorkGroup", "", "absent"}}});
}

// 2. The adapter lower-cases the catalog name (A/impl.py:973).
TEST(DbtAthenaProfile, Defect2CatalogNamesCompareLowerCased) {
  for (const char* spelling : {"AwsDataCatalog", "AWSDATACATALOG", "awsdatacatalog"}) {
    Check({std::string("database: ") + spelling,
           {{"database", spelling}},
           kQueriesOnPrimary,
           {{"", "athena:GetDataCatalog", "", "absent"},
            {"", "athena:ListTableMetadata", "", "absent"}}});
  }
}

// 3. Cross-account Glue catalog: list_schemas sends no CatalogId (A/impl.py:1417-1431);
// ListTableMetadata only for non-Glue catalogs (A/impl.py:865).
TEST(DbtAthenaProfile, Defect3CrossAccountCatalogListsTheOwnCatalog) {
  const std::string own_list = R"({"Effect": "Allow", "Action": "glue:GetDatabases", "Resource": [
      "arn:aws:glue:eu-west-1:111122223333:catalog",
      "arn:aws:glue:eu-west-1:111122223333:database/*"]})";
  const std::string other = "arn:aws:glue:eu-west-1:444455556666:";
  Check({"cross-account Glue catalog",
         {{"database", "shared"}, {"catalog_account_id", "444455556666"}},
         own_list,
         {{"glue-list-databases", "glue:GetDatabases", kGlue + "catalog", "granted"},
          {"glue-list-databases", "glue:GetDatabases", kGlue + "database/*", "granted"},
          {"", "glue:GetDatabases", other + "catalog", "absent"},
          {"", "glue:GetDatabases", other + "database/analytics", "absent"},
          {"glue-write-databases", "glue:GetTable", other + "table/analytics/*", "missing"},
          {"athena-data-catalog", "athena:GetDataCatalog",
           "arn:aws:athena:eu-west-1:111122223333:datacatalog/shared", "missing"},
          {"", "athena:ListTableMetadata", "", "absent"}}});
  Check({"federated (Lambda) catalog",
         {{"database", "ddb"}, {"data_catalog_type", "LAMBDA"}},
         own_list,
         {{"athena-table-metadata", "athena:ListTableMetadata",
           "arn:aws:athena:eu-west-1:111122223333:datacatalog/ddb", "missing", "note"}}});
}

// 4. SSE-KMS needs kms:GenerateDataKey and kms:Decrypt; the rest of the doc's
// kms:GenerateDataKey* and kms:DescribeKey are notes.
TEST(DbtAthenaProfile, Defect4KmsErrorsOnlyForWhatSseKmsCalls) {
  Check({"kms keys",
         {{"kms_key_arns", kKey}},
         R"({"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
             "Resource": "arn:aws:kms:eu-west-1:111122223333:key/k-1"})",
         {{"kms-keys", "kms:GenerateDataKey", kKey, "granted", "error"},
          {"kms-keys", "kms:Decrypt", kKey, "granted", "error"},
          {"", "kms:GenerateDataKeyPair", kKey, "missing", "note"},
          {"", "kms:GenerateDataKeyWithoutPlaintext", kKey, "missing", "note"},
          {"", "kms:GenerateDataKeyPairWithoutPlaintext", kKey, "missing", "note"},
          {"", "kms:DescribeKey", kKey, "missing", "note"}}});
}

// 5. lf_tags_database alone: AddLFTagsToResource only (A/lakeformation.py:48-55).
TEST(DbtAthenaProfile, Defect5DatabaseTagsNeedOnlyAddLfTags) {
  const char add[] = R"({"Effect": "Allow", "Action": "lakeformation:AddLFTagsToResource",
                         "Resource": "*"})";
  Check({"lf_tags_database",
         {{"lf_tags_database", "true"}},
         add,
         {{"lake-formation-database-tags", "lakeformation:AddLFTagsToResource", "*", "granted"},
          {"", "lakeformation:RemoveLFTagsFromResource", "", "absent"},
          {"", "lakeformation:GetResourceLFTags", "", "absent"}}});
  Check({"model lf_tags_config",
         {{"lf_tags", "true"}},
         add,
         {{"lake-formation-tags", "lakeformation:RemoveLFTagsFromResource", "*", "missing"},
          {"lake-formation-tags", "lakeformation:GetResourceLFTags", "*", "missing"}}});
}

// 6a. s3:prefix of dbt's own listing: under s3_data_dir (A/impl.py:794).
TEST(DbtAthenaProfile, Defect6ListBucketPrefixIsDecided) {
  const auto list_with_prefix = [](const std::string& prefix) {
    return R"({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::acme-results",
               "Condition": {"StringLike": {"s3:prefix": ")" +
           prefix + R"("}}})";
  };
  Check({"ListBucket for another prefix",
         {},
         list_with_prefix("other/*"),
         {{"s3-dbt-list-data", "s3:ListBucket", "arn:aws:s3:::acme-results", "missing"}}});
  Check({"ListBucket for dbt's prefix",
         {},
         list_with_prefix("dbt/*"),
         {{"s3-dbt-list-data", "s3:ListBucket", "arn:aws:s3:::acme-results", "granted"}}});
}

// 6b. aws:CalledVia: dbt's own deletes carry none, Athena's writes carry athena.
TEST(DbtAthenaProfile, Defect6CalledViaDecidesForBothCallers) {
  const char via_athena[] = R"({"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::acme-results/dbt/*",
      "Condition": {"ForAnyValue:StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}}})";
  const std::string data = "arn:aws:s3:::acme-results/dbt/tables/*";
  Check({"allow only via Athena",
         {},
         via_athena,
         {{"s3-table-data", "s3:DeleteObject", data, "granted"},
          {"s3-dbt-table-data", "s3:DeleteObject", data, "missing"},
          {"s3-dbt-table-data", "s3:PutObject", data, "missing"}}});
  // --context overrides the profile's context: the user says dbt's calls carry it too.
  Check({"allow only via Athena, --context aws:CalledVia=athena.amazonaws.com",
         {},
         via_athena,
         {{"s3-dbt-table-data", "s3:DeleteObject", data, "granted"}},
         {{"aws:CalledVia", "athena.amazonaws.com"}}});
  const char not_via_service[] = R"({"Effect": "Allow", "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::acme-results/dbt/*",
      "Condition": {"Bool": {"aws:ViaAWSService": "false"}}})";
  Check({"allow only direct calls",
         {},
         not_via_service,
         {{"s3-dbt-table-data", "s3:DeleteObject", data, "granted"},
          {"s3-table-data", "s3:DeleteObject", data, "missing"}}});
}

// 6c. aws:RequestedRegion on every group: a region guardrail decides.
TEST(DbtAthenaProfile, Defect6RegionGuardrailDecides) {
  const auto guardrail = [](const std::string& region) {
    return std::string(R"({"Effect": "Allow", "Action": ["athena:*", "glue:*", "s3:*"],
        "Resource": "*"}, {"Effect": "Deny", "Action": "*", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ")") +
           region + R"("}}})";
  };
  Check({"guardrail for the target's region",
         {},
         guardrail("eu-west-1"),
         {{"athena-queries", "athena:StartQueryExecution", kWg + "primary", "granted"},
          {"glue-write-athena", "glue:CreateTable", kGlue + "table/analytics/*", "granted"},
          {"s3-dbt-table-data", "s3:DeleteObject", "arn:aws:s3:::acme-results/dbt/tables/*",
           "granted"},
          {"s3-query-results", "s3:PutObject", "arn:aws:s3:::acme-results/dbt/*", "granted"}}});
  Check({"guardrail for another region",
         {},
         guardrail("us-east-1"),
         {{"athena-queries", "athena:StartQueryExecution", kWg + "primary", "denied"},
          {"s3-query-results", "s3:PutObject", "arn:aws:s3:::acme-results/dbt/*", "denied"}}});
}

// 7. S3 Tables catalogs (A/impl.py:980) are refused, not audited on the wrong ARNs.
TEST(DbtAthenaProfile, Defect7S3TablesCatalogIsRefused) {
  for (const char* db : {"s3tablescatalog/tables-bucket", "S3TablesCatalog/Tables-Bucket"}) {
    Row row{db, {{"database", db}}, "", {}};
    try {
      DbtAthena().Requirements(DbtAthena().Bind(Vars(row)));
      ADD_FAILURE() << db << " was not refused";
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), HasSubstr("S3 Tables catalogs are not modelled"));
      EXPECT_THAT(e.what(), HasSubstr("catalog/s3tablescatalog/<bucket>"));
    }
  }
}

// 8. An enforced workgroup output location: results and Hive CTAS data go
// there (M/.../create_table_as.sql:138); s3_data_dir still derives from
// s3_staging_dir (A/impl.py:400).
TEST(DbtAthenaProfile, Defect8EnforcedWorkgroupLocationScopesTheWrites) {
  const std::string wg = "arn:aws:s3:::wg-out/results/*";
  Check({"enforced output location",
         {{"work_group", "etl"}, {"work_group_output_location", "s3://wg-out/results/"}},
         R"({"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"],
             "Resource": "arn:aws:s3:::wg-out/results/*"})",
         {{"s3-query-results", "s3:PutObject", wg, "granted"},
          {"s3-query-results", "s3:PutObject", "arn:aws:s3:::acme-results/dbt/*", "absent"},
          {"s3-dbt-workgroup-table-data", "s3:DeleteObject", wg, "granted"},
          {"s3-table-data", "s3:PutObject", "arn:aws:s3:::acme-results/dbt/tables/*", "missing"}}});
  Check({"enforced output location, but dbt skips the check",
         {{"work_group", "etl"},
          {"skip_workgroup_check", "true"},
          {"work_group_output_location", "s3://wg-out/results/"}},
         R"({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::wg-out/*"})",
         {{"s3-query-results", "s3:PutObject", wg, "granted"},
          {"", "s3:DeleteObject", wg, "absent"}}});
}

// 9. Gaps closed behind variables: seed ACLs (A/impl.py:665), dropping schemas
// (A/impl.py:1571, M/adapters/schema.sql:11-15), model-level locations.
TEST(DbtAthenaProfile, Defect9GapsBehindVariables) {
  const char none[] = R"({"Effect": "Allow", "Action": "athena:ListWorkGroups", "Resource": "*"})";
  Check({"defaults",
         {},
         none,
         {{"", "s3:PutObjectAcl", "", "absent"}, {"", "glue:DeleteDatabase", "", "absent"}}});
  Check({"seed ACL, drop schemas, model location",
         {{"seed_s3_upload_acl", "true"},
          {"drop_schemas", "true"},
          {"model_locations", "s3://ext/models/"}},
         none,
         {{"s3-seed-acl", "s3:PutObjectAcl", "arn:aws:s3:::acme-results/dbt/tables/*", "missing"},
          {"glue-drop-databases", "glue:DeleteDatabase", kGlue + "database/analytics", "missing"},
          {"glue-drop-databases", "glue:DeleteDatabase", kGlue + "table/analytics/*", "missing"},
          {"s3-table-data", "s3:PutObject", "arn:aws:s3:::ext/models/*", "missing"},
          {"s3-dbt-table-data", "s3:DeleteObject", "arn:aws:s3:::ext/models/*", "missing"}}});
}

// dbt and Athena both call glue:GetTable: two requirements (one per request
// context), but a policy without it has one gap, so one finding.
TEST(DbtAthenaProfile, TheSameGapOfTwoCallersIsOneFinding) {
  Row row{"", {}, "", {}};
  const std::vector<Requirement> reqs = DbtAthena().Requirements(DbtAthena().Bind(Vars(row)));
  const std::string table = kGlue + "table/analytics/*";
  const auto requiring = std::count_if(reqs.begin(), reqs.end(), [&](const Requirement& r) {
    return r.action == "glue:GetTable" && r.resource == table;
  });
  EXPECT_EQ(requiring, 2);
  PolicySet set;
  set.identity.push_back(
      *ParsePolicy(
           R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
          "Resource": "*"}]})",
           "p.json")
           .policy);
  AuditOptions options;
  options.over_broad = false;
  options.lint = false;
  const AuditResult result = Audit(TestCatalog(), set, reqs, options);
  const auto findings = std::count_if(
      result.findings.begin(), result.findings.end(),
      [&](const Finding& f) { return f.action == "glue:GetTable" && f.resource == table; });
  EXPECT_EQ(findings, 1);
}

}  // namespace
}  // namespace iam_audit
