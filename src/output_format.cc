#include "output_format.h"

#include <array>

namespace iam_audit {
namespace {

constexpr std::array<OutputFormatInfo, 4> kFormats = {{
    {OutputFormat::kText, "text", "for people (the default)", WriteTextReports},
    {OutputFormat::kJson, "json", "one JSON document", WriteJsonReports},
    {OutputFormat::kSarif, "sarif", "SARIF 2.1.0, for code scanning", WriteSarifReports},
    {OutputFormat::kGithub, "github", "GitHub Actions workflow commands (annotations)",
     WriteGithubReports},
}};

constexpr bool TableInEnumOrder() {
  for (std::size_t i = 0; i < kFormats.size(); ++i) {
    if (static_cast<std::size_t>(kFormats[i].format) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "kFormats must list the formats in OutputFormat order");

}  // namespace

std::span<const OutputFormatInfo> OutputFormats() { return kFormats; }

const OutputFormatInfo& FormatInfo(OutputFormat format) {
  return kFormats[static_cast<std::size_t>(format)];
}

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (const OutputFormatInfo& f : kFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

void WriteReports(std::span<const Report> reports, OutputFormat format,
                  const OutputOptions& options, std::ostream& out) {
  FormatInfo(format).write(reports, options, out);
}

}  // namespace iam_audit
