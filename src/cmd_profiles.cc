// `iam-audit profiles`: the built-in profiles; `iam-audit profiles show
// NAME|PATH [--var ...] [--dbt-profiles ...]`: a profile's variables and
// groups, and with variable values its concrete requirements.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "ascii.h"
#include "builtin_profiles.h"
#include "cli.h"
#include "iam_audit/profile.h"
#include "profile_options.h"
#include "profile_vars.h"

namespace iam_audit::cli {
namespace {

struct ShowOptions {
  std::string profile;
  VariableOptions vars;
};

std::string Pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

int ListProfiles(Context& ctx) {
  const std::vector<BuiltinProfile> profiles = BuiltinProfiles();
  std::size_t width = 0;
  for (const BuiltinProfile& p : profiles) width = std::max(width, p.name.size());
  for (const BuiltinProfile& p : profiles) {
    const Profile profile = LoadBuiltinProfile(p, ctx.catalog());
    ctx.out << Pad(std::string(p.name), width + 2) << profile.description() << '\n';
  }
  return kExitClean;
}

std::string VariableSummary(const ProfileVariable& v) {
  std::string type(VariableTypeName(v.type));
  if (v.type == VariableType::kList && v.item_type != VariableType::kString) {
    type += " of " + std::string(VariableTypeName(v.item_type));
  }
  std::string status = v.required ? "required" : "optional";
  if (v.default_value) status = "default: " + ascii::JoinComma(*v.default_value);
  if (v.default_value && v.type == VariableType::kList)
    status = "default: [" + ascii::JoinComma(*v.default_value) + "]";
  else if (v.default_value && v.default_value->size() > 1)  // alternatives
    status = "default: first set of " + ascii::JoinComma(*v.default_value);
  return Pad(type, 22) + status;
}

void PrintVariables(const Profile& profile, const Bindings* bindings, std::ostream& out) {
  out << "\nVariables:\n";
  std::size_t width = 0;
  for (const ProfileVariable& v : profile.variables()) width = std::max(width, v.name.size());
  for (const ProfileVariable& v : profile.variables()) {
    out << "  " << Pad(v.name, width + 2) << VariableSummary(v) << '\n';
    const std::string indent(width + 4, ' ');
    if (!v.description.empty()) out << indent << v.description << '\n';
    if (!v.from.empty()) out << indent << "from: " << v.from << '\n';
    if (bindings) {
      const auto it = bindings->find(v.name);
      if (it == bindings->end()) {
        out << indent << "value: (not set)\n";
      } else {
        const bool list = v.type == VariableType::kList;
        out << indent << "value: " << (list ? "[" : "") << ascii::JoinComma(it->second.items)
            << (list ? "]" : "") << "  (" << it->second.origin << ")\n";
      }
    }
  }
}

void PrintGroup(const ProfileGroup& g, const std::vector<Requirement>* requirements,
                const Bindings* bindings, std::ostream& out) {
  out << "\n  " << g.id << ": " << g.title << '\n';
  out << "    origin: " << g.origin << (g.beyond_doc ? " (beyond the documented list)" : "")
      << "   severity: " << SeverityName(g.severity)
      << "   when: " << (g.when.text.empty() ? "always" : g.when.text) << '\n';
  if (!g.description.empty()) out << "    " << g.description << '\n';
  if (!g.source.empty()) out << "    source: " << g.source << '\n';
  out << "    resources:\n";
  if (g.resources.empty()) out << "      (none: the actions support only \"*\")\n";
  for (std::size_t i = 0; i < g.resources.size(); ++i) {
    const ProfileResource& r = g.resources[i];
    std::vector<std::string> types;
    for (const ResourceTypeRef& t : r.types) types.push_back(t.service + ":" + t.name);
    out << "      [" << i + 1 << "] " << r.arn.text << "  ("
        << (r.any ? std::string("any type") : ascii::JoinComma(types)) << ")\n";
  }
  out << "    actions, checked on:\n";
  std::size_t width = 0;
  for (const ProfileCheck& c : g.checks) width = std::max(width, c.action.size());
  for (std::size_t i = 0; i < g.checks.size();) {
    const std::string& action = g.checks[i].action;
    std::string on;
    for (; i < g.checks.size() && g.checks[i].action == action; ++i) {
      const ProfileCheck& c = g.checks[i];
      on += (on.empty() ? "" : " ") +
            (c.resource < 0 ? std::string("*") : "[" + std::to_string(c.resource + 1) + "]");
    }
    out << "      " << Pad(action, width + 2) << on << '\n';
  }
  if (!g.context.empty()) {
    out << "    request context:";
    for (const ProfileContextEntry& e : g.context) {
      std::vector<std::string> values;
      for (const ValueTemplate& t : e.values) values.push_back(t.text);
      out << ' ' << e.key << '=' << (values.empty() ? "(absent)" : ascii::JoinComma(values)) << ';';
    }
    out << '\n';
  }
  if (!requirements) return;
  if (!g.when.Evaluate(*bindings)) {
    out << "    => off (when: " << g.when.text << ")\n";
    return;
  }
  std::vector<const Requirement*> mine;
  for (const Requirement& r : *requirements) {
    if (r.group_id == g.id) mine.push_back(&r);
  }
  if (!mine.empty() && !mine.front()->context.empty()) {
    out << "    => request context audited:";
    for (const auto& [key, values] : mine.front()->context) {
      out << ' ' << key << '=' << (values.empty() ? "(absent)" : ascii::JoinComma(values)) << ';';
    }
    out << '\n';
  }
  out << "    => " << mine.size() << " requirement" << (mine.size() == 1 ? "" : "s") << ":\n";
  width = 0;
  for (const Requirement* r : mine) width = std::max(width, r->action.size());
  for (const Requirement* r : mine) {
    out << "      " << Pad(r->action, width + 2) << r->resource << '\n';
  }
}

int ShowProfile(const ShowOptions& opts, Context& ctx) {
  const Profile profile = LoadProfile(opts.profile, ctx.catalog());
  std::optional<Bindings> bindings;
  std::vector<Requirement> requirements;
  if (!opts.vars.empty()) {
    bindings = ResolveVariables(profile, opts.vars);
    requirements = profile.Requirements(*bindings);
  }
  std::ostream& out = ctx.out;
  out << profile.name() << " (" << profile.file() << ")\n" << profile.description() << '\n';
  if (!profile.sources().empty()) {
    out << "\nSources:\n";
    for (const ProfileSource& s : profile.sources()) {
      out << "  " << s.id << ": " << s.title << '\n';
      if (!s.url.empty()) out << "    " << s.url << '\n';
    }
  }
  PrintVariables(profile, bindings ? &*bindings : nullptr, out);
  if (!profile.unsupported().empty()) {
    out << "\nNot supported (refused with exit 2):\n";
    for (const ProfileRefusal& r : profile.unsupported()) {
      out << "  when " << r.when.text << ":\n    " << r.message << '\n';
    }
  }
  out << "\nGroups:\n";
  for (const ProfileGroup& g : profile.groups()) {
    PrintGroup(g, bindings ? &requirements : nullptr, bindings ? &*bindings : nullptr, out);
  }
  if (bindings) out << "\n" << requirements.size() << " requirements in total\n";
  return kExitClean;
}

}  // namespace

void RegisterProfilesCommand(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("profiles", "List the built-in profiles, or show one");
  auto opts = std::make_shared<ShowOptions>();
  CLI::App* show = cmd->add_subcommand(
      "show",
      "Show a profile's variables and groups; with --var / --dbt-profiles also the concrete "
      "required permissions");
  show->add_option("PROFILE", opts->profile, "Built-in profile name or profile file")->required();
  AddVariableOptions(*show, opts->vars);
  show->callback([opts, &ctx] { ctx.exit_code = ShowProfile(*opts, ctx); });
  cmd->callback([cmd, show, &ctx] {
    if (!cmd->got_subcommand(show)) ctx.exit_code = ListProfiles(ctx);
  });
}

}  // namespace iam_audit::cli
