// The profile loader (Profile::Load): YAML, variables and their defaults,
// `when:` expressions, templates, action patterns against the catalog.
#include "fuzz_util.h"
#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  static const Catalog catalog = Catalog::Embedded();
  try {
    const ProfileLoadResult r = Profile::Load(fuzz::Text(data, size), "fuzz.yaml", catalog);
    (void)r;
  } catch (const InputError&) {
  }
  return 0;
}
