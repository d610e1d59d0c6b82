// Resource-based policies where teams keep them: Terraform's
// aws_s3_bucket_policy, aws_kms_key.policy, aws_iam_role.assume_role_policy
// and aws_glue_resource_policy; the AssumeRolePolicyDocument of a role in
// account authorization details; and, for `check`, what a subject brings to
// its audit (docs/input-formats.md, "Resource policies").
#include <algorithm>
#include <optional>
#include <string>

#include "iam_audit/policy_source.h"
#include "policy_source_internal.h"

namespace iam_audit {
namespace policy_source {
namespace {

// The Terraform resources that hold a resource-based policy, as data.
struct TerraformResourcePolicy {
  std::string_view type;        // "aws_s3_bucket_policy"
  std::string_view attribute;   // the policy JSON string
  std::string_view arn_key;     // the attribute with the resource's ARN ("" = see below)
  std::string_view bucket_key;  // the attribute with a bucket name, for S3
  bool note_unknown;            // say so when the ARN is not known (plans)
  PolicyResourceKind kind;      // what the policy is, for lint
};
constexpr TerraformResourcePolicy kTerraformPolicies[] = {
    {"aws_s3_bucket_policy", "policy", "", "bucket", true, PolicyResourceKind::kBucket},
    {"aws_kms_key", "policy", "arn", "", true, PolicyResourceKind::kKey},
    // A role audited for its own permissions rarely needs its trust policy:
    // no note when a plan does not know its ARN yet.
    {"aws_iam_role", "assume_role_policy", "arn", "", false, PolicyResourceKind::kRole},
    {"aws_glue_resource_policy", "policy", "", "", true, PolicyResourceKind::kGlueCatalog},
};

// A Glue resource policy names its catalog in its statements' Resource
// entries ("arn:aws:glue:REGION:ACCOUNT:catalog"); Terraform does not hold
// the ARN otherwise.
std::string GlueCatalogOf(const json::Value& document) {
  const json::Value* statements = document.Find("Statement");
  if (statements == nullptr) return "";
  const auto scan = [](const json::Value& statement) -> std::string {
    const json::Value* r = statement.Find("Resource");
    if (r == nullptr) return "";
    const auto check = [](const json::Value& v) -> std::string {
      const std::string_view s = v.is_string() ? v.AsString() : std::string_view();
      return s.starts_with("arn:") && s.ends_with(":catalog") ? std::string(s) : "";
    };
    if (!r->is_array()) return check(*r);
    for (const json::Value& e : r->Elements()) {
      if (std::string c = check(e); !c.empty()) return c;
    }
    return "";
  };
  if (!statements->is_array()) return scan(*statements);
  for (const json::Value& s : statements->Elements()) {
    if (std::string c = scan(s); !c.empty()) return c;
  }
  return "";
}

}  // namespace

void ReadTerraformResourcePolicy(std::string_view type, const std::string& address,
                                 const json::Value& values, SourceLocation where, Collector& c) {
  for (const TerraformResourcePolicy& t : kTerraformPolicies) {
    if (t.type != type) continue;
    const json::Value* text = values.Find(t.attribute);
    if (text == nullptr || !text->is_string() || text->AsString().empty()) return;
    std::optional<json::Value> doc =
        c.ParseEmbedded(*text, /*exact=*/true, "the " + std::string(t.attribute) + " JSON string");
    if (!doc) return;
    std::string arn;
    if (!t.arn_key.empty()) arn = std::string(StringMember(values, t.arn_key));
    if (!t.bucket_key.empty() && !StringMember(values, t.bucket_key).empty()) {
      arn = "arn:aws:s3:::" + std::string(StringMember(values, t.bucket_key));
    }
    if (type == "aws_glue_resource_policy") arn = GlueCatalogOf(*doc);
    if (arn.empty() && t.note_unknown) {
      c.Note(where, address + ": the ARN of the resource its " + std::string(t.attribute) +
                        " applies to is known only after apply, so the audit cannot use it");
    }
    c.AddResourcePolicy(address, std::move(arn), *doc, t.kind);  // "": linted only
    return;
  }
}

void ReadRoleTrustPolicy(const json::Value& role, Collector& c) {
  const json::Value* trust = role.Find("AssumeRolePolicyDocument");
  const std::string_view arn = StringMember(role, "Arn");
  if (trust == nullptr || arn.empty()) return;
  if (trust->is_string()) {
    std::optional<json::Value> doc =
        c.ParseEmbedded(*trust, /*exact=*/true, "the AssumeRolePolicyDocument string");
    if (doc) {
      c.AddResourcePolicy(std::string(arn) + " trust policy", std::string(arn), *doc,
                          PolicyResourceKind::kRole);
    }
  } else if (trust->is_object()) {
    c.AddResourcePolicy(std::string(arn) + " trust policy", std::string(arn), *trust,
                        PolicyResourceKind::kRole);
  }
}

}  // namespace policy_source

void AddSubjectResourceSide(const AuditSubject& subject, std::span<const std::string> resources,
                            PolicySet& set) {
  const SubjectPolicies& p = subject.policies;
  if (p.resource_policies) {
    std::optional<ResourcePolicyIndex> built;  // a SubjectPolicies made without its index
    const ResourcePolicyIndex* index = p.resource_index.get();
    if (index == nullptr) index = &built.emplace(*p.resource_policies);
    std::vector<std::size_t> governing;
    for (const std::string& r : resources) {
      const std::vector<std::size_t> found = index->Governing(r);
      governing.insert(governing.end(), found.begin(), found.end());
    }
    std::sort(governing.begin(), governing.end());  // the file's order, each once
    governing.erase(std::unique(governing.begin(), governing.end()), governing.end());
    for (const std::size_t i : governing)
      set.resource_policies.push_back((*p.resource_policies)[i]);
  }
  if (p.vpc_endpoints) {
    set.vpc_endpoints.insert(set.vpc_endpoints.end(), p.vpc_endpoints->begin(),
                             p.vpc_endpoints->end());
  }
  if (set.principal.empty()) {
    set.principal = !subject.policies.principal.empty() ? subject.policies.principal : subject.arn;
  }
}

}  // namespace iam_audit
