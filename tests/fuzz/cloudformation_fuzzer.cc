// CloudFormation templates, YAML (short-form tags, anchors and aliases) and
// JSON: the YAML reader, the intrinsic functions and the IAM mapping.
#include <string>

#include "fuzz_util.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  if (size == 0) return 0;
  PolicySourceOptions options;
  options.format = InputFormat::kCloudFormation;
  options.variables = {{"AWS::AccountId", "111122223333"}, {"Env", "prod"}};
  const std::string name = (data[0] & 1) ? "template.json" : "template.yaml";
  const SourceFile file{name, name, std::string(fuzz::Text(data + 1, size - 1))};
  try {
    const PolicySourceResult r = LoadPolicySource(file, options);
    (void)r;
  } catch (const InputError&) {
  }
  return 0;
}
