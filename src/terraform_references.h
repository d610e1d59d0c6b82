// The references of a Terraform plan's `configuration`: which resource an
// attribute's expression refers to (`role = aws_iam_role.runner.id`), for
// linking resources whose values are known only after apply.
//
// `terraform show -json PLAN` has, besides the planned values, the
// configuration: per module (`root_module`, then `module_calls.NAME.module`
// recursively), each resource's `address` in its module and its attributes'
// `expressions`, each with the `references` it makes ("aws_iam_role.runner.id",
// "aws_iam_role.runner", "var.name"...). Addresses there have no module
// prefix and no instance keys; the planned values' have both.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/json.h"

namespace iam_audit::policy_source {

// "module.a[0].aws_iam_role.x[\"k\"]" -> "module.a.aws_iam_role.x".
std::string WithoutInstanceKeys(std::string_view address);
// The instance key of an address's resource: "[\"k\"]", "[0]", or "".
std::string_view InstanceKey(std::string_view address);

class TerraformReferences {
 public:
  // Indexes root["configuration"] (nothing when absent: a state has none).
  explicit TerraformReferences(const json::Value& root);

  // The resources the expression of `attribute` in the configuration of the
  // planned resource `address` refers to, in the order written, each once,
  // as absolute addresses without instance keys
  // ("module.m.aws_iam_role.runner", "data.aws_iam_policy_document.d"), or
  // with the key when the reference names one ("aws_iam_role.x[0]").
  // Variables, locals, module outputs and the like are left out.
  std::vector<std::string> Resources(std::string_view address, std::string_view attribute) const;

 private:
  void Walk(const json::Value& module, const std::string& prefix);

  std::map<std::string, const json::Value*, std::less<>> expressions_;  // by absolute address
};

}  // namespace iam_audit::policy_source
