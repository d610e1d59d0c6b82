// AWS CLI output: get-policy-version, get-{role,user,group}-policy, and
// get-account-authorization-details.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "policy_source_internal.h"

namespace iam_audit::policy_source {
namespace {

// The principal kinds of the authorization details, as data.
struct PrincipalKind {
  std::string_view list;         // "RoleDetailList"
  std::string_view name_key;     // "RoleName"
  std::string_view inline_list;  // "RolePolicyList"
  std::string_view prefix;       // "role"
};
constexpr PrincipalKind kRoles = {"RoleDetailList", "RoleName", "RolePolicyList", "role"};
constexpr PrincipalKind kUsers = {"UserDetailList", "UserName", "UserPolicyList", "user"};
constexpr PrincipalKind kGroups = {"GroupDetailList", "GroupName", "GroupPolicyList", "group"};

// The get-*-policy outputs, as data.
struct InlineOutput {
  std::string_view name_key;
  std::string_view prefix;
};
constexpr InlineOutput kInlineOutputs[] = {
    {"RoleName", "role"}, {"UserName", "user"}, {"GroupName", "group"}};

// A document value: an object, or a string holding (URL-encoded) JSON.
std::optional<json::Value> DocumentValue(const json::Value& v, Collector& c,
                                         std::string_view what) {
  if (v.is_object()) return v;
  return c.ParseEmbedded(v, /*exact=*/true, what);
}

// "role/path/name" from "arn:aws:iam::123456789012:role/path/name".
std::string ArnResource(std::string_view arn, std::string_view fallback_prefix,
                        std::string_view name) {
  std::size_t colons = 0, i = 0;
  for (; i < arn.size() && colons < 5; ++i) {
    if (arn[i] == ':') ++colons;
  }
  if (colons == 5 && i < arn.size()) return std::string(arn.substr(i));
  return std::string(fallback_prefix) + "/" + std::string(name);
}

class AuthorizationDetails {
 public:
  AuthorizationDetails(const json::Value& root, const PolicySourceOptions& options, Collector& c)
      : root_(root), options_(options), c_(c) {}

  void Load();

 private:
  struct Managed {
    const json::Value* policy = nullptr;  // the Policies entry
    int id = -2;                          // -2: not read yet; -1: no default version
  };
  struct Group {
    const json::Value* detail = nullptr;
    bool read = false;
    std::vector<int> ids;
    bool complete = true;
  };
  static Group MakeGroup(const json::Value* detail) {
    Group g;
    g.detail = detail;
    return g;
  }
  static Managed MakeManaged(const json::Value* policy) {
    Managed m;
    m.policy = policy;
    return m;
  }

  int ManagedPolicy(std::string_view arn, SourceLocation where, const std::string& user,
                    bool* complete);
  void InlinePolicies(const json::Value& detail, const PrincipalKind& kind,
                      const std::string& owner, std::vector<int>& ids);
  void AttachedPolicies(const json::Value& detail, const std::string& owner, std::vector<int>& ids,
                        bool* complete);
  const Group* GroupPolicies(std::string_view name);
  bool Selected(const json::Value& detail, const PrincipalKind& kind) const;
  void Principals(const PrincipalKind& kind, std::size_t* selected);

  const json::Value& root_;
  const PolicySourceOptions& options_;
  Collector& c_;
  std::map<std::string, Managed, std::less<>> managed_;
  std::map<std::string, Group, std::less<>> groups_;
};

int AuthorizationDetails::ManagedPolicy(std::string_view arn, SourceLocation where,
                                        const std::string& user, bool* complete) {
  const auto it = managed_.find(arn);
  if (it == managed_.end()) {
    c_.Warning(where, "managed policy " + Quoted(arn, 200) + " of " + user +
                          " is not in this file's Policies list: its permissions are not part "
                          "of the audit");
    *complete = false;
    return -1;
  }
  Managed& m = it->second;
  if (m.id == -2) {
    m.id = -1;
    const json::Value* versions = m.policy->Find("PolicyVersionList");
    const std::string_view default_version = StringMember(*m.policy, "DefaultVersionId");
    const json::Value* chosen = nullptr;
    if (versions != nullptr) {
      for (const json::Value& v : versions->Elements()) {
        const json::Value* is_default = v.Find("IsDefaultVersion");
        if ((is_default && is_default->AsBool()) ||
            (!default_version.empty() && StringMember(v, "VersionId") == default_version)) {
          chosen = &v;
          break;
        }
      }
    }
    const json::Value* document = chosen ? chosen->Find("Document") : nullptr;
    if (document == nullptr) {
      c_.Warning(m.policy->where(), "managed policy " + Quoted(arn, 200) +
                                        " has no default version document in this file: its "
                                        "permissions are not part of the audit");
    } else if (const std::optional<json::Value> doc =
                   DocumentValue(*document, c_, "the policy document string")) {
      std::string name(arn);
      if (const std::string_view version = StringMember(*chosen, "VersionId"); !version.empty()) {
        name += " (" + std::string(version) + ")";
      }
      m.id = c_.AddPolicy(std::move(name), *doc, m.policy->where());
    }
  }
  if (m.id < 0) *complete = false;
  return m.id;
}

void AuthorizationDetails::InlinePolicies(const json::Value& detail, const PrincipalKind& kind,
                                          const std::string& owner, std::vector<int>& ids) {
  const json::Value* list = detail.Find(kind.inline_list);
  if (list == nullptr) return;
  for (const json::Value& p : list->Elements()) {
    const json::Value* document = p.Find("PolicyDocument");
    if (document == nullptr) continue;
    if (const std::optional<json::Value> doc =
            DocumentValue(*document, c_, "the policy document string")) {
      ids.push_back(c_.AddPolicy(owner + " policy " + std::string(StringMember(p, "PolicyName")),
                                 *doc, p.where()));
    }
  }
}

void AuthorizationDetails::AttachedPolicies(const json::Value& detail, const std::string& owner,
                                            std::vector<int>& ids, bool* complete) {
  const json::Value* list = detail.Find("AttachedManagedPolicies");
  if (list == nullptr) return;
  for (const json::Value& a : list->Elements()) {
    const int id = ManagedPolicy(StringMember(a, "PolicyArn"), a.where(), owner, complete);
    if (id >= 0) ids.push_back(id);
  }
}

const AuthorizationDetails::Group* AuthorizationDetails::GroupPolicies(std::string_view name) {
  const auto it = groups_.find(name);
  if (it == groups_.end()) return nullptr;
  Group& g = it->second;
  if (!g.read) {
    g.read = true;
    const std::string owner = ArnResource(StringMember(*g.detail, "Arn"), "group", name);
    InlinePolicies(*g.detail, kGroups, owner, g.ids);
    AttachedPolicies(*g.detail, owner, g.ids, &g.complete);
  }
  return &g;
}

bool AuthorizationDetails::Selected(const json::Value& detail, const PrincipalKind& kind) const {
  if (options_.principal.empty()) return true;
  return StringMember(detail, kind.name_key) == options_.principal ||
         StringMember(detail, "Arn") == options_.principal;
}

void AuthorizationDetails::Principals(const PrincipalKind& kind, std::size_t* selected) {
  const json::Value* list = root_.Find(kind.list);
  if (list == nullptr) return;
  for (const json::Value& detail : list->Elements()) {
    if (!Selected(detail, kind)) continue;
    ++*selected;
    Collector::Principal p;
    const std::string_view name = StringMember(detail, kind.name_key);
    p.arn = std::string(StringMember(detail, "Arn"));
    p.name = ArnResource(p.arn, kind.prefix, name);
    p.where = detail.where();
    InlinePolicies(detail, kind, p.name, p.identity);
    AttachedPolicies(detail, p.name, p.identity, &p.complete);
    if (const json::Value* groups = detail.Find("GroupList")) {
      for (const json::Value& g : groups->Elements()) {
        const Group* group = GroupPolicies(g.AsString());
        if (group == nullptr) {
          c_.Warning(g.where(), "group " + Quoted(g.AsString()) + " of " + p.name +
                                    " is not in this file's GroupDetailList: its policies are "
                                    "not part of the audit");
          p.complete = false;
          continue;
        }
        p.identity.insert(p.identity.end(), group->ids.begin(), group->ids.end());
        p.complete = p.complete && group->complete;
      }
    }
    if (const json::Value* boundary = detail.Find("PermissionsBoundary")) {
      p.boundary = ManagedPolicy(StringMember(*boundary, "PermissionsBoundaryArn"),
                                 boundary->where(), p.name, &p.complete);
    }
    c_.AddPrincipal(std::move(p));
  }
}

void AuthorizationDetails::Load() {
  if (const json::Value* policies = root_.Find("Policies")) {
    for (const json::Value& p : policies->Elements()) {
      managed_.emplace(std::string(StringMember(p, "Arn")), MakeManaged(&p));
    }
  }
  if (const json::Value* groups = root_.Find(kGroups.list)) {
    for (const json::Value& g : groups->Elements()) {
      groups_.emplace(std::string(StringMember(g, kGroups.name_key)), MakeGroup(&g));
    }
  }
  if (const json::Value* roles = root_.Find(kRoles.list)) {
    for (const json::Value& role : roles->Elements()) ReadRoleTrustPolicy(role, c_);
  }
  std::size_t selected = 0;
  Principals(kRoles, &selected);
  Principals(kUsers, &selected);
  if (!options_.principal.empty()) {
    if (selected == 0) {
      std::vector<std::string> names;
      for (const PrincipalKind* kind : {&kRoles, &kUsers}) {
        const json::Value* list = root_.Find(kind->list);
        if (list == nullptr) continue;
        for (const json::Value& d : list->Elements()) {
          names.push_back(
              ArnResource(StringMember(d, "Arn"), kind->prefix, StringMember(d, kind->name_key)));
        }
      }
      throw InputError(
          Diagnostics{{c_.file_name(),
                       {},
                       UnknownPrincipalMessage(options_.principal, names) +
                           (names.empty() ? "" : "\n(give a RoleName, UserName or ARN)")}});
    }
    return;
  }
  // Customer managed policies attached to nobody are still worth linting.
  for (auto& [arn, m] : managed_) {
    if (m.id == -2 && arn.find(":iam::aws:") == std::string::npos) {
      bool complete = true;
      ManagedPolicy(arn, m.policy->where(), "the account", &complete);
    }
  }
}

}  // namespace

bool LooksLikeAwsCli(const json::Value& root) {
  if (!root.is_object()) return false;
  if (const json::Value* v = root.Find("PolicyVersion")) return v->Find("Document") != nullptr;
  return root.Find("PolicyDocument") != nullptr;
}

bool LooksLikeAuthorizationDetails(const json::Value& root) {
  if (!root.is_object()) return false;
  for (std::string_view key : {kRoles.list, kUsers.list, kGroups.list}) {
    if (root.Find(key) != nullptr) return true;
  }
  const json::Value* policies = root.Find("Policies");
  return policies != nullptr && policies->is_array() && policies->size() > 0 &&
         policies->Elements()[0].Find("PolicyVersionList") != nullptr;
}

void LoadAwsCli(const json::Value& root, Collector& c) {
  if (const json::Value* version = root.Find("PolicyVersion")) {
    const json::Value* document = version->Find("Document");
    if (const std::optional<json::Value> doc =
            DocumentValue(*document, c, "the PolicyVersion.Document string")) {
      std::string name = "policy version";
      if (const std::string_view id = StringMember(*version, "VersionId"); !id.empty()) {
        name += " " + std::string(id);
      }
      c.AddPolicy(std::move(name), *doc);
    }
    return;
  }
  const json::Value* document = root.Find("PolicyDocument");
  std::string owner;
  for (const InlineOutput& o : kInlineOutputs) {
    if (const std::string_view n = StringMember(root, o.name_key); !n.empty()) {
      owner = std::string(o.prefix) + "/" + std::string(n) + " ";
      break;
    }
  }
  std::string name = owner + "policy " + std::string(StringMember(root, "PolicyName"));
  if (const std::optional<json::Value> doc =
          DocumentValue(*document, c, "the PolicyDocument string")) {
    c.AddPolicy(std::move(name), *doc);
  }
}

void LoadAuthorizationDetails(const json::Value& root, const PolicySourceOptions& options,
                              Collector& c) {
  AuthorizationDetails(root, options, c).Load();
}

}  // namespace iam_audit::policy_source
