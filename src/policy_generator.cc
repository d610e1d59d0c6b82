#include "iam_audit/policy_generator.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "iam_audit/diagnostic.h"
#include "iam_audit/glob.h"

namespace iam_audit {
namespace {

using Json = nlohmann::ordered_json;

// {"Version":"2012-10-17","Statement":[]}
constexpr std::size_t kPolicyOverhead = 39;

std::string Capitalized(std::string_view word) {
  std::string out;
  bool upper = true;
  for (char c : word) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {  // Sids allow only [A-Za-z0-9]
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    upper = false;
  }
  return out;
}

// "S3" + "Read" + "Objects": service, what the actions do, what they act on.
std::string SidOf(std::string_view action, AccessLevels access, std::string_view resource_type) {
  std::string sid = Capitalized(action.substr(0, action.find(':')));
  const AccessLevels reading = kAccessList | kAccessRead;
  if (access & kAccessPermissionsManagement) {
    sid += "Manage";
  } else if ((access & ~reading) == 0) {
    sid += "Read";
  } else if (access & reading) {
    sid += "Use";
  } else if (access == kAccessTagging) {
    sid += "Tag";
  } else {
    sid += "Write";
  }
  if (!resource_type.empty() && resource_type != "*") {
    sid += Capitalized(resource_type);
    if (sid.back() != 's') sid += 's';
  }
  return sid;
}

Json StatementJson(const PolicyStatement& s) {
  Json j;
  j["Sid"] = s.sid;
  j["Effect"] = "Allow";
  j["Action"] = s.actions;
  j["Resource"] = s.resources;
  return j;
}

// Characters of a string as a JSON string (quotes and escapes included).
std::size_t JsonStringSize(const std::string& s) { return Json(s).dump().size(); }

// Characters of the compact JSON of a list of strings: ["a","b"].
std::size_t ListSize(const std::vector<std::string>& items) {
  std::size_t n = 2 + (items.empty() ? 0 : items.size() - 1);
  for (const std::string& i : items) n += JsonStringSize(i);
  return n;
}

// {"Sid":S,"Effect":"Allow","Action":A,"Resource":R} without whitespace,
// computed rather than serialised (splitting asks for it often).
constexpr std::size_t kStatementOverhead = 47;
std::size_t StatementSize(const PolicyStatement& s) {
  return kStatementOverhead + JsonStringSize(s.sid) + ListSize(s.actions) + ListSize(s.resources);
}

// The text before the first wildcard: what every string a pattern matches starts with.
std::string_view LiteralPrefix(std::string_view pattern) {
  return pattern.substr(0, pattern.find_first_of("*?"));
}

// Drops the resources another resource of the same list covers.
std::vector<std::string> WithoutCovered(const std::vector<std::string>& resources) {
  std::vector<std::size_t> wild;  // only a pattern with wildcards covers a different one
  for (std::size_t j = 0; j < resources.size(); ++j) {
    if (resources[j].find_first_of("*?") != std::string::npos) wild.push_back(j);
  }
  std::vector<Glob> globs(resources.size());
  std::vector<bool> compiled(resources.size(), false);
  const auto glob = [&](std::size_t k) -> const Glob& {
    if (!compiled[k]) globs[k] = Glob::Compile(resources[k]);
    compiled[k] = true;
    return globs[k];
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    bool covered = false;
    for (std::size_t j : wild) {
      if (j == i || !resources[i].starts_with(LiteralPrefix(resources[j]))) continue;
      // A strictly broader resource, or an equal one earlier in the list.
      if (glob(j).Covers(glob(i)) && (!glob(i).Covers(glob(j)) || j < i)) {
        covered = true;
        break;
      }
    }
    if (!covered) out.push_back(resources[i]);
  }
  return out;
}

// Splits a statement that does not fit alone: resources in chunks, and actions
// in chunks when one resource is already too big. Sizes are kept as running
// sums (ListSize of a growing list grows by the item plus a comma).
std::vector<PolicyStatement> SplitStatement(const PolicyStatement& s, std::size_t room) {
  // The Sid grows by "PartNN"; count it generously.
  const std::size_t base = kStatementOverhead + JsonStringSize(s.sid) + 8;
  const std::size_t actions_size = ListSize(s.actions);
  std::vector<PolicyStatement> parts;
  PolicyStatement part{s.sid, s.actions, {}};
  std::size_t resources_size = 2;
  for (const std::string& r : s.resources) {
    const std::size_t item = JsonStringSize(r);
    const std::size_t grown = resources_size + item + (part.resources.empty() ? 0 : 1);
    if (base + actions_size + grown <= room) {
      part.resources.push_back(r);
      resources_size = grown;
      continue;
    }
    if (!part.resources.empty()) parts.push_back(part);
    part.resources = {r};
    resources_size = 2 + item;
    if (base + actions_size + resources_size <= room) continue;
    // One resource with every action is too big: split the actions.
    PolicyStatement few{s.sid, {}, {r}};
    std::size_t few_size = 2;
    for (const std::string& a : s.actions) {
      const std::size_t a_item = JsonStringSize(a);
      const std::size_t a_grown = few_size + a_item + (few.actions.empty() ? 0 : 1);
      if (base + a_grown + resources_size <= room) {
        few.actions.push_back(a);
        few_size = a_grown;
        continue;
      }
      if (few.actions.empty()) {
        throw InputError("the size limit " + std::to_string(room + kPolicyOverhead) +
                         " is too small for one statement granting " + a + " on " + r);
      }
      parts.push_back(few);
      few.actions = {a};
      few_size = 2 + a_item;
    }
    if (base + few_size + resources_size > room) {
      throw InputError("the size limit " + std::to_string(room + kPolicyOverhead) +
                       " is too small for one statement granting " + few.actions.front() + " on " +
                       r);
    }
    parts.push_back(few);
    part.resources.clear();
    resources_size = 2;
  }
  if (!part.resources.empty()) parts.push_back(part);
  for (std::size_t i = 0; i < parts.size(); ++i)
    parts[i].sid = s.sid + "Part" + std::to_string(i + 1);
  return parts;
}

}  // namespace

std::size_t PolicySize(std::string_view json) {
  return static_cast<std::size_t>(std::count_if(json.begin(), json.end(), [](char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r';
  }));
}

std::string GeneratedPolicy::ToJson(int indent) const {
  Json doc;
  doc["Version"] = "2012-10-17";
  doc["Statement"] = Json::array();
  for (const PolicyStatement& s : statements) doc["Statement"].push_back(StatementJson(s));
  return doc.dump(indent);
}

std::size_t GeneratedPolicy::Size() const { return PolicySize(ToJson(-1)); }

std::vector<GeneratedPolicy> GeneratePolicies(const std::vector<Requirement>& requirements,
                                              const GeneratorOptions& options) {
  // Each action's resources, in order of first appearance.
  struct ActionNeeds {
    AccessLevels access = 0;
    std::vector<std::string> resources;
  };
  std::vector<std::string> order;
  std::map<std::string, ActionNeeds> needs;
  std::map<std::string, std::string> type_of;  // resource -> catalog resource type
  for (const Requirement& r : requirements) {
    auto [it, added] = needs.try_emplace(r.action);
    if (added) order.push_back(r.action);
    it->second.access = r.access;
    std::vector<std::string>& res = it->second.resources;
    if (std::find(res.begin(), res.end(), r.resource) == res.end()) res.push_back(r.resource);
    type_of.try_emplace(r.resource, r.resource_type);
  }

  // Actions with the same resource set share a statement.
  std::vector<PolicyStatement> statements;
  std::vector<AccessLevels> statement_access;
  std::map<std::vector<std::string>, std::size_t> by_resources;
  std::map<std::vector<std::string>, std::vector<std::string>> reduced_lists;  // memo
  for (const std::string& action : order) {
    const ActionNeeds& n = needs[action];
    auto [reduced, fresh] = reduced_lists.try_emplace(n.resources);
    if (fresh) reduced->second = WithoutCovered(n.resources);
    std::vector<std::string> resources = reduced->second;
    std::vector<std::string> key = resources;
    std::sort(key.begin(), key.end());
    auto [it, added] = by_resources.try_emplace(key, statements.size());
    if (added) {
      statements.push_back({"", {}, std::move(resources)});
      statement_access.push_back(0);
    }
    statements[it->second].actions.push_back(action);
    statement_access[it->second] |= n.access;
  }
  std::set<std::string> sids;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    PolicyStatement& s = statements[i];
    const std::string base =
        SidOf(s.actions.front(), statement_access[i], type_of[s.resources.back()]);
    std::sort(s.actions.begin(), s.actions.end());
    s.sid = base;
    for (int n = 2; !sids.insert(s.sid).second; ++n) s.sid = base + std::to_string(n);
  }

  // Fit into policies of at most max_size characters.
  if (options.max_size <= kPolicyOverhead) {
    throw InputError("the policy size limit must be more than " + std::to_string(kPolicyOverhead));
  }
  const std::size_t room = options.max_size - kPolicyOverhead;
  std::vector<PolicyStatement> pieces;
  for (const PolicyStatement& s : statements) {
    if (StatementSize(s) <= room) {
      pieces.push_back(s);
    } else {
      for (PolicyStatement& p : SplitStatement(s, room)) pieces.push_back(std::move(p));
    }
  }
  std::vector<GeneratedPolicy> policies;
  std::vector<std::size_t> used;  // statement characters (with separating commas) per policy
  for (PolicyStatement& s : pieces) {
    const std::size_t size = StatementSize(s);
    const auto needed = [&](std::size_t i) {  // with the comma before it, if any
      return used[i] + size + (policies[i].statements.empty() ? 0 : 1);
    };
    std::size_t i = 0;
    while (i < policies.size() && needed(i) > room) ++i;
    if (i == policies.size()) {
      policies.emplace_back();
      used.push_back(0);
    }
    used[i] = needed(i);
    policies[i].statements.push_back(std::move(s));
  }
  return policies;
}

}  // namespace iam_audit
