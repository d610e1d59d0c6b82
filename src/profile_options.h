// Command-line options shared by the commands that use a profile (generate,
// profiles show, and the audit): --var KEY=VALUE (repeatable), --dbt-profiles
// PATH, --dbt-profile NAME, --dbt-target NAME. Values are resolved with
// ResolveVariables() (src/profile_vars.h).
#pragma once

#include "profile_vars.h"

namespace CLI {
class App;
}

namespace iam_audit::cli {

// Adds the variable options to `cmd`, storing into `opts` (which must outlive
// the parse; commands keep it in a shared_ptr captured by their callback).
void AddVariableOptions(CLI::App& cmd, VariableOptions& opts);

}  // namespace iam_audit::cli
