// OutputFormat: the report formats of `iam-audit check`, as a table of
// writers. Each format lives in its own file (report_text.cc,
// report_json.cc, report_sarif.cc, report_github.cc) and is one row of
// OutputFormats(): adding a format is that file and that row.
//
//   const std::optional<OutputFormat> f = ParseOutputFormat("sarif");
//   WriteReports(reports, *f, {}, std::cout);
//
// A writer takes every report of one run of the command (several when the
// configuration's overrides choose different profiles) and writes them as
// one document (report.h describes each format; docs/output.md documents
// them).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "iam_audit/report.h"

namespace iam_audit {

enum class OutputFormat : std::uint8_t { kText, kJson, kSarif, kGithub };

struct OutputOptions {
  bool color = false;     // text: ANSI colour
  bool quiet = false;     // text: only the findings that count (TextOptions::quiet)
  std::string workspace;  // github: paths relative to it ("" = as named)
  std::string base_dir;   // sarif: URIs relative to it (SarifOptions)
};

using ReportsWriter = void (*)(std::span<const Report> reports, const OutputOptions& options,
                               std::ostream& out);

// One row of the table.
struct OutputFormatInfo {
  OutputFormat format;
  std::string_view name;         // "sarif", as --format takes it
  std::string_view description;  // one line, for --help
  ReportsWriter write;
};

// Every format, in OutputFormat order.
std::span<const OutputFormatInfo> OutputFormats();
const OutputFormatInfo& FormatInfo(OutputFormat format);
// By name ("json"); nullopt if unknown.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// Writes `reports` in `format` (the row's writer).
void WriteReports(std::span<const Report> reports, OutputFormat format,
                  const OutputOptions& options, std::ostream& out);

// The writers of the rows (one per report_<format>.cc). Text and github
// write the reports one after the other (text: a blank line between, a clean
// lint report adds nothing); SARIF one run per report (each with its own
// automationDetails id when there are several); JSON one document whose
// findings each name their "profile" and whose "profile" lists the names.
void WriteTextReports(std::span<const Report> reports, const OutputOptions& options,
                      std::ostream& out);
void WriteJsonReports(std::span<const Report> reports, const OutputOptions& options,
                      std::ostream& out);
void WriteSarifReports(std::span<const Report> reports, const OutputOptions& options,
                       std::ostream& out);
void WriteGithubReports(std::span<const Report> reports, const OutputOptions& options,
                        std::ostream& out);

}  // namespace iam_audit
