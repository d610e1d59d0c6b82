// Config: the project's .iam-audit.yaml, so that every run (a developer's,
// the pre-commit hook's, CI's) audits the same files the same way without
// repeating options. docs/configuration.md documents the format with a
// complete example.
//
//   std::optional<std::string> path = FindConfig(std::filesystem::current_path());
//   Config config = path ? LoadConfig(*path) : Config{};   // throws InputError
//   if (config.Excluded("tests/fixtures/x.json")) ...
//   ResolvedSettings s = ResolveSettings(config.SettingsFor("iam/dbt.json"), command_line);
//
// The file is found by walking up from the current directory to the root of
// the file system (the first .iam-audit.yaml wins), or named with --config.
// Every path in it (profile files, dbt-profiles, the baseline, and the globs
// of exclude, overrides and suppressions) is relative to the folder holding
// it (Config::root), whatever the current directory.
//
//   profile: dbt-athena         default profile: a built-in name or a profile file
//   vars: {KEY: VALUE, ...}     profile variables (a list value is a list variable)
//   dbt-profiles: PATH | {path, profile, target}
//   context: {KEY: VALUE | [VALUES], ...}   request context (--context)
//   each: BOOL                  audit each file on its own (--each)
//   fail-on: error|warning|note|never
//   baseline: FILE              the baseline to use (--baseline)
//   exclude: [GLOB, ...]        .gitignore-style; skipped when scanning a
//                               directory and when named on the command line
//   overrides:                  per-path settings, in order; every entry whose
//     - paths: [GLOB, ...]      paths match a file applies to it, later ones
//       profile/vars/dbt-profiles/context/each    over earlier ones
//   suppressions: [...]         see suppression.h
//   checks:                     which findings are reported (RuleSettings)
//     enable: [ID, ...]         only these ids (input findings are always kept)
//     disable: [ID, ...]        never these ids
//     severity: {ID: error|warning|note}   another severity for an id
//
// Validation reports every problem, not only the first, as
// FILE:LINE:COLUMN: message: unknown keys (with a "did you mean"), wrong
// types, unknown finding ids, bad dates, a suppression without a reason.
//
// Precedence, lowest first: the top-level settings, each matching override in
// order, then the command line (--profile, --var, --dbt-profiles, --context,
// --each, --fail-on, --baseline). Variables from the configuration sit between
// a dbt profiles.yml and --var.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/profile.h"
#include "profile_vars.h"
#include "suppression.h"

namespace iam_audit {

inline constexpr std::string_view kConfigFileName = ".iam-audit.yaml";

// Settings that decide how a file is audited: the top level of the file, and
// each entry of `overrides`, may set any of them.
struct AuditSettings {
  std::optional<std::string> profile;  // a built-in name, or an absolute path
  // Variables, each with origin "FILE:LINE:COLUMN" for messages; a YAML list
  // is a sequence (no comma splitting).
  std::vector<VariableInput> vars;
  std::optional<DbtProfilesOptions> dbt;  // path made absolute
  std::vector<std::string> context;       // "KEY=VALUE", one per value
  std::optional<bool> each;

  // Puts `over` on top of these settings: its profile, dbt settings and
  // `each` replace these; its variables and context keys replace the same
  // names here and add the others.
  void Merge(const AuditSettings& over);
};

// Which findings are reported and at what severity: `checks:` of the
// configuration, then --enable/--disable/--severity on top.
struct RuleSettings {
  std::vector<FindingId> enable;   // not empty: only these ids (and input findings)
  std::vector<FindingId> disable;  // never these ids
  std::vector<std::pair<FindingId, Severity>> severity;  // later entries win

  bool Reported(FindingId id) const;
  // Puts the command line's settings on top: its enable list replaces this
  // one (and re-enables what this one disables), its disable ids are added,
  // its severities win.
  void Merge(const RuleSettings& over);
};

struct PathOverride {
  std::vector<std::string> paths;  // .gitignore-style, relative to Config::root
  SourceLocation where;
  AuditSettings settings;
};

struct Config {
  std::string file;  // the configuration file ("" when there is none)
  std::string root;  // absolute folder its paths are relative to (the current one without a file)

  AuditSettings defaults;
  std::optional<std::string> fail_on;   // "error", "warning", "note" or "never"
  std::optional<std::string> baseline;  // absolute path
  std::vector<std::string> exclude;
  std::vector<PathOverride> overrides;
  std::vector<Suppression> suppressions;
  RuleSettings checks;

  // `path` (absolute, or relative to the current directory) relative to root.
  std::string Relative(std::string_view path) const;
  bool Excluded(std::string_view path) const;
  // The indexes of the overrides that apply to `path`, in order.
  std::vector<std::size_t> OverridesFor(std::string_view path) const;
  // The defaults with those overrides merged on top.
  AuditSettings SettingsFor(std::string_view path) const;
};

// `path` made absolute (against the current directory) and lexically normal,
// then relative to `root` ('/'-separated; "../x" outside it).
std::string RelativeToRoot(std::string_view root, std::string_view path);

// The first .iam-audit.yaml in `start` or a folder above it.
std::optional<std::string> FindConfig(const std::filesystem::path& start);

// Parses configuration text. `file` names it in messages; `root` is the
// folder its relative paths are taken from. Throws InputError listing every
// problem.
Config ParseConfig(std::string_view text, const std::string& file, const std::string& root);
// Reads and parses `path` (root: its folder). Throws InputError.
Config LoadConfig(const std::string& path);

// What the command line gave ("" / empty / false = not given).
struct CommandLineSettings {
  std::string profile;
  VariableOptions vars;              // --var, --dbt-profiles, --dbt-profile, --dbt-target
  std::vector<std::string> context;  // --context KEY=VALUE
  bool each = false;
};

// The settings one audit run uses.
struct ResolvedSettings {
  std::string profile;   // "" = validate the policies only
  VariableOptions vars;  // --var; the dbt settings of the command line, else the configuration's
  std::vector<VariableInput> config_vars;  // between the dbt file and --var
  std::vector<std::string>
      context;  // KEY=VALUE: configuration keys not on the command line, then the command line's
  bool each = false;
};

ResolvedSettings ResolveSettings(const AuditSettings& config, const CommandLineSettings& cli);

}  // namespace iam_audit
