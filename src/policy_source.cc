#include "iam_audit/policy_source.h"

#include <algorithm>
#include <array>
#include <utility>

#include "iam_audit/resource_policy.h"
#include "policy_source_internal.h"
#include "template_suppressions.h"
#include "yaml_json.h"

namespace iam_audit {
namespace policy_source {
namespace {

constexpr std::string_view kUnresolvedOpen = "{unresolved.";

bool StartsWithArn(std::string_view s) {
  return s.size() >= 4 && (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 'r' && (s[2] | 0x20) == 'n' &&
         s[3] == ':';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The number of UTF-8 bytes json::Parse writes for the escape at `p` (which
// follows a backslash), and the number of source bytes it spans (backslash
// included). 0 when malformed.
std::pair<int, int> EscapeSize(std::string_view rest) {
  if (rest.empty()) return {0, 0};
  if (rest[0] != 'u') return {1, 2};
  const auto hex4 = [](std::string_view s, std::size_t at) -> int {
    if (s.size() < at + 4) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const int d = HexDigit(s[i]);
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  const int cp = hex4(rest, 1);
  if (cp < 0) return {0, 0};
  if (cp < 0x80) return {1, 6};
  if (cp < 0x800) return {2, 6};
  if (cp >= 0xD800 && cp <= 0xDBFF && rest.size() >= 11 && rest[5] == '\\' && rest[6] == 'u') {
    const int low = hex4(rest, 7);
    if (low >= 0xDC00 && low <= 0xDFFF) return {4, 12};
  }
  return {3, 6};
}

// A JSON value rebuilt in `out` with each location mapped through `map`.
template <typename Map>
json::Value Relocate(const json::Value& v, json::Document& out, const Map& map) {
  const SourceLocation where = map(v.where());
  switch (v.type()) {
    case json::Type::kNull:
      return out.MakeNull(where);
    case json::Type::kBool:
      return out.MakeBool(v.AsBool(), where);
    case json::Type::kNumber:
      return out.MakeNumber(v.NumberText(), where);
    case json::Type::kString:
      return out.MakeString(v.AsString(), where);
    case json::Type::kArray: {
      std::vector<json::Value> elements;
      elements.reserve(v.size());
      for (const json::Value& e : v.Elements()) elements.push_back(Relocate(e, out, map));
      return out.MakeArray(elements, where);
    }
    case json::Type::kObject: {
      std::vector<json::Member> members;
      members.reserve(v.size());
      for (const json::Member& m : v.Members()) {
        members.push_back(
            {out.MakeString(m.name(), map(m.key.where())), Relocate(m.value, out, map)});
      }
      return out.MakeObject(members, where);
    }
  }
  return out.MakeNull(where);
}

// One Resource / NotResource value with unresolved entries made ARN-shaped.
json::Value FixResourceValue(const json::Value& v, json::Document& out, bool* changed) {
  const auto needs_fix = [](const json::Value& s) {
    const std::string_view text = s.AsString();
    return s.is_string() && text != "*" && !StartsWithArn(text) && ContainsUnresolved(text);
  };
  const auto fix = [&](const json::Value& s) {
    if (!needs_fix(s)) return s;
    *changed = true;
    return out.MakeString("arn:" + std::string(s.AsString()), s.where());
  };
  if (v.is_string()) return fix(v);
  if (!v.is_array() || std::none_of(v.Elements().begin(), v.Elements().end(), needs_fix)) return v;
  std::vector<json::Value> elements;
  elements.reserve(v.size());
  for (const json::Value& e : v.Elements()) elements.push_back(fix(e));
  return out.MakeArray(elements, v.where());
}

json::Value FixStatement(const json::Value& s, json::Document& out, bool* any_changed) {
  if (!s.is_object()) return s;
  bool changed = false;
  std::vector<json::Member> members(s.Members().begin(), s.Members().end());
  for (json::Member& m : members) {
    if (m.name() == "Resource" || m.name() == "NotResource") {
      m.value = FixResourceValue(m.value, out, &changed);
    }
  }
  if (!changed) return s;
  *any_changed = true;
  return out.MakeObject(members, s.where());
}

}  // namespace

// --- LineIndex, TextOrigin ------------------------------------------------------------

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") bom_ = 3;
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

std::optional<std::size_t> LineIndex::Offset(SourceLocation where) const {
  if (where.line < 1 || where.column < 1 || static_cast<std::size_t>(where.line) > starts_.size()) {
    return std::nullopt;
  }
  std::size_t offset = starts_[static_cast<std::size_t>(where.line - 1)] +
                       static_cast<std::size_t>(where.column - 1);
  if (where.line == 1) offset += bom_;
  if (offset >= size_) return std::nullopt;
  return offset;
}

SourceLocation LineIndex::Location(std::size_t offset) const {
  offset = std::min(offset, size_);
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - starts_.begin());  // >= 1
  std::size_t column = offset - starts_[line - 1] + 1;
  if (line == 1 && column > bom_) column -= bom_;
  return {static_cast<int>(line), static_cast<int>(column)};
}

SourceLocation TextOrigin::At(std::size_t offset) const {
  if (columns.empty()) return fixed;
  return {line, columns[std::min(offset, columns.size() - 1)]};
}

TextOrigin StringOrigin(const json::Value& value, std::string_view file_text,
                        const LineIndex& lines) {
  TextOrigin origin;
  origin.fixed = value.where();
  const std::optional<std::size_t> start = lines.Offset(value.where());
  if (!value.is_string() || !start || file_text[*start] != '"') return origin;
  const std::size_t decoded_size = value.AsString().size();
  std::vector<int> columns;
  columns.reserve(decoded_size + 1);
  int column = value.where().column + 1;
  std::size_t i = *start + 1;
  while (i < file_text.size() && file_text[i] != '"') {
    const char c = file_text[i];
    if (c == '\n' || c == '\r') return origin;
    int decoded = 1, span = 1;
    if (c == '\\') {
      std::tie(decoded, span) = EscapeSize(file_text.substr(i + 1));
      if (span == 0) return origin;
    }
    columns.insert(columns.end(), static_cast<std::size_t>(decoded), column);
    column += span;
    i += static_cast<std::size_t>(span);
  }
  if (i >= file_text.size() || columns.size() != decoded_size) return origin;
  columns.push_back(column);  // the closing quote
  origin.line = value.where().line;
  origin.columns = std::move(columns);
  return origin;
}

std::optional<std::string> UrlDecode(std::string_view text, const TextOrigin& origin,
                                     TextOrigin* decoded_origin) {
  std::string out;
  out.reserve(text.size());
  TextOrigin mapped;
  mapped.fixed = origin.fixed;
  mapped.line = origin.line;
  const bool exact = !origin.columns.empty();
  for (std::size_t i = 0; i < text.size();) {
    if (exact) mapped.columns.push_back(origin.At(i).column);
    if (text[i] != '%') {
      out += text[i++];
      continue;
    }
    if (i + 2 >= text.size() || HexDigit(text[i + 1]) < 0 || HexDigit(text[i + 2]) < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
    i += 3;
  }
  if (exact) mapped.columns.push_back(origin.At(text.size()).column);
  if (decoded_origin) *decoded_origin = std::move(mapped);
  return out;
}

json::Value FixUnresolvedResources(const json::Value& doc, json::Document& out) {
  const json::Value* statement = doc.Find("Statement");
  if (!doc.is_object() || statement == nullptr) return doc;
  json::Value fixed;
  bool changed = false;
  if (statement->is_array()) {
    std::vector<json::Value> statements;
    statements.reserve(statement->size());
    for (const json::Value& s : statement->Elements()) {
      statements.push_back(FixStatement(s, out, &changed));
    }
    if (changed) fixed = out.MakeArray(statements, statement->where());
  } else {
    fixed = FixStatement(*statement, out, &changed);
  }
  if (!changed) return doc;
  std::vector<json::Member> members(doc.Members().begin(), doc.Members().end());
  for (json::Member& m : members) {
    if (m.name() == "Statement") {
      m.value = fixed;
      break;  // the first one is the one PolicyFromJson reads
    }
  }
  return out.MakeObject(members, doc.where());
}

void AppendCanonical(const json::Value& v, std::string& out) {
  const auto str = [&](std::string_view s) {
    out += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  };
  switch (v.type()) {
    case json::Type::kString:
      str(v.AsString());
      break;
    case json::Type::kArray:
      out += '[';
      for (const json::Value& e : v.Elements()) {
        AppendCanonical(e, out);
        out += ',';
      }
      out += ']';
      break;
    case json::Type::kObject:
      out += '{';
      for (const json::Member& m : v.Members()) {
        str(m.name());
        out += ':';
        AppendCanonical(m.value, out);
        out += ',';
      }
      out += '}';
      break;
    default:
      out += v.ScalarText();
  }
}

const json::Value* Member(const json::Value& object, std::string_view key) {
  return object.Find(key);
}

std::string_view StringMember(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  return v ? v->AsString() : std::string_view();
}

// --- Collector ------------------------------------------------------------------------

Collector::Collector(const SourceFile& file, PolicySourceResult& result)
    : file_(file), result_(result) {}

const LineIndex& Collector::lines() const {
  if (!lines_) lines_.emplace(file_.text);
  return *lines_;
}

const json::Document& Collector::Keep(json::Document document) {
  kept_.push_back(std::move(document));
  return kept_.back();
}

void Collector::Error(SourceLocation where, std::string message) {
  result_.errors.push_back({file_.name, where, std::move(message)});
}

void Collector::Warning(SourceLocation where, std::string message) {
  result_.warnings.push_back({file_.name, where, std::move(message)});
}

void Collector::Note(SourceLocation where, std::string message) {
  if (!notes_seen_.emplace(where.line, where.column, message).second) return;
  result_.notes.push_back({file_.name, where, std::move(message)});
}

std::optional<json::Value> Collector::ParseEmbedded(const json::Value& value, bool exact,
                                                    std::string_view what) {
  if (!value.is_string()) {
    Error(value.where(), std::string(what) +
                             " must be a JSON object or a string holding one, found " +
                             std::string(json::TypeName(value.type())));
    return std::nullopt;
  }
  TextOrigin origin;
  origin.fixed = value.where();
  if (exact) origin = StringOrigin(value, file_.text, lines());
  std::string_view text = value.AsString();
  std::string decoded;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] != '{' && text.find('%') != text.npos) {
    TextOrigin decoded_origin;
    std::optional<std::string> d = UrlDecode(text, origin, &decoded_origin);
    if (!d) {
      Error(value.where(), std::string(what) +
                               " is neither JSON nor URL-encoded JSON (a '%' is "
                               "not followed by two hexadecimal digits)");
      return std::nullopt;
    }
    decoded = std::move(*d);
    text = decoded;
    origin = std::move(decoded_origin);
  }
  json::ParseResult parsed = json::Parse(text, file_.name);
  const LineIndex inner(text);
  const auto map = [&](SourceLocation w) {
    const std::optional<std::size_t> offset = inner.Offset(w);
    return origin.At(offset.value_or(w.line == 0 ? 0 : text.size()));
  };
  for (Diagnostic& e : parsed.errors) {
    Error(map(e.where), "in " + std::string(what) + ": " + e.message);
  }
  if (!parsed.complete) return std::nullopt;
  return Relocate(parsed.value(), doc_, map);
}

int Collector::AddPolicy(std::string name, const json::Value& document, SourceLocation where) {
  const json::Value fixed = FixUnresolvedResources(document, doc_);
  PolicyParseResult parsed = PolicyFromJson(fixed, file_.name);
  for (Diagnostic& e : parsed.errors) result_.errors.push_back(std::move(e));
  for (Diagnostic& w : parsed.warnings) result_.warnings.push_back(std::move(w));
  std::shared_ptr<const Policy> policy;
  if (parsed.policy) policy = std::make_shared<const Policy>(std::move(*parsed.policy));
  policies_.push_back(
      {std::move(name), std::move(policy), where.line > 0 ? where : document.where()});
  return static_cast<int>(policies_.size() - 1);
}

void Collector::AddResourcePolicy(std::string name, std::string arn, const json::Value& document,
                                  PolicyResourceKind kind) {
  PolicyParseResult parsed = PolicyFromJson(document, file_.name);
  for (Diagnostic& e : parsed.errors) result_.errors.push_back(std::move(e));
  for (Diagnostic& w : parsed.warnings) result_.warnings.push_back(std::move(w));
  if (!parsed.policy) return;
  auto& list = arn.empty() ? result_.unattached_resource_policies : result_.resource_policies;
  list.push_back({std::move(name), {std::move(arn), "", std::move(*parsed.policy)}, kind});
}

void Collector::AddEndpointPolicy(std::string name, std::string_view service_name,
                                  const json::Value& document) {
  PolicyParseResult parsed = PolicyFromJson(document, file_.name);
  for (Diagnostic& e : parsed.errors) result_.errors.push_back(std::move(e));
  for (Diagnostic& w : parsed.warnings) result_.warnings.push_back(std::move(w));
  if (!parsed.policy) return;
  for (Diagnostic& e : EndpointPolicyProblems(*parsed.policy))
    result_.errors.push_back(std::move(e));
  result_.vpc_endpoints.push_back(
      {std::move(name), {EndpointServicePrefix(service_name), std::move(*parsed.policy)}});
}

void Collector::AddPrincipal(Principal principal) {
  std::vector<int> unique;
  for (int id : principal.identity) {
    if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
  }
  principal.identity = std::move(unique);
  for (int id : principal.identity) policies_[static_cast<std::size_t>(id)].identity_use = true;
  if (principal.boundary >= 0) {
    policies_[static_cast<std::size_t>(principal.boundary)].boundary_use = true;
  }
  principals_.push_back(std::move(principal));
}

void Collector::Finish(bool standalone) {
  std::vector<Principal> subjects = std::move(principals_);
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    const Entry& e = policies_[i];
    if (e.identity_use || e.boundary_use) continue;
    if (standalone) {
      subjects.push_back({e.name, "", e.where, {static_cast<int>(i)}, -1, true});
    }
  }
  std::stable_sort(subjects.begin(), subjects.end(), [](const Principal& a, const Principal& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  std::shared_ptr<std::vector<ResourcePolicy>> resource_policies;
  std::shared_ptr<const ResourcePolicyIndex> resource_index;
  if (!result_.resource_policies.empty()) {
    resource_policies = std::make_shared<std::vector<ResourcePolicy>>();
    for (const NamedResourcePolicy& r : result_.resource_policies) {
      resource_policies->push_back(r.policy);
    }
    resource_index = std::make_shared<const ResourcePolicyIndex>(*resource_policies);
  }
  std::shared_ptr<std::vector<EndpointPolicy>> vpc_endpoints;
  if (!result_.vpc_endpoints.empty()) {
    vpc_endpoints = std::make_shared<std::vector<EndpointPolicy>>();
    for (const NamedEndpointPolicy& e : result_.vpc_endpoints) vpc_endpoints->push_back(e.policy);
  }
  for (const Principal& p : subjects) {
    AuditSubject s;
    s.name = p.name;
    s.arn = p.arn;
    s.where = p.where;
    s.complete = p.complete;
    for (int id : p.identity) {
      const Entry& e = policies_[static_cast<std::size_t>(id)];
      if (!e.policy) {
        s.complete = false;
        continue;
      }
      s.policies.identity.push_back(e.policy);
      s.identity_names.push_back(e.name);
    }
    if (p.boundary >= 0) {
      const Entry& e = policies_[static_cast<std::size_t>(p.boundary)];
      if (e.policy) {
        s.policies.boundary = e.policy;
        s.boundary_name = e.name;
      } else {
        s.complete = false;
      }
    }
    s.policies.principal = p.arn;
    s.policies.resource_policies = resource_policies;
    s.policies.resource_index = resource_index;
    s.policies.vpc_endpoints = vpc_endpoints;
    result_.subjects.push_back(std::move(s));
  }
  std::stable_sort(policies_.begin(), policies_.end(), [](const Entry& a, const Entry& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  for (Entry& e : policies_) {
    if (!e.policy) continue;
    const PolicyKind kind =
        e.boundary_use && !e.identity_use ? PolicyKind::kBoundary : PolicyKind::kIdentity;
    result_.policies.push_back({std::move(e.name), kind, e.policy});
  }
  SortByLocation(result_.errors);
  SortByLocation(result_.warnings);
  SortByLocation(result_.notes);
}

namespace {

std::string_view FirstNonSpace(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::size_t i = text.find_first_not_of(" \t\r\n");
  return i == std::string_view::npos ? std::string_view() : text.substr(i, 1);
}

// The document of `file` as located JSON, kept alive by `c`: JSON, or YAML
// when it is not JSON and the format may be YAML. nullopt when `result` is
// final: broken JSON or YAML reported in it (in the format it names), or a
// file in no format when options.allow_unrecognized. Throws InputError for a
// file in no format otherwise.
std::optional<json::Value> ReadDocument(const SourceFile& file, const PolicySourceOptions& options,
                                        Collector& c, PolicySourceResult& result) {
  // JSON first: every format may be JSON. YAML only for what is not JSON.
  json::ParseResult parsed = json::Parse(file.text, file.name);
  const bool looks_json = FirstNonSpace(file.text) == "{" || FirstNonSpace(file.text) == "[";
  if (parsed.complete) {
    for (Diagnostic& e : parsed.errors) result.errors.push_back(std::move(e));
    return c.Keep(std::move(parsed.document)).root();
  }
  if (!looks_json && options.format != InputFormat::kAuto && !FormatOf(options.format).yaml()) {
    // A format only JSON holds forced on a file that is not JSON: say what
    // the file is rather than where its JSON breaks.
    Diagnostics yaml_errors;
    const std::optional<json::Document> yaml = YamlToJson(file.text, file.name, &yaml_errors);
    const FormatRow* detected = yaml ? Detect(yaml->root()) : nullptr;
    if (detected != nullptr) {
      NotThatFormat(file, options.format,
                    "it is YAML, not JSON: it looks like " + std::string(detected->description) +
                        "; leave out --input-format to read it as that");
    }
    if (yaml && yaml->root().is_object())
      NotThatFormat(file, options.format, "it is YAML, not JSON");
  }
  if (looks_json || (options.format != InputFormat::kAuto && !FormatOf(options.format).yaml())) {
    // Broken JSON: say what is wrong with it rather than guess a format.
    result.format = options.format == InputFormat::kAuto ? InputFormat::kPolicy : options.format;
    result.errors = std::move(parsed.errors);
    return std::nullopt;
  }
  Diagnostics yaml_errors;
  std::optional<json::Document> yaml = YamlToJson(file.text, file.name, &yaml_errors);
  if (yaml) return c.Keep(std::move(*yaml)).root();
  // Broken YAML that names what it was meant to be: report its errors.
  InputFormat meant = options.format;
  if (meant == InputFormat::kAuto) {
    if (const FormatRow* row = MeantInBrokenYaml(file.text)) meant = row->format;
  }
  if (meant != InputFormat::kAuto) {
    result.format = meant;
    result.errors = std::move(yaml_errors);
    return std::nullopt;
  }
  if (options.allow_unrecognized) return std::nullopt;
  Unrecognized(file, yaml_errors.empty() ? SourceLocation{1, 1} : yaml_errors[0].where,
               "it is neither JSON nor YAML: " +
                   (yaml_errors.empty() ? std::string() : yaml_errors[0].message));
}

// The format of `root`: forced, or detected. nullptr for a file in no format
// when options.allow_unrecognized; throws InputError otherwise, or when
// `root` is not the forced format.
const FormatRow* FormatFor(const json::Value& root, const SourceFile& file,
                           const PolicySourceOptions& options) {
  if (options.format != InputFormat::kAuto) {
    const FormatRow& forced = FormatOf(options.format);
    if (!forced.fits(root)) {
      const FormatRow* detected = Detect(root);
      NotThatFormat(file, forced.format,
                    detected == nullptr ? std::string("its top-level keys do not match")
                                        : "it looks like " + std::string(detected->description));
    }
    return &forced;
  }
  const FormatRow* detected = Detect(root);
  if (detected != nullptr || options.allow_unrecognized) return detected;
  const bool empty = FirstNonSpace(file.text).empty();
  Unrecognized(file, empty ? SourceLocation{1, 1} : root.where(),
               empty              ? "it is empty"
               : root.is_object() ? "its top-level keys match none of these"
                                  : "it is not a JSON or YAML object");
}

}  // namespace
}  // namespace policy_source

// --- public API -----------------------------------------------------------------------

PolicySet SubjectPolicies::ToPolicySet() const {
  PolicySet set;
  set.identity.reserve(identity.size());
  for (const std::shared_ptr<const Policy>& p : identity) set.identity.push_back(*p);
  if (boundary) set.boundary = *boundary;
  set.principal = principal;
  if (resource_policies) set.resource_policies = *resource_policies;
  if (vpc_endpoints) set.vpc_endpoints = *vpc_endpoints;
  return set;
}

std::string UnresolvedValue(std::string_view what) {
  std::string out(policy_source::kUnresolvedOpen);
  what = what.substr(0, 200);
  for (std::size_t i = 0; i < what.size(); ++i) {
    const char c = what[i];
    if (c == ':') {
      if (out.back() != '.') out += '.';
    } else if (c <= ' ' || c > '~' || c == '*' || c == '?' || c == '$' || c == '{' || c == '}') {
      out += '_';
    } else {
      out += c;
    }
  }
  return out + "}";
}

bool ContainsUnresolved(std::string_view text) {
  return text.find(policy_source::kUnresolvedOpen) != std::string_view::npos;
}

PolicySourceResult LoadPolicySource(const SourceFile& file, const PolicySourceOptions& options) {
  using namespace policy_source;
  PolicySourceResult result;
  Collector c(file, result);
  const std::optional<json::Value> root = ReadDocument(file, options, c, result);
  if (!root) return result;
  const FormatRow* format = FormatFor(*root, file, options);
  if (format == nullptr) {
    result.errors.clear();
    return result;
  }
  result.format = format->format;
  format->load(*root, options, c);
  c.Finish(format->unused_policies_are_subjects);
  return result;
}

bool DesignatesPrincipal(const AuditSubject& subject, std::string_view principal) {
  const std::string_view name = subject.name;
  if (name == principal || (!subject.arn.empty() && subject.arn == principal)) return true;
  for (const char separator : {' ', '.', '/'}) {  // "role/dbt.runner" is named by "dbt.runner"
    const std::size_t cut = name.rfind(separator);
    if (cut != std::string_view::npos && name.substr(cut + 1) == principal) return true;
  }
  return false;
}

std::string UnknownPrincipalMessage(std::string_view principal,
                                    const std::vector<std::string>& found) {
  constexpr std::size_t kListed = 50;
  std::string out = "--principal " + Quoted(principal) + " names none of the principals found";
  if (found.empty()) return out + ": the files describe no role or user";
  out += "; they are:";
  for (std::size_t i = 0; i < found.size() && i < kListed; ++i) out += "\n  " + found[i];
  if (found.size() > kListed) {
    out += "\n  ... and " + std::to_string(found.size() - kListed) + " more";
  }
  return out;
}

}  // namespace iam_audit
