// Profile::Requirements: the enabled groups expanded into concrete (action,
// resource pattern) requirements (include/iam_audit/profile.h).
#include <algorithm>
#include <set>

#include "iam_audit/profile.h"
#include "profile_internal.h"

namespace iam_audit {

using profile_internal::FitsResourceType;
using profile_internal::HowToGive;
using profile_internal::ThrowIfAny;

namespace {

// The error for a resource value that is no ARN of its type, blamed on where
// the user gave the variable behind it (profiles.yml:LINE:COLUMN, the
// configuration, --var), else on the profile's template.
std::string NotOfTypeError(const std::string& file, const ProfileResource& r,
                           const std::string& value, const Bindings& bindings) {
  const ResourceTypeRef& type = r.types.front();
  const std::string template_at = file + ":" + std::to_string(r.arn.where.line) + ":" +
                                  std::to_string(r.arn.where.column) + " '" + r.arn.text + "'";
  const std::string what = "is not an ARN of resource type " + type.service + ":" + type.name +
                           " (" + type.arn_template + ")";
  for (const ValueTemplate::Part& part : r.arn.parts) {
    const auto it = part.variable.empty() ? bindings.end() : bindings.find(part.variable);
    if (it == bindings.end() || it->second.origin.empty() || it->second.origin == "default") {
      continue;
    }
    const std::string& origin = it->second.origin;
    return (origin.starts_with("--var") ? origin : origin + ": " + part.variable) + " gives '" +
           value + "', which " + what + " (the profile uses it at " + template_at + ")";
  }
  return "'" + value + "' (from " + template_at + ") " + what;
}

}  // namespace

std::vector<Requirement> Profile::Requirements(const Bindings& bindings) const {
  std::vector<Requirement> out;
  std::vector<std::string> errors;
  const auto expand = [&](const ProfileGroup& g, const ValueTemplate& t,
                          std::vector<std::string>* values) {
    std::string missing;
    const std::optional<std::vector<std::string>> r = t.Expand(bindings, &missing);
    if (r) {
      values->insert(values->end(), r->begin(), r->end());
      return true;
    }
    const ProfileVariable* v = FindVariable(missing);
    errors.push_back("group '" + g.id + "' needs variable '" + missing + "', which is not set: " +
                     (v ? HowToGive(*v) : "pass --var " + missing + "=VALUE"));
    return false;
  };
  for (const ProfileRefusal& refusal : unsupported_) {
    if (!refusal.when.Evaluate(bindings)) continue;
    errors.push_back(refusal.message + " (" + file_ + ":" + std::to_string(refusal.where.line) +
                     ":" + std::to_string(refusal.where.column) + ", when: " + refusal.when.text +
                     ")");
  }
  for (const ProfileGroup& g : groups_) {
    if (!g.when.Evaluate(bindings)) continue;
    const std::size_t before = errors.size();
    std::vector<std::vector<std::string>> resources(g.resources.size());
    for (std::size_t i = 0; i < g.resources.size(); ++i) {
      const ProfileResource& r = g.resources[i];
      if (!expand(g, r.arn, &resources[i]) || r.any) continue;
      for (const std::string& value : resources[i]) {
        const bool fits = std::any_of(
            r.types.begin(), r.types.end(),
            [&](const ResourceTypeRef& t) { return FitsResourceType(t.arn_template, value); });
        if (!fits) errors.push_back(NotOfTypeError(file_, r, value, bindings));
      }
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> context;
    for (const ProfileContextEntry& e : g.context) {
      std::vector<std::string> values;
      for (const ValueTemplate& t : e.values) expand(g, t, &values);
      context.emplace_back(e.key, std::move(values));
    }
    if (errors.size() != before) continue;
    std::set<std::pair<std::string_view, std::string_view>> seen;
    const auto emit = [&](const ProfileCheck& c, const std::string& resource) {
      if (!seen.emplace(c.action, resource).second) return;
      Requirement req;
      req.group_id = g.id;
      req.group_title = g.title;
      req.action = c.action;
      req.resource = resource;
      req.resource_type = c.resource_type;
      req.access = c.access;
      req.severity = g.severity;
      req.origin = g.origin;
      req.source = g.source;
      req.beyond_doc = g.beyond_doc;
      req.context = context;
      req.where = g.where;
      out.push_back(std::move(req));
    };
    static const std::string kStar = "*";
    for (const ProfileCheck& c : g.checks) {
      if (c.resource < 0) {
        emit(c, kStar);
        continue;
      }
      for (const std::string& r : resources[static_cast<std::size_t>(c.resource)]) emit(c, r);
    }
  }
  ThrowIfAny(errors);
  return out;
}

}  // namespace iam_audit
