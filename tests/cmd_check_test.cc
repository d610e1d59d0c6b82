// `iam-audit [check]`, run as a user runs it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace iam_audit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ReadFile;
using testing::RunIamAudit;
using testing::RunShell;
using ::testing::StartsWith;
using testing::TempDir;
using testing::TestData;
using testing::WriteFile;

std::vector<fs::path> Fixtures(const std::string& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(TestData("policies/" + folder))) {
    if (entry.path().extension() == ".json") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The golden stderr of a fixture: FIXTURE.expected beside it ("" when a valid
// fixture has none).
std::string Expected(const fs::path& fixture, bool required) {
  fs::path expected = fixture;
  expected.replace_extension(".expected");
  if (!fs::exists(expected)) {
    EXPECT_FALSE(required) << "missing golden file " << expected;
    return "";
  }
  return ReadFile(expected.string());
}

// The text report of a file whose stderr is `err` and whose lint findings
// are `lint` lines: its errors and warnings are findings (invalid-policy,
// policy-warning), listed before the lint's, then the summary; "" when clean.
std::string ReportOf(const std::string& file, const std::string& err, const std::string& lint = "",
                     std::size_t lint_errors = 0) {
  // The diagnostics of `err`: each starts with "FILE:", and may go on over
  // several lines.
  std::vector<std::string> diagnostics;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(file + ":") || diagnostics.empty()) {
      diagnostics.push_back(line);
    } else {
      diagnostics.back() += "\n" + line;
    }
  }
  std::string out;
  std::size_t errors = lint_errors, warnings = 0;
  for (const std::string& d : diagnostics) {
    if (d.find(": note: ") != std::string::npos) continue;
    if (d.find(": warning: ") != std::string::npos) {
      out += d + " [policy-warning]\n";
      ++warnings;
      continue;
    }
    // "FILE:LINE:COLUMN: message" (or "FILE: message")
    const std::size_t at = d.find(": ");
    out += d.substr(0, at) + ": error: " + d.substr(at + 2) + " [invalid-policy]\n";
    ++errors;
  }
  out += lint;
  if (out.empty()) return "";
  return out + "\nSummary: 1 file linted: " + std::to_string(errors) +
         (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
         (warnings == 1 ? " warning" : " warnings") + ", 0 notes\n";
}

// Each fixture is checked from its own folder, so messages name it as a user
// would see it: "bad-effect.json:4:15: ...".
testing::CommandResult Check(const fs::path& fixture) {
  return RunIamAudit({"check", fixture.filename().string()}, "", fixture.parent_path().string());
}

TEST(CmdCheckTest, ValidPoliciesPass) {
  const std::vector<fs::path> fixtures = Fixtures("valid");
  ASSERT_GE(fixtures.size(), 10u);
  // Valid, but with lint findings (lint.h): their report, and exit code 1
  // for an error.
  struct Linted {
    std::string out;
    int exit_code;
  };
  const std::map<std::string, Linted> linted = {
      {"no-version.json",
       {"no-version.json:1:1: note: the policy has no Version: IAM reads it as Version "
        "2008-10-17, where policy variables are plain text; add \"Version\": \"2012-10-17\" "
        "[missing-version]\n"
        "no-version.json:2:47: error: statement #1 allows every action ('*') on "
        "every resource: full administrator access [allow-all-actions]\n"
        "no-version.json:2:47: error: statement #1 allows 31 actions that can let the principal "
        "gain more permissions (privilege escalation): iam:CreatePolicyVersion, "
        "iam:SetDefaultPolicyVersion, iam:AttachGroupPolicy, iam:AttachRolePolicy, "
        "iam:AttachUserPolicy and 26 more on *; rewrites (or rolls back to) a managed policy "
        "version, including one attached to the principal itself (risk iam-policy-version) "
        "[privilege-escalation]\n"
        "\nSummary: 1 file linted: 2 errors, 0 warnings, 1 note\n",
        1}},
      {"full-identity-policy.json",
       {"full-identity-policy.json:18:35: note: condition key 's3:max-keys' applies to none of "
        "the actions of statement 'OwnPrefixOnly' (s3:GetObject, s3:PutObject) in the catalog: "
        "their requests do not carry it, so the clause never holds "
        "[condition-key-not-for-action]\n"
        "\nSummary: 1 file linted: 0 errors, 0 warnings, 1 note\n",
        0}},
      {"trust-policy.json",
       {"trust-policy.json:6:67: warning: statement #1 trusts "
        "'token.actions.githubusercontent.com' with no Condition on "
        "token.actions.githubusercontent.com:sub: any GitHub repository's workflow can assume "
        "the role; restrict it to your repository and branch (repo:ORG/REPO:ref:refs/heads/main) "
        "[federated-principal-without-condition]\n"
        "\nSummary: 1 file linted: 0 errors, 1 warning, 0 notes\n",
        0}},
      {"version-2008-no-id.json",
       {"version-2008-no-id.json:1:12: note: Version 2008-10-17 is the old policy language, "
        "without policy variables; use \"2012-10-17\" [old-version]\n"
        "\nSummary: 1 file linted: 0 errors, 0 warnings, 1 note\n",
        0}},
  };
  for (const fs::path& fixture : fixtures) {
    const testing::CommandResult r = Check(fixture);
    // The text report shows the parser's warnings: they are printed once,
    // there, not on stderr too (issue 14).
    EXPECT_EQ(r.err, "") << fixture;
    const auto lint = linted.find(fixture.filename().string());
    // The parser's warnings are findings of the report too (issue 14).
    if (lint == linted.end()) {
      EXPECT_EQ(r.exit_code, 0) << fixture << "\n" << r.err;
      EXPECT_EQ(r.out, ReportOf(fixture.filename().string(), Expected(fixture, false))) << fixture;
    } else {
      EXPECT_EQ(r.exit_code, lint->second.exit_code) << fixture << "\n" << r.err;
      EXPECT_EQ(r.out, lint->second.out) << fixture;
    }
  }
}

TEST(CmdCheckTest, InvalidPoliciesPrintTheGoldenErrors) {
  const std::vector<fs::path> fixtures = Fixtures("invalid");
  ASSERT_GE(fixtures.size(), 30u);
  for (const fs::path& fixture : fixtures) {
    const testing::CommandResult r = Check(fixture);
    EXPECT_EQ(r.exit_code, 2) << fixture;
    // Every error is a finding of the report, in every format, printed once
    // (issue 14): in the text report, so not on stderr too.
    EXPECT_EQ(r.err, "") << fixture;
    EXPECT_EQ(r.out, ReportOf(fixture.filename().string(), Expected(fixture, true))) << fixture;
    // With a report for programs, they are on stderr.
    const testing::CommandResult json =
        RunIamAudit({"check", fixture.filename().string(), "--format", "json", "--no-config"}, "",
                    fixture.parent_path().string());
    EXPECT_EQ(json.err, Expected(fixture, true)) << fixture;
  }
}

TEST(CmdCheckTest, CheckIsTheDefaultCommand) {
  const fs::path fixture = TestData("policies/invalid/bad-effect.json");
  const testing::CommandResult with = Check(fixture);
  const testing::CommandResult without =
      RunIamAudit({fixture.filename().string()}, "", fixture.parent_path().string());
  EXPECT_EQ(without.exit_code, 2);
  EXPECT_EQ(without.out, with.out);
  EXPECT_EQ(RunIamAudit({TestData("policies/valid/minimal.json")}).exit_code, 0);
}

TEST(CmdCheckTest, ReadsStandardInput) {
  const std::string good = ReadFile(TestData("policies/valid/minimal.json"));
  const testing::CommandResult ok = RunIamAudit({"-"}, good);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.err, "");
  const testing::CommandResult bad =
      RunIamAudit({"check", "-", "--format", "json"}, "{\"Statement\": [}");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "<stdin>:1:16: expected a JSON value, found '}'\n");
}

TEST(CmdCheckTest, ChecksEveryFileAndFailsIfAnyFails) {
  const testing::CommandResult r =
      RunIamAudit({"valid/minimal.json", "invalid/missing-statement.json", "missing.json",
                   "valid/no-version.json", "--format", "json"},
                  "", TestData("policies"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "invalid/missing-statement.json:1:1: the policy has no Statement element\n"
            "missing.json: cannot open: No such file or directory\n");
  const testing::CommandResult all_good =
      RunIamAudit({"valid/minimal.json", "valid/trust-policy.json"}, "", TestData("policies"));
  EXPECT_EQ(all_good.exit_code, 0);
  EXPECT_EQ(all_good.err, "");
}

TEST(CmdCheckTest, UnreadableInputsAreInputErrors) {
  TempDir dir;
  EXPECT_EQ(RunIamAudit({"nope.json", "--format", "json"}, "", dir.path()).err,
            "nope.json: cannot open: No such file or directory\n");
  const testing::CommandResult d = RunIamAudit({"check", dir.path()});
  EXPECT_EQ(d.exit_code, 2);
  // A directory is scanned for policy files (check_gate.h); finding none is an input error.
  EXPECT_EQ(d.err,
            dir.path() + ": no policy files found below it (0 excluded, 0 plainly not IAM)\n");
  const testing::CommandResult none = RunIamAudit({"check"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("POLICY"));
}

// Files found in a directory are sniffed as they are read (FindPolicyFiles
// with Sniff::kLeaveToReader): one that is plainly not IAM is skipped, even
// when it is not JSON, and a directory holding only such files is an error.
TEST(CmdCheckTest, DirectoryFilesPlainlyNotIamAreSkippedAsTheyAreRead) {
  TempDir dir;
  WriteFile(dir.File("package.json"), "{\"name\": \"app\", \"version\": \"1.0.0\"");
  WriteFile(dir.File("ci.yml"), "jobs: {build: {runs-on: ubuntu-latest}}\n");
  const testing::CommandResult only = RunIamAudit({"check", dir.path(), "--no-config"});
  EXPECT_EQ(only.exit_code, 2);
  EXPECT_EQ(only.err,
            dir.path() + ": no policy files found below it (0 excluded, 2 plainly not IAM)\n");
  WriteFile(dir.File("policy.json"),
            R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
               "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})");
  const testing::CommandResult some =
      RunIamAudit({"check", dir.path(), "--no-config", "--verbose"});
  EXPECT_EQ(some.exit_code, 0) << some.err;
  EXPECT_THAT(some.err, HasSubstr("1 files checked, 2 skipped as plainly not IAM, 0 excluded"));
  EXPECT_THAT(some.err, HasSubstr("package.json: skipped: plainly not IAM"));
  // A file named on the command line is not sniffed: broken JSON is an error.
  const testing::CommandResult named = RunIamAudit({"check", dir.File("package.json")});
  EXPECT_EQ(named.exit_code, 2);
}

// Paths are reported lexically normal however they are typed, for a file
// named or found in a directory (check_gate.h: findings and baselines do
// not depend on it).
TEST(CmdCheckTest, PathsAreReportedLexicallyNormal) {
  TempDir dir;
  std::filesystem::create_directories(dir.File("d/e"));
  WriteFile(dir.File("d/e/p.json"),
            R"({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"./d/"},
                                               {"d//e/"},
                                               {"./d/e/../e/p.json"},
                                               {"d/e/p.json"},
                                               {"d/./e//p.json"}}) {
    std::vector<std::string> argv = {"check", "--no-config", "--fail-on", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    const testing::CommandResult r = RunIamAudit(argv, "", dir.path());
    EXPECT_EQ(r.exit_code, 0) << args[0] << r.err;
    EXPECT_THAT(r.out, StartsWith("d/e/p.json:1:")) << args[0];
  }
  // From a sibling folder: leading ".." segments stay, inner ones go.
  std::filesystem::create_directories(dir.File("w"));
  for (const std::string arg : {"../d", "../d/e/p.json", "../w/../d/e/", "../d/./e/p.json"}) {
    const testing::CommandResult r =
        RunIamAudit({"check", "--no-config", "--fail-on", "never", arg}, "", dir.File("w"));
    EXPECT_THAT(r.out, StartsWith("../d/e/p.json:1:")) << arg;
  }
}

TEST(CmdCheckTest, DeepNestingIsReportedNotACrash) {
  TempDir dir;
  WriteFile(dir.File("deep.json"), "{\"Statement\": " + std::string(100000, '['));
  const testing::CommandResult r = RunIamAudit({"deep.json", "--format", "json"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "deep.json:1:270: nesting deeper than 256 levels (the limit for a policy document)\n");
}

TEST(CmdCheckTest, HugeFilesAreRefusedWithoutReadingThem) {
  TempDir dir;
  // A sparse 200 MB file: refused from its size alone.
  WriteFile(dir.File("huge.json"), "");
  fs::resize_file(fs::path(dir.File("huge.json")), 200u << 20);
  const testing::CommandResult r = RunIamAudit({"huge.json", "--format", "json"}, "", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "huge.json: file is 209715200 bytes, over the 32 MiB limit for one document\n");
}

TEST(CmdCheckTest, HugeStandardInputIsCutOff) {
  // 200 MB through a pipe: reading stops just past the limit.
  const testing::CommandResult r = RunShell("head -c 209715200 /dev/zero | NO_COLOR=1 '" +
                                            std::string(IAM_AUDIT_BINARY) + "' - --format json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "<stdin>: input is larger than the 32 MiB limit for one document\n");
}

TEST(CmdCheckTest, ALargeValidPolicyPasses) {
  // Big but within the limit: 20,000 statements, about 2 MB.
  std::string text = "{\"Version\": \"2012-10-17\", \"Statement\": [";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) text += ",\n";
    text += "{\"Sid\": \"S" + std::to_string(i) +
            "\", \"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:List*\"], "
            "\"Resource\": \"arn:aws:s3:::bucket-" +
            std::to_string(i) + "/*\"}";
  }
  text += "]}";
  const testing::CommandResult r = RunIamAudit({"-"}, text);
  // Valid JSON and grammar; far over IAM's size quota, which lint reports.
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, IsEmpty());
  EXPECT_THAT(r.out, HasSubstr("[policy-size-exceeds-quota]"));
}

}  // namespace
}  // namespace iam_audit
