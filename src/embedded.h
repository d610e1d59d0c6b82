// Blobs compiled into the binary by CMake's embed_file() (an .incbin in an
// assembly source): the compiled action catalog, the built-in profiles and
// the risk table (each as its YAML text and as the located tree of that text,
// serialized at build time by iam-audit-yaml-compiler: yaml_tree.h).
// The bytes live in .rodata for the life of the process.
#pragma once

#include <string_view>
#include <vector>

namespace iam_audit::embedded {

// The catalog blob produced at build time by iam-audit-catalog-compiler.
std::string_view CatalogBlob();

// The risk table, rules/risk/risks.yaml (risk.h): its text and its tree.
std::string_view RiskTableYaml();
std::string_view RiskTableTree();

struct EmbeddedProfile {
  std::string_view name;  // "dbt-athena"
  std::string_view yaml;  // the text of rules/<name>.yaml
  std::string_view tree;  // its serialized tree
};
// Built-in profiles, sorted by name.
const std::vector<EmbeddedProfile>& Profiles();

}  // namespace iam_audit::embedded
