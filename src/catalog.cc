// Catalog: reading the compiled blob in place. See catalog_format.h for the
// layout and catalog_compile.cc for how it is produced.
#include "iam_audit/catalog.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "ascii.h"
#include "catalog_format.h"
#include "iam_audit/diagnostic.h"

namespace iam_audit {

namespace fmt = catalog_format;

namespace {

using ascii::EqualsIgnoreCase;

struct AccessLevelNames {
  AccessLevel level;
  std::string_view display;  // as the Service Authorization Reference writes it
  std::string_view option;   // as --access-level takes it
};

// In the order of kAllAccessLevels.
constexpr std::array<AccessLevelNames, 5> kAccessLevelNames = {{
    {kAccessList, "List", "list"},
    {kAccessRead, "Read", "read"},
    {kAccessPermissionsManagement, "Permissions management", "permissions-management"},
    {kAccessTagging, "Tagging", "tagging"},
    {kAccessWrite, "Write", "write"},
}};

constexpr bool TablesAgree() {
  if (std::size(kAllAccessLevels) != kAccessLevelNames.size()) return false;
  for (std::size_t i = 0; i < kAccessLevelNames.size(); ++i) {
    if (kAccessLevelNames[i].level != kAllAccessLevels[i]) return false;
  }
  return true;
}
static_assert(TablesAgree(), "kAccessLevelNames must list kAllAccessLevels in order");

const AccessLevelNames& NamesOf(AccessLevel level) {
  for (const AccessLevelNames& n : kAccessLevelNames) {
    if (n.level == level) return n;
  }
  throw std::invalid_argument("not a single access level");
}

// Compares lower-case `stored` with `query` folded to lower case on the fly.
int CompareFolded(std::string_view stored, std::string_view query) {
  const std::size_t n = std::min(stored.size(), query.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = static_cast<unsigned char>(stored[i]);
    const auto b = static_cast<unsigned char>(ascii::Lower(query[i]));
    if (a != b) return a < b ? -1 : 1;
  }
  if (stored.size() == query.size()) return 0;
  return stored.size() < query.size() ? -1 : 1;
}

// Does `key` match the lower-case template `tmpl`, where each "${...}" stands
// for one or more characters? Greedy with a single resume point, like Glob.
bool MatchesKeyTemplate(std::string_view tmpl, std::string_view key) {
  std::size_t p = 0, i = 0;
  std::size_t star_p = std::string_view::npos, star_i = 0;
  while (i < key.size()) {
    if (p < tmpl.size()) {
      if (tmpl.compare(p, 2, "${") == 0) {
        const std::size_t close = tmpl.find('}', p);
        if (close == std::string_view::npos) return false;
        // One character for the variable, then a resumable run.
        p = close + 1;
        ++i;
        star_p = p;
        star_i = i;
        continue;
      }
      if (tmpl[p] == ascii::Lower(key[i])) {
        ++p;
        ++i;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    i = ++star_i;
  }
  return p == tmpl.size();
}

InputError BadBlob(const std::string& what) { return InputError("invalid catalog blob: " + what); }

// Bytes [i, i + 8) of `s` (zeros past its end) as one word, byte k in bits
// 8k..8k+7: at most two loads, overlapping for the last few bytes (a memcpy
// of a variable size, or a byte loop, cost more than the rest of a lookup).
std::uint64_t LoadWord(std::string_view s, std::size_t i) {
  const char* p = s.data() + i;
  const std::size_t n = std::min<std::size_t>(8, s.size() - i);
  std::uint64_t w = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (n == 8) {
      std::memcpy(&w, p, 8);
    } else if (n >= 4) {
      std::uint32_t first, last;
      std::memcpy(&first, p, 4);
      std::memcpy(&last, p + n - 4, 4);
      w = first | (std::uint64_t{last} << (8 * (n - 4)));
    } else if (n >= 2) {
      std::uint16_t first, last;
      std::memcpy(&first, p, 2);
      std::memcpy(&last, p + n - 2, 2);
      w = first | (std::uint64_t{last} << (8 * (n - 2)));
    } else if (n == 1) {
      w = static_cast<unsigned char>(*p);
    }
  } else {
    for (std::size_t k = 0; k < n; ++k) {
      w |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
    }
  }
  return w;
}

// A hash of `s` folded to lower case, 8 bytes at a time.
std::uint64_t HashFolded(std::string_view s, std::uint64_t h) {
  const auto mix = [](std::uint64_t x) {
    x *= 0x9e3779b97f4a7c15ULL;
    return x ^ (x >> 29);
  };
  for (std::size_t i = 0; i < s.size(); i += 8) h = mix(h ^ ascii::LowerWord(LoadWord(s, i)));
  return mix(h ^ s.size());
}

// FindAction's hash of `service` ':' `name`, folded. Word-wise: the byte-wise
// FNV-1a it replaces, with a byte-wise compare, cost ~600 instructions a
// lookup, and the rules, the evaluator and the risk model make ~200,000 on
// the managed corpus.
std::uint64_t HashActionName(std::string_view service, std::string_view name) {
  std::uint64_t h = HashFolded(name, HashFolded(service, 0));
  h ^= h >> 33;  // MurmurHash3's finalizer: every bit reaches the slot bits
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// Does `query` folded to lower case equal `lower` (already lower case)?
bool EqualsFolded(std::string_view lower, std::string_view query) {
  if (lower.size() != query.size()) return false;
  for (std::size_t i = 0; i < query.size(); i += 8) {
    if (LoadWord(lower, i) != ascii::LowerWord(LoadWord(query, i))) return false;
  }
  return true;
}

}  // namespace

std::string_view AccessLevelName(AccessLevel level) { return NamesOf(level).display; }
std::string_view AccessLevelOptionName(AccessLevel level) { return NamesOf(level).option; }

std::string AccessLevelsToString(AccessLevels levels) {
  std::string out;
  for (const AccessLevelNames& n : kAccessLevelNames) {
    if ((levels & n.level) == 0) continue;
    if (!out.empty()) out += ", ";
    out += n.display;
  }
  return out;
}

std::optional<AccessLevel> ParseAccessLevel(std::string_view name) {
  for (const AccessLevelNames& n : kAccessLevelNames) {
    if (EqualsIgnoreCase(name, n.display) || EqualsIgnoreCase(name, n.option)) return n.level;
  }
  return std::nullopt;
}

std::optional<AccessLevels> ParseAccessLevelList(std::string_view list, std::string* unknown) {
  AccessLevels levels = 0;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const std::optional<AccessLevel> level = ParseAccessLevel(name);
    if (!level) {
      if (unknown) *unknown = std::string(name);
      return std::nullopt;
    }
    levels |= *level;
    start = end + 1;
  }
  return levels;
}

std::string ActionInfo::FullName() const {
  std::string out;
  out.reserve(service.size() + 1 + name.size());
  out += service;
  out += ':';
  out += name;
  return out;
}

// ---------------------------------------------------------------------------

struct Catalog::Impl {
  std::string owned;  // the bytes, when the catalog owns them
  std::string_view blob;
  std::array<const char*, fmt::kSectionCount> base{};
  std::array<std::uint32_t, fmt::kSectionCount> count{};  // records (bytes for kStrings)
  // FindAction's hash table of lower-case "service:name" (open addressing,
  // id + 1, 0 empty): lint looks up every Action entry of every statement,
  // and a binary search over the blob's strings costs ~1,500 instructions a
  // lookup. Building it hashes every action name, which reads (page faults)
  // the whole catalog: ~2 ms, a quarter of a one-policy audit. So it is built
  // once a process has made kIndexAfterLookups lookups (a repository's lint),
  // and short runs keep the binary search.
  static constexpr std::uint32_t kIndexAfterLookups = 20'000;
  std::atomic<std::uint32_t> lookups{0};
  std::atomic<bool> action_index_ready{false};
  std::once_flag action_index_built;
  std::vector<std::uint32_t> action_index;
  // FindConditionKey's templates ("aws:RequestTag/${TagKey}"): their ids in
  // key order, listed on the first lookup an exact name misses. Scanning all
  // 2,578 keys for them cost ~11,000 instructions a lookup (lint asks for
  // tag keys of every service).
  std::once_flag key_templates_listed;
  std::vector<std::uint32_t> key_templates;

  // Field `f` of record `i` of section `s`.
  std::uint32_t U(fmt::Section s, std::size_t i, std::uint32_t f) const {
    return fmt::LoadU32(base[s] + (i * fmt::kFieldCount[s] + f) * 4);
  }
  std::string_view Str(fmt::Section s, std::size_t i, std::uint32_t f) const {
    return std::string_view(base[fmt::kStrings] + U(s, i, f), U(s, i, f + 1));
  }
  std::vector<std::string_view> KeyList(fmt::Section s, std::size_t i, std::uint32_t f) const {
    const std::uint32_t first = U(s, i, f), n = U(s, i, f + 1);
    std::vector<std::string_view> keys;
    keys.reserve(n);
    for (std::uint32_t k = first; k < first + n; ++k) {
      keys.push_back(Str(fmt::kConditionKeys, U(fmt::kKeyLists, k, 0), fmt::condition_key::kKey));
    }
    return keys;
  }
  std::string_view ServicePrefix(std::size_t s) const {
    return Str(fmt::kServices, s, fmt::service::kPrefix);
  }

  void BuildActionIndex();

  // Checks the header and section table (kHeader), or every record too.
  enum class Verify : unsigned char { kHeader, kEveryRecord };
  void Load(Verify check);
  void Validate() const;
  // Validate()'s parts, one per section.
  void ValidateServices() const;
  void ValidateActions() const;
  void ValidateResourceTypes() const;
  void ValidateConditionKeys() const;
  void CheckString(fmt::Section s, std::size_t i, std::uint32_t f) const;
  void CheckList(fmt::Section s, std::size_t i, std::uint32_t f, fmt::Section target) const;
  void CheckLower(fmt::Section s, std::size_t i, std::uint32_t f, std::uint32_t lower_f) const;

  ResourceTypeInfo ResourceType(std::size_t r) const {
    namespace rt = fmt::resource_type;
    return ResourceTypeInfo{ServicePrefix(U(fmt::kResourceTypes, r, rt::kService)),
                            Str(fmt::kResourceTypes, r, rt::kName),
                            Str(fmt::kResourceTypes, r, rt::kArn),
                            KeyList(fmt::kResourceTypes, r, rt::kConditionKeys)};
  }
  ConditionKeyInfo ConditionKey(std::size_t k) const {
    namespace ck = fmt::condition_key;
    return ConditionKeyInfo{ServicePrefix(U(fmt::kConditionKeys, k, ck::kService)),
                            Str(fmt::kConditionKeys, k, ck::kKey),
                            Str(fmt::kConditionKeys, k, ck::kType)};
  }
  // Binary search of [first, last) in `s` for the record whose lower-case
  // string field `f` equals `query` (folded).
  std::optional<std::size_t> Find(fmt::Section s, std::uint32_t f, std::size_t first,
                                  std::size_t last, std::string_view query) const {
    while (first < last) {
      const std::size_t mid = first + (last - first) / 2;
      const int c = CompareFolded(Str(s, mid, f), query);
      if (c == 0) return mid;
      if (c < 0) {
        first = mid + 1;
      } else {
        last = mid;
      }
    }
    return std::nullopt;
  }
};

void Catalog::Impl::BuildActionIndex() {
  const std::size_t n = count[fmt::kActions];
  std::size_t slots = 16;
  while (slots < 2 * n) slots *= 2;
  action_index.assign(slots, 0);
  for (std::uint32_t id = 0; id < n; ++id) {
    const std::string_view service = Str(
        fmt::kServices, U(fmt::kActions, id, fmt::action::kService), fmt::service::kLowerPrefix);
    std::size_t slot = HashActionName(service, Str(fmt::kActions, id, fmt::action::kLowerName));
    for (slot &= slots - 1; action_index[slot] != 0; slot = (slot + 1) & (slots - 1)) {
    }
    action_index[slot] = id + 1;
  }
}

void Catalog::Impl::Load(Verify check) {
  const std::string_view b = blob;
  if (b.size() < fmt::kHeaderSize) throw BadBlob("truncated header");
  if (b.substr(0, fmt::kMagic.size()) != fmt::kMagic) throw BadBlob("bad magic number");
  const std::uint32_t version = fmt::LoadU32(b.data() + fmt::kHeaderVersion);
  if (version != fmt::kFormatVersion) {
    throw BadBlob("format version " + std::to_string(version) + ", expected " +
                  std::to_string(fmt::kFormatVersion) + " (rebuild the catalog)");
  }
  if (fmt::LoadU32(b.data() + fmt::kHeaderTotalSize) != b.size()) {
    throw BadBlob("size mismatch (truncated?)");
  }
  if (fmt::LoadU32(b.data() + fmt::kHeaderSectionCount) != fmt::kSectionCount) {
    throw BadBlob("wrong section count");
  }
  for (std::size_t i = fmt::kHeaderReserved; i < fmt::kHeaderSize; ++i) {
    if (b[i] != 0) throw BadBlob("reserved header bytes are not zero");
  }
  const std::size_t table = fmt::kHeaderSize;
  if (b.size() < table + fmt::kSectionCount * 8) throw BadBlob("truncated section table");
  // Sections follow each other in order, each 4-byte aligned, up to the end.
  std::uint64_t expected = table + fmt::kSectionCount * 8;
  for (std::uint32_t s = 0; s < fmt::kSectionCount; ++s) {
    const std::uint64_t offset = fmt::LoadU32(b.data() + table + s * 8);
    const std::uint64_t size = fmt::LoadU32(b.data() + table + s * 8 + 4);
    if (offset != expected || offset + size > b.size()) {
      throw BadBlob("section " + std::to_string(s) + " out of place");
    }
    expected = fmt::AlignUp(offset + size);
    const std::uint64_t record = 4ull * fmt::kFieldCount[s];
    if (record != 0 && size % record != 0) {
      throw BadBlob("section " + std::to_string(s) + " has a partial record");
    }
    base[s] = b.data() + offset;
    count[s] = static_cast<std::uint32_t>(record == 0 ? size : size / record);
  }
  if (expected != b.size()) throw BadBlob("trailing bytes after the last section");
  if (check == Verify::kEveryRecord) Validate();
}

namespace {
void Ensure(bool ok, const char* what) {
  if (!ok) throw BadBlob(what);
}
}  // namespace

void Catalog::Impl::CheckString(fmt::Section s, std::size_t i, std::uint32_t f) const {
  const std::uint64_t off = U(s, i, f), len = U(s, i, f + 1);
  Ensure(off + len <= count[fmt::kStrings], "string out of bounds");
}

void Catalog::Impl::CheckList(fmt::Section s, std::size_t i, std::uint32_t f,
                              fmt::Section target) const {
  const std::uint64_t first = U(s, i, f), n = U(s, i, f + 1);
  Ensure(first + n <= count[target], "list out of bounds");
}

void Catalog::Impl::CheckLower(fmt::Section s, std::size_t i, std::uint32_t f,
                               std::uint32_t lower_f) const {
  const std::string_view a = Str(s, i, f), l = Str(s, i, lower_f);
  Ensure(a.size() == l.size() && CompareFolded(l, a) == 0, "lower-case name mismatch");
}

// Checks every reference so that no accessor can read outside the blob, and
// the sort orders the binary searches rely on.
void Catalog::Impl::Validate() const {
  Ensure(count[fmt::kMeta] == 1, "missing metadata");
  for (std::uint32_t f : {fmt::meta::kPackage, fmt::meta::kVersion, fmt::meta::kDate}) {
    CheckString(fmt::kMeta, 0, f);
  }
  for (std::size_t k = 0; k < count[fmt::kKeyLists]; ++k) {
    Ensure(U(fmt::kKeyLists, k, 0) < count[fmt::kConditionKeys], "condition key out of bounds");
  }

  ValidateServices();
  ValidateActions();
  ValidateResourceTypes();
  ValidateConditionKeys();
}

// Services are sorted, and their action, resource type and condition key
// ranges tile those sections in order.
void Catalog::Impl::ValidateServices() const {
  namespace sv = fmt::service;
  std::uint32_t next_action = 0, next_rtype = 0, next_ckey = 0;
  for (std::size_t s = 0; s < count[fmt::kServices]; ++s) {
    for (std::uint32_t f : {sv::kPrefix, sv::kLowerPrefix, sv::kName})
      CheckString(fmt::kServices, s, f);
    CheckLower(fmt::kServices, s, sv::kPrefix, sv::kLowerPrefix);
    Ensure(!ServicePrefix(s).empty() && ServicePrefix(s).find(':') == std::string_view::npos,
           "bad service prefix");
    if (s > 0) {
      Ensure(fmt::CompareAsPrefix(Str(fmt::kServices, s - 1, sv::kLowerPrefix),
                                  Str(fmt::kServices, s, sv::kLowerPrefix)) < 0,
             "services out of order");
    }
    // Each service's ranges continue where the previous one's ended.
    Ensure(U(fmt::kServices, s, sv::kActionBegin) == next_action &&
               U(fmt::kServices, s, sv::kResourceTypeBegin) == next_rtype &&
               U(fmt::kServices, s, sv::kConditionKeyBegin) == next_ckey,
           "service ranges not contiguous");
    next_action = U(fmt::kServices, s, sv::kActionEnd);
    next_rtype = U(fmt::kServices, s, sv::kResourceTypeEnd);
    next_ckey = U(fmt::kServices, s, sv::kConditionKeyEnd);
    Ensure(next_action >= U(fmt::kServices, s, sv::kActionBegin) &&
               next_rtype >= U(fmt::kServices, s, sv::kResourceTypeBegin) &&
               next_ckey >= U(fmt::kServices, s, sv::kConditionKeyBegin) &&
               next_action <= count[fmt::kActions] && next_rtype <= count[fmt::kResourceTypes] &&
               next_ckey <= count[fmt::kConditionKeys],
           "service ranges out of bounds");
    // Records in the ranges name this service.
    for (std::uint32_t a = U(fmt::kServices, s, sv::kActionBegin); a < next_action; ++a) {
      Ensure(U(fmt::kActions, a, fmt::action::kService) == s, "action in the wrong service");
    }
    for (std::uint32_t r = U(fmt::kServices, s, sv::kResourceTypeBegin); r < next_rtype; ++r) {
      Ensure(U(fmt::kResourceTypes, r, fmt::resource_type::kService) == s,
             "resource type in the wrong service");
    }
    for (std::uint32_t k = U(fmt::kServices, s, sv::kConditionKeyBegin); k < next_ckey; ++k) {
      Ensure(U(fmt::kConditionKeys, k, fmt::condition_key::kService) == s,
             "condition key in the wrong service");
    }
  }
  Ensure(next_action == count[fmt::kActions] && next_rtype == count[fmt::kResourceTypes] &&
             next_ckey == count[fmt::kConditionKeys],
         "records outside every service");
}

void Catalog::Impl::ValidateActions() const {
  namespace ac = fmt::action;
  std::uint64_t next_resource = 0;  // resource lists are consecutive, in action order
  for (std::size_t a = 0; a < count[fmt::kActions]; ++a) {
    Ensure(U(fmt::kActions, a, ac::kResources) == next_resource, "resource lists out of order");
    next_resource += U(fmt::kActions, a, ac::kResources + 1);
    CheckString(fmt::kActions, a, ac::kName);
    CheckString(fmt::kActions, a, ac::kLowerName);
    CheckLower(fmt::kActions, a, ac::kName, ac::kLowerName);
    Ensure(U(fmt::kActions, a, ac::kAccess) < 32, "bad access level");
    CheckList(fmt::kActions, a, ac::kResources, fmt::kActionResources);
    CheckList(fmt::kActions, a, ac::kConditionKeys, fmt::kKeyLists);
    if (a > 0 && U(fmt::kActions, a - 1, ac::kService) == U(fmt::kActions, a, ac::kService)) {
      Ensure(Str(fmt::kActions, a - 1, ac::kLowerName) < Str(fmt::kActions, a, ac::kLowerName),
             "actions out of order");
    }
  }
  Ensure(next_resource == count[fmt::kActionResources], "unreferenced action resources");
  namespace ar = fmt::action_resource;
  for (std::size_t r = 0; r < count[fmt::kActionResources]; ++r) {
    Ensure(U(fmt::kActionResources, r, ar::kResourceType) < count[fmt::kResourceTypes],
           "resource type out of bounds");
    CheckList(fmt::kActionResources, r, ar::kConditionKeys, fmt::kKeyLists);
  }
}

void Catalog::Impl::ValidateResourceTypes() const {
  namespace rt = fmt::resource_type;
  for (std::size_t r = 0; r < count[fmt::kResourceTypes]; ++r) {
    for (std::uint32_t f : {rt::kName, rt::kLowerName, rt::kArn})
      CheckString(fmt::kResourceTypes, r, f);
    CheckLower(fmt::kResourceTypes, r, rt::kName, rt::kLowerName);
    CheckList(fmt::kResourceTypes, r, rt::kConditionKeys, fmt::kKeyLists);
    if (r > 0 &&
        U(fmt::kResourceTypes, r - 1, rt::kService) == U(fmt::kResourceTypes, r, rt::kService)) {
      Ensure(Str(fmt::kResourceTypes, r - 1, rt::kLowerName) <
                 Str(fmt::kResourceTypes, r, rt::kLowerName),
             "resource types out of order");
    }
  }
}

void Catalog::Impl::ValidateConditionKeys() const {
  namespace ck = fmt::condition_key;
  for (std::size_t k = 0; k < count[fmt::kConditionKeys]; ++k) {
    for (std::uint32_t f : {ck::kKey, ck::kLowerKey, ck::kType})
      CheckString(fmt::kConditionKeys, k, f);
    CheckLower(fmt::kConditionKeys, k, ck::kKey, ck::kLowerKey);
    if (k > 0 &&
        U(fmt::kConditionKeys, k - 1, ck::kService) == U(fmt::kConditionKeys, k, ck::kService)) {
      Ensure(Str(fmt::kConditionKeys, k - 1, ck::kLowerKey) <
                 Str(fmt::kConditionKeys, k, ck::kLowerKey),
             "condition keys out of order");
    }
  }
  Ensure(count[fmt::kConditionKeyOrder] == count[fmt::kConditionKeys],
         "condition key index has the wrong size");
  for (std::size_t i = 0; i < count[fmt::kConditionKeyOrder]; ++i) {
    const std::uint32_t k = U(fmt::kConditionKeyOrder, i, 0);
    Ensure(k < count[fmt::kConditionKeys], "condition key index out of bounds");
    if (i > 0) {
      const std::uint32_t prev = U(fmt::kConditionKeyOrder, i - 1, 0);
      const std::string_view a = Str(fmt::kConditionKeys, prev, ck::kLowerKey);
      const std::string_view b = Str(fmt::kConditionKeys, k, ck::kLowerKey);
      Ensure(a < b || (a == b && prev < k), "condition key index out of order");
    }
  }
}

// ---------------------------------------------------------------------------

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::Catalog(Catalog&&) noexcept = default;
Catalog& Catalog::operator=(Catalog&&) noexcept = default;
Catalog::~Catalog() = default;

Catalog Catalog::FromBlob(std::string_view blob, Bytes bytes) {
  auto impl = std::make_unique<Impl>();
  if (bytes == Bytes::kCopy) {
    impl->owned.assign(blob.data(), blob.size());
    impl->blob = impl->owned;
  } else {
    impl->blob = blob;
  }
  impl->Load(Impl::Verify::kEveryRecord);
  return Catalog(std::move(impl));
}

Catalog Catalog::FromTrustedBlob(std::string_view blob) {
  auto impl = std::make_unique<Impl>();
  impl->blob = blob;
  impl->Load(Impl::Verify::kHeader);
  return Catalog(std::move(impl));
}

Catalog Catalog::FromDataDir(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->owned = CompileDataDir(dir);
  impl->blob = impl->owned;
  impl->Load(Impl::Verify::kEveryRecord);
  return Catalog(std::move(impl));
}

std::string_view Catalog::blob() const { return impl_->blob; }

CatalogInfo Catalog::info() const {
  namespace m = fmt::meta;
  CatalogInfo info;
  info.package_name = std::string(impl_->Str(fmt::kMeta, 0, m::kPackage));
  info.package_version = std::string(impl_->Str(fmt::kMeta, 0, m::kVersion));
  info.data_date = std::string(impl_->Str(fmt::kMeta, 0, m::kDate));
  info.services = service_count();
  info.actions = action_count();
  info.resource_types = resource_type_count();
  info.condition_keys = condition_key_count();
  return info;
}

std::size_t Catalog::service_count() const { return impl_->count[fmt::kServices]; }
std::size_t Catalog::action_count() const { return impl_->count[fmt::kActions]; }
std::size_t Catalog::resource_type_count() const { return impl_->count[fmt::kResourceTypes]; }
std::size_t Catalog::condition_key_count() const { return impl_->count[fmt::kConditionKeys]; }

ServiceInfo Catalog::service(std::size_t index) const {
  if (index >= service_count()) throw std::out_of_range("Catalog::service: bad index");
  return ServiceInfo{impl_->ServicePrefix(index),
                     impl_->Str(fmt::kServices, index, fmt::service::kName)};
}

std::string_view Catalog::service_lower_prefix(std::size_t index) const {
  return impl_->Str(fmt::kServices, index, fmt::service::kLowerPrefix);
}

ActionInfo Catalog::action(ActionId id) const {
  if (id >= action_count()) throw std::out_of_range("Catalog::action: bad id");
  namespace ac = fmt::action;
  namespace ar = fmt::action_resource;
  const Impl& m = *impl_;
  ActionInfo info;
  info.service = action_service(id);
  info.name = action_name(id);
  info.access = action_access(id);
  const std::uint32_t first = m.U(fmt::kActions, id, ac::kResources);
  const std::uint32_t n = m.U(fmt::kActions, id, ac::kResources + 1);
  info.resource_types.reserve(n);
  for (std::uint32_t r = first; r < first + n; ++r) {
    const std::uint32_t type = m.U(fmt::kActionResources, r, ar::kResourceType);
    info.resource_types.push_back(
        ActionResource{m.Str(fmt::kResourceTypes, type, fmt::resource_type::kName),
                       m.Str(fmt::kResourceTypes, type, fmt::resource_type::kArn),
                       m.U(fmt::kActionResources, r, ar::kRequired) != 0,
                       m.KeyList(fmt::kActionResources, r, ar::kConditionKeys)});
  }
  info.condition_keys = m.KeyList(fmt::kActions, id, ac::kConditionKeys);
  return info;
}

std::size_t Catalog::action_resource_count(ActionId id) const {
  return impl_->U(fmt::kActions, id, fmt::action::kResources + 1);
}

ActionResource Catalog::action_resource(ActionId id, std::size_t i) const {
  namespace ar = fmt::action_resource;
  const Impl& m = *impl_;
  const std::size_t r = m.U(fmt::kActions, id, fmt::action::kResources) + i;
  const std::uint32_t type = m.U(fmt::kActionResources, r, ar::kResourceType);
  return ActionResource{m.Str(fmt::kResourceTypes, type, fmt::resource_type::kName),
                        m.Str(fmt::kResourceTypes, type, fmt::resource_type::kArn),
                        m.U(fmt::kActionResources, r, ar::kRequired) != 0,
                        {}};
}

std::string_view Catalog::action_name(ActionId id) const {
  return impl_->Str(fmt::kActions, id, fmt::action::kName);
}
std::string_view Catalog::action_lower_name(ActionId id) const {
  return impl_->Str(fmt::kActions, id, fmt::action::kLowerName);
}
std::size_t Catalog::action_service_index(ActionId id) const {
  return impl_->U(fmt::kActions, id, fmt::action::kService);
}
std::string_view Catalog::action_service(ActionId id) const {
  return impl_->ServicePrefix(action_service_index(id));
}
AccessLevels Catalog::action_access(ActionId id) const {
  return static_cast<AccessLevels>(impl_->U(fmt::kActions, id, fmt::action::kAccess));
}

std::optional<std::size_t> Catalog::FindServiceIndex(std::string_view prefix) const {
  if (prefix.empty() || prefix.find(':') != std::string_view::npos) return std::nullopt;
  // Fold into a small buffer: prefixes are short, and CompareAsPrefix needs
  // both sides lower-case.
  std::array<char, 128> buf;
  if (prefix.size() > buf.size()) return std::nullopt;
  for (std::size_t i = 0; i < prefix.size(); ++i) buf[i] = ascii::Lower(prefix[i]);
  const std::string_view lower(buf.data(), prefix.size());
  std::size_t first = 0, last = service_count();
  while (first < last) {
    const std::size_t mid = first + (last - first) / 2;
    const int c = fmt::CompareAsPrefix(service_lower_prefix(mid), lower);
    if (c == 0) return mid;
    if (c < 0) {
      first = mid + 1;
    } else {
      last = mid;
    }
  }
  return std::nullopt;
}

std::optional<ServiceInfo> Catalog::FindService(std::string_view prefix) const {
  const std::optional<std::size_t> s = FindServiceIndex(prefix);
  if (!s) return std::nullopt;
  return service(*s);
}

std::pair<ActionId, ActionId> Catalog::ServiceActionsAt(std::size_t s) const {
  return {impl_->U(fmt::kServices, s, fmt::service::kActionBegin),
          impl_->U(fmt::kServices, s, fmt::service::kActionEnd)};
}

std::pair<ActionId, ActionId> Catalog::ServiceActions(std::string_view service) const {
  const std::optional<std::size_t> s = FindServiceIndex(service);
  if (!s) return {0, 0};
  return ServiceActionsAt(*s);
}

std::optional<ActionId> Catalog::FindAction(std::string_view service, std::string_view name) const {
  Impl& m = *impl_;
  if (!m.action_index_ready.load(std::memory_order_acquire)) {
    if (m.lookups.fetch_add(1, std::memory_order_relaxed) < Impl::kIndexAfterLookups) {
      const std::optional<std::size_t> s = FindServiceIndex(service);
      if (!s) return std::nullopt;
      const auto [first, last] = ServiceActionsAt(*s);
      const std::optional<std::size_t> a =
          m.Find(fmt::kActions, fmt::action::kLowerName, first, last, name);
      if (!a) return std::nullopt;
      return static_cast<ActionId>(*a);
    }
    std::call_once(m.action_index_built, [&m] {
      m.BuildActionIndex();
      m.action_index_ready.store(true, std::memory_order_release);
    });
  }
  const std::size_t mask = m.action_index.size() - 1;
  for (std::size_t slot = HashActionName(service, name) & mask; m.action_index[slot] != 0;
       slot = (slot + 1) & mask) {
    const ActionId id = m.action_index[slot] - 1;
    if (EqualsFolded(action_lower_name(id), name) &&
        EqualsFolded(service_lower_prefix(action_service_index(id)), service)) {
      return id;
    }
  }
  return std::nullopt;
}

std::optional<ActionId> Catalog::FindAction(std::string_view full_name) const {
  const std::size_t colon = full_name.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return FindAction(full_name.substr(0, colon), full_name.substr(colon + 1));
}

std::optional<ResourceTypeInfo> Catalog::FindResourceType(std::string_view service,
                                                          std::string_view name) const {
  const std::optional<std::size_t> s = FindServiceIndex(service);
  if (!s) return std::nullopt;
  namespace sv = fmt::service;
  const std::optional<std::size_t> r =
      impl_->Find(fmt::kResourceTypes, fmt::resource_type::kLowerName,
                  impl_->U(fmt::kServices, *s, sv::kResourceTypeBegin),
                  impl_->U(fmt::kServices, *s, sv::kResourceTypeEnd), name);
  if (!r) return std::nullopt;
  return impl_->ResourceType(*r);
}

std::vector<ResourceTypeInfo> Catalog::ResourceTypes(std::string_view service) const {
  std::vector<ResourceTypeInfo> out;
  const std::optional<std::size_t> s = FindServiceIndex(service);
  if (!s) return out;
  namespace sv = fmt::service;
  const std::uint32_t first = impl_->U(fmt::kServices, *s, sv::kResourceTypeBegin);
  const std::uint32_t last = impl_->U(fmt::kServices, *s, sv::kResourceTypeEnd);
  out.reserve(last - first);
  for (std::uint32_t r = first; r < last; ++r) out.push_back(impl_->ResourceType(r));
  return out;
}

std::optional<ConditionKeyInfo> Catalog::FindConditionKey(std::string_view key) const {
  namespace ck = fmt::condition_key;
  Impl& m = *impl_;  // lists its templates on first use
  const std::size_t colon = key.find(':');
  const std::string_view prefix = key.substr(0, colon == std::string_view::npos ? 0 : colon);
  const auto key_at = [&](std::size_t i) {
    return m.Str(fmt::kConditionKeys, m.U(fmt::kConditionKeyOrder, i, 0), ck::kLowerKey);
  };
  // Exact match: the run of equal keys in the index, preferring the service
  // the key's prefix names.
  std::size_t first = 0, last = m.count[fmt::kConditionKeyOrder];
  while (first < last) {
    const std::size_t mid = first + (last - first) / 2;
    if (CompareFolded(key_at(mid), key) < 0) {
      first = mid + 1;
    } else {
      last = mid;
    }
  }
  std::optional<std::size_t> found;
  for (std::size_t i = first;
       i < m.count[fmt::kConditionKeyOrder] && CompareFolded(key_at(i), key) == 0; ++i) {
    const std::uint32_t k = m.U(fmt::kConditionKeyOrder, i, 0);
    if (!found) found = k;
    if (EqualsIgnoreCase(m.ServicePrefix(m.U(fmt::kConditionKeys, k, ck::kService)), prefix)) {
      found = k;
      break;
    }
  }
  if (found) return m.ConditionKey(*found);
  // Templates, in key order. One that starts with a literal byte matches
  // only keys that start with it.
  std::call_once(m.key_templates_listed, [&m] {
    for (std::size_t i = 0; i < m.count[fmt::kConditionKeyOrder]; ++i) {
      const std::uint32_t k = m.U(fmt::kConditionKeyOrder, i, 0);
      if (m.U(fmt::kConditionKeys, k, ck::kFlags) & ck::kFlagTemplate) m.key_templates.push_back(k);
    }
  });
  const char first_byte = key.empty() ? '\0' : ascii::Lower(key[0]);
  for (const std::uint32_t k : m.key_templates) {
    const std::string_view tmpl = m.Str(fmt::kConditionKeys, k, ck::kLowerKey);
    if (tmpl.empty() || (tmpl[0] != '$' && tmpl[0] != first_byte)) continue;
    if (!MatchesKeyTemplate(tmpl, key)) continue;
    if (!found) found = k;
    if (EqualsIgnoreCase(m.ServicePrefix(m.U(fmt::kConditionKeys, k, ck::kService)), prefix)) {
      found = k;
      break;
    }
  }
  if (found) return m.ConditionKey(*found);
  return std::nullopt;
}

}  // namespace iam_audit
