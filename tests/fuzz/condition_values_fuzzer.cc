// The condition value parsers: numbers, dates, CIDR blocks and addresses,
// Base64; the input is split at its first newline into two values, for
// CidrContains.
#include <string_view>

#include "fuzz_util.h"
#include "iam_audit/condition.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace iam_audit;
  const std::string_view text = fuzz::Text(data, size);
  const std::size_t newline = text.find('\n');
  const std::string_view a = text.substr(0, newline);
  const std::string_view b = newline == std::string_view::npos ? a : text.substr(newline + 1);
  (void)ParseConditionNumber(a);
  (void)ParseConditionDate(a);
  (void)DecodeBase64(a);
  const std::optional<Cidr> range = ParseCidr(a);
  const std::optional<Cidr> address = ParseCidr(b);
  if (range && address) (void)CidrContains(*range, *address);
  return 0;
}
