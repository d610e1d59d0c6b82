#include "iam_audit/source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <istream>
#include <system_error>

#include "iam_audit/diagnostic.h"

namespace iam_audit {
namespace {

constexpr std::size_t kChunk = 64 * 1024;

std::string LimitText(std::size_t max_bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (max_bytes >= kMiB && max_bytes % kMiB == 0) return std::to_string(max_bytes / kMiB) + " MiB";
  return std::to_string(max_bytes) + " bytes";
}

[[noreturn]] void Fail(const std::string& name, const std::string& message) {
  throw InputError(Diagnostics{Diagnostic{name, {}, message}});
}

[[noreturn]] void FailErrno(const std::string& name, const char* what, int error) {
  Fail(name, std::string(what) + ": " + std::generic_category().message(error));
}

[[noreturn]] void FailTooBig(const std::string& name, std::size_t size, std::size_t max_bytes) {
  const std::string limit = "the " + LimitText(max_bytes) + " limit for one document";
  if (size == 0) Fail(name, "input is larger than " + limit);
  Fail(name, "file is " + std::to_string(size) + " bytes, over " + limit);
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { ::close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string ReadDescriptor(int fd, const std::string& name, std::size_t max_bytes) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) FailErrno(name, "cannot read", errno);
  if (S_ISDIR(st.st_mode)) Fail(name, "cannot read: is a directory");
  std::string text;
  // The first read asks for the whole of a regular file plus one byte (so
  // that end of file comes on the second read); later reads, and every read
  // of a pipe, come in kChunk pieces. (Growing by kChunk for small files
  // spent a third of a directory scan zeroing buffers.)
  std::size_t chunk = kChunk;
  if (S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size > max_bytes) FailTooBig(name, size, max_bytes);
    chunk = size + 1;
  }
  // Read until end of file (a regular file may still grow), never keeping
  // more than max_bytes + 1 bytes.
  std::size_t used = 0;
  for (;;) {
    const std::size_t want = std::min(chunk, max_bytes + 1 - used);
    chunk = kChunk;
    text.resize(used + want);
    const ssize_t got = ::read(fd, text.data() + used, want);
    if (got < 0) {
      if (errno == EINTR) continue;
      FailErrno(name, "cannot read", errno);
    }
    used += static_cast<std::size_t>(got);
    text.resize(used);
    if (got == 0) break;
    if (used > max_bytes) FailTooBig(name, 0, max_bytes);
  }
  return text;
}

std::string ReadStream(std::istream& in, const std::string& name, std::size_t max_bytes) {
  std::string text;
  std::size_t used = 0;
  while (in) {
    const std::size_t want = std::min(kChunk, max_bytes + 1 - used);
    text.resize(used + want);
    in.read(text.data() + used, static_cast<std::streamsize>(want));
    used += static_cast<std::size_t>(in.gcount());
    text.resize(used);
    if (used > max_bytes) FailTooBig(name, 0, max_bytes);
  }
  if (in.bad()) Fail(name, "cannot read standard input");
  return text;
}

}  // namespace

std::string SourceName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

SourceFile ReadSourceFile(const std::string& path, std::istream& standard_input,
                          std::size_t max_bytes) {
  SourceFile file{path, SourceName(path), {}};
  if (path == "-") {
    file.text = ReadStream(standard_input, file.name, max_bytes);
    return file;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) FailErrno(file.name, "cannot open", errno);
  const FileDescriptor guard(fd);
  file.text = ReadDescriptor(fd, file.name, max_bytes);
  return file;
}

}  // namespace iam_audit
