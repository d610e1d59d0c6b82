#include "audit_resource.h"

#include <algorithm>
#include <string>

#include "ascii.h"
#include "iam_audit/resource_policy.h"

namespace iam_audit {
namespace {

// "the bucket policy of arn:aws:s3:::data (bucket.json)", for the resource
// policy (if any) that governs `resource`.
std::string ResourcePolicyText(const PolicySet& set, const std::string& resource) {
  const std::string owner = PolicyResourceOf(resource);
  const std::string name =
      "the " + std::string(PolicyNameOf(KindOfPolicyResource(owner))) + " of " + owner;
  for (const ResourcePolicy& p : set.resource_policies) {
    if (!p.arn.empty() && ResourcePolicyCovers(p.arn, resource)) {
      return name + " (" + p.policy.file + ")";
    }
  }
  if (set.resource) return name + " (" + set.resource->file + ")";
  return name;
}

// "the VPC endpoint policy (endpoint.json)" of endpoint `i`.
std::string EndpointText(const PolicySet& set, int i) {
  const EndpointPolicy& e = set.vpc_endpoints[static_cast<std::size_t>(i)];
  return "the VPC endpoint policy" + (e.service.empty() ? "" : " for " + e.service) + " (" +
         e.policy.file + ")";
}

// The file and location a finding about `owner`'s policy points at.
void PointAtPolicy(const PolicySet& set, const std::string& resource, Finding* f) {
  for (const ResourcePolicy& p : set.resource_policies) {
    if (!p.arn.empty() && ResourcePolicyCovers(p.arn, resource)) {
      f->file = p.policy.file;
      f->where = p.policy.where;
      return;
    }
  }
  if (set.resource) {
    f->file = set.resource->file;
    f->where = set.resource->where;
  }
}

}  // namespace

ResourceSideAudit::ResourceSideAudit(const PolicySet& set, const Evaluator& ev)
    : set_(set),
      ev_(ev),
      caller_(Caller::Parse(set.principal, set.principal_account)),
      // Nothing on the resource side: no resource policy, no RCP, and no
      // caller account to tell another account's resources by.
      active_(set.resource || !set.resource_policies.empty() || !set.rcps.empty() ||
              !set.vpc_endpoints.empty() || !caller_.account.empty()) {}

std::string ResourceSideAudit::RequestResource(const Requirement& req) {
  return req.resource_type == "*" ? "*" : req.resource;
}

void ResourceSideAudit::Check(const Requirement& req, const RequestContext& context,
                              RequirementResult* result, std::vector<Finding>* findings) const {
  if (!active_ || result->coverage != Coverage::kGranted) return;  // identity side reports
  Request request;
  request.action = req.action;
  request.resource = RequestResource(req);
  request.context = context;
  request.missing_keys = MissingKeys::kUnknown;
  AddCallerKeys(caller_, &request.context);
  const Decision d = ev_.Evaluate(request);
  if (d.kind == Decision::kAllowed) return;
  // Only the resource side's answer is reported here: the identity side is
  // the coverage audit's (which matches required patterns by containment, not
  // as literal resources).
  const auto resource_side = [](const CompiledStatement& s) {
    return s.kind() == PolicyKind::kResource || s.kind() == PolicyKind::kRcp ||
           s.kind() == PolicyKind::kEndpoint;
  };
  switch (d.kind) {
    case Decision::kExplicitDeny:
      if (!resource_side(*d.matched.front().statement)) return;
      break;
    case Decision::kImplicitDeny:
      if (d.denied_by != PolicyKind::kResource && d.denied_by != PolicyKind::kRcp &&
          d.denied_by != PolicyKind::kEndpoint) {
        return;
      }
      break;
    case Decision::kConditional:
      if (std::none_of(d.matched.begin(), d.matched.end(), [&](const Decision::Match& m) {
            return m.truth == Truth::kUnknown && resource_side(*m.statement);
          })) {
        return;
      }
      break;
    default:
      break;
  }
  // Choice (docs/audit.md): a same-account key or trust policy that was not
  // given is not a finding; the identity side's answer stands (the default
  // key policy delegates to IAM). Only a given one is checked.
  if (d.kind == Decision::kNeedsResourcePolicy && !d.cross_account) return;

  const std::string what = req.action + " on " + req.resource;
  Finding f = MakeFinding(FindingId::kResourcePolicyDenied, "", {});
  std::string key;
  switch (d.kind) {
    case Decision::kNeedsResourcePolicy:
      f = MakeFinding(FindingId::kResourcePolicyNotGiven, "", {});
      if (const Policy* first = set_.FirstIdentityPolicy()) {
        f.file = first->file;
        f.where = first->where;
      }
      f.message = what + " is granted by the identity policies, but " + "the " +
                  std::string(d.needed_policy_name) + " of " + d.needed_policy +
                  " decides and was not given" +
                  (d.cross_account ? " (the resource is in another account)" : "") +
                  ": pass it with --resource-policy " + d.needed_policy + "=FILE";
      result->coverage = Coverage::kConditional;
      break;
    case Decision::kExplicitDeny: {
      const CompiledStatement& s = *d.matched.front().statement;
      f.file = s.file();
      f.where = s.where();
      f.sid = s.sid();
      key = StatementKey(s.source());
      f.message = what + " is explicitly denied by " +
                  (s.kind() == PolicyKind::kRcp        ? std::string("an RCP")
                   : s.kind() == PolicyKind::kEndpoint ? EndpointText(set_, s.scp_level())
                                                       : ResourcePolicyText(set_, req.resource)) +
                  (s.has_sid() ? ", statement '" + s.sid() + "'" : std::string());
      for (std::size_t i = 1; i < d.matched.size(); ++i) {
        const CompiledStatement& other = *d.matched[i].statement;
        f.related.push_back({other.file(), other.where(), "also denies it"});
      }
      result->coverage = Coverage::kDenied;
      break;
    }
    case Decision::kConditional:
      f = MakeFinding(FindingId::kConditionalPermission, "", {});
      PointAtPolicy(set_, req.resource, &f);
      f.message = what + " depends on " +
                  (d.missing_context.empty() ? std::string("the request context")
                                             : ascii::JoinComma(d.missing_context)) +
                  " on the resource side (" + ResourcePolicyText(set_, req.resource) +
                  "); pass --context KEY=VALUE to decide";
      result->coverage = Coverage::kConditional;
      break;
    default: {  // implicit deny on the resource side
      PointAtPolicy(set_, req.resource, &f);
      std::string why;
      if (d.denied_by == PolicyKind::kRcp) {
        why = "RCP level " + std::to_string(d.denied_scp_level + 1) + " does not allow it";
      } else if (d.denied_by == PolicyKind::kEndpoint) {
        const Policy& endpoint =
            set_.vpc_endpoints[static_cast<std::size_t>(d.denied_scp_level)].policy;
        f.file = endpoint.file;
        f.where = endpoint.where;
        why = EndpointText(set_, d.denied_scp_level) +
              " does not allow it (the request goes through the endpoint)";
      } else if (d.cross_account) {
        why = "the resource is in another account and " + ResourcePolicyText(set_, req.resource) +
              " does not allow the principal (cross-account: both sides must allow)";
      } else {
        why = ResourcePolicyText(set_, req.resource) +
              " neither allows the principal nor delegates to the account's IAM policies";
      }
      f.message = what + " is granted by the identity policies, but " + why;
      result->coverage = Coverage::kMissing;
      break;
    }
  }
  f.severity = std::min(f.severity, req.severity);
  f.group = req.group_id;
  f.action = req.action;
  f.resource = req.resource;
  f.fingerprint = Fingerprint(f, key);
  result->deciding.clear();
  result->layer = PolicyKind::kResource;
  result->finding = static_cast<int>(findings->size());
  findings->push_back(std::move(f));
}

}  // namespace iam_audit
