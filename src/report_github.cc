#include "report_github.h"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "iam_audit/report.h"
#include "output_format.h"

namespace iam_audit {
namespace {

// The workflow command for each severity.
std::string_view CommandFor(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "notice";
  }
  return "error";
}

std::string Escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string AnnotationPath(const std::string& file, const std::string& workspace) {
  namespace fs = std::filesystem;
  if (workspace.empty() || file == "<stdin>") return file;
  std::error_code ec;
  const fs::path p = fs::absolute(file, ec);
  if (ec) return file;
  const fs::path rel =
      p.lexically_normal().lexically_relative(fs::path(workspace).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return file;
  return rel.generic_string();
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string GithubEscapeData(std::string_view text) { return Escape(text, false); }
std::string GithubEscapeProperty(std::string_view text) { return Escape(text, true); }

void WriteGithubReport(const Report& report, const GithubOptions& options, std::ostream& out) {
  std::size_t counts[3] = {}, suppressed = 0;
  for (const AuditRun& run : report.runs) {
    for (const Finding& f : run.result.findings) {
      if (f.suppressed) {
        ++suppressed;
        continue;
      }
      ++counts[static_cast<std::size_t>(f.severity)];
      out << "::" << CommandFor(f.severity)
          << " file=" << GithubEscapeProperty(AnnotationPath(f.file, options.workspace));
      if (f.where.line > 0) {
        out << ",line=" << f.where.line << ",col=" << std::max(f.where.column, 1);
      }
      out << ",title=" << GithubEscapeProperty(f.name()) << "::";
      std::string message = f.message;
      if (f.fix) message += "\n\nSuggested statement:\n" + StatementText(f.fix);
      out << GithubEscapeData(message) << '\n';
    }
  }
  out << "iam-audit: " << (report.lint() ? "lint" : "profile " + report.profile) << ": "
      << Plural(counts[2], "error", "errors") << ", " << Plural(counts[1], "warning", "warnings")
      << ", " << Plural(counts[0], "note", "notes");
  if (suppressed > 0) out << " (" << suppressed << " suppressed)";
  out << '\n';
}

void WriteGithubReports(std::span<const Report> reports, const OutputOptions& options,
                        std::ostream& out) {
  for (const Report& report : reports) WriteGithubReport(report, {options.workspace}, out);
}

}  // namespace iam_audit
