#include "iam_audit/condition.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "ascii.h"
#include "suggest.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;
using ascii::Lower;

using ascii::EndsWithIgnoreCase;
using ascii::StartsWithIgnoreCase;

// --- the operator table (data, not code) ------------------------------------

// One row per operator, in enum order. `wildcards`: `*` and `?` in the
// policy's values match any run / any one character (StringLike, the Arn
// operators); `ignore_case`: values compare case-insensitively (the
// IgnoreCase operators, and Bool's "true"/"false").
struct OperatorSpec {
  std::string_view name;
  ConditionOperator op;
  ConditionCategory category;
  bool negated;
  bool wildcards;
  bool ignore_case;
};

using enum ConditionOperator;
using Cat = ConditionCategory;

constexpr std::array<OperatorSpec, 27> kOperators = {{
    {"StringEquals", kStringEquals, Cat::kString, false, false, false},
    {"StringNotEquals", kStringNotEquals, Cat::kString, true, false, false},
    {"StringEqualsIgnoreCase", kStringEqualsIgnoreCase, Cat::kString, false, false, true},
    {"StringNotEqualsIgnoreCase", kStringNotEqualsIgnoreCase, Cat::kString, true, false, true},
    {"StringLike", kStringLike, Cat::kString, false, true, false},
    {"StringNotLike", kStringNotLike, Cat::kString, true, true, false},
    {"NumericEquals", kNumericEquals, Cat::kNumeric, false, false, false},
    {"NumericNotEquals", kNumericNotEquals, Cat::kNumeric, true, false, false},
    {"NumericLessThan", kNumericLessThan, Cat::kNumeric, false, false, false},
    {"NumericLessThanEquals", kNumericLessThanEquals, Cat::kNumeric, false, false, false},
    {"NumericGreaterThan", kNumericGreaterThan, Cat::kNumeric, false, false, false},
    {"NumericGreaterThanEquals", kNumericGreaterThanEquals, Cat::kNumeric, false, false, false},
    {"DateEquals", kDateEquals, Cat::kDate, false, false, false},
    {"DateNotEquals", kDateNotEquals, Cat::kDate, true, false, false},
    {"DateLessThan", kDateLessThan, Cat::kDate, false, false, false},
    {"DateLessThanEquals", kDateLessThanEquals, Cat::kDate, false, false, false},
    {"DateGreaterThan", kDateGreaterThan, Cat::kDate, false, false, false},
    {"DateGreaterThanEquals", kDateGreaterThanEquals, Cat::kDate, false, false, false},
    {"Bool", kBool, Cat::kBool, false, false, true},
    {"BinaryEquals", kBinaryEquals, Cat::kBinary, false, false, false},
    {"IpAddress", kIpAddress, Cat::kIpAddress, false, false, false},
    {"NotIpAddress", kNotIpAddress, Cat::kIpAddress, true, false, false},
    {"ArnEquals", kArnEquals, Cat::kArn, false, true, false},
    {"ArnLike", kArnLike, Cat::kArn, false, true, false},
    {"ArnNotEquals", kArnNotEquals, Cat::kArn, true, true, false},
    {"ArnNotLike", kArnNotLike, Cat::kArn, true, true, false},
    {"Null", kNull, Cat::kNull, false, false, false},
}};

constexpr bool TableMatchesEnum() {
  for (std::size_t i = 0; i < kOperators.size(); ++i) {
    if (static_cast<std::size_t>(kOperators[i].op) != i) return false;
  }
  return kOperators.size() == static_cast<std::size_t>(kNull) + 1;
}
static_assert(TableMatchesEnum(), "kOperators must list every ConditionOperator, in enum order");

const OperatorSpec& Spec(ConditionOperator op) { return kOperators[static_cast<std::size_t>(op)]; }

const OperatorSpec* FindSpec(std::string_view name) {
  for (const OperatorSpec& s : kOperators) {
    if (EqualsIgnoreCase(s.name, name)) return &s;
  }
  return nullptr;
}

constexpr std::string_view kForAllValues = "ForAllValues:";
constexpr std::string_view kForAnyValue = "ForAnyValue:";
constexpr std::string_view kIfExists = "IfExists";

// " (did you mean 'StringEquals'?)" for near misses.
std::string Suggestion(std::string_view base) {
  static const std::vector<std::string_view> names = ConditionOperatorNames();
  return DidYouMean(base, names);
}

std::string_view CategoryNoun(ConditionCategory c) {
  switch (c) {
    case Cat::kNumeric:
      return "Numeric";
    case Cat::kDate:
      return "Date";
    case Cat::kBinary:
      return "Binary";
    case Cat::kIpAddress:
      return "IP address";
    case Cat::kNull:
      return "Null";
    default:
      return "this";
  }
}

// --- shared evaluation helpers ------------------------------------------------

template <typename T>
bool Compare(ConditionOperator op, T request, T policy) {
  switch (op) {
    case kNumericLessThan:
    case kDateLessThan:
      return request < policy;
    case kNumericLessThanEquals:
    case kDateLessThanEquals:
      return request <= policy;
    case kNumericGreaterThan:
    case kDateGreaterThan:
      return request > policy;
    case kNumericGreaterThanEquals:
    case kDateGreaterThanEquals:
      return request >= policy;
    default:  // Equals and NotEquals (the negation is applied by the caller)
      return request == policy;
  }
}

// Does a String/Bool/Arn policy value match the request value?
// `arn` is the request value parsed as an ARN (Arn operators only).
Truth MatchText(const ConditionTextValue& v, ConditionCategory category, bool wildcards,
                Glob::Case glob_case, std::string_view request_value, const std::optional<Arn>& arn,
                const EvalContext& env) {
  bool unknown = false;
  std::optional<Glob> instance;
  const Glob* glob = v.static_glob ? &*v.static_glob : nullptr;
  if (!glob) {
    instance = InstantiateTemplate(v.tmpl, v.lower_keys, wildcards, glob_case, env, &unknown);
    if (!instance) return Truth::kFalse;  // a variable without a value matches nothing
    glob = &*instance;
  }
  bool matched;
  if (category == Cat::kArn) {
    const auto match = [&](const ArnPattern& p) {
      return arn ? p.Matches(*arn) : p.Matches(request_value);
    };
    matched = v.static_arn ? match(*v.static_arn) : match(ArnPattern::FromGlob(*glob));
  } else {
    matched = glob->Matches(request_value);
  }
  if (!matched) return Truth::kFalse;
  return unknown ? Truth::kUnknown : Truth::kTrue;
}

}  // namespace

// --- Truth, RequestContext ---------------------------------------------------

std::string_view TruthName(Truth t) {
  switch (t) {
    case Truth::kTrue:
      return "true";
    case Truth::kFalse:
      return "false";
    case Truth::kUnknown:
      break;
  }
  return "unknown";
}

RequestContext::Entry* RequestContext::FindEntry(std::string_view key) {
  for (Entry& e : entries_) {
    if (EqualsIgnoreCase(e.key, key)) return &e;
  }
  return nullptr;
}

void RequestContext::Add(std::string_view key, std::string value) {
  if (Entry* e = FindEntry(key)) {
    e->values.push_back(std::move(value));
    return;
  }
  entries_.push_back(Entry{std::string(key), Lower(key), {std::move(value)}});
}

void RequestContext::Set(std::string_view key, std::vector<std::string> values) {
  if (Entry* e = FindEntry(key)) {
    e->values = std::move(values);
    return;
  }
  entries_.push_back(Entry{std::string(key), Lower(key), std::move(values)});
}

const std::vector<std::string>* RequestContext::Find(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (EqualsIgnoreCase(e.lower_key, key)) return e.values.empty() ? nullptr : &e.values;
  }
  return nullptr;
}

bool RequestContext::DeclaresAbsent(std::string_view lower_key) const {
  for (const Entry& e : entries_) {
    if (e.lower_key == lower_key) return e.values.empty();
  }
  return false;
}

const std::vector<std::string>* RequestContext::FindLower(std::string_view lower_key) const {
  for (const Entry& e : entries_) {
    if (e.lower_key == lower_key) return e.values.empty() ? nullptr : &e.values;
  }
  return nullptr;
}

// --- ParsedOperator --------------------------------------------------------------

std::optional<ParsedOperator> ParsedOperator::Parse(std::string_view text, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<ParsedOperator> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  const std::string quoted = Quoted(text);
  ParsedOperator p;
  std::string_view base = text;
  if (StartsWithIgnoreCase(base, kForAllValues)) {
    p.qualifier = SetQualifier::kForAllValues;
    base.remove_prefix(kForAllValues.size());
  } else if (StartsWithIgnoreCase(base, kForAnyValue)) {
    p.qualifier = SetQualifier::kForAnyValue;
    base.remove_prefix(kForAnyValue.size());
  } else if (base.find(':') != std::string_view::npos) {
    return fail("unknown condition operator " + quoted +
                ": the only set qualifiers are ForAllValues: and ForAnyValue:");
  }
  const OperatorSpec* spec = FindSpec(base);
  if (!spec && EndsWithIgnoreCase(base, kIfExists)) {
    spec = FindSpec(base.substr(0, base.size() - kIfExists.size()));
    p.if_exists = spec != nullptr;
  }
  if (!spec) {
    return fail("unknown condition operator " + quoted + Suggestion(base));
  }
  p.op = spec->op;
  if (p.op == kNull && p.if_exists) {
    return fail("unknown condition operator " + quoted +
                ": ...IfExists applies to every operator except Null");
  }
  if (p.op == kNull && p.qualifier != SetQualifier::kNone) {
    return fail("unknown condition operator " + quoted +
                ": Null takes no ForAllValues:/ForAnyValue: qualifier");
  }
  return p;
}

ConditionCategory ParsedOperator::category() const { return Spec(op).category; }
bool ParsedOperator::negated() const { return Spec(op).negated; }
bool ParsedOperator::wildcards() const { return Spec(op).wildcards; }
bool ParsedOperator::ignore_case() const { return Spec(op).ignore_case; }
std::string_view ParsedOperator::name() const { return Spec(op).name; }

std::string ParsedOperator::ToString() const {
  std::string out;
  if (qualifier == SetQualifier::kForAllValues) out = kForAllValues;
  if (qualifier == SetQualifier::kForAnyValue) out = kForAnyValue;
  out += name();
  if (if_exists) out += kIfExists;
  return out;
}

std::vector<std::string_view> ConditionOperatorNames() {
  std::vector<std::string_view> names;
  for (const OperatorSpec& s : kOperators) names.push_back(s.name);
  return names;
}

// --- templates ------------------------------------------------------------------------

std::vector<std::string> LowerVariableKeys(const PolicyTemplate& tmpl) {
  std::vector<std::string> keys;
  keys.reserve(tmpl.parts().size());
  for (const PolicyTemplate::Part& part : tmpl.parts()) {
    keys.push_back(part.kind == PolicyTemplate::Part::Kind::kVariable ? Lower(part.variable)
                                                                      : std::string());
  }
  return keys;
}

std::optional<Glob> InstantiateTemplate(const PolicyTemplate& tmpl,
                                        const std::vector<std::string>& lower_keys,
                                        bool text_wildcards, Glob::Case c, const EvalContext& env,
                                        bool* unknown) {
  using Token = Glob::Token;
  using Kind = Glob::TokenKind;
  std::vector<Token> tokens;
  tokens.reserve(tmpl.text().size() + 16);
  auto literal = [&](std::string_view s) {
    for (char ch : s) tokens.push_back({Kind::kLiteral, ch});
  };
  const auto& parts = tmpl.parts();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const PolicyTemplate::Part& part = parts[i];
    switch (part.kind) {
      case PolicyTemplate::Part::Kind::kText:
        for (char ch : part.text) {
          if (text_wildcards && ch == '*') {
            tokens.push_back({Kind::kAnyRun, 0});
          } else if (text_wildcards && ch == '?') {
            tokens.push_back({Kind::kAnyOne, 0});
          } else {
            tokens.push_back({Kind::kLiteral, ch});
          }
        }
        break;
      case PolicyTemplate::Part::Kind::kEscape:
        literal(part.text);
        break;
      case PolicyTemplate::Part::Kind::kVariable: {
        const std::vector<std::string>* values =
            i < lower_keys.size() ? env.FindLower(lower_keys[i]) : env.Find(part.variable);
        if (values && values->size() == 1) {
          literal(values->front());
        } else if (part.default_value) {
          literal(*part.default_value);
        } else if (!values) {
          env.NoteMissing(part.variable);
          if (!env.unknown_mode()) return std::nullopt;  // no value: matches nothing
          tokens.push_back({Kind::kAnyRun, 0});          // unknown: any value it could take
          if (unknown) *unknown = true;
        } else {
          return std::nullopt;  // a multi-valued key is not a variable's value
        }
        break;
      }
    }
  }
  return Glob::FromTokens(std::move(tokens), c);
}

// --- CompiledCondition -------------------------------------------------------------------

std::optional<CompiledCondition> CompiledCondition::Compile(const ConditionClause& clause,
                                                            bool variables, const std::string& file,
                                                            Diagnostics* errors) {
  std::string message;
  const auto op = ParsedOperator::Parse(clause.op.value, &message);
  if (!op) {
    errors->push_back(Diagnostic{file, clause.op.where, message});
    return std::nullopt;
  }
  CompiledCondition c;
  c.op_ = *op;
  c.key_ = clause.key.value;
  c.key_lower_ = Lower(clause.key.value);
  c.where_ = clause.op.where;
  const std::string op_name = op->ToString();
  const ConditionCategory category = op->category();
  bool ok = true;
  // A value the operator cannot read: IAM accepts the policy (Access Analyzer
  // reports "Type mismatch number / date / IP range", "Invalid date value" as
  // general warnings) and the value matches no request, so it is left out of
  // the compiled values (lint: condition-value-never-matches). A policy
  // variable there is another matter: "You can not use a policy variable"
  // with these operators (Access Analyzer's error "Invalid variable for
  // operator"), an error.
  auto bad_value = [&](const LocatedString& v, std::string_view what) {
    if (!variables || v.value.find("${") == std::string::npos) return;
    errors->push_back(Diagnostic{file, v.where,
                                 op_name + " value " + Quoted(v.value) + " " + std::string(what) +
                                     " (policy variables cannot be used with " +
                                     std::string(CategoryNoun(category)) + " operators)"});
    ok = false;
  };
  const Glob::Case glob_case =
      op->ignore_case() ? Glob::Case::kInsensitive : Glob::Case::kSensitive;
  const bool wildcards = op->wildcards();
  const RequestContext no_context;
  const EvalContext no_env(no_context, MissingKeys::kAbsent);

  c.values_.reserve(clause.values.size());
  if (category == Cat::kString || category == Cat::kArn || category == Cat::kBool) {
    c.texts_.reserve(clause.values.size());
  }
  for (const LocatedString& v : clause.values) {
    c.values_.push_back(v.value);
    switch (category) {
      case Cat::kString:
      case Cat::kArn:
      case Cat::kBool: {
        ConditionTextValue t{PolicyTemplate::Parse(v.value, variables, glob_case), {}, {}, {}};
        if (t.tmpl.HasVariables()) {
          t.lower_keys = LowerVariableKeys(t.tmpl);
        } else if (wildcards) {
          t.static_glob = t.tmpl.StaticGlob();  // the same instantiation, already made
        } else if (t.tmpl.IsPlainText()) {
          t.static_glob = Glob::Literal(v.value, glob_case);  // every byte literal
        } else {
          t.static_glob =
              InstantiateTemplate(t.tmpl, t.lower_keys, wildcards, glob_case, no_env, nullptr);
        }
        if (!t.tmpl.HasVariables()) {
          if (category == Cat::kArn && t.static_glob) {
            t.static_arn = ArnPattern::FromGlob(*t.static_glob);
          }
        }
        c.texts_.push_back(std::move(t));
        break;
      }
      case Cat::kNumeric:
        if (const auto n = ParseConditionNumber(v.value)) {
          c.numbers_.push_back(*n);
        } else {
          bad_value(v, "is not a number");
        }
        break;
      case Cat::kDate:
        if (const auto t = ParseConditionDate(v.value)) {
          c.times_.push_back(*t);
        } else {
          bad_value(v, "is not an ISO 8601 date-time or epoch seconds");
        }
        break;
      case Cat::kBinary:
        if (auto b = DecodeBase64(v.value)) {
          c.binaries_.push_back(std::move(*b));
        } else {
          bad_value(v, "is not base-64");
        }
        break;
      case Cat::kIpAddress:
        if (const auto cidr = ParseCidr(v.value)) {
          c.cidrs_.push_back(*cidr);
        } else {
          bad_value(v, "is not an IPv4 or IPv6 address or CIDR range");
        }
        break;
      case Cat::kNull:
        if (EqualsIgnoreCase(v.value, "true")) {
          c.null_true_ = true;
        } else if (EqualsIgnoreCase(v.value, "false")) {
          c.null_false_ = true;
        } else {
          bad_value(v, "is not true or false");
        }
        break;
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

bool CompiledCondition::HasVariables() const {
  return std::any_of(texts_.begin(), texts_.end(),
                     [](const ConditionTextValue& t) { return t.tmpl.HasVariables(); });
}

std::vector<std::string> CompiledCondition::ReferencedKeys() const {
  std::vector<std::string> keys{key_};
  for (const ConditionTextValue& t : texts_) {
    for (const PolicyTemplate::Part& part : t.tmpl.parts()) {
      if (part.kind == PolicyTemplate::Part::Kind::kVariable) keys.push_back(part.variable);
    }
  }
  return keys;
}

Truth CompiledCondition::MatchPositive(const std::string& request_value,
                                       const EvalContext& env) const {
  const ConditionCategory category = op_.category();
  Truth result = Truth::kFalse;
  switch (category) {
    case Cat::kString:
    case Cat::kArn:
    case Cat::kBool: {
      const bool wildcards = op_.wildcards();
      const Glob::Case glob_case =
          op_.ignore_case() ? Glob::Case::kInsensitive : Glob::Case::kSensitive;
      const std::optional<Arn> arn =
          category == Cat::kArn ? Arn::Parse(request_value) : std::nullopt;
      for (const ConditionTextValue& t : texts_) {
        result =
            TruthOr(result, MatchText(t, category, wildcards, glob_case, request_value, arn, env));
        if (result == Truth::kTrue) break;
      }
      return result;
    }
    case Cat::kNumeric: {
      const auto n = ParseConditionNumber(request_value);
      return TruthOf(n && std::any_of(numbers_.begin(), numbers_.end(),
                                      [&](double p) { return Compare(op_.op, *n, p); }));
    }
    case Cat::kDate: {
      const auto t = ParseConditionDate(request_value);
      return TruthOf(t && std::any_of(times_.begin(), times_.end(),
                                      [&](std::int64_t p) { return Compare(op_.op, *t, p); }));
    }
    case Cat::kBinary: {
      const auto bytes = DecodeBase64(request_value);
      return TruthOf(bytes &&
                     std::find(binaries_.begin(), binaries_.end(), *bytes) != binaries_.end());
    }
    case Cat::kIpAddress: {
      const auto address = ParseCidr(request_value);
      return TruthOf(address && std::any_of(cidrs_.begin(), cidrs_.end(), [&](const Cidr& r) {
                       return CidrContains(r, *address);
                     }));
    }
    case Cat::kNull:
      break;
  }
  return Truth::kFalse;
}

Truth CompiledCondition::EvaluateValue(const std::string& request_value,
                                       const EvalContext& env) const {
  const Truth positive = MatchPositive(request_value, env);
  return op_.negated() ? TruthNot(positive) : positive;
}

bool CompiledCondition::VariableWithoutValue(const EvalContext& env) const {
  for (const ConditionTextValue& t : texts_) {
    if (!t.tmpl.HasVariables()) continue;
    const auto& parts = t.tmpl.parts();
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const PolicyTemplate::Part& part = parts[i];
      if (part.kind != PolicyTemplate::Part::Kind::kVariable || part.default_value) continue;
      const std::string lower =
          i < t.lower_keys.size() ? t.lower_keys[i] : ascii::Lower(part.variable);
      const std::vector<std::string>* values = env.FindLower(lower);
      if (values && values->size() == 1) continue;
      if (!values && env.Unknown(lower)) continue;  // three-valued: decided downstream
      if (!values) env.NoteMissing(part.variable);
      return true;
    }
  }
  return false;
}

Truth CompiledCondition::Evaluate(const EvalContext& env) const {
  // [VARS] a variable whose value is "not present ... any attempt to match
  // it fails and causes the statement to be invalid": the clause is false
  // whatever the operator (a negated operator is not its complement here).
  if (VariableWithoutValue(env)) return Truth::kFalse;
  const std::vector<std::string>* values = env.FindLower(key_lower_);
  if (values) {
    if (op_.op == kNull) return TruthOf(null_false_);
  } else {
    const bool unknown = env.Unknown(key_lower_);
    if (unknown || !env.unknown_mode()) env.NoteMissing(key_);
    if (unknown) return Truth::kUnknown;
    if (op_.op == kNull) return TruthOf(null_true_);
    if (op_.if_exists) return Truth::kTrue;
    if (op_.qualifier == SetQualifier::kForAllValues) return Truth::kTrue;
    if (op_.qualifier == SetQualifier::kForAnyValue) return Truth::kFalse;
    return TruthOf(op_.negated());
  }
  switch (op_.qualifier) {
    case SetQualifier::kNone:
      // A plain operator compares one value; a list is not one value.
      if (values->size() == 1) return EvaluateValue(values->front(), env);
      return TruthOf(op_.negated());
    case SetQualifier::kForAllValues: {
      Truth all = Truth::kTrue;
      for (const std::string& v : *values) {
        all = TruthAnd(all, EvaluateValue(v, env));
        if (all == Truth::kFalse) break;
      }
      return all;
    }
    case SetQualifier::kForAnyValue: {
      Truth any = Truth::kFalse;
      for (const std::string& v : *values) {
        any = TruthOr(any, EvaluateValue(v, env));
        if (any == Truth::kTrue) break;
      }
      return any;
    }
  }
  return Truth::kFalse;
}

// --- ConditionBlock --------------------------------------------------------------------------

std::optional<ConditionBlock> ConditionBlock::Compile(const std::vector<ConditionClause>& clauses,
                                                      bool variables, const std::string& file,
                                                      Diagnostics* errors) {
  ConditionBlock block;
  bool ok = true;
  for (const ConditionClause& clause : clauses) {
    auto c = CompiledCondition::Compile(clause, variables, file, errors);
    if (c) {
      block.clauses_.push_back(std::move(*c));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return block;
}

Truth ConditionBlock::Evaluate(const EvalContext& env) const {
  Truth result = Truth::kTrue;
  for (const CompiledCondition& c : clauses_) {
    result = TruthAnd(result, c.Evaluate(env));
    if (result == Truth::kFalse) return result;  // false wins over unknown
  }
  return result;
}

}  // namespace iam_audit
