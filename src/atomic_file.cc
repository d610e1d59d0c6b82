#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "iam_audit/diagnostic.h"

namespace iam_audit {

void WriteFileAtomically(const std::string& path, std::string_view text, std::string_view what) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    throw InputError(path + ": cannot create a temporary file in " + dir.string() + ": " +
                     std::strerror(errno));
  }
  const std::string cannot_write = "cannot write " + std::string(what);
  // Removes the temporary file and throws, with the errno of the failure.
  const auto fail = [&](const std::string& message, bool close_fd) {
    const std::string reason = std::strerror(errno);
    if (close_fd) ::close(fd);
    ::unlink(tmpl.c_str());
    throw InputError(path + ": " + message + ": " + reason);
  };
  struct stat st {};
  const mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  if (::fchmod(fd, mode) != 0) fail("cannot set the mode of the temporary file", true);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(cannot_write, true);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail(cannot_write, true);
  if (::close(fd) != 0) fail(cannot_write, false);
  if (::rename(tmpl.c_str(), path.c_str()) != 0) fail("cannot replace the file", false);
}

}  // namespace iam_audit
