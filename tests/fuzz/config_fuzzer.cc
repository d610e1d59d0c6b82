// The configuration loader (.iam-audit.yaml, ParseConfig).
#include "config.h"
#include "fuzz_util.h"
#include "iam_audit/diagnostic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  try {
    const Config c = ParseConfig(fuzz::Text(data, size), ".iam-audit.yaml", "/repo");
    (void)c;
  } catch (const InputError&) {
  }
  return 0;
}
