#include "profile_options.h"

#include <CLI/CLI.hpp>

namespace iam_audit::cli {

void AddVariableOptions(CLI::App& cmd, VariableOptions& opts) {
  cmd.add_option("--var", opts.vars,
                 "Profile variable KEY=VALUE (repeatable; lists comma-separated, bools "
                 "true/false, S3 locations s3://bucket/prefix/); overrides --dbt-profiles")
      ->type_name("KEY=VALUE")
      ->default_str("")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  CLI::Option* path = cmd.add_option("--dbt-profiles", opts.dbt.path,
                                     "Read variables from dbt's profiles.yml (the file, or the "
                                     "folder holding it)")
                          ->type_name("PATH");
  cmd.add_option("--dbt-profile", opts.dbt.profile,
                 "Profile of profiles.yml to read (default: the only one)")
      ->type_name("NAME")
      ->needs(path);
  cmd.add_option("--dbt-target", opts.dbt.target,
                 "Target of the profile to read (default: the profile's target:)")
      ->type_name("NAME")
      ->needs(path);
}

}  // namespace iam_audit::cli
