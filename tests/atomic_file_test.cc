// WriteFileAtomically: content, mode, and no trace of a failed write.
#include "atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "iam_audit/diagnostic.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::size_t EntryCount(const std::string& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFileTest, WritesAndReplaces) {
  TempDir tmp;
  WriteFileAtomically(tmp.File("r.json"), "first");
  EXPECT_EQ(ReadFile(tmp.File("r.json")), "first");
  struct stat st {};
  ASSERT_EQ(::stat(tmp.File("r.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  ASSERT_EQ(::chmod(tmp.File("r.json").c_str(), 0600), 0);
  WriteFileAtomically(tmp.File("r.json"), "second");
  EXPECT_EQ(ReadFile(tmp.File("r.json")), "second");
  ASSERT_EQ(::stat(tmp.File("r.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);    // the mode of the file replaced
  EXPECT_EQ(EntryCount(tmp.path()), 1u);  // no temporary file left
}

TEST(AtomicFileTest, AFailedRenameRemovesTheTemporaryFile) {
  TempDir tmp;
  // A directory where the file should go: the rename fails.
  std::filesystem::create_directories(tmp.File("dir.json/x"));
  try {
    WriteFileAtomically(tmp.File("dir.json"), "new", "the baseline");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("dir.json: cannot replace the file"));
  }
  EXPECT_EQ(EntryCount(tmp.path()), 1u);  // dir.json only
  EXPECT_TRUE(std::filesystem::is_directory(tmp.File("dir.json/x")));
  EXPECT_THROW(WriteFileAtomically(tmp.File("missing/r.json"), "x"), InputError);
}

// Lowers the process's file size limit for its lifetime: a write past it
// fails with EFBIG (SIGXFSZ, which would kill the process, is ignored).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lowered = saved_;
    lowered.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*old_handler_)(int);
};

TEST(AtomicFileTest, AFailedWriteLeavesTheTargetAsItWas) {
  TempDir tmp;
  WriteFile(tmp.File("r.json"), "old");
  try {
    const FileSizeLimit limit(16);
    WriteFileAtomically(tmp.File("r.json"), std::string(4096, 'n'), "the baseline");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("r.json: cannot write the baseline: File too large"));
  }
  EXPECT_EQ(ReadFile(tmp.File("r.json")), "old");
  EXPECT_EQ(EntryCount(tmp.path()), 1u);  // the temporary file is gone
}

}  // namespace
}  // namespace iam_audit
