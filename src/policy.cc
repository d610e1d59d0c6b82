#include "iam_audit/policy.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ascii.h"
#include "iam_audit/action_pattern.h"
#include "iam_audit/condition.h"
#include "iam_audit/json.h"
#include "suggest.h"
#include "utf8.h"

namespace iam_audit {
namespace {

// The grammar's element names (AWS "Grammar of the IAM JSON policy
// language"). Element names are case-sensitive.
constexpr std::array<std::string_view, 3> kPolicyElements = {"Version", "Id", "Statement"};
enum PolicyElement { kVersion, kId, kStatement };

constexpr std::array<std::string_view, 9> kStatementElements = {
    "Sid",       "Effect",   "Principal",   "NotPrincipal", "Action",
    "NotAction", "Resource", "NotResource", "Condition"};
enum StatementElement {
  kSid,
  kEffect,
  kPrincipal,
  kNotPrincipal,
  kAction,
  kNotAction,
  kResource,
  kNotResource,
  kCondition
};

constexpr std::array<std::string_view, 2> kVersions = {"2012-10-17", "2008-10-17"};
constexpr std::array<std::string_view, 4> kPrincipalTypes = {"AWS", "Service", "Federated",
                                                             "CanonicalUser"};

// What an empty list means, for the warning about it.
struct ListElement {
  std::string_view name;
  std::string_view empty_means;
};
constexpr ListElement kActionList{"Action", "the statement applies to no action"};
constexpr ListElement kNotActionList{"NotAction", "the statement applies to every action"};
constexpr ListElement kResourceList{"Resource", "the statement applies to no resource"};
constexpr ListElement kNotResourceList{"NotResource", "the statement applies to every resource"};

int IndexOf(std::span<const std::string_view> names, std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string_view TypeOf(const json::Value& v) { return json::TypeName(v.type()); }

bool IsAlphanumeric(std::string_view s) {
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsWithArnPrefix(std::string_view s) {
  if (s.size() < 4 || s[3] != ':') return false;
  for (int i = 0; i < 3; ++i) {
    if ((s[i] | 0x20) != "arn"[i]) return false;
  }
  return true;
}

// The first character IAM does not accept in a policy document: IAM takes
// only tab, line feed, carriage return and U+0020 to U+00FF (the policy
// document parameter's pattern in the IAM API reference, and "IAM and AWS STS
// quotas"). Returns nullopt when all are fine, or when the text is not valid
// UTF-8 (the JSON reader reports that).
std::optional<char32_t> FirstCharacterIamRejects(std::string_view s) {
  if (utf8::AllPrintableAscii(s)) return std::nullopt;  // nearly every string
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80) {
      ++p;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      ++p;
      continue;
    }
    if (c < 0x20) return c;
    char32_t cp;
    const int len = utf8::Decode(p, end, &cp);
    if (len == 0) return std::nullopt;
    if (cp > 0xFF) return cp;
    p += len;
  }
  return std::nullopt;
}

// Valid UTF-8 that IAM's character set accepts.
bool IsCleanText(std::string_view s) {
  for (const char* p = s.data(); p < s.data() + s.size();) {
    char32_t cp;
    const int len = utf8::Decode(p, s.data() + s.size(), &cp);
    if (len == 0) return false;
    p += len;
  }
  return !FirstCharacterIamRejects(s);
}

// One pass over the located JSON, building the Policy and its diagnostics.
class PolicyReader {
 public:
  PolicyReader(const std::string& file, PolicyParseResult& result) : file_(file), result_(result) {}

  void Read(const json::Value& doc);

 private:
  // Hostile documents can hold millions of bad elements: after kMaxErrors
  // errors reading stops, and warnings past kMaxErrors are only counted.
  struct Stop {};
  void Error(SourceLocation where, std::string message) {
    if (result_.errors.size() >= json::kMaxErrors) {
      too_many_errors_ = true;
      throw Stop{};
    }
    result_.errors.push_back(Diagnostic{file_, where, std::move(message)});
  }
  void Warning(SourceLocation where, std::string message) {
    if (result_.warnings.size() >= json::kMaxErrors) {
      ++dropped_warnings_;
      return;
    }
    result_.warnings.push_back(Diagnostic{file_, where, std::move(message)});
  }

  void ReadPolicy(const json::Value& doc, Policy& policy);

  // Indexes an object's members by name (first occurrence: a repeated key
  // was already reported by the JSON reader), reporting unknown names as
  // "unknown <what> 'name'".
  template <std::size_t N>
  std::array<const json::Member*, N> Index(const json::Value& object,
                                           const std::array<std::string_view, N>& names,
                                           std::string_view what);

  // A string value as written (with IAM's character check), or nullopt
  // after reporting a wrong type. `what` names it in messages.
  std::optional<LocatedString> String(const json::Value& v, std::string_view what);
  LocatedString Located(const json::Value& v, std::string_view what);
  // A string or an array of strings, appended to `out`.
  void StringList(const json::Value& v, const ListElement& element,
                  std::vector<LocatedString>& out);

  void ReadStatement(const json::Value& v, int index, Policy& policy);
  void ReadEffect(const json::Member& m, Statement& s);
  void ReadActions(const json::Member& m, bool not_action, Statement& s);
  void ReadResources(const json::Member& m, bool not_resource, Statement& s);
  void ReadPrincipal(const json::Member& m, Statement& s);
  void ReadCondition(const json::Member& m, Statement& s);
  void ReadConditionValues(const json::Value& v, ConditionClause& clause);
  // Both X and NotX given: reported at whichever comes second.
  void ReportBoth(const json::Member& a, const json::Member& b);

  const std::string& file_;
  PolicyParseResult& result_;
  std::unordered_map<std::string, SourceLocation> sids_;
  bool too_many_errors_ = false;
  std::size_t dropped_warnings_ = 0;
};

template <std::size_t N>
std::array<const json::Member*, N> PolicyReader::Index(const json::Value& object,
                                                       const std::array<std::string_view, N>& names,
                                                       std::string_view what) {
  std::array<const json::Member*, N> found{};
  std::unordered_set<std::string_view> unknown;
  for (const json::Member& m : object.Members()) {
    const int i = IndexOf(names, m.name());
    if (i >= 0) {
      if (found[static_cast<std::size_t>(i)] == nullptr) found[static_cast<std::size_t>(i)] = &m;
    } else if (unknown.insert(m.name()).second) {
      std::string hint = DidYouMean(m.name(), names);
      if (hint.empty()) hint = " (expected " + ascii::JoinOr(names) + ")";
      Error(m.key.where(), "unknown " + std::string(what) + " " + Quoted(m.name()) + hint);
    }
  }
  return found;
}

LocatedString PolicyReader::Located(const json::Value& v, std::string_view what) {
  const std::string_view text = v.AsString();
  if (const std::optional<char32_t> bad = FirstCharacterIamRejects(text)) {
    Error(v.where(), "character " + utf8::CodePointName(*bad) + " in " + std::string(what) +
                         " is not allowed in IAM policies (IAM accepts only tab, line feed, "
                         "carriage return and U+0020 to U+00FF)");
  }
  return LocatedString{std::string(text), v.where()};
}

std::optional<LocatedString> PolicyReader::String(const json::Value& v, std::string_view what) {
  if (!v.is_string()) {
    Error(v.where(), std::string(what) + " must be a string, found " + std::string(TypeOf(v)));
    return std::nullopt;
  }
  return Located(v, what);
}

void PolicyReader::StringList(const json::Value& v, const ListElement& element,
                              std::vector<LocatedString>& out) {
  const std::string name(element.name);
  if (v.is_string()) {
    out.push_back(Located(v, name));
    return;
  }
  if (!v.is_array()) {
    Error(v.where(),
          name + " must be a string or an array of strings, found " + std::string(TypeOf(v)));
    return;
  }
  if (v.size() == 0) {
    Warning(v.where(), "empty " + name + " list: " + std::string(element.empty_means));
  }
  out.reserve(out.size() + v.size());
  for (const json::Value& e : v.Elements()) {
    if (e.is_string()) {
      out.push_back(Located(e, name));
    } else {
      Error(e.where(), name + " entries must be strings, found " + std::string(TypeOf(e)));
    }
  }
}

void PolicyReader::ReportBoth(const json::Member& a, const json::Member& b) {
  const auto later = [](SourceLocation x, SourceLocation y) {
    return std::pair(x.line, x.column) > std::pair(y.line, y.column);
  };
  const json::Member& second = later(a.key.where(), b.key.where()) ? a : b;
  Error(second.key.where(),
        "a statement cannot have both " + std::string(a.name()) + " and " + std::string(b.name()));
}

void PolicyReader::Read(const json::Value& doc) {
  Policy policy;
  policy.file = file_;
  policy.where = doc.where();
  try {
    ReadPolicy(doc, policy);
  } catch (const Stop&) {
  }
  SortByLocation(result_.errors);
  SortByLocation(result_.warnings);
  if (too_many_errors_) {
    result_.errors.push_back(
        Diagnostic{file_, result_.errors.back().where,
                   "too many errors (" + std::to_string(json::kMaxErrors) + "); stopped"});
  }
  if (dropped_warnings_ > 0) {
    result_.warnings.push_back(
        Diagnostic{file_, result_.warnings.back().where,
                   std::to_string(dropped_warnings_) + " more warnings not shown"});
  }
  if (result_.errors.empty()) result_.policy = std::move(policy);
}

void PolicyReader::ReadPolicy(const json::Value& doc, Policy& policy) {
  if (!doc.is_object()) {
    Error(doc.where(),
          "a policy document must be a JSON object, found " + std::string(TypeOf(doc)));
    return;
  }
  const auto elements = Index(doc, kPolicyElements, "top-level element");

  if (const json::Member* m = elements[kVersion]) {
    policy.version = String(m->value, "Version");
    if (policy.version && IndexOf(kVersions, policy.version->value) < 0) {
      Error(m->value.where(), "unsupported Version " + Quoted(policy.version->value) +
                                  ": IAM accepts only '2012-10-17' (current) and '2008-10-17'");
    }
  }
  if (const json::Member* m = elements[kId]) policy.id = String(m->value, "Id");

  if (const json::Member* m = elements[kStatement]) {
    const json::Value& v = m->value;
    if (v.is_object()) {
      ReadStatement(v, 0, policy);
    } else if (v.is_array()) {
      if (v.size() == 0) Warning(v.where(), "empty Statement list: the policy has no effect");
      int index = 0;
      policy.statements.reserve(v.size());
      for (const json::Value& s : v.Elements()) ReadStatement(s, index++, policy);
    } else {
      Error(v.where(),
            "Statement must be an object or an array of objects, found " + std::string(TypeOf(v)));
    }
  } else {
    Error(doc.where(), "the policy has no Statement element");
  }
}

void PolicyReader::ReadStatement(const json::Value& v, int index, Policy& policy) {
  if (!v.is_object()) {
    Error(v.where(), "a statement must be a JSON object, found " + std::string(TypeOf(v)));
    return;
  }
  Statement s;
  s.where = v.where();
  s.index = index;
  const auto elements = Index(v, kStatementElements, "statement element");

  if (const json::Member* m = elements[kSid]) {
    s.sid = String(m->value, "Sid");
    if (s.sid) {
      // (A Sid already in error for its characters gets no warning on top.)
      if (!IsAlphanumeric(s.sid->value) && IsCleanText(s.sid->value)) {
        Warning(s.sid->where, "Sid " + Quoted(s.sid->value) +
                                  " has characters other than A-Z, a-z and 0-9: IAM rejects it in "
                                  "identity policies (some resource policies accept it)");
      }
      const auto [it, inserted] = sids_.emplace(s.sid->value, s.sid->where);
      if (!inserted) {
        Warning(s.sid->where, "duplicate Sid " + Quoted(s.sid->value) + " (first at " +
                                  LocationText(it->second) + "): IAM requires unique Sids");
      }
    }
  }

  if (const json::Member* m = elements[kEffect]) {
    ReadEffect(*m, s);
  } else {
    Error(s.where, "the statement has no Effect (it must be 'Allow' or 'Deny')");
  }

  const json::Member* action = elements[kAction];
  const json::Member* not_action = elements[kNotAction];
  if (action && not_action) ReportBoth(*action, *not_action);
  if (!action && !not_action) Error(s.where, "the statement has neither Action nor NotAction");
  if (action) ReadActions(*action, false, s);
  if (not_action) ReadActions(*not_action, true, s);

  const json::Member* resource = elements[kResource];
  const json::Member* not_resource = elements[kNotResource];
  if (resource && not_resource) ReportBoth(*resource, *not_resource);
  if (resource) ReadResources(*resource, false, s);
  if (not_resource) ReadResources(*not_resource, true, s);

  const json::Member* principal = elements[kPrincipal];
  const json::Member* not_principal = elements[kNotPrincipal];
  if (principal && not_principal) ReportBoth(*principal, *not_principal);
  if (principal) ReadPrincipal(*principal, s);
  if (not_principal) ReadPrincipal(*not_principal, s);

  if (const json::Member* m = elements[kCondition]) ReadCondition(*m, s);

  policy.statements.push_back(std::move(s));
}

void PolicyReader::ReadEffect(const json::Member& m, Statement& s) {
  s.effect_where = m.key.where();
  const std::optional<LocatedString> effect = String(m.value, "Effect");
  if (!effect) return;
  if (effect->value == "Allow") {
    s.effect = Effect::kAllow;
  } else if (effect->value == "Deny") {
    s.effect = Effect::kDeny;
  } else {
    static constexpr std::array<std::string_view, 2> kEffects = {"Allow", "Deny"};
    Error(effect->where, "Effect must be 'Allow' or 'Deny', found " + Quoted(effect->value) +
                             DidYouMean(effect->value, kEffects));
  }
}

void PolicyReader::ReadActions(const json::Member& m, bool not_action, Statement& s) {
  s.not_action = not_action;
  s.actions_where = m.key.where();
  const std::size_t first = s.actions.size();
  StringList(m.value, not_action ? kNotActionList : kActionList, s.actions);
  std::string error;
  for (std::size_t i = first; i < s.actions.size(); ++i) {
    if (!ActionPattern::IsValid(s.actions[i].value, &error)) Error(s.actions[i].where, error);
  }
}

void PolicyReader::ReadResources(const json::Member& m, bool not_resource, Statement& s) {
  s.has_resource = true;
  s.not_resource = not_resource;
  s.resources_where = m.key.where();
  const std::size_t first = s.resources.size();
  StringList(m.value, not_resource ? kNotResourceList : kResourceList, s.resources);
  for (std::size_t i = first; i < s.resources.size(); ++i) {
    const LocatedString& r = s.resources[i];
    // IAM: "Resource ... must be in ARN format or \"*\"" (MalformedPolicyDocument).
    if (r.value != "*" && !StartsWithArnPrefix(r.value)) {
      Error(r.where, std::string(m.name()) + " " + Quoted(r.value) +
                         " must be '*' or an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)");
    }
  }
}

void PolicyReader::ReadPrincipal(const json::Member& m, Statement& s) {
  const std::string name(m.name());
  PrincipalSpec spec;
  spec.where = m.key.where();
  s.not_principal = name == "NotPrincipal";
  const json::Value& v = m.value;
  if (v.is_string()) {
    if (v.AsString() == "*") {
      spec.wildcard = true;
    } else {
      Error(v.where(), name + " must be '*' or an object such as {\"AWS\": \"ARN\"}, found " +
                           Quoted(v.AsString()));
    }
  } else if (v.is_object()) {
    if (v.size() == 0) Warning(v.where(), "empty " + name + " object: it names no principal");
    const auto types = Index(v, kPrincipalTypes, name + " type");
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (types[i] == nullptr) continue;
      std::vector<LocatedString>& values = spec.by_type[std::string(kPrincipalTypes[i])];
      StringList(types[i]->value, ListElement{kPrincipalTypes[i], "it names no principal"}, values);
    }
  } else {
    Error(v.where(), name + " must be '*' or an object, found " + std::string(TypeOf(v)));
  }
  s.principal = std::move(spec);
}

void PolicyReader::ReadCondition(const json::Member& m, Statement& s) {
  s.conditions_where = m.key.where();
  const json::Value& v = m.value;
  if (!v.is_object()) {
    Error(v.where(), "Condition must be an object of {operator: {key: value}}, found " +
                         std::string(TypeOf(v)));
    return;
  }
  std::unordered_set<std::string_view> seen_ops;  // a repeat is a JSON duplicate-key error
  for (const json::Member& op : v.Members()) {
    if (!seen_ops.insert(op.name()).second) continue;
    std::string error;
    if (const std::optional<ParsedOperator> parsed = ParsedOperator::Parse(op.name(), &error)) {
      // IAM rejects a miscased operator ("Invalid Condition type : stringEquals").
      const std::string canonical = parsed->ToString();
      if (canonical != op.name()) {
        Error(op.key.where(), "condition operator " + Quoted(op.name()) + " must be written '" +
                                  canonical + "' (operator names are case-sensitive)");
      }
    } else {
      Error(op.key.where(), error);
    }
    const LocatedString op_name = Located(op.key, "a condition operator");
    if (!op.value.is_object()) {
      Error(op.value.where(), "the body of condition operator " + Quoted(op.name()) +
                                  " must be an object of {key: value}, found " +
                                  std::string(TypeOf(op.value)));
      continue;
    }
    // Condition key names are case-insensitive in IAM: the same key spelt
    // twice is ambiguous. (Exact repeats are JSON duplicate-key errors.)
    std::unordered_map<std::string, const json::Member*> keys;
    for (const json::Member& key : op.value.Members()) {
      const auto [it, inserted] = keys.emplace(AsciiLower(key.name()), &key);
      if (!inserted) {
        const json::Member& earlier = *it->second;
        if (earlier.name() != key.name()) {
          Error(key.key.where(), "condition key " + Quoted(key.name()) + " repeats " +
                                     Quoted(earlier.name()) + " (at " +
                                     LocationText(earlier.key.where()) +
                                     "): condition keys are case-insensitive");
        }
        continue;
      }
      ConditionClause clause{op_name, Located(key.key, "a condition key"), {}};
      ReadConditionValues(key.value, clause);
      s.conditions.push_back(std::move(clause));
    }
  }
}

void PolicyReader::ReadConditionValues(const json::Value& v, ConditionClause& clause) {
  const auto read_one = [&](const json::Value& e) {
    if (e.is_string()) {
      clause.values.push_back(Located(e, "a condition value"));
    } else if (e.is_bool() || e.is_number()) {
      clause.values.push_back(LocatedString{std::string(e.ScalarText()), e.where()});
    } else {
      Error(e.where(), "condition values must be strings, booleans or numbers, found " +
                           std::string(TypeOf(e)));
    }
  };
  if (!v.is_array()) {
    read_one(v);
    return;
  }
  if (v.size() == 0) {
    Warning(v.where(), "empty list of values for condition key " + Quoted(clause.key.value));
  }
  clause.values.reserve(v.size());
  for (const json::Value& e : v.Elements()) read_one(e);
}

}  // namespace

bool Policy::SupportsVariables() const { return version && version->value == "2012-10-17"; }

PolicyParseResult PolicyFromJson(const json::Value& doc, const std::string& file) {
  PolicyParseResult result;
  PolicyReader(file, result).Read(doc);
  return result;
}

PolicyParseResult ParsePolicy(std::string_view text, const std::string& file) {
  json::ParseResult parsed = json::Parse(text, file);
  if (!parsed.complete) {
    PolicyParseResult result;
    result.errors = std::move(parsed.errors);
    return result;
  }
  PolicyParseResult result = PolicyFromJson(parsed.value(), file);
  if (!parsed.errors.empty()) {
    result.policy.reset();
    result.errors.insert(result.errors.begin(), parsed.errors.begin(), parsed.errors.end());
    SortByLocation(result.errors);
  }
  return result;
}

}  // namespace iam_audit
