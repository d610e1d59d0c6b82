// The risk model: extra grants, classified by the risk table (risk.h).
#include "iam_audit/risk.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "ascii.h"
#include "embedded.h"
#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"
#include "risk_internal.h"

namespace iam_audit {
namespace {

using ascii::Lower;

constexpr std::size_t kActionsListed = 5;
constexpr std::size_t kEntriesListed = 3;

std::string ActionText(const Catalog& c, ActionId id) {
  return std::string(c.action_service(id)) + ":" + std::string(c.action_name(id));
}

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

// "a, b, c and 4 more".
std::string Listed(const std::vector<std::string>& items, std::size_t n) {
  if (items.size() <= n) return Join(items);
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(n));
  return Join(head) + " and " + std::to_string(items.size() - n) + " more";
}

// The phrase after "allows N actions that ...".
std::string CategoryPhrase(FindingId id, RiskMode mode, const std::string& profile) {
  const bool audit = mode == RiskMode::kAudit;
  switch (id) {
    case FindingId::kPrivilegeEscalation:
      return "let the principal gain more permissions (privilege escalation)";
    case FindingId::kCredentialsExposure:
      return "return credentials or secrets";
    case FindingId::kResourceExposure:
      return "change who can access a resource";
    case FindingId::kDataDestruction:
      return audit ? "delete or overwrite data " + profile + " does not write"
                   : "delete or overwrite data on every resource of their type";
    case FindingId::kDataExfiltration:
      return audit ? "read data " + profile + " does not read"
                   : "read data on every resource of their type";
    default:
      return "are risky";
  }
}

// Is the clause a positive restriction of its key (StringEquals, ArnLike,
// Bool...), not a negation, an IfExists or a Null test?
bool Restricts(const ConditionClause& c) {
  const std::string op = Lower(c.op.value);
  if (op.find("not") != std::string::npos || op == "null") return false;
  return op.size() < 8 || op.substr(op.size() - 8) != "ifexists";
}

}  // namespace

// --- preparation ----------------------------------------------------------------------

RiskAssessor::CompiledRows RiskAssessor::Compile(const RiskTable& table, const Catalog& catalog) {
  const auto parse = [](const std::vector<std::string>& texts) {
    std::vector<ActionPattern> out;
    for (const std::string& a : texts) {
      if (std::optional<ActionPattern> p = ActionPattern::Parse(a)) out.push_back(std::move(*p));
    }
    return out;
  };
  // The union of the rows' actions over the catalog, then each row's as
  // positions among them (MatchInto: the row's expansion, all members).
  std::vector<std::vector<ActionPattern>> actions, with_any;
  ActionSet risky(catalog.action_count()), combined(catalog.action_count());
  for (const RiskRow& row : table.rows) {
    for (const ActionPattern& p : actions.emplace_back(parse(row.actions))) {
      ExpandActionsInto(catalog, p, risky);
    }
    for (const ActionPattern& p : with_any.emplace_back(parse(row.with_any))) {
      ExpandActionsInto(catalog, p, combined);
    }
  }
  CompiledRows out{{}, ActionSubset(catalog, risky), ActionSubset(catalog, combined), {}};
  out.rows_of.resize(out.risky.size());
  for (std::size_t k = 0; k < table.rows.size(); ++k) {
    CompiledRow r{&table.rows[k], ActionSet(out.risky.size()), ActionSet(out.combined.size()), {}};
    for (const ActionPattern& p : actions[k]) out.risky.MatchInto(p, r.actions);
    for (const ActionPattern& p : with_any[k]) out.combined.MatchInto(p, r.with_any);
    for (const std::string& u : table.rows[k].unless) r.unless.push_back(Lower(u));
    for (const ActionId pos : r.actions) out.rows_of[pos].push_back(k);
    out.rows.push_back(std::move(r));
  }
  return out;
}

namespace {

// The built-in table against the embedded catalog, compiled once per process
// (immutable afterwards; lint compiles one assessor per file). Any other
// table or catalog is compiled into `owned`.
const RiskAssessor::CompiledRows& Shared(const RiskTable& table, const Catalog& catalog,
                                         std::optional<RiskAssessor::CompiledRows>* owned) {
  if (&table == &BuiltinRiskTable() && catalog.blob().data() == embedded::CatalogBlob().data()) {
    static const Catalog embedded = Catalog::Embedded();  // the rows' subsets refer to it
    static const RiskAssessor::CompiledRows builtin =
        RiskAssessor::Compile(BuiltinRiskTable(), embedded);
    return builtin;
  }
  owned->emplace(RiskAssessor::Compile(table, catalog));
  return **owned;
}

}  // namespace

RiskAssessor::RiskAssessor(const Catalog& catalog, const PolicySet& /*set*/, const Evaluator& ev,
                           std::span<const Requirement> reqs, const RiskOptions& options)
    : catalog_(catalog),
      reqs_(reqs),
      options_(options),
      table_(options.table ? *options.table : BuiltinRiskTable()),
      stmts_(ev.statements()),

      env_(options.context, MissingKeys::kUnknown),
      compiled_(Shared(table_, catalog, &own_rows_)),
      rows_(compiled_.rows),
      risky_(compiled_.risky),
      combined_granted_(compiled_.combined.size()),
      candidates_(risky_.size()) {
  if (options.mode == RiskMode::kAudit) current_ = ActionSet(catalog.action_count());
  if (!reqs.empty()) required_ = ActionSet(catalog.action_count());
  sources_.reserve(stmts_.size());
  for (const CompiledStatement& s : stmts_) sources_.push_back(&s.source());
  for (const std::string& a : options.accepted) {
    if (const auto p = ActionPattern::Parse(a)) ExpandActionsInto(catalog, *p, accepted_);
  }
  PrepareRequirements();
  for (std::uint32_t i = 0; i < stmts_.size(); ++i) {
    const CompiledStatement& s = stmts_[i];
    if (s.effect() == Effect::kDeny) {
      if (s.kind() != PolicyKind::kResource) denies_.push_back(i);
      continue;
    }
    if (s.kind() == PolicyKind::kResource) continue;
    if (s.kind() != PolicyKind::kIdentity) {
      const int layer = s.kind() == PolicyKind::kScp        ? 2 + s.scp_level()
                        : s.kind() == PolicyKind::kBoundary ? 0
                                                            : 1;
      caps_[layer].push_back(i);
      continue;
    }
  }
}

// Only rows with `with_any` need it. Matching the statements against those
// few actions instead of expanding them over the catalog cut this from 34 M
// to 9 M instructions in the lint of the managed policies; it also makes a
// NotAction exact (it used to count as every action, so a NotAction that
// excludes every compute service still completed iam:PassRole).
const ActionSet& RiskAssessor::CombinedGranted() {
  if (combined_ready_) return combined_granted_;
  combined_ready_ = true;
  const ActionSubset& combined = compiled_.combined;
  ActionSet named(combined.size());
  for (std::uint32_t i = 0; i < stmts_.size(); ++i) {
    const CompiledStatement& s = stmts_[i];
    if (s.effect() != Effect::kAllow || s.kind() != PolicyKind::kIdentity || !Assessed(i)) continue;
    if (!s.not_action()) {
      for (const ActionPattern& p : s.actions()) combined.MatchInto(p, combined_granted_);
      continue;
    }
    named.clear();
    for (const ActionPattern& p : s.actions()) combined.MatchInto(p, named);
    combined_granted_ |= named.Complement();
  }
  return combined_granted_;
}

void RiskAssessor::RiskyGranted(std::uint32_t i, ActionSet& out) const {
  const CompiledStatement& s = stmts_[i];
  out.clear();
  for (const ActionPattern& p : s.actions()) risky_.MatchInto(p, out);
  if (s.not_action()) out = out.Complement();
}

void RiskAssessor::PrepareRequirements() {
  for (const Requirement& req : reqs_) {
    const std::optional<ActionId> id = catalog_.FindAction(req.action);
    if (!id) continue;
    required_.insert(*id);
    RequiredAction& r = required_at_[*id];
    if (req.resource_type == "*") {
      r.wildcard_only = true;
      continue;
    }
    const int pid = PatternId(req.resource);
    if (std::find(r.patterns.begin(), r.patterns.end(), pid) == r.patterns.end()) {
      r.patterns.push_back(pid);
    }
    const std::size_t service = catalog_.action_service_index(*id);
    std::vector<int>& touched = touched_[service];
    if (std::find(touched.begin(), touched.end(), pid) == touched.end()) touched.push_back(pid);
    AccessLevels access = req.access ? req.access : catalog_.action_access(*id);
    if ((access & (kAccessWrite | kAccessPermissionsManagement | kAccessTagging)) != 0) {
      std::vector<int>& owned = owned_[service];
      if (std::find(owned.begin(), owned.end(), pid) == owned.end()) owned.push_back(pid);
    }
  }
}

int RiskAssessor::PatternId(const std::string& text) {
  const auto [it, inserted] = pattern_ids_.emplace(text, static_cast<int>(patterns_.size()));
  if (inserted) patterns_.push_back(ArnPattern::Compile(text));
  return it->second;
}

bool RiskAssessor::Assessed(std::uint32_t i) const {
  const CompiledStatement& s = stmts_[i];
  const Statement& stmt = *sources_[i];
  return s.kind() == PolicyKind::kIdentity && s.effect() == Effect::kAllow && !stmt.principal &&
         stmt.has_resource && s.conditions().Evaluate(env_) != Truth::kFalse;
}

// --- resources ------------------------------------------------------------------------

std::vector<RiskAssessor::Entry> RiskAssessor::Entries(std::uint32_t i) const {
  const CompiledStatement& s = stmts_[i];
  const Statement& stmt = *sources_[i];
  std::vector<Entry> out;
  if (s.not_resource()) {
    for (const ResourceTemplate& r : s.resources()) {
      if (r.static_pattern() && r.static_pattern()->MatchesEverything()) return out;
    }
    std::vector<std::string> listed;
    for (const LocatedString& r : stmt.resources) listed.push_back(r.value);
    out.push_back({nullptr, true, "NotResource " + Join(listed), stmt.resources_where});
    return out;
  }
  for (std::size_t e = 0; e < s.resources().size() && e < stmt.resources.size(); ++e) {
    const ArnPattern* p = s.resources()[e].static_pattern();
    out.push_back(
        {p, p && p->MatchesEverything(), stmt.resources[e].value, stmt.resources[e].where});
  }
  return out;
}

const RiskAssessor::GenericPatterns& RiskAssessor::Generics(ActionId id, const Entry& e) {
  // The catalog's ARN templates of the action's resource types, with the
  // entry's partition, region and account and every other part "*".
  std::string_view partition = "*", region = "*", account = "*";
  if (e.pattern) {
    if (const std::optional<Arn> arn = Arn::Parse(e.pattern->text())) {
      partition = arn->partition;
      region = arn->region;
      account = arn->account;
    }
  }
  std::string key = std::to_string(id);
  for (const std::string_view part : {partition, region, account}) (key += '\x1f') += part;
  auto [it, inserted] = generics_.try_emplace(std::move(key));
  if (!inserted) return it->second;
  for (const ActionResource& type : catalog_.action(id).resource_types) {
    std::string text;
    bool singleton = true;  // no variable but partition, region and account
    const std::string_view t = type.arn_template;
    for (std::size_t k = 0; k < t.size();) {
      const std::size_t var_at = std::min(t.find("${", k), t.size());
      text.append(t.substr(k, var_at - k));  // the literal run up to the next variable
      if ((k = var_at) == t.size()) break;
      const std::size_t end = t.find('}', k);
      if (end == std::string_view::npos) break;
      const std::string_view var = t.substr(k + 2, end - k - 2);
      singleton = singleton && (var == "Partition" || var == "Region" || var == "Account");
      text += var == "Partition" ? partition
              : var == "Region"  ? region
              : var == "Account" ? account
                                 : std::string_view("*");
      k = end + 1;
    }
    const ArnPattern* p = &patterns_[static_cast<std::size_t>(PatternId(text))];
    const std::optional<Arn> arn = Arn::Parse(text);
    const GenericPattern g{p, arn && arn->resource.find('/') == std::string_view::npos, type.name};
    it->second.all.push_back(g);
    if (!singleton) it->second.many.push_back(g);
  }
  return it->second;
}

bool RiskAssessor::Reaches(ActionId id, const Entry& e, bool every,
                           std::span<const std::string> types_of_row) {
  if (e.everything) return true;
  if (!e.pattern) return !every;  // a policy variable: some resource, never all
  const GenericPatterns& generics = Generics(id, e);
  if (generics.all.empty()) return e.pattern->Matches(std::string_view("*"));  // "*" only
  // Every resource of a type that has one per account (the Glue catalog) is
  // not "every resource": such an ARN is what each call on it needs.
  const std::vector<GenericPattern>& types = every ? generics.many : generics.all;
  const std::optional<Arn> arn = Arn::Parse(e.pattern->text());
  const bool slash = arn && arn->resource.find('/') != std::string_view::npos;
  return std::any_of(types.begin(), types.end(), [&](const GenericPattern& g) {
    if (g.flat && slash) return false;
    if (!types_of_row.empty() &&
        std::find(types_of_row.begin(), types_of_row.end(), g.type) == types_of_row.end()) {
      return false;
    }
    return every ? e.pattern->Covers(*g.pattern) : e.pattern->Overlaps(*g.pattern);
  });
}

bool RiskAssessor::CoveredBy(const std::vector<int>& ids, const Entry& e) const {
  if (!e.pattern && !e.everything) return true;  // cannot tell: never reported
  return std::any_of(ids.begin(), ids.end(), [&](int pid) {
    const ArnPattern& p = patterns_[static_cast<std::size_t>(pid)];
    return e.everything ? p.MatchesEverything() : p.Covers(*e.pattern);
  });
}

bool RiskAssessor::Extra(ActionId id, const Entry& e) const {
  if (accepted_.contains(id)) return false;
  const auto it = required_at_.find(id);
  if (it == required_at_.end()) return true;
  if (it->second.wildcard_only) return false;  // "*" is the only choice
  return !CoveredBy(it->second.patterns, e);
}

bool RiskAssessor::Dangerous(ActionId id, const Entry& e, const RiskRow& row) {
  const RiskScope scope = row.scope;
  const std::span<const std::string> types = row.resource_types;
  if (scope == RiskScope::kAny) return Reaches(id, e, false, types);
  if (scope == RiskScope::kEvery || options_.mode == RiskMode::kLint) {
    return e.pattern || e.everything ? Reaches(id, e, true, types) : false;
  }
  if (!e.pattern && !e.everything) return false;
  if (!Reaches(id, e, false, types)) return false;
  const auto& by_service = scope == RiskScope::kUnowned ? owned_ : touched_;
  const auto it = by_service.find(catalog_.action_service_index(id));
  return it == by_service.end() || !CoveredBy(it->second, e);
}

bool RiskAssessor::Removed(ActionId id, const Entry& e, RiskScope scope,
                           std::span<const std::string> types) {
  if (denies_.empty() && caps_.empty()) return false;
  const std::string action = ActionText(catalog_, id);
  for (const std::uint32_t d : denies_) {
    const CompiledStatement& s = stmts_[d];
    if (!s.MatchesAction(action)) continue;
    if (s.conditions().Evaluate(env_) != Truth::kTrue) continue;
    const std::vector<ResourceTemplate>& rs = s.resources();
    bool covers = !s.has_resource();
    if (s.has_resource() && !s.not_resource()) {
      covers = std::any_of(rs.begin(), rs.end(), [&](const ResourceTemplate& r) {
        const ArnPattern* p = r.static_pattern();
        return p &&
               (p->MatchesEverything() || (!e.everything && e.pattern && p->Covers(*e.pattern)));
      });
    } else if (s.has_resource()) {  // NotResource: covers e when no entry reaches it
      covers = std::none_of(rs.begin(), rs.end(), [&](const ResourceTemplate& r) {
        const ArnPattern* p = r.static_pattern();
        return !p || e.everything || !e.pattern || p->Overlaps(*e.pattern);
      });
    }
    if (covers) return true;
  }
  for (const auto& [layer, members] : caps_) {
    const bool allows = std::any_of(members.begin(), members.end(), [&](std::uint32_t c) {
      const CompiledStatement& s = stmts_[c];
      if (!s.MatchesAction(action)) return false;
      if (s.conditions().Evaluate(env_) == Truth::kFalse) return false;
      if (!s.has_resource() || s.not_resource()) return true;
      return std::any_of(s.resources().begin(), s.resources().end(), [&](const auto& r) {
        const ArnPattern* p = r.static_pattern();
        if (!p) return true;
        const Entry cap{p, p->MatchesEverything(), p->text(), {}};
        if (scope == RiskScope::kEvery && !Reaches(id, cap, true, types)) return false;
        return cap.everything || e.everything || !e.pattern || p->Overlaps(*e.pattern);
      });
    });
    if (!allows) return true;
  }
  return false;
}

// --- findings -------------------------------------------------------------------------

std::vector<Finding> RiskAssessor::Run() {
  for (std::uint32_t i = 0; i < stmts_.size(); ++i) {
    if (Assessed(i)) AssessStatement(i);
  }
  return std::move(findings_);
}

void RiskAssessor::AssessStatement(std::uint32_t i) {
  const CompiledStatement& s = stmts_[i];
  // The table's actions the statement allows, matched among those few
  // hundred: lint needs no more, and never expands the statement over the
  // catalog (the expansion and action lookups cost 83 M instructions of the
  // lint of the managed policies).
  ActionSet& candidates = candidates_;
  RiskyGranted(i, candidates);
  // Lint reports only the table's categories and service wildcards: a
  // statement with neither is done (most statements of most policies).
  if (options_.mode == RiskMode::kLint && candidates.empty() &&
      std::none_of(s.actions().begin(), s.actions().end(),
                   [](const ActionPattern& p) { return p.MatchesAllActions(); }) &&
      std::none_of(sources_[i]->actions.begin(), sources_[i]->actions.end(),
                   [](const LocatedString& a) { return a.value.ends_with(":*"); })) {
    return;
  }
  const std::vector<Entry> entries = Entries(i);
  if (entries.empty()) return;
  ActionSet& granted = current_;  // audit only: every action the statement allows
  if (options_.mode == RiskMode::kAudit) {
    granted.clear();
    for (const ActionPattern& p : s.actions()) ExpandActionsInto(catalog_, p, granted);
    if (s.not_action()) granted = granted.Complement();
  }

  StatementRisks risks(risky_.size());
  Classify(i, candidates, entries, &risks);
  // Administrator access (allow-all-actions, lint.h) says everything else:
  // only its privilege escalation (and, in an audit, the count of extras) is added.
  const bool admin =
      !s.not_action() &&
      std::any_of(s.actions().begin(), s.actions().end(),
                  [](const ActionPattern& p) { return p.MatchesAllActions(); }) &&
      std::any_of(entries.begin(), entries.end(), [](const Entry& e) { return e.everything; });
  for (const auto& [category, hits] : risks.by_category) {
    if (!admin || category == FindingId::kPrivilegeEscalation) ReportCategory(i, category, hits);
  }
  if (!admin) ServiceWildcards(i);
  if (options_.mode == RiskMode::kAudit) {
    OverBroadActions(i, granted, risks.reported, entries);
    OverBroadResources(i, entries, risks);
  }
}

void RiskAssessor::Classify(std::uint32_t i, const ActionSet& candidates,
                            const std::vector<Entry>& entries, StatementRisks* out) {
  const Statement& stmt = *sources_[i];
  if (candidates.empty()) return;
  std::vector<std::size_t> visit;  // the rows naming a candidate, in table order
  for (const ActionId pos : candidates) {
    const std::vector<std::size_t>& rows = compiled_.rows_of[pos];
    visit.insert(visit.end(), rows.begin(), rows.end());
  }
  std::sort(visit.begin(), visit.end());
  visit.erase(std::unique(visit.begin(), visit.end()), visit.end());
  for (const std::size_t r : visit) {
    const CompiledRow& row = rows_[r];
    if (!row.with_any.empty() && !CombinedGranted().Intersects(row.with_any)) continue;
    const bool defused = std::any_of(stmt.conditions.begin(), stmt.conditions.end(), [&](auto& c) {
      return Restricts(c) && std::find(row.unless.begin(), row.unless.end(), Lower(c.key.value)) !=
                                 row.unless.end();
    });
    if (defused) continue;
    for (const ActionId pos : candidates) {
      if (!row.actions.contains(pos)) continue;
      const ActionId id = risky_.id(pos);
      for (std::size_t e = 0; e < entries.size(); ++e) {
        if (out->pairs.count({id, e}) != 0) continue;  // a riskier row has it
        if (!Extra(id, entries[e]) || !Dangerous(id, entries[e], *row.row)) continue;
        if (Removed(id, entries[e], row.row->scope, row.row->resource_types)) continue;
        out->pairs.insert({id, e});
        out->reported.insert(pos);
        CategoryHits& hits = out->by_category[row.row->category];
        if (hits.rows.empty() || hits.rows.back() != r) hits.rows.push_back(r);
        if (std::find(hits.actions.begin(), hits.actions.end(), id) == hits.actions.end()) {
          hits.actions.push_back(id);
        }
        const std::string& text = entries[e].text;
        if (std::find(hits.entries.begin(), hits.entries.end(), text) == hits.entries.end()) {
          hits.entries.push_back(text);
        }
      }
    }
  }
}

std::string RiskAssessor::Describe(std::uint32_t i) const {
  const CompiledStatement& s = stmts_[i];
  return !s.sid().empty() ? "statement '" + s.sid() + "'"
                          : "statement #" + std::to_string(s.index() + 1);
}

SourceLocation RiskAssessor::ActionEntryFor(std::uint32_t i, ActionId id) const {
  const CompiledStatement& s = stmts_[i];
  const Statement& stmt = *sources_[i];
  if (s.not_action()) return stmt.actions_where;
  const std::string name = ActionText(catalog_, id);
  for (std::size_t a = 0; a < s.actions().size() && a < stmt.actions.size(); ++a) {
    if (s.actions()[a].Matches(name)) return stmt.actions[a].where;
  }
  return stmt.actions_where;
}

std::string RiskAssessor::Conditional(std::uint32_t i) const {
  if (stmts_[i].conditions().Evaluate(env_) != Truth::kUnknown) return "";
  return " (conditional: only when its Condition holds, which the " +
         std::string(options_.mode == RiskMode::kAudit ? "audit" : "linter") + " cannot decide)";
}

Finding& RiskAssessor::Add(FindingId id, std::uint32_t i, SourceLocation where) {
  const CompiledStatement& s = stmts_[i];
  Finding f = MakeFinding(id, s.file(), where);
  f.severity = table_.SeverityOf(id, options_.mode);
  f.sid = s.sid();
  f.related.push_back({s.file(), s.where(), "the statement"});
  findings_.push_back(std::move(f));
  finding_statements_.push_back(i);
  return findings_.back();
}

void RiskAssessor::ReportCategory(std::uint32_t i, FindingId category, const CategoryHits& hits) {
  std::vector<std::string> names;
  for (const ActionId id : hits.actions) names.push_back(ActionText(catalog_, id));
  const RiskRow& first = *rows_[hits.rows.front()].row;
  Finding& f = Add(category, i, ActionEntryFor(i, hits.actions.front()));
  f.action = names.front();
  f.resource = Join(hits.entries);
  std::string with;
  if (!first.with_any.empty()) {
    const ActionSet also = CombinedGranted() & rows_[hits.rows.front()].with_any;
    std::vector<std::string> some;
    for (const ActionId pos : also)
      some.push_back(ActionText(catalog_, compiled_.combined.id(pos)));
    with = ", with " + Listed(some, 2);
  }
  const std::string n = std::to_string(names.size());
  f.message =
      Describe(i) + " allows " + n + (names.size() == 1 ? " action" : " actions") + " that can " +
      CategoryPhrase(category, options_.mode, Profile()) + ": " + Listed(names, kActionsListed) +
      with + " on " +
      Listed(std::vector<std::string>(hits.entries.begin(), hits.entries.end()), kEntriesListed) +
      Conditional(i) + "; " + first.why + " (risk " + first.id + ")";
  std::string more;
  f.fix = NarrowedFix(i, &more);
  f.message += more;
}

std::string RiskAssessor::Profile() const {
  return options_.profile_name.empty() ? std::string("the profile") : options_.profile_name;
}

void RiskAssessor::ServiceWildcards(std::uint32_t i) {
  const CompiledStatement& s = stmts_[i];
  const Statement& stmt = *sources_[i];
  if (s.not_action()) return;  // allow-not-action reports it
  const bool every_resource = std::any_of(s.resources().begin(), s.resources().end(), [](auto& r) {
    return r.static_pattern() && r.static_pattern()->MatchesEverything();
  });
  std::vector<std::string> written;
  bool raised = false;
  SourceLocation where;
  for (std::size_t a = 0; a < s.actions().size() && a < stmt.actions.size(); ++a) {
    const ActionPattern& p = s.actions()[a];
    std::string service;
    if (p.MatchesAllActions()) {
      if (every_resource) continue;  // allow-all-actions reports it
      service = "*";
    } else {
      const std::string_view text = stmt.actions[a].value;
      const std::size_t colon = text.find(':');
      if (colon == std::string::npos || text.substr(colon + 1) != "*") continue;
      service = Lower(text.substr(0, colon));
      if (service.find_first_of("*?") != std::string::npos) continue;
      if (options_.mode == RiskMode::kAudit) {
        const auto [first, last] = catalog_.ServiceActions(service);
        ActionSet extra(catalog_.action_count());
        extra.InsertRange(first, last);
        extra -= required_;
        extra -= accepted_;
        if (extra.empty()) continue;
      }
    }
    if (written.empty()) where = stmt.actions[a].where;
    written.push_back(stmt.actions[a].value);
    const auto& r = table_.raised_services;
    raised = raised || std::find(r.begin(), r.end(), service) != r.end();
  }
  if (written.empty()) return;
  Finding& f = Add(FindingId::kServiceWildcard, i, where);
  if (raised) f.severity = table_.service_wildcard_raised.For(options_.mode);
  f.action = written.front();
  f.message = Describe(i) + " allows every action of a service with " + Listed(written, 4) +
              ", including actions AWS adds later" + Conditional(i) + "; list the actions " +
              (options_.mode == RiskMode::kAudit ? Profile() + " needs" : "needed");
  std::string more;
  f.fix = NarrowedFix(i, &more);
  f.message += more;
}

std::vector<Finding> AssessRisk(const Catalog& catalog, const PolicySet& policies,
                                const Evaluator& evaluator,
                                std::span<const Requirement> requirements,
                                const RiskOptions& options) {
  return RiskAssessor(catalog, policies, evaluator, requirements, options).Finish();
}

std::vector<Finding> RiskAssessor::Finish() {
  std::vector<Finding> out = Run();
  // A statement's key serves all its findings (one per category): computed once.
  std::uint32_t keyed = 0;
  std::string key;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::uint32_t i = finding_statements_[k];
    if (k == 0 || i != keyed) key = StatementKey(*sources_[i]);
    keyed = i;
    out[k].fingerprint = Fingerprint(out[k], key);
  }
  return out;
}

}  // namespace iam_audit
