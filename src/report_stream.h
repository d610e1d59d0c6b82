// ReportStream: what the report writers share to write reports of
// up to 100,000 findings fast: strings escaped as nlohmann's dump() escapes
// them, and a document whose findings array is streamed item by item.
#pragma once

#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/report.h"

namespace iam_audit::report_stream {

using Json = nlohmann::ordered_json;

// `s` as a JSON string, escaped exactly as nlohmann's dump() escapes it
// (UTF-8 kept as is; ", \\ and control characters escaped), without building a
// json value per string.
std::string JsonString(std::string_view s);

// Appends `json` (dump(2) text) to `out` as a value nested at `indent`.
void AppendIndented(std::string& out, std::string_view json, std::string_view indent);

// Reports hold up to 100,000 findings (a repository audited file by file);
// one nlohmann document of them all cost more than the audit itself. So the
// findings array is streamed: `doc` holds kItemsMark where the array goes,
// and WriteStreamed prints `doc` as dump(2) would, with that mark replaced
// by the items (each given as its own dump(2)-style text), indented to fit.
inline constexpr std::string_view kItemsMark = "\x01items";
void WriteStreamed(std::ostream& out, const Json& doc, const std::vector<const Finding*>& findings,
                   const std::function<std::string(const Finding&)>& item);

// Writes items 0..count-1 to `out` in order, each appended to its chunk's
// text by `append(i, text)`: rendered in chunks on every core (the items are
// independent; the text, JSON and SARIF writers' findings).
void WriteInChunks(std::ostream& out, std::size_t count,
                   const std::function<void(std::size_t, std::string&)>& append);

// Every finding of every run, in order.
std::vector<const Finding*> FindingsOf(const Report& report);

// {"name", "version", "catalog"}.
Json ToolJson(const Report& report);

}  // namespace iam_audit::report_stream
