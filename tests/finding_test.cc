// The finding table and Finding values: stable ids, severities, fingerprints.
#include "iam_audit/finding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "iam_audit/policy.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::StartsWith;

TEST(FindingTest, TableHasStableIdsAndDefaults) {
  // The ids are a public interface (JSON, SARIF, suppressions, baselines).
  const std::vector<std::pair<std::string, Severity>> expected = {
      {"missing-permission", Severity::kError},
      {"denied-permission", Severity::kError},
      {"partial-permission", Severity::kError},
      {"conditional-permission", Severity::kWarning},
      {"over-broad-action", Severity::kWarning},
      {"over-broad-resource", Severity::kWarning},
      {"unknown-action", Severity::kWarning},
      {"stale-suppression", Severity::kWarning},
      {"expired-suppression", Severity::kWarning},
      {"allow-all-actions", Severity::kError},
      {"allow-not-action", Severity::kWarning},
      {"pass-role-wildcard", Severity::kWarning},
      // Lint rules of issue 15.
      {"allow-not-resource", Severity::kWarning},
      {"redundant-action", Severity::kNote},
      {"unknown-condition-key", Severity::kError},
      {"condition-type-mismatch", Severity::kWarning},
      {"set-operator-on-single-valued-key", Severity::kWarning},
      {"multivalued-key-without-set-operator", Severity::kWarning},
      {"mfa-bool-false", Severity::kWarning},
      {"wildcard-without-like", Severity::kWarning},
      {"private-source-ip", Severity::kWarning},
      {"condition-value-never-matches", Severity::kWarning},
      {"condition-key-not-for-action", Severity::kNote},
      {"invalid-arn", Severity::kError},
      {"resource-type-mismatch", Severity::kWarning},
      {"missing-resource", Severity::kError},
      {"public-principal", Severity::kError},
      {"allow-not-principal", Severity::kWarning},
      {"invalid-principal", Severity::kError},
      {"federated-principal-without-condition", Severity::kWarning},
      {"service-principal-without-source", Severity::kNote},
      {"element-not-allowed-for-policy-type", Severity::kError},
      {"missing-version", Severity::kNote},
      {"old-version", Severity::kNote},
      {"variable-without-version", Severity::kError},
      {"malformed-variable", Severity::kError},
      {"policy-size-exceeds-quota", Severity::kError},
      {"duplicate-statement", Severity::kNote},
      {"statement-shadowed-by-deny", Severity::kNote},
      // Risk categories (issue 11).
      {"privilege-escalation", Severity::kError},
      {"credentials-exposure", Severity::kError},
      {"resource-exposure", Severity::kError},
      {"data-destruction", Severity::kError},
      {"data-exfiltration", Severity::kWarning},
      {"service-wildcard", Severity::kWarning},
      {"resource-policy-denied", Severity::kError},
      {"resource-policy-not-given", Severity::kNote},
      // Input (issue 14).
      {"invalid-policy", Severity::kError},
      {"policy-warning", Severity::kWarning},
      // Lint rules from Access Analyzer's checks (session 4).
      {"redundant-resource", Severity::kNote},
      {"redundant-principal", Severity::kNote},
      {"missing-paired-condition-key", Severity::kWarning},
      {"invalid-vpc-id", Severity::kWarning},
      {"resource-effectively-star", Severity::kNote},
      {"trust-policy-action", Severity::kError},
  };
  ASSERT_EQ(FindingRules().size(), expected.size());
  std::set<std::string_view> sarif_names;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const FindingRule& r = FindingRules()[i];
    EXPECT_EQ(r.name, expected[i].first);
    EXPECT_EQ(r.severity, expected[i].second) << r.name;
    EXPECT_EQ(static_cast<std::size_t>(r.id), i);
    EXPECT_EQ(&RuleFor(r.id), &r);
    EXPECT_EQ(ParseFindingId(r.name), r.id);
    EXPECT_FALSE(r.title.empty());
    EXPECT_GT(r.help.size(), r.title.size());
    EXPECT_TRUE(sarif_names.insert(r.sarif_name).second) << r.sarif_name;
  }
  EXPECT_EQ(ParseFindingId("Missing-Permission"), std::nullopt);
  EXPECT_EQ(ParseFindingId(""), std::nullopt);
}

TEST(FindingTest, MakeFindingTakesTheRuleDefaults) {
  const Finding f = MakeFinding(FindingId::kConditionalPermission, "p.json", {3, 7});
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_EQ(f.name(), "conditional-permission");
  EXPECT_EQ(f.file, "p.json");
  EXPECT_EQ(f.where, (SourceLocation{3, 7}));
}

Finding Sample() {
  Finding f = MakeFinding(FindingId::kMissingPermission, "policy.json", {1, 1});
  f.action = "s3:GetObject";
  f.resource = "arn:aws:s3:::b/*";
  f.message = "m";
  return f;
}

TEST(FindingTest, FingerprintIgnoresLocationAndMessage) {
  Finding a = Sample();
  Finding b = Sample();
  b.where = {40, 3};
  b.message = "another wording";
  b.severity = Severity::kNote;
  EXPECT_EQ(Fingerprint(a, "sid:X"), Fingerprint(b, "sid:X"));
  EXPECT_EQ(Fingerprint(a, "").size(), 16u);
}

TEST(FindingTest, FingerprintDependsOnWhatTheFindingIsAbout) {
  const Finding base = Sample();
  std::set<std::string> seen = {Fingerprint(base, "")};
  Finding f = base;
  f.id = FindingId::kPartialPermission;
  EXPECT_TRUE(seen.insert(Fingerprint(f, "")).second);
  f = base;
  f.file = "other.json";
  EXPECT_TRUE(seen.insert(Fingerprint(f, "")).second);
  f = base;
  f.action = "s3:PutObject";
  EXPECT_TRUE(seen.insert(Fingerprint(f, "")).second);
  f = base;
  f.resource = "arn:aws:s3:::c/*";
  EXPECT_TRUE(seen.insert(Fingerprint(f, "")).second);
  EXPECT_TRUE(seen.insert(Fingerprint(base, "sid:A")).second);
  // Fields are delimited: moving text between them changes the hash.
  f = base;
  f.action = "s3:GetObjectarn:aws:s3:::b/*";
  f.resource = "";
  EXPECT_TRUE(seen.insert(Fingerprint(f, "")).second);
}

Statement ParseOne(const std::string& statement) {
  PolicyParseResult r =
      ParsePolicy(R"({"Version": "2012-10-17", "Statement": [)" + statement + "]}", "p.json");
  EXPECT_TRUE(r.policy) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return r.policy ? r.policy->statements.at(0) : Statement();
}

TEST(FindingTest, StatementKeyUsesTheSidOrTheNormalisedContent) {
  EXPECT_EQ(StatementKey(ParseOne(R"({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
                                      "Resource": "*"})")),
            "sid:Read");
  const std::string a = StatementKey(ParseOne(
      R"({"Effect": "Allow", "Action": ["s3:GetObject", "S3:PutObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::a"]})"));
  const std::string b = StatementKey(ParseOne(R"({
      "Resource": ["arn:aws:s3:::a", "arn:aws:s3:::b"], "Action": ["s3:putobject", "s3:GetObject"], "Effect": "Allow"})"));
  EXPECT_THAT(a, StartsWith("content:"));
  EXPECT_EQ(a, b);
  // Resource case matters to IAM, and so does the effect.
  EXPECT_NE(a, StatementKey(ParseOne(R"({"Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::B", "arn:aws:s3:::a"]})")));
  EXPECT_NE(a, StatementKey(ParseOne(R"({"Effect": "Deny",
      "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::a"]})")));
  EXPECT_NE(a, StatementKey(ParseOne(R"({"Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::a"],
      "Condition": {"Bool": {"aws:SecureTransport": "true"}}})")));
}

TEST(FindingTest, SortByFileThenPosition) {
  std::vector<Finding> v;
  for (const auto& [file, line, column] : std::vector<std::tuple<std::string, int, int>>{
           {"b.json", 1, 1}, {"a.json", 9, 1}, {"a.json", 2, 5}, {"a.json", 2, 3}}) {
    v.push_back(MakeFinding(FindingId::kUnknownAction, file, {line, column}));
  }
  SortFindings(v);
  EXPECT_EQ(v[0].where, (SourceLocation{2, 3}));
  EXPECT_EQ(v[1].where, (SourceLocation{2, 5}));
  EXPECT_EQ(v[2].where, (SourceLocation{9, 1}));
  EXPECT_EQ(v[3].file, "b.json");
}

// docs/audit.md's "Findings" table is the documentation of the finding table:
// every rule has a row with its category and default severity, and every row
// names a rule.
TEST(FindingTest, DocsTableListsEveryRule) {
  std::istringstream doc(testing::ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/docs/audit.md"));
  std::map<std::string, std::pair<std::string, std::string>> rows;  // id -> (category, severity)
  bool in_findings = false;
  for (std::string line; std::getline(doc, line);) {
    if (line.rfind("## ", 0) == 0) in_findings = line == "## Findings";
    if (!in_findings || line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      cells.push_back(cell.substr(cell.find_first_not_of(' ')));
      cells.back().erase(cells.back().find_last_not_of(' ') + 1);
    }
    ASSERT_GE(cells.size(), 3u) << line;
    const std::string id = cells[0].substr(1, cells[0].size() - 2);  // `id`
    EXPECT_TRUE(rows.emplace(id, std::make_pair(cells[1], cells[2])).second) << "twice: " << id;
  }
  for (const FindingRule& r : FindingRules()) {
    const auto it = rows.find(std::string(r.name));
    if (it == rows.end()) {
      ADD_FAILURE() << "docs/audit.md's Findings table has no row for " << r.name;
      continue;
    }
    EXPECT_EQ(it->second.first, CategoryName(r.category)) << r.name;
    EXPECT_EQ(it->second.second, SeverityName(r.severity)) << r.name;
    rows.erase(it);
  }
  for (const auto& [id, unused] : rows)
    ADD_FAILURE() << "docs/audit.md documents unknown id " << id;
}

}  // namespace
}  // namespace iam_audit
