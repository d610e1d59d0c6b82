#include "report_stream.h"

#include <algorithm>
#include <ostream>

#include "parallel.h"

namespace iam_audit::report_stream {

// `s` as a JSON string, escaped exactly as nlohmann's dump() escapes it
// (UTF-8 kept as is; ", \\ and control characters escaped), without building a
// json value per string.
std::string JsonString(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  while (!s.empty()) {
    // The plain run up to the next character that needs escaping, at once.
    const auto plain = std::find_if(s.begin(), s.end(), [](char c) {
      return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    });
    out.append(s.begin(), plain);
    s.remove_prefix(static_cast<std::size_t>(plain - s.begin()));
    if (s.empty()) break;
    const char c = s.front();
    s.remove_prefix(1);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Appends `json` (dump(2) text) to `out` as a value nested at `indent`.
void AppendIndented(std::string& out, std::string_view json, std::string_view indent) {
  for (std::size_t nl; (nl = json.find('\n')) != std::string_view::npos;) {
    out.append(json.substr(0, nl + 1)).append(indent);
    json.remove_prefix(nl + 1);
  }
  out += json;
}

// Reports hold up to 100,000 findings (a repository audited file by file);
// one nlohmann document of them all cost more than the audit itself. So the
// findings array is streamed: `doc` holds kItemsMark where the array goes,
// and WriteStreamed prints `doc` as dump(2) would, with that mark replaced
// by the items (each given as its own dump(2)-style text), indented to fit.

void WriteStreamed(std::ostream& out, const Json& doc, const std::vector<const Finding*>& findings,
                   const std::function<std::string(const Finding&)>& item) {
  const std::string head = doc.dump(2);
  const std::string mark = Json(kItemsMark).dump();
  const std::size_t at = head.find(mark);
  const std::size_t line = head.rfind('\n', at) + 1;
  const std::string indent(head.find_first_not_of(' ', line) - line, ' ');
  out << std::string_view(head).substr(0, at);
  if (findings.empty()) {
    out << "[]";
  } else {
    const std::string item_indent = indent + "  ";
    WriteInChunks(out, findings.size(), [&](std::size_t i, std::string& text) {
      text.append(i == 0 ? "[\n" : ",\n").append(item_indent);
      AppendIndented(text, item(*findings[i]), item_indent);
    });
    out << '\n' << indent << ']';
  }
  out << std::string_view(head).substr(at + mark.size()) << '\n';
}

void WriteInChunks(std::ostream& out, std::size_t count,
                   const std::function<void(std::size_t, std::string&)>& append) {
  constexpr std::size_t kChunk = 256;
  std::vector<std::string> chunks((count + kChunk - 1) / kChunk);
  ParallelFor(chunks.size(), 0, [&](std::size_t c) {
    for (std::size_t i = c * kChunk; i < std::min(count, (c + 1) * kChunk); ++i) {
      append(i, chunks[c]);
    }
  });
  for (const std::string& chunk : chunks) out << chunk;
}

std::vector<const Finding*> FindingsOf(const Report& report) {
  std::vector<const Finding*> out;
  for (const AuditRun& run : report.runs) {
    for (const Finding& f : run.result.findings) out.push_back(&f);
  }
  return out;
}

Json ToolJson(const Report& report) {
  return {{"name", "iam-audit"}, {"version", ToolVersion()}, {"catalog", report.catalog}};
}

}  // namespace iam_audit::report_stream
