#include "iam_audit/diagnostic.h"

#include <algorithm>
#include <utility>

#include "utf8.h"

namespace iam_audit {
namespace {

std::string Join(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    out += d.ToString();
  }
  return out;
}

}  // namespace

std::string LocationText(SourceLocation where) {
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

void SortByLocation(Diagnostics& diagnostics) {
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
      });
}

std::string Quoted(std::string_view text, std::size_t max_bytes) {
  std::string out = "'";
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (out.size() > max_bytes) {
      out += "...";
      break;
    }
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00" + utf8::HexByte(c);
    } else if (c >= 0x80) {
      char32_t cp;
      const int len = utf8::Decode(p, end, &cp);
      if (len == 0) {
        out += "\\x" + utf8::HexByte(c);
      } else {
        out.append(p, static_cast<std::size_t>(len));
        p += len;
        continue;
      }
    } else {
      out += static_cast<char>(c);
    }
    ++p;
  }
  out += "'";
  return out;
}

std::string Diagnostic::ToString() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (where.line > 0) {
    out += ':' + std::to_string(where.line) + ':' + std::to_string(where.column);
  }
  out += ": ";
  out += message;
  return out;
}

InputError::InputError(Diagnostics diagnostics)
    : std::runtime_error(Join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(const std::string& message)
    : std::runtime_error(message), diagnostics_{Diagnostic{"", {}, message}} {}

}  // namespace iam_audit
