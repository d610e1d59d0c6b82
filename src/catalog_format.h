// The compiled catalog blob: layout shared by the compiler (catalog_compile.cc)
// and the reader (catalog.cc). Internal; docs/catalog.md describes it for humans.
//
// All integers are little-endian u32. A string is a pair of u32 fields
// (offset into the string section, length); a list is a pair (first, count)
// into another section. Every record of a section has the same number of u32
// fields, so record i of section S starts at S.offset + i * 4 * FieldCount(S).
//
//   header (32 bytes): magic[8] "IAMCATLG", format version, total size,
//                      section count, 3 reserved u32 (0)
//   section table:     section count x {offset, byte size}, in Section order
//   sections:          4-byte aligned, in Section order
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace iam_audit::catalog_format {

inline constexpr std::string_view kMagic = "IAMCATLG";
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kHeaderSize = 32;
inline constexpr std::size_t kHeaderVersion = 8;
inline constexpr std::size_t kHeaderTotalSize = 12;
inline constexpr std::size_t kHeaderSectionCount = 16;
inline constexpr std::size_t kHeaderReserved = 20;  // up to kHeaderSize, all zero

inline constexpr std::uint64_t AlignUp(std::uint64_t n) { return (n + 3) & ~std::uint64_t{3}; }

enum Section : std::uint32_t {
  kStrings,            // raw bytes (field count 0: not records)
  kMeta,               // one record
  kServices,           // sorted by lower-case "prefix:"
  kActions,            // sorted by (service, lower-case name)
  kActionResources,    // referenced by actions' resource lists
  kResourceTypes,      // sorted by (service, lower-case name)
  kConditionKeys,      // sorted by (service, lower-case key)
  kConditionKeyOrder,  // condition key ids sorted by (lower-case key, id)
  kKeyLists,           // condition key ids, referenced by condition key lists
  kSectionCount,
};

// Field indexes within each record kind. A string or list takes two fields.
namespace meta {
enum : std::uint32_t { kPackage = 0, kVersion = 2, kDate = 4, kFields = 6 };
}
namespace service {
enum : std::uint32_t {
  kPrefix = 0,
  kLowerPrefix = 2,
  kName = 4,
  kActionBegin = 6,
  kActionEnd = 7,
  kResourceTypeBegin = 8,
  kResourceTypeEnd = 9,
  kConditionKeyBegin = 10,
  kConditionKeyEnd = 11,
  kFields = 12,
};
}
namespace action {
enum : std::uint32_t {
  kService = 0,
  kName = 1,
  kLowerName = 3,
  kAccess = 5,
  kResources = 6,      // list into kActionResources
  kConditionKeys = 8,  // list into kKeyLists
  kFields = 10,
};
}
namespace action_resource {
enum : std::uint32_t {
  kResourceType = 0,   // index into kResourceTypes
  kRequired = 1,       // 0 or 1
  kConditionKeys = 2,  // list into kKeyLists
  kFields = 4,
};
}
namespace resource_type {
enum : std::uint32_t {
  kService = 0,
  kName = 1,
  kLowerName = 3,
  kArn = 5,
  kConditionKeys = 7,  // list into kKeyLists
  kFields = 9,
};
}
namespace condition_key {
enum : std::uint32_t {
  kService = 0,
  kKey = 1,
  kLowerKey = 3,
  kType = 5,
  kFlags = 7,
  kFields = 8,
};
inline constexpr std::uint32_t kFlagTemplate = 1;  // the key contains "${...}"
}  // namespace condition_key

// u32 fields per record, per section (0 for the string bytes).
inline constexpr std::array<std::uint32_t, kSectionCount> kFieldCount = {
    0,
    meta::kFields,
    service::kFields,
    action::kFields,
    action_resource::kFields,
    resource_type::kFields,
    condition_key::kFields,
    1,
    1,
};

inline std::uint32_t LoadU32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}

inline void StoreU32(char* p, std::uint32_t v) {
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  std::memcpy(p, &v, sizeof v);
}

// Compares a + ':' with b + ':' (the order of services and of the actions'
// "service:name" keys). Both sides must already be lower-case.
inline int CompareAsPrefix(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  if (int c = a.substr(0, n).compare(b.substr(0, n)); c != 0) return c;
  if (a.size() == b.size()) return 0;
  const unsigned char ca = a.size() > n ? static_cast<unsigned char>(a[n]) : ':';
  const unsigned char cb = b.size() > n ? static_cast<unsigned char>(b[n]) : ':';
  if (ca != cb) return ca < cb ? -1 : 1;
  return a.size() < b.size() ? -1 : 1;  // e.g. "s3" vs "s3:x": shorter first
}

}  // namespace iam_audit::catalog_format
