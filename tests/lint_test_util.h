// Helpers for the lint rule tests (lint_*_test.cc): a rule either reports a
// finding on a small policy or does not.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "iam_audit/lint.h"
#include "iam_audit/policy.h"
#include "test_util.h"

namespace iam_audit::testing {

// A rule's case: `policy` is a whole document, or one statement (then wrapped
// in a 2012-10-17 document); `expect` says whether `rule` reports on it.
struct LintCase {
  const char* name;
  const char* rule;
  std::string policy;
  bool expect;
  std::optional<LintPolicyType> type = std::nullopt;
  const char* message = "";  // a part of the finding's message, when expected
};

inline void PrintTo(const LintCase& c, std::ostream* os) { *os << c.name; }

inline std::string LintDocument(const std::string& policy) {
  if (policy.find("\"Statement\"") != std::string::npos) return policy;
  return "{\"Version\": \"2012-10-17\", \"Statement\": [\n" + policy + "\n]}";
}

inline std::vector<Finding> LintText(const std::string& text,
                                     std::optional<LintPolicyType> type = std::nullopt) {
  PolicyParseResult parsed = ParsePolicy(text, "policy.json");
  EXPECT_TRUE(parsed.policy) << (parsed.errors.empty() ? "" : parsed.errors.front().ToString());
  if (!parsed.policy) return {};
  PolicySet set;
  set.identity.push_back(std::move(*parsed.policy));
  LintOptions options;
  options.policy_type = type;
  LintResult r = Lint(TestCatalog(), set, options);
  EXPECT_TRUE(r.errors.empty()) << r.errors.front().ToString();
  return r.findings;
}

class LintRuleTest : public ::testing::TestWithParam<LintCase> {};

inline void CheckLintCase(const LintCase& c) {
  const std::vector<Finding> findings = LintText(LintDocument(c.policy), c.type);
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [&](const Finding& f) { return f.name() == c.rule; });
  std::string all;
  for (const Finding& f : findings) all += std::string(f.name()) + ": " + f.message + "\n";
  ASSERT_EQ(it != findings.end(), c.expect) << all;
  if (c.expect) {
    EXPECT_NE(it->message.find(c.message), std::string::npos) << it->message;
  }
}

constexpr auto kLintCaseName = [](const auto& info) { return std::string(info.param.name); };

}  // namespace iam_audit::testing
