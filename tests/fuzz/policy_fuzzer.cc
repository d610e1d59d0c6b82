// The policy parser (ParsePolicy), then, for a valid policy, the linter and
// the evaluator's compilation of it, as `iam-audit policy.json` runs them.
#include "fuzz_util.h"
#include "iam_audit/catalog.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  static const Catalog catalog = Catalog::Embedded();
  PolicyParseResult parsed = ParsePolicy(fuzz::Text(data, size), "fuzz.json");
  if (!parsed.policy) return 0;
  PolicySet set;
  set.identity.push_back(std::move(*parsed.policy));
  const LintResult lint = Lint(catalog, set);
  (void)lint;
  return 0;
}
