// Built-in profiles (rules/*.yaml, embedded in the binary) and the lookup that
// --profile NAME|PATH and `iam-audit profiles show NAME|PATH` share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/profile.h"

namespace iam_audit {

struct BuiltinProfile {
  std::string_view name;  // file name without .yaml: "dbt-athena"
  std::string_view yaml;
  std::string_view tree;  // the serialized tree of `yaml` (yaml_tree.h)
  std::string file;       // how diagnostics name it: "rules/dbt-athena.yaml"
};

// Sorted by name.
std::vector<BuiltinProfile> BuiltinProfiles();

// A built-in profile, read from its embedded tree (no YAML parse): the same
// profile, locations and messages as Profile::LoadOrThrow(p.yaml, p.file).
// Throws InputError if the profile has errors.
Profile LoadBuiltinProfile(const BuiltinProfile& p, const Catalog& catalog);

// A built-in profile by name, or else a profile file by path (anything with a
// '/' or ending in .yaml/.yml is taken as a path). Throws InputError: for an
// unknown name (listing the built-in ones), an unreadable file, or a profile
// with errors (every FILE:LINE:COLUMN diagnostic).
Profile LoadProfile(const std::string& name_or_path, const Catalog& catalog);

}  // namespace iam_audit
