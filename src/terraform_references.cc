#include "terraform_references.h"

#include <algorithm>
#include <optional>

namespace iam_audit::policy_source {
namespace {

// The '.'-separated parts of an address or reference, with each `[...]`
// (quoted keys may hold '.' or ']') kept with the part before it.
std::vector<std::string_view> Parts(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0, i = 0;
  bool in_key = false, in_quote = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quote) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_quote = false;
    } else if (c == '"' && in_key) {
      in_quote = true;
    } else if (c == '[') {
      in_key = true;
    } else if (c == ']') {
      in_key = false;
    } else if (c == '.' && !in_key) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string_view Key(std::string_view part) {
  const std::size_t open = part.find('[');
  return open == std::string_view::npos ? std::string_view() : part.substr(open);
}

std::string_view Name(std::string_view part) { return part.substr(0, part.find('[')); }

// The module prefix of an absolute address, without instance keys:
// "module.a.module.b." for "module.a[0].module.b.aws_x.y".
std::string ModulePrefix(std::string_view address) {
  const std::vector<std::string_view> parts = Parts(address);
  std::string prefix;
  for (std::size_t i = 0; i + 1 < parts.size() && parts[i] == "module"; i += 2) {
    prefix += "module." + std::string(Name(parts[i + 1])) + ".";
  }
  return prefix;
}

// A reference to a resource ("aws_iam_role.x.id", "data.t.n", "aws_x.y[0]"),
// relative to its module: "aws_iam_role.x" / "aws_x.y[0]"; nullopt for
// anything else (var., local., module., each., count., path., self...).
std::optional<std::string> ResourceReference(std::string_view ref) {
  const std::vector<std::string_view> parts = Parts(ref);
  std::size_t i = 0;
  std::string out;
  if (!parts.empty() && parts[0] == "data") {
    out = "data.";
    i = 1;
  }
  if (parts.size() < i + 2) return std::nullopt;
  const std::string_view type = parts[i];
  static constexpr std::string_view kNotResources[] = {"var",   "local", "module", "each",
                                                       "count", "path",  "self",   "terraform"};
  if (type.find('[') != std::string_view::npos || type.find('_') == std::string_view::npos ||
      std::find(std::begin(kNotResources), std::end(kNotResources), type) !=
          std::end(kNotResources)) {
    return std::nullopt;
  }
  const std::string_view name = parts[i + 1];
  // A literal key names one instance; count.index / each.key do not.
  const std::string_view key = Key(name);
  const bool literal = !key.empty() && (key[1] == '"' || (key[1] >= '0' && key[1] <= '9'));
  out += std::string(type) + "." + std::string(Name(name)) + (literal ? std::string(key) : "");
  return out;
}

}  // namespace

std::string WithoutInstanceKeys(std::string_view address) {
  std::string out;
  for (const std::string_view part : Parts(address)) {
    if (!out.empty()) out += '.';
    out += Name(part);
  }
  return out;
}

std::string_view InstanceKey(std::string_view address) {
  const std::vector<std::string_view> parts = Parts(address);
  return Key(parts.back());
}

TerraformReferences::TerraformReferences(const json::Value& root) {
  const json::Value* configuration = root.Find("configuration");
  if (configuration == nullptr) return;
  if (const json::Value* m = configuration->Find("root_module")) Walk(*m, "");
}

void TerraformReferences::Walk(const json::Value& module, const std::string& prefix) {
  if (const json::Value* resources = module.Find("resources")) {
    for (const json::Value& r : resources->Elements()) {
      const json::Value* address = r.Find("address");
      const json::Value* expressions = r.Find("expressions");
      if (address == nullptr || !address->is_string() || expressions == nullptr) continue;
      expressions_.emplace(prefix + std::string(address->AsString()), expressions);
    }
  }
  if (const json::Value* calls = module.Find("module_calls")) {
    for (const json::Member& call : calls->Members()) {
      if (const json::Value* child = call.value.Find("module")) {
        Walk(*child, prefix + "module." + std::string(call.name()) + ".");
      }
    }
  }
}

std::vector<std::string> TerraformReferences::Resources(std::string_view address,
                                                        std::string_view attribute) const {
  std::vector<std::string> out;
  const auto it = expressions_.find(WithoutInstanceKeys(address));
  if (it == expressions_.end()) return out;
  const json::Value* expression = it->second->Find(attribute);
  const json::Value* references = expression ? expression->Find("references") : nullptr;
  if (references == nullptr) return out;
  const std::string prefix = ModulePrefix(address);
  for (const json::Value& ref : references->Elements()) {
    if (!ref.is_string()) continue;
    const std::optional<std::string> resource = ResourceReference(ref.AsString());
    if (!resource) continue;
    std::string absolute = prefix + *resource;
    if (std::find(out.begin(), out.end(), absolute) == out.end())
      out.push_back(std::move(absolute));
  }
  return out;
}

}  // namespace iam_audit::policy_source
