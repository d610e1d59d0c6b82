#include "iam_audit/principal.h"

#include <algorithm>
#include <optional>

#include "ascii.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/policy.h"

namespace iam_audit {

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

namespace {

using ascii::EqualsIgnoreCase;

// The account a Principal "AWS" value names as a whole ("123456789012" or
// "arn:aws:iam::123456789012:root"), if it is one.
std::optional<std::string_view> AccountPrincipal(std::string_view value) {
  if (IsAccountId(value)) return value;
  const auto arn = Arn::Parse(value);
  if (arn && EqualsIgnoreCase(arn->service, "iam") && arn->resource == "root") return arn->account;
  return std::nullopt;
}

std::string_view LastPathPart(std::string_view path_name) {
  return path_name.substr(path_name.rfind('/') + 1);
}

PrincipalMatch MatchAwsValue(std::string_view v, const Caller& caller) {
  // "*" names everyone, the anonymous caller included.
  if (v == "*") return PrincipalMatch::kDirect;
  if (!caller.known() || caller.anonymous()) return PrincipalMatch::kNone;
  if (const auto account = AccountPrincipal(v)) {
    if (caller.account.empty() || *account != caller.account) return PrincipalMatch::kNone;
    return caller.type == Caller::Type::kRoot ? PrincipalMatch::kDirect : PrincipalMatch::kAccount;
  }
  if (EqualsIgnoreCase(v, caller.arn)) {
    // "Resource-based policies that grant permissions to an IAM role ARN are
    // limited by an implicit deny in a permissions boundary or session policy."
    return caller.type == Caller::Type::kRole ? PrincipalMatch::kRole : PrincipalMatch::kDirect;
  }
  if (caller.type == Caller::Type::kRoleSession) {
    const auto arn = Arn::Parse(v);
    if (arn && EqualsIgnoreCase(arn->service, "iam") && arn->account == caller.account &&
        arn->resource.starts_with("role/") &&
        EqualsIgnoreCase(LastPathPart(arn->resource.substr(5)), caller.role_name)) {
      return PrincipalMatch::kRole;
    }
  }
  return PrincipalMatch::kNone;
}

int Rank(PrincipalMatch m) {
  switch (m) {
    case PrincipalMatch::kDirect:
      return 3;
    case PrincipalMatch::kRole:
      return 2;
    case PrincipalMatch::kAccount:
      return 1;
    case PrincipalMatch::kNone:
      break;
  }
  return 0;
}

PrincipalMatch Strongest(PrincipalMatch a, PrincipalMatch b) { return Rank(a) >= Rank(b) ? a : b; }

}  // namespace

Caller Caller::Parse(std::string_view text, std::string_view account) {
  Caller c;
  c.arn = std::string(text);
  c.account = std::string(account);
  if (text.empty()) {
    c.type = account.empty() ? Type::kNone : Type::kOther;
    return c;
  }
  if (EqualsIgnoreCase(text, "anonymous")) {
    c.type = Type::kAnonymous;
    c.account.clear();
    return c;
  }
  c.type = Type::kOther;
  if (IsAccountId(text)) {
    c.type = Type::kRoot;
    c.account = std::string(text);
    return c;
  }
  if (text.ends_with(".amazonaws.com") && !text.starts_with("arn:")) {
    c.type = Type::kService;
    return c;
  }
  const auto arn = Arn::Parse(text);
  if (!arn) return c;
  if (!arn->account.empty()) c.account = std::string(arn->account);
  const std::string_view r = arn->resource;
  if (EqualsIgnoreCase(arn->service, "iam")) {
    if (r == "root") {
      c.type = Type::kRoot;
    } else if (r.starts_with("user/")) {
      c.type = Type::kUser;
    } else if (r.starts_with("role/")) {
      c.type = Type::kRole;
      c.role_name = std::string(LastPathPart(r.substr(5)));
    }
  } else if (EqualsIgnoreCase(arn->service, "sts")) {
    if (r.starts_with("assumed-role/")) {
      c.type = Type::kRoleSession;
      const std::string_view rest = r.substr(13);
      c.role_name = std::string(rest.substr(0, rest.find('/')));
    } else if (r.starts_with("federated-user/")) {
      c.type = Type::kFederatedUser;
    }
  }
  return c;
}

std::string Caller::PrincipalArn() const {
  if (type == Type::kRoleSession) {
    const auto parsed = Arn::Parse(arn);
    return "arn:" + std::string(parsed ? parsed->partition : "aws") + ":iam::" + account +
           ":role/" + role_name;
  }
  if (type == Type::kRoot && !arn.starts_with("arn:")) return "arn:aws:iam::" + account + ":root";
  return arn;
}

PrincipalMatch MatchPrincipal(const Statement& s, const Caller& caller, bool has_boundary) {
  if (!s.principal) return PrincipalMatch::kNone;
  if (s.not_principal && s.effect == Effect::kDeny && has_boundary) {
    // [PB] "The NotPrincipal element with a Deny effect will always deny any
    // IAM principal that has a permissions boundary policy attached,
    // regardless of the values specified in the NotPrincipal element."
    return PrincipalMatch::kDirect;
  }
  const PrincipalSpec& spec = *s.principal;
  PrincipalMatch best = spec.wildcard ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  for (const auto& [type, values] : spec.by_type) {
    for (const LocatedString& v : values) {
      if (type == "AWS") {
        best = Strongest(best, MatchAwsValue(v.value, caller));
      } else if (v.value == "*" ||
                 (caller.known() && !caller.anonymous() && EqualsIgnoreCase(v.value, caller.arn))) {
        best = Strongest(best, PrincipalMatch::kDirect);
      }
    }
  }
  if (s.not_principal) {
    // NotPrincipal: everyone except the listed principals. The account root
    // listed excludes the account's principals too.
    return best == PrincipalMatch::kNone ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  }
  return best;
}

void AddCallerKeys(const Caller& caller, RequestContext* context) {
  if (!caller.known() || caller.anonymous()) return;
  if (!context->Find("aws:PrincipalArn") && caller.type != Caller::Type::kOther &&
      caller.type != Caller::Type::kService) {
    context->Add("aws:PrincipalArn", caller.PrincipalArn());
  }
  if (!context->Find("aws:PrincipalAccount") && !caller.account.empty()) {
    context->Add("aws:PrincipalAccount", caller.account);
  }
}

}  // namespace iam_audit
