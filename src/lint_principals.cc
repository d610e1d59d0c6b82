// Lint rules about Principal elements and about what each policy type may
// contain (AWS "IAM JSON policy elements: Principal", "Role trust policies",
// "Service control policies", the confused deputy problem; docs/lint.md).
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "ascii.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/policy_source.h"
#include "lint_internal.h"

namespace iam_audit::lint {
namespace {

using ascii::EqualsIgnoreCase;

bool HasKey(const Statement& st, std::string_view key) {
  return std::any_of(st.conditions.begin(), st.conditions.end(),
                     [&](const ConditionClause& c) { return EqualsIgnoreCase(c.key.value, key); });
}

const std::vector<LocatedString>* Values(const PrincipalSpec& p, std::string_view type) {
  const auto it = p.by_type.find(std::string(type));
  return it == p.by_type.end() ? nullptr : &it->second;
}

// Keys that say nothing about who calls: a clause on them does not make a
// wildcard principal less public.
bool DoesNotRestrictCaller(std::string_view key) {
  static constexpr std::string_view kKeys[] = {"aws:SecureTransport", "aws:CurrentTime",
                                               "aws:EpochTime",       "aws:RequestedRegion",
                                               "aws:UserAgent",       "aws:referer"};
  return std::any_of(std::begin(kKeys), std::end(kKeys),
                     [&](std::string_view k) { return EqualsIgnoreCase(k, key); });
}

bool IsWildcardPrincipal(const PrincipalSpec& p) {
  if (p.wildcard) return true;
  const std::vector<LocatedString>* aws = Values(p, "AWS");
  return aws && std::any_of(aws->begin(), aws->end(),
                            [](const LocatedString& v) { return v.value == "*"; });
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Why an AWS principal value is malformed, or "".
std::string AwsPrincipalProblem(std::string_view v) {
  if (v == "*" || ContainsUnresolved(v)) return "";  // a value the template leaves open
  if (v.find_first_of("*?") != std::string_view::npos) {
    return "has a wildcard: IAM rejects wildcards in principal ARNs and account IDs (match "
           "callers with a Condition on aws:PrincipalArn and ArnLike instead)";
  }
  if (AllDigits(v)) return v.size() == 12 ? "" : "is not a 12-digit account ID";
  if (v.starts_with("arn:")) {
    std::vector<std::string_view> f;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      const std::size_t colon = v.find(':', start);
      if (colon == std::string_view::npos) return "is not an ARN (arn:aws:iam::ACCOUNT:...)";
      f.push_back(v.substr(start, colon - start));
      start = colon + 1;
    }
    if (f[2] != "iam" && f[2] != "sts") return "is not an IAM or STS ARN";
    const std::string_view account = f[4];
    if (!(AllDigits(account) && account.size() == 12) && account != "cloudfront") {
      return "has account " + Quoted(account) + ": an account ID is 12 digits";
    }
  }
  return "";  // unique IDs (AROA..., AIDA...) and canonical IDs are accepted
}

std::string ServicePrincipalProblem(std::string_view v) {
  if (v.find_first_of("*?") != std::string_view::npos) {
    return "has a wildcard: IAM accepts only exact service principals";
  }
  if (v.find('.') == std::string_view::npos || v.find(' ') != std::string_view::npos ||
      ascii::Lower(v) != v) {
    return "is not a service principal (service-name.amazonaws.com)";
  }
  return "";
}

// The OIDC provider a Federated value names ("token.actions.githubusercontent.com"
// of arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com),
// or "" for SAML providers and others.
std::string OidcProvider(std::string_view v) {
  static constexpr std::string_view kMarker = ":oidc-provider/";
  const std::size_t pos = v.find(kMarker);
  if (pos != std::string_view::npos) return std::string(v.substr(pos + kMarker.size()));
  static constexpr std::string_view kBuiltIn[] = {"cognito-identity.amazonaws.com",
                                                  "www.amazon.com", "graph.facebook.com",
                                                  "accounts.google.com"};
  for (std::string_view b : kBuiltIn) {
    if (v == b) return std::string(b);
  }
  return "";
}

// Which assume action each kind of principal calls (AWS "Role trust
// policies", "Create a role for OpenID Connect federation", "SAML 2.0
// federation"): a statement none of whose principals can call its action
// grants nothing through it.
enum class Caller : unsigned char { kAws, kSaml, kWebIdentity };

bool StatementHasCaller(const PrincipalSpec& p, Caller caller) {
  if (p.wildcard) return true;
  if (caller == Caller::kAws) return Values(p, "AWS") || Values(p, "Service");
  const std::vector<LocatedString>* federated = Values(p, "Federated");
  if (!federated) return false;
  return std::any_of(federated->begin(), federated->end(), [&](const LocatedString& v) {
    if (ContainsUnresolved(v.value)) return true;  // the template leaves it open
    const bool saml = v.value.find(":saml-provider/") != std::string::npos;
    return caller == Caller::kSaml ? saml : !saml;  // an OIDC provider ARN, or a domain
  });
}

// The problem with trust-policy action `action` for principal `p`, or "".
std::string TrustActionProblem(std::string_view action, const PrincipalSpec& p) {
  const std::string lower = ascii::Lower(action);
  const std::size_t colon = lower.find(':');
  const std::string_view service = std::string_view(lower).substr(0, colon);
  if (!IsTrustAction(action)) {
    // A wildcard in the service part may match sts: say nothing then.
    if (colon == std::string::npos || service.find_first_of("*?") != std::string::npos) return "";
    if (service == "sts" && lower.find_first_of("*?") != std::string::npos) return "";
    return "which a role trust policy cannot grant (only sts:AssumeRole, "
           "sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, "
           "sts:SetSourceIdentity and sts:SetContext): IAM rejects the policy";
  }
  if (lower == "sts:assumerole" && !StatementHasCaller(p, Caller::kAws)) {
    return "but its principals are all federated providers, which call "
           "sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity: it grants nothing; use "
           "the action of the provider";
  }
  if (lower == "sts:assumerolewithsaml" && !StatementHasCaller(p, Caller::kSaml)) {
    return "but none of its principals is a SAML provider "
           "(Federated: arn:aws:iam::ACCOUNT:saml-provider/NAME): it grants nothing";
  }
  if (lower == "sts:assumerolewithwebidentity" && !StatementHasCaller(p, Caller::kWebIdentity)) {
    return "but none of its principals is an OIDC or web identity provider (Federated: "
           "arn:aws:iam::ACCOUNT:oidc-provider/HOST, cognito-identity.amazonaws.com, "
           "accounts.google.com...): it grants nothing";
  }
  return "";
}

}  // namespace

// Actions of a trust policy statement: only the sts actions a role trust
// policy grants, each with a principal that can call it (Access Analyzer
// "Unsupported action in policy", "Mismatched action for principal").
void TrustPolicyActions(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (s.type != LintPolicyType::kTrust || !st.principal || st.not_principal) return;
  for (const LocatedString& a : st.actions) {
    const std::string problem = TrustActionProblem(a.value, *st.principal);
    if (problem.empty()) continue;
    Finding& f = ctx.Add(FindingId::kTrustPolicyAction, s, a.where);
    f.message = s.Describe() + " of a trust policy allows " + a.value + ", " + problem;
  }
}

void PublicPrincipal(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (st.effect != Effect::kAllow || !st.principal || st.not_principal) return;
  if (!IsWildcardPrincipal(*st.principal)) return;
  const bool restricted =
      std::any_of(st.conditions.begin(), st.conditions.end(),
                  [](const ConditionClause& c) { return !DoesNotRestrictCaller(c.key.value); });
  if (restricted) return;
  Finding& f = ctx.Add(FindingId::kPublicPrincipal, s, st.principal->where);
  f.action = Listed(st.actions);
  f.message = s.Describe() + " allows " + f.action +
              " to any principal (\"*\"), in any account, anonymous callers included" +
              (s.type == LintPolicyType::kTrust ? ": anyone can assume the role" : "") +
              "; name the principals, or restrict with a Condition on aws:PrincipalAccount, "
              "aws:PrincipalOrgID, aws:SourceArn or aws:SourceVpce";
}

void AllowNotPrincipal(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (st.effect != Effect::kAllow || !st.not_principal) return;
  Finding& f =
      ctx.Add(FindingId::kAllowNotPrincipal, s, st.principal ? st.principal->where : st.where);
  f.message = s.Describe() +
              " allows every principal except those listed (Allow with NotPrincipal), anonymous "
              "callers included; name the principals with Principal";
}

void InvalidPrincipals(LintContext& ctx, const LintStatement& s) {
  if (!s.source.principal) return;
  for (const auto& [type, values] : s.source.principal->by_type) {
    for (const LocatedString& v : values) {
      std::string problem;
      if (type == "AWS") {
        problem = AwsPrincipalProblem(v.value);
      } else if (type == "Service") {
        problem = ServicePrincipalProblem(v.value);
      } else if (type == "Federated" && !v.value.starts_with("arn:") &&
                 OidcProvider(v.value).empty()) {
        problem =
            "is neither a SAML or OIDC provider ARN nor cognito-identity.amazonaws.com, "
            "www.amazon.com, graph.facebook.com or accounts.google.com";
      }
      if (problem.empty()) continue;
      Finding& f = ctx.Add(FindingId::kInvalidPrincipal, s, v.where);
      f.resource = v.value;
      f.message = type + " principal " + Quoted(v.value) + " " + problem;
    }
  }
}

void FederatedPrincipalWithoutCondition(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (st.effect != Effect::kAllow || !st.principal || st.not_principal) return;
  const std::vector<LocatedString>* federated = Values(*st.principal, "Federated");
  if (!federated) return;
  for (const LocatedString& v : *federated) {
    const std::string provider = OidcProvider(v.value);
    if (provider.empty()) continue;
    const bool github = provider == "token.actions.githubusercontent.com";
    const bool sub = HasKey(st, provider + ":sub");
    const bool aud = HasKey(st, provider + ":aud");
    if (github ? sub : (sub || aud)) continue;
    Finding& f = ctx.Add(FindingId::kFederatedPrincipalWithoutCondition, s, v.where);
    f.resource = v.value;
    f.message = s.Describe() + " trusts " + Quoted(provider) + " with no Condition on " +
                (github ? provider + ":sub" : provider + ":aud or " + provider + ":sub") +
                (github ? ": any GitHub repository's workflow can assume the role; restrict it "
                          "to your repository and branch (repo:ORG/REPO:ref:refs/heads/main)"
                        : ": any identity of the provider, in any application, can assume the "
                          "role; restrict the audience or subject");
  }
}

void ServicePrincipalWithoutSource(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (s.type != LintPolicyType::kResource || st.effect != Effect::kAllow || !st.principal ||
      st.not_principal) {
    return;
  }
  const std::vector<LocatedString>* services = Values(*st.principal, "Service");
  if (!services || services->empty()) return;
  static constexpr std::string_view kSourceKeys[] = {"aws:SourceArn", "aws:SourceAccount",
                                                     "aws:SourceOrgID", "aws:SourceOrgPaths",
                                                     "aws:SourceOwner"};
  for (std::string_view k : kSourceKeys) {
    if (HasKey(st, k)) return;
  }
  Finding& f = ctx.Add(FindingId::kServicePrincipalWithoutSource, s, st.principal->where);
  f.resource = Listed(*services);
  f.message = s.Describe() + " allows service principal " + f.resource +
              " with no Condition on aws:SourceArn or aws:SourceAccount: the service may act "
              "for any account's resource (the confused deputy problem); add the Condition";
}

void ElementNotAllowedForType(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  const std::string type(PolicyTypeNoun(s.type));
  std::string problem;
  SourceLocation where = st.where;
  switch (s.type) {
    case LintPolicyType::kIdentity:
    case LintPolicyType::kBoundary:
    case LintPolicyType::kScp:
      if (st.principal) {
        problem = std::string(st.not_principal ? "NotPrincipal" : "Principal") + ": " + type +
                  " applies to the principals it is attached to";
        where = st.principal->where;
      }
      break;
    case LintPolicyType::kResource:
    case LintPolicyType::kRcp:
      if (!st.principal) problem = "no Principal: a statement of " + type + " must name one";
      break;
    case LintPolicyType::kTrust:
      if (!st.principal) {
        problem = "no Principal: a trust policy statement names who can assume the role";
      } else if (st.has_resource) {
        problem = "a Resource: the resource of a trust policy is the role itself";
        where = st.resources_where;
      } else if (st.not_principal) {
        problem = "NotPrincipal: IAM rejects it in trust policies";
        where = st.principal->where;
      }
      break;
  }
  if (problem.empty()) return;
  Finding& f = ctx.Add(FindingId::kElementNotAllowedForPolicyType, s, where);
  f.message = s.Describe() + " of " + type + " has " + problem;
}

void RedundantPrincipals(LintContext& ctx, const LintStatement& s) {
  const Statement& st = s.source;
  if (!st.principal) return;
  const std::vector<LocatedString>* aws = Values(*st.principal, "AWS");
  if (!aws || aws->size() < 2) return;
  // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION is a session of
  // arn:PARTITION:iam::ACCOUNT:role/PATH/ROLE (AWS "Role session principals").
  const auto role_key = [](std::string_view arn, std::string_view service,
                           std::string_view kind) -> std::string {
    const std::optional<Arn> a = Arn::Parse(arn);
    if (!a || a->service != service || !a->resource.starts_with(kind)) return "";
    std::string_view name = a->resource.substr(kind.size());
    if (kind == "assumed-role/") {
      const std::size_t slash = name.find('/');
      if (slash == std::string_view::npos) return "";
      name = name.substr(0, slash);
    } else {
      name = name.substr(name.rfind('/') + 1);  // the role's path aside
    }
    if (name.empty() || name.find_first_of("*?") != std::string_view::npos) return "";
    return std::string(a->partition) + ":" + std::string(a->account) + ":" + std::string(name);
  };
  std::unordered_map<std::string, const LocatedString*> roles;
  for (const LocatedString& v : *aws) {
    const std::string key = role_key(v.value, "iam", "role/");
    if (!key.empty()) roles.emplace(key, &v);
  }
  if (roles.empty()) return;
  for (const LocatedString& v : *aws) {
    const std::string key = role_key(v.value, "sts", "assumed-role/");
    const auto role = key.empty() ? roles.end() : roles.find(key);
    if (role == roles.end()) continue;
    Finding& f = ctx.Add(FindingId::kRedundantPrincipal, s, v.where);
    f.resource = v.value;
    f.message = "assumed-role principal " + Quoted(v.value) + " of " + s.Describe() +
                " is a session of role " + Quoted(role->second->value) +
                ", which the statement already names: it changes nothing; remove it";
  }
}

}  // namespace iam_audit::lint
