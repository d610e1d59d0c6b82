// Lint rules about whole documents: Version and policy variables, size
// quotas, and statements that repeat or cancel each other (AWS "IAM JSON
// policy elements: Version", "Policy variables", "IAM and AWS STS quotas";
// docs/lint.md).
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ascii.h"
#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "lint_internal.h"

namespace iam_audit::lint {
namespace {

// Calls fn(value) for every string that may hold policy variables: Resource
// entries and String/Arn condition values.
template <typename Fn>
void ForEachVariableText(const Policy& policy, Fn fn) {
  for (const Statement& st : policy.statements) {
    for (const LocatedString& r : st.resources) fn(st, r);
    for (const ConditionClause& c : st.conditions) {
      for (const LocatedString& v : c.values) fn(st, v);
    }
  }
}

// Why the ${...} syntax in `text` is malformed, or "".
std::string VariableProblem(std::string_view text) {
  for (std::size_t open = text.find("${"); open != std::string_view::npos;
       open = text.find("${", open + 2)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) return "has '${' without a closing '}'";
    const std::string_view name = text.substr(open + 2, close - open - 2);
    if (name.empty()) return "has an empty variable '${}'";
    if (name.front() == ' ' || name.back() == ' ') {
      return "has spaces inside '${" + std::string(name) + "}': IAM reads no variable there";
    }
  }
  return "";
}

// What each byte adds to a string's size: 0 for whitespace, 2 for a
// character JSON escapes ('"', '\\'), 1 for the others. One table load per
// byte instead of six comparisons (PolicySizeQuota walks every string of every
// policy: 28 M instructions on the managed corpus before).
constexpr std::array<std::uint8_t, 256> kCharSize = [] {
  std::array<std::uint8_t, 256> size{};
  size.fill(1);
  for (const char c : {' ', '\t', '\n', '\r'}) size[static_cast<unsigned char>(c)] = 0;
  for (const char c : {'"', '\\'}) size[static_cast<unsigned char>(c)] = 2;
  return size;
}();

std::size_t StringSize(std::string_view s) {
  std::size_t n = 2;  // quotes
  for (const char c : s) n += kCharSize[static_cast<unsigned char>(c)];
  return n;
}

// A condition value may have been written as a JSON boolean or number
// (Policy keeps its text): count it unquoted, the shorter form.
bool MaybeBare(std::string_view v) {
  return v == "true" || v == "false" || (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' ||
                  c == '+';
         }));
}

std::size_t ListSize(const std::vector<LocatedString>& items, bool values = false) {
  const auto size = [&](const LocatedString& i) {
    return StringSize(i.value) - (values && MaybeBare(i.value) ? 2 : 0);
  };
  if (items.size() == 1) return size(items[0]);
  std::size_t n = 2 + (items.empty() ? 0 : items.size() - 1);
  for (const LocatedString& i : items) n += size(i);
  return n;
}

std::size_t MemberSize(std::string_view key, std::size_t value) {
  return key.size() + 3 + value;  // "key": value
}

std::size_t StatementSize(const Statement& st) {
  std::size_t n = 2, members = 0;  // braces
  const auto add = [&](std::size_t member) {
    n += member;
    ++members;
  };
  if (st.sid) add(MemberSize("Sid", StringSize(st.sid->value)));
  add(MemberSize("Effect", st.effect == Effect::kAllow ? 7 : 6));
  add(MemberSize(st.not_action ? "NotAction" : "Action", ListSize(st.actions)));
  if (st.has_resource) {
    add(MemberSize(st.not_resource ? "NotResource" : "Resource", ListSize(st.resources)));
  }
  if (st.principal) {
    std::size_t p = st.principal->wildcard ? 3 : 2;
    for (const auto& [type, values] : st.principal->by_type) {
      p += MemberSize(type, ListSize(values)) + 1;
    }
    add(MemberSize(st.not_principal ? "NotPrincipal" : "Principal", p));
  }
  if (!st.conditions.empty()) {
    // {"Op":{"k1":v,"k2":v},"Op2":{...}}: clauses of one operator share its object.
    std::size_t c = 1;  // braces, less the separator the last member does not need
    const ConditionClause* previous = nullptr;
    for (const ConditionClause& clause : st.conditions) {
      if (!previous || previous->op.value != clause.op.value) {
        c += StringSize(clause.op.value) + 1 + 2;  // "Op":{}
      }
      c += MemberSize(clause.key.value, ListSize(clause.values, true)) + 1;
      previous = &clause;
    }
    add(MemberSize("Condition", c));
  }
  return n + (members > 0 ? members - 1 : 0);
}

struct Quota {
  std::size_t warn;   // above it: over the usual quota
  std::size_t error;  // above it: no policy of this type can hold it
  const char* what;
};

std::optional<Quota> QuotaFor(LintPolicyType type) {
  switch (type) {
    case LintPolicyType::kIdentity:
      return Quota{6144, 10240,
                   "a managed policy holds 6,144 characters; inline policies 2,048 (user), "
                   "5,120 (group), 10,240 (role), all inline policies of the identity together"};
    case LintPolicyType::kBoundary:
      return Quota{6144, 6144, "a permissions boundary is a managed policy: 6,144 characters"};
    case LintPolicyType::kTrust:
      return Quota{2048, 8192,
                   "a role trust policy holds 2,048 characters unless the quota was raised "
                   "(up to 8,192)"};
    case LintPolicyType::kScp:
    case LintPolicyType::kRcp:
      return Quota{5120, 5120, "an SCP or RCP holds 5,120 characters"};
    case LintPolicyType::kResource:
      break;  // per service (S3 20 KB, KMS 32 KB, SQS/SNS...): not checked
  }
  return std::nullopt;
}

// The principal part of a statement's identity (StatementKey has none).
std::string PrincipalKey(const Statement& st) {
  if (!st.principal) return "";
  std::string key = st.not_principal ? "|notprincipal:" : "|principal:";
  if (st.principal->wildcard) key += "*";
  for (const auto& [type, values] : st.principal->by_type) key += type + "=" + Listed(values) + ";";
  return key;
}

bool Unconditional(const Statement& st) { return st.conditions.empty() && !st.principal; }

// What StatementContentKey (finding.h) compares, reduced to a few words
// without allocating: the effect and the Not* flags, and for the actions
// (without case), the resources and the condition clauses a 64-bit set of
// hash bits, the same for the same set of items whatever their order and
// repeats. Equal keys have equal filters.
using ContentFilter = std::array<std::uint64_t, 4>;

std::uint64_t Fnv(std::string_view text, bool fold, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (const char c : text) {
    h ^= static_cast<unsigned char>(fold ? ascii::Lower(c) : c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t Bit(std::uint64_t hash) { return std::uint64_t{1} << (hash >> 58); }

// Fnv of a long item's length and its first and last 8 bytes only: equal
// items still get equal hashes, and hashing every byte of every ARN and
// action was most of this rule's 43 M instructions on the managed corpus.
std::uint64_t Sketch(std::string_view text, bool fold) {
  if (text.size() <= 16) return Fnv(text, fold);
  return Fnv(text.substr(text.size() - 8), fold, Fnv(text.substr(0, 8), fold) ^ text.size());
}

ContentFilter FilterOf(const Statement& s) {
  ContentFilter f{};
  f[0] = (s.effect == Effect::kAllow ? 1u : 0u) | (s.not_action ? 2u : 0u) |
         (s.not_resource ? 4u : 0u);
  for (const LocatedString& a : s.actions) f[1] |= Bit(Sketch(a.value, true));
  for (const LocatedString& r : s.resources) f[2] |= Bit(Sketch(r.value, false));
  for (const ConditionClause& c : s.conditions) {
    std::uint64_t values = 0;
    for (const LocatedString& v : c.values) values |= Bit(Sketch(v.value, false));
    f[3] |= Bit(Fnv(c.key.value, true, Fnv(c.op.value, true)) ^ values * 0x9e3779b97f4a7c15ULL);
  }
  return f;
}

}  // namespace

std::size_t PolicySizeWithoutWhitespace(const Policy& policy) {
  std::size_t n = 2, members = 0;
  if (policy.version) n += MemberSize("Version", StringSize(policy.version->value)), ++members;
  if (policy.id) n += MemberSize("Id", StringSize(policy.id->value)), ++members;
  std::size_t statements = policy.statements.size() == 1 ? 0 : 2;
  for (const Statement& st : policy.statements) statements += StatementSize(st) + 1;
  if (!policy.statements.empty()) --statements;
  n += MemberSize("Statement", statements);
  return n + members;
}

void MissingVersion(LintContext& ctx, const LintDocument& d) {
  if (d.policy.version) return;
  Finding& f = ctx.AddDocument(FindingId::kMissingVersion, d.policy, d.policy.where);
  f.message =
      "the policy has no Version: IAM reads it as Version 2008-10-17, where policy "
      "variables are plain text; add \"Version\": \"2012-10-17\"";
}

void OldVersion(LintContext& ctx, const LintDocument& d) {
  if (!d.policy.version || d.policy.version->value != "2008-10-17") return;
  Finding& f = ctx.AddDocument(FindingId::kOldVersion, d.policy, d.policy.version->where);
  f.message =
      "Version 2008-10-17 is the old policy language, without policy variables; use "
      "\"2012-10-17\"";
}

void VariableWithoutVersion(LintContext& ctx, const LintDocument& d) {
  if (d.policy.SupportsVariables()) return;
  ForEachVariableText(d.policy, [&](const Statement&, const LocatedString& v) {
    const std::size_t open = v.value.find("${");
    if (open == std::string::npos || v.value.find('}', open) == std::string::npos) return;
    Finding& f = ctx.AddDocument(FindingId::kVariableWithoutVersion, d.policy, v.where);
    f.resource = v.value;
    f.message = Quoted(v.value) + " uses a policy variable, but the policy's Version is " +
                (d.policy.version ? d.policy.version->value : "missing (2008-10-17)") +
                ": IAM reads '${...}' as plain text there; set \"Version\": \"2012-10-17\"";
  });
}

void MalformedVariables(LintContext& ctx, const LintDocument& d) {
  if (!d.policy.SupportsVariables()) return;
  ForEachVariableText(d.policy, [&](const Statement&, const LocatedString& v) {
    const std::string problem = VariableProblem(v.value);
    if (problem.empty()) return;
    Finding& f = ctx.AddDocument(FindingId::kMalformedVariable, d.policy, v.where);
    f.resource = v.value;
    f.message = Quoted(v.value) + " " + problem + " (a variable is ${key} or ${key, 'default'})";
  });
}

void PolicySizeQuota(LintContext& ctx, const LintDocument& d) {
  const std::optional<Quota> quota = QuotaFor(d.type);
  if (!quota) return;
  const std::size_t size = PolicySizeWithoutWhitespace(d.policy);
  if (size <= quota->warn) return;
  Finding& f = ctx.AddDocument(FindingId::kPolicySizeExceedsQuota, d.policy, d.policy.where);
  f.severity = size > quota->error ? Severity::kError : Severity::kWarning;
  f.message = "as " + std::string(PolicyTypeNoun(d.type)) + ", the policy is at least " +
              std::to_string(size) +
              " characters without whitespace, over the quota: " + quota->what +
              "; IAM rejects a larger policy (split it)";
}

void DuplicateStatements(LintContext& ctx, const LintDocument& d) {
  if (d.statements.size() < 2) return;
  // Only statements whose filter another one shares can repeat one: the full
  // key (a string built from every element) is built for those alone.
  const std::size_t n = d.statements.size();
  std::vector<std::pair<ContentFilter, std::size_t>> filters(n);
  for (std::size_t i = 0; i < n; ++i) filters[i] = {FilterOf(d.statements[i].source), i};
  std::sort(filters.begin(), filters.end());
  std::vector<bool> candidate(n, false);
  for (std::size_t k = 1; k < n; ++k) {
    if (filters[k].first != filters[k - 1].first) continue;
    candidate[filters[k].second] = candidate[filters[k - 1].second] = true;
  }
  std::unordered_map<std::string, std::size_t> seen;  // content -> first statement
  for (std::size_t i = 0; i < n; ++i) {
    if (!candidate[i]) continue;
    const LintStatement& s = d.statements[i];
    const auto [it, fresh] =
        seen.emplace(StatementContentKey(s.source) + PrincipalKey(s.source), i);
    if (fresh) continue;
    const LintStatement& first = d.statements[it->second];
    Finding& f = ctx.Add(FindingId::kDuplicateStatement, s, s.source.where);
    f.message = s.Describe() + " repeats " + first.Describe() +
                " (same effect, actions, "
                "resources and conditions): remove one";
  }
}

void StatementsShadowedByDeny(LintContext& ctx, const LintDocument& d) {
  if (d.type != LintPolicyType::kIdentity) return;
  std::vector<const LintStatement*> denies;
  for (const LintStatement& s : d.statements) {
    const Statement& n = s.source;
    if (n.effect == Effect::kDeny && !n.not_resource && Unconditional(n)) denies.push_back(&s);
  }
  if (denies.empty()) return;
  for (const LintStatement& allow : d.statements) {
    const Statement& a = allow.source;
    if (a.effect != Effect::kAllow || a.not_action || a.not_resource || !Unconditional(a)) continue;
    const ActionSet* actions = nullptr;
    for (const LintStatement* deny_ptr : denies) {
      const LintStatement& deny = *deny_ptr;
      const Statement& n = deny.source;
      const auto covered = [&](const ResourceTemplate& r) {
        const ArnPattern* p = r.static_pattern();
        return p && std::any_of(deny.compiled.resources().begin(), deny.compiled.resources().end(),
                                [&](const ResourceTemplate& q) {
                                  return q.static_pattern() && q.static_pattern()->Covers(*p);
                                });
      };
      if (!std::all_of(allow.compiled.resources().begin(), allow.compiled.resources().end(),
                       covered)) {
        continue;
      }
      if (!actions) actions = &allow.actions.All();
      if (actions->empty()) break;
      const ActionSet& denied = deny.actions.All();
      const bool all = n.not_action ? !actions->Intersects(denied) : actions->IsSubsetOf(denied);
      if (!all) continue;
      Finding& f = ctx.Add(FindingId::kStatementShadowedByDeny, allow, a.where);
      f.message = allow.Describe() + " grants nothing: " + deny.Describe() +
                  " denies every action it allows on every resource it names";
      break;
    }
  }
}

}  // namespace iam_audit::lint
