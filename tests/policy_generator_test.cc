#include "iam_audit/policy_generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "iam_audit/catalog.h"
#include "iam_audit/glob.h"

#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::TestCatalog;

Requirement Req(const std::string& group, const std::string& action, const std::string& resource,
                const std::string& type, AccessLevels access) {
  Requirement r;
  r.group_id = group;
  r.action = action;
  r.resource = resource;
  r.resource_type = type;
  r.access = access;
  return r;
}

std::vector<Requirement> DbtAthenaRequirements(const std::vector<std::string>& extra_vars) {
  const Profile p = LoadProfile("dbt-athena", TestCatalog());
  std::vector<VariableInput> in;
  for (const std::string& v : std::vector<std::string>{
           "region_name=eu-west-1", "account_id=111122223333", "schema=analytics",
           "s3_staging_dir=s3://acme-results/dbt/", "read_databases=raw",
           "read_locations=s3://acme-lake/raw/",
           "kms_key_arns=arn:aws:kms:eu-west-1:111122223333:key/k-1", "lake_formation=true"}) {
    const std::size_t eq = v.find('=');
    in.push_back({v.substr(0, eq), {v.substr(eq + 1)}, false, "test"});
  }
  for (const std::string& v : extra_vars) {
    const std::size_t eq = v.find('=');
    in.push_back({v.substr(0, eq), {v.substr(eq + 1)}, false, "test"});
  }
  return p.Requirements(p.Bind(in));
}

// Every requirement is granted: some statement names the action and a
// resource that covers the required pattern.
void ExpectCovers(const std::vector<GeneratedPolicy>& policies,
                  const std::vector<Requirement>& requirements) {
  std::set<std::pair<std::string, std::string>> granted;
  for (const GeneratedPolicy& p : policies) {
    for (const PolicyStatement& s : p.statements) {
      for (const std::string& a : s.actions) {
        for (const std::string& res : s.resources) granted.emplace(a, res);
      }
    }
  }
  for (const Requirement& r : requirements) {
    bool ok = granted.count({r.action, r.resource}) > 0;
    for (auto it = granted.begin(); !ok && it != granted.end(); ++it) {
      ok = it->first == r.action && Glob::Compile(it->second).Covers(Glob::Compile(r.resource));
    }
    EXPECT_TRUE(ok) << r.action << " on " << r.resource;
  }
}

// Nothing beyond the requirements: every (action, resource) granted is required.
void ExpectExact(const std::vector<GeneratedPolicy>& policies,
                 const std::vector<Requirement>& requirements) {
  std::set<std::pair<std::string, std::string>> required;
  for (const Requirement& r : requirements) required.emplace(r.action, r.resource);
  for (const GeneratedPolicy& p : policies) {
    for (const PolicyStatement& s : p.statements) {
      for (const std::string& a : s.actions) {
        for (const std::string& res : s.resources) {
          EXPECT_TRUE(required.count({a, res})) << s.sid << " grants " << a << " on " << res;
        }
      }
    }
  }
}

TEST(PolicySizeTest, IgnoresWhitespace) {
  EXPECT_EQ(PolicySize("{ \"a\" :\n\t[ 1 ,2 ] }\r\n"), 11u);
  EXPECT_EQ(PolicySize(""), 0u);
}

TEST(GeneratePolicies, GroupsActionsBySameResources) {
  const std::string cat = "arn:aws:glue:r:1:catalog", db = "arn:aws:glue:r:1:database/d",
                    tbl = "arn:aws:glue:r:1:table/d/*";
  const std::vector<Requirement> reqs = {
      Req("g", "glue:CreateDatabase", cat, "rootcatalog", kAccessWrite),
      Req("g", "glue:CreateDatabase", db, "database", kAccessWrite),
      Req("g", "glue:GetTable", cat, "rootcatalog", kAccessRead),
      Req("g", "glue:GetTable", db, "database", kAccessRead),
      Req("g", "glue:GetTable", tbl, "table", kAccessRead),
      Req("g", "glue:GetDatabase", cat, "rootcatalog", kAccessRead),
      Req("g", "glue:GetDatabase", db, "database", kAccessRead),
      Req("h", "glue:GetTables", cat, "rootcatalog", kAccessRead),
      Req("h", "glue:GetTables", db, "database", kAccessRead),
      Req("h", "glue:GetTables", tbl, "table", kAccessRead),
      Req("lf", "lakeformation:GetDataAccess", "*", "*", kAccessWrite),
  };
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs);
  ASSERT_EQ(policies.size(), 1u);
  const auto& s = policies[0].statements;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].sid, "GlueUseDatabases");
  EXPECT_THAT(s[0].actions, ElementsAre("glue:CreateDatabase", "glue:GetDatabase"));
  EXPECT_THAT(s[0].resources, ElementsAre(cat, db));
  EXPECT_EQ(s[1].sid, "GlueReadTables");
  EXPECT_THAT(s[1].actions, ElementsAre("glue:GetTable", "glue:GetTables"));
  EXPECT_THAT(s[1].resources, ElementsAre(cat, db, tbl));
  EXPECT_EQ(s[2].sid, "LakeformationWrite");
  EXPECT_THAT(s[2].resources, ElementsAre("*"));

  const nlohmann::json doc = nlohmann::json::parse(policies[0].ToJson());
  EXPECT_EQ(doc["Version"], "2012-10-17");
  EXPECT_EQ(doc["Statement"][0]["Effect"], "Allow");
  EXPECT_EQ(doc["Statement"][2]["Action"][0], "lakeformation:GetDataAccess");
}

TEST(GeneratePolicies, DropsResourcesCoveredByAnotherOfTheSameAction) {
  const std::vector<Requirement> reqs = {
      Req("s3", "s3:PutObject", "arn:aws:s3:::b/dbt/*", "object", kAccessWrite),
      Req("s3", "s3:PutObject", "arn:aws:s3:::b/dbt/tables/*", "object", kAccessWrite),
      Req("s3", "s3:PutObject", "arn:aws:s3:::b/dbt/*", "object", kAccessWrite),
  };
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs);
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_THAT(policies[0].statements.at(0).resources, ElementsAre("arn:aws:s3:::b/dbt/*"));
  EXPECT_EQ(policies[0].statements.at(0).sid, "S3WriteObjects");
  ExpectCovers(policies, reqs);
}

TEST(GeneratePolicies, UniqueSids) {
  const std::vector<Requirement> reqs = {
      Req("a", "s3:GetObject", "arn:aws:s3:::a/*", "object", kAccessRead),
      Req("b", "s3:ListMultipartUploadParts", "arn:aws:s3:::b/*", "object", kAccessList),
  };
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs);
  const auto& s = policies.at(0).statements;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].sid, "S3ReadObjects");
  EXPECT_EQ(s[1].sid, "S3ReadObjects2");
}

TEST(GeneratePolicies, DbtAthenaPolicyIsExactAndFits) {
  const std::vector<Requirement> reqs = DbtAthenaRequirements({});
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs);
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_LE(policies[0].Size(), kManagedPolicyMaxSize);
  EXPECT_EQ(policies[0].Size(), nlohmann::json::parse(policies[0].ToJson()).dump().size());
  ExpectCovers(policies, reqs);
  ExpectExact(policies, reqs);
  std::set<std::string> sids;
  for (const PolicyStatement& s : policies[0].statements) {
    EXPECT_TRUE(sids.insert(s.sid).second) << s.sid;
    EXPECT_TRUE(std::all_of(s.sid.begin(), s.sid.end(), [](char c) { return std::isalnum(c); }));
  }
}

TEST(GeneratePolicies, ManyWriteDatabasesSplitIntoPoliciesThatFit) {
  std::string dbs;
  for (int i = 0; i < 60; ++i) dbs += (i ? "," : "") + std::string("dbt_mart_") + std::to_string(i);
  const std::vector<Requirement> reqs = DbtAthenaRequirements({"write_databases=" + dbs});
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs);
  ASSERT_GE(policies.size(), 2u);
  for (const GeneratedPolicy& p : policies) {
    EXPECT_LE(p.Size(), kManagedPolicyMaxSize);
    EXPECT_TRUE(nlohmann::json::accept(p.ToJson()));
  }
  ExpectCovers(policies, reqs);
  ExpectExact(policies, reqs);
}

TEST(GeneratePolicies, OversizedStatementIsSplitIntoParts) {
  std::vector<Requirement> reqs;
  for (int i = 0; i < 40; ++i) {
    reqs.push_back(Req("g", "glue:GetTable",
                       "arn:aws:glue:eu-west-1:111122223333:table/db_" + std::to_string(i) + "/*",
                       "table", kAccessRead));
  }
  const std::vector<GeneratedPolicy> policies = GeneratePolicies(reqs, {1000});
  ASSERT_GE(policies.size(), 2u);
  std::vector<std::string> sids;
  for (std::size_t i = 0; i + 1 < policies.size(); ++i) {
    // First fit: the next policy's first statement did not fit in this one.
    const GeneratedPolicy next_first{{policies[i + 1].statements.front()}};
    EXPECT_GT(policies[i].Size() + 1 + next_first.Size() - 39, 1000u);
  }
  for (const GeneratedPolicy& p : policies) {
    EXPECT_LE(p.Size(), 1000u);
    for (const PolicyStatement& s : p.statements) sids.push_back(s.sid);
  }
  EXPECT_EQ(sids.front(), "GlueReadTablesPart1");
  EXPECT_EQ(sids.back(), "GlueReadTablesPart" + std::to_string(sids.size()));
  ExpectCovers(policies, reqs);
}

TEST(GeneratePolicies, LimitTooSmallIsAnError) {
  const std::vector<Requirement> reqs = {Req("g", "glue:GetTable",
                                             "arn:aws:glue:eu-west-1:111122223333:table/db/*",
                                             "table", kAccessRead)};
  try {
    GeneratePolicies(reqs, {100});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is too small for one statement granting glue:GetTable"));
  }
}

}  // namespace
}  // namespace iam_audit
