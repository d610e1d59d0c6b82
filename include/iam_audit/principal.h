// Principal: who makes a request, as resource-based policies see it, and how
// a statement's Principal / NotPrincipal element relates to that caller.
//
//   Caller c = Caller::Parse("arn:aws:sts::111122223333:assumed-role/dbt/s1", "");
//   c.account == "111122223333"; c.role_arn_prefix() ...
//   PrincipalMatch m = MatchPrincipal(statement, c, /*has_boundary=*/false);
//
// Rules (docs/evaluation.md section 1.2 quotes AWS's "AWS JSON policy
// elements: Principal" and "NotPrincipal" pages):
//   - "*" and {"AWS": "*"} name every caller, the anonymous one included;
//   - an account ("111122223333" or "arn:aws:iam::111122223333:root") names the
//     account: it delegates to the account's identity policies (kAccount);
//   - a role ARN names the role and its sessions (kRole: still limited by the
//     caller's permissions boundary and session policy);
//   - a user, session, federated user or service principal names itself;
//   - NotPrincipal (Deny only) applies to every caller it does not list, and
//     "will always deny any IAM principal that has a permissions boundary".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "iam_audit/condition.h"

namespace iam_audit {

struct Statement;

// How a resource-based policy statement's Principal relates to the caller.
enum class PrincipalMatch : std::uint8_t {
  kNone,     // not the caller: the statement does not apply
  kDirect,   // the caller itself (user, role session, federated user) or "*"
  kRole,     // the caller's role ARN (or the caller is a role): still limited
             // by the permissions boundary and the session policy
  kAccount,  // the caller's account: delegates to the identity policies
};

// An AWS account ID: 12 decimal digits ("111122223333").
bool IsAccountId(std::string_view text);

// The caller of a request.
struct Caller {
  enum class Type : std::uint8_t {
    kNone,       // not given
    kAnonymous,  // an unauthenticated request ("--principal anonymous")
    kRoot,       // an account ("111122223333" or arn:aws:iam::111122223333:root)
    kUser,
    kRole,
    kRoleSession,
    kFederatedUser,
    kService,  // "glue.amazonaws.com"
    kOther,    // any other text: compared literally
  };
  Type type = Type::kNone;
  std::string arn;        // as given
  std::string account;    // 12 digits; empty when unknown
  std::string role_name;  // kRole, kRoleSession: the role's name (no path)

  // Parses `text` ("" for none, "anonymous", an account id, an ARN, a service
  // principal). `account`, when not empty, is the caller's account where the
  // text does not carry one (--principal-account).
  static Caller Parse(std::string_view text, std::string_view account = "");

  bool known() const { return type != Type::kNone; }
  bool anonymous() const { return type == Type::kAnonymous; }
  // The ARN aws:PrincipalArn holds: the role's ARN for a role session (as
  // arn:aws:iam::ACCOUNT:role/NAME, without the path a session does not carry).
  std::string PrincipalArn() const;
};

// How statement `s` of a resource-based policy applies to `caller`.
// `has_boundary`: the caller has a permissions boundary (the NotPrincipal rule).
PrincipalMatch MatchPrincipal(const Statement& s, const Caller& caller, bool has_boundary);

// Adds the global keys AWS sets from the caller (aws:PrincipalArn,
// aws:PrincipalAccount) to `context` unless it already has them. An anonymous
// or unknown caller adds nothing.
void AddCallerKeys(const Caller& caller, RequestContext* context);

}  // namespace iam_audit
