#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace iam_audit::testing {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

const Catalog& TestCatalog() {
  static const Catalog catalog = Catalog::Embedded();
  return catalog;
}

CommandResult RunShell(const std::string& command, const std::string& stdin_text) {
  TempDir tmp;
  const std::string in = tmp.File("stdin"), out = tmp.File("stdout"), err = tmp.File("stderr");
  WriteFile(in, stdin_text);
  const std::string full =
      "(" + command + ") <" + ShellQuote(in) + " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

CommandResult RunIamAudit(const std::vector<std::string>& args, const std::string& stdin_text,
                          const std::string& cwd) {
  std::string cmd;
  if (!cwd.empty()) cmd = "cd " + ShellQuote(cwd) + " && ";
  cmd += "NO_COLOR=1 " + ShellQuote(IAM_AUDIT_BINARY);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  return RunShell(cmd, stdin_text);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot write " + path);
  f << content;
}

std::string TestData(const std::string& relative) {
  return std::string(IAM_AUDIT_TEST_DATA) + "/" + relative;
}

::testing::AssertionResult MatchesGolden(const std::string& actual, const std::string& relative) {
  const std::string path = TestData(relative);
  const char* update = std::getenv("IAM_AUDIT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    WriteFile(path, actual);
    return ::testing::AssertionSuccess() << "updated " << path;
  }
  if (!std::filesystem::exists(path)) {
    return ::testing::AssertionFailure()
           << "missing golden file " << path << " (IAM_AUDIT_UPDATE_GOLDEN=1 writes it)";
  }
  const std::string expected = ReadFile(path);
  if (actual == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "output differs from " << path << "\n--- expected\n"
                                       << expected << "--- actual\n"
                                       << actual;
}

std::optional<std::string> SharedDir() {
  const std::filesystem::path p(IAM_AUDIT_SHARED_DIR);
  if (std::filesystem::is_directory(p / "corpus")) {
    return std::filesystem::weakly_canonical(p).string();
  }
  return std::nullopt;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "iam-audit-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

// --- small policies and requirements ---------------------------------------------------

Policy Parse(const std::string& text, const std::string& file) {
  PolicyParseResult r = ParsePolicy(text, file);
  EXPECT_TRUE(r.policy) << (r.errors.empty() ? "" : r.errors.front().ToString());
  return r.policy ? std::move(*r.policy) : Policy();
}

std::string Doc(const std::vector<std::string>& statements) {
  std::string text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n";
  for (std::size_t i = 0; i < statements.size(); ++i) {
    text += statements[i] + (i + 1 < statements.size() ? ",\n" : "\n");
  }
  return text + "]}";
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.emplace_back(f.name());
  return out;
}

Requirement RequirementOf(std::string action, std::string resource, std::string resource_type) {
  Requirement r;
  r.group_id = "g";
  r.action = std::move(action);
  r.resource = std::move(resource);
  r.resource_type = std::move(resource_type);
  if (const auto id = TestCatalog().FindAction(r.action)) {
    r.access = TestCatalog().action_access(*id);
  }
  return r;
}

}  // namespace iam_audit::testing
