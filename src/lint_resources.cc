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
#include "iam_audit/arn_pattern.h"
#include "iam_audit/catalog.h"
#include "lint_internal.h"
#include "resource_type_shapes.h"

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

// Can `entry` (a Resource pattern whose TypeWord is `word`) name a resource
// of the type `shape`? First a fast "certainly not": the service or the
// resource type word differ as plain text (most entries and templates are
// literal there); then the coarse type pattern.
bool EntryFits(const ArnPattern& entry, const TypeWord& e, const ResourceTypeShapes& shapes,
               const ResourceTypeShapes::Shape& shape) {
  const TypeWord& t = shape.word;
  if (e.valid && t.valid) {
    if (e.literal_service && t.literal_service && !ascii::EqualsIgnoreCase(e.service, t.service)) {
      return false;
    }
    if (t.literal_word && e.literal_word) {
      if (!t.has_sep ? e.has_sep || e.word != t.word : e.word != t.word) return false;
    }
  }
  if (!entry.Overlaps(shapes.Pattern(shape))) return false;
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
  EntryTypes(const ResourceTypeShapes& shapes, std::vector<const ArnPattern*> entries)
      : shapes_(shapes), entries_(std::move(entries)) {
    for (const ArnPattern* e : entries_) words_.push_back(TypeWord::Of(e->text()));
  }
  std::size_t size() const { return entries_.size(); }
  const ArnPattern& entry(std::size_t e) const { return *entries_[e]; }
  const TypeWord& word(std::size_t e) const { return words_[e]; }
  bool Fits(std::size_t e, const ResourceTypeShapes::Shape& shape) {
    const std::uint64_t key = static_cast<std::uint64_t>(shape.id) * entries_.size() + e;
    const auto [it, inserted] = memo_.try_emplace(key, false);
    if (inserted) it->second = EntryFits(*entries_[e], words_[e], shapes_, shape);
    return it->second;
  }

 private:
  const ResourceTypeShapes& shapes_;
  std::vector<const ArnPattern*> entries_;
  std::vector<TypeWord> words_;
  std::unordered_map<std::uint64_t, bool> memo_;
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
  EntryTypes types(shapes, std::move(entries));
  std::map<std::size_t, bool> known_by_service;
  for (const LocatedString& a : st.actions) {
    if (a.value.find_first_of("*?") != std::string::npos) continue;
    const std::optional<ActionId> id = catalog.FindAction(a.value);
    if (!id) continue;  // unknown-action says it
    const ActionInfo info = catalog.action(*id);
    // An entry of this service naming a resource type the catalog does not
    // know (a type newer than the catalog): no verdict. Once per service.
    const std::size_t service = catalog.action_service_index(*id);
    auto known = known_by_service.find(service);
    if (known == known_by_service.end()) {
      const std::span<const ResourceTypeShapes::Shape> of_service = shapes.OfService(service);
      bool all = true;
      for (std::size_t e = 0; e < types.size() && all; ++e) {
        if (!ascii::EqualsIgnoreCase(types.word(e).service, info.service)) continue;
        all = std::any_of(of_service.begin(), of_service.end(),
                          [&](const ResourceTypeShapes::Shape& t) { return types.Fits(e, t); });
      }
      known = known_by_service.emplace(service, all).first;
    }
    if (!known->second) continue;
    std::string needs;
    bool fits = false;
    for (const ActionResource& t : info.resource_types) {
      needs += (needs.empty() ? "" : ", ") + std::string(t.arn_template);
      const ResourceTypeShapes::Shape* shape = shapes.Find(service, t.arn_template);
      if (!shape) fits = true;  // not a catalog template (never): no verdict
      for (std::size_t e = 0; e < types.size() && !fits && shape; ++e) fits = types.Fits(e, *shape);
    }
    if (fits) continue;
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

}  // namespace iam_audit::lint
