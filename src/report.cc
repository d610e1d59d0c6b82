#include "iam_audit/report.h"

#include "iam_audit/catalog.h"

namespace iam_audit {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

}  // namespace

std::string CatalogLabel(const Catalog& catalog) {
  const CatalogInfo info = catalog.info();
  if (info.package_name.empty()) return "iam-data " + info.package_version;
  return info.package_name + " " + info.package_version;
}

std::string_view ToolVersion() { return IAM_AUDIT_VERSION; }

std::size_t FindingCounts::AtOrAbove(Severity s) const {
  switch (s) {
    case Severity::kNote:
      return error + warning + note;
    case Severity::kWarning:
      return error + warning;
    case Severity::kError:
      return error;
  }
  return error;
}

FindingCounts CountFindings(const Report& report) {
  FindingCounts c;
  for (const AuditRun& run : report.runs) {
    for (const Finding& f : run.result.findings) {
      if (f.suppressed) {
        ++c.suppressed;
        continue;
      }
      switch (f.severity) {
        case Severity::kError:
          ++c.error;
          break;
        case Severity::kWarning:
          ++c.warning;
          break;
        case Severity::kNote:
          ++c.note;
          break;
      }
    }
  }
  return c;
}

bool WantColor(bool is_terminal, const char* no_color) {
  return is_terminal && (no_color == nullptr || *no_color == '\0');
}

std::string PathToUri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = path.starts_with('/') ? "file://" : "";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace iam_audit
