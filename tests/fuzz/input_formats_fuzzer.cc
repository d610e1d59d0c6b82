// Every input format (LoadPolicySource): the first byte chooses the format
// (auto-detection, or one forced as --input-format does) and the file name's
// extension (.json or .yaml); the rest is the file.
#include <string>

#include "fuzz_util.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  if (size == 0) return 0;
  const std::span<const std::string_view> names = InputFormatNames();
  PolicySourceOptions options;
  options.format =
      ParseInputFormat(names[(data[0] & 0x3f) % names.size()]).value_or(InputFormat::kAuto);
  options.allow_unrecognized = (data[0] & 0x40) != 0;
  options.variables = {{"AWS::AccountId", "111122223333"}, {"AWS::Region", "eu-west-1"}};
  const std::string name = (data[0] & 0x80) ? "fuzz.yaml" : "fuzz.json";
  const SourceFile file{name, name, std::string(fuzz::Text(data + 1, size - 1))};
  try {
    const PolicySourceResult r = LoadPolicySource(file, options);
    (void)r;
  } catch (const InputError&) {
  }
  return 0;
}
