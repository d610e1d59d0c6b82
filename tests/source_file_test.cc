#include "iam_audit/source_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "iam_audit/diagnostic.h"
#include "test_util.h"

namespace iam_audit {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string ErrorOf(const std::string& path, std::istream& in, std::size_t max_bytes) {
  try {
    ReadSourceFile(path, in, max_bytes);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SourceFileTest, ReadsAFile) {
  TempDir dir;
  WriteFile(dir.File("p.json"), std::string("{}\n\0x", 5));
  std::istringstream unused;
  const SourceFile f = ReadSourceFile(dir.File("p.json"), unused, 100);
  EXPECT_EQ(f.path, dir.File("p.json"));
  EXPECT_EQ(f.name, dir.File("p.json"));
  EXPECT_EQ(f.text, std::string("{}\n\0x", 5));
}

TEST(SourceFileTest, DashReadsStandardInput) {
  std::istringstream in("{\"Statement\": []}");
  const SourceFile f = ReadSourceFile("-", in, 100);
  EXPECT_EQ(f.path, "-");
  EXPECT_EQ(f.name, "<stdin>");
  EXPECT_EQ(f.text, "{\"Statement\": []}");
  EXPECT_EQ(SourceName("-"), "<stdin>");
  EXPECT_EQ(SourceName("a.json"), "a.json");
}

TEST(SourceFileTest, ExactlyTheLimitIsFine) {
  TempDir dir;
  WriteFile(dir.File("p.json"), std::string(100, ' '));
  std::istringstream in(std::string(100, ' '));
  EXPECT_EQ(ReadSourceFile(dir.File("p.json"), in, 100).text.size(), 100u);
  EXPECT_EQ(ReadSourceFile("-", in, 100).text.size(), 100u);
}

TEST(SourceFileTest, RefusesWhatIsTooBig) {
  TempDir dir;
  WriteFile(dir.File("big.json"), std::string(101, ' '));
  std::istringstream in(std::string(1000000, ' '));
  EXPECT_EQ(
      ErrorOf(dir.File("big.json"), in, 100),
      dir.File("big.json") + ": file is 101 bytes, over the 100 bytes limit for one document");
  EXPECT_EQ(ErrorOf("-", in, 100),
            "<stdin>: input is larger than the 100 bytes limit for one document");
  // A sparse 200 MiB file is refused from its size, without reading it.
  WriteFile(dir.File("huge.json"), "");
  std::filesystem::resize_file(dir.File("huge.json"), std::uintmax_t{200} << 20);
  EXPECT_EQ(
      ErrorOf(dir.File("huge.json"), in, std::size_t{32} << 20),
      dir.File("huge.json") + ": file is 209715200 bytes, over the 32 MiB limit for one document");
}

TEST(SourceFileTest, UnreadablePaths) {
  TempDir dir;
  std::istringstream in;
  EXPECT_EQ(ErrorOf(dir.File("missing.json"), in, 100),
            dir.File("missing.json") + ": cannot open: No such file or directory");
  EXPECT_EQ(ErrorOf(dir.path(), in, 100), dir.path() + ": cannot read: is a directory");
}

TEST(SourceFileTest, NonRegularFilesAreRead) {
  // A device or pipe has no size to check up front; the read is still bounded.
  std::istringstream in;
  const SourceFile f = ReadSourceFile("/dev/null", in, 100);
  EXPECT_EQ(f.text, "");
}

}  // namespace
}  // namespace iam_audit
