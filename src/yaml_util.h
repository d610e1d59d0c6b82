// Small helpers for reading YAML with yaml-cpp while keeping source locations
// (shared by the profile loader, the dbt profiles.yml reader and others).
//
// Defined out of line on purpose: inlining yaml-cpp's Node::Mark() into
// callers that pass temporaries (node["key"]) makes g++ 12 report a false
// -Wdangling-pointer in release builds.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "iam_audit/diagnostic.h"

namespace iam_audit::yaml_util {

// 1-based location of a node (0:0 when yaml-cpp has none, e.g. a missing key).
SourceLocation Where(const YAML::Node& node);

// The location of the `offset`-th byte of a single-line scalar's value
// (skipping the opening quote of a quoted scalar).
SourceLocation WhereInScalar(const YAML::Node& node, std::size_t offset);

// "a mapping", "a list", "a scalar", "nothing".
std::string_view KindName(const YAML::Node& node);

// Parses YAML text; on a syntax error returns nullopt and sets `error`
// (FILE:LINE:COLUMN of the problem, "invalid YAML: ...").
std::optional<YAML::Node> Parse(std::string_view text, const std::string& file, Diagnostic* error);

}  // namespace iam_audit::yaml_util
