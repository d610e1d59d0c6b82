// PolicyGenerator: the least-privilege identity policy that grants exactly a
// profile's requirements (Profile::Requirements).
//
// Every requirement (action, resource pattern) is granted by an Allow
// statement that names the action and that exact pattern; nothing else is
// granted. To keep the policy short and readable:
//   - a resource that another required resource of the same action covers
//     (e.g. bucket/dbt/tables/* under bucket/dbt/*) is not repeated;
//   - actions needing the same set of resources share one statement, whose Sid
//     says service, what the actions do and on what: "GlueReadTables",
//     "S3WriteObjects", "AthenaUseWorkgroups" (Read: List/Read actions only;
//     Write: Write/Tagging only; Use: both; Manage: permissions management;
//     the noun is the catalog resource type of the last resource; "2", "3"...
//     when a Sid is taken);
//   - actions without resource-level permissions stay on "*".
// No Condition is generated: the request context of the profile describes
// what the tool's calls carry, not restrictions to add.
//
// Size: IAM limits a managed policy to 6,144 characters, not counting
// whitespace. When the statements do not fit in `max_size`, they are spread
// over several policies (first fit, in statement order); a statement that
// alone is too big is split by resources (Sids get "Part1", "Part2"...).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/profile.h"

namespace iam_audit {

inline constexpr std::size_t kManagedPolicyMaxSize = 6144;

struct PolicyStatement {
  std::string sid;
  std::vector<std::string> actions;    // sorted
  std::vector<std::string> resources;  // in the profile's order
};

struct GeneratedPolicy {
  std::vector<PolicyStatement> statements;

  // The policy document: {"Version": "2012-10-17", "Statement": [...]};
  // `indent` < 0 gives the compact form.
  std::string ToJson(int indent = 2) const;
  // Characters IAM counts (PolicySize of the JSON).
  std::size_t Size() const;
};

struct GeneratorOptions {
  std::size_t max_size = kManagedPolicyMaxSize;
};

// One policy when everything fits in options.max_size, else several. Throws
// InputError when max_size is too small for even one action on one resource.
std::vector<GeneratedPolicy> GeneratePolicies(const std::vector<Requirement>& requirements,
                                              const GeneratorOptions& options = {});

// The number of characters of a policy document that are not whitespace, as
// IAM counts them against its size limits.
std::size_t PolicySize(std::string_view json);

}  // namespace iam_audit
