// Profile variable values from the command line (--var KEY=VALUE) and from
// dbt's own profiles.yml (--dbt-profiles PATH [--dbt-profile NAME]
// [--dbt-target NAME]).
//
// --var: KEY=VALUE, split at the first '='. Lists are comma-separated
// ("a,b,c"; "" is the empty list), bools are true/false (yes/no, on/off, 1/0),
// S3 locations are s3://bucket/prefix/. Typing and checking happen in
// Profile::Bind().
//
// profiles.yml: PATH is the file or the folder holding profiles.yml. The
// profile is --dbt-profile, else the only profile in the file (a file with
// several needs --dbt-profile); the target is --dbt-target, else the profile's
// `target:` (else "default"), as dbt picks them. Each profile variable with
// `dbt_field`s takes the first of those fields present in the target's
// output. Values may use {{ env_var('NAME') }} and
// {{ env_var('NAME', 'default') }} (with the identity filters as_text,
// as_bool, as_number, as_native, string, int, bool, trim); any other Jinja is
// an error at FILE:LINE:COLUMN telling which --var to pass instead. Fields no
// profile variable reads are ignored, templates included.
//
// --var overrides the file: a variable given with --var is not read from the
// file at all (so a template iam-audit cannot evaluate there is no error).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/profile.h"

namespace iam_audit {

struct DbtProfilesOptions {
  std::string path;     // "" = not given
  std::string profile;  // "" = the only one
  std::string target;   // "" = the profile's `target:`
};

struct VariableOptions {
  std::vector<std::string> vars;  // KEY=VALUE, in command-line order
  DbtProfilesOptions dbt;

  bool empty() const { return vars.empty() && dbt.path.empty(); }
};

// Environment lookup (the process environment by default; tests pass a map).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnvironment();

// Parses KEY=VALUE assignments. Throws InputError for one without '=' or with
// an empty KEY.
std::vector<VariableInput> ParseVarAssignments(const std::vector<std::string>& assignments);

// Reads the chosen target of a profiles.yml text (`file` names it in
// diagnostics) for the variables of `profile`, skipping the names in `skip`.
// Throws InputError with FILE:LINE:COLUMN diagnostics.
std::vector<VariableInput> ReadDbtProfilesText(std::string_view text, const std::string& file,
                                               const DbtProfilesOptions& options,
                                               const Profile& profile, const EnvLookup& env,
                                               const std::set<std::string>& skip = {});
// The same from options.path (a file, or a folder holding profiles.yml).
std::vector<VariableInput> ReadDbtProfiles(const DbtProfilesOptions& options,
                                           const Profile& profile, const EnvLookup& env,
                                           const std::set<std::string>& skip = {});

// Everything together: the profiles.yml values, overridden by --var, bound to
// the profile (Profile::Bind). Throws InputError.
Bindings ResolveVariables(const Profile& profile, const VariableOptions& options,
                          const EnvLookup& env = ProcessEnvironment());
// The same with `config_vars` (from .iam-audit.yaml, see config.h) between
// the profiles.yml values and --var: they override the file (and are not read
// from it), --var overrides them.
Bindings ResolveVariables(const Profile& profile, const VariableOptions& options,
                          const std::vector<VariableInput>& config_vars,
                          const EnvLookup& env = ProcessEnvironment());

// Evaluates the Jinja in one profiles.yml value (exposed for tests). On error
// returns nullopt, with the message and the byte offset of the problem.
std::optional<std::string> RenderDbtValue(std::string_view text, const EnvLookup& env,
                                          std::string* error, std::size_t* error_offset);

}  // namespace iam_audit
