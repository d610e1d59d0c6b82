// Helpers shared by the tests: running the iam-audit binary as a user would,
// reading fixture files, and locating the optional ../shared data.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "iam_audit/catalog.h"

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
