#include "iam_audit/resource_policy.h"

#include <algorithm>

#include "ascii.h"
#include "iam_audit/arn_pattern.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;

bool SameArnPrefix(const Arn& a, const Arn& b) {
  return EqualsIgnoreCase(a.partition, b.partition) && EqualsIgnoreCase(a.service, b.service) &&
         EqualsIgnoreCase(a.region, b.region) && a.account == b.account;
}

// The sts actions a role's trust policy decides ("IAM role trust policies").
constexpr std::string_view kTrustActions[] = {
    "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession", "sts:setsourceidentity",  "sts:setcontext",
};

}  // namespace

PolicyResourceKind KindOfPolicyResource(std::string_view text) {
  const auto arn = Arn::Parse(text);
  if (!arn) return PolicyResourceKind::kOther;
  if (EqualsIgnoreCase(arn->service, "s3") && arn->account.empty() &&
      arn->resource.find('/') == std::string_view::npos) {
    return PolicyResourceKind::kBucket;
  }
  if (EqualsIgnoreCase(arn->service, "kms") && arn->resource.starts_with("key/")) {
    return PolicyResourceKind::kKey;
  }
  if (EqualsIgnoreCase(arn->service, "iam") && arn->resource.starts_with("role/")) {
    return PolicyResourceKind::kRole;
  }
  if (EqualsIgnoreCase(arn->service, "glue") && arn->resource == "catalog") {
    return PolicyResourceKind::kGlueCatalog;
  }
  return PolicyResourceKind::kOther;
}

std::string_view PolicyNameOf(PolicyResourceKind kind) {
  switch (kind) {
    case PolicyResourceKind::kBucket:
      return "bucket policy";
    case PolicyResourceKind::kKey:
      return "key policy";
    case PolicyResourceKind::kRole:
      return "trust policy";
    case PolicyResourceKind::kGlueCatalog:
      return "Data Catalog resource policy";
    case PolicyResourceKind::kOther:
      break;
  }
  return "resource policy";
}

bool ResourcePolicyCovers(std::string_view policy_arn, std::string_view resource) {
  if (policy_arn == resource) return true;
  const auto owner = Arn::Parse(policy_arn);
  const auto target = Arn::Parse(resource);
  if (!owner || !target || !SameArnPrefix(*owner, *target)) return false;
  switch (KindOfPolicyResource(policy_arn)) {
    case PolicyResourceKind::kBucket:  // the bucket and its objects
      return target->resource == owner->resource ||
             (target->resource.size() > owner->resource.size() &&
              target->resource.starts_with(owner->resource) &&
              target->resource[owner->resource.size()] == '/');
    case PolicyResourceKind::kGlueCatalog:  // every resource of the catalog
      return true;
    default:
      return target->resource == owner->resource;
  }
}

bool MustBeAllowedByResourcePolicy(std::string_view action, std::string_view resource) {
  // Cheap tests of the action first: this runs for every request evaluated.
  if (action.size() > 4 && EqualsIgnoreCase(action.substr(0, 4), "kms:")) {
    return KindOfPolicyResource(resource) == PolicyResourceKind::kKey;
  }
  for (const std::string_view a : kTrustActions) {
    if (EqualsIgnoreCase(action, a))
      return KindOfPolicyResource(resource) == PolicyResourceKind::kRole;
  }
  return false;
}

namespace {

// The lookup keys of ResourcePolicyIndex. Covers(policy, resource) needs equal
// text, or the same ARN prefix (partition, service and region in any case,
// the account) and, by the policy's kind, the same resource part (most
// kinds), the resource part's first segment (a bucket), or nothing more (a
// Glue catalog): each policy is filed under the one key its kind compares,
// and a request looks under all of them.
std::string PrefixKey(char kind, const Arn& arn) {
  std::string key(1, kind);
  for (const std::string_view field : {arn.partition, arn.service, arn.region}) {
    key += ascii::Lower(field);
    key += ':';
  }
  key += arn.account;
  key += ':';
  return key;
}

std::string PolicyKey(std::string_view policy_arn) {
  const auto arn = Arn::Parse(policy_arn);
  if (!arn) return "T" + std::string(policy_arn);
  switch (KindOfPolicyResource(policy_arn)) {
    case PolicyResourceKind::kBucket:
      return PrefixKey('B', *arn) + std::string(arn->resource);
    case PolicyResourceKind::kGlueCatalog:
      return PrefixKey('G', *arn);
    default:
      return PrefixKey('R', *arn) + std::string(arn->resource);
  }
}

}  // namespace

ResourcePolicyIndex::ResourcePolicyIndex(std::span<const ResourcePolicy> policies) {
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const std::string& arn = policies[i].arn;
    arns_.push_back(arn);
    if (arn.empty()) {
      unscoped_.push_back(i);
    } else {
      by_key_[PolicyKey(arn)].push_back(i);
    }
  }
}

std::vector<std::size_t> ResourcePolicyIndex::Governing(std::string_view resource) const {
  std::vector<std::size_t> out = unscoped_;
  const auto add = [&](const std::string& key) {
    const auto it = by_key_.find(key);
    if (it == by_key_.end()) return;
    for (const std::size_t i : it->second) {
      if (ResourcePolicyCovers(arns_[i], resource)) out.push_back(i);
    }
  };
  add("T" + std::string(resource));
  if (const auto arn = Arn::Parse(resource)) {
    add(PrefixKey('R', *arn) + std::string(arn->resource));
    add(PrefixKey('B', *arn) + std::string(arn->resource.substr(0, arn->resource.find('/'))));
    add(PrefixKey('G', *arn));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string PolicyResourceOf(std::string_view resource) {
  const auto arn = Arn::Parse(resource);
  if (!arn) return std::string(resource);
  if (EqualsIgnoreCase(arn->service, "s3") && arn->account.empty()) {
    const std::size_t slash = resource.find('/');
    return std::string(resource.substr(0, slash));
  }
  if (EqualsIgnoreCase(arn->service, "glue") && arn->resource != "catalog") {
    return "arn:" + std::string(arn->partition) + ":glue:" + std::string(arn->region) + ":" +
           std::string(arn->account) + ":catalog";
  }
  return std::string(resource);
}

// A 12-digit account id (a pattern such as "*" says nothing).
bool IsAccount(std::string_view s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string ResourceAccount(std::string_view resource, const RequestContext& context) {
  if (const auto arn = Arn::Parse(resource); arn && !arn->account.empty()) {
    return IsAccount(arn->account) ? std::string(arn->account) : std::string();
  }
  const std::vector<std::string>* given = context.Find("aws:ResourceAccount");
  return given && given->size() == 1 ? given->front() : std::string();
}

std::string EndpointServicePrefix(std::string_view name) {
  std::string lower = ascii::Lower(name);
  std::string_view rest = lower;
  // com.amazonaws.REGION.SERVICE[.SUB] (also cn.com.amazonaws..., aws.api...)
  if (const std::size_t at = rest.find("amazonaws."); at != std::string_view::npos) {
    rest.remove_prefix(at + 10);
    // The region, or a template's placeholder for it ("{unresolved.AWS::Region}").
    const std::size_t dot = rest.find('.', rest.starts_with('{') ? rest.find('}') : 0);
    if (dot != std::string_view::npos) rest.remove_prefix(dot + 1);  // the region
  }
  rest = rest.substr(0, rest.find('.'));
  // Endpoint names that are not the service's action prefix.
  static constexpr std::pair<std::string_view, std::string_view> kRenamed[] = {
      {"monitoring", "cloudwatch"},
      {"git-codecommit", "codecommit"},
      {"s3-global", "s3"},
  };
  for (const auto& [endpoint, prefix] : kRenamed) {
    if (rest == endpoint) return std::string(prefix);
  }
  return std::string(rest);
}

std::pair<std::string, std::string> SplitEndpointArgument(std::string_view arg) {
  const std::size_t eq = arg.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == arg.size()) {
    return {"", std::string(arg)};
  }
  const std::string_view service = arg.substr(0, eq);
  const bool named = std::all_of(service.begin(), service.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-';
  });
  if (!named) return {"", std::string(arg)};
  return {EndpointServicePrefix(service), std::string(arg.substr(eq + 1))};
}

Diagnostics EndpointPolicyProblems(const Policy& policy) {
  Diagnostics out;
  for (const Statement& s : policy.statements) {
    if (s.principal) continue;
    out.push_back({policy.file, s.where,
                   "a VPC endpoint policy statement needs a Principal (\"Principal\": \"*\" for "
                   "every caller; AWS refuses an endpoint policy without one)"});
  }
  return out;
}

}  // namespace iam_audit
