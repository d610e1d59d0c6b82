// The audit's over-broad findings (extra grants no risk row classifies) and
// the narrowed statement every risk finding of an audit proposes (risk.h).
#include <algorithm>
#include <iterator>
#include <set>

#include "iam_audit/catalog.h"
#include "risk_internal.h"

namespace iam_audit {
namespace {

// Levels that make an extra action risky, riskiest first.
struct RiskLevel {
  AccessLevels bit;
  std::string_view name;
};
constexpr RiskLevel kLevelOrder[] = {
    {kAccessPermissionsManagement, "Permissions management"},
    {kAccessWrite, "Write"},
    {kAccessTagging, "Tagging"},
    {kAccessRead, "Read"},
    {kAccessList, "List"},
};
constexpr AccessLevels kChanges = kAccessWrite | kAccessTagging | kAccessPermissionsManagement;
constexpr std::size_t kExamplesPerLevel = 3;
constexpr std::size_t kServicesListed = 5;
constexpr std::size_t kResourcesListed = 4;

// Words that make an action name stand out among those of its level, most
// telling first (policy and ACL changes, then deletions).
constexpr std::string_view kRiskWords[] = {"Policy", "Acl", "Delete", "Permission"};

std::size_t RiskRank(std::string_view name) {
  std::size_t i = 0;
  for (; i < std::size(kRiskWords); ++i) {
    if (name.find(kRiskWords[i]) != std::string_view::npos) break;
  }
  return i;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::optional<SuggestedStatement> RiskAssessor::NarrowedFix(std::uint32_t i, std::string* more) {
  if (options_.mode != RiskMode::kAudit) return std::nullopt;
  const Statement& stmt = *sources_[i];
  const std::vector<Entry> entries = Entries(i);
  // Required actions this statement grants, grouped by the required resources
  // it reaches.
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> groups;
  // Does an entry reach the required pattern? Asked once per pattern, not
  // once per action requiring it (the 100-statement audit of audit_bench:
  // 7,477 ArnPattern::Overlaps calls, 27 M of its 113 M instructions).
  std::vector<signed char> reached(patterns_.size(), -1);
  const auto reaches = [&](int pid) {
    signed char& r = reached[static_cast<std::size_t>(pid)];
    if (r < 0) {
      const ArnPattern& p = patterns_[static_cast<std::size_t>(pid)];
      r = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) {
        return e.everything || (e.pattern && e.pattern->Overlaps(p));
      });
    }
    return r == 1;
  };
  for (const ActionId id : current_& required_) {
    const RequiredAction& ra = required_at_[id];
    std::vector<std::string> resources;
    if (ra.wildcard_only) {
      if (std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.everything; }))
        resources.push_back("*");
    }
    for (const int pid : ra.patterns) {
      if (reaches(pid)) resources.push_back(patterns_[static_cast<std::size_t>(pid)].text());
    }
    if (resources.empty()) continue;
    const std::string action =
        std::string(catalog_.action_service(id)) + ":" + std::string(catalog_.action_name(id));
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const auto& e) { return e.second == resources; });
    if (g == groups.end()) {
      groups.emplace_back(std::vector<std::string>{action}, resources);
    } else {
      g->first.push_back(action);
    }
  }
  if (groups.empty()) return std::nullopt;
  // The first group is the statement to use instead; the others (actions
  // needed on other resources) are named in the message.
  for (std::size_t k = 1; k < groups.size() && more; ++k) {
    *more += "; also keep " + Join(groups[k].first) + " on " + Join(groups[k].second) +
             " (a statement of their own)";
  }
  SuggestedStatement s;
  if (stmt.sid) s.sid = stmt.sid->value;
  s.actions = groups.front().first;
  s.resources = groups.front().second;
  for (const ConditionClause& c : stmt.conditions) {
    SuggestedCondition& out = s.conditions.emplace_back();
    out.op = c.op.value;
    out.key = c.key.value;
    for (const LocatedString& v : c.values) out.values.push_back(v.value);
  }
  return s;
}

void RiskAssessor::OverBroadActions(std::uint32_t i, const ActionSet& granted,
                                    const ActionSet& reported, const std::vector<Entry>& entries) {
  ActionSet extra = granted - required_;
  extra -= accepted_;
  for (const ActionId pos : reported) extra.erase(risky_.id(pos));
  if (extra.empty()) return;
  // The extra actions per level (each under its riskiest), most telling names first.
  std::vector<std::vector<ActionId>> by_level(std::size(kLevelOrder));
  std::set<std::string_view> services;
  std::size_t count = 0;
  AccessLevels seen = 0;
  for (const ActionId id : extra) {
    const bool removed = std::all_of(entries.begin(), entries.end(), [&](const Entry& e) {
      return Removed(id, e, RiskScope::kAny);
    });
    if (removed) continue;
    ++count;
    services.insert(catalog_.action_service(id));
    const AccessLevels access = catalog_.action_access(id);
    seen |= access;
    for (std::size_t l = 0; l < std::size(kLevelOrder); ++l) {
      if ((access & kLevelOrder[l].bit) != 0) {
        by_level[l].push_back(id);
        break;
      }
    }
  }
  if (count == 0) return;
  std::vector<std::string> levels;
  for (std::size_t l = 0; l < by_level.size(); ++l) {
    std::vector<ActionId>& ids = by_level[l];
    if (ids.empty()) continue;
    // Most telling first: by (RiskRank, length) of the name, computed once per action.
    std::vector<std::pair<std::pair<std::size_t, std::size_t>, ActionId>> ranked;
    ranked.reserve(ids.size());
    for (const ActionId id : ids) {
      const std::string_view name = catalog_.action_name(id);
      ranked.push_back({{RiskRank(name), name.size()}, id});
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t k = 0; k < ids.size(); ++k) ids[k] = ranked[k].second;
    std::vector<std::string> examples;
    for (std::size_t k = 0; k < ids.size() && k < kExamplesPerLevel; ++k) {
      examples.push_back(std::string(catalog_.action_service(ids[k])) + ":" +
                         std::string(catalog_.action_name(ids[k])));
    }
    levels.push_back(std::to_string(ids.size()) + " " + std::string(kLevelOrder[l].name) + " (" +
                     Join(examples) + (ids.size() > examples.size() ? ", ..." : "") + ")");
  }
  std::vector<std::string> names(services.begin(), services.end());
  std::string service_text = Join(std::vector<std::string>(
      names.begin(),
      names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), kServicesListed))));
  if (names.size() > kServicesListed) {
    service_text += " and " + std::to_string(names.size() - kServicesListed) + " more services'";
  }
  const Statement& stmt = *sources_[i];
  Finding& f = Add(FindingId::kOverBroadAction, i, stmt.actions_where);
  if ((seen & kChanges) == 0) f.severity = Severity::kNote;  // List and Read only
  std::vector<std::string> written;
  for (const LocatedString& a : stmt.actions) written.push_back(a.value);
  f.action = Join(written);
  f.message = Describe(i) + (stmt.not_action ? " (NotAction) allows " : " allows ") +
              std::to_string(count) + " " + service_text + (count == 1 ? " action" : " actions") +
              " that " + Profile() + " does not need" + Conditional(i) + "; riskiest: " + [&] {
                std::string t;
                for (const std::string& l : levels) t += (t.empty() ? "" : "; ") + l;
                return t;
              }();
  std::string more;
  f.fix = NarrowedFix(i, &more);
  f.message += more;
}

void RiskAssessor::OverBroadResources(std::uint32_t i, const std::vector<Entry>& entries,
                                      const StatementRisks& risks) {
  const Statement& stmt = *sources_[i];
  std::vector<ActionId> ids;
  for (const ActionId id : current_& required_) ids.push_back(id);
  for (const ActionId id : ids) {
    const RequiredAction& ra = required_at_[id];
    if (ra.wildcard_only || ra.patterns.empty()) continue;
    const AccessLevels access = catalog_.action_access(id);
    if ((access & kChanges) == 0) continue;
    const std::string action =
        std::string(catalog_.action_service(id)) + ":" + std::string(catalog_.action_name(id));
    std::vector<std::string> needed;
    for (const int pid : ra.patterns)
      needed.push_back(patterns_[static_cast<std::size_t>(pid)].text());
    if (needed.size() > kResourcesListed) {
      const std::size_t more = needed.size() - kResourcesListed;
      needed.resize(kResourcesListed);
      needed.push_back("and " + std::to_string(more) + " more");
    }
    const std::string tail = " beyond what " + Profile() + " needs it on: " + Join(needed);
    const std::string level = AccessLevelsToString(access);
    for (std::size_t e = 0; e < entries.size(); ++e) {
      if (risks.pairs.count({id, e}) != 0) continue;  // reported under a risk category
      const Entry& entry = entries[e];
      if (!entry.pattern && !entry.everything) continue;  // policy variables: cannot tell
      if (stmt.not_resource) {
        const bool reaches = std::any_of(ra.patterns.begin(), ra.patterns.end(), [&](int pid) {
          const ArnPattern& p = patterns_[static_cast<std::size_t>(pid)];
          return std::none_of(stmts_[i].resources().begin(), stmts_[i].resources().end(),
                              [&](const ResourceTemplate& r) {
                                return r.static_pattern() && r.static_pattern()->Covers(p);
                              });
        });
        if (!reaches) continue;
      } else {
        bool overlaps = false;
        for (const int pid : ra.patterns) {
          const ArnPattern& p = patterns_[static_cast<std::size_t>(pid)];
          overlaps = overlaps || entry.everything || entry.pattern->Overlaps(p);
        }
        if (!overlaps || !Extra(id, entry)) continue;
      }
      if (Removed(id, entry, RiskScope::kAny)) continue;
      Finding& f = Add(FindingId::kOverBroadResource, i,
                       stmt.not_resource ? stmt.resources_where : entry.where);
      f.action = action;
      f.resource = entry.text;
      f.message = stmt.not_resource
                      ? Describe(i) + " allows " + action + " (" + level + ") on every resource " +
                            "but " + entry.text.substr(std::string("NotResource ").size()) + "," +
                            tail
                      : "Resource '" + entry.text + "' of " + Describe(i) + " allows " + action +
                            " (" + level + ")" + tail;
      f.fix = NarrowedFix(i, nullptr);
    }
  }
}

}  // namespace iam_audit
