#include "iam_audit/finding.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "ascii.h"
#include "iam_audit/policy.h"

namespace iam_audit {
namespace {

using ascii::Lower;

// The finding table. Append new kinds at the end; never rename an id.
constexpr std::array<FindingRule, 14> kRules = {{
    {FindingId::kMissingPermission, "missing-permission", "MissingPermission",
     FindingCategory::kAudit, Severity::kError, "Required permission not granted",
     "No Allow statement grants this action on the resource the profile requires (or a "
     "permissions boundary or SCP level given with --boundary/--scp does not allow it). The "
     "tool will fail when it makes this call. Add the suggested statement to the policy (to the "
     "boundary or SCP when the message names that layer). The audit sees only the policies "
     "given: a resource-based policy (S3 bucket policy, KMS key policy) may still deny."},
    {FindingId::kDeniedPermission, "denied-permission", "DeniedPermission", FindingCategory::kAudit,
     Severity::kError, "Required permission explicitly denied",
     "An explicit Deny statement applies to the whole required resource, so no Allow can grant "
     "it. Narrow the Deny (its Action, Resource or Condition) so that it no longer covers what "
     "the tool needs."},
    {FindingId::kPartialPermission, "partial-permission", "PartialPermission",
     FindingCategory::kAudit, Severity::kError,
     "Required permission granted on part of the resource only",
     "The policy allows the action only on part of the required resource pattern (for "
     "example table/analytics/orders when table/analytics/* is needed), or a Deny overlaps part "
     "of it. Calls on the rest will fail. Widen the Allow to the required pattern (the suggested "
     "statement) or narrow the Deny."},
    {FindingId::kConditionalPermission, "conditional-permission", "ConditionalPermission",
     FindingCategory::kAudit, Severity::kWarning,
     "Required permission depends on conditions the audit cannot decide",
     "The permission is granted (or denied) only when Condition keys hold values the audit does "
     "not know: neither the profile's request context nor --context supplies them. The message "
     "names the keys; pass --context KEY=VALUE with the values the tool's calls carry to decide "
     "them."},
    {FindingId::kOverBroadAction, "over-broad-action", "OverBroadAction", FindingCategory::kAudit,
     Severity::kWarning, "Statement allows more actions than the profile needs",
     "An Allow statement grants actions of the profile's services that the profile does not "
     "need (s3:*, glue:*, *, NotAction...). The message counts them and names the riskiest "
     "(Permissions management, then Write, then Tagging). List only the needed actions; the "
     "suggested statement keeps the ones this statement is needed for."},
    {FindingId::kOverBroadResource, "over-broad-resource", "OverBroadResource",
     FindingCategory::kAudit, Severity::kWarning,
     "Write access allowed on more resources than the profile needs",
     "A Write, Tagging or Permissions-management action the profile needs is allowed on a "
     "Resource wider than every resource the profile needs it on (s3:DeleteObject on a whole "
     "bucket or on * when the tool writes only under its prefixes; glue:DeleteTable on every "
     "database). A bug or a wrong setting can then destroy data the tool never owned. Scope the "
     "Resource to the required patterns."},
    {FindingId::kUnknownAction, "unknown-action", "UnknownAction", FindingCategory::kLint,
     Severity::kWarning, "Action matches nothing in the catalog",
     "An Action or NotAction entry matches no action of the AWS catalog iam-audit was built with "
     "(a typo, an API name that is not an IAM action, or a service newer than the catalog). IAM "
     "ignores it, so it grants nothing. Fix the name (the message suggests close ones) or use "
     "--catalog with newer data."},
    {FindingId::kStaleSuppression, "stale-suppression", "StaleSuppression",
     FindingCategory::kConfig, Severity::kWarning, "Suppression matches no finding",
     "A `suppressions` entry of .iam-audit.yaml applies to files that were audited but matched "
     "none of their findings: the problem it was written for is gone (or the entry never "
     "matched: check its id, paths, action and resource). Remove the entry so that the list "
     "does not hide a future problem. An entry whose paths match no audited file is not "
     "checked."},
    {FindingId::kExpiredSuppression, "expired-suppression", "ExpiredSuppression",
     FindingCategory::kConfig, Severity::kWarning, "Suppression has expired",
     "A `suppressions` entry of .iam-audit.yaml is past its `expires` date, so it no longer "
     "suppresses anything: the findings it matched count again. Fix them and remove the entry, "
     "or, if the exception still holds, give it a new date and reason."},
    {FindingId::kAllowAllActions, "allow-all-actions", "AllowAllActions", FindingCategory::kLint,
     Severity::kError, "Statement allows every action on every resource (administrator access)",
     "An Allow statement of an identity policy has an Action that matches every action (\"*\" "
     "or \"*:*\") on Resource \"*\" (or on every resource but a NotResource list): the principal "
     "is a full administrator. It can read any data, delete any resource, create users and "
     "access keys and rewrite its own permissions. A Condition limits when the statement "
     "applies, not what it grants. List the actions and resources the principal needs "
     "(`iam-audit generate` writes them for a profile); if administrator access is intended, "
     "keep it to a role reserved for administrators and suppress the finding with the reason."},
    {FindingId::kAllowNotAction, "allow-not-action", "AllowNotAction", FindingCategory::kLint,
     Severity::kWarning, "Allow statement uses NotAction",
     "An Allow statement with NotAction allows every action that is NOT listed, in every AWS "
     "service, on the statement's resources, including the actions AWS adds later: "
     "\"NotAction\": \"iam:*\" with Effect Allow and Resource \"*\" grants every non-IAM "
     "action of every service. Allow the actions needed with Action "
     "instead. NotAction is meant for Deny statements (deny everything except...), where it "
     "narrows access."},
    {FindingId::kPassRoleWildcard, "pass-role-wildcard", "PassRoleWildcard", FindingCategory::kLint,
     Severity::kWarning, "iam:PassRole allowed on every role",
     "An Allow statement allows iam:PassRole (by name, or through iam:*, iam:Pass*, * or "
     "NotAction) on a Resource that matches every role of an account (\"*\", "
     "arn:aws:iam::*:role/*, arn:aws:iam::111122223333:role/*). The principal can then hand any "
     "role, an administrator role included, to a service it can use (an EC2 instance profile, "
     "a Lambda function, a Glue job) and act with that role's permissions: a privilege "
     "escalation path. List the roles it must pass (arn:aws:iam::111122223333:role/dbt-*) and "
     "name the services with the iam:PassedToService condition key."},
    {FindingId::kInvalidPolicy, "invalid-policy", "InvalidPolicy", FindingCategory::kInput,
     Severity::kError, "File cannot be read or is not a valid policy",
     "The file could not be read, or it is not valid in the format it is read as (JSON or YAML "
     "syntax, the IAM policy grammar, a CloudFormation template or Terraform plan iam-audit "
     "cannot resolve). Nothing in it was audited, so its findings are unknown; the other files "
     "are still audited and reported, and the exit code is 2 (an input error) whatever the "
     "findings. Fix the file at the location given."},
    {FindingId::kPolicyWarning, "policy-warning", "PolicyWarning", FindingCategory::kInput,
     Severity::kWarning, "Policy has a pitfall IAM accepts silently",
     "The reader found something IAM accepts but that rarely means what was intended (a "
     "missing or old Version, which turns policy variables into literal text; a duplicate "
     "Sid; a field IAM ignores...). The message says what and why. The policy is audited as "
     "IAM reads it; fix the pitfall so that it does what it says."},
}};

constexpr bool TableInIdOrder() {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (static_cast<std::size_t>(kRules[i].id) != i) return false;
  }
  return true;
}
static_assert(TableInIdOrder(), "kRules must list the rules in FindingId order");

// Joins sorted, de-duplicated items with '\x1f' (a byte policies cannot hold
// unescaped, so the joined text is unambiguous).
std::string SortedJoin(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  std::string out;
  for (const std::string& s : items) {
    out += s;
    out += '\x1f';
  }
  return out;
}

}  // namespace

std::span<const FindingRule> FindingRules() { return kRules; }

const FindingRule& RuleFor(FindingId id) { return kRules[static_cast<std::size_t>(id)]; }

std::optional<FindingId> ParseFindingId(std::string_view name) {
  for (const FindingRule& r : kRules) {
    if (r.name == name) return r.id;
  }
  return std::nullopt;
}

namespace {

nlohmann::ordered_json StringOrList(const std::vector<std::string>& items) {
  if (items.size() == 1) return items.front();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const std::string& s : items) list.push_back(s);
  return list;
}

}  // namespace

nlohmann::ordered_json StatementJson(const SuggestedStatement& statement) {
  nlohmann::ordered_json s = nlohmann::ordered_json::object();
  if (statement.sid) s["Sid"] = *statement.sid;
  s["Effect"] = statement.allow ? "Allow" : "Deny";
  s["Action"] = StringOrList(statement.actions);
  if (statement.has_resource) {
    s[statement.not_resource ? "NotResource" : "Resource"] = StringOrList(statement.resources);
  }
  if (!statement.conditions.empty()) {
    nlohmann::ordered_json block = nlohmann::ordered_json::object();
    for (const SuggestedCondition& c : statement.conditions) {
      block[c.op][c.key] = StringOrList(c.values);
    }
    s["Condition"] = std::move(block);
  }
  return s;
}

std::string StatementText(const std::optional<SuggestedStatement>& statement) {
  return statement ? StatementJson(*statement).dump(2) : "";
}

std::string RuleDocsAnchor(const FindingRule& rule) {
  return "docs/rules.md#" + std::string(rule.name);
}

std::string RuleHelpUri(const FindingRule& rule) {
  return std::string(IAM_AUDIT_DOCS_URL) + RuleDocsAnchor(rule);
}

std::string_view RuleSecuritySeverity(const FindingRule& rule) {
  switch (rule.severity) {
    case Severity::kError:
      return "8.0";
    case Severity::kWarning:
      return "5.0";
    case Severity::kNote:
      return "2.0";
  }
  return "5.0";
}

std::string_view Finding::name() const { return RuleFor(id).name; }

Finding MakeFinding(FindingId id, std::string file, SourceLocation where) {
  Finding f;
  f.id = id;
  f.severity = RuleFor(id).severity;
  f.file = std::move(file);
  f.where = where;
  return f;
}

std::string StatementKey(const Statement& s) {
  if (s.sid && !s.sid->value.empty()) return "sid:" + s.sid->value;
  std::string key = "content:";
  key += s.effect == Effect::kAllow ? "allow" : "deny";
  key += s.not_action ? "|notaction:" : "|action:";
  std::vector<std::string> items;
  for (const LocatedString& a : s.actions) items.push_back(Lower(a.value));  // IAM: any case
  key += SortedJoin(std::move(items));
  key += s.not_resource ? "|notresource:" : "|resource:";
  items.clear();
  for (const LocatedString& r : s.resources) items.push_back(r.value);
  key += SortedJoin(std::move(items));
  key += "|condition:";
  items.clear();
  for (const ConditionClause& c : s.conditions) {
    std::vector<std::string> values;
    for (const LocatedString& v : c.values) values.push_back(v.value);
    items.push_back(Lower(c.op.value) + '\x1e' + Lower(c.key.value) + '\x1e' +
                    SortedJoin(std::move(values)));
  }
  key += SortedJoin(std::move(items));
  return key;
}

std::string Fingerprint(const Finding& f, std::string_view statement_key) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  const auto mix = [&h](std::string_view part) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // field separator: no byte sequence of one field can shift into another
    h *= 1099511628211ull;
  };
  mix(f.name());
  mix(f.file);
  mix(Lower(f.action));  // IAM ignores the case of actions
  mix(f.resource);
  mix(statement_key);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.file, a.where.line, a.where.column, a.id, a.action, a.resource) <
         std::tie(b.file, b.where.line, b.where.column, b.id, b.action, b.resource);
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), FindingLess);
}

}  // namespace iam_audit
