#include "yaml_tagged_scalars.h"

#include <vector>

namespace iam_audit::yaml_util {
namespace {

struct Line {
  std::string_view text;  // without its line break
  std::string_view brk;   // "\n", "\r\n" or "" (last line)
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back({text, {}});
      break;
    }
    std::size_t end = nl;
    if (end > 0 && text[end - 1] == '\r') --end;
    lines.push_back({text.substr(0, end), text.substr(end, nl + 1 - end)});
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::size_t Indent(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// For a line `  - - !Tag plain text`: the column of the last `-` and of the
// tag, when what follows the tag is the start of a plain scalar (not a
// comment, a quoted, block or flow scalar, another node property, or a
// mapping key).
struct TaggedEntry {
  std::size_t dash = 0;
  std::size_t tag = 0;
};

std::optional<TaggedEntry> TaggedPlainEntry(std::string_view line) {
  std::size_t i = Indent(line);
  std::optional<std::size_t> dash;
  while (i + 1 < line.size() && line[i] == '-' && line[i + 1] == ' ') {
    dash = i;
    i = line.find_first_not_of(' ', i + 1);
    if (i == std::string_view::npos) return std::nullopt;
  }
  if (!dash || line[i] != '!') return std::nullopt;
  const std::size_t tag = i;
  const std::size_t tag_end = line.find(' ', tag);
  if (tag_end == std::string_view::npos) return std::nullopt;
  const std::size_t value = line.find_first_not_of(' ', tag_end);
  if (value == std::string_view::npos) return std::nullopt;
  const std::string_view rest = line.substr(value);
  static constexpr std::string_view kNotPlainStart = "#\"'|>[]{}&*!%@`,?";
  if (kNotPlainStart.find(rest[0]) != std::string_view::npos) return std::nullopt;
  if (rest[0] == '-' && (rest.size() == 1 || rest[1] == ' ')) return std::nullopt;
  if (rest.find(": ") != std::string_view::npos || rest.back() == ':') return std::nullopt;
  if (rest.find(" #") != std::string_view::npos || rest.find('\t') != std::string_view::npos) {
    return std::nullopt;
  }
  return TaggedEntry{*dash, tag};
}

}  // namespace

std::optional<std::string> IndentTaggedScalarContinuations(std::string_view text) {
  const std::vector<Line> lines = SplitLines(text);
  std::vector<std::size_t> pad(lines.size(), 0);
  bool changed = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::optional<TaggedEntry> entry = TaggedPlainEntry(lines[i].text);
    if (!entry) continue;
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      const std::string_view l = lines[j].text;
      if (IsBlank(l)) continue;
      const std::size_t indent = Indent(l);
      // A line at or left of the dash, a comment or a tab-indented line ends
      // the scalar: leave it and everything after it to the YAML reader.
      if (indent <= entry->dash || l[indent] == '#' || l[indent] == '\t') break;
      if (indent <= entry->tag) {
        pad[j] = entry->tag + 1 - indent;
        changed = true;
      }
    }
    i = j - 1;
  }
  if (!changed) return std::nullopt;
  std::string out;
  out.reserve(text.size() + 64);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out.append(pad[i], ' ');
    out.append(lines[i].text);
    out.append(lines[i].brk);
  }
  return out;
}

}  // namespace iam_audit::yaml_util
