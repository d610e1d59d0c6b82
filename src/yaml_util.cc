#include "yaml_util.h"

#include "yaml_tagged_scalars.h"

namespace iam_audit::yaml_util {

SourceLocation Where(const YAML::Node& node) {
  if (!node.IsDefined()) return {};  // Mark() throws on a missing key's node
  const YAML::Mark m = node.Mark();
  if (m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

SourceLocation WhereInScalar(const YAML::Node& node, std::size_t offset) {
  SourceLocation w = Where(node);
  if (w.line == 0) return w;
  const bool quoted = node.Tag() == "!";  // yaml-cpp tags quoted scalars "!"
  w.column += static_cast<int>(offset) + (quoted ? 1 : 0);
  return w;
}

std::string_view KindName(const YAML::Node& node) {
  if (!node.IsDefined()) return "nothing";
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "nothing";
  }
}

std::optional<YAML::Node> Parse(std::string_view text, const std::string& file, Diagnostic* error) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp 0.7 rejects some valid tagged plain scalars: retry with their
    // continuation lines indented (same lines, same locations).
    if (const std::optional<std::string> fixed = IndentTaggedScalarContinuations(text)) {
      try {
        return YAML::Load(*fixed);
      } catch (const YAML::Exception&) {
        // report the error of the text as written
      }
    }
    if (error) {
      error->file = file;
      error->where = {e.mark.line >= 0 ? e.mark.line + 1 : 0,
                      e.mark.column >= 0 ? e.mark.column + 1 : 0};
      error->message = "invalid YAML: " + e.msg;
    }
    return std::nullopt;
  }
}

}  // namespace iam_audit::yaml_util
