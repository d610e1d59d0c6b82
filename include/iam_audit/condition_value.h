// Condition values: the parsers for the typed values of Condition operators
// (numbers, dates, IP ranges, base-64), used for policy values and request
// values alike (condition.h compiles and evaluates clauses with them).
//
//   ParseConditionDate("2026-01-01T00:00:00Z")  // microseconds since the epoch
//   ParseCidr("203.0.113.0/24"); CidrContains(range, *ParseCidr("203.0.113.9"))
//
// Formats (AWS "IAM JSON policy elements: Condition operators"): numbers as
// IAM reads them (an optional sign, digits, fraction, exponent); dates in ISO
// 8601 (the W3C profiles) or epoch seconds; IPv4 and IPv6 addresses and CIDR
// ranges (RFC 4632, RFC 4291 text forms); standard base-64 (RFC 4648, padding
// optional). Every parser returns nullopt for text that is not of its type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iam_audit {

// One IPv4 or IPv6 range (an address alone is a /32 or /128). Host bits past
// the prefix are zero.
struct Cidr {
  bool v6 = false;
  std::uint8_t prefix = 0;  // bits
  std::uint8_t bytes[16] = {};
};

std::optional<double> ParseConditionNumber(std::string_view text);
// ISO 8601 (the W3C profiles: YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.s]]TZD...) or
// epoch seconds (an all-digit value, optionally with a fraction). Returns
// microseconds since 1970-01-01T00:00:00Z.
std::optional<std::int64_t> ParseConditionDate(std::string_view text);
// "203.0.113.0/24", "2001:DB8::/32", or an address alone (/32 or /128).
std::optional<Cidr> ParseCidr(std::string_view text);
// Is every address of `address` (a range or one address) inside `range`?
bool CidrContains(const Cidr& range, const Cidr& address);
// Do the two ranges share an address? (Same family only.)
bool CidrOverlaps(const Cidr& a, const Cidr& b);
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace iam_audit
