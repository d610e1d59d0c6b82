#include "builtin_profiles.h"

#include <fstream>
#include <sstream>

#include "embedded.h"
#include "iam_audit/diagnostic.h"
#include "profile_internal.h"
#include "yaml_tree.h"

namespace iam_audit {
namespace {

bool LooksLikePath(std::string_view s) {
  const auto ends_with = [&](std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  return s.find('/') != std::string_view::npos || ends_with(".yaml") || ends_with(".yml");
}

}  // namespace

std::vector<BuiltinProfile> BuiltinProfiles() {
  std::vector<BuiltinProfile> out;
  for (const embedded::EmbeddedProfile& p : embedded::Profiles()) {
    out.push_back({p.name, p.yaml, p.tree, "rules/" + std::string(p.name) + ".yaml"});
  }
  return out;
}

Profile LoadBuiltinProfile(const BuiltinProfile& p, const Catalog& catalog) {
  const std::optional<yaml_tree::Node> root = yaml_tree::Deserialize(p.tree);
  if (!root) throw InputError(p.file + ": the embedded tree is corrupt (rebuild iam-audit)");
  ProfileLoadResult r = profile_internal::LoadTree(*root, p.file, catalog);
  if (!r.profile) throw InputError(std::move(r.errors));
  return std::move(*r.profile);
}

Profile LoadProfile(const std::string& name_or_path, const Catalog& catalog) {
  if (!LooksLikePath(name_or_path)) {
    std::string names;
    for (const BuiltinProfile& p : BuiltinProfiles()) {
      if (p.name == name_or_path) return LoadBuiltinProfile(p, catalog);
      names += names.empty() ? "" : ", ";
      names += p.name;
    }
    std::ifstream probe(name_or_path);
    if (!probe) {
      throw InputError("unknown profile '" + name_or_path +
                       "' (built-in profiles: " + (names.empty() ? std::string("none") : names) +
                       "; give a path to use a profile file)");
    }
  }
  std::ifstream in(name_or_path, std::ios::binary);
  if (!in) throw InputError(name_or_path + ": cannot read the profile file");
  std::ostringstream text;
  text << in.rdbuf();
  return Profile::LoadOrThrow(text.str(), name_or_path, catalog);
}

}  // namespace iam_audit
