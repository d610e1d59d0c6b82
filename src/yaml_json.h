// YAML text as located JSON values: the one YAML reader of every input
// format (policies written in YAML, CloudFormation templates).
//
// Mapping keys must be scalars; plain and quoted scalars are strings; `~`,
// `null` and empty values are null. CloudFormation short-form tags become
// their long forms: `!Ref X` is {"Ref": "X"}, `!GetAtt a.b` is
// {"Fn::GetAtt": "a.b"}, `!Sub s` is {"Fn::Sub": s}. Every value carries the
// line and column of its YAML node. Aliases are kept as a graph (an aliased
// container is converted once and shared).
//
// REQUIRES: nothing of the text; a syntax error, nesting deeper than
// json::kMaxDepth, or a document that expands to more than
// yaml_util::kMaxNodes nodes is a diagnostic, never an exception.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"

namespace iam_audit::policy_source {

// The document of `text` (named `file` in diagnostics); nullopt after adding
// errors to `errors` (when not null).
std::optional<json::Document> YamlToJson(std::string_view text, const std::string& file,
                                         Diagnostics* errors);

}  // namespace iam_audit::policy_source
