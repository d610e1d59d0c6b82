// A workaround for yaml-cpp 0.7 (the version Debian 12 ships) rejecting valid
// YAML: a tagged plain scalar that is a block sequence entry and continues on
// the next lines,
//
//   ManagedPolicyArns:
//     - !Sub arn:${AWS::Partition}:iam::aws:policy/
//       AmazonS3ReadOnlyAccess
//
// fails with "end of sequence not found" (or "end of map not found" further
// up). Root cause: Scanner::ScanTag inserts a potential simple key, which in
// block context pushes a mapping indentation at the tag's column; the plain
// scalar that follows then takes that column as its parent indentation, so a
// continuation line indented no deeper than the tag ends the scalar and
// unbalances the indentation stack (yaml-cpp issue #1163; upstream fixed the
// block-scalar case of it after 0.7). A tagged map value (`Key: !Sub ...`) is
// not affected.
//
// The workaround rewrites only the continuation lines of such scalars, adding
// leading spaces so that they are indented past the tag. Folding drops a
// continuation line's leading spaces, so the scalar's value is unchanged;
// line numbers do not change, and neither does any column outside the
// continuation lines (which hold nothing but the scalar's text, whose
// location is its tag's).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iam_audit::yaml_util {

// `text` with the continuation lines of tagged plain scalars in block
// sequence entries indented past their tag, or nullopt when no line needs it.
std::optional<std::string> IndentTaggedScalarContinuations(std::string_view text);

}  // namespace iam_audit::yaml_util
