#include "iam_audit/audit.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ascii.h"
#include "audit_resource.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "iam_audit/lint.h"
#include "iam_audit/risk.h"

namespace iam_audit {
namespace {

using Json = nlohmann::ordered_json;

std::string Loc(const std::string& file, SourceLocation where) {
  return file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

// --- what one statement does for one requirement ------------------------------------

enum class Extent : unsigned char { kNone, kPart, kFull };

struct Outcome {
  Extent extent = Extent::kNone;
  Truth truth = Truth::kFalse;    // kTrue or kUnknown when extent != kNone
  int entry = -1;                 // the Resource entry that decided (-1: the element as a whole)
  bool conditions_false = false;  // extent kNone because the conditions are false
};

// The required resource of a requirement, prepared once.
struct Target {
  std::string_view action;
  bool wildcard_only = false;  // checked on the literal "*"
  int resource_id = -1;        // index into Auditor::patterns_
};

// Per Resource/NotResource entry: its fixed pattern, or what is needed to
// instantiate its policy variables.
struct EntryPrep {
  const ArnPattern* fixed = nullptr;
  const PolicyTemplate* tmpl = nullptr;
  std::vector<std::string> lower_keys;
};

Outcome Applies(Extent extent, Truth truth, int entry) {
  Outcome o;
  o.extent = extent;
  o.truth = truth;
  o.entry = entry;
  return o;
}

Coverage StatusOf(const Outcome& o) {
  if (o.extent == Extent::kFull) {
    return o.truth == Truth::kTrue ? Coverage::kGranted : Coverage::kConditional;
  }
  return o.extent == Extent::kPart ? Coverage::kPartial : Coverage::kMissing;
}

// The statements of one layer (identity policies, boundary, one SCP level,
// session policy) that answer a requirement.
struct LayerAnswer {
  PolicyKind kind = PolicyKind::kIdentity;
  int scp_level = 0;
  Coverage best = Coverage::kMissing;
  std::vector<std::pair<std::uint32_t, Outcome>> matches;  // statements with extent != kNone
};

// Deny statements that apply to a requirement.
struct DenyAnswer {
  Coverage worst = Coverage::kGranted;
  std::vector<std::pair<std::uint32_t, Outcome>> matches;
};

// The context keys of `missing`, each once (compared case-insensitively), in
// order of first appearance.
std::vector<std::string> DistinctKeys(std::span<const std::string_view> missing) {
  std::vector<std::string> keys;
  for (std::string_view k : missing) {
    const bool seen = std::any_of(keys.begin(), keys.end(), [&](const std::string& x) {
      return ascii::EqualsIgnoreCase(x, k);
    });
    if (!seen) keys.emplace_back(k);
  }
  return keys;
}

Coverage DenyStatus(const Outcome& o) {
  if (o.truth == Truth::kUnknown) return Coverage::kConditional;
  return o.extent == Extent::kFull ? Coverage::kDenied : Coverage::kPartial;
}

// A finding several profile groups share says so in its message, which every
// format shows: "... (required by profile groups a and b)".
void NameGroups(Finding& f) {
  if (f.other_groups.empty()) return;
  std::string list = f.group;
  for (std::size_t i = 0; i < f.other_groups.size(); ++i) {
    list += (i + 1 == f.other_groups.size() ? " and " : ", ") + f.other_groups[i];
  }
  f.message += " (required by profile groups " + list + ")";
}

SuggestedStatement AllowStatement(const std::string& sid, const std::vector<std::string>& actions,
                                  const std::vector<std::string>& resources) {
  SuggestedStatement s;
  s.sid = sid;
  s.actions = actions;
  s.resources = resources;
  return s;
}

// --- the auditor ---------------------------------------------------------------------

class Auditor {
 public:
  Auditor(const Catalog& catalog, const PolicySet& set, const Evaluator& ev,
          std::span<const Requirement> reqs, const AuditOptions& options)
      : catalog_(catalog),
        set_(set),
        ev_(ev),
        reqs_(reqs),
        options_(options),
        stmts_(ev.statements()),
        resource_side_(set, ev) {
    entries_.resize(stmts_.size());
    static_.resize(stmts_.size(), true);
    for (std::size_t i = 0; i < stmts_.size(); ++i) {
      for (const ResourceTemplate& r : stmts_[i].resources()) {
        EntryPrep e;
        e.fixed = r.static_pattern();
        if (!e.fixed) {
          e.tmpl = &r.tmpl();
          e.lower_keys = LowerVariableKeys(r.tmpl());
          static_[i] = false;
        }
        entries_[i].push_back(std::move(e));
      }
    }
  }

  AuditResult Run();

 private:
  int ResourceId(const std::string& resource);
  Outcome ResourceOutcome(std::uint32_t i, const Target& t, const EvalContext& env);
  Outcome StatementOutcome(std::uint32_t i, const Target& t, const EvalContext& env,
                           std::vector<std::string_view>* missing);
  std::vector<LayerAnswer> Layers() const;
  std::vector<StatementRef> Deciding(Coverage coverage, const LayerAnswer* layer,
                                     const LayerAnswer& identity, const DenyAnswer& deny) const;
  void AuditRequirement(std::size_t r, const RequestContext& context, AuditResult* out);
  void ReportRequirement(std::size_t r, const LayerAnswer* layer, const DenyAnswer& deny,
                         Coverage coverage, bool from_deny, std::vector<std::string> missing,
                         AuditResult* out);

  StatementRef Ref(std::uint32_t i) const {
    const CompiledStatement& s = stmts_[i];
    return {s.file(), s.where(), s.sid(), s.kind()};
  }
  std::string Describe(std::uint32_t i) const {
    const CompiledStatement& s = stmts_[i];
    std::string d = !s.sid().empty() ? "statement '" + s.sid() + "'"
                                     : "statement #" + std::to_string(s.index() + 1);
    return d + " (" + Loc(s.file(), s.where()) + ")";
  }
  const Statement& Stmt(std::uint32_t i) const { return stmts_[i].source(); }
  std::string Key(std::uint32_t i) const { return StatementKey(Stmt(i)); }
  std::string EntryText(std::uint32_t i, int entry) const {
    const Statement& s = Stmt(i);
    return entry >= 0 ? s.resources[static_cast<std::size_t>(entry)].value : "";
  }
  SourceLocation EntryWhere(std::uint32_t i, int entry) const {
    const Statement& s = Stmt(i);
    return entry >= 0 ? s.resources[static_cast<std::size_t>(entry)].where : s.resources_where;
  }
  void AddFinding(Finding f, std::string_view statement_key, AuditResult* out) {
    f.fingerprint = Fingerprint(f, statement_key);
    out->findings.push_back(std::move(f));
  }

  const Catalog& catalog_;
  const PolicySet& set_;
  const Evaluator& ev_;
  std::span<const Requirement> reqs_;
  const AuditOptions& options_;
  std::span<const CompiledStatement> stmts_;
  std::vector<std::vector<EntryPrep>> entries_;
  std::vector<bool> static_;  // no Resource entry uses a policy variable
  ResourceSideAudit resource_side_;

  // Distinct required resources, compiled once, and the resource outcome of
  // each variable-free statement against each (computed lazily).
  std::unordered_map<std::string, int> resource_ids_;
  std::vector<ArnPattern> patterns_;
  std::vector<std::vector<std::optional<Outcome>>> resource_cache_;
};

int Auditor::ResourceId(const std::string& resource) {
  const auto [it, inserted] = resource_ids_.emplace(resource, static_cast<int>(patterns_.size()));
  if (inserted) {
    patterns_.push_back(ArnPattern::Compile(resource));
    resource_cache_.emplace_back(stmts_.size());
  }
  return it->second;
}

Outcome Auditor::ResourceOutcome(std::uint32_t i, const Target& t, const EvalContext& env) {
  const CompiledStatement& s = stmts_[i];
  if (!s.has_resource()) return Applies(Extent::kFull, Truth::kTrue, -1);
  if (t.wildcard_only) {
    static const RequestResource kStar("*");
    const Truth m = s.MatchesResource(kStar, env);
    if (m == Truth::kFalse) return {};
    return Applies(Extent::kFull, m, -1);
  }
  std::optional<Outcome>* cached = nullptr;
  if (static_[i]) {
    cached = &resource_cache_[static_cast<std::size_t>(t.resource_id)][i];
    if (*cached) return **cached;
  }
  const ArnPattern& required = patterns_[static_cast<std::size_t>(t.resource_id)];
  int cover_known = -1, cover_unknown = -1, overlap_known = -1, overlap_unknown = -1;
  const std::vector<EntryPrep>& entries = entries_[i];
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const EntryPrep& prep = entries[e];
    bool unknown = false;
    std::optional<ArnPattern> owned;
    const ArnPattern* p = prep.fixed;
    if (!p) {
      const std::optional<Glob> glob =
          InstantiateTemplate(*prep.tmpl, prep.lower_keys, /*text_wildcards=*/true,
                              Glob::Case::kSensitive, env, &unknown);
      if (!glob) continue;  // a variable without a value: the entry matches nothing
      owned = ArnPattern::FromGlob(*glob);
      p = &*owned;
    }
    const int idx = static_cast<int>(e);
    if (p->Covers(required)) {
      int& slot = unknown ? cover_unknown : cover_known;
      if (slot < 0) slot = idx;
    } else if (p->Overlaps(required)) {
      int& slot = unknown ? overlap_unknown : overlap_known;
      if (slot < 0) slot = idx;
    }
    if (cover_known >= 0) break;
  }
  Outcome o;
  if (!s.not_resource()) {
    if (cover_known >= 0) {
      o = Applies(Extent::kFull, Truth::kTrue, cover_known);
    } else if (cover_unknown >= 0) {
      o = Applies(Extent::kFull, Truth::kUnknown, cover_unknown);
    } else if (overlap_known >= 0) {
      o = Applies(Extent::kPart, Truth::kTrue, overlap_known);
    } else if (overlap_unknown >= 0) {
      o = Applies(Extent::kPart, Truth::kUnknown, overlap_unknown);
    }
  } else if (cover_known >= 0) {
    o = {};  // every required resource is excluded
  } else if (overlap_known >= 0) {
    o = Applies(Extent::kPart, Truth::kTrue, overlap_known);
  } else if (cover_unknown >= 0 || overlap_unknown >= 0) {
    o = Applies(Extent::kFull, Truth::kUnknown, std::max(cover_unknown, overlap_unknown));
  } else {
    o = Applies(Extent::kFull, Truth::kTrue, -1);
  }
  if (cached) *cached = o;
  return o;
}

Outcome Auditor::StatementOutcome(std::uint32_t i, const Target& t, const EvalContext& env,
                                  std::vector<std::string_view>* missing) {
  const std::size_t mark = missing->size();
  Outcome o = ResourceOutcome(i, t, env);
  if (o.extent != Extent::kNone) {
    o.truth = TruthAnd(o.truth, stmts_[i].conditions().Evaluate(env));
    if (o.truth == Truth::kFalse) {
      o.extent = Extent::kNone;
      o.conditions_false = true;
    }
  }
  // Only keys that leave the statement undecided matter.
  if (o.extent == Extent::kNone || o.truth != Truth::kUnknown) missing->resize(mark);
  return o;
}

// The layers of the answer: identity first, then the ones that cap it.
std::vector<LayerAnswer> Auditor::Layers() const {
  std::vector<LayerAnswer> layers(1);
  if (ev_.has_boundary()) layers.push_back({PolicyKind::kBoundary, 0, Coverage::kMissing, {}});
  for (std::size_t l = 0; l < ev_.scp_levels(); ++l) {
    layers.push_back({PolicyKind::kScp, static_cast<int>(l), Coverage::kMissing, {}});
  }
  if (ev_.has_session_policy()) layers.push_back({PolicyKind::kSession, 0, Coverage::kMissing, {}});
  return layers;
}

// The statements that decided `coverage`: those of `layer` (the worst Allow
// layer; null when the Deny answer decided) at that status, and the Deny
// statements at it when they decided or leave it conditional. `identity`
// grants kGranted.
std::vector<StatementRef> Auditor::Deciding(Coverage coverage, const LayerAnswer* layer,
                                            const LayerAnswer& identity,
                                            const DenyAnswer& deny) const {
  std::vector<StatementRef> out;
  const auto add_allow = [&](const LayerAnswer& l, Coverage status) {
    for (const auto& [i, o] : l.matches) {
      if (o.extent != Extent::kNone && StatusOf(o) == status) out.push_back(Ref(i));
    }
  };
  const auto add_deny = [&](Coverage status) {
    for (const auto& [i, o] : deny.matches) {
      if (DenyStatus(o) == status) out.push_back(Ref(i));
    }
  };
  switch (coverage) {
    case Coverage::kGranted:
      add_allow(identity, Coverage::kGranted);
      break;
    case Coverage::kDenied:
      add_deny(Coverage::kDenied);
      break;
    case Coverage::kPartial:
    case Coverage::kConditional:
      if (layer == nullptr) {
        add_deny(coverage);
      } else {
        add_allow(*layer, coverage);
        if (coverage == Coverage::kConditional) add_deny(Coverage::kConditional);
      }
      break;
    case Coverage::kMissing:
      break;
  }
  return out;
}

void Auditor::AuditRequirement(std::size_t r, const RequestContext& context, AuditResult* out) {
  const Requirement& req = reqs_[r];
  Target t;
  t.action = req.action;
  t.wildcard_only = req.resource_type == "*";
  if (!t.wildcard_only) t.resource_id = ResourceId(req.resource);

  std::vector<std::string_view> missing;
  const EvalContext env(context, MissingKeys::kUnknown, &missing);

  std::vector<LayerAnswer> layers = Layers();
  const auto layer_of = [&](const CompiledStatement& s) -> LayerAnswer* {
    for (LayerAnswer& l : layers) {
      if (l.kind == s.kind() && (s.kind() != PolicyKind::kScp || l.scp_level == s.scp_level())) {
        return &l;
      }
    }
    return nullptr;  // resource-based policies are not part of the audit
  };

  DenyAnswer deny;
  for (std::uint32_t i = 0; i < stmts_.size(); ++i) {
    const CompiledStatement& s = stmts_[i];
    // Resource policies and RCPs: the resource side (audit_resource.h).
    if (s.kind() == PolicyKind::kResource || s.kind() == PolicyKind::kRcp) continue;
    if (!s.MatchesAction(t.action)) continue;
    LayerAnswer* layer = s.effect() == Effect::kAllow ? layer_of(s) : nullptr;
    if (s.effect() == Effect::kAllow && !layer) continue;
    const Outcome o = StatementOutcome(i, t, env, &missing);
    if (s.effect() == Effect::kDeny) {
      if (o.extent == Extent::kNone) continue;
      deny.matches.emplace_back(i, o);
      deny.worst = std::max(deny.worst, DenyStatus(o));
      continue;
    }
    // Allow statements whose action matches are kept even without a resource
    // match: the message for a missing permission names them.
    layer->matches.emplace_back(i, o);
    layer->best = std::min(layer->best, StatusOf(o));
  }

  // The worst of the layers and the Deny answer.
  const LayerAnswer* worst_layer = &layers.front();
  for (const LayerAnswer& l : layers) {
    if (l.best > worst_layer->best) worst_layer = &l;
  }
  Coverage coverage = worst_layer->best;
  bool from_deny = false;
  if (deny.worst > coverage) {
    coverage = deny.worst;
    from_deny = true;
  }

  RequirementResult& result = out->results[r];
  result.coverage = coverage;
  if (!from_deny && coverage != Coverage::kGranted) {
    result.layer = worst_layer->kind;
    result.scp_level = worst_layer->scp_level;
  }
  result.deciding = Deciding(coverage, from_deny ? nullptr : worst_layer, layers.front(), deny);
  std::vector<std::string> keys;
  if (coverage == Coverage::kConditional) {
    keys = DistinctKeys(missing);
    result.missing_keys = keys;
  }
  if (coverage != Coverage::kGranted) {
    ReportRequirement(r, from_deny ? nullptr : worst_layer, deny, coverage, from_deny,
                      std::move(keys), out);
  }
}

void Auditor::ReportRequirement(std::size_t r, const LayerAnswer* layer, const DenyAnswer& deny,
                                Coverage coverage, bool from_deny, std::vector<std::string> missing,
                                AuditResult* out) {
  const Requirement& req = reqs_[r];
  const bool wildcard_only = req.resource_type == "*";
  const std::string what = req.action + " on " + req.resource;
  FindingId id = FindingId::kMissingPermission;
  switch (coverage) {
    case Coverage::kDenied:
      id = FindingId::kDeniedPermission;
      break;
    case Coverage::kPartial:
      id = FindingId::kPartialPermission;
      break;
    case Coverage::kConditional:
      id = FindingId::kConditionalPermission;
      break;
    default:
      break;
  }
  Finding f = MakeFinding(id, "", {});
  f.severity = std::min(f.severity, req.severity);
  f.group = req.group_id;
  f.action = req.action;
  f.resource = req.resource;
  std::string key;  // the statement responsible, for the fingerprint

  // The first statement of `matches` with the given status.
  const auto first_with = [](const auto& matches, auto status_of, Coverage status) {
    for (const auto& [i, o] : matches) {
      if (o.extent != Extent::kNone && status_of(o) == status) {
        return std::optional<std::pair<std::uint32_t, Outcome>>(std::pair(i, o));
      }
    }
    return std::optional<std::pair<std::uint32_t, Outcome>>();
  };
  const auto point_at = [&](std::uint32_t i, SourceLocation where) {
    f.file = stmts_[i].file();
    f.where = where;
    f.sid = stmts_[i].sid();
    key = Key(i);
  };
  const auto related = [&](std::uint32_t i, std::string message) {
    f.related.push_back({stmts_[i].file(), stmts_[i].where(), std::move(message)});
  };
  const auto layer_name = [&](const LayerAnswer& l) -> std::string {
    switch (l.kind) {
      case PolicyKind::kBoundary:
        return "the permissions boundary";
      case PolicyKind::kScp:
        return "SCP level " + std::to_string(l.scp_level + 1);
      case PolicyKind::kSession:
        return "the session policy";
      default:
        return "the identity policies";
    }
  };
  const auto layer_policy = [&](const LayerAnswer& l) -> const Policy* {
    switch (l.kind) {
      case PolicyKind::kBoundary:
        return set_.Boundary();
      case PolicyKind::kScp:
        return set_.scps[static_cast<std::size_t>(l.scp_level)].empty()
                   ? nullptr
                   : &set_.scps[static_cast<std::size_t>(l.scp_level)].front();
      case PolicyKind::kSession:
        return set_.session ? &*set_.session : nullptr;
      default:
        return set_.FirstIdentityPolicy();
    }
  };
  const auto keys_text = [&] {
    return missing.empty() ? std::string("the request context") : ascii::JoinComma(missing);
  };

  if (coverage == Coverage::kDenied) {
    const auto d = first_with(deny.matches, DenyStatus, Coverage::kDenied);
    point_at(d->first, stmts_[d->first].where());
    f.message = what + " is explicitly denied by " + Describe(d->first);
    for (const auto& [i, o] : deny.matches) {
      if (i != d->first && DenyStatus(o) == Coverage::kDenied) related(i, "also denies it");
    }
  } else if (from_deny) {
    const auto d = first_with(deny.matches, DenyStatus, coverage);
    const std::uint32_t i = d->first;
    if (coverage == Coverage::kPartial) {
      point_at(i, EntryWhere(i, d->second.entry));
      f.message = Describe(i) + " denies " + req.action + " on part of " + req.resource;
      if (d->second.entry >= 0) f.message += " (" + EntryText(i, d->second.entry) + ")";
    } else {
      const Statement& s = Stmt(i);
      point_at(i, s.conditions.empty() ? EntryWhere(i, d->second.entry) : s.conditions_where);
      f.message = what + " may be denied by " + Describe(i) + ", depending on " + keys_text() +
                  "; pass --context KEY=VALUE to decide";
    }
  } else {
    const LayerAnswer& l = *layer;
    const bool identity_layer = l.kind == PolicyKind::kIdentity;
    const std::string in_layer = identity_layer ? "" : " by " + layer_name(l);
    if (coverage == Coverage::kMissing) {
      const Policy* p = layer_policy(l);
      if (p) {
        f.file = p->file;
        f.where = p->where;
      }
      if (identity_layer) {
        f.message = what + " is not allowed: no statement allows it";
      } else {
        f.message = what + " is not allowed" + in_layer + (p ? " (" + p->file + ")" : "") +
                    ": every layer must allow it, and this one does not";
      }
      // Statements that allow the action, but elsewhere or under false conditions.
      std::vector<std::string> elsewhere;
      for (const auto& [i, o] : l.matches) {
        const Statement& s = Stmt(i);
        std::vector<std::string> resources;
        for (const LocatedString& e : s.resources) resources.push_back(e.value);
        const std::string listed = ascii::JoinComma(resources);
        if (o.conditions_false) {
          related(i, "allows it, but its conditions are false for these requests");
          elsewhere.push_back(Describe(i) + " allows it only when its conditions hold");
        } else {
          related(i, "allows it only on " + listed);
          elsewhere.push_back(Describe(i) + " allows it only on " +
                              (s.not_resource ? "resources other than " : "") + listed);
        }
      }
      if (!elsewhere.empty()) f.message += "; " + ascii::Join(elsewhere, "; ");
      if (wildcard_only) {
        f.message += " (" + req.action +
                     " supports no resource-level permissions: it needs \"Resource\": \"*\")";
      }
    } else if (coverage == Coverage::kPartial) {
      const auto a = first_with(l.matches, StatusOf, Coverage::kPartial);
      const std::uint32_t i = a->first;
      point_at(i, EntryWhere(i, a->second.entry));
      if (stmts_[i].not_resource()) {
        f.message = what + " is allowed" + in_layer + " only in part: the NotResource of " +
                    Describe(i) + " excludes " + EntryText(i, a->second.entry);
      } else {
        f.message = what + " is allowed" + in_layer + " only in part: " + Describe(i) +
                    " allows it on " + EntryText(i, a->second.entry) +
                    ", which does not include all of " + req.resource;
      }
    } else {  // conditional
      const auto a = first_with(l.matches, StatusOf, Coverage::kConditional);
      const std::uint32_t i = a->first;
      const Statement& s = Stmt(i);
      point_at(i, s.conditions.empty() ? EntryWhere(i, a->second.entry) : s.conditions_where);
      f.message = what + " is allowed" + in_layer + " only under conditions the audit cannot " +
                  "decide (" + Describe(i) + " depends on " + keys_text() +
                  "); pass --context KEY=VALUE to decide";
    }
    if (coverage == Coverage::kMissing || coverage == Coverage::kPartial) {
      f.fix = AllowStatement(SidFromGroupId(req.group_id), {req.action},
                             {wildcard_only ? std::string("*") : req.resource});
    }
  }
  if (const Policy* first = set_.FirstIdentityPolicy(); f.file.empty() && first) {
    f.file = first->file;
    f.where = first->where;
  }
  // Two groups may require the same action on the same resource (dbt's own
  // call and Athena's, with different request contexts): the same gap is one
  // finding, at the higher severity, naming both groups (NameGroups()).
  f.fingerprint = Fingerprint(f, key);
  for (std::size_t k = 0; k < out->findings.size(); ++k) {
    Finding& seen = out->findings[k];
    if (seen.fingerprint != f.fingerprint) continue;
    std::vector<std::string> others = std::move(seen.other_groups);
    if (f.group != seen.group && std::find(others.begin(), others.end(), f.group) == others.end()) {
      others.push_back(f.group);
    }
    std::string first = std::move(seen.group);
    if (f.severity > seen.severity) seen = std::move(f);
    seen.group = std::move(first);
    seen.other_groups = std::move(others);
    out->results[r].finding = static_cast<int>(k);
    return;
  }
  out->results[r].finding = static_cast<int>(out->findings.size());
  out->findings.push_back(std::move(f));
}

AuditResult Auditor::Run() {
  AuditResult out;
  out.results.resize(reqs_.size());
  // Requirements of one group share their context: build it once per change.
  RequestContext context;
  const std::vector<std::pair<std::string, std::vector<std::string>>>* built = nullptr;
  for (std::size_t r = 0; r < reqs_.size(); ++r) {
    const auto& wanted = reqs_[r].context;
    if (!built || *built != wanted) {
      context = RequestContext();
      for (const auto& [k, values] : wanted) context.Set(k, values);
      for (const RequestContext::Entry& e : options_.context.entries())
        context.Set(e.key, e.values);
      built = &wanted;
    }
    AuditRequirement(r, context, &out);
    resource_side_.Check(reqs_[r], context, &out.results[r], &out.findings);
  }
  for (Finding& f : out.findings) NameGroups(f);
  if (options_.over_broad) {
    // What the policies allow beyond the requirements, by risk (risk.h).
    RiskOptions risk;
    risk.mode = RiskMode::kAudit;
    risk.profile_name = options_.profile_name;
    risk.context = options_.context;
    risk.accepted = options_.accepted_extras;
    std::vector<Finding> risks = AssessRisk(catalog_, set_, ev_, reqs_, risk);
    std::move(risks.begin(), risks.end(), std::back_inserter(out.findings));
  }
  if (options_.lint) {
    std::vector<Finding> lint = Lint(catalog_, set_, ev_);
    std::move(lint.begin(), lint.end(), std::back_inserter(out.findings));
  }

  // Sort the findings, keeping results[].finding pointing at the right ones.
  std::vector<std::size_t> order(out.findings.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return FindingLess(out.findings[a], out.findings[b]);
  });
  std::vector<Finding> sorted;
  std::vector<int> position(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    position[order[i]] = static_cast<int>(i);
    sorted.push_back(std::move(out.findings[order[i]]));
  }
  for (RequirementResult& result : out.results) {
    if (result.finding >= 0) result.finding = position[static_cast<std::size_t>(result.finding)];
  }
  out.findings = std::move(sorted);
  return out;
}

}  // namespace

std::string_view CoverageName(Coverage c) {
  switch (c) {
    case Coverage::kGranted:
      return "granted";
    case Coverage::kConditional:
      return "conditional";
    case Coverage::kPartial:
      return "partial";
    case Coverage::kMissing:
      return "missing";
    case Coverage::kDenied:
      return "denied";
  }
  return "missing";
}

AuditResult Audit(const Catalog& catalog, const PolicySet& policies,
                  std::span<const Requirement> requirements, const AuditOptions& options) {
  Evaluator::CompileResult compiled = Evaluator::Compile(policies, options.compile_cache);
  if (!compiled.errors.empty()) {
    AuditResult out;
    out.errors = std::move(compiled.errors);
    return out;
  }
  Auditor auditor(catalog, policies, *compiled.evaluator, requirements, options);
  return auditor.Run();
}

std::vector<std::string> RequestedResources(std::span<const Requirement> requirements) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Requirement& req : requirements) {
    std::string r = ResourceSideAudit::RequestResource(req);
    if (seen.insert(r).second) out.push_back(std::move(r));
  }
  return out;
}

std::string SidFromGroupId(std::string_view group_id) {
  std::string sid;
  bool upper = true;
  for (const char c : group_id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    sid += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
    upper = false;
  }
  return sid.empty() ? "Required" : sid;
}

std::string SuggestedPolicy(std::span<const Requirement> requirements, const AuditResult& result) {
  // group -> action -> resources, each in first-seen order.
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>> wanted;
  std::set<std::pair<std::string, std::string>> seen;  // each (action, resource) once
  for (std::size_t r = 0; r < requirements.size() && r < result.results.size(); ++r) {
    const RequirementResult& rr = result.results[r];
    if (rr.finding < 0 || rr.layer != PolicyKind::kIdentity) continue;
    if (rr.coverage != Coverage::kMissing && rr.coverage != Coverage::kPartial) continue;
    if (!result.findings[static_cast<std::size_t>(rr.finding)].fix) continue;
    const Requirement& req = requirements[r];
    const std::string resource = req.resource_type == "*" ? "*" : req.resource;
    if (!seen.emplace(req.action, resource).second) continue;  // an earlier group has it
    auto [it, inserted] = wanted.try_emplace(req.group_id);
    if (inserted) groups.push_back(req.group_id);
    auto& actions = it->second;
    auto a = std::find_if(actions.begin(), actions.end(),
                          [&](const auto& e) { return e.first == req.action; });
    if (a == actions.end()) {
      actions.emplace_back(req.action, std::vector<std::string>());
      a = actions.end() - 1;
    }
    a->second.push_back(resource);
  }
  if (groups.empty()) return "";
  Json statements = Json::array();
  for (const std::string& g : groups) {
    // Actions needing the same resources share a statement.
    std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> merged;
    for (const auto& [action, resources] : wanted[g]) {
      auto m = std::find_if(merged.begin(), merged.end(), [&resources = resources](const auto& e) {
        return e.second == resources;
      });
      if (m == merged.end()) {
        merged.emplace_back(std::vector<std::string>{action}, resources);
      } else {
        m->first.push_back(action);
      }
    }
    const std::string sid = SidFromGroupId(g);
    for (std::size_t k = 0; k < merged.size(); ++k) {
      statements.push_back(StatementJson(AllowStatement(k == 0 ? sid : sid + std::to_string(k + 1),
                                                        merged[k].first, merged[k].second)));
    }
  }
  Json policy = Json::object();
  policy["Version"] = "2012-10-17";
  policy["Statement"] = std::move(statements);
  return policy.dump(2);
}

}  // namespace iam_audit
