// Lint rules about what a statement grants: administrator access, NotAction
// and NotResource in Allow statements, iam:PassRole on every role, actions
// the catalog does not know, and actions listed twice.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ascii.h"
#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"
#include "lint_internal.h"
#include "suggest.h"

namespace iam_audit::lint {
namespace {

// Does `p` match every role of an account? `*`, `arn:aws:iam::*:role/*`,
// `arn:aws:iam::123456789012:role/*`, `arn:aws:iam::123456789012:*`: it covers
// the role/* pattern of its own partition and account.
bool CoversEveryRole(const ArnPattern& p) {
  if (p.MatchesEverything()) return true;
  std::string partition = "aws", account = "*";
  if (const std::optional<Arn> arn = Arn::Parse(p.text())) {
    partition = arn->partition;
    account = arn->account;
  }
  return p.Covers(ArnPattern::Compile("arn:" + partition + ":iam::" + account + ":role/*"));
}

// The index of the first Action entry matching every action, if any.
std::optional<std::size_t> EveryActionEntry(const CompiledStatement& s) {
  if (s.not_action()) return std::nullopt;
  const std::vector<ActionPattern>& actions = s.actions();
  const auto all = std::find_if(actions.begin(), actions.end(),
                                [](const ActionPattern& a) { return a.MatchesAllActions(); });
  if (all == actions.end()) return std::nullopt;
  return static_cast<std::size_t>(all - actions.begin());
}

bool EveryResource(const CompiledStatement& s) {
  const auto every = [](const ResourceTemplate& r) {
    return r.static_pattern() && r.static_pattern()->MatchesEverything();
  };
  const bool star = std::any_of(s.resources().begin(), s.resources().end(), every);
  // Resource: an entry "*". NotResource: every resource but those listed,
  // unless one of them is "*" (which excludes everything).
  return s.not_resource() ? !star : star;
}

// first[a]: the first of the entries [0, n) equal to entry a without case
// (a itself for the first), without copying them: entries sorted by a hash
// that ignores case, each compared with the earlier ones of its hash only.
//
// A known action's entries are keyed by its id, which two entries share
// exactly when they are equal without case (Catalog::FindAction); hashing
// every entry's text was a third of redundant-action's cost.
std::vector<std::size_t> FirstOfEqual(const std::vector<LocatedString>& entries,
                                      const StatementActions& actions, std::size_t n) {
  std::vector<std::pair<std::uint64_t, std::size_t>> keyed(n);
  for (std::size_t a = 0; a < n; ++a) {
    const std::optional<ActionId> id = actions.id(a);
    keyed[a] = {id ? *id : ascii::HashIgnoreCase(entries[a].value) | (std::uint64_t{1} << 63), a};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::size_t> first(n);
  for (std::size_t k = 0, run = 0; k < n; ++k) {
    if (keyed[k].first != keyed[run].first) run = k;  // the run of equal hashes, by index
    const std::size_t a = keyed[k].second;
    first[a] = a;
    for (std::size_t j = run; j < k; ++j) {
      if (ascii::EqualsIgnoreCase(entries[keyed[j].second].value, entries[a].value)) {
        first[a] = first[keyed[j].second];
        break;
      }
    }
  }
  return first;
}

// The part of an action entry's name before its first wildcard, without the
// service: "Get" of "s3:Get*". Two entries of one service whose heads differ
// (without case) beyond the shorter one's end share no action: neither can
// cover the other, and neither needs expanding (~14,000 instructions).
std::string_view NameHead(std::string_view entry) {
  const std::string_view name = entry.substr(entry.find(':') + 1);
  return name.substr(0, name.find_first_of("*?"));
}

bool HeadsMayShare(std::string_view x, std::string_view y) {
  const std::size_t n = std::min(x.size(), y.size());
  return ascii::EqualsIgnoreCase(x.substr(0, n), y.substr(0, n));
}

}  // namespace

bool AllowsEveryActionOnEveryResource(const LintStatement& s) {
  return s.IsIdentityAllow() && EveryActionEntry(s.compiled) && EveryResource(s.compiled);
}

void AllowAllActions(LintContext& ctx, const LintStatement& s) {
  if (!AllowsEveryActionOnEveryResource(s)) return;
  const LocatedString& entry = s.source.actions[*EveryActionEntry(s.compiled)];
  const Statement& stmt = s.source;
  Finding& f = ctx.Add(FindingId::kAllowAllActions, s, entry.where);
  f.action = entry.value;
  f.resource = stmt.not_resource ? "NotResource " + Listed(stmt.resources) : "*";
  f.message =
      s.Describe() + " allows every action (" + Quoted(entry.value) + ") on " +
      (stmt.not_resource ? "every resource but " + Listed(stmt.resources) : "every resource") +
      UnderCondition(stmt) + ": full administrator access";
}

void AllowNotAction(LintContext& ctx, const LintStatement& s) {
  if (!s.IsIdentityAllow() || !s.source.not_action) return;
  Finding& f = ctx.Add(FindingId::kAllowNotAction, s, s.source.actions_where);
  f.action = Listed(s.source.actions);
  f.message = s.Describe() + " allows every action except " + f.action +
              " (Allow with NotAction), in every service, including actions AWS adds later; "
              "list the actions needed with Action instead";
}

void PassRoleWildcard(LintContext& ctx, const LintStatement& s) {
  if (!s.IsIdentityAllow() || AllowsEveryActionOnEveryResource(s)) return;
  if (!s.compiled.MatchesAction("iam:PassRole")) return;
  const Statement& stmt = s.source;
  const std::string tail =
      UnderCondition(stmt) +
      ": the principal can pass any role (an administrator role included) to a "
      "service and act with that role's permissions; list the roles it must "
      "pass";
  const std::vector<ResourceTemplate>& resources = s.compiled.resources();
  if (s.compiled.not_resource()) {
    const bool excludes_roles =
        std::any_of(resources.begin(), resources.end(), [](const ResourceTemplate& r) {
          return r.static_pattern() && CoversEveryRole(*r.static_pattern());
        });
    if (excludes_roles) return;
    Finding& f = ctx.Add(FindingId::kPassRoleWildcard, s, stmt.resources_where);
    f.action = "iam:PassRole";
    f.resource = "NotResource " + Listed(stmt.resources);
    f.message =
        s.Describe() + " allows iam:PassRole on every role but " + Listed(stmt.resources) + tail;
    return;
  }
  for (std::size_t e = 0; e < resources.size() && e < stmt.resources.size(); ++e) {
    const ArnPattern* p = resources[e].static_pattern();
    if (!p || !CoversEveryRole(*p)) continue;
    const LocatedString& entry = stmt.resources[e];
    Finding& f = ctx.Add(FindingId::kPassRoleWildcard, s, entry.where);
    f.action = "iam:PassRole";
    f.resource = entry.value;
    f.message = "Resource " + Quoted(entry.value) + " of " + s.Describe() +
                " allows iam:PassRole on every role" + tail;
  }
}

// AWS "NotResource": an Allow with NotResource grants every resource not
// listed, including ones created later. Not reported when allow-all-actions
// already is, nor for a statement whose only action is iam:PassRole (the
// pass-role-wildcard rule judges that one).
void AllowNotResource(LintContext& ctx, const LintStatement& s) {
  if (!s.IsIdentityAllow() || !s.source.not_resource) return;
  const auto star = [](const LocatedString& r) { return r.value == "*"; };
  if (std::any_of(s.source.resources.begin(), s.source.resources.end(), star)) return;  // nothing
  if (AllowsEveryActionOnEveryResource(s)) return;  // allow-all-actions says it
  const auto pass_role = [](const LocatedString& a) {
    return ascii::EqualsIgnoreCase(a.value, "iam:PassRole");
  };
  if (!s.source.not_action &&
      std::all_of(s.source.actions.begin(), s.source.actions.end(), pass_role)) {
    return;
  }
  Finding& f = ctx.Add(FindingId::kAllowNotResource, s, s.source.resources_where);
  f.action = Listed(s.source.actions);
  f.resource = "NotResource " + Listed(s.source.resources);
  f.message = s.Describe() + " allows its actions on every resource except " +
              Listed(s.source.resources) +
              " (Allow with NotResource), including resources created later and in other "
              "accounts where a resource policy lets it in; list the resources with Resource";
}

void UnknownActions(LintContext& ctx, const LintStatement& s) {
  const Catalog& catalog = ctx.catalog();
  for (std::size_t a = 0; a < s.actions.size() && a < s.source.actions.size(); ++a) {
    if (s.actions.Known(a)) continue;
    const LocatedString& written = s.source.actions[a];
    Finding& f = ctx.Add(FindingId::kUnknownAction, s, written.where);
    f.action = written.value;
    f.message = "action " + Quoted(written.value) + " matches no action in the catalog";
    std::string hints;
    for (const std::string& h : SuggestActions(catalog, written.value, 3)) {
      hints += (hints.empty() ? "" : ", ") + h;
    }
    if (!hints.empty()) f.message += " (did you mean " + hints + "?)";
    f.message += "; IAM ignores it";
  }
}

// An Action entry every action of which another entry of the same element
// already matches (s3:GetObject beside s3:Get*; a repeated entry). Reported
// at the redundant entry, naming the entry that covers it.
void RedundantActions(LintContext& ctx, const LintStatement& s) {
  const std::vector<ActionPattern>& patterns = s.compiled.actions();
  const std::size_t n = std::min(patterns.size(), s.source.actions.size());
  if (n < 2) return;
  const auto report = [&](std::size_t a, std::size_t b) {
    const LocatedString& entry = s.source.actions[a];
    Finding& f = ctx.Add(FindingId::kRedundantAction, s, entry.where);
    f.action = entry.value;
    f.message = "action " + Quoted(entry.value) + " of " + s.Describe() +
                " is already matched by " + Quoted(s.source.actions[b].value) +
                "; remove it (or narrow the wildcard)";
  };
  const auto wildcard = [](const LocatedString& a) { return HasWildcard(a.value); };
  const std::vector<std::size_t> first = FirstOfEqual(s.source.actions, s.actions, n);
  if (std::none_of(s.source.actions.begin(), s.source.actions.begin() + n, wildcard)) {
    // Only repeated names can be redundant (most statements).
    for (std::size_t a = 0; a < n; ++a) {
      if (first[a] != a) report(a, first[a]);
    }
    return;
  }
  // Only an entry with the same name, or a wildcard entry of the same (or a
  // wildcard) service, can cover an entry: those with a wildcard service
  // ("*", "s3*:Get*") are tried first, then those of the entry's service.
  // (Services are short: their lower-case keys need no allocation.)
  const auto service_of = [&](std::size_t a) {
    const std::string_view text = s.source.actions[a].value;
    return text.substr(0, text.find(':'));
  };
  std::vector<std::size_t> any_service;
  std::unordered_map<std::string, std::vector<std::size_t>> by_service;
  std::vector<std::string_view> heads(n);
  for (std::size_t a = 0; a < n; ++a) {
    heads[a] = NameHead(s.source.actions[a].value);
    if (!HasWildcard(s.source.actions[a].value)) continue;
    const std::string_view service = service_of(a);
    if (HasWildcard(service) || service.size() == s.source.actions[a].value.size()) {
      any_service.push_back(a);
    } else {
      by_service[ascii::Lower(service)].push_back(a);
    }
  }
  const Catalog& catalog = ctx.catalog();
  const auto set = [&](std::size_t i) -> const ActionSet& { return s.actions.Entry(i); };
  for (std::size_t a = 0; a < n; ++a) {
    if (first[a] != a) {  // the same entry again
      report(a, first[a]);
      continue;
    }
    // An exact entry's set is its one action (or nothing): "is it in b's
    // set" is b's match of that action, without expanding either.
    std::optional<ActionId> single;
    if (s.actions.literal(a)) {
      single = s.actions.id(a);
      if (!single) continue;  // matches nothing: covered by nothing
    }
    const auto covers = [&](std::size_t b) {
      if (b == a) return false;
      const bool subset = single ? patterns[b].Matches(catalog.action_service(*single),
                                                       catalog.action_name(*single))
                                 : !set(a).empty() && set(a).IsSubsetOf(set(b));
      // Equal sets: report the later one.
      return subset && !(b > a && set(b).IsSubsetOf(set(a)));
    };
    const auto by_any = std::find_if(any_service.begin(), any_service.end(), covers);
    if (by_any != any_service.end()) {
      report(a, *by_any);
      continue;
    }
    const auto same = by_service.find(ascii::Lower(service_of(a)));
    if (same == by_service.end()) continue;
    const auto by = std::find_if(same->second.begin(), same->second.end(), [&](std::size_t b) {
      return HeadsMayShare(heads[a], heads[b]) && covers(b);
    });
    if (by != same->second.end()) report(a, *by);
  }
}

}  // namespace iam_audit::lint
