// Global condition keys: the `aws:` keys every service supports, from AWS's
// "AWS global condition context keys" page (IAM User Guide), as a table of
// name, data type and whether the key is multivalued. The service keys live
// in the catalog (catalog.h FindConditionKey); this table is what the
// catalog does not hold.
//
//   const GlobalConditionKey* k = FindGlobalConditionKey("AWS:sourceip");
//   // k->type == ConditionKeyType::kIpAddress, !k->multivalued
//
// Keys ending in '/' (aws:RequestTag/, aws:ResourceTag/, aws:PrincipalTag/)
// are prefixes: the tag key follows. Lookups ignore case, as IAM does.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace iam_audit {

// The data types of condition keys (the Service Authorization Reference's
// "Type" column; ArrayOfX is X, multivalued).
enum class ConditionKeyType : unsigned char {
  kString,
  kArn,
  kBool,
  kDate,
  kNumeric,
  kIpAddress,
  kBinary,
  kAny,  // documented with several types (aws:EpochTime: Date or Numeric)
};
std::string_view ConditionKeyTypeName(ConditionKeyType type);  // "String", "ARN", ...

struct GlobalConditionKey {
  std::string_view name;  // "aws:SourceIp"; "aws:RequestTag/" for a prefix
  ConditionKeyType type;
  bool multivalued;
};

std::span<const GlobalConditionKey> GlobalConditionKeys();
// The entry for `key` (case-insensitive), or nullptr when it is not a global key.
const GlobalConditionKey* FindGlobalConditionKey(std::string_view key);

// A catalog type name ("String", "ArrayOfARN", "IPAddress"...) as a type and
// multivalued flag; nullopt for a name the table does not know.
struct ParsedKeyType {
  ConditionKeyType type;
  bool multivalued;
};
std::optional<ParsedKeyType> ParseConditionKeyType(std::string_view catalog_type);

}  // namespace iam_audit
