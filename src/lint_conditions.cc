// Lint rules about Condition blocks: keys that do not exist, operators that
// do not fit the key's type or cardinality, and patterns that do not do what
// they seem to (AWS "IAM JSON policy elements: Condition operators", "AWS
// global condition context keys", "Single-valued vs. multivalued context
// keys"; docs/lint.md).
#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ascii.h"
#include "global_condition_keys.h"
#include "iam_audit/action_set.h"
#include "iam_audit/catalog.h"
#include "iam_audit/condition.h"
#include "lint_internal.h"
#include "suggest.h"

namespace iam_audit::lint {
namespace {

using ascii::EqualsIgnoreCase;

// What is known of one condition key.
struct KeyFacts {
  enum class Source : unsigned char { kGlobal, kCatalog, kFederation, kUnknown };
  Source source = Source::kUnknown;
  ConditionKeyType type = ConditionKeyType::kAny;
  bool multivalued = false;
  std::string_view catalog_key;  // kCatalog: the catalog's name of the key
};

std::string_view Prefix(std::string_view key) {
  const std::size_t colon = key.find(':');
  return colon == std::string_view::npos ? std::string_view() : key.substr(0, colon);
}

// Keys of identity providers: "accounts.google.com:aud",
// "token.actions.githubusercontent.com:sub", "oidc.eks...amazonaws.com/id/X:sub",
// "saml:aud" (AWS "Available keys for IAM and AWS STS federation").
bool IsFederationKey(std::string_view key) {
  const std::string_view prefix = Prefix(key);
  return EqualsIgnoreCase(prefix, "saml") || prefix.find('.') != std::string_view::npos;
}

// The catalog's entry for `key`. Besides ${TagKey} templates (which
// FindConditionKey matches), the reference writes some tag keys as
// "s3:ExistingObjectTag/<key>", "ssm:resourceTag/tag-key" or "glacier:ResourceTag/".
std::optional<ConditionKeyInfo> FindCatalogKey(const Catalog& catalog, std::string_view key) {
  if (std::optional<ConditionKeyInfo> info = catalog.FindConditionKey(key)) return info;
  const std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string head(key.substr(0, slash + 1));
  for (const char* tail : {"<key>", "tag-key", ""}) {
    if (std::optional<ConditionKeyInfo> info = catalog.FindConditionKey(head + tail)) return info;
  }
  return std::nullopt;
}

KeyFacts Lookup(const Catalog& catalog, std::string_view key) {
  KeyFacts k;
  if (const GlobalConditionKey* g = FindGlobalConditionKey(key)) {
    return {KeyFacts::Source::kGlobal, g->type, g->multivalued, {}};
  }
  if (IsFederationKey(key))
    return {KeyFacts::Source::kFederation, ConditionKeyType::kAny, false, {}};
  if (const std::optional<ConditionKeyInfo> info = FindCatalogKey(catalog, key)) {
    k.source = KeyFacts::Source::kCatalog;
    k.catalog_key = info->key;
    if (const std::optional<ParsedKeyType> t = ParseConditionKeyType(info->type)) {
      k.type = t->type;
      k.multivalued = t->multivalued;
    }
  }
  return k;
}

// Lookup, once per key and lint run (every condition rule asks).
const LintContext::KeyMemo::mapped_type& MemoEntry(LintContext& ctx, const std::string& key) {
  const auto [it, inserted] = ctx.condition_key_memo().try_emplace(key);
  auto& [packed, catalog_key] = it->second;
  if (inserted) {
    const KeyFacts k = Lookup(ctx.catalog(), key);
    packed = static_cast<std::uint32_t>(k.source) | static_cast<std::uint32_t>(k.type) << 8 |
             static_cast<std::uint32_t>(k.multivalued) << 16;
    catalog_key = k.catalog_key;
  }
  return it->second;
}

KeyFacts Unpack(const LintContext::KeyMemo::mapped_type& entry) {
  const auto& [packed, catalog_key] = entry;
  KeyFacts k;
  k.source = static_cast<KeyFacts::Source>(packed & 0xff);
  k.type = static_cast<ConditionKeyType>((packed >> 8) & 0xff);
  k.multivalued = ((packed >> 16) & 1) != 0;
  k.catalog_key = catalog_key;
  return k;
}

// The statement's clauses with their operators parsed and keys looked up,
// kept in the context for the next condition rule on the same statement.
const std::vector<LintContext::ClauseFacts>& ClausesOf(LintContext& ctx, const LintStatement& s) {
  LintContext::ClauseCache& cache = ctx.clause_cache();
  if (cache.statement != &s.source) {
    cache.statement = &s.source;
    cache.clauses.clear();
    for (const ConditionClause& c : s.source.conditions) {
      std::optional<ParsedOperator> op = ParsedOperator::Parse(c.op.value);
      const LintContext::KeyMemo::mapped_type* key = op ? &MemoEntry(ctx, c.key.value) : nullptr;
      cache.clauses.push_back({op, key});
    }
  }
  return cache.clauses;
}

// The type an operator compares (nullopt: Null, which tests presence).
std::optional<ConditionKeyType> OperatorType(ConditionCategory c) {
  switch (c) {
    case ConditionCategory::kString:
      return ConditionKeyType::kString;
    case ConditionCategory::kNumeric:
      return ConditionKeyType::kNumeric;
    case ConditionCategory::kDate:
      return ConditionKeyType::kDate;
    case ConditionCategory::kBool:
      return ConditionKeyType::kBool;
    case ConditionCategory::kBinary:
      return ConditionKeyType::kBinary;
    case ConditionCategory::kIpAddress:
      return ConditionKeyType::kIpAddress;
    case ConditionCategory::kArn:
      return ConditionKeyType::kArn;
    case ConditionCategory::kNull:
      break;
  }
  return std::nullopt;
}

// Calls `fn(clause, parsed operator, facts)` for every clause of the statement
// whose operator parses (they all do in a compiled statement).
template <typename Fn>
void ForEachClause(LintContext& ctx, const LintStatement& s, Fn fn) {
  const std::vector<LintContext::ClauseFacts>& clauses = ClausesOf(ctx, s);
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].op) fn(s.source.conditions[i], *clauses[i].op, Unpack(*clauses[i].key));
  }
}

Finding& AddClause(LintContext& ctx, FindingId id, const LintStatement& s, const ConditionClause& c,
                   SourceLocation where) {
  Finding& f = ctx.Add(id, s, where);
  f.resource = c.key.value;  // the key: what suppressions match with `resource:`
  return f;
}

// The candidate names for a misspelt key: the global keys, and the keys of
// the service the prefix names (its actions' and resource types' keys).
std::vector<std::string> KeyCandidates(const Catalog& catalog, std::string_view prefix) {
  std::vector<std::string> names;
  if (EqualsIgnoreCase(prefix, "aws")) {
    for (const GlobalConditionKey& g : GlobalConditionKeys()) names.emplace_back(g.name);
    return names;
  }
  const auto [first, last] = catalog.ServiceActions(prefix);
  for (ActionId id = first; id < last; ++id) {
    const ActionInfo a = catalog.action(id);
    for (std::string_view k : a.condition_keys) names.emplace_back(k);
    for (const ActionResource& r : a.resource_types) {
      for (std::string_view k : r.condition_keys) names.emplace_back(k);
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

// Private and special-purpose ranges (RFC 1918, RFC 6598, loopback,
// link-local, RFC 4193 unique local): never the source of a request that
// reaches AWS over the internet.
bool IsPrivateRange(const Cidr& value) {
  static constexpr std::string_view kPrivate[] = {
      "10.0.0.0/8",     "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
      "169.254.0.0/16", "fc00::/7",      "fe80::/10",      "::1/128"};
  return std::any_of(std::begin(kPrivate), std::end(kPrivate),
                     [&](std::string_view p) { return CidrContains(*ParseCidr(p), value); });
}

// Cross-service keys (the "AWS global condition context keys" page): a
// service's key that other services' requests carry too.
bool IsCrossServiceKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "ec2:RoleDelivery",         "ec2:SourceInstanceArn",
      "glue:RoleAssumedBy",       "glue:CredentialIssuingService",
      "lambda:SourceFunctionArn", "ssm:SourceInstanceArn",
      "identitystore:UserId"};
  return std::any_of(std::begin(kKeys), std::end(kKeys),
                     [&](std::string_view k) { return EqualsIgnoreCase(k, key); });
}

// What a clause whose key no request carries does: "never holds" or
// "always holds" (AWS: a missing key makes a plain operator false; negated
// operators, ...IfExists and ForAllValues true; Null true when it asks "absent").
std::string_view AbsentOutcome(const ConditionClause& c, const ParsedOperator& op) {
  bool holds = op.negated() || op.if_exists || op.qualifier == SetQualifier::kForAllValues;
  if (op.op == ConditionOperator::kNull) {
    holds = std::any_of(c.values.begin(), c.values.end(),
                        [](const LocatedString& v) { return EqualsIgnoreCase(v.value, "true"); });
  }
  return holds ? "always holds" : "never holds";
}

// For an unknown `aws:` key, the keys of the statement's own services with
// the same name ("aws:TLSVersion" -> "s3:TlsVersion" when the statement acts
// on s3): the global name written for a service's key.
std::vector<std::string> SameNameServiceKeys(const Catalog& catalog, const LintStatement& s,
                                             std::string_view key) {
  std::vector<std::string> found;
  const std::string_view name = key.substr(Prefix(key).size() + 1);
  for (const LocatedString& a : s.source.actions) {
    const std::string_view service = Prefix(a.value);
    if (service.empty() || HasWildcard(service)) continue;
    const std::string candidate = std::string(service) + ":" + std::string(name);
    const std::optional<ConditionKeyInfo> info = FindCatalogKey(catalog, candidate);
    if (!info || std::find(found.begin(), found.end(), info->key) != found.end()) continue;
    found.emplace_back(info->key);
  }
  return found;
}

// "'a', 'b'".
std::string QuotedList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& item : items) quoted.push_back(Quoted(item));
  return ascii::JoinComma(quoted);
}

}  // namespace

void UnknownConditionKeys(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts& k) {
    if (k.source != KeyFacts::Source::kUnknown) return;
    const std::string_view prefix = Prefix(c.key.value);
    const bool global = EqualsIgnoreCase(prefix, "aws");
    const bool service = !global && ctx.catalog().FindService(prefix).has_value();
    const std::vector<std::string> same_name =
        global ? SameNameServiceKeys(ctx.catalog(), s, c.key.value) : std::vector<std::string>{};
    const std::vector<std::string> names =
        same_name.empty() ? KeyCandidates(ctx.catalog(), prefix) : same_name;
    const std::vector<std::string_view> views(names.begin(), names.end());
    Finding& f = AddClause(ctx, FindingId::kUnknownConditionKey, s, c, c.key.where);
    f.message =
        "condition key " + Quoted(c.key.value) +
        (global    ? " is not an AWS global condition key"
         : service ? " is not a condition key of " + std::string(prefix) + " in the catalog"
                   : " has a prefix that is no service of the catalog") +
        (same_name.empty() ? DidYouMean(c.key.value, views)
                           : " (did you mean the service key " + QuotedList(same_name) + "?)") +
        ": no request carries it, so the clause " + std::string(AbsentOutcome(c, op));
    if (!global) f.severity = Severity::kWarning;  // the catalog may be older than the key
  });
}

void ConditionTypeMismatch(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts& k) {
    const std::optional<ConditionKeyType> want = OperatorType(op.category());
    if (!want || k.type == ConditionKeyType::kAny || k.source == KeyFacts::Source::kUnknown) return;
    if (*want == k.type) return;
    // String operators compare an ARN key's text: usable (Parliament's
    // MISMATCHED_TYPE_BUT_USABLE), not reported.
    if (*want == ConditionKeyType::kString && k.type == ConditionKeyType::kArn) return;
    // Arn operators compare a String key's value as an ARN: keys such as
    // kms:EncryptionContext:aws:logs:arn hold ARNs the reference types String.
    if (*want == ConditionKeyType::kArn && k.type == ConditionKeyType::kString) return;
    Finding& f = AddClause(ctx, FindingId::kConditionTypeMismatch, s, c, c.op.where);
    f.message = std::string(op.name()) + " compares " + std::string(ConditionKeyTypeName(*want)) +
                " values but " + Quoted(c.key.value) + " is of type " +
                std::string(ConditionKeyTypeName(k.type)) + "; use an operator of the key's type";
  });
}

void SetOperatorOnSingleValuedKey(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts& k) {
    if (op.qualifier == SetQualifier::kNone || k.multivalued) return;
    if (k.source != KeyFacts::Source::kGlobal && k.source != KeyFacts::Source::kCatalog) return;
    const bool all = op.qualifier == SetQualifier::kForAllValues;
    Finding& f = AddClause(ctx, FindingId::kSetOperatorOnSingleValuedKey, s, c, c.op.where);
    f.message = Quoted(c.key.value) + " is single-valued, but " + Quoted(c.op.value) +
                " is a set operator: " +
                (all ? "ForAllValues is also true when the key is absent from the request, so "
                       "the clause holds for requests that do not carry the key at all; use " +
                           std::string(op.name()) + " alone"
                     : "use " + std::string(op.name()) + " alone (the result is the same)");
    if (!all) f.severity = Severity::kNote;
  });
}

void MultivaluedKeyWithoutSetOperator(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts& k) {
    if (!k.multivalued || op.qualifier != SetQualifier::kNone ||
        op.op == ConditionOperator::kNull) {
      return;
    }
    Finding& f = AddClause(ctx, FindingId::kMultivaluedKeyWithoutSetOperator, s, c, c.op.where);
    f.message = Quoted(c.key.value) + " is multivalued, but " + Quoted(c.op.value) +
                " has no ForAnyValue:/ForAllValues: qualifier: a request with several values "
                "does not match it as intended; write ForAnyValue:" +
                std::string(op.name()) +
                " (any value matches) or ForAllValues:" + std::string(op.name()) +
                " (every value matches)";
  });
}

void MfaBoolFalse(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts&) {
    if (!EqualsIgnoreCase(c.key.value, "aws:MultiFactorAuthPresent") || op.if_exists) return;
    const bool has_false =
        std::any_of(c.values.begin(), c.values.end(),
                    [](const LocatedString& v) { return EqualsIgnoreCase(v.value, "false"); });
    if (!has_false) return;
    std::string why;
    if (op.op == ConditionOperator::kBool) {
      why =
          "the key is absent from requests signed with long-term access keys, so "
          "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}} does not match them";
      why += s.source.effect == Effect::kDeny
                 ? ": the Deny does not apply to them; use BoolIfExists"
                 : "; require MFA with {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}";
    } else if (op.op == ConditionOperator::kNull && s.source.effect == Effect::kAllow) {
      why =
          "{\"Null\": {\"aws:MultiFactorAuthPresent\": \"false\"}} only tests that the key "
          "is present (any temporary credentials), not that MFA was used; require MFA with "
          "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}";
    } else {
      return;
    }
    Finding& f = AddClause(ctx, FindingId::kMfaBoolFalse, s, c, c.op.where);
    f.message = s.Describe() + ": " + why;
  });
}

void WildcardWithoutLike(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts&) {
    if (op.category() != ConditionCategory::kString || op.wildcards()) return;
    for (const LocatedString& v : c.values) {
      // Wildcards outside ${...} (variables and the ${*} ${?} escapes).
      std::string text = v.value;
      for (std::size_t open; (open = text.find("${")) != std::string::npos;) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        text.erase(open, close - open + 1);
      }
      if (!HasWildcard(text)) continue;
      Finding& f = AddClause(ctx, FindingId::kWildcardWithoutLike, s, c, v.where);
      f.message = std::string(op.name()) + " value " + Quoted(v.value) + " has a wildcard, but " +
                  std::string(op.name()) + " compares it literally ('*' matches only '*'); use " +
                  (op.negated() ? "StringNotLike" : "StringLike") + " to match a pattern";
    }
  });
}

void PrivateSourceIp(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts&) {
    if (op.category() != ConditionCategory::kIpAddress ||
        !EqualsIgnoreCase(c.key.value, "aws:SourceIp")) {
      return;
    }
    for (const LocatedString& v : c.values) {
      const std::optional<Cidr> range = ParseCidr(v.value);
      if (!range || !IsPrivateRange(*range)) continue;
      Finding& f = AddClause(ctx, FindingId::kPrivateSourceIp, s, c, v.where);
      f.message = "aws:SourceIp value " + Quoted(v.value) +
                  " is a private range: aws:SourceIp holds the public address a request comes "
                  "from, and requests through a VPC endpoint carry none, so it never matches; "
                  "use aws:VpcSourceIp (with aws:SourceVpc or aws:SourceVpce) for private "
                  "addresses";
    }
  });
}

namespace {

// Why `value` cannot be read by an operator of `category`, or "" when it can
// (condition.h: IAM accepts such a value and it matches no request).
std::string_view Unreadable(ConditionCategory category, std::string_view value) {
  switch (category) {
    case ConditionCategory::kBool:
    case ConditionCategory::kNull:
      return EqualsIgnoreCase(value, "true") || EqualsIgnoreCase(value, "false")
                 ? ""
                 : "is neither true nor false";
    case ConditionCategory::kNumeric:
      return ParseConditionNumber(value) ? "" : "is not a number";
    case ConditionCategory::kDate:
      return ParseConditionDate(value) ? "" : "is not an ISO 8601 date-time or epoch seconds";
    case ConditionCategory::kIpAddress:
      return ParseCidr(value) ? "" : "is not an IPv4 or IPv6 address or CIDR range";
    case ConditionCategory::kBinary:
      return DecodeBase64(value) ? "" : "is not base-64";
    case ConditionCategory::kString:
    case ConditionCategory::kArn:
      break;
  }
  return "";
}

}  // namespace

void ConditionValueNeverMatches(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts&) {
    for (const LocatedString& v : c.values) {
      // A variable (Bool: it may be true/false; elsewhere the parser's error).
      if (v.value.find("${") != std::string::npos) continue;
      const std::string_view why = Unreadable(op.category(), v.value);
      if (why.empty()) continue;
      Finding& f = AddClause(ctx, FindingId::kConditionValueNeverMatches, s, c, v.where);
      f.message = std::string(op.name()) + " value " + Quoted(v.value) + " " + std::string(why) +
                  ": IAM accepts the policy, but the value matches no request" +
                  (op.negated() ? ", so the negated operator holds for every request that "
                                  "carries the key"
                                : "");
    }
  });
}

namespace {

// Keys that are "more secure when paired with a related key" (Access
// Analyzer's security warning "Missing paired condition keys"; the
// "aws:VpcSourceIp" entry of the global keys page): an address inside a VPC
// means nothing without the VPC it is in.
struct PairedKey {
  std::string_view key;
  std::span<const std::string_view> partners;  // any one of them pairs it
};
constexpr std::string_view kVpcKeys[] = {"aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn"};
constexpr PairedKey kPairedKeys[] = {{"aws:VpcSourceIp", kVpcKeys}};

// The VPC identifiers a key holds: "vpc-" or "vpce-" and 8 or 17
// alphanumerics (Access Analyzer's "Invalid vpc format", "Invalid vpce format").
struct VpcIdKey {
  std::string_view key;
  std::string_view prefix;
};
constexpr VpcIdKey kVpcIdKeys[] = {{"aws:SourceVpc", "vpc-"}, {"aws:SourceVpce", "vpce-"}};

bool IsVpcId(std::string_view value, std::string_view prefix) {
  if (!value.starts_with(prefix)) return false;
  const std::string_view id = value.substr(prefix.size());
  return (id.size() == 8 || id.size() == 17) && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

}  // namespace

void MissingPairedConditionKey(LintContext& ctx, const LintStatement& s) {
  if (s.source.effect != Effect::kAllow) return;  // a Deny is only made broader
  const std::vector<ConditionClause>& clauses = s.source.conditions;
  const auto has = [&](std::string_view key) {
    return std::any_of(clauses.begin(), clauses.end(), [&](const ConditionClause& c) {
      return EqualsIgnoreCase(c.key.value, key);
    });
  };
  for (const ConditionClause& c : clauses) {
    for (const PairedKey& pair : kPairedKeys) {
      if (!EqualsIgnoreCase(c.key.value, pair.key)) continue;
      if (std::any_of(pair.partners.begin(), pair.partners.end(), has)) continue;
      Finding& f = AddClause(ctx, FindingId::kMissingPairedConditionKey, s, c, c.key.where);
      f.message = Quoted(c.key.value) + " in " + s.Describe() + " is not paired with " +
                  ascii::JoinComma(pair.partners) +
                  ": the same private addresses exist in every VPC, so the statement allows "
                  "them from any VPC, in any account; add the VPC to the same Condition";
    }
  }
}

void InvalidVpcIds(LintContext& ctx, const LintStatement& s) {
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts&) {
    if (op.category() != ConditionCategory::kString) return;
    for (const VpcIdKey& k : kVpcIdKeys) {
      if (!EqualsIgnoreCase(c.key.value, k.key)) continue;
      for (const LocatedString& v : c.values) {
        if (v.value.find("${") != std::string::npos) continue;
        if (op.wildcards() && HasWildcard(v.value)) continue;
        if (IsVpcId(v.value, k.prefix)) continue;
        Finding& f = AddClause(ctx, FindingId::kInvalidVpcId, s, c, v.where);
        f.message = std::string(k.key) + " value " + Quoted(v.value) + " is not a " +
                    (k.prefix == "vpc-" ? "VPC" : "VPC endpoint") + " ID ('" +
                    std::string(k.prefix) +
                    "' and 8 or 17 letters and digits): no request carries it, so the value "
                    "never matches" +
                    (op.negated() ? " and the negated operator holds for every request" : "");
      }
    }
  });
}

void ConditionKeyNotForAction(LintContext& ctx, const LintStatement& s) {
  if (s.source.not_action || s.source.conditions.empty()) return;
  const Catalog& catalog = ctx.catalog();
  ForEachClause(ctx, s, [&](const ConditionClause& c, const ParsedOperator& op, const KeyFacts& k) {
    if (k.source != KeyFacts::Source::kCatalog || IsCrossServiceKey(c.key.value)) return;
    if (EqualsIgnoreCase(Prefix(c.key.value), "aws")) return;  // aws:RequestTag/... apply widely
    const ActionSet& actions = s.actions.All();
    if (actions.empty()) return;
    const auto same = [&](std::string_view key) { return EqualsIgnoreCase(key, k.catalog_key); };
    const auto listed = [&](const std::vector<std::string_view>& keys) {
      return std::any_of(keys.begin(), keys.end(), same);
    };
    for (const ActionId id : actions) {
      const ActionInfo a = catalog.action(id);
      if (listed(a.condition_keys)) return;
      for (const ActionResource& r : a.resource_types) {
        if (listed(r.condition_keys)) return;
        const std::optional<ResourceTypeInfo> type = catalog.FindResourceType(a.service, r.name);
        if (type && listed(type->condition_keys)) return;
      }
    }
    Finding& f = AddClause(ctx, FindingId::kConditionKeyNotForAction, s, c, c.key.where);
    f.action = Listed(s.source.actions);
    f.message = "condition key " + Quoted(c.key.value) + " applies to none of the actions of " +
                s.Describe() + " (" + f.action +
                ") in the catalog: their requests do not carry it, so the clause " +
                std::string(AbsentOutcome(c, op));
  });
}

}  // namespace iam_audit::lint
