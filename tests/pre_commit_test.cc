// The pre-commit hooks, for real: Debian's pre-commit runs this checkout's
// .pre-commit-hooks.yaml on `git commit` in a temporary repository, with the
// built iam-audit on PATH. A good policy commits; a bad one is refused with
// the finding in the output.
//
// pre-commit clones a hook repository at a commit, and this checkout may have
// no commit yet or uncommitted changes, so the test commits a copy of the
// checkout's .pre-commit-hooks.yaml (the file under test, unchanged) into a
// temporary hook repository and points the project's .pre-commit-config.yaml
// at that. The hooks use `language: system`, so nothing else of the
// repository is needed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "test_util.h"

namespace iam_audit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Makes sure `pre-commit` can run: installs Debian's package when missing
// and we are root. Returns a reason to skip, or "".
std::string EnsurePreCommit() {
  if (RunShell("command -v pre-commit && command -v git").exit_code == 0) return "";
  if (::geteuid() != 0) {
    return "pre-commit is not installed and the tests do not run as root "
           "(apt-get install pre-commit, or run scripts/setup.sh)";
  }
  const CommandResult install = RunShell(
      "export DEBIAN_FRONTEND=noninteractive; "
      "(apt-get install -y -qq --no-install-recommends pre-commit git || "
      "(apt-get update -qq && apt-get install -y -qq --no-install-recommends pre-commit git))");
  if (install.exit_code != 0 || RunShell("command -v pre-commit").exit_code != 0) {
    return "cannot install Debian's pre-commit package: " + install.err;
  }
  return "";
}

class PreCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string skip = EnsurePreCommit();
    if (!skip.empty()) GTEST_SKIP() << skip;
  }

  // Runs `command` in `dir` with the built iam-audit first on PATH, git
  // identity set, and pre-commit's cache inside the temporary folder.
  CommandResult Run(const std::string& dir, const std::string& command) {
    const std::string bin_dir = std::filesystem::path(IAM_AUDIT_BINARY).parent_path().string();
    const std::string env =
        "export PATH=" + testing::ShellQuote(bin_dir) +
        ":\"$PATH\" PRE_COMMIT_HOME=" + testing::ShellQuote(tmp_.File("cache")) +
        " HOME=" + testing::ShellQuote(tmp_.path()) +
        " GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com"
        " GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com"
        " GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 PRE_COMMIT_COLOR=never; ";
    return RunShell(env + "cd " + testing::ShellQuote(dir) + " && " + command + " 2>&1");
  }

  void MustRun(const std::string& dir, const std::string& command) {
    const CommandResult r = Run(dir, command);
    ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.out << r.err;
  }

  TempDir tmp_;
};

constexpr char kVars[] =
    "--var region_name=eu-west-1 --var account_id=111122223333 --var schema=analytics "
    "--var s3_staging_dir=s3://acme-athena-results/dbt/ --var s3_data_dir=s3://acme-lake/dbt/";

TEST_F(PreCommitTest, HooksPassAGoodPolicyAndRefuseABadOne) {
  // The hook repository: this checkout's .pre-commit-hooks.yaml, committed.
  const std::string hooks = tmp_.File("hooks");
  std::filesystem::create_directories(hooks);
  std::filesystem::copy_file(std::string(IAM_AUDIT_SOURCE_DIR) + "/.pre-commit-hooks.yaml",
                             hooks + "/.pre-commit-hooks.yaml");
  MustRun(hooks, "git init -q . && git add .pre-commit-hooks.yaml && git commit -q -m hooks");
  const std::string rev = Run(hooks, "git rev-parse HEAD").out.substr(0, 40);

  // The project: both hooks, the audit configured with args.
  const std::string project = tmp_.File("project");
  std::filesystem::create_directories(project + "/iam");
  WriteFile(project + "/.pre-commit-config.yaml",
            "repos:\n"
            "  - repo: " +
                hooks +
                "\n"
                "    rev: " +
                rev +
                "\n"
                "    hooks:\n"
                "      - id: iam-audit-lint\n"
                "      - id: iam-audit\n"
                "        args: [--profile, dbt-athena, --each, --var, region_name=eu-west-1,\n"
                "               --var, account_id=111122223333, --var, schema=analytics,\n"
                "               --var, 's3_staging_dir=s3://acme-athena-results/dbt/',\n"
                "               --var, 's3_data_dir=s3://acme-lake/dbt/']\n");
  MustRun(project,
          "git init -q . && git add .pre-commit-config.yaml && git commit -q -m config && "
          "pre-commit install");

  // A good policy: what `iam-audit generate` grants is exactly what the
  // profile needs. package.json is no policy: the hooks skip it.
  MustRun(project, testing::ShellQuote(IAM_AUDIT_BINARY) + " generate --profile dbt-athena " +
                       kVars + " > iam/dbt.json");
  WriteFile(project + "/package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}\n");
  CommandResult r = Run(project, "git add -A && git commit -m good");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("iam-audit lint"));
  EXPECT_THAT(r.out, HasSubstr("Passed"));
  EXPECT_THAT(r.out, Not(HasSubstr("Failed")));

  // A valid policy that lacks a permission: the lint passes, the audit fails
  // and shows the finding.
  const std::string good = ReadFile(project + "/iam/dbt.json");
  const std::size_t glue = good.find("\"glue:GetDatabase\"");
  ASSERT_NE(glue, std::string::npos) << good;
  std::string missing = good;
  missing.replace(glue, std::string("\"glue:GetDatabase\"").size(), "\"glue:GetDatabases\"");
  WriteFile(project + "/iam/dbt.json", missing);
  r = Run(project, "git add -A && git commit -m missing");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("iam-audit profile audit"));
  EXPECT_THAT(r.out, HasSubstr("Failed"));
  EXPECT_THAT(r.out, HasSubstr("glue:GetDatabase"));
  EXPECT_THAT(r.out, HasSubstr("missing"));

  // An invalid policy: the lint fails with FILE:LINE:COLUMN.
  WriteFile(
      project + "/iam/dbt.json",
      "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n"
      "    {\"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}\n");
  r = Run(project, "git add -A && git commit -m invalid");
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("iam/dbt.json:4:"));
  EXPECT_THAT(r.out, HasSubstr("Alow"));

  // Only the good commit landed.
  EXPECT_EQ(Run(project, "git log --format=%s").out, "good\nconfig\n");
}

}  // namespace
}  // namespace iam_audit
