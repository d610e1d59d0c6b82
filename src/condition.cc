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

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// --- the operator table (data, not code) ------------------------------------

struct OperatorSpec {
  std::string_view name;
  ConditionOperator op;
  ConditionCategory category;
  bool negated;
};

using enum ConditionOperator;
using Cat = ConditionCategory;

constexpr std::array<OperatorSpec, 27> kOperators = {{
    {"StringEquals", kStringEquals, Cat::kString, false},
    {"StringNotEquals", kStringNotEquals, Cat::kString, true},
    {"StringEqualsIgnoreCase", kStringEqualsIgnoreCase, Cat::kString, false},
    {"StringNotEqualsIgnoreCase", kStringNotEqualsIgnoreCase, Cat::kString, true},
    {"StringLike", kStringLike, Cat::kString, false},
    {"StringNotLike", kStringNotLike, Cat::kString, true},
    {"NumericEquals", kNumericEquals, Cat::kNumeric, false},
    {"NumericNotEquals", kNumericNotEquals, Cat::kNumeric, true},
    {"NumericLessThan", kNumericLessThan, Cat::kNumeric, false},
    {"NumericLessThanEquals", kNumericLessThanEquals, Cat::kNumeric, false},
    {"NumericGreaterThan", kNumericGreaterThan, Cat::kNumeric, false},
    {"NumericGreaterThanEquals", kNumericGreaterThanEquals, Cat::kNumeric, false},
    {"DateEquals", kDateEquals, Cat::kDate, false},
    {"DateNotEquals", kDateNotEquals, Cat::kDate, true},
    {"DateLessThan", kDateLessThan, Cat::kDate, false},
    {"DateLessThanEquals", kDateLessThanEquals, Cat::kDate, false},
    {"DateGreaterThan", kDateGreaterThan, Cat::kDate, false},
    {"DateGreaterThanEquals", kDateGreaterThanEquals, Cat::kDate, false},
    {"Bool", kBool, Cat::kBool, false},
    {"BinaryEquals", kBinaryEquals, Cat::kBinary, false},
    {"IpAddress", kIpAddress, Cat::kIpAddress, false},
    {"NotIpAddress", kNotIpAddress, Cat::kIpAddress, true},
    {"ArnEquals", kArnEquals, Cat::kArn, false},
    {"ArnLike", kArnLike, Cat::kArn, false},
    {"ArnNotEquals", kArnNotEquals, Cat::kArn, true},
    {"ArnNotLike", kArnNotLike, Cat::kArn, true},
    {"Null", kNull, Cat::kNull, false},
}};

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

// --- value parsers ----------------------------------------------------------

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned DaysInMonth(int y, int m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

constexpr std::int64_t kMicros = 1000000;

// Epoch seconds: [-]digits[.digits].
std::optional<std::int64_t> ParseEpoch(std::string_view t) {
  bool negative = false;
  if (!t.empty() && t[0] == '-') {
    negative = true;
    t.remove_prefix(1);
  }
  const std::size_t dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  if (!AllDigits(whole) || whole.size() > 12) return std::nullopt;
  if (dot != std::string_view::npos && !AllDigits(frac)) return std::nullopt;
  std::int64_t seconds = 0;
  for (char c : whole) seconds = seconds * 10 + (c - '0');
  std::int64_t micros = 0, scale = kMicros / 10;
  for (std::size_t i = 0; i < frac.size() && scale > 0; ++i, scale /= 10) {
    micros += (frac[i] - '0') * scale;
  }
  const std::int64_t total = seconds * kMicros + micros;
  return negative ? -total : total;
}

std::optional<std::int64_t> ParseIso8601(std::string_view t) {
  const auto year = Digits(t, 0, 4);
  if (!year) return std::nullopt;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0, offset_minutes = 0;
  std::size_t p = 4;
  auto next = [&](char sep, int* out) {
    if (p >= t.size() || t[p] != sep) return false;
    const auto v = Digits(t, p + 1, 2);
    if (!v) return false;
    *out = *v;
    p += 3;
    return true;
  };
  if (p < t.size()) {
    if (!next('-', &month)) return std::nullopt;
    if (p < t.size()) {
      if (!next('-', &day)) return std::nullopt;
      if (p < t.size()) {
        if (t[p] != 'T' && t[p] != 't') return std::nullopt;
        const auto h = Digits(t, p + 1, 2);
        if (!h) return std::nullopt;
        hour = *h;
        p += 3;
        if (!next(':', &minute)) return std::nullopt;
        if (p < t.size() && t[p] == ':') {
          if (!next(':', &second)) return std::nullopt;
          if (p < t.size() && t[p] == '.') {
            ++p;
            std::int64_t scale = kMicros / 10;
            const std::size_t start = p;
            while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
              if (scale > 0) micros += (t[p] - '0') * scale;
              scale /= 10;
              ++p;
            }
            if (p == start) return std::nullopt;
          }
        }
        // Time zone designator: Z, +hh:mm, -hh:mm (+hhmm accepted); none = UTC.
        if (p < t.size()) {
          if (t[p] == 'Z' || t[p] == 'z') {
            ++p;
          } else if (t[p] == '+' || t[p] == '-') {
            const int sign = t[p] == '-' ? -1 : 1;
            const auto oh = Digits(t, p + 1, 2);
            if (!oh) return std::nullopt;
            p += 3;
            int om = 0;
            if (p < t.size() && t[p] == ':') ++p;
            const auto m = Digits(t, p, 2);
            if (!m) return std::nullopt;
            om = *m;
            p += 2;
            if (*oh > 23 || om > 59) return std::nullopt;
            offset_minutes = sign * (*oh * 60 + om);
          } else {
            return std::nullopt;
          }
        }
      }
    }
  }
  if (p != t.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > DaysInMonth(*year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  const std::int64_t days =
      DaysFromCivil(*year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * kMicros + micros;
}

std::optional<std::array<std::uint8_t, 4>> ParseIpv4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view part = s.substr(0, dot);
    if (!AllDigits(part) || part.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : part) v = v * 10 + (c - '0');
    if (v > 255) return std::nullopt;
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    s = i < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return out;
}

std::optional<std::array<std::uint8_t, 16>> ParseIpv6(std::string_view s) {
  // Split on "::" (at most one); each side is ':'-separated hex groups, the
  // last group of the address may be a dotted IPv4 address.
  std::array<std::uint16_t, 8> groups{};
  std::size_t head_count = 0, tail_count = 0;
  std::array<std::uint16_t, 8> head{}, tail{};
  const std::size_t gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto parse_side = [](std::string_view side, std::array<std::uint16_t, 8>& out, std::size_t& count,
                       bool allow_v4_tail) -> bool {
    if (side.empty()) return true;
    while (true) {
      const std::size_t colon = side.find(':');
      const std::string_view part = side.substr(0, colon);
      if (colon == std::string_view::npos && allow_v4_tail && part.find('.') != part.npos) {
        const auto v4 = ParseIpv4(part);
        if (!v4 || count + 2 > 8) return false;
        out[count++] = static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]);
        out[count++] = static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]);
        return true;
      }
      if (part.empty() || part.size() > 4 || count >= 8) return false;
      unsigned v = 0;
      for (char c : part) {
        const char l = Lower(c);
        unsigned digit;
        if (l >= '0' && l <= '9') {
          digit = static_cast<unsigned>(l - '0');
        } else if (l >= 'a' && l <= 'f') {
          digit = static_cast<unsigned>(l - 'a' + 10);
        } else {
          return false;
        }
        v = v * 16 + digit;
      }
      out[count++] = static_cast<std::uint16_t>(v);
      if (colon == std::string_view::npos) return true;
      side = side.substr(colon + 1);
    }
  };
  if (gap == std::string_view::npos) {
    if (!parse_side(s, head, head_count, true) || head_count != 8) return std::nullopt;
  } else {
    if (!parse_side(s.substr(0, gap), head, head_count, false) ||
        !parse_side(s.substr(gap + 2), tail, tail_count, true) || head_count + tail_count > 7) {
      return std::nullopt;
    }
  }
  for (std::size_t i = 0; i < head_count; ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail_count; ++i) groups[8 - tail_count + i] = tail[i];
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return out;
}

void MaskHostBits(Cidr* c) {
  const int total = c->v6 ? 16 : 4;
  for (int i = 0; i < total; ++i) {
    const int bits = std::clamp(c->prefix - i * 8, 0, 8);
    c->bytes[i] &= static_cast<std::uint8_t>(0xff00 >> bits);
  }
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
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
  entries_.push_back(Entry{std::string(key), ToLower(key), {std::move(value)}});
}

void RequestContext::Set(std::string_view key, std::vector<std::string> values) {
  if (Entry* e = FindEntry(key)) {
    e->values = std::move(values);
    return;
  }
  entries_.push_back(Entry{std::string(key), ToLower(key), std::move(values)});
}

const std::vector<std::string>* RequestContext::Find(std::string_view key) const {
  for (const Entry& e : entries_) {
    if (EqualsIgnoreCase(e.lower_key, key)) return e.values.empty() ? nullptr : &e.values;
  }
  return nullptr;
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

// --- value parsers ----------------------------------------------------------------

std::optional<double> ParseConditionNumber(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) {
      return std::nullopt;
    }
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseConditionDate(std::string_view text) {
  if (const auto epoch = ParseEpoch(text)) return epoch;
  return ParseIso8601(text);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  Cidr c;
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (address.find(':') != std::string_view::npos) {
    const auto v6 = ParseIpv6(address);
    if (!v6) return std::nullopt;
    c.v6 = true;
    std::memcpy(c.bytes, v6->data(), 16);
  } else {
    const auto v4 = ParseIpv4(address);
    if (!v4) return std::nullopt;
    std::memcpy(c.bytes, v4->data(), 4);
  }
  const int max_prefix = c.v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    if (!AllDigits(bits) || bits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char ch : bits) prefix = prefix * 10 + (ch - '0');
    if (prefix > max_prefix) return std::nullopt;
  }
  c.prefix = static_cast<std::uint8_t>(prefix);
  MaskHostBits(&c);
  return c;
}

bool CidrContains(const Cidr& range, const Cidr& address) {
  if (range.v6 != address.v6 || address.prefix < range.prefix) return false;
  Cidr masked = address;
  masked.prefix = range.prefix;
  MaskHostBits(&masked);
  return std::memcmp(masked.bytes, range.bytes, range.v6 ? 16 : 4) == 0;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int d = Base64Digit(c);
    if (d < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

// --- templates ------------------------------------------------------------------------

std::vector<std::string> LowerVariableKeys(const PolicyTemplate& tmpl) {
  std::vector<std::string> keys;
  keys.reserve(tmpl.parts().size());
  for (const PolicyTemplate::Part& part : tmpl.parts()) {
    keys.push_back(part.kind == PolicyTemplate::Part::Kind::kVariable ? ToLower(part.variable)
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
  c.key_lower_ = ToLower(clause.key.value);
  c.where_ = clause.op.where;
  const std::string op_name = op->ToString();
  const ConditionCategory category = op->category();
  bool ok = true;
  auto bad_value = [&](const LocatedString& v, std::string_view what) {
    std::string text = op_name + " value " + Quoted(v.value) + " " + std::string(what);
    if (variables && v.value.find("${") != std::string::npos && category != Cat::kString &&
        category != Cat::kArn && category != Cat::kBool) {
      text += " (policy variables cannot be used with " + std::string(CategoryNoun(category)) +
              " operators)";
    }
    errors->push_back(Diagnostic{file, v.where, std::move(text)});
    ok = false;
  };
  const bool like = op->op == kStringLike || op->op == kStringNotLike;
  const bool ignore_case =
      op->op == kStringEqualsIgnoreCase || op->op == kStringNotEqualsIgnoreCase || op->op == kBool;
  const Glob::Case glob_case = ignore_case ? Glob::Case::kInsensitive : Glob::Case::kSensitive;
  const bool wildcards = like || category == Cat::kArn;
  const RequestContext no_context;
  const EvalContext no_env(no_context, MissingKeys::kAbsent);

  for (const LocatedString& v : clause.values) {
    c.values_.push_back(v.value);
    switch (category) {
      case Cat::kString:
      case Cat::kArn:
      case Cat::kBool: {
        ConditionTextValue t{PolicyTemplate::Parse(v.value, variables, glob_case), {}, {}, {}};
        t.lower_keys = LowerVariableKeys(t.tmpl);
        if (!t.tmpl.HasVariables()) {
          t.static_glob =
              InstantiateTemplate(t.tmpl, t.lower_keys, wildcards, glob_case, no_env, nullptr);
          if (category == Cat::kArn && t.static_glob) {
            t.static_arn = ArnPattern::FromGlob(*t.static_glob);
          }
          if (category == Cat::kBool && !EqualsIgnoreCase(v.value, "true") &&
              !EqualsIgnoreCase(v.value, "false")) {
            bad_value(v, "is not true or false");
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
      const bool like = op_.op == kStringLike || op_.op == kStringNotLike;
      const bool wildcards = like || category == Cat::kArn;
      const Glob::Case glob_case = (op_.op == kStringEqualsIgnoreCase ||
                                    op_.op == kStringNotEqualsIgnoreCase || op_.op == kBool)
                                       ? Glob::Case::kInsensitive
                                       : Glob::Case::kSensitive;
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

Truth CompiledCondition::Evaluate(const EvalContext& env) const {
  const std::vector<std::string>* values = env.FindLower(key_lower_);
  if (values) {
    if (op_.op == kNull) return TruthOf(null_false_);
  } else {
    env.NoteMissing(key_);
    if (env.unknown_mode()) return Truth::kUnknown;
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
