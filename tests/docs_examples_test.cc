// Every example in README.md and docs/*.md is a tested fact: each command a
// code block shows (`$ iam-audit ...`, `$ cat FILE` of a bundled file) is run
// from the repository root with the built binary, and its output (standard
// output and standard error together, as a terminal shows them) must be the
// output the block shows.
//
// Conventions of a block (docs/README's "Examples" section uses them all):
//   $ V='--var a=b ...'        an assignment alone: set for the rest of the file
//   $ iam-audit x.json $V \    a command; a trailing backslash continues it
//       --format json
//   output lines               compared exactly (trailing spaces ignored)
//   ...                        a line of only `...` stands for any number of lines
//   text ...                   a line ending in ` ...` stands for any line that
//                              begins with `text`
// Commands run with an empty environment (PATH holds the binary as
// `iam-audit`; NO_COLOR is set), so the output is what a user gets from the
// bundled files. Only `iam-audit` and `cat` commands are run, optionally
// after NAME=VALUE assignments.
//
// A block that shows output without a command (a line `FILE:L:C: ...`,
// `Summary: ...` or `Audit of ...`) must show its command too, or be excluded
// explicitly: an HTML comment `<!-- docs-test: skip: REASON -->` as the last
// non-blank line before the block (the reason is required).
//
// A drift is reported as `docs/FILE.md:LINE: ...` (the line of the command),
// with the first expected line that the output does not match and the whole
// actual output, ready to paste.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "parallel.h"
#include "test_util.h"

namespace iam_audit {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

// --- reading the docs ---------------------------------------------------------------------

struct Example {
  int line = 0;                       // 1-based line of the `$` of the command
  int output_line = 0;                // the line of the first output line (after continuations)
  std::string command;                // without "$ ", continuation lines joined
  std::vector<std::string> expected;  // the output lines shown
};

struct Block {
  int line = 0;  // the opening fence
  std::vector<Example> examples;
  std::vector<std::string> assignments;  // `$ NAME=VALUE` lines, in order
  bool looks_like_output = false;        // output lines but no command
  std::optional<std::string> skip;       // the reason of a skip marker
  std::string problem;                   // a malformed marker or command
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string Trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string TrimRight(const std::string& s) {
  const std::size_t e = s.find_last_not_of(" \t\r");
  return e == std::string::npos ? "" : s.substr(0, e + 1);
}

bool IsAssignment(const std::string& command) {
  static const std::regex kAssignment(R"(^[A-Za-z_][A-Za-z0-9_]*=('[^']*'|"[^"]*"|\S*)\s*$)");
  return std::regex_match(command, kAssignment);
}

bool LooksLikeOutput(const std::string& line) {
  static const std::regex kFinding(R"(^\S+:\d+:\d+: .*)");  // FILE:LINE:COLUMN: message
  static const std::regex kDecision(R"(^(allowed|explicit_deny|implicit_deny|conditional): .*)");
  return line.starts_with("Summary: ") || line.starts_with("Audit of ") ||
         std::regex_match(line, kFinding) || std::regex_match(line, kDecision);
}

// The reason of a `<!-- docs-test: skip: REASON -->` line; "" for a marker
// without a reason; nullopt for any other line.
std::optional<std::string> SkipMarker(const std::string& line) {
  static const std::regex kMarker(R"(^<!--\s*docs-test:\s*skip:?\s*(.*?)\s*-->$)");
  std::smatch m;
  const std::string t = Trim(line);
  if (!std::regex_match(t, m, kMarker)) return std::nullopt;
  return m[1].str();
}

std::vector<Block> ParseBlocks(const std::string& text) {
  const std::vector<std::string> lines = Lines(text);
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string fence = Trim(lines[i]);
    if (!fence.starts_with("```")) continue;
    Block block;
    block.line = static_cast<int>(i) + 1;
    // A block inside a list item is indented: its lines lose the fence's indentation.
    const std::size_t indent = lines[i].find_first_not_of(' ');
    const auto unindent = [indent](const std::string& l) {
      const std::size_t first = l.find_first_not_of(' ');
      return first == std::string::npos ? std::string() : l.substr(std::min(indent, first));
    };
    for (std::size_t k = i; k-- > 0;) {  // the last non-blank line before the fence
      if (Trim(lines[k]).empty()) continue;
      if (std::optional<std::string> reason = SkipMarker(lines[k])) {
        block.skip = *reason;
        if (reason->empty()) block.problem = "a docs-test skip marker needs a reason";
      }
      break;
    }
    std::size_t j = i + 1;
    Example* current = nullptr;
    for (; j < lines.size() && !Trim(lines[j]).starts_with("```"); ++j) {
      const std::string l = unindent(lines[j]);
      if (l.starts_with("$ ")) {
        std::string command = l.substr(2);
        const int at = static_cast<int>(j) + 1;
        while (!command.empty() && command.back() == '\\' && j + 1 < lines.size()) {
          command.pop_back();
          command += " " + Trim(lines[++j]);
        }
        if (IsAssignment(command)) {
          block.assignments.push_back(command);
          current = nullptr;
          continue;
        }
        block.examples.push_back({at, static_cast<int>(j) + 2, command, {}});
        current = &block.examples.back();
        continue;
      }
      if (current != nullptr) {
        current->expected.push_back(l);
      } else if (LooksLikeOutput(l)) {
        block.looks_like_output = true;
      }
    }
    blocks.push_back(std::move(block));
    i = j;  // past the closing fence
  }
  return blocks;
}

// --- comparing ----------------------------------------------------------------------------

bool LineMatches(const std::string& expected, const std::string& actual) {
  const std::string e = TrimRight(expected), a = TrimRight(actual);
  if (e == a) return true;
  if (e.size() > 4 && e.ends_with(" ...")) return a.starts_with(e.substr(0, e.size() - 3));
  return false;
}

bool IsElision(const std::string& line) { return Trim(line) == "..."; }

// Drops trailing blank lines.
std::vector<std::string> Significant(std::vector<std::string> lines) {
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  return lines;
}

// Whether `actual` matches `expected` with its elisions. When it does not,
// `*first_unmatched` is the index of the first expected line no alignment
// gets past (expected.size(): the output goes on after the last line), and
// `*actual_at` the first actual line it would have had to match.
bool OutputMatches(const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                   std::size_t* first_unmatched, std::size_t* actual_at = nullptr) {
  const std::size_t E = expected.size(), A = actual.size();
  // ok[i][j]: expected[i..] matches actual[j..].
  std::vector<std::vector<char>> ok(E + 1, std::vector<char>(A + 1, 0));
  ok[E][A] = 1;
  for (std::size_t i = E; i-- > 0;) {
    for (std::size_t j = A + 1; j-- > 0;) {
      if (IsElision(expected[i])) {
        ok[i][j] = ok[i + 1][j] || (j < A && ok[i][j + 1]);
      } else {
        ok[i][j] = j < A && LineMatches(expected[i], actual[j]) && ok[i + 1][j + 1];
      }
    }
  }
  if (ok[0][0]) return true;
  // reach[i][j]: expected[..i) can match actual[..j).
  std::vector<std::vector<char>> reach(E + 1, std::vector<char>(A + 1, 0));
  reach[0][0] = 1;
  std::size_t furthest = 0, at = 0;
  for (std::size_t i = 0; i <= E; ++i) {
    for (std::size_t j = 0; j <= A; ++j) {
      if (!reach[i][j]) continue;
      if (i > furthest) at = j;
      furthest = std::max(furthest, i);
      if (i == E) continue;
      if (IsElision(expected[i])) {
        reach[i + 1][j] = 1;
        if (j < A) reach[i][j + 1] = 1;
      } else if (j < A && LineMatches(expected[i], actual[j])) {
        reach[i + 1][j + 1] = 1;
      }
    }
  }
  // All of `expected` matched but output remains: furthest == E.
  *first_unmatched = furthest;
  if (actual_at != nullptr) *actual_at = at;
  return false;
}

// --- running ------------------------------------------------------------------------------

// The command with its leading NAME=VALUE assignments skipped: it must be an
// `iam-audit` or `cat` command.
bool Runnable(const std::string& command) {
  static const std::regex kCommand(
      R"(^([A-Za-z_][A-Za-z0-9_]*=('[^']*'|"[^"]*"|\S*)\s+)*(iam-audit|cat)(\s.*)?$)");
  return std::regex_match(command, kCommand);
}

class DocsRunner {
 public:
  DocsRunner() {
    fs::create_symlink(IAM_AUDIT_BINARY, bin_.File("iam-audit"));
    home_ = bin_.File("home");
    fs::create_directory(home_);
  }

  testing::CommandResult Run(const std::vector<std::string>& assignments,
                             const std::string& command) const {
    std::string script = "cd " + testing::ShellQuote(IAM_AUDIT_SOURCE_DIR) + " || exit 99\n";
    for (const std::string& a : assignments) script += a + "\n";
    script += "{ " + command + "\n} 2>&1\n";
    return testing::RunShell("env -i PATH=" + testing::ShellQuote(bin_.path() + ":/usr/bin:/bin") +
                             " HOME=" + testing::ShellQuote(home_) +
                             " NO_COLOR=1 LC_ALL=C.UTF-8 /bin/sh -c " +
                             testing::ShellQuote(script));
  }

 private:
  testing::TempDir bin_;
  std::string home_;
};

// The actual output, whole when short, else around line `at`.
std::string Excerpt(const std::vector<std::string>& lines, std::size_t at) {
  constexpr std::size_t kWhole = 60, kBefore = 5, kAfter = 20;
  std::size_t from = 0, to = lines.size();
  if (lines.size() > kWhole) {
    from = at > kBefore ? at - kBefore : 0;
    to = std::min(lines.size(), at + kAfter);
  }
  std::string out = "  actual output (" + std::to_string(lines.size()) + " lines" +
                    (from > 0 || to < lines.size() ? ", lines " + std::to_string(from + 1) + "-" +
                                                         std::to_string(to) + " shown"
                                                   : std::string()) +
                    "):\n";
  if (from > 0) out += "    ...\n";
  for (std::size_t i = from; i < to; ++i) out += "    " + lines[i] + "\n";
  if (to < lines.size()) out += "    ...\n";
  return out;
}

// A command to run: where it is shown, and the assignments before it.
struct Job {
  std::string doc;
  Example example;
  std::vector<std::string> assignments;
  testing::CommandResult result;
};

// The drift of one command, or "".
std::string Drift(const Job& job) {
  const Example& ex = job.example;
  const std::vector<std::string> expected = Significant(ex.expected);
  const std::vector<std::string> actual = Significant(Lines(job.result.out));
  std::size_t bad = 0, actual_at = 0;
  if (OutputMatches(expected, actual, &bad, &actual_at)) return "";
  std::string msg = job.doc + ":" + std::to_string(ex.line) + ": `$ " + ex.command + "` (exit " +
                    std::to_string(job.result.exit_code) + ") does not give the output shown\n";
  if (bad < expected.size()) {
    msg += "  first shown line the output does not match (" + job.doc + ":" +
           std::to_string(ex.output_line + static_cast<int>(bad)) + "):\n    " + expected[bad] +
           "\n";
  } else {
    msg += "  the output goes on after the last line shown (end the block with `...`?)\n";
  }
  return msg + Excerpt(actual, actual_at);
}

// Reads the blocks of one documentation file: its commands go to `jobs`, its
// malformed blocks to `drifts`.
void ReadDoc(const std::string& relative, std::vector<Job>* jobs,
             std::vector<std::string>* drifts) {
  const std::string text = testing::ReadFile(std::string(IAM_AUDIT_SOURCE_DIR) + "/" + relative);
  std::vector<std::string> assignments;
  for (const Block& block : ParseBlocks(text)) {
    const std::string where = relative + ":" + std::to_string(block.line);
    if (!block.problem.empty()) {
      drifts->push_back(where + ": " + block.problem);
      continue;
    }
    if (block.skip) continue;
    if (block.looks_like_output && block.examples.empty()) {
      drifts->push_back(where +
                        ": the block shows iam-audit output but no `$ iam-audit ...` command: show "
                        "the command that gives it, or mark the block with "
                        "<!-- docs-test: skip: REASON -->");
      continue;
    }
    assignments.insert(assignments.end(), block.assignments.begin(), block.assignments.end());
    for (const Example& ex : block.examples) {
      if (!Runnable(ex.command)) {
        drifts->push_back(relative + ":" + std::to_string(ex.line) + ": `" + ex.command +
                          "`: only iam-audit and cat commands are run (mark the block with "
                          "<!-- docs-test: skip: REASON --> if it must show another)");
        continue;
      }
      jobs->push_back({relative, ex, assignments, {}});
    }
  }
}

// Checks documentation files: runs their commands (in parallel) and returns
// the drifts, in document order (empty when every example is true).
std::vector<std::string> CheckDocs(const DocsRunner& runner, const std::vector<std::string>& docs,
                                   int* commands) {
  std::vector<Job> jobs;
  std::vector<std::string> drifts;
  for (const std::string& doc : docs) ReadDoc(doc, &jobs, &drifts);
  ParallelFor(jobs.size(), 0, [&](std::size_t i) {
    jobs[i].result = runner.Run(jobs[i].assignments, jobs[i].example.command);
  });
  *commands = static_cast<int>(jobs.size());
  for (const Job& job : jobs) {
    if (std::string drift = Drift(job); !drift.empty()) drifts.push_back(std::move(drift));
  }
  return drifts;
}

std::vector<std::string> DocFiles() {
  std::vector<std::string> files = {"README.md"};
  std::vector<std::string> docs;
  for (const fs::directory_entry& e :
       fs::directory_iterator(std::string(IAM_AUDIT_SOURCE_DIR) + "/docs")) {
    if (e.path().extension() == ".md") docs.push_back("docs/" + e.path().filename().string());
  }
  std::sort(docs.begin(), docs.end());
  files.insert(files.end(), docs.begin(), docs.end());
  return files;
}

// --- the harness itself -------------------------------------------------------------------

TEST(DocsExamplesTest, ParsesCommandsContinuationsAssignmentsAndMarkers) {
  const std::vector<Block> blocks = ParseBlocks(
      "text\n"
      "```\n"
      "$ V='--var a=b'\n"
      "$ iam-audit x.json $V \\\n"
      "    --format json\n"
      "out 1\n"
      "...\n"
      "$ cat y.json\n"
      "{}\n"
      "```\n"
      "\n"
      "<!-- docs-test: skip: shows a made-up file -->\n"
      "\n"
      "```\n"
      "x.json:1:1: error: bad [id]\n"
      "```\n"
      "```json\n"
      "Summary: 1 file\n"
      "```\n"
      "<!-- docs-test: skip -->\n"
      "```\n"
      "```\n");
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].line, 2);
  EXPECT_THAT(blocks[0].assignments, ElementsAre("V='--var a=b'"));
  ASSERT_EQ(blocks[0].examples.size(), 2u);
  EXPECT_EQ(blocks[0].examples[0].line, 4);
  EXPECT_EQ(blocks[0].examples[0].output_line, 6);  // after the continuation line
  EXPECT_EQ(blocks[0].examples[0].command, "iam-audit x.json $V  --format json");
  EXPECT_THAT(blocks[0].examples[0].expected, ElementsAre("out 1", "..."));
  EXPECT_EQ(blocks[0].examples[1].command, "cat y.json");
  EXPECT_EQ(blocks[1].skip, "shows a made-up file");
  EXPECT_TRUE(blocks[1].looks_like_output);
  EXPECT_FALSE(blocks[2].skip.has_value());
  EXPECT_TRUE(blocks[2].looks_like_output);
  EXPECT_EQ(blocks[3].problem, "a docs-test skip marker needs a reason");
}

TEST(DocsExamplesTest, BlocksInListItemsLoseTheirIndentation) {
  const std::vector<Block> blocks = ParseBlocks(
      "- item:\n"
      "\n"
      "  ```\n"
      "  $ iam-audit simulate x.json\n"
      "  explicit_deny: s3:PutObject on a\n"
      "\n"
      "    x.json:1:1: Deny\n"
      "  ```\n"
      "  ```\n"
      "  allowed: s3:GetObject on b\n"
      "  ```\n");
  ASSERT_EQ(blocks.size(), 2u);
  ASSERT_EQ(blocks[0].examples.size(), 1u);
  EXPECT_EQ(blocks[0].examples[0].command, "iam-audit simulate x.json");
  EXPECT_THAT(blocks[0].examples[0].expected,
              ElementsAre("explicit_deny: s3:PutObject on a", "", "  x.json:1:1: Deny"));
  EXPECT_TRUE(blocks[1].looks_like_output);  // a decision shown without its command
}

TEST(DocsExamplesTest, ElisionsMatchAnyLinesAndLinePrefixes) {
  std::size_t bad = 0;
  EXPECT_TRUE(OutputMatches({"a", "...", "d"}, {"a", "b", "c", "d"}, &bad));
  EXPECT_TRUE(OutputMatches({"a", "...", "d"}, {"a", "d"}, &bad));
  EXPECT_TRUE(OutputMatches({"...", "x"}, {"x", "y", "x"}, &bad));
  EXPECT_TRUE(OutputMatches({"error: a b ..."}, {"error: a b c d"}, &bad));
  EXPECT_TRUE(OutputMatches({"a  "}, {"a"}, &bad));  // trailing spaces
  EXPECT_FALSE(OutputMatches({"a", "...", "d"}, {"a", "b", "c"}, &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(OutputMatches({"a", "b"}, {"a", "c"}, &bad));
  EXPECT_EQ(bad, 1u);
  EXPECT_FALSE(OutputMatches({"a"}, {"a", "more"}, &bad));
  EXPECT_EQ(bad, 1u);  // past the last line shown
  EXPECT_FALSE(OutputMatches({"error: a b ..."}, {"error: a c"}, &bad));
  EXPECT_FALSE(OutputMatches({"x"}, {}, &bad));
}

TEST(DocsExamplesTest, OnlyIamAuditAndCatRun) {
  EXPECT_TRUE(Runnable("iam-audit x.json"));
  EXPECT_TRUE(Runnable("DBT_ROLE_ARN='arn:aws:iam::1:role/x' iam-audit x.json"));
  EXPECT_TRUE(Runnable("cat examples/dbt-athena/gaps.json"));
  EXPECT_FALSE(Runnable("rm -rf /tmp/x"));
  EXPECT_FALSE(Runnable("iam-audit-lint x"));
  EXPECT_TRUE(IsAssignment("V='a b'"));
  EXPECT_FALSE(IsAssignment("V=a iam-audit x"));
}

TEST(DocsExamplesTest, ADriftIsReportedWithItsDocLine) {
  testing::TempDir dir;
  const DocsRunner runner;
  // CheckDoc reads below the source dir: use a doc there through a relative
  // path from it.
  const std::string doc = dir.File("drift.md");
  testing::WriteFile(doc,
                     "# t\n"
                     "```\n"
                     "$ iam-audit expand 'kms:GenerateDataKeyPair*'\n"
                     "kms:GenerateDataKeyPair\n"
                     "kms:NoSuchAction\n"
                     "```\n");
  const std::string relative = fs::relative(doc, fs::path(IAM_AUDIT_SOURCE_DIR)).string();
  int commands = 0;
  const std::vector<std::string> drifts = CheckDocs(runner, {relative}, &commands);
  EXPECT_EQ(commands, 1);
  ASSERT_EQ(drifts.size(), 1u);
  EXPECT_THAT(drifts[0], ::testing::HasSubstr(relative + ":3: `$ iam-audit expand"));
  EXPECT_THAT(drifts[0], ::testing::HasSubstr("(" + relative + ":5):\n    kms:NoSuchAction"));
  EXPECT_THAT(drifts[0], ::testing::HasSubstr("    kms:GenerateDataKeyPairWithoutPlaintext"));
  EXPECT_THAT(drifts[0], ::testing::HasSubstr("actual output (2 lines):"));
}

// --- the docs -----------------------------------------------------------------------------

TEST(DocsExamplesTest, EveryShownCommandGivesTheShownOutput) {
  const DocsRunner runner;
  int commands = 0;
  const std::vector<std::string> drifts = CheckDocs(runner, DocFiles(), &commands);
  EXPECT_GT(commands, 20);  // the docs do show commands
  for (const std::string& d : drifts) ADD_FAILURE() << "documentation drift: " << d;
}

}  // namespace
}  // namespace iam_audit
