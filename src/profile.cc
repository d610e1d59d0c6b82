// Profile loading (YAML -> validated Profile), variable binding and the
// expansion into concrete requirements. The format is documented in
// docs/profiles.md; the contract is in include/iam_audit/profile.h.
#include "iam_audit/profile.h"
#include "ascii.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <functional>
#include <initializer_list>
#include <set>

#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "iam_audit/glob.h"
#include "yaml_util.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;
using ascii::Lower;

using yaml_util::Where;
using yaml_util::WhereInScalar;

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !IsIdentifierStart(s[0])) return false;
  return std::all_of(s.begin(), s.end(), IsIdentifierChar);
}

// ---------------------------------------------------------------------------
// Tables (data, not code).

struct TypeName {
  VariableType type;
  std::string_view name;
};
constexpr std::array<TypeName, 4> kTypeNames = {{
    {VariableType::kString, "string"},
    {VariableType::kList, "list"},
    {VariableType::kBool, "bool"},
    {VariableType::kS3Location, "s3_location"},
}};

constexpr std::array<std::string_view, 4> kOrigins = {"documented", "code", "athena", "aws-doc"};
constexpr std::array<std::string_view, 3> kTemplateFields = {"bucket", "prefix", "uri"};

constexpr std::array<std::string_view, 6> kTopKeys = {"name",    "description", "dbt_adapter",
                                                      "sources", "variables",   "groups"};
constexpr std::array<std::string_view, 3> kSourceKeys = {"id", "title", "url"};
constexpr std::array<std::string_view, 7> kVariableKeys = {
    "type", "items", "required", "default", "description", "from", "dbt_field"};
constexpr std::array<std::string_view, 11> kGroupKeys = {
    "id",       "title",  "description", "when",       "actions", "resources",
    "severity", "origin", "source",      "beyond_doc", "context"};
constexpr std::array<std::string_view, 2> kResourceKeys = {"arn", "type"};

std::optional<VariableType> ParseVariableType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

std::optional<bool> ParseBoolText(std::string_view text) {
  const std::string t = Lower(Trim(text));
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0") return false;
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// ARN templates vs catalog resource types.

// The five fields of an ARN (or ARN pattern/template): partition, service,
// region, account, resource. nullopt when `text` is not ARN-shaped.
std::optional<std::array<std::string_view, 5>> SplitArn(std::string_view text) {
  if (text.substr(0, 4) != "arn:") return std::nullopt;
  std::array<std::string_view, 5> f;
  std::size_t pos = 4;
  for (int i = 0; i < 4; ++i) {
    const std::size_t colon = text.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    f[i] = text.substr(pos, colon - pos);
    pos = colon + 1;
  }
  f[4] = text.substr(pos);
  return f;
}

// A field of a catalog ARN template as a glob: every ${Placeholder} is `*`.
Glob PlaceholderGlob(std::string_view field, Glob::Case c) {
  std::string out;
  for (std::size_t i = 0; i < field.size();) {
    if (field.compare(i, 2, "${") == 0) {
      const std::size_t close = field.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close + 1;
        continue;
      }
    }
    out += field[i++];
  }
  return Glob::Compile(out, c);
}

using ArnGlobs = std::array<Glob, 5>;

std::optional<ArnGlobs> ArnFieldGlobs(std::string_view text, bool placeholders) {
  const auto fields = SplitArn(text);
  if (!fields) return std::nullopt;
  ArnGlobs g;
  for (int i = 0; i < 5; ++i) {
    const Glob::Case c = i < 4 ? Glob::Case::kInsensitive : Glob::Case::kSensitive;
    g[i] = placeholders ? PlaceholderGlob((*fields)[i], c) : Glob::Compile((*fields)[i], c);
  }
  return g;
}

bool FieldsCover(const ArnGlobs& a, const ArnGlobs& b) {
  for (int i = 0; i < 5; ++i) {
    if (!a[i].Covers(b[i])) return false;
  }
  return true;
}

bool FieldsOverlap(const ArnGlobs& a, const ArnGlobs& b) {
  for (int i = 0; i < 5; ++i) {
    if (!a[i].Overlaps(b[i])) return false;
  }
  return true;
}

// Does the concrete resource pattern `value` fit the catalog ARN template?
bool FitsResourceType(std::string_view arn_template, std::string_view value) {
  const auto t = ArnFieldGlobs(arn_template, /*placeholders=*/true);
  const auto v = ArnFieldGlobs(value, /*placeholders=*/false);
  return t && v && FieldsOverlap(*t, *v);
}

// ---------------------------------------------------------------------------
// Value templates.

struct TemplateError {
  std::size_t offset;
  std::string message;
};

std::optional<ValueTemplate> ParseTemplate(std::string_view text,
                                           std::vector<TemplateError>* errs) {
  ValueTemplate t;
  t.text = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts.push_back({std::move(literal), "", ""});
    literal.clear();
  };
  bool ok = true;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      literal += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      errs->push_back({i, "unterminated '${' (expected '${variable}')"});
      ok = false;
      break;
    }
    const std::string_view ref = text.substr(i + 2, close - i - 2);
    const std::size_t dot = ref.find('.');
    const std::string_view name = ref.substr(0, dot);
    const std::string_view field = dot == std::string_view::npos ? "" : ref.substr(dot + 1);
    if (!IsIdentifier(name)) {
      errs->push_back({i, "'${" + std::string(ref) + "}' is not a variable reference"});
      ok = false;
    } else if (dot != std::string_view::npos &&
               std::find(kTemplateFields.begin(), kTemplateFields.end(), field) ==
                   kTemplateFields.end()) {
      errs->push_back({i, "unknown field '." + std::string(field) + "' in '${" + std::string(ref) +
                              "}' (fields: " + ascii::JoinComma(kTemplateFields) + ")"});
      ok = false;
    }
    flush();
    t.parts.push_back({"", std::string(name), std::string(field)});
    i = close + 1;
  }
  flush();
  if (!ok) return std::nullopt;
  return t;
}

std::string FieldValue(const VariableValue& v, std::size_t i, std::string_view field) {
  if (field.empty() || v.locations.size() <= i) return v.items[i];
  const S3Location& loc = v.locations[i];
  if (field == "bucket") return loc.bucket;
  if (field == "prefix") return loc.prefix;
  return loc.Uri();
}

// The template with every variable replaced by a placeholder value, to match
// it against catalog resource types at load time.
std::string SampleOf(const ValueTemplate& t) {
  std::string out;
  for (const ValueTemplate::Part& p : t.parts) {
    if (p.variable.empty()) {
      out += p.text;
    } else if (p.field == "prefix") {
      out += "x/";
    } else if (p.field == "uri") {
      out += "s3://x/x/";
    } else {
      out += "x";
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// `when` conditions.

struct CondToken {
  enum Kind { kIdent, kString, kLParen, kRParen, kEq, kNe, kEnd, kBad } kind;
  std::string text;
  std::size_t offset;
};

class ConditionParser {
 public:
  using VariableLookup = std::function<const ProfileVariable*(std::string_view)>;

  ConditionParser(std::string_view text, VariableLookup lookup)
      : text_(text), lookup_(std::move(lookup)) {
    Tokenize();
  }

  // On error returns nullopt with the message and the byte offset.
  std::optional<WhenCondition> Parse() {
    std::optional<WhenCondition> c = ParseOr();
    if (c && Peek().kind != CondToken::kEnd) {
      Fail(Peek().offset, "unexpected " + Describe(Peek()) + " (expected 'and', 'or' or the end)");
      return std::nullopt;
    }
    if (c) c->text = std::string(text_);
    return c;
  }
  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

 private:
  void Tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (c == '(') {
        tokens_.push_back({CondToken::kLParen, "(", i++});
      } else if (c == ')') {
        tokens_.push_back({CondToken::kRParen, ")", i++});
      } else if (text_.compare(i, 2, "==") == 0) {
        tokens_.push_back({CondToken::kEq, "==", i});
        i += 2;
      } else if (text_.compare(i, 2, "!=") == 0) {
        tokens_.push_back({CondToken::kNe, "!=", i});
        i += 2;
      } else if (c == '\'' || c == '"') {
        const std::size_t close = text_.find(c, i + 1);
        if (close == std::string_view::npos) {
          tokens_.push_back({CondToken::kBad, "unterminated string", i});
          return;
        }
        tokens_.push_back({CondToken::kString, std::string(text_.substr(i + 1, close - i - 1)), i});
        i = close + 1;
      } else if (IsIdentifierStart(c)) {
        std::size_t j = i;
        while (j < text_.size() && IsIdentifierChar(text_[j])) ++j;
        tokens_.push_back({CondToken::kIdent, std::string(text_.substr(i, j - i)), i});
        i = j;
      } else {
        tokens_.push_back({CondToken::kBad, std::string("character '") + c + "'", i});
        return;
      }
    }
    tokens_.push_back({CondToken::kEnd, "", text_.size()});
  }

  const CondToken& Peek() const { return tokens_[std::min(pos_, tokens_.size() - 1)]; }
  const CondToken& Next() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  bool PeekKeyword(std::string_view kw) const {
    return Peek().kind == CondToken::kIdent && Peek().text == kw;
  }

  static std::string Describe(const CondToken& t) {
    switch (t.kind) {
      case CondToken::kEnd:
        return "end of condition";
      case CondToken::kBad:
        return t.text;
      case CondToken::kString:
        return "string '" + t.text + "'";
      default:
        return "'" + t.text + "'";
    }
  }

  void Fail(std::size_t offset, std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_offset_ = offset;
    }
  }

  std::optional<WhenCondition> ParseBinary(WhenCondition::Kind kind, std::string_view keyword,
                                           std::optional<WhenCondition> (ConditionParser::*sub)()) {
    std::optional<WhenCondition> first = (this->*sub)();
    if (!first || !PeekKeyword(keyword)) return first;
    WhenCondition node;
    node.kind = kind;
    node.operands.push_back(std::move(*first));
    while (PeekKeyword(keyword)) {
      Next();
      std::optional<WhenCondition> more = (this->*sub)();
      if (!more) return std::nullopt;
      node.operands.push_back(std::move(*more));
    }
    return node;
  }

  std::optional<WhenCondition> ParseOr() {
    return ParseBinary(WhenCondition::Kind::kOr, "or", &ConditionParser::ParseAnd);
  }
  std::optional<WhenCondition> ParseAnd() {
    return ParseBinary(WhenCondition::Kind::kAnd, "and", &ConditionParser::ParseNot);
  }
  std::optional<WhenCondition> ParseNot() {
    if (!PeekKeyword("not")) return ParseTest();
    Next();
    std::optional<WhenCondition> inner = ParseNot();
    if (!inner) return std::nullopt;
    WhenCondition node;
    node.kind = WhenCondition::Kind::kNot;
    node.operands.push_back(std::move(*inner));
    return node;
  }

  std::optional<WhenCondition> ParseTest() {
    const CondToken& t = Next();
    if (t.kind == CondToken::kLParen) {
      std::optional<WhenCondition> inner = ParseOr();
      if (!inner) return std::nullopt;
      if (Peek().kind != CondToken::kRParen) {
        Fail(Peek().offset, "expected ')' but found " + Describe(Peek()));
        return std::nullopt;
      }
      Next();
      return inner;
    }
    if (t.kind != CondToken::kIdent || t.text == "and" || t.text == "or" || t.text == "matches") {
      Fail(t.offset, "expected a variable, 'not', 'true', 'false' or '(' but found " + Describe(t));
      return std::nullopt;
    }
    if (t.text == "true" || t.text == "false") {
      WhenCondition node;
      node.constant = t.text == "true";
      return node;
    }
    const ProfileVariable* var = lookup_(t.text);
    if (!var) {
      Fail(t.offset, "unknown variable '" + t.text + "' in condition");
      return std::nullopt;
    }
    WhenCondition node;
    node.variable = t.text;
    const CondToken& op = Peek();
    const bool is_matches = op.kind == CondToken::kIdent && op.text == "matches";
    if (op.kind != CondToken::kEq && op.kind != CondToken::kNe && !is_matches) {
      if (var->type == VariableType::kBool) {  // a bool is true when it is "true"
        node.kind = WhenCondition::Kind::kEquals;
        node.literal = "true";
      } else {
        node.kind = WhenCondition::Kind::kVariable;
      }
      return node;
    }
    Next();
    node.kind = is_matches                  ? WhenCondition::Kind::kMatches
                : op.kind == CondToken::kEq ? WhenCondition::Kind::kEquals
                                            : WhenCondition::Kind::kNotEquals;
    const CondToken& lit = Next();
    if (var->type == VariableType::kList) {
      Fail(op.offset, "list variable '" + t.text + "' cannot be compared with '" + op.text +
                          "'; use it alone (true when the list is not empty)");
      return std::nullopt;
    }
    if (var->type == VariableType::kBool) {
      if (is_matches || lit.kind != CondToken::kIdent ||
          (lit.text != "true" && lit.text != "false")) {
        Fail(is_matches ? op.offset : lit.offset,
             "bool variable '" + t.text + "' can only be compared with == or != true/false");
        return std::nullopt;
      }
      node.literal = lit.text;
      return node;
    }
    if (lit.kind != CondToken::kString) {
      Fail(lit.offset,
           "expected a quoted string after '" + op.text + "' but found " + Describe(lit));
      return std::nullopt;
    }
    node.literal = lit.text;
    return node;
  }

  std::string_view text_;
  VariableLookup lookup_;
  std::vector<CondToken> tokens_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_offset_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------
// Public small pieces.

std::string_view VariableTypeName(VariableType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "string";
}

std::string S3Location::Uri() const { return "s3://" + bucket + "/" + prefix; }

std::optional<S3Location> S3Location::Parse(std::string_view uri, std::string* error) {
  const std::string_view text = Trim(uri);
  if (!EqualsIgnoreCase(text.substr(0, 5), "s3://")) {
    if (error)
      *error = "'" + std::string(text) + "' is not an S3 location (expected s3://bucket/prefix/)";
    return std::nullopt;
  }
  const std::string_view rest = text.substr(5);
  const std::size_t slash = rest.find('/');
  S3Location loc;
  loc.bucket = std::string(rest.substr(0, slash));
  if (loc.bucket.empty() || loc.bucket.find_first_of(" \t") != std::string::npos) {
    if (error)
      *error =
          "'" + std::string(text) + "' has no valid bucket name (expected s3://bucket/prefix/)";
    return std::nullopt;
  }
  if (slash != std::string_view::npos) loc.prefix = std::string(rest.substr(slash + 1));
  if (!loc.prefix.empty() && loc.prefix.back() != '/') loc.prefix += '/';
  return loc;
}

bool WhenCondition::Evaluate(const Bindings& bindings) const {
  const auto value = [&]() -> std::string_view {
    const auto it = bindings.find(variable);
    if (it == bindings.end() || it->second.items.empty()) return {};
    return it->second.items.front();
  };
  switch (kind) {
    case Kind::kConstant:
      return constant;
    case Kind::kVariable: {
      const auto it = bindings.find(variable);
      if (it == bindings.end() || it->second.items.empty()) return false;
      return it->second.items.size() > 1 || !it->second.items.front().empty();
    }
    case Kind::kNot:
      return !operands.front().Evaluate(bindings);
    case Kind::kAnd:
      return std::all_of(operands.begin(), operands.end(),
                         [&](const WhenCondition& c) { return c.Evaluate(bindings); });
    case Kind::kOr:
      return std::any_of(operands.begin(), operands.end(),
                         [&](const WhenCondition& c) { return c.Evaluate(bindings); });
    case Kind::kEquals:
      return value() == literal;
    case Kind::kNotEquals:
      return value() != literal;
    case Kind::kMatches:
      return Glob::Compile(literal).Matches(value());
  }
  return false;
}

std::optional<std::vector<std::string>> ValueTemplate::Expand(const Bindings& bindings,
                                                              std::string* missing) const {
  // Distinct variables in order of first use, with their item counts.
  std::vector<std::pair<std::string_view, const VariableValue*>> vars;
  for (const Part& p : parts) {
    if (p.variable.empty()) continue;
    if (std::any_of(vars.begin(), vars.end(),
                    [&](const auto& v) { return v.first == p.variable; })) {
      continue;
    }
    const auto it = bindings.find(p.variable);
    if (it == bindings.end()) {
      if (missing) *missing = p.variable;
      return std::nullopt;
    }
    vars.emplace_back(p.variable, &it->second);
  }
  std::vector<std::string> out;
  std::vector<std::size_t> index(vars.size(), 0);
  for (const auto& v : vars) {
    if (v.second->items.empty()) return out;
  }
  while (true) {
    std::string s;
    for (const Part& p : parts) {
      if (p.variable.empty()) {
        s += p.text;
        continue;
      }
      std::size_t k = 0;
      while (vars[k].first != p.variable) ++k;
      s += FieldValue(*vars[k].second, index[k], p.field);
    }
    out.push_back(std::move(s));
    // Odometer over the variables, last one fastest.
    std::size_t k = vars.size();
    while (k > 0) {
      --k;
      if (++index[k] < vars[k].second->items.size()) break;
      index[k] = 0;
      if (k == 0) return out;
    }
    if (vars.empty()) return out;
  }
}

// ---------------------------------------------------------------------------
// Loading.

class ProfileLoader {
 public:
  ProfileLoader(const std::string& file, const Catalog& catalog) : file_(file), catalog_(catalog) {
    profile_.file_ = file;
  }

  ProfileLoadResult Load(std::string_view yaml) {
    Diagnostic syntax;
    std::optional<YAML::Node> root = yaml_util::Parse(yaml, file_, &syntax);
    if (!root) return {std::nullopt, {syntax}};
    const YAML::Node& top = *root;
    if (!top.IsMap()) {
      Error(Where(top), "a profile must be a mapping with name, description, variables and groups");
      return Finish();
    }
    std::optional<YAML::Node> groups_node;  // optional: a default yaml-cpp node counts as defined
    ForEachKey(top, "the profile", kTopKeys, [&](const std::string& key, const YAML::Node& v) {
      if (key == "name") {
        GetString(v, "name", &profile_.name_);
      } else if (key == "description") {
        GetString(v, "description", &profile_.description_);
      } else if (key == "dbt_adapter") {
        GetString(v, "dbt_adapter", &profile_.dbt_adapter_);
      } else if (key == "sources") {
        LoadSources(v);
      } else if (key == "variables") {
        LoadVariables(v);
      } else if (key == "groups") {
        groups_node.emplace(v);
      }
    });
    if (!top["name"]) Error(Where(top), "the profile has no 'name'");
    ResolveDefaultOrder();
    if (!groups_node) {
      Error(Where(top), "the profile has no 'groups'");
    } else {
      LoadGroups(*groups_node);
    }
    return Finish();
  }

 private:
  ProfileLoadResult Finish() {
    if (!errors_.empty()) return {std::nullopt, std::move(errors_)};
    return {std::move(profile_), {}};
  }

  void Error(SourceLocation where, std::string message) {
    errors_.push_back({file_, where, std::move(message)});
  }

  // Calls fn(key, value) for each entry of a mapping; reports unknown and
  // duplicate keys.
  template <std::size_t N, typename Fn>
  void ForEachKey(const YAML::Node& map, std::string_view what,
                  const std::array<std::string_view, N>& allowed, Fn fn) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        Error(Where(it->first), "keys of " + std::string(what) + " must be strings");
        continue;
      }
      const std::string key = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Error(Where(it->first), "unknown key '" + key + "' in " + std::string(what) +
                                    " (expected one of: " + ascii::JoinComma(allowed) + ")");
        continue;
      }
      if (!seen.insert(key).second) {
        Error(Where(it->first), "duplicate key '" + key + "' in " + std::string(what));
        continue;
      }
      fn(key, it->second);
    }
  }

  bool GetString(const YAML::Node& node, std::string_view what, std::string* out) {
    if (!node.IsScalar()) {
      Error(Where(node),
            std::string(what) + " must be a string, not " + std::string(yaml_util::KindName(node)));
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  bool GetBool(const YAML::Node& node, std::string_view what, bool* out) {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
      *out = node.Scalar() == "true";
      return true;
    }
    Error(Where(node), std::string(what) + " must be true or false");
    return false;
  }

  // A string, or a list of strings. Locations per item when `where` is given.
  bool GetStringList(const YAML::Node& node, std::string_view what, std::vector<std::string>* out,
                     std::vector<YAML::Node>* nodes = nullptr) {
    if (node.IsScalar()) {
      out->push_back(node.Scalar());
      if (nodes) nodes->push_back(node);
      return true;
    }
    if (!node.IsSequence()) {
      Error(Where(node), std::string(what) + " must be a string or a list of strings");
      return false;
    }
    bool ok = true;
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) {
        Error(Where(item), "each entry of " + std::string(what) + " must be a string, not " +
                               std::string(yaml_util::KindName(item)));
        ok = false;
        continue;
      }
      out->push_back(item.Scalar());
      if (nodes) nodes->push_back(item);
    }
    return ok;
  }

  // Parses a template from a scalar node and checks its variable references.
  // `scalar_only`: references to list variables are errors (scalar defaults).
  std::optional<ValueTemplate> Template(const YAML::Node& node, bool scalar_only,
                                        std::vector<std::string>* deps = nullptr) {
    std::vector<TemplateError> errs;
    std::optional<ValueTemplate> t = ParseTemplate(node.Scalar(), &errs);
    for (const TemplateError& e : errs) Error(WhereInScalar(node, e.offset), e.message);
    if (!t) return std::nullopt;
    t->where = Where(node);
    bool ok = true;
    std::size_t offset = 0;
    for (const ValueTemplate::Part& p : t->parts) {
      if (p.variable.empty()) {
        offset += p.text.size();
        continue;
      }
      const std::size_t pos = node.Scalar().find("${" + p.variable, offset);
      const SourceLocation at = WhereInScalar(node, pos == std::string::npos ? 0 : pos);
      if (pos != std::string::npos) offset = pos;
      offset += 3 + p.variable.size() + (p.field.empty() ? 0 : p.field.size() + 1);
      const ProfileVariable* v = FindVariable(p.variable);
      if (!v) {
        Error(at, "unknown variable '" + p.variable + "'" + KnownVariables());
        ok = false;
        continue;
      }
      const bool s3 = v->type == VariableType::kS3Location ||
                      (v->type == VariableType::kList && v->item_type == VariableType::kS3Location);
      if (!p.field.empty() && !s3) {
        Error(at, "'." + p.field + "' needs an s3_location variable; '" + p.variable + "' is a " +
                      std::string(VariableTypeName(v->type)));
        ok = false;
      }
      if (scalar_only && v->type == VariableType::kList) {
        Error(at, "the default of a single-valued variable cannot use list variable '" +
                      p.variable + "'");
        ok = false;
      }
      if (deps) deps->push_back(p.variable);
    }
    if (!ok) return std::nullopt;
    return t;
  }

  std::string KnownVariables() const {
    std::vector<std::string> names;
    for (const ProfileVariable& v : profile_.variables_) names.push_back(v.name);
    if (names.empty()) return " (the profile declares no variables)";
    return " (variables: " + Join(names, ", ") + ")";
  }

  const ProfileVariable* FindVariable(std::string_view name) const {
    for (const ProfileVariable& v : profile_.variables_) {
      if (v.name == name) return &v;
    }
    return nullptr;
  }

  void LoadSources(const YAML::Node& node) {
    if (!node.IsSequence()) {
      Error(Where(node), "'sources' must be a list of {id, title, url}");
      return;
    }
    for (const YAML::Node& item : node) {
      if (!item.IsMap()) {
        Error(Where(item), "each source must be a mapping with id, title and url");
        continue;
      }
      ProfileSource s;
      ForEachKey(item, "a source", kSourceKeys, [&](const std::string& key, const YAML::Node& v) {
        GetString(v, key, key == "id" ? &s.id : key == "title" ? &s.title : &s.url);
      });
      if (s.id.empty()) Error(Where(item), "a source needs an 'id'");
      profile_.sources_.push_back(std::move(s));
    }
  }

  void LoadVariables(const YAML::Node& node) {
    if (!node.IsMap()) {
      Error(Where(node), "'variables' must be a mapping from variable name to its description");
      return;
    }
    // Names first, so defaults may refer to variables declared later.
    std::set<std::string> seen;
    std::vector<std::pair<YAML::Node, YAML::Node>> entries;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      if (!IsIdentifier(name)) {
        Error(Where(it->first), "variable name '" + name +
                                    "' must be a letter or '_' followed by letters, digits or '_'");
        continue;
      }
      if (!seen.insert(name).second) {
        Error(Where(it->first), "duplicate variable '" + name + "'");
        continue;
      }
      ProfileVariable v;
      v.name = name;
      v.where = Where(it->first);
      profile_.variables_.push_back(std::move(v));
      entries.emplace_back(it->first, it->second);
    }
    default_nodes_.resize(profile_.variables_.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      LoadVariable(profile_.variables_[i], entries[i].second, &default_nodes_[i]);
    }
  }

  void LoadVariable(ProfileVariable& v, const YAML::Node& spec,
                    std::optional<YAML::Node>* default_node) {
    if (!spec.IsMap()) {
      Error(Where(spec), "variable '" + v.name +
                             "' must be a mapping (type, required, default, description...)");
      return;
    }
    const std::string what = "variable '" + v.name + "'";
    std::optional<YAML::Node> items_node;
    ForEachKey(spec, what, kVariableKeys, [&](const std::string& key, const YAML::Node& val) {
      std::string s;
      if (key == "type") {
        if (!GetString(val, "type", &s)) return;
        if (const auto t = ParseVariableType(s)) {
          v.type = *t;
        } else {
          Error(Where(val), "unknown variable type '" + s +
                                "' (expected one of: string, list, bool, s3_location)");
        }
      } else if (key == "items") {
        items_node.emplace(val);
      } else if (key == "required") {
        GetBool(val, "required", &v.required);
      } else if (key == "default") {
        default_node->emplace(val);
      } else if (key == "description") {
        GetString(val, "description", &v.description);
      } else if (key == "from") {
        GetString(val, "from", &v.from);
      } else if (key == "dbt_field") {
        GetStringList(val, "dbt_field", &v.dbt_fields);
      }
    });
    if (items_node) {
      std::string s;
      if (v.type != VariableType::kList) {
        Error(Where(*items_node), "'items' applies to list variables only");
      } else if (GetString(*items_node, "items", &s)) {
        if (s == "string") {
          v.item_type = VariableType::kString;
        } else if (s == "s3_location") {
          v.item_type = VariableType::kS3Location;
        } else {
          Error(Where(*items_node),
                "list items must be 'string' or 's3_location', not '" + s + "'");
        }
      }
    }
    if (v.required && *default_node) {
      Error(Where(**default_node), "required variable '" + v.name + "' cannot have a default");
      default_node->reset();
    }
  }

  // Parses the defaults (now that every variable's type is known) and orders
  // the variables so that each default's dependencies come first.
  void ResolveDefaultOrder() {
    const std::size_t n = profile_.variables_.size();
    std::vector<std::vector<std::size_t>> deps(n);
    for (std::size_t i = 0; i < n && i < default_nodes_.size(); ++i) {
      ProfileVariable& v = profile_.variables_[i];
      if (!default_nodes_[i]) continue;
      const YAML::Node& d = *default_nodes_[i];
      std::vector<YAML::Node> nodes;
      std::vector<std::string> values;
      if (v.type == VariableType::kList) {
        if (!d.IsSequence()) {
          Error(Where(d), "the default of list variable '" + v.name + "' must be a list (e.g. [])");
          continue;
        }
        if (!GetStringList(d, "default", &values, &nodes)) continue;
      } else {
        if (!d.IsScalar()) {
          Error(Where(d), "the default of '" + v.name + "' must be a single value");
          continue;
        }
        values.push_back(d.Scalar());
        nodes.push_back(d);
      }
      bool ok = true;
      std::vector<std::string> names;
      for (const YAML::Node& item : nodes) {
        std::optional<ValueTemplate> t = Template(item, v.type != VariableType::kList, &names);
        if (!t) {
          ok = false;
          continue;
        }
        if (t->parts.size() == 1 && t->parts[0].variable.empty()) {
          ok = CheckLiteralValue(v, t->text, Where(item)) && ok;
        }
      }
      if (!ok) continue;
      v.default_value = std::move(values);
      for (const std::string& name : names) {
        for (std::size_t j = 0; j < n; ++j) {
          if (profile_.variables_[j].name == name) deps[i].push_back(j);
        }
      }
    }
    // Depth-first topological order; a cycle is an error at its first variable.
    std::vector<int> state(n, 0);  // 0 new, 1 visiting, 2 done
    std::vector<std::size_t> stack;
    std::function<void(std::size_t)> visit = [&](std::size_t i) {
      if (state[i] == 2) return;
      if (state[i] == 1) {
        std::string path;
        auto start = std::find(stack.begin(), stack.end(), i);
        for (auto it = start; it != stack.end(); ++it)
          path += profile_.variables_[*it].name + " -> ";
        path += profile_.variables_[i].name;
        Error(profile_.variables_[i].where,
              "the defaults of these variables depend on each other: " + path);
        return;
      }
      state[i] = 1;
      stack.push_back(i);
      for (std::size_t j : deps[i]) visit(j);
      stack.pop_back();
      state[i] = 2;
      profile_.default_order_.push_back(i);
    };
    for (std::size_t i = 0; i < n; ++i) visit(i);
  }

  // Checks a literal default against its variable's type.
  bool CheckLiteralValue(const ProfileVariable& v, std::string_view text, SourceLocation where) {
    const VariableType t = v.type == VariableType::kList ? v.item_type : v.type;
    std::string error;
    if (t == VariableType::kBool && !ParseBoolText(text)) {
      Error(where, "default of bool variable '" + v.name + "' must be true or false");
      return false;
    }
    if (t == VariableType::kS3Location && !S3Location::Parse(text, &error)) {
      Error(where, "default of '" + v.name + "': " + error);
      return false;
    }
    return true;
  }

  void LoadGroups(const YAML::Node& node) {
    if (!node.IsSequence()) {
      Error(Where(node), "'groups' must be a list of groups");
      return;
    }
    std::set<std::string> ids;
    for (const YAML::Node& item : node) {
      if (!item.IsMap()) {
        Error(Where(item), "each group must be a mapping (id, title, actions, resources...)");
        continue;
      }
      const std::size_t before = errors_.size();
      ProfileGroup g;
      g.where = Where(item);
      LoadGroup(item, g);
      if (!g.id.empty() && !ids.insert(g.id).second) {
        Error(Where(item["id"]), "duplicate group id '" + g.id + "'");
      }
      if (errors_.size() == before) ComputeChecks(g);
      profile_.groups_.push_back(std::move(g));
    }
  }

  void LoadGroup(const YAML::Node& item, ProfileGroup& g) {
    std::string what = "a group";
    if (item["id"] && item["id"].IsScalar()) what = "group '" + item["id"].Scalar() + "'";
    bool has_actions = false;
    ForEachKey(item, what, kGroupKeys, [&](const std::string& key, const YAML::Node& v) {
      std::string s;
      if (key == "id") {
        if (GetString(v, "id", &g.id) && !IsGroupId(g.id)) {
          Error(Where(v), "group id '" + g.id + "' must use only letters, digits, '-' and '_'");
        }
      } else if (key == "title") {
        GetString(v, "title", &g.title);
      } else if (key == "description") {
        GetString(v, "description", &g.description);
      } else if (key == "when") {
        LoadWhen(v, g);
      } else if (key == "actions") {
        has_actions = true;
        LoadActions(v, g);
      } else if (key == "resources") {
        LoadResources(v, g);
      } else if (key == "severity") {
        if (!GetString(v, "severity", &s)) return;
        if (const auto sev = ParseSeverity(s)) {
          g.severity = *sev;
        } else {
          Error(Where(v), "unknown severity '" + s + "' (expected error, warning or note)");
        }
      } else if (key == "origin") {
        if (!GetString(v, "origin", &g.origin)) return;
        if (std::find(kOrigins.begin(), kOrigins.end(), g.origin) == kOrigins.end()) {
          Error(Where(v), "unknown origin '" + g.origin +
                              "' (expected one of: " + ascii::JoinComma(kOrigins) + ")");
        }
      } else if (key == "source") {
        GetString(v, "source", &g.source);
      } else if (key == "beyond_doc") {
        GetBool(v, "beyond_doc", &g.beyond_doc);
      } else if (key == "context") {
        LoadContext(v, g);
      }
    });
    for (const char* required : {"id", "title", "origin"}) {
      if (!item[required]) Error(g.where, what + " has no '" + required + "'");
    }
    if (!has_actions) Error(g.where, what + " has no 'actions'");
  }

  static bool IsGroupId(std::string_view id) {
    return !id.empty() && std::all_of(id.begin(), id.end(),
                                      [](char c) { return IsIdentifierChar(c) || c == '-'; });
  }

  void LoadWhen(const YAML::Node& v, ProfileGroup& g) {
    std::string text;
    if (!GetString(v, "when", &text)) return;
    ConditionParser parser(text, [this](std::string_view name) { return FindVariable(name); });
    std::optional<WhenCondition> c = parser.Parse();
    if (!c) {
      Error(WhereInScalar(v, parser.error_offset()), "in 'when': " + parser.error());
      return;
    }
    g.when = std::move(*c);
  }

  void LoadActions(const YAML::Node& v, ProfileGroup& g) {
    std::vector<std::string> patterns;
    std::vector<YAML::Node> nodes;
    if (!GetStringList(v, "actions", &patterns, &nodes)) return;
    if (patterns.empty()) Error(Where(v), "'actions' is empty");
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      std::string error;
      const std::optional<ActionPattern> p = ActionPattern::Parse(patterns[i], &error);
      if (!p) {
        Error(Where(nodes[i]), error);
        continue;
      }
      ProfileAction a;
      a.pattern = patterns[i];
      a.where = Where(nodes[i]);
      if (p->MatchesAllActions()) {
        Error(a.where,
              "'" + a.pattern + "' grants every action; a profile must name what it needs");
        continue;
      }
      if (!p->HasWildcards()) {
        if (const auto id = catalog_.FindAction(a.pattern))
          a.actions.push_back(catalog_.action(*id).FullName());
      } else {
        for (ActionId id : ExpandActions(catalog_, *p))
          a.actions.push_back(catalog_.action(id).FullName());
      }
      if (a.actions.empty()) {
        std::string message = "action pattern '" + a.pattern + "' matches no action in the catalog";
        const std::vector<std::string> hints = SuggestActions(catalog_, a.pattern);
        if (!hints.empty()) message += " (did you mean " + Join(hints, ", ") + "?)";
        Error(a.where, message);
        continue;
      }
      g.actions.push_back(std::move(a));
    }
  }

  void LoadResources(const YAML::Node& v, ProfileGroup& g) {
    if (!v.IsSequence()) {
      Error(Where(v), "'resources' must be a list of ARN templates");
      return;
    }
    for (const YAML::Node& item : v) {
      ProfileResource r;
      std::optional<YAML::Node> arn;  // assigning a yaml-cpp node would edit the tree
      if (!item.IsMap()) {
        arn.emplace(item);
      } else {
        ForEachKey(item, "a resource", kResourceKeys,
                   [&](const std::string& key, const YAML::Node& val) {
                     if (key == "arn") {
                       arn.emplace(val);
                     } else {
                       GetString(val, "type", &r.type_hint);
                     }
                   });
        if (!arn) {
          Error(Where(item), "a resource mapping needs 'arn' (and optionally 'type')");
          continue;
        }
      }
      if (!arn->IsScalar()) {
        Error(Where(*arn), "a resource must be an ARN template string or {arn, type}");
        continue;
      }
      std::optional<ValueTemplate> t = Template(*arn, /*scalar_only=*/false);
      if (!t) continue;
      r.arn = std::move(*t);
      r.any = r.arn.text == "*";
      g.resources.push_back(std::move(r));
    }
  }

  void LoadContext(const YAML::Node& v, ProfileGroup& g) {
    if (!v.IsMap()) {
      Error(Where(v), "'context' must map condition keys to a value or a list of values");
      return;
    }
    std::set<std::string> seen;
    for (auto it = v.begin(); it != v.end(); ++it) {
      ProfileContextEntry e;
      if (!GetString(it->first, "a context key", &e.key)) continue;
      e.where = Where(it->first);
      if (e.key.find(':') == std::string::npos) {
        Error(e.where,
              "context key '" + e.key + "' is not a condition key (expected 'service:Key')");
        continue;
      }
      if (!seen.insert(Lower(e.key)).second) {
        Error(e.where, "duplicate context key '" + e.key + "'");
        continue;
      }
      std::vector<std::string> values;
      std::vector<YAML::Node> nodes;
      if (!GetStringList(it->second, "context value", &values, &nodes)) continue;
      bool ok = true;
      for (const YAML::Node& n : nodes) {
        std::optional<ValueTemplate> t = Template(n, /*scalar_only=*/false);
        if (!t) {
          ok = false;
          continue;
        }
        e.values.push_back(std::move(*t));
      }
      if (ok) g.context.push_back(std::move(e));
    }
  }

  // Matches each resource template to catalog resource types and decides, for
  // each action, which resources it is checked on.
  void ComputeChecks(ProfileGroup& g) {
    std::vector<std::string> services;
    for (const ProfileAction& a : g.actions) {
      for (const std::string& name : a.actions) {
        const std::string service = name.substr(0, name.find(':'));
        if (std::none_of(services.begin(), services.end(),
                         [&](const std::string& s) { return EqualsIgnoreCase(s, service); })) {
          services.push_back(service);
        }
      }
    }
    bool ok = true;
    for (ProfileResource& r : g.resources) {
      if (r.any) continue;
      ok = MatchResourceTypes(r, services) && ok;
    }
    if (!ok) return;

    std::set<std::string> done;
    for (const ProfileAction& pa : g.actions) {
      for (const std::string& name : pa.actions) {
        if (!done.insert(name).second) continue;
        const ActionInfo info = catalog_.action(*catalog_.FindAction(name));
        if (info.resource_types.empty()) {
          g.checks.push_back({name, -1, "*", info.access});
          continue;
        }
        bool any = false;
        for (std::size_t i = 0; i < g.resources.size(); ++i) {
          const ProfileResource& r = g.resources[i];
          if (r.any) {
            g.checks.push_back({name, static_cast<int>(i), "*", info.access});
            any = true;
            continue;
          }
          for (const ResourceTypeRef& t : r.types) {
            const bool supported =
                EqualsIgnoreCase(t.service, info.service) &&
                std::any_of(
                    info.resource_types.begin(), info.resource_types.end(),
                    [&](const ActionResource& ar) { return EqualsIgnoreCase(ar.name, t.name); });
            if (supported) {
              g.checks.push_back({name, static_cast<int>(i), t.name, info.access});
              any = true;
              break;
            }
          }
        }
        if (!any) {
          std::vector<std::string> supported, listed;
          for (const ActionResource& ar : info.resource_types) supported.emplace_back(ar.name);
          for (const ProfileResource& r : g.resources) {
            for (const ResourceTypeRef& t : r.types) listed.push_back(t.service + ":" + t.name);
          }
          Error(pa.where, name + " is authorised on resource types " + Join(supported, ", ") +
                              ", but none of the resources of group '" + g.id +
                              "' is of those types" +
                              (listed.empty() ? std::string(" (the group lists no resources)")
                                              : " (they are " + Join(listed, ", ") + ")"));
        }
      }
    }
  }

  // A catalog resource type with its ARN template compiled for matching.
  struct CompiledType {
    ResourceTypeInfo info;
    std::optional<ArnGlobs> globs;
  };

  // The resource types of a service, compiled once per load.
  const std::vector<CompiledType>& TypesOf(const std::string& service) {
    auto [it, added] = types_.try_emplace(Lower(service));
    if (added) {
      for (ResourceTypeInfo& t : catalog_.ResourceTypes(service)) {
        std::optional<ArnGlobs> g = ArnFieldGlobs(t.arn_template, /*placeholders=*/true);
        it->second.push_back({std::move(t), std::move(g)});
      }
    }
    return it->second;
  }

  bool MatchResourceTypes(ProfileResource& r, const std::vector<std::string>& services) {
    std::vector<const CompiledType*> compiled;
    for (const std::string& s : services) {
      for (const CompiledType& t : TypesOf(s)) compiled.push_back(&t);
    }
    std::vector<ResourceTypeInfo> candidates;
    for (const CompiledType* t : compiled) candidates.push_back(t->info);
    const auto ref = [](const ResourceTypeInfo& t) {
      return ResourceTypeRef{std::string(t.service), std::string(t.name),
                             std::string(t.arn_template)};
    };
    if (!r.type_hint.empty()) {
      const std::size_t colon = r.type_hint.find(':');
      for (const ResourceTypeInfo& t : candidates) {
        const bool match = colon == std::string::npos
                               ? EqualsIgnoreCase(t.name, r.type_hint)
                               : EqualsIgnoreCase(t.service, r.type_hint.substr(0, colon)) &&
                                     EqualsIgnoreCase(t.name, r.type_hint.substr(colon + 1));
        if (match) r.types.push_back(ref(t));
      }
      if (r.types.empty()) {
        Error(r.arn.where, "resource type '" + r.type_hint + "' is not a resource type of " +
                               (services.empty() ? std::string("the group's services")
                                                 : "service " + Join(services, ", ")));
        return false;
      }
      if (r.types.size() > 1) {
        Error(r.arn.where,
              "resource type '" + r.type_hint + "' is ambiguous; write it as service:name");
        return false;
      }
      return true;
    }
    const std::string sample = SampleOf(r.arn);
    const auto sample_globs = ArnFieldGlobs(sample, /*placeholders=*/false);
    if (!sample_globs) {
      Error(r.arn.where, "resource '" + r.arn.text +
                             "' is not an ARN template; when a variable holds whole ARNs, give "
                             "the resource type: {arn: '" +
                             r.arn.text + "', type: NAME}");
      return false;
    }
    std::vector<std::pair<const ResourceTypeInfo*, const ArnGlobs*>> matched;
    for (const CompiledType* t : compiled) {
      if (t->globs && FieldsCover(*t->globs, *sample_globs))
        matched.emplace_back(&t->info, &*t->globs);
    }
    // Keep the most specific: drop a type that strictly covers another match.
    for (const auto& [t, tg] : matched) {
      const bool broader =
          std::any_of(matched.begin(), matched.end(), [&t = t, &tg = tg](const auto& other) {
            return other.first != t && FieldsCover(*tg, *other.second) &&
                   !FieldsCover(*other.second, *tg);
          });
      if (!broader) r.types.push_back(ref(*t));
    }
    if (r.types.empty()) {
      Error(r.arn.where, "resource '" + r.arn.text + "' matches no resource type of " +
                             (services.empty() ? std::string("the group's services")
                                               : "service " + Join(services, ", ")) +
                             " in the catalog");
      return false;
    }
    return true;
  }

  std::string file_;
  const Catalog& catalog_;
  Profile profile_;
  Diagnostics errors_;
  std::vector<std::optional<YAML::Node>> default_nodes_;
  std::map<std::string, std::vector<CompiledType>> types_;  // by lower-case service
};

ProfileLoadResult Profile::Load(std::string_view yaml, const std::string& file,
                                const Catalog& catalog) {
  return ProfileLoader(file, catalog).Load(yaml);
}

Profile Profile::LoadOrThrow(std::string_view yaml, const std::string& file,
                             const Catalog& catalog) {
  ProfileLoadResult r = Load(yaml, file, catalog);
  if (!r.profile) throw InputError(std::move(r.errors));
  return std::move(*r.profile);
}

const ProfileVariable* Profile::FindVariable(std::string_view name) const {
  for (const ProfileVariable& v : variables_) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Binding variables.

namespace {

// Types raw values for `v`. On error returns nullopt with a message.
std::optional<VariableValue> TypeValue(const ProfileVariable& v, std::vector<std::string> raw,
                                       bool sequence, std::string origin, std::string* error) {
  VariableValue out;
  out.origin = std::move(origin);
  if (v.type == VariableType::kList) {
    for (const std::string& r : raw) {
      if (sequence) {
        const std::string_view t = Trim(r);
        if (!t.empty()) out.items.emplace_back(t);
        continue;
      }
      const std::string_view text = r;
      for (std::size_t start = 0;;) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = Trim(text.substr(start, comma - start));
        if (!item.empty()) out.items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    }
  } else {
    if (raw.size() != 1) {
      *error = "'" + v.name + "' takes a single " + std::string(VariableTypeName(v.type)) +
               " value, not a list of " + std::to_string(raw.size());
      return std::nullopt;
    }
    out.items.emplace_back(Trim(raw[0]));
  }
  const VariableType item_type = v.type == VariableType::kList ? v.item_type : v.type;
  for (std::string& item : out.items) {
    if (item_type == VariableType::kBool) {
      const std::optional<bool> b = ParseBoolText(item);
      if (!b) {
        *error = "'" + v.name + "' must be true or false, not '" + item + "'";
        return std::nullopt;
      }
      item = *b ? "true" : "false";
    } else if (item_type == VariableType::kS3Location) {
      std::string e;
      std::optional<S3Location> loc = S3Location::Parse(item, &e);
      if (!loc) {
        *error = "'" + v.name + "': " + e;
        return std::nullopt;
      }
      item = loc->Uri();
      out.locations.push_back(std::move(*loc));
    }
  }
  return out;
}

std::string HowToGive(const ProfileVariable& v) {
  std::string how =
      "pass --var " + v.name + "=" + (v.type == VariableType::kList ? "A,B,..." : "VALUE");
  if (!v.dbt_fields.empty()) {
    how += " or set '" + v.dbt_fields.front() + "' in the dbt target read with --dbt-profiles";
  }
  return how;
}

void ThrowIfAny(const std::vector<std::string>& errors) {
  if (errors.empty()) return;
  std::string message;
  for (const std::string& e : errors) {
    if (!message.empty()) message += '\n';
    message += e;
  }
  throw InputError(message);
}

}  // namespace

Bindings Profile::Bind(const std::vector<VariableInput>& inputs) const {
  std::vector<std::string> errors;
  std::map<std::string, const VariableInput*, std::less<>> given;
  for (const VariableInput& in : inputs) {
    if (!FindVariable(in.name)) {
      std::vector<std::string> names;
      for (const ProfileVariable& v : variables_) names.push_back(v.name);
      errors.push_back("unknown variable '" + in.name + "' (from " + in.origin + "): profile " +
                       name_ + " has " + (names.empty() ? "no variables" : Join(names, ", ")));
      continue;
    }
    given[in.name] = &in;
  }
  Bindings out;
  for (std::size_t idx : default_order_) {
    const ProfileVariable& v = variables_[idx];
    std::string error;
    std::optional<VariableValue> value;
    if (const auto it = given.find(v.name); it != given.end()) {
      value = TypeValue(v, it->second->values, it->second->sequence, it->second->origin, &error);
    } else if (v.default_value) {
      std::vector<std::string> raw;
      bool unset = false;
      for (const std::string& text : *v.default_value) {
        std::vector<TemplateError> ignored;
        const std::optional<ValueTemplate> t = ParseTemplate(text, &ignored);
        const std::optional<std::vector<std::string>> expanded = t->Expand(out);
        if (!expanded) {
          unset = true;  // depends on an unset variable: unset too
          break;
        }
        raw.insert(raw.end(), expanded->begin(), expanded->end());
      }
      if (unset) continue;
      value = TypeValue(v, std::move(raw), /*sequence=*/true, "default", &error);
    } else if (v.required) {
      errors.push_back("missing required variable '" + v.name + "'" +
                       (v.description.empty() ? "" : " (" + v.description + ")") + ": " +
                       HowToGive(v));
      continue;
    } else {
      continue;
    }
    if (!value) {
      errors.push_back(error + " (from " +
                       (given.count(v.name) ? given.find(v.name)->second->origin : "its default") +
                       ")");
      continue;
    }
    out.emplace(v.name, std::move(*value));
  }
  ThrowIfAny(errors);
  return out;
}

// ---------------------------------------------------------------------------
// Requirements.

std::vector<Requirement> Profile::Requirements(const Bindings& bindings) const {
  std::vector<Requirement> out;
  std::vector<std::string> errors;
  const auto expand = [&](const ProfileGroup& g, const ValueTemplate& t,
                          std::vector<std::string>* values) {
    std::string missing;
    const std::optional<std::vector<std::string>> r = t.Expand(bindings, &missing);
    if (r) {
      values->insert(values->end(), r->begin(), r->end());
      return true;
    }
    const ProfileVariable* v = FindVariable(missing);
    errors.push_back("group '" + g.id + "' needs variable '" + missing + "', which is not set: " +
                     (v ? HowToGive(*v) : "pass --var " + missing + "=VALUE"));
    return false;
  };
  for (const ProfileGroup& g : groups_) {
    if (!g.when.Evaluate(bindings)) continue;
    const std::size_t before = errors.size();
    std::vector<std::vector<std::string>> resources(g.resources.size());
    for (std::size_t i = 0; i < g.resources.size(); ++i) {
      const ProfileResource& r = g.resources[i];
      if (!expand(g, r.arn, &resources[i]) || r.any) continue;
      for (const std::string& value : resources[i]) {
        const bool fits = std::any_of(
            r.types.begin(), r.types.end(),
            [&](const ResourceTypeRef& t) { return FitsResourceType(t.arn_template, value); });
        if (!fits) {
          errors.push_back("'" + value + "' (from " + file_ + ":" +
                           std::to_string(r.arn.where.line) + ":" +
                           std::to_string(r.arn.where.column) + " '" + r.arn.text +
                           "') is not an ARN of resource type " + r.types.front().service + ":" +
                           r.types.front().name + " (" + r.types.front().arn_template + ")");
        }
      }
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> context;
    for (const ProfileContextEntry& e : g.context) {
      std::vector<std::string> values;
      for (const ValueTemplate& t : e.values) expand(g, t, &values);
      context.emplace_back(e.key, std::move(values));
    }
    if (errors.size() != before) continue;
    std::set<std::pair<std::string_view, std::string_view>> seen;
    const auto emit = [&](const ProfileCheck& c, const std::string& resource) {
      if (!seen.emplace(c.action, resource).second) return;
      Requirement req;
      req.group_id = g.id;
      req.group_title = g.title;
      req.action = c.action;
      req.resource = resource;
      req.resource_type = c.resource_type;
      req.access = c.access;
      req.severity = g.severity;
      req.origin = g.origin;
      req.source = g.source;
      req.beyond_doc = g.beyond_doc;
      req.context = context;
      req.where = g.where;
      out.push_back(std::move(req));
    };
    static const std::string kStar = "*";
    for (const ProfileCheck& c : g.checks) {
      if (c.resource < 0) {
        emit(c, kStar);
        continue;
      }
      for (const std::string& r : resources[static_cast<std::size_t>(c.resource)]) emit(c, r);
    }
  }
  ThrowIfAny(errors);
  return out;
}

}  // namespace iam_audit
