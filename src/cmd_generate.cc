// `iam-audit generate --profile NAME|PATH [--var K=V]... [--dbt-profiles ...]`:
// prints the least-privilege policy that grants exactly the profile's
// requirements (see include/iam_audit/policy_generator.h).
//
// Output: one policy document on stdout. When the policy does not fit in
// --max-size characters (default 6,144, the managed-policy limit; whitespace
// not counted), it is split: stderr says so, and stdout gets a JSON array of
// the documents, or with --output-dir each document goes to DIR/NAME-N.json.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "builtin_profiles.h"
#include "cli.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_generator.h"
#include "iam_audit/profile.h"
#include "profile_options.h"
#include "profile_vars.h"

namespace iam_audit::cli {
namespace {

struct GenerateOptions {
  std::string profile;
  VariableOptions vars;
  std::string output_dir;
  std::string name;  // file name stem for --output-dir ("" = the profile's name)
  std::size_t max_size = kManagedPolicyMaxSize;
};

// Indents every line of `text` but the first by `n` spaces.
std::string Indented(const std::string& text, std::size_t n) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(n, ' ');
  }
  return out;
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw InputError(path.string() + ": cannot write the policy file");
}

int RunGenerate(const GenerateOptions& opts, Context& ctx) {
  const Profile profile = LoadProfile(opts.profile, ctx.catalog());
  const Bindings bindings = ResolveVariables(profile, opts.vars);
  const std::vector<Requirement> requirements = profile.Requirements(bindings);
  if (requirements.empty()) {
    throw InputError("profile " + profile.name() + " requires nothing with these variables");
  }
  const std::vector<GeneratedPolicy> policies =
      GeneratePolicies(requirements, GeneratorOptions{opts.max_size});

  if (policies.size() > 1) {
    std::size_t total = 0;
    for (const GeneratedPolicy& p : policies) total += p.Size();
    ctx.err << "iam-audit: the policy needs about " << total << " characters, more than the "
            << opts.max_size << " one policy may hold (whitespace not counted); split into "
            << policies.size() << " policies\n";
  }
  if (!opts.output_dir.empty()) {
    std::filesystem::create_directories(opts.output_dir);
    const std::string stem = opts.name.empty() ? profile.name() + "-policy" : opts.name;
    for (std::size_t i = 0; i < policies.size(); ++i) {
      const std::string file =
          stem + (policies.size() > 1 ? "-" + std::to_string(i + 1) : std::string()) + ".json";
      const std::filesystem::path path = std::filesystem::path(opts.output_dir) / file;
      WriteFile(path, policies[i].ToJson() + "\n");
      ctx.err << "iam-audit: wrote " << path.string() << " (" << policies[i].statements.size()
              << " statements, " << policies[i].Size() << " characters)\n";
    }
    return kExitClean;
  }
  if (policies.size() == 1) {
    ctx.out << policies.front().ToJson() << '\n';
    return kExitClean;
  }
  ctx.out << "[\n";
  for (std::size_t i = 0; i < policies.size(); ++i) {
    ctx.out << "  " << Indented(policies[i].ToJson(), 2) << (i + 1 < policies.size() ? "," : "")
            << '\n';
  }
  ctx.out << "]\n";
  return kExitClean;
}

}  // namespace

void RegisterGenerateCommand(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "generate", "Print the least-privilege policy that grants exactly what a profile requires");
  cmd->add_option("--profile", opts->profile, "Built-in profile name or profile file")
      ->type_name("NAME|PATH")
      ->required();
  AddVariableOptions(*cmd, opts->vars);
  cmd->add_option("--output-dir", opts->output_dir,
                  "Write the policy (or each part of a split policy) to DIR/STEM[-N].json "
                  "instead of stdout")
      ->type_name("DIR");
  cmd->add_option("--name", opts->name, "File name stem for --output-dir (default: PROFILE-policy)")
      ->type_name("STEM");
  cmd->add_option("--max-size", opts->max_size,
                  "Characters one policy may hold, whitespace not counted (6144: managed "
                  "policy; 10240: a role's inline policies)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t{100}, std::size_t{1000000}));
  cmd->callback([opts, &ctx] { ctx.exit_code = RunGenerate(*opts, ctx); });
}

}  // namespace iam_audit::cli
