// Resource policy: which resource-based policy governs a requested resource,
// what AWS calls it, and whether it must allow on its own.
//
//   ResourcePolicyCovers("arn:aws:s3:::data", "arn:aws:s3:::data/k")  -> true
//   KindOfPolicyResource("arn:aws:kms:eu-west-1:111122223333:key/abc") -> kKey
//   MustBeAllowedByResourcePolicy("kms:Decrypt", "arn:aws:kms:...:key/abc") -> true
//
// Rules (docs/evaluation.md section 1.3 quotes the pages):
//   - a bucket's policy covers the bucket and its objects; a Glue Data
//     Catalog's policy (arn:aws:glue:REGION:ACCOUNT:catalog) covers every Glue
//     resource of that catalog; any other policy covers its own ARN;
//   - "IAM role trust policies and KMS key policies are exceptions ... they
//     must explicitly allow access for principals": a KMS key request and
//     sts:AssumeRole* / sts:TagSession / sts:SetSourceIdentity on a role.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/policy.h"

namespace iam_audit {

enum class PolicyResourceKind : std::uint8_t {
  kOther,        // "resource policy"
  kBucket,       // "bucket policy"
  kKey,          // "key policy"
  kRole,         // "trust policy"
  kGlueCatalog,  // "Data Catalog resource policy"
};

// The kind of resource `arn` names, for the name of its policy.
PolicyResourceKind KindOfPolicyResource(std::string_view arn);
// "bucket policy", "key policy", "trust policy", ...
std::string_view PolicyNameOf(PolicyResourceKind kind);

// The resource whose policy governs `resource`: an object's bucket, a Glue
// resource's catalog, else `resource` itself.
std::string PolicyResourceOf(std::string_view resource);

// Does the policy of resource `policy_arn` govern a request on `resource`?
bool ResourcePolicyCovers(std::string_view policy_arn, std::string_view resource);

// The policies among many (an account's thousands of role trust policies)
// that govern a request on a resource, found without a scan: built once for
// a file, looked up for each audited principal.
//
//   ResourcePolicyIndex index(policies);
//   index.Governing("arn:aws:s3:::data/k")  // -> {2} when policies[2].arn is the bucket
class ResourcePolicyIndex {
 public:
  explicit ResourcePolicyIndex(std::span<const ResourcePolicy> policies);
  // The positions, ascending, of the policies p with ResourcePolicyCovers(p.arn,
  // resource), and of those attached to no resource (arn "": they apply to
  // whatever is requested).
  std::vector<std::size_t> Governing(std::string_view resource) const;

 private:
  std::vector<std::string> arns_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_key_;  // positions, ascending
  std::vector<std::size_t> unscoped_;
};

// Is (action, resource) one of the requests whose resource policy must allow
// explicitly (KMS keys, role trust)?
bool MustBeAllowedByResourcePolicy(std::string_view action, std::string_view resource);

// The account that owns `resource`: its ARN's account field, else the
// request's aws:ResourceAccount value; "" when neither says.
std::string ResourceAccount(std::string_view resource, const RequestContext& context);

// The action prefix of the service a VPC endpoint serves, from its service
// name ("com.amazonaws.eu-west-1.s3" -> "s3", "com.amazonaws.eu-west-1.ecr.api"
// -> "ecr", "com.amazonaws.eu-west-1.monitoring" -> "cloudwatch"); a bare
// prefix ("s3") is returned lower-cased. "" when `service_name` is empty.
std::string EndpointServicePrefix(std::string_view service_name);

// "--vpc-endpoint-policy [SERVICE=]FILE" -> {service prefix, FILE}. SERVICE
// (a prefix such as "s3" or a service name such as
// "com.amazonaws.eu-west-1.s3": letters, digits, '.', '-') says which
// requests go through the endpoint; without it every request does ("").
std::pair<std::string, std::string> SplitEndpointArgument(std::string_view arg);

// [VPCE] "An endpoint policy ... must contain a Principal element": one error
// per statement of `policy` without Principal or NotPrincipal, at the
// statement.
Diagnostics EndpointPolicyProblems(const Policy& policy);

}  // namespace iam_audit
