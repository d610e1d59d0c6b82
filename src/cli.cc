#include "cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"

namespace iam_audit::cli {

Context::Context(std::istream& in_, std::ostream& out_, std::ostream& err_)
    : in(in_), out(out_), err(err_) {}
Context::~Context() = default;

const Catalog& Context::catalog() {
  if (!catalog_) {
    catalog_ = std::make_unique<Catalog>(catalog_dir.empty() ? Catalog::Embedded()
                                                             : Catalog::FromDataDir(catalog_dir));
  }
  return *catalog_;
}

namespace {

// True for the global options (and --catalog's value) that may come before
// the subcommand.
bool IsGlobalOption(const std::string& arg) {
  return arg == "--catalog" || arg.starts_with("--catalog=") || arg == "--version" || arg == "-V" ||
         arg == "--help" || arg == "-h";
}

// `iam-audit POLICY...` means `iam-audit check POLICY...`: insert the default
// subcommand before the first argument that is neither a global option nor
// a subcommand, so that check's options may come first (`iam-audit --format
// json FILE`). `iam-audit help [COMMAND]` and `iam-audit version` are
// --help and --version.
std::vector<std::string> WithDefaultCommand(int argc, const char* const* argv,
                                            const CLI::App& app) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::size_t i = 0;
  while (i < args.size() && IsGlobalOption(args[i])) {
    if (args[i] == "--catalog") ++i;
    ++i;
  }
  if (i >= args.size()) return args;
  const std::string first = args[i];
  if (first == "help") {
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, args.size())), "--help");
    return args;
  }
  if (first == "version" && args.size() == i + 1) {
    args[i] = "--version";
    return args;
  }
  const auto subs = app.get_subcommands([](const CLI::App*) { return true; });
  const bool is_sub = std::any_of(subs.begin(), subs.end(),
                                  [&](const CLI::App* s) { return s->check_name(first); });
  if (!is_sub) args.insert(args.begin() + static_cast<std::ptrdiff_t>(i), "check");
  return args;
}

constexpr const char* kFooter = R"(
Exit codes:
  0  clean: no finding at or above --fail-on (default error)
  1  findings at or above --fail-on
  2  usage or input error (bad option, unreadable or invalid file, unknown profile)

Examples:
  iam-audit policy.json                          lint one policy
  iam-audit iam/ --format sarif --output x.sarif  lint a folder, SARIF for code scanning
  iam-audit policy.json --profile dbt-athena --dbt-profiles ~/.dbt
                                                 audit against what dbt-athena needs
  iam-audit rules                                every finding id, its severity and docs
  iam-audit help check                           the options of a command)";

}  // namespace

int Main(int argc, const char* const* argv, std::istream& in, std::ostream& out,
         std::ostream& err) {
  Context ctx(in, out, err);
  CLI::App app{"iam-audit: static auditor and linter for AWS IAM policies", "iam-audit"};
  app.set_version_flag("-V,--version", std::string("iam-audit ") + IAM_AUDIT_VERSION);
  app.footer(kFooter);
  app.add_option("--catalog", ctx.catalog_dir,
                 "Load the action catalog from an iam-data data/ folder instead of the "
                 "embedded one")
      ->type_name("DIR")
      ->check(CLI::ExistingDirectory.description(""));
  app.require_subcommand(0, 1);
  app.fallthrough();

  RegisterCheckCommand(app, ctx);
  RegisterExpandCommand(app, ctx);
  RegisterCatalogCommand(app, ctx);
  RegisterProfilesCommand(app, ctx);
  RegisterGenerateCommand(app, ctx);
  RegisterSimulateCommand(app, ctx);
  RegisterRulesCommand(app, ctx);

  std::vector<std::string> args = WithDefaultCommand(argc, argv, app);
  std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse order
  try {
    app.parse(args);
  } catch (const CLI::Success& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return kExitUsage;
  } catch (const InputError& e) {
    err << e.what() << '\n';
    return kExitUsage;
  }
  if (app.get_subcommands().empty()) {
    out << app.help();
    return kExitUsage;
  }
  return ctx.exit_code;
}

void PrintDiagnostics(std::ostream& err, const Diagnostics& errors, const Diagnostics& warnings,
                      const Diagnostics& notes) {
  std::vector<std::pair<const Diagnostic*, std::string_view>> all;
  for (const Diagnostic& d : errors) all.emplace_back(&d, "");
  for (const Diagnostic& d : warnings) all.emplace_back(&d, "warning: ");
  for (const Diagnostic& d : notes) all.emplace_back(&d, "note: ");
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first->where.line, a.first->where.column) <
           std::pair(b.first->where.line, b.first->where.column);
  });
  for (const auto& [d, prefix] : all) {
    Diagnostic shown = *d;
    shown.message = std::string(prefix) + shown.message;
    err << shown.ToString() << '\n';
  }
}

}  // namespace iam_audit::cli
