// WriteFileAtomically: content, mode, and no trace of a failed write.
#include "atomic_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

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

TEST(AtomicFileTest, AFailureLeavesTheTargetAsItWas) {
  TempDir tmp;
  WriteFile(tmp.File("r.json"), "old");
  // A directory where the file should go: the rename fails.
  std::filesystem::create_directories(tmp.File("dir.json/x"));
  try {
    WriteFileAtomically(tmp.File("dir.json"), "new", "the baseline");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("dir.json: cannot replace the file"));
  }
  EXPECT_EQ(EntryCount(tmp.path()), 2u);
  EXPECT_THROW(WriteFileAtomically(tmp.File("missing/r.json"), "x"), InputError);
  EXPECT_EQ(ReadFile(tmp.File("r.json")), "old");
}

}  // namespace
}  // namespace iam_audit
