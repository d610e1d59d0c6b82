// SourceFile: reading one input document (a policy, a profile...) named on
// the command line, where "-" means standard input.
//
// Reading is bounded: a file larger than `max_bytes` is refused before it is
// read (regular files) or as soon as more than `max_bytes` bytes have arrived
// (pipes, standard input), so a 200 MB or endless input costs neither memory
// nor time. Every failure is an InputError whose message names the file:
//   policy.json: cannot open: No such file or directory
//   big.json: file is 209715200 bytes, over the 32 MiB limit for one document
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

namespace iam_audit {

struct SourceFile {
  std::string path;  // as given: a path, or "-"
  std::string name;  // for messages: the path, or "<stdin>" for "-"
  std::string text;  // the raw bytes
};

// Reads `path`, or `standard_input` when `path` is "-". Throws InputError.
SourceFile ReadSourceFile(const std::string& path, std::istream& standard_input,
                          std::size_t max_bytes);

// "<stdin>" for "-", else `path`: how diagnostics name an input.
std::string SourceName(const std::string& path);

}  // namespace iam_audit
