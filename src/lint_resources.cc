// Lint rules about Resource elements: ARN syntax, resources that match none
// of an action's resource types, and statements with no Resource at all
// (AWS "IAM JSON policy elements: Resource", "IAM identifiers: ARNs", the
// Service Authorization Reference's resource types; docs/lint.md).
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ascii.h"
#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"
#include "lint_internal.h"
#include "resource_type_shapes.h"

namespace iam_audit::lint {
namespace {

bool HasPattern(std::string_view s) {
  return HasWildcard(s) || s.find("${") != std::string_view::npos;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "us-east-1", "us-gov-west-1", "cn-north-1", "eu-isoe-west-1", "us-isob-east-1".
bool IsRegion(std::string_view r) {
  const std::size_t last = r.rfind('-');
  if (last == std::string_view::npos || !AllDigits(r.substr(last + 1))) return false;
  const std::string_view head = r.substr(0, last);
  return head.size() >= 4 &&
         std::all_of(head.begin(), head.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; }) &&
         head[2] == '-';
}

bool IsPartition(std::string_view p) {
  static constexpr std::string_view kPartitions[] = {
      "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"};
  return std::find(std::begin(kPartitions), std::end(kPartitions), p) != std::end(kPartitions);
}

// The first word of an ARN's resource part: "accesspoint" of "accesspoint/x".
std::string_view FirstWord(std::string_view resource) {
  return resource.substr(0, resource.find_first_of("/:"));
}

// Why `arn` (an ARN without wildcards or variables in the checked field) is
// malformed, or "" (AWS "IAM identifiers": arn:partition:service:region:
// account-id:resource).
std::string ArnProblem(const Catalog& catalog, std::string_view arn) {
  std::array<std::string_view, 5> f;
  std::size_t fields = 0, start = 0;
  for (; fields < f.size(); ++fields) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    f[fields] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  // A wildcard may stand for several fields ("arn:*", "arn:aws:s3*").
  if (fields < 5 && arn.find('*') != std::string_view::npos) return "";
  if (fields < 5) {
    return "has " + std::to_string(fields + 1) +
           " of the 6 ARN fields (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)";
  }
  const std::string_view partition = f[1], service = f[2], region = f[3], account = f[4];
  const std::string_view resource = arn.substr(start);
  if (!HasPattern(partition) && !IsPartition(partition)) {
    return "has partition " + Quoted(partition) +
           " (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc)";
  }
  if (service.empty()) return "has no service";
  if (!HasPattern(service) && ascii::Lower(service) != service) {
    return "has service " + Quoted(service) + ": service prefixes are lower case";
  }
  if (!region.empty() && !HasPattern(region) && !IsRegion(region)) {
    return "has region " + Quoted(region) + ", which is not a region code (us-east-1)";
  }
  if (!account.empty() && !HasPattern(account) && !(AllDigits(account) && account.size() == 12) &&
      account != "aws" && account != "cloudfront") {
    return "has account " + Quoted(account) + ": an account ID is 12 digits";
  }
  if (resource.empty()) return "has an empty resource part";
  if (service == "s3" && (!region.empty() || !account.empty()) &&
      !HasPattern(FirstWord(resource))) {
    // Bucket and object ARNs have neither; access points, jobs... have both.
    const std::string_view word = FirstWord(resource);
    for (const ResourceTypeInfo& t : catalog.ResourceTypes("s3")) {
      const std::string_view tmpl = t.arn_template;
      const std::size_t pos = tmpl.find(":${Account}:");
      if (pos != std::string_view::npos && FirstWord(tmpl.substr(pos + 12)) == word) return "";
    }
    return "is an S3 bucket or object ARN with a region or account: bucket and object ARNs "
           "have neither (arn:aws:s3:::bucket/key)";
  }
  return "";
}

bool Literal(std::string_view s) { return s.find_first_of("*?$") == std::string_view::npos; }

// Can `entry` (a Resource pattern whose TypeWord is `e`) name a resource of
// the type `shape`? First a fast "certainly not": the service or the
// resource type word differ as plain text (most entries and templates are
// literal there); then the coarse type pattern.
//
// The coarse pattern's answer depends on the entry's text and the type alone:
// `memo` keeps it for the run, as policies repeat their resource lists
// across statements (ArnPattern::Overlaps costs ~6,700 instructions a call).
bool EntryFits(const ArnPattern& entry, const TypeWord& e, const ResourceTypeShapes& shapes,
               const ResourceTypeShapes::Shape& shape, LintContext::ResourceTypeMemo& memo) {
  const TypeWord& t = shape.word;
  if (e.valid && t.valid) {
    if (e.literal_service && t.literal_service && !ascii::EqualsIgnoreCase(e.service, t.service)) {
      return false;
    }
    if (t.literal_word && e.literal_word) {
      if (!t.has_sep ? e.has_sep || e.word != t.word : e.word != t.word) return false;
    }
  }
  const auto [overlap, fresh] = memo.overlaps.try_emplace({entry.text(), shape.id}, false);
  if (fresh) overlap->second = entry.Overlaps(shapes.Pattern(shape));
  if (!overlap->second) return false;
  if (shape.s3_bucket) {
    const std::string_view text = entry.text();
    const std::size_t pos = text.find(":::");
    return pos == std::string_view::npos || text.find('/', pos) == std::string_view::npos;
  }
  return true;
}

// The Resource entries of one statement and which resource types each can
// name, each (entry, type) pair decided once per statement.
class EntryTypes {
 public:
  EntryTypes(const ResourceTypeShapes& shapes, LintContext::ResourceTypeMemo& run_memo,
             std::vector<const ArnPattern*> entries)
      : shapes_(shapes), run_memo_(run_memo), entries_(std::move(entries)) {
    for (const ArnPattern* e : entries_) words_.push_back(TypeWord::Of(e->text()));
  }
  std::size_t size() const { return entries_.size(); }
  const TypeWord& word(std::size_t e) const { return words_[e]; }
  bool Fits(std::size_t e, const ResourceTypeShapes::Shape& shape) {
    std::int8_t& verdict = memo_[Block(shape.service) + shape.index * entries_.size() + e];
    if (verdict < 0) verdict = EntryFits(*entries_[e], words_[e], shapes_, shape, run_memo_);
    return verdict != 0;
  }
  // Does entry e name some resource type of `of_service`, its own service?
  bool NamesAType(std::size_t e, std::span<const ResourceTypeShapes::Shape> of_service) {
    const auto [it, fresh] = run_memo_.names_a_type.try_emplace(entries_[e]->text(), false);
    if (fresh) {
      it->second = std::any_of(of_service.begin(), of_service.end(),
                               [&](const ResourceTypeShapes::Shape& t) { return Fits(e, t); });
    }
    return it->second;
  }

 private:
  // Where the verdicts of the service's (type, entry) pairs start in memo_:
  // one flat block per service met (a statement meets one to three; a hash
  // map of pairs cost 148,000 node allocations on the managed corpus).
  std::size_t Block(std::size_t service) {
    for (const auto& [s, start] : blocks_) {
      if (s == service) return start;
    }
    const std::size_t start = memo_.size();
    memo_.resize(start + shapes_.OfService(service).size() * entries_.size(), -1);
    blocks_.emplace_back(service, start);
    return start;
  }

  const ResourceTypeShapes& shapes_;
  LintContext::ResourceTypeMemo& run_memo_;
  std::vector<const ArnPattern*> entries_;
  std::vector<TypeWord> words_;
  std::vector<std::pair<std::size_t, std::size_t>> blocks_;  // service -> start in memo_
  std::vector<std::int8_t> memo_;                            // -1 unknown, 0, 1
};

// `text` with each ${...} (a policy variable, a CloudFormation ${AWS::Region})
// and each {unresolved.X} (a value a template does not determine,
// policy_source.h) replaced by '*': what it stands for is unknown.
std::string WithoutVariables(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool open = text.compare(i, 2, "${") == 0 || text.compare(i, 12, "{unresolved.") == 0;
    const std::size_t close = open ? text.find('}', i) : text.npos;
    if (close != std::string_view::npos) {
      out += '*';
      i = close;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A resource type with no variable but partition, region and account: one
// resource per account or region ("arn:${Partition}:glue:${Region}:${Account}:catalog").
bool IsSingletonType(std::string_view tmpl) {
  for (std::size_t i = tmpl.find("${"); i != std::string_view::npos; i = tmpl.find("${", i + 2)) {
    const std::string_view rest = tmpl.substr(i);
    if (!rest.starts_with("${Partition}") && !rest.starts_with("${Region}") &&
        !rest.starts_with("${Account}")) {
      return false;
    }
  }
  return true;
}

bool IsS3AccessPointType(std::string_view tmpl) {
  return tmpl.find(":s3:") != std::string_view::npos &&
         tmpl.find(":accesspoint/") != std::string_view::npos;
}

// The pattern of every resource of type `tmpl` in `partition` ("*" for any),
// every region and every account: "arn:aws:s3:::*/*" for S3 objects.
ArnPattern EveryResourceOf(std::string_view tmpl, std::string_view partition) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const std::size_t close = tmpl.compare(i, 2, "${") == 0 ? tmpl.find('}', i) : tmpl.npos;
    if (close == std::string_view::npos) {
      out += tmpl[i];
      continue;
    }
    out += tmpl.substr(i, close + 1 - i) == "${Partition}" ? std::string(partition) : "*";
    i = close;
  }
  return ArnPattern::Compile(out);
}

}  // namespace

void InvalidArns(LintContext& ctx, const LintStatement& s) {
  for (const LocatedString& r : s.source.resources) {
    if (r.value == "*" || !r.value.starts_with("arn:")) continue;
    // Most ARNs have no '{' and are checked as written (WithoutVariables
    // compares at every byte: 300,000 memcmp calls on the managed corpus).
    const std::string problem = r.value.find('{') == std::string::npos
                                    ? ArnProblem(ctx.catalog(), r.value)
                                    : ArnProblem(ctx.catalog(), WithoutVariables(r.value));
    if (problem.empty()) continue;
    Finding& f = ctx.Add(FindingId::kInvalidArn, s, r.where);
    f.resource = r.value;
    f.message = "Resource " + Quoted(r.value) + " " + problem + ": it matches no resource";
  }
}

// AWS: "If the action does not support a resource type, the Resource must be
// '*'"; a resource of another type grants nothing for that action. Checked
// for Allow statements with Resource (Deny statements often list resources
// of several actions at once) and action entries without wildcards.
namespace {

// A wildcard Action entry none of whose actions acts on any Resource entry
// grants nothing either: reported (a note when none of them has a resource
// type, as they need "*"). An entry whose service part is a wildcard, or
// whose actions include one without a verdict, is not judged.
template <typename Fits>
void WildcardTypeMismatch(LintContext& ctx, const LintStatement& s, std::size_t entry,
                          const Fits& fits) {
  const LocatedString& a = s.source.actions[entry];
  const std::size_t colon = a.value.find(':');
  if (colon == std::string::npos || HasWildcard(std::string_view(a.value).substr(0, colon))) {
    return;
  }
  const ActionSet& matched = s.actions.Entry(entry);
  if (matched.empty()) return;  // unknown-action says it
  bool typed = false;
  for (const ActionId id : matched) {
    const std::optional<bool> fit = fits(id);
    if (!fit || *fit) return;
    typed = typed || ctx.catalog().action_resource_count(id) > 0;
  }
  Finding& f = ctx.Add(FindingId::kResourceTypeMismatch, s, a.where);
  if (!typed) f.severity = Severity::kNote;
  f.action = a.value;
  f.resource = Listed(s.source.resources);
  f.message = Quoted(a.value) + " in " + s.Describe() + " is allowed on " + f.resource +
              ", which matches no resource any of its " + std::to_string(matched.count()) +
              " actions acts on, so it grants nothing" +
              (typed ? "" : ": they support only Resource '*'");
}

}  // namespace

void ResourceTypeMismatch(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (st.effect != Effect::kAllow || !st.has_resource || st.not_resource || st.not_action) return;
  const std::vector<ResourceTemplate>& resources = s.compiled.resources();
  if (resources.empty()) return;  // an empty list: the parser warns
  std::vector<const ArnPattern*> entries;
  for (const ResourceTemplate& r : resources) {
    if (!r.static_pattern()) return;  // a variable: could be anything
    if (r.static_pattern()->MatchesEverything()) return;
    entries.push_back(r.static_pattern());
  }
  const Catalog& catalog = ctx.catalog();
  const ResourceTypeShapes& shapes = ctx.resource_type_shapes();
  EntryTypes types(shapes, ctx.resource_type_memo(), std::move(entries));
  std::vector<std::pair<std::size_t, bool>> known_by_service;  // service index -> verdict
  // Does the action act on some entry? nullopt: no verdict (an entry of its
  // service names a resource type the catalog does not know, a type newer
  // than the catalog; decided once per service).
  const auto fits = [&](ActionId id) -> std::optional<bool> {
    const std::size_t service = catalog.action_service_index(id);
    auto known = std::find_if(known_by_service.begin(), known_by_service.end(),
                              [&](const auto& k) { return k.first == service; });
    if (known == known_by_service.end()) {
      const std::string_view service_name = catalog.action_service(id);
      const std::span<const ResourceTypeShapes::Shape> of_service = shapes.OfService(service);
      bool all = true;
      for (std::size_t e = 0; e < types.size() && all; ++e) {
        if (!ascii::EqualsIgnoreCase(types.word(e).service, service_name)) continue;
        all = types.NamesAType(e, of_service);
      }
      known_by_service.emplace_back(service, all);
      known = known_by_service.end() - 1;
    }
    if (!known->second) return std::nullopt;
    const std::size_t n = catalog.action_resource_count(id);
    for (std::size_t r = 0; r < n; ++r) {
      const ActionResource t = catalog.action_resource(id, r);
      const ResourceTypeShapes::Shape* shape = shapes.Find(service, t.arn_template);
      if (!shape) return true;  // not a catalog template (never): no verdict
      for (std::size_t e = 0; e < types.size(); ++e) {
        if (types.Fits(e, *shape)) return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < st.actions.size() && i < s.actions.size(); ++i) {
    const LocatedString& a = st.actions[i];
    if (!s.actions.literal(i)) {
      WildcardTypeMismatch(ctx, s, i, fits);
      continue;
    }
    const std::optional<ActionId> id = s.actions.id(i);
    if (!id) continue;  // unknown-action says it
    const std::optional<bool> fit = fits(*id);
    if (!fit || *fit) continue;
    const ActionInfo info = catalog.action(*id);
    std::string needs;
    for (const ActionResource& t : info.resource_types) {
      needs += (needs.empty() ? "" : ", ") + std::string(t.arn_template);
    }
    Finding& f = ctx.Add(FindingId::kResourceTypeMismatch, s, a.where);
    // An action of no resource type: AWS says to use "*"; a note, as the
    // reference's resource lists are not always complete.
    if (info.resource_types.empty()) f.severity = Severity::kNote;
    f.action = a.value;
    f.resource = Listed(st.resources);
    f.message =
        Quoted(a.value) + " in " + s.Describe() + " is allowed on " + Listed(st.resources) +
        ", which matches no resource it acts on, so it grants " + "nothing: " +
        (info.resource_types.empty() ? "it supports only Resource '*'" : "it needs " + needs);
  }
}

void MissingResource(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (st.has_resource || st.principal || s.type == LintPolicyType::kTrust) return;
  Finding& f = ctx.Add(FindingId::kMissingResource, s, st.where);
  f.message = s.Describe() +
              " has neither Resource nor NotResource (nor a Principal, as in a resource "
              "policy, where the resource is implied): IAM rejects it; add \"Resource\"";
}

void RedundantResources(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  const std::vector<ResourceTemplate>& compiled = s.compiled.resources();
  const std::size_t n = st.resources.size();
  if (!st.has_resource || n < 2 || compiled.size() != n) return;
  // Only the same entry again, or an entry with a wildcard, can cover another.
  std::unordered_map<std::string, std::size_t> first_by_text;
  std::vector<std::size_t> wildcards;
  for (std::size_t i = 0; i < n; ++i) {
    first_by_text.emplace(st.resources[i].value, i);
    if (compiled[i].static_pattern() && HasPattern(st.resources[i].value)) wildcards.push_back(i);
  }
  const auto report = [&](std::size_t i, std::size_t by) {
    const LocatedString& entry = st.resources[i];
    Finding& f = ctx.Add(FindingId::kRedundantResource, s, entry.where);
    f.resource = entry.value;
    f.message = std::string(st.not_resource ? "NotResource" : "Resource") + " entry " +
                Quoted(entry.value) + " of " + s.Describe() + " is already matched by " +
                Quoted(st.resources[by].value) +
                "; remove it (or, if only the listed resources are meant, the wildcard)";
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = first_by_text.at(st.resources[i].value);
    if (first != i) {
      report(i, first);
      continue;
    }
    const ArnPattern* entry = compiled[i].static_pattern();
    if (!entry) continue;  // a policy variable: its value is not known here
    for (const std::size_t w : wildcards) {
      if (w == i || !compiled[w].static_pattern()->Covers(*entry)) continue;
      // Two entries that cover each other (arn:aws:s3:::b* and arn:aws:s3:::b**):
      // report the later one only.
      if (entry->Covers(*compiled[w].static_pattern()) && w > i) continue;
      report(i, w);
      break;
    }
  }
}

void ResourceEffectivelyStar(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  // A Condition (ec2:ResourceTag, kms:ViaService...) narrows the resources
  // the pattern reaches: the pattern is then not the whole story.
  if (!s.IsIdentityAllow() || st.not_resource || st.not_action || !st.conditions.empty()) return;
  const ActionSet* actions = nullptr;
  LintContext::EveryResourceMemo& every = ctx.every_resource_memo();
  for (std::size_t e = 0; e < st.resources.size() && e < s.compiled.resources().size(); ++e) {
    const ArnPattern* entry = s.compiled.resources()[e].static_pattern();
    if (!entry || entry->MatchesEverything()) continue;
    // An entry with a literal region or account names part of the resources.
    const std::optional<Arn> arn = Arn::Parse(entry->text());
    if (!arn || (Literal(arn->region) && !arn->region.empty()) ||
        (Literal(arn->account) && !arn->account.empty())) {
      continue;
    }
    if (!actions) {
      actions = &s.actions.All();
      // iam:PassRole on every role is pass-role-wildcard's to report.
      const std::optional<ActionId> pass = ctx.catalog().FindAction("iam:PassRole");
      if (pass && actions->contains(*pass)) return;
    }
    const std::string_view partition = Literal(arn->partition) ? arn->partition : "*";
    // Each action that acts on resources must reach every resource of each
    // of its types (its required types when it has some). A type with one
    // resource per account or region (the Glue catalog) is named in full by
    // design; S3's access point types are another way to reach the same
    // buckets and objects, so arn:aws:s3:::* is effectively "*" without them.
    bool judged = false, all = true;
    for (const ActionId id : *actions) {
      const std::size_t n = ctx.catalog().action_resource_count(id);
      bool some_required = false;
      for (std::size_t r = 0; r < n && !some_required; ++r) {
        some_required = ctx.catalog().action_resource(id, r).required;
      }
      for (std::size_t k = 0; k < n && all; ++k) {
        const ActionResource r = ctx.catalog().action_resource(id, k);
        if (some_required && !r.required) continue;
        // Templates are views into the catalog: one address per resource type.
        auto [it, fresh] = every.try_emplace({r.arn_template.data(), std::string(partition)});
        if (fresh && !IsSingletonType(r.arn_template) && !IsS3AccessPointType(r.arn_template)) {
          it->second = EveryResourceOf(r.arn_template, partition);
        }
        if (!it->second) continue;  // a type not judged
        judged = true;
        all = entry->Covers(*it->second);
      }
      if (!all) break;
    }
    if (!judged || !all) continue;
    Finding& f = ctx.Add(FindingId::kResourceEffectivelyStar, s, st.resources[e].where);
    f.resource = st.resources[e].value;
    f.action = Listed(st.actions);
    f.message = "Resource entry " + Quoted(f.resource) + " of " + s.Describe() +
                " covers every resource its actions (" + f.action +
                ") act on, in every account and region: it is effectively \"*\"; name the "
                "resources meant (or write \"*\" if every one is)";
  }
}

}  // namespace iam_audit::lint
