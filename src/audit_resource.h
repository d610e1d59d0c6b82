// The resource side of the audit (private to audit.cc): for each requirement
// the identity side grants, what AWS decides once the resource policies,
// RCPs, a cross-account resource, a KMS key policy or a role's trust policy
// take part. The Evaluator decides (the same engine as `simulate`), on the
// requirement's action and resource with the requirement's request context
// (the profile's, with --context over it) and the caller's global keys
// (aws:PrincipalArn, aws:PrincipalAccount). docs/audit.md, "Resource
// policies", describes the findings.
#pragma once

#include <string>
#include <vector>

#include "iam_audit/audit.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/principal.h"

namespace iam_audit {

class ResourceSideAudit {
 public:
  ResourceSideAudit(const PolicySet& set, const Evaluator& ev);

  // `result` is the identity side's answer to `req`; when it is granted and
  // the resource side does not allow, or needs a policy that was not given,
  // updates `result` and appends a finding to `findings` (its index in
  // result->finding).
  void Check(const Requirement& req, const RequestContext& context, RequirementResult* result,
             std::vector<Finding>* findings) const;
  // The resource of the request Check() evaluates for `req`.
  static std::string RequestResource(const Requirement& req);

 private:
  const PolicySet& set_;
  const Evaluator& ev_;
  Caller caller_;
  bool active_;
};

}  // namespace iam_audit
