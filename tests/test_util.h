// Helpers shared by the tests: running the iam-audit binary as a user would,
// reading fixture files, locating the optional ../shared data, and building
// the small policies and requirements of the engine's tests.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/finding.h"
#include "iam_audit/policy.h"
#include "iam_audit/profile.h"

namespace iam_audit::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built iam-audit binary with `args`, feeding `stdin_text` on its
// standard input. The working directory is `cwd` when given.
CommandResult RunIamAudit(const std::vector<std::string>& args, const std::string& stdin_text = "",
                          const std::string& cwd = "");

// Runs any command through /bin/sh -c.
CommandResult RunShell(const std::string& command, const std::string& stdin_text = "");

// `s` quoted for sh: 'it'\''s'.
std::string ShellQuote(const std::string& s);

// The embedded catalog, loaded once for the whole test binary.
const Catalog& TestCatalog();

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

// tests/data/<relative>
std::string TestData(const std::string& relative);

// Compares `actual` exactly with the golden file tests/data/<relative>:
//   EXPECT_TRUE(MatchesGolden(r.out, "expand/s3_get_tagging.txt"));
// With IAM_AUDIT_UPDATE_GOLDEN=1 in the environment it (re)writes the file
// instead and succeeds: review the diff before committing.
::testing::AssertionResult MatchesGolden(const std::string& actual, const std::string& relative);

// The ../shared folder beside the checkout, if present (CI and developers have
// it; a user's clone does not). Tests that need it GTEST_SKIP() when nullopt.
std::optional<std::string> SharedDir();

// --- small policies and requirements ---------------------------------------------------

// The policy `text` parses to (named `file`); a test failure, and an empty
// policy, when it does not parse.
Policy Parse(const std::string& text, const std::string& file = "policy.json");

// A 2012-10-17 policy document with one statement (a JSON object) per line:
// statement k (0-based) is on line k + 2.
std::string Doc(const std::vector<std::string>& statements);

// The finding names, in order.
std::vector<std::string> Ids(const std::vector<Finding>& findings);

// A requirement of group "g" on `action` and `resource` of `resource_type`,
// with the action's access level from TestCatalog() (none when the catalog
// does not know the action). The tests set the other fields they need.
Requirement RequirementOf(std::string action, std::string resource, std::string resource_type);

// A fresh temporary directory, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace iam_audit::testing
