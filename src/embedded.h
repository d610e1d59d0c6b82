// Blobs compiled into the binary by CMake's embed_file() (an .incbin in an
// assembly source): the compiled action catalog and the built-in profiles.
// The bytes live in .rodata for the life of the process.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace iam_audit::embedded {

// The catalog blob produced at build time by iam-audit-catalog-compiler.
std::string_view CatalogBlob();

// The risk table, rules/risk/risks.yaml (risk.h).
std::string_view RiskTableYaml();

// Built-in profiles: (name, YAML text), sorted by name.
const std::vector<std::pair<std::string_view, std::string_view>>& Profiles();

}  // namespace iam_audit::embedded
