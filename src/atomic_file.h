// AtomicFile: writing an output file (a report, a baseline) so that a reader
// sees either the old content or the complete new one, never a prefix.
//
//   WriteFileAtomically("report.sarif", text);   // throws InputError
//
// The text goes to a temporary file in the same directory (so the rename
// stays on one file system), is flushed to disk (fsync), and is then renamed
// over the target. A crash, a full disk or a write error leaves the target as
// it was and removes the temporary file. The new file keeps the mode of the
// file it replaces; a new file gets rw-r--r--.
#pragma once

#include <string>
#include <string_view>

namespace iam_audit {

// Throws InputError ("PATH: cannot write the report: No space left on
// device") on failure. `what` names the content in that message.
void WriteFileAtomically(const std::string& path, std::string_view text,
                         std::string_view what = "the report");

}  // namespace iam_audit
