// Resource-type matching: profile ARN templates vs the catalog's resource
// types (include/iam_audit/profile.h, "The catalog decides which resources
// each action is checked on").
#include <algorithm>
#include <array>
#include <set>

#include "ascii.h"
#include "iam_audit/arn_pattern.h"
#include "profile_internal.h"

namespace iam_audit::profile_internal {
namespace {

using ascii::EqualsIgnoreCase;
using ascii::Lower;

// A catalog ARN template as a pattern: every ${Placeholder} is `*`. The
// engine's ARN parser (arn_pattern.h) splits it, as it splits policies' ARNs.
ArnPattern PlaceholderPattern(std::string_view arn_template) {
  std::string out;
  for (std::size_t i = 0; i < arn_template.size();) {
    if (arn_template.compare(i, 2, "${") == 0) {
      const std::size_t close = arn_template.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close + 1;
        continue;
      }
    }
    out += arn_template[i++];
  }
  return ArnPattern::Compile(out);
}

std::optional<ArnPattern> ArnShaped(ArnPattern p) {
  if (!p.IsArnShaped()) return std::nullopt;
  return p;
}

}  // namespace

// Does the concrete resource pattern `value` fit the catalog ARN template?
bool FitsResourceType(std::string_view arn_template, std::string_view value) {
  const ArnPattern t = PlaceholderPattern(arn_template);
  const ArnPattern v = ArnPattern::Compile(value);
  return t.IsArnShaped() && v.IsArnShaped() && t.Overlaps(v);
}

// A catalog resource type with its ARN template compiled for matching.
struct ResourceTypeMatcher::CompiledType {
  ResourceTypeInfo info;
  std::optional<ArnPattern> pattern;  // nullopt: the template is not ARN-shaped
};

ResourceTypeMatcher::ResourceTypeMatcher(const Catalog& catalog, ErrorSink error)
    : catalog_(catalog), error_(std::move(error)) {}

ResourceTypeMatcher::~ResourceTypeMatcher() = default;

// Matches each resource template to catalog resource types and decides, for
// each action, which resources it is checked on.
void ResourceTypeMatcher::ComputeChecks(ProfileGroup& g) {
  std::vector<std::string> services;
  for (const ProfileAction& a : g.actions) {
    for (const std::string& name : a.actions) {
      const std::string service = name.substr(0, name.find(':'));
      if (std::none_of(services.begin(), services.end(),
                       [&](const std::string& s) { return EqualsIgnoreCase(s, service); })) {
        services.push_back(service);
      }
    }
  }
  bool ok = true;
  for (ProfileResource& r : g.resources) {
    if (r.any) continue;
    ok = MatchResourceTypes(r, services) && ok;
  }
  if (!ok) return;

  std::set<std::string> done;
  for (const ProfileAction& pa : g.actions) {
    for (const std::string& name : pa.actions) {
      if (!done.insert(name).second) continue;
      const ActionInfo info = catalog_.action(*catalog_.FindAction(name));
      if (info.resource_types.empty()) {
        g.checks.push_back({name, -1, "*", info.access});
        continue;
      }
      bool any = false;
      for (std::size_t i = 0; i < g.resources.size(); ++i) {
        const ProfileResource& r = g.resources[i];
        if (r.any) {
          g.checks.push_back({name, static_cast<int>(i), "*", info.access});
          any = true;
          continue;
        }
        for (const ResourceTypeRef& t : r.types) {
          const bool supported = EqualsIgnoreCase(t.service, info.service) &&
                                 std::any_of(info.resource_types.begin(), info.resource_types.end(),
                                             [&](const ActionResource& ar) {
                                               return EqualsIgnoreCase(ar.name, t.name);
                                             });
          if (supported) {
            g.checks.push_back({name, static_cast<int>(i), t.name, info.access});
            any = true;
            break;
          }
        }
      }
      if (!any) {
        std::vector<std::string> supported, listed;
        for (const ActionResource& ar : info.resource_types) supported.emplace_back(ar.name);
        for (const ProfileResource& r : g.resources) {
          for (const ResourceTypeRef& t : r.types) listed.push_back(t.service + ":" + t.name);
        }
        error_(pa.where, name + " is authorised on resource types " + ascii::JoinComma(supported) +
                             ", but none of the resources of group '" + g.id +
                             "' is of those types" +
                             (listed.empty() ? std::string(" (the group lists no resources)")
                                             : " (they are " + ascii::JoinComma(listed) + ")"));
      }
    }
  }
}

// The resource types of a service, compiled once per load.
const std::vector<ResourceTypeMatcher::CompiledType>& ResourceTypeMatcher::TypesOf(
    const std::string& service) {
  auto [it, added] = types_.try_emplace(Lower(service));
  if (added) {
    for (ResourceTypeInfo& t : catalog_.ResourceTypes(service)) {
      std::optional<ArnPattern> p = ArnShaped(PlaceholderPattern(t.arn_template));
      it->second.push_back({std::move(t), std::move(p)});
    }
  }
  return it->second;
}

bool ResourceTypeMatcher::MatchResourceTypes(ProfileResource& r,
                                             const std::vector<std::string>& services) {
  std::vector<const CompiledType*> compiled;
  for (const std::string& s : services) {
    for (const CompiledType& t : TypesOf(s)) compiled.push_back(&t);
  }
  std::vector<ResourceTypeInfo> candidates;
  for (const CompiledType* t : compiled) candidates.push_back(t->info);
  const auto ref = [](const ResourceTypeInfo& t) {
    return ResourceTypeRef{std::string(t.service), std::string(t.name),
                           std::string(t.arn_template)};
  };
  if (!r.type_hint.empty()) {
    const std::size_t colon = r.type_hint.find(':');
    for (const ResourceTypeInfo& t : candidates) {
      const bool match = colon == std::string::npos
                             ? EqualsIgnoreCase(t.name, r.type_hint)
                             : EqualsIgnoreCase(t.service, r.type_hint.substr(0, colon)) &&
                                   EqualsIgnoreCase(t.name, r.type_hint.substr(colon + 1));
      if (match) r.types.push_back(ref(t));
    }
    if (r.types.empty()) {
      error_(r.arn.where, "resource type '" + r.type_hint + "' is not a resource type of " +
                              (services.empty() ? std::string("the group's services")
                                                : "service " + ascii::JoinComma(services)));
      return false;
    }
    if (r.types.size() > 1) {
      error_(r.arn.where,
             "resource type '" + r.type_hint + "' is ambiguous; write it as service:name");
      return false;
    }
    return true;
  }
  const std::string sample = SampleOf(r.arn);
  const std::string key = sample + "\n" + ascii::JoinComma(services);
  if (const auto it = matched_.find(key); it != matched_.end()) {
    r.types = it->second;
    return true;
  }
  const std::optional<ArnPattern> sample_pattern = ArnShaped(ArnPattern::Compile(sample));
  if (!sample_pattern) {
    error_(r.arn.where, "resource '" + r.arn.text +
                            "' is not an ARN template; when a variable holds whole ARNs, give "
                            "the resource type: {arn: '" +
                            r.arn.text + "', type: NAME}");
    return false;
  }
  std::vector<const CompiledType*> matched;
  for (const CompiledType* t : compiled) {
    if (t->pattern && t->pattern->Covers(*sample_pattern)) matched.push_back(t);
  }
  // Keep the most specific: drop a type that strictly covers another match.
  for (const CompiledType* t : matched) {
    const bool broader = std::any_of(matched.begin(), matched.end(), [&](const auto* other) {
      return other != t && t->pattern->Covers(*other->pattern) &&
             !other->pattern->Covers(*t->pattern);
    });
    if (!broader) r.types.push_back(ref(t->info));
  }
  // A template cut short with a final `*` ("arn:aws:logs:${region}:*") is
  // wider than any one type: it stands for every type it overlaps.
  if (matched.empty() && sample_pattern->UsesSpill()) {
    for (const CompiledType* t : compiled) {
      if (t->pattern && t->pattern->Overlaps(*sample_pattern)) r.types.push_back(ref(t->info));
    }
  }
  if (r.types.empty()) {
    error_(r.arn.where, "resource '" + r.arn.text + "' matches no resource type of " +
                            (services.empty() ? std::string("the group's services")
                                              : "service " + ascii::JoinComma(services)) +
                            " in the catalog");
    return false;
  }
  matched_.emplace(key, r.types);
  return true;
}

}  // namespace iam_audit::profile_internal
