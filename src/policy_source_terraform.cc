// Terraform: `terraform show -json` output (plan or state) and raw .tfstate
// files (format version 4).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "policy_source_internal.h"
#include "terraform_references.h"

namespace iam_audit::policy_source {
namespace {

struct TfResource {
  std::string address;  // "module.etl.aws_iam_policy.this[0]"
  bool data = false;
  std::string_view type;
  json::Value values;                    // the attributes (an object)
  SourceLocation where;                  // the resource object
  const json::Value* unknown = nullptr;  // plan: change.after_unknown
};

// The principal types and how their policies point at them, as data.
enum class Kind { kRole, kUser, kGroup };
struct PrincipalType {
  std::string_view type;  // "aws_iam_role"
  Kind kind;
  std::string_view inline_type;  // "aws_iam_role_policy"
  std::string_view attachment;   // "aws_iam_role_policy_attachment"
  std::string_view key;          // "role": the attribute naming the principal
  std::string_view plural;       // "roles": in aws_iam_policy_attachment
};
constexpr PrincipalType kPrincipalTypes[] = {
    {"aws_iam_role", Kind::kRole, "aws_iam_role_policy", "aws_iam_role_policy_attachment", "role",
     "roles"},
    {"aws_iam_user", Kind::kUser, "aws_iam_user_policy", "aws_iam_user_policy_attachment", "user",
     "users"},
    {"aws_iam_group", Kind::kGroup, "aws_iam_group_policy", "aws_iam_group_policy_attachment",
     "group", "groups"},
};

// after_unknown: true, or an object/array of such flags.
const json::Value* UnknownChild(const json::Value* unknown, std::string_view key) {
  return unknown != nullptr ? unknown->Find(key) : nullptr;
}
const json::Value* UnknownElement(const json::Value* unknown, std::size_t i) {
  if (unknown == nullptr || !unknown->is_array() || i >= unknown->size()) return nullptr;
  return &unknown->Elements()[i];
}
bool IsUnknown(const json::Value* unknown) { return unknown != nullptr && unknown->AsBool(); }

class State {
 public:
  State(const json::Value& root, Collector& c)
      : root_(root), c_(c), out_(c.doc()), references_(root) {}
  void Load();

 private:
  struct Principal {
    const TfResource* resource = nullptr;
    const PrincipalType* type = nullptr;
    std::string name;
    std::vector<int> identity;
    std::vector<const json::Value*> arns;  // attached managed policy ARNs (values)
    std::vector<std::size_t> groups;       // users: their groups (indexes)
    const json::Value* boundary = nullptr;
    bool complete = true;
    bool has_users = false;
    std::set<std::string> warned;  // ARNs of managed policies not in the file
  };

  void Collect();
  void Walk(const json::Value& module, bool data_only);
  void Add(const json::Value& r, const json::Value& values, std::string address, bool data);
  void CollectRawState(const json::Value& resources);
  std::optional<json::Value> PolicyAttribute(const TfResource& r, std::string_view key,
                                             const json::Value& holder);
  int DocumentPolicy(const TfResource& r);
  json::Value BuildDocument(const TfResource& r);
  json::Value BuildStatement(const json::Value& s, const json::Value* u, const std::string& prefix);
  json::Value BuildCondition(const json::Value& conditions, const json::Value* u,
                             const std::string& prefix);
  json::Value StringList(const json::Value* values, const json::Value* unknown,
                         const std::string& what, SourceLocation where);
  Principal* FindPrincipal(Kind kind, std::string_view name);
  // Links through the plan's configuration (terraform_references.h).
  bool Unknown(const TfResource& r, std::string_view key) const;
  Principal* Owner(const TfResource& r, const PrincipalType& t, std::string_view key,
                   std::string_view unlinked);
  Principal* Linked(const TfResource& r, const PrincipalType& t, std::string_view key);
  std::optional<std::string> LinkedAddress(const TfResource& r, std::string_view key,
                                           const std::map<std::string, int>& targets) const;
  bool LinkDocument(const TfResource& r, Principal* owner);
  void Attach(Principal& p, const json::Value& arn, const std::string& from);
  // The phases of Load, in order.
  void AddPrincipalResources();
  void ReadPolicies();
  void ReadInlinePolicyBlocks();
  void ReadResourcePolicies();
  void ReadPolicyDocuments();
  void ReadAttachments();
  void AddPrincipals();
  void ReadEndpointPolicies();
  void AddEndpointPolicy(const TfResource& r, std::string_view service);

  const json::Value& root_;
  Collector& c_;
  json::Document& out_;
  std::vector<TfResource> resources_;
  std::set<std::string> seen_;
  std::map<std::string, const json::Value*> after_unknown_;
  std::vector<Principal> principals_;
  std::map<std::string, int> policy_by_arn_;
  std::set<std::string> resource_documents_;  // canonical texts of resource policies
  TerraformReferences references_;
  std::map<std::string, int> policy_by_address_;    // aws_iam_policy resources
  std::map<std::string, int> document_by_address_;  // aws_iam_policy_document data sources
  // Policies known only after apply that the configuration says are a data
  // source's document: linked once the data sources are read.
  struct PendingDocument {
    std::string data;    // the data source's address
    Principal* owner;    // an inline policy's principal (or null)
    std::string policy;  // an aws_iam_policy's address (or "")
  };
  std::vector<PendingDocument> pending_documents_;
};

void State::Add(const json::Value& r, const json::Value& values, std::string address, bool data) {
  if (!seen_.insert(address).second) return;
  TfResource t;
  t.address = std::move(address);
  t.data = data;
  t.type = StringMember(r, "type");
  t.values = values;
  t.where = r.where();
  if (const auto it = after_unknown_.find(t.address); it != after_unknown_.end()) {
    t.unknown = it->second;
  }
  resources_.push_back(std::move(t));
}

void State::Walk(const json::Value& module, bool data_only) {
  if (const json::Value* resources = module.Find("resources")) {
    for (const json::Value& r : resources->Elements()) {
      const bool data = StringMember(r, "mode") == "data";
      if (data_only && !data) continue;
      const json::Value* values = r.Find("values");
      Add(r, values ? *values : json::Value(), std::string(StringMember(r, "address")), data);
    }
  }
  if (const json::Value* children = module.Find("child_modules")) {
    for (const json::Value& child : children->Elements()) Walk(child, data_only);
  }
}

void State::CollectRawState(const json::Value& resources) {
  for (const json::Value& r : resources.Elements()) {
    const bool data = StringMember(r, "mode") == "data";
    std::string base;
    if (const std::string_view module = StringMember(r, "module"); !module.empty()) {
      base = std::string(module) + ".";
    }
    if (data) base += "data.";
    base += std::string(StringMember(r, "type")) + "." + std::string(StringMember(r, "name"));
    const json::Value* instances = r.Find("instances");
    if (instances == nullptr) continue;
    for (const json::Value& instance : instances->Elements()) {
      std::string address = base;
      if (const json::Value* key = instance.Find("index_key")) {
        address += key->is_string() ? "[\"" + std::string(key->AsString()) + "\"]"
                                    : "[" + std::string(key->ScalarText()) + "]";
      }
      const json::Value* attributes = instance.Find("attributes");
      // The instance's location, the type from the resource.
      TfResource t;
      if (!seen_.insert(address).second) continue;
      t.address = std::move(address);
      t.data = data;
      t.type = StringMember(r, "type");
      t.values = attributes ? *attributes : json::Value();
      t.where = instance.where();
      resources_.push_back(std::move(t));
    }
  }
}

void State::Collect() {
  if (const json::Value* changes = root_.Find("resource_changes")) {
    for (const json::Value& ch : changes->Elements()) {
      const json::Value* change = ch.Find("change");
      if (change == nullptr) continue;
      if (const json::Value* u = change->Find("after_unknown")) {
        after_unknown_.emplace(std::string(StringMember(ch, "address")), u);
      }
    }
  }
  if (const json::Value* planned = root_.Find("planned_values")) {
    if (const json::Value* m = planned->Find("root_module")) Walk(*m, false);
    // Data sources read during planning are in the prior state.
    if (const json::Value* prior = root_.Find("prior_state")) {
      if (const json::Value* values = prior->Find("values")) {
        if (const json::Value* m = values->Find("root_module")) Walk(*m, true);
      }
    }
    // Data sources deferred to apply: only in resource_changes.
    if (const json::Value* changes = root_.Find("resource_changes")) {
      for (const json::Value& ch : changes->Elements()) {
        const json::Value* change = ch.Find("change");
        const json::Value* after = change ? change->Find("after") : nullptr;
        if (StringMember(ch, "mode") == "data" && after != nullptr) {
          Add(ch, *after, std::string(StringMember(ch, "address")), true);
        }
      }
    }
  } else if (const json::Value* values = root_.Find("values")) {
    if (const json::Value* m = values->Find("root_module")) Walk(*m, false);
  } else if (const json::Value* resources = root_.Find("resources")) {
    CollectRawState(*resources);
  }
}

std::optional<json::Value> State::PolicyAttribute(const TfResource& r, std::string_view key,
                                                  const json::Value& holder) {
  const json::Value* v = holder.Find(key);
  if (v == nullptr || v->is_null()) {
    c_.Note(r.where, r.address + ": its " + std::string(key) +
                         " is known only after apply, so it is not audited");
    return std::nullopt;
  }
  if (v->is_string() && v->AsString().empty()) return std::nullopt;
  return c_.ParseEmbedded(*v, /*exact=*/true, "the " + std::string(key) + " JSON string");
}

json::Value State::StringList(const json::Value* values, const json::Value* unknown,
                              const std::string& what, SourceLocation where) {
  std::vector<json::Value> items;
  const auto placeholder = [&](SourceLocation at, const std::string& element) {
    const std::string text = UnresolvedValue(element);
    c_.Note(at, element + " is known only after apply: treated as the unknown value " +
                    Quoted(text, 200) + ", which matches nothing");
    return out_.MakeString(text, at);
  };
  if (IsUnknown(unknown)) {
    items.push_back(placeholder(values ? values->where() : where, what));
  } else if (values != nullptr) {
    std::size_t i = 0;
    for (const json::Value& e : values->Elements()) {
      if (e.is_null() || IsUnknown(UnknownElement(unknown, i))) {
        items.push_back(
            placeholder(e.is_null() ? where : e.where(), what + "[" + std::to_string(i) + "]"));
      } else {
        items.push_back(e);
      }
      ++i;
    }
  }
  return out_.MakeArray(items, values ? values->where() : where);
}

// aws_iam_policy_document without `json` (a plan that reads it at apply):
// the document its statement blocks describe.
// One statement block of an aws_iam_policy_document (`u`: its unknown
// values in a plan; `prefix` names its attributes in notes).
json::Value State::BuildStatement(const json::Value& s, const json::Value* u,
                                  const std::string& prefix) {
  const auto key = [&](std::string_view k, SourceLocation w) { return out_.MakeString(k, w); };
  std::vector<json::Member> st;
  if (const json::Value* sid = s.Find("sid"); sid && !sid->AsString().empty()) {
    st.push_back({key("Sid", sid->where()), *sid});
  }
  const json::Value* effect = s.Find("effect");
  st.push_back({key("Effect", effect ? effect->where() : s.where()),
                effect && effect->is_string() && !effect->AsString().empty()
                    ? *effect
                    : out_.MakeString("Allow", s.where())});
  struct ListElement {
    std::string_view attribute, element;
  };
  static constexpr ListElement kLists[] = {{"actions", "Action"},
                                           {"not_actions", "NotAction"},
                                           {"resources", "Resource"},
                                           {"not_resources", "NotResource"}};
  for (const ListElement& l : kLists) {
    const json::Value* v = s.Find(l.attribute);
    const json::Value* lu = UnknownChild(u, l.attribute);
    if ((v == nullptr || v->size() == 0) && !IsUnknown(lu)) continue;
    st.push_back({key(l.element, v ? v->where() : s.where()),
                  StringList(v, lu, prefix + std::string(l.attribute), s.where())});
  }
  for (std::string_view p : {"principals", "not_principals"}) {
    const json::Value* v = s.Find(p);
    if (v == nullptr || v->size() == 0) continue;
    std::vector<json::Member> by_type;
    json::Value principal;
    for (const json::Value& block : v->Elements()) {
      const json::Value* type = block.Find("type");
      const json::Value* ids = block.Find("identifiers");
      if (type == nullptr || ids == nullptr) continue;
      if (type->AsString() == "*") {
        principal = out_.MakeString("*", type->where());
        break;
      }
      by_type.push_back({*type, StringList(ids, nullptr, prefix + std::string(p), block.where())});
    }
    if (principal.is_null()) principal = out_.MakeObject(by_type, v->where());
    st.push_back({key(p == "principals" ? "Principal" : "NotPrincipal", v->where()), principal});
  }
  if (const json::Value* conditions = s.Find("condition"); conditions && conditions->size() > 0) {
    st.push_back({key("Condition", conditions->where()), BuildCondition(*conditions, u, prefix)});
  }
  return out_.MakeObject(st, s.where());
}

// A statement's condition blocks as a Condition element:
// {test: {variable: values}}, tests in order of first use.
json::Value State::BuildCondition(const json::Value& conditions, const json::Value* u,
                                  const std::string& prefix) {
  std::vector<std::pair<json::Value, std::vector<json::Member>>> tests;
  std::size_t ci = 0;
  for (const json::Value& cond : conditions.Elements()) {
    const json::Value* test = cond.Find("test");
    const json::Value* variable = cond.Find("variable");
    if (test == nullptr || variable == nullptr) continue;
    const json::Value values =
        StringList(cond.Find("values"),
                   UnknownChild(UnknownElement(UnknownChild(u, "condition"), ci), "values"),
                   prefix + "condition[" + std::to_string(ci) + "].values", cond.where());
    ++ci;
    auto it = std::find_if(tests.begin(), tests.end(),
                           [&](const auto& t) { return t.first.AsString() == test->AsString(); });
    if (it == tests.end()) {
      tests.push_back({*test, {}});
      it = tests.end() - 1;
    }
    it->second.push_back({*variable, values});
  }
  std::vector<json::Member> condition;
  for (auto& [test, keys] : tests) {
    condition.push_back({test, out_.MakeObject(keys, test.where())});
  }
  return out_.MakeObject(condition, conditions.where());
}

json::Value State::BuildDocument(const TfResource& r) {
  std::vector<json::Member> doc;
  const auto key = [&](std::string_view k, SourceLocation w) { return out_.MakeString(k, w); };
  const std::string_view version = StringMember(r.values, "version");
  doc.push_back({key("Version", r.where),
                 out_.MakeString(version.empty() ? "2012-10-17" : version, r.where)});
  if (const json::Value* id = r.values.Find("policy_id"); id && !id->AsString().empty()) {
    doc.push_back({key("Id", id->where()), *id});
  }
  for (std::string_view other :
       {"source_policy_documents", "override_policy_documents", "source_json", "override_json"}) {
    const json::Value* v = r.values.Find(other);
    if ((v && (v->size() > 0 || !v->AsString().empty())) ||
        IsUnknown(UnknownChild(r.unknown, other))) {
      c_.Note(v ? v->where() : r.where,
              r.address + ": its " + std::string(other) +
                  " are merged by Terraform at apply; only its statement blocks are audited");
    }
  }
  std::vector<json::Value> statements;
  const json::Value* blocks = r.values.Find("statement");
  const json::Value* blocks_unknown = UnknownChild(r.unknown, "statement");
  std::size_t index = 0;
  for (const json::Value& s : blocks ? blocks->Elements() : std::span<const json::Value>()) {
    const json::Value* u = UnknownElement(blocks_unknown, index);
    const std::string prefix = r.address + ".statement[" + std::to_string(index) + "].";
    ++index;
    statements.push_back(BuildStatement(s, u, prefix));
  }
  doc.push_back({key("Statement", blocks ? blocks->where() : r.where),
                 out_.MakeArray(statements, blocks ? blocks->where() : r.where)});
  return out_.MakeObject(doc, r.where);
}

int State::DocumentPolicy(const TfResource& r) {
  const json::Value* json_attr = r.values.Find("json");
  if (json_attr != nullptr && json_attr->is_string() && !json_attr->AsString().empty()) {
    std::optional<json::Value> doc =
        c_.ParseEmbedded(*json_attr, /*exact=*/true, "the json JSON string");
    if (!doc) return -1;
    std::string canonical;
    AppendCanonical(*doc, canonical);
    if (resource_documents_.count(canonical) > 0) return -1;  // audited where it is used
    return c_.AddPolicy(r.address, *doc, r.where);
  }
  return c_.AddPolicy(r.address, BuildDocument(r), r.where);
}

State::Principal* State::FindPrincipal(Kind kind, std::string_view name) {
  if (name.empty()) return nullptr;
  for (Principal& p : principals_) {
    if (p.type->kind == kind && p.name == name) return &p;
  }
  return nullptr;
}

// VPC endpoint policies (docs/evaluation.md, "VPC endpoint policies"): an
// aws_vpc_endpoint_policy, for the service of the aws_vpc_endpoint its
// vpc_endpoint_id names (by id, else by the configuration's reference); an
// aws_vpc_endpoint's own policy when no aws_vpc_endpoint_policy replaces it.
void State::ReadEndpointPolicies() {
  std::map<std::string, int> endpoints;  // aws_vpc_endpoint address -> index in resources_
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    const TfResource& r = resources_[i];
    if (!r.data && r.type == "aws_vpc_endpoint") endpoints[r.address] = static_cast<int>(i);
  }
  std::set<std::string> replaced;
  for (const TfResource& r : resources_) {
    if (r.data || r.type != "aws_vpc_endpoint_policy") continue;
    const std::string_view id = StringMember(r.values, "vpc_endpoint_id");
    std::optional<std::string> endpoint;
    for (const auto& [address, i] : endpoints) {
      const std::string_view own =
          StringMember(resources_[static_cast<std::size_t>(i)].values, "id");
      if (!id.empty() && own == id) endpoint = address;
    }
    if (!endpoint) endpoint = LinkedAddress(r, "vpc_endpoint_id", endpoints);
    if (!endpoint) {
      c_.Note(r.where, r.address +
                           ": the VPC endpoint it belongs to is not in the file, so the "
                           "audit cannot tell which requests go through it");
      continue;
    }
    replaced.insert(*endpoint);
    const TfResource& e = resources_[static_cast<std::size_t>(endpoints[*endpoint])];
    AddEndpointPolicy(r, StringMember(e.values, "service_name"));
  }
  for (const auto& [address, i] : endpoints) {
    const TfResource& e = resources_[static_cast<std::size_t>(i)];
    if (replaced.count(address) == 0) AddEndpointPolicy(e, StringMember(e.values, "service_name"));
  }
}

void State::AddEndpointPolicy(const TfResource& r, std::string_view service) {
  const json::Value* text = r.values.Find("policy");
  if (text == nullptr || !text->is_string() || text->AsString().empty() || service.empty()) return;
  std::optional<json::Value> doc =
      c_.ParseEmbedded(*text, /*exact=*/true, "the policy JSON string");
  if (doc) c_.AddEndpointPolicy(r.address, service, *doc);
}

bool State::Unknown(const TfResource& r, std::string_view key) const {
  const json::Value* v = r.values.Find(key);
  return v == nullptr || v->is_null() || IsUnknown(UnknownChild(r.unknown, key));
}

// The resource of `targets` (by address) the configuration of `r` refers to
// in `key`: the one named, or the only instance, or the instance with r's own
// key (count.index, each.key).
std::optional<std::string> State::LinkedAddress(const TfResource& r, std::string_view key,
                                                const std::map<std::string, int>& targets) const {
  for (const std::string& ref : references_.Resources(r.address, key)) {
    if (targets.count(ref) > 0) return ref;
    std::vector<std::string> instances;
    for (const auto& [address, id] : targets) {
      if (WithoutInstanceKeys(address) == ref) instances.push_back(address);
    }
    if (instances.size() == 1) return instances[0];
    for (const std::string& address : instances) {
      if (InstanceKey(address) == InstanceKey(r.address)) return address;
    }
  }
  return std::nullopt;
}

State::Principal* State::Linked(const TfResource& r, const PrincipalType& t, std::string_view key) {
  std::map<std::string, int> candidates;
  for (std::size_t i = 0; i < principals_.size(); ++i) {
    if (principals_[i].type == &t) {
      candidates.emplace(principals_[i].resource->address, static_cast<int>(i));
    }
  }
  const std::optional<std::string> address = LinkedAddress(r, key, candidates);
  return address ? &principals_[static_cast<std::size_t>(candidates.at(*address))] : nullptr;
}

// The principal `key` names: by name, else (a name known only after apply)
// through the plan's configuration; when neither can tell, a warning says so.
// `unlinked`: what follows when the principal cannot be told.
State::Principal* State::Owner(const TfResource& r, const PrincipalType& t, std::string_view key,
                               std::string_view unlinked) {
  if (Principal* p = FindPrincipal(t.kind, StringMember(r.values, key))) return p;
  if (!Unknown(r, key)) return nullptr;  // a principal defined elsewhere
  if (Principal* p = Linked(r, t, key)) return p;
  c_.Warning(r.where, r.address + ": its " + std::string(key) +
                          " is known only after apply and the plan's configuration links it to "
                          "no " +
                          std::string(t.type) + " of this file: " + std::string(unlinked));
  return nullptr;
}

// A `policy` known only after apply that the configuration says is a data
// source's document: linked to that document (pending until the data
// sources are read).
bool State::LinkDocument(const TfResource& r, Principal* owner) {
  std::map<std::string, int> documents;
  for (const TfResource& d : resources_) {
    if (d.data && d.type == "aws_iam_policy_document") documents.emplace(d.address, 0);
  }
  const std::optional<std::string> data = LinkedAddress(r, "policy", documents);
  if (!data) return false;
  c_.Note(r.where,
          r.address +
              ": its policy is known only after apply; the configuration says it "
              "is " +
              *data + "'s document, audited as " +
              (owner != nullptr ? "part of " + owner->resource->address : std::string("that")));
  pending_documents_.push_back(
      {*data, owner, r.type == "aws_iam_policy" ? r.address : std::string()});
  return true;
}

void State::Attach(Principal& p, const json::Value& arn, const std::string& from) {
  if (arn.is_null()) {
    c_.Note(arn.where().line ? arn.where() : p.resource->where,
            from + ": the policy it attaches is known only after apply, so " + p.resource->address +
                " is audited without it");
    p.complete = false;
    return;
  }
  const auto it = policy_by_arn_.find(std::string(arn.AsString()));
  if (it != policy_by_arn_.end()) {
    p.identity.push_back(it->second);
    return;
  }
  if (!p.warned.insert(std::string(arn.AsString())).second) {
    p.complete = false;
    return;  // managed_policy_arns and an attachment name the same one
  }
  c_.Warning(arn.where(), "managed policy " + Quoted(arn.AsString(), 200) + " attached to " +
                              p.resource->address +
                              " is not in this file: its permissions are not part of the audit");
  p.complete = false;
}

void State::Load() {
  Collect();
  AddPrincipalResources();  // first: the policies below attach to them by name
  ReadPolicies();
  ReadInlinePolicyBlocks();
  ReadResourcePolicies();
  ReadPolicyDocuments();
  ReadAttachments();
  AddPrincipals();
}

void State::AddPrincipalResources() {
  for (const TfResource& r : resources_) {
    if (r.data) continue;
    for (const PrincipalType& t : kPrincipalTypes) {
      if (r.type != t.type) continue;
      Principal p;
      p.resource = &r;
      p.type = &t;
      p.name = std::string(StringMember(r.values, "name"));
      p.boundary = r.values.Find("permissions_boundary");
      principals_.push_back(std::move(p));
    }
  }
}

// Resource policies, and the managed policies by ARN.
void State::ReadPolicies() {
  for (const TfResource& r : resources_) {
    if (r.data) continue;
    if (r.type == "aws_iam_policy") {
      if (Unknown(r, "policy") && LinkDocument(r, nullptr)) continue;
      if (std::optional<json::Value> doc = PolicyAttribute(r, "policy", r.values)) {
        std::string canonical;
        AppendCanonical(*doc, canonical);
        resource_documents_.insert(std::move(canonical));
        const int id = c_.AddPolicy(r.address, *doc, r.where);
        policy_by_address_.emplace(r.address, id);
        if (const std::string_view arn = StringMember(r.values, "arn"); !arn.empty()) {
          policy_by_arn_.emplace(std::string(arn), id);
        }
      }
      continue;
    }
    for (const PrincipalType& t : kPrincipalTypes) {
      if (r.type == t.inline_type) {
        Principal* owner =
            Owner(r, t, t.key, "its policy is audited apart from the principal it belongs to");
        if (Unknown(r, "policy") && LinkDocument(r, owner)) continue;
        if (std::optional<json::Value> doc = PolicyAttribute(r, "policy", r.values)) {
          std::string canonical;
          AppendCanonical(*doc, canonical);
          resource_documents_.insert(std::move(canonical));
          const int id = c_.AddPolicy(r.address, *doc, r.where);
          if (owner) owner->identity.push_back(id);
        } else if (owner) {
          owner->complete = false;
        }
      }
    }
  }
}

// Role inline_policy blocks. The state lists there every inline policy of
// the role, those of aws_iam_role_policy resources included: those are
// read by ReadPolicies, once.
void State::ReadInlinePolicyBlocks() {
  const std::set<std::string> policy_resources = resource_documents_;
  for (const TfResource& r : resources_) {
    if (r.data || r.type != "aws_iam_role") continue;
    Principal* owner = FindPrincipal(Kind::kRole, StringMember(r.values, "name"));
    const json::Value* blocks = r.values.Find("inline_policy");
    for (const json::Value& b : blocks ? blocks->Elements() : std::span<const json::Value>()) {
      const json::Value* policy = b.Find("policy");
      if (policy == nullptr || policy->AsString().empty()) continue;
      std::optional<json::Value> doc =
          c_.ParseEmbedded(*policy, /*exact=*/true, "the policy JSON string");
      if (!doc) continue;
      std::string canonical;
      AppendCanonical(*doc, canonical);
      if (policy_resources.count(canonical) > 0) continue;
      resource_documents_.insert(std::move(canonical));
      const int id = c_.AddPolicy(r.address + " policy " + std::string(StringMember(b, "name")),
                                  *doc, b.where());
      if (owner) owner->identity.push_back(id);
    }
  }
}

// Bucket, key, trust and Data Catalog policies (policy_source_resource.cc).
void State::ReadResourcePolicies() {
  for (const TfResource& r : resources_) {
    if (!r.data) ReadTerraformResourcePolicy(r.type, r.address, r.values, r.where, c_);
  }
  ReadEndpointPolicies();
}

// Data sources not used verbatim by a resource above.
void State::ReadPolicyDocuments() {
  for (const TfResource& r : resources_) {
    if (!r.data || r.type != "aws_iam_policy_document") continue;
    if (const int id = DocumentPolicy(r); id >= 0) document_by_address_.emplace(r.address, id);
  }
  for (const PendingDocument& p : pending_documents_) {
    const auto it = document_by_address_.find(p.data);
    if (it == document_by_address_.end()) continue;
    if (p.owner != nullptr) p.owner->identity.push_back(it->second);
    if (!p.policy.empty()) policy_by_address_.emplace(p.policy, it->second);
  }
}

// Managed policies attached to principals (managed_policy_arns, the
// attachment resources) and group memberships.
void State::ReadAttachments() {
  for (const TfResource& r : resources_) {
    if (r.data) continue;
    for (Principal& p : principals_) {
      if (p.type->kind == Kind::kRole && r.address == p.resource->address) {
        if (const json::Value* arns = r.values.Find("managed_policy_arns")) {
          for (const json::Value& a : arns->Elements()) Attach(p, a, r.address);
        }
      }
    }
    for (const PrincipalType& t : kPrincipalTypes) {
      if (r.type == t.attachment) {
        if (Principal* p =
                Owner(r, t, t.key, "the policy it attaches is in no principal's audit")) {
          const json::Value* arn = r.values.Find("policy_arn");
          const std::optional<std::string> policy =
              Unknown(r, "policy_arn") ? LinkedAddress(r, "policy_arn", policy_by_address_)
                                       : std::nullopt;
          if (policy) {
            p->identity.push_back(policy_by_address_.at(*policy));
          } else {
            Attach(*p, arn ? *arn : json::Value(), r.address);
          }
        }
      }
      if (r.type == "aws_iam_policy_attachment") {
        if (const json::Value* names = r.values.Find(t.plural)) {
          for (const json::Value& n : names->Elements()) {
            if (Principal* p = FindPrincipal(t.kind, n.AsString())) {
              const json::Value* arn = r.values.Find("policy_arn");
              Attach(*p, arn ? *arn : json::Value(), r.address);
            }
          }
        }
      }
    }
    if (r.type == "aws_iam_user_group_membership") {
      if (Principal* user = FindPrincipal(Kind::kUser, StringMember(r.values, "user"))) {
        if (const json::Value* groups = r.values.Find("groups")) {
          for (const json::Value& g : groups->Elements()) {
            if (Principal* group = FindPrincipal(Kind::kGroup, g.AsString())) {
              user->groups.push_back(static_cast<std::size_t>(group - principals_.data()));
            }
          }
        }
      }
    }
    if (r.type == "aws_iam_group_membership") {
      if (Principal* group = FindPrincipal(Kind::kGroup, StringMember(r.values, "group"))) {
        if (const json::Value* users = r.values.Find("users")) {
          for (const json::Value& u : users->Elements()) {
            if (Principal* user = FindPrincipal(Kind::kUser, u.AsString())) {
              user->groups.push_back(static_cast<std::size_t>(group - principals_.data()));
            }
          }
        }
      }
    }
  }
}

// Each principal with its policies and its groups' (a group with users is
// audited through them), and its permissions boundary.
void State::AddPrincipals() {
  for (const Principal& p : principals_) {
    for (std::size_t g : p.groups) principals_[g].has_users = true;
  }
  for (Principal& p : principals_) {
    if (p.type->kind == Kind::kGroup && p.has_users) continue;
    Collector::Principal out;
    out.name = p.resource->address;
    out.arn = std::string(StringMember(p.resource->values, "arn"));
    out.where = p.resource->where;
    out.identity = p.identity;
    out.complete = p.complete;
    for (std::size_t g : p.groups) {
      out.identity.insert(out.identity.end(), principals_[g].identity.begin(),
                          principals_[g].identity.end());
      out.complete = out.complete && principals_[g].complete;
    }
    if (p.boundary != nullptr && !p.boundary->AsString().empty()) {
      const auto it = policy_by_arn_.find(std::string(p.boundary->AsString()));
      if (it != policy_by_arn_.end()) {
        out.boundary = it->second;
      } else {
        c_.Warning(p.boundary->where(),
                   "permissions boundary " + Quoted(p.boundary->AsString(), 200) + " of " +
                       p.resource->address + " is not in this file: the audit cannot apply it");
        out.complete = false;
      }
    }
    c_.AddPrincipal(std::move(out));
  }
}

}  // namespace

bool LooksLikeTerraform(const json::Value& root) {
  if (!root.is_object()) return false;
  if (root.Find("format_version") != nullptr &&
      (root.Find("terraform_version") || root.Find("values") || root.Find("planned_values") ||
       root.Find("prior_state"))) {
    return true;
  }
  // A raw state file.
  const json::Value* resources = root.Find("resources");
  return root.Find("terraform_version") != nullptr && resources != nullptr && resources->is_array();
}

void LoadTerraform(const json::Value& root, Collector& c) { State(root, c).Load(); }

}  // namespace iam_audit::policy_source
