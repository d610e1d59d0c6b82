// The command-line front end: global options, subcommand dispatch, and the
// mapping from errors to exit codes (0 clean, 1 findings/no match, 2 usage or
// input error). Each subcommand lives in its own cmd_<name>.cc and registers
// itself through a Register<Name>Command function declared here.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "iam_audit/diagnostic.h"

namespace CLI {
class App;
}

namespace iam_audit {
class Catalog;
}

namespace iam_audit::cli {

// Exit codes, as documented in the README.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

// What every command may use: the streams, and the catalog (loaded lazily:
// from the embedded blob, or from --catalog DIR when given).
class Context {
 public:
  Context(std::istream& in, std::ostream& out, std::ostream& err);
  ~Context();

  std::istream& in;
  std::ostream& out;
  std::ostream& err;

  std::string catalog_dir;  // --catalog DIR ("" = embedded)
  const Catalog& catalog();

  int exit_code = kExitClean;

 private:
  std::unique_ptr<Catalog> catalog_;
};

// Prints a file's errors, warnings and notes to `err`, merged in source order
// (errors first at the same place), warnings and notes marked as such:
// "FILE:LINE:COLUMN: warning: message".
void PrintDiagnostics(std::ostream& err, const Diagnostics& errors, const Diagnostics& warnings,
                      const Diagnostics& notes = {});

// Runs the tool. Never calls exit(); returns the process exit code.
int Main(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err);

// Subcommand registration (one per cmd_<name>.cc). Each adds a subcommand to
// `app` whose callback runs the command and stores its exit code in ctx.
void RegisterCheckCommand(CLI::App& app, Context& ctx);
void RegisterExpandCommand(CLI::App& app, Context& ctx);
void RegisterCatalogCommand(CLI::App& app, Context& ctx);
void RegisterProfilesCommand(CLI::App& app, Context& ctx);
void RegisterGenerateCommand(CLI::App& app, Context& ctx);
void RegisterSimulateCommand(CLI::App& app, Context& ctx);
void RegisterRulesCommand(CLI::App& app, Context& ctx);

}  // namespace iam_audit::cli
