// The JSON reader (json::Parse): every byte string is either a document or
// located errors.
#include "fuzz_util.h"
#include "iam_audit/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const iam_audit::json::ParseResult r =
      iam_audit::json::Parse(iam_audit::fuzz::Text(data, size), "fuzz.json");
  (void)r;
  return 0;
}
