// Source locations and diagnostics.
//
// Every element iam-audit reads from a file (a policy statement, an action, a
// profile variable...) remembers where it came from, so every error and every
// finding can be printed as `FILE:LINE:COLUMN: message`. Lines and columns are
// 1-based; column counts bytes from the start of the line. A location of 0:0
// means "the file as a whole".
//
// Errors in user input are values (a list of Diagnostic), never exit() calls:
// the CLI decides how to print them and which exit code they mean.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {

struct SourceLocation {
  int line = 0;
  int column = 0;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

struct Diagnostic {
  std::string file;
  SourceLocation where;
  std::string message;

  // "FILE:LINE:COLUMN: message" (or "FILE: message" without a location).
  std::string ToString() const;
};

using Diagnostics = std::vector<Diagnostic>;

// "LINE:COLUMN", e.g. "3:15" (for messages that name a second place).
std::string LocationText(SourceLocation where);

// Sorts by line, then column; diagnostics at the same place keep their order.
void SortByLocation(Diagnostics& diagnostics);

// `text` in single quotes, for messages: quotes, backslashes, control
// characters and invalid UTF-8 escaped, and cut with "..." after about
// `max_bytes` bytes, so hostile input cannot garble or flood the terminal.
std::string Quoted(std::string_view text, std::size_t max_bytes = 80);

// Thrown for invalid input that cannot be turned into a value where it is
// found (bad command-line values, unreadable files). Caught at the CLI edge
// and turned into exit code 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(Diagnostics diagnostics);
  explicit InputError(const std::string& message);
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

}  // namespace iam_audit
