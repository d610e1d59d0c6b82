// CloudFormation templates (JSON, and YAML with the short-form tags): the
// IAM mapping. Roles, users and groups become principals with the policies
// the template attaches to them (inline Policies, AWS::IAM::Policy and
// ManagedPolicy attachments, owned RolePolicy/UserPolicy/GroupPolicy, group
// membership, ManagedPolicyArns, PermissionsBoundary); bucket, key and trust
// policies become resource policies. Values come from
// policy_source_cfn_intrinsics.h: what the template does not determine is an
// unresolved placeholder with a note (see policy_source.h).
#include <algorithm>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "iam_audit/resource_policy.h"
#include "policy_source_cfn_intrinsics.h"
#include "policy_source_internal.h"

namespace iam_audit::policy_source {

// The IAM resource types read, and how each relates to principals.
enum class IamKind { kNone, kRole, kUser, kGroup, kPolicy, kManagedPolicy, kOwnedPolicy };
struct IamType {
  std::string_view type;
  IamKind kind;
  std::string_view owner_key;  // kOwnedPolicy: the property naming its principal
  IamKind owner_kind;
};

namespace {

constexpr IamType kIamTypes[] = {
    {"AWS::IAM::Role", IamKind::kRole, "", IamKind::kNone},
    {"AWS::IAM::User", IamKind::kUser, "", IamKind::kNone},
    {"AWS::IAM::Group", IamKind::kGroup, "", IamKind::kNone},
    {"AWS::IAM::Policy", IamKind::kPolicy, "", IamKind::kNone},
    {"AWS::IAM::ManagedPolicy", IamKind::kManagedPolicy, "", IamKind::kNone},
    {"AWS::IAM::RolePolicy", IamKind::kOwnedPolicy, "RoleName", IamKind::kRole},
    {"AWS::IAM::UserPolicy", IamKind::kOwnedPolicy, "UserName", IamKind::kUser},
    {"AWS::IAM::GroupPolicy", IamKind::kOwnedPolicy, "GroupName", IamKind::kGroup},
};
// Policy and ManagedPolicy: the lists of principals they attach to.
struct AttachList {
  std::string_view key;
  IamKind kind;
};
constexpr AttachList kAttachLists[] = {
    {"Roles", IamKind::kRole}, {"Users", IamKind::kUser}, {"Groups", IamKind::kGroup}};

const IamType* IamTypeOf(std::string_view type) {
  for (const IamType& t : kIamTypes) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

class Template : TemplateEvaluator {
 public:
  using TemplateEvaluator::TemplateEvaluator;

  void Load();

 private:
  int ReadDocument(std::string name, const json::Value& raw, SourceLocation where = {});
  std::optional<json::Value> ResolveDocument(const json::Value& raw);
  void ReadResources();
  void ReadResourcePolicies();
  void ReadEndpointPolicy(const Resource& r);
  void ReadInlinePolicies(Resource& r);
  // The template principal of `kind` a value designates ({"Ref": id} or its
  // resolved name), if any.
  std::optional<std::size_t> Designated(const json::Value& v, IamKind kind);
  // The template ManagedPolicy an ARN value designates; -1 after a warning
  // when it is not in the template.
  int ManagedPolicyOf(const json::Value& v, Resource& owner);
  // The elements of a list of names or ARNs: the raw elements (so that a
  // {"Ref": id} is seen as such), or, for a list an intrinsic computes (an
  // Fn::If around it), the computed ones.
  std::span<const json::Value> ElementsOf(const json::Value& list);
  void Attach();
  void AddPrincipals();
  std::string NameOf(const Resource& r) const {
    return std::string(r.type) + " " + std::string(r.id);
  }
};

// --- IAM resources --------------------------------------------------------------------

// Statements an undecidable Fn::If turned into placeholders are dropped.
json::Value DropUnresolvedStatements(const json::Value& doc, json::Document& out, Collector& c) {
  const json::Value* statement = doc.Find("Statement");
  if (statement == nullptr || !statement->is_array()) return doc;
  std::vector<json::Value> kept;
  for (const json::Value& s : statement->Elements()) {
    if (s.is_string() && ContainsUnresolved(s.AsString())) {
      c.Note(s.where(), "a statement that depends on an undecided condition is left out");
      continue;
    }
    kept.push_back(s);
  }
  if (kept.size() == statement->size()) return doc;
  std::vector<json::Member> members(doc.Members().begin(), doc.Members().end());
  for (json::Member& m : members) {
    if (m.name() == "Statement") m.value = out.MakeArray(kept, statement->where());
  }
  return out.MakeObject(members, doc.where());
}

int Template::ReadDocument(std::string name, const json::Value& raw, SourceLocation where) {
  std::optional<json::Value> document = ResolveDocument(raw);
  if (!document) return -1;
  return c_.AddPolicy(std::move(name), *document, where);
}

// A policy document property, resolved and parsed; nullopt after reporting.
std::optional<json::Value> Template::ResolveDocument(const json::Value& raw) {
  const Resolved r = Resolve(raw);
  if (r.no_value) return std::nullopt;
  json::Value document = r.value;
  if (document.is_string()) {
    // A JSON string: exact columns only when it is the literal of the file.
    const bool literal = raw.is_string();
    std::optional<json::Value> parsed =
        c_.ParseEmbedded(document, literal, "the PolicyDocument string");
    if (!parsed) return std::nullopt;
    document = *parsed;
  }
  if (!document.is_object()) {
    c_.Error(raw.where(), "PolicyDocument must be an object, found " +
                              std::string(json::TypeName(document.type())));
    return std::nullopt;
  }
  return DropUnresolvedStatements(document, out_, c_);
}

void Template::ReadInlinePolicies(Resource& r) {
  const json::Value* policies = r.properties.Find("Policies");
  if (policies == nullptr) return;
  for (const json::Value& p : policies->Elements()) {
    const json::Value* document = p.Find("PolicyDocument");
    if (document == nullptr) continue;
    std::string name = NameOf(r) + " policy ";
    if (const json::Value* policy_name = p.Find("PolicyName")) {
      ++quiet_;
      name += Text(Resolve(*policy_name)).value_or("?");
      --quiet_;
    }
    const int id = ReadDocument(std::move(name), *document, p.where());
    if (id >= 0) r.own_policies.push_back(id);
  }
}

void Template::ReadResources() {
  const json::Value* resources = root_.Find("Resources");
  if (resources == nullptr) return;
  if (!resources->is_object()) {
    c_.Error(resources->where(), "Resources must be an object of logical ids");
    return;
  }
  for (const json::Member& m : resources->Members()) {
    Resource r;
    r.id = m.name();
    r.type = StringMember(m.value, "Type");
    r.where = m.key.where();
    if (const json::Value* p = m.value.Find("Properties"); p && p->is_object()) r.properties = *p;
    r.iam = IamTypeOf(r.type);
    if (r.iam != nullptr) {
      if (const json::Value* cond = m.value.Find("Condition"); cond && cond->is_string()) {
        const Truth t = Condition(cond->AsString());
        if (t == Truth::kFalse) continue;  // not created
        if (t == Truth::kUnknown) {
          c_.Note(cond->where(), std::string(r.id) + " exists only when condition " +
                                     Quoted(cond->AsString()) +
                                     " holds, which cannot be decided offline: audited as if it "
                                     "did");
        }
      }
    }
    by_id_.emplace(r.id, resources_.size());
    resources_.push_back(std::move(r));
  }
  for (Resource& r : resources_) {
    if (r.iam == nullptr) continue;
    switch (r.iam->kind) {
      case IamKind::kRole:
      case IamKind::kUser:
      case IamKind::kGroup:
        ReadInlinePolicies(r);
        break;
      case IamKind::kPolicy:
      case IamKind::kManagedPolicy:
      case IamKind::kOwnedPolicy:
        if (const json::Value* document = r.properties.Find("PolicyDocument")) {
          r.policy = ReadDocument(NameOf(r), *document, r.where);
        } else {
          c_.Error(r.where, NameOf(r) + " has no PolicyDocument");
        }
        break;
      case IamKind::kNone:
        break;
    }
  }
}

// Bucket, key and trust policies (docs/input-formats.md, "Resource
// policies"): given to every principal's audit, never audited as identity
// policies, and linted as what they are. A resource whose ARN the template
// does not determine (a key's ARN is known once deployed) cannot be matched
// to a request: its policy is only linted.
void Template::ReadResourcePolicies() {
  struct Holder {
    std::string_view type, property;
    PolicyResourceKind kind;
  };
  static constexpr Holder kHolders[] = {
      {"AWS::S3::BucketPolicy", "PolicyDocument", PolicyResourceKind::kBucket},
      {"AWS::KMS::Key", "KeyPolicy", PolicyResourceKind::kKey},
      {"AWS::IAM::Role", "AssumeRolePolicyDocument", PolicyResourceKind::kRole}};
  for (const Resource& r : resources_) {
    if (r.type == "AWS::EC2::VPCEndpoint") ReadEndpointPolicy(r);
    const auto holder = std::find_if(std::begin(kHolders), std::end(kHolders),
                                     [&](const Holder& h) { return h.type == r.type; });
    if (holder == std::end(kHolders)) continue;
    const json::Value* document = r.properties.Find(holder->property);
    if (document == nullptr) continue;
    ++quiet_;  // the ARN is resolved only to match requests
    Resolved arn;
    if (holder->property == "PolicyDocument") {
      const json::Value* bucket = r.properties.Find("Bucket");
      if (bucket != nullptr) arn = Resolve(*bucket);
      if (std::optional<std::string> name = Text(arn))
        arn.value = out_.MakeString("arn:aws:s3:::" + *name, r.where);
    } else {
      arn = ResourceValue(r, "Arn", r.where);
    }
    --quiet_;
    std::optional<std::string> text = Text(arn);
    if (!text || arn.unknown || ContainsUnresolved(*text)) {
      text = "";
      if (r.type == "AWS::KMS::Key") {
        c_.Note(r.where, NameOf(r) +
                             ": its KeyPolicy applies to requests once the key's ARN is "
                             "known: pass --var " +
                             std::string(r.id) + ".Arn=ARN (the deployed key)");
      }
    }
    if (std::optional<json::Value> doc = ResolveDocument(*document)) {
      c_.AddResourcePolicy(NameOf(r), *text, *doc, holder->kind);
    }
  }
}

// An AWS::EC2::VPCEndpoint's PolicyDocument, for the requests of its
// ServiceName's service (docs/evaluation.md, "VPC endpoint policies").
void Template::ReadEndpointPolicy(const Resource& r) {
  const json::Value* document = r.properties.Find("PolicyDocument");
  const json::Value* service = r.properties.Find("ServiceName");
  if (document == nullptr || service == nullptr) return;
  ++quiet_;
  const std::optional<std::string> name = Text(Resolve(*service));
  --quiet_;
  if (!name || EndpointServicePrefix(*name).empty()) return;
  if (std::optional<json::Value> doc = ResolveDocument(*document)) {
    c_.AddEndpointPolicy(NameOf(r), *name, *doc);
  }
}

std::optional<std::size_t> Template::Designated(const json::Value& v, IamKind kind) {
  const auto matches = [&](std::size_t i) {
    return resources_[i].iam != nullptr && resources_[i].iam->kind == kind;
  };
  if (v.is_object() && v.size() == 1 && v.Members()[0].name() == "Ref") {
    const std::optional<std::size_t> r = FindResource(v.Members()[0].value.AsString());
    if (r && matches(*r)) return r;
  }
  ++quiet_;
  const Resolved name = Resolve(v);
  --quiet_;
  const std::optional<std::string> text = Text(name);
  if (name.unknown || !text) return std::nullopt;
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    if (!matches(i)) continue;
    ++quiet_;
    const Resolved own = ResourceValue(resources_[i], "", resources_[i].where);
    --quiet_;
    if (!own.unknown && Text(own) == text) return i;
  }
  return std::nullopt;
}

std::span<const json::Value> Template::ElementsOf(const json::Value& list) {
  if (list.is_array()) return list.Elements();
  ++quiet_;
  const Resolved r = Resolve(list);
  --quiet_;
  return r.value.Elements();
}

int Template::ManagedPolicyOf(const json::Value& v, Resource& owner) {
  if (const std::optional<std::size_t> m = Designated(v, IamKind::kManagedPolicy)) {
    const Resource& policy = resources_[*m];
    if (policy.policy < 0) owner.complete = false;
    return policy.policy;
  }
  ++quiet_;
  const Resolved arn = Resolve(v);
  --quiet_;
  c_.Warning(v.where(), "managed policy " + Quoted(Text(arn).value_or("?"), 200) + " of " +
                            NameOf(owner) +
                            " is not defined in this template: its permissions are not part of "
                            "the audit");
  owner.complete = false;
  return -1;
}

void Template::Attach() {
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    Resource& r = resources_[i];
    if (r.iam == nullptr) continue;
    switch (r.iam->kind) {
      case IamKind::kPolicy:
      case IamKind::kManagedPolicy:
        for (const AttachList& list : kAttachLists) {
          const json::Value* v = r.properties.Find(list.key);
          if (v == nullptr) continue;
          for (const json::Value& e : ElementsOf(*v)) {
            if (const std::optional<std::size_t> owner = Designated(e, list.kind)) {
              if (r.policy >= 0) resources_[*owner].own_policies.push_back(r.policy);
              if (r.policy < 0) resources_[*owner].complete = false;
            }
          }
        }
        break;
      case IamKind::kOwnedPolicy:
        if (const json::Value* v = r.properties.Find(r.iam->owner_key)) {
          if (const std::optional<std::size_t> owner = Designated(*v, r.iam->owner_kind)) {
            if (r.policy >= 0) resources_[*owner].own_policies.push_back(r.policy);
            if (r.policy < 0) resources_[*owner].complete = false;
          }
        }
        break;
      case IamKind::kRole:
      case IamKind::kUser:
      case IamKind::kGroup: {
        if (const json::Value* arns = r.properties.Find("ManagedPolicyArns")) {
          for (const json::Value& e : ElementsOf(*arns)) {
            const int id = ManagedPolicyOf(e, r);
            if (id >= 0) r.own_policies.push_back(id);
          }
        }
        if (const json::Value* b = r.properties.Find("PermissionsBoundary")) {
          r.boundary = ManagedPolicyOf(*b, r);
        }
        if (r.iam->kind == IamKind::kUser) {
          if (const json::Value* groups = r.properties.Find("Groups")) {
            for (const json::Value& g : ElementsOf(*groups)) {
              if (const std::optional<std::size_t> group = Designated(g, IamKind::kGroup)) {
                r.groups.push_back(*group);
              }
            }
          }
        }
        break;
      }
      case IamKind::kNone:
        break;
    }
  }
  // AWS::IAM::UserToGroupAddition
  for (const Resource& r : resources_) {
    if (r.type != "AWS::IAM::UserToGroupAddition") continue;
    const json::Value* group = r.properties.Find("GroupName");
    const json::Value* users = r.properties.Find("Users");
    if (group == nullptr || users == nullptr) continue;
    const std::optional<std::size_t> g = Designated(*group, IamKind::kGroup);
    if (!g) continue;
    for (const json::Value& u : ElementsOf(*users)) {
      if (const std::optional<std::size_t> user = Designated(u, IamKind::kUser)) {
        resources_[*user].groups.push_back(*g);
      }
    }
  }
}

void Template::AddPrincipals() {
  for (const Resource& r : resources_) {
    for (std::size_t g : r.groups) resources_[g].has_users = true;
  }
  for (const Resource& r : resources_) {
    if (r.iam == nullptr) continue;
    const IamKind kind = r.iam->kind;
    if (kind != IamKind::kRole && kind != IamKind::kUser && kind != IamKind::kGroup) continue;
    if (kind == IamKind::kGroup && r.has_users) continue;  // audited through its users
    Collector::Principal p;
    p.name = NameOf(r);
    p.where = r.where;
    p.identity = r.own_policies;
    p.boundary = r.boundary;
    p.complete = r.complete;
    for (std::size_t g : r.groups) {
      const Resource& group = resources_[g];
      p.identity.insert(p.identity.end(), group.own_policies.begin(), group.own_policies.end());
      p.complete = p.complete && group.complete;
    }
    if (kind != IamKind::kGroup) {
      ++quiet_;
      const Resolved arn = ResourceValue(r, "Arn", r.where);
      --quiet_;
      if (!arn.unknown) p.arn = Text(arn).value_or("");
    }
    c_.AddPrincipal(std::move(p));
  }
}

void Template::Load() {
  ReadDeclarations();
  ReadResources();
  ReadResourcePolicies();
  Attach();
  AddPrincipals();
}

}  // namespace

bool LooksLikeCloudFormation(const json::Value& root) {
  if (!root.is_object()) return false;
  if (root.Find("AWSTemplateFormatVersion") != nullptr) return true;
  const json::Value* resources = root.Find("Resources");
  if (resources == nullptr || !resources->is_object()) return false;
  for (const json::Member& m : resources->Members()) {
    if (!StringMember(m.value, "Type").empty()) return true;
  }
  return false;
}

void LoadCloudFormation(const json::Value& root, const PolicySourceOptions& options, Collector& c) {
  Template(root, options, c).Load();
}

}  // namespace iam_audit::policy_source
