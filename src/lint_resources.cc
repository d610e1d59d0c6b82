// Lint rules about Resource elements: ARN syntax, resources that match none
// of an action's resource types, and statements with no Resource at all
// (AWS "IAM JSON policy elements: Resource", "IAM identifiers: ARNs", the
// Service Authorization Reference's resource types; docs/lint.md).
#include <algorithm>
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

namespace iam_audit::lint {
namespace {

bool HasPattern(std::string_view s) {
  return s.find_first_of("*?") != std::string_view::npos || s.find("${") != std::string_view::npos;
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
  std::vector<std::string_view> f;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    f.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  // A wildcard may stand for several fields ("arn:*", "arn:aws:s3*").
  if (f.size() < 5 && arn.find('*') != std::string_view::npos) return "";
  if (f.size() < 5) {
    return "has " + std::to_string(f.size() + 1) +
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

// The pattern of a resource type, coarse on purpose: service, region and
// account as the template has them, and the resource part reduced to its
// first word (the type: "stack/" of "stack/${StackName}/${Id}") followed by
// anything. A Resource entry that misses even that names another type. S3
// bucket names hold no '/', so a bucket ARN never matches "bucket/...".
ArnPattern TypePattern(std::string_view tmpl) {
  std::string out;
  int colons = 0;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (colons == 5) {  // the resource part
      const std::string_view rest = tmpl.substr(i);
      const std::size_t var = rest.find("${");
      const std::size_t sep = rest.find_first_of("/:");
      if (var == 0) {  // "${BucketName}/${ObjectName}": the shape, '/' included
        for (std::size_t j = 0; j < rest.size(); ++j) {
          const std::size_t close = rest.compare(j, 2, "${") == 0 ? rest.find('}', j) : rest.npos;
          out += close != std::string_view::npos ? '*' : rest[j];
          if (close != std::string_view::npos) j = close;
        }
        return ArnPattern::Compile(out);
      }
      if (sep != std::string_view::npos && (var == std::string_view::npos || sep < var)) {
        return ArnPattern::Compile(out + std::string(rest.substr(0, sep + 1)) + "*");
      }
      return ArnPattern::Compile(out + std::string(rest));  // a fixed resource part
    }
    if (tmpl.compare(i, 2, "${") == 0) {
      const std::size_t close = tmpl.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close;
        continue;
      }
    }
    if (tmpl[i] == ':') ++colons;
    out += tmpl[i];
  }
  return ArnPattern::Compile(out);
}

// "s3" of "arn:aws:s3:::b" ("" when not an ARN).
std::string_view ServiceOf(std::string_view arn) {
  std::size_t start = 0;
  for (int i = 0; i < 2; ++i) {
    start = arn.find(':', start);
    if (start == std::string_view::npos) return "";
    ++start;
  }
  const std::size_t end = arn.find(':', start);
  return end == std::string_view::npos ? "" : arn.substr(start, end - start);
}

bool IsS3BucketTemplate(std::string_view tmpl) {
  return tmpl.find(":s3:::") != std::string_view::npos && tmpl.find('/') == std::string_view::npos;
}

bool Literal(std::string_view s) { return s.find_first_of("*?$") == std::string_view::npos; }

// The service and resource type word of an ARN or ARN template ("s3",
// "accesspoint" of arn:aws:s3:us-east-1:1:accesspoint/x), without allocating.
struct TypeWord {
  std::string_view service, word;
  bool valid = false, has_sep = false;
};
TypeWord WordOf(std::string_view arn) {
  TypeWord w;
  std::size_t start = 0, field = 0, service_start = 0;
  for (; field < 5; ++field) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return w;
    if (field == 2) w.service = arn.substr(service_start, colon - service_start);
    start = colon + 1;
    if (field == 1) service_start = start;
  }
  const std::string_view resource = arn.substr(start);
  const std::size_t sep = resource.find_first_of("/:");
  w.word = resource.substr(0, sep);
  w.has_sep = sep != std::string_view::npos;
  w.valid = true;
  return w;
}

// A fast "certainly not": the service or the resource type word differ as
// plain text (most entries and templates are literal there).
bool CertainlyOtherType(std::string_view entry, std::string_view tmpl) {
  const TypeWord e = WordOf(entry), t = WordOf(tmpl);
  if (!e.valid || !t.valid) return false;
  if (Literal(e.service) && Literal(t.service) && !ascii::EqualsIgnoreCase(e.service, t.service)) {
    return true;
  }
  if (!Literal(t.word) || !Literal(e.word)) return false;
  if (!t.has_sep) return !e.has_sep && e.word != t.word;
  return e.word != t.word;
}

// Can `entry` (a Resource pattern) name a resource of the type `tmpl`?
bool EntryFits(const ArnPattern& entry, std::string_view tmpl,
               std::unordered_map<std::string_view, ArnPattern>& cache) {
  if (CertainlyOtherType(entry.text(), tmpl)) return false;
  auto it = cache.find(tmpl);
  if (it == cache.end()) it = cache.emplace(tmpl, TypePattern(tmpl)).first;
  if (!entry.Overlaps(it->second)) return false;
  if (IsS3BucketTemplate(tmpl)) {
    const std::string_view text = entry.text();
    const std::size_t pos = text.find(":::");
    return pos == std::string_view::npos || text.find('/', pos) == std::string_view::npos;
  }
  return true;
}

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
    const std::string problem = ArnProblem(ctx.catalog(), WithoutVariables(r.value));
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
void WildcardTypeMismatch(LintContext& ctx, const LintStatement& s, const LocatedString& a,
                          const ActionPattern& pattern, const Fits& fits) {
  const std::size_t colon = a.value.find(':');
  if (colon == std::string::npos ||
      a.value.substr(0, colon).find_first_of("*?") != std::string::npos) {
    return;
  }
  const ActionSet matched = ExpandActions(ctx.catalog(), pattern);
  if (matched.empty()) return;  // unknown-action says it
  bool typed = false;
  for (const ActionId id : matched) {
    const ActionInfo info = ctx.catalog().action(id);
    const std::optional<bool> fit = fits(info, nullptr);
    if (!fit || *fit) return;
    typed = typed || !info.resource_types.empty();
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
  std::unordered_map<std::string_view, ArnPattern>& cache = ctx.template_patterns();
  std::map<std::string_view, bool> known_by_service;
  // Does the action act on some entry? nullopt: no verdict (an entry of its
  // service names a resource type the catalog does not know, a type newer
  // than the catalog; decided once per service).
  const auto fits = [&](const ActionInfo& info, std::string* needs) -> std::optional<bool> {
    auto known = known_by_service.find(info.service);
    if (known == known_by_service.end()) {
      const std::vector<ResourceTypeInfo> types = catalog.ResourceTypes(info.service);
      const bool all = std::all_of(entries.begin(), entries.end(), [&](const ArnPattern* e) {
        if (!ascii::EqualsIgnoreCase(ServiceOf(e->text()), info.service)) return true;
        return std::any_of(types.begin(), types.end(), [&](const ResourceTypeInfo& t) {
          return EntryFits(*e, t.arn_template, cache);
        });
      });
      known = known_by_service.emplace(info.service, all).first;
    }
    if (!known->second) return std::nullopt;
    bool fit = false;
    for (const ActionResource& t : info.resource_types) {
      if (needs) *needs += (needs->empty() ? "" : ", ") + std::string(t.arn_template);
      fit = fit || std::any_of(entries.begin(), entries.end(), [&](const ArnPattern* e) {
              return EntryFits(*e, t.arn_template, cache);
            });
    }
    return fit;
  };
  const std::vector<ActionPattern>& patterns = s.compiled.actions();
  for (std::size_t i = 0; i < st.actions.size(); ++i) {
    const LocatedString& a = st.actions[i];
    if (a.value.find_first_of("*?") != std::string::npos) {
      if (i < patterns.size()) WildcardTypeMismatch(ctx, s, a, patterns[i], fits);
      continue;
    }
    const std::optional<ActionId> id = catalog.FindAction(a.value);
    if (!id) continue;  // unknown-action says it
    const ActionInfo info = catalog.action(*id);
    std::string needs;
    const std::optional<bool> fit = fits(info, &needs);
    if (!fit || *fit) continue;
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
  std::optional<ActionSet> actions;
  std::unordered_map<std::string, ArnPattern> every;  // template + partition -> pattern
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
      actions = ExpandActions(ctx.catalog(), s.compiled.actions());
      // iam:PassRole on every role is pass-role-wildcard's to report.
      const std::optional<ActionId> pass = ctx.catalog().FindAction("iam:PassRole");
      if (pass && actions->contains(*pass)) return;
    }
    const std::string partition = Literal(arn->partition) ? std::string(arn->partition) : "*";
    // Each action that acts on resources must reach every resource of each
    // of its types (its required types when it has some). A type with one
    // resource per account or region (the Glue catalog) is named in full by
    // design; S3's access point types are another way to reach the same
    // buckets and objects, so arn:aws:s3:::* is effectively "*" without them.
    bool judged = false, all = true;
    for (const ActionId id : *actions) {
      const ActionInfo info = ctx.catalog().action(id);
      const std::vector<ActionResource>& types = info.resource_types;
      const bool some_required = std::any_of(types.begin(), types.end(),
                                             [](const ActionResource& r) { return r.required; });
      for (const ActionResource& r : types) {
        if ((some_required && !r.required) || IsSingletonType(r.arn_template) ||
            IsS3AccessPointType(r.arn_template)) {
          continue;
        }
        const std::string key = std::string(r.arn_template) + '\x1f' + partition;
        auto it = every.find(key);
        if (it == every.end())
          it = every.emplace(key, EveryResourceOf(r.arn_template, partition)).first;
        judged = true;
        all = entry->Covers(it->second);
        if (!all) break;
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
