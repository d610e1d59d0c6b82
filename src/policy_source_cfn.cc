// CloudFormation templates (JSON, and YAML with the short-form tags).
//
// The template's intrinsic functions are evaluated as far as the template,
// the parameter defaults and --var determine them; everything else becomes
// an unresolved placeholder with a note (see policy_source.h).
#include <yaml-cpp/yaml.h>

#include <array>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "iam_audit/condition.h"
#include "iam_audit/resource_policy.h"
#include "policy_source_internal.h"
#include "yaml_util.h"

namespace iam_audit::policy_source {
namespace {

// --- YAML to located JSON ------------------------------------------------------------------

// Aliases make a YAML document a graph: `*a` refers to the node anchored
// `&a`. The conversion keeps it a graph (an aliased container is converted
// once and its Value shared); an alias bomb never gets here, yaml_util::Parse
// refuses a document that expands to more than yaml_util::kMaxNodes nodes.
class YamlConverter {
 public:
  YamlConverter(json::Document& out, const std::string& file, Diagnostics* errors)
      : out_(out), file_(file), errors_(errors) {}

  std::optional<json::Value> Convert(const YAML::Node& node, int depth);

 private:
  void Fail(SourceLocation where, std::string message) {
    if (errors_) errors_->push_back({file_, where, std::move(message)});
  }
  std::optional<json::Value> Untagged(const YAML::Node& node, int depth);

  json::Document& out_;
  const std::string& file_;
  Diagnostics* errors_;
  // Containers converted so far, by position: an alias of one is met at the
  // same position as the original.
  std::map<std::pair<int, int>, json::Value> containers_;
};

// "!Ref" -> "Ref", "!Condition" -> "Condition", "!Sub" -> "Fn::Sub"; "" for
// the non-specific tags ("?" plain, "!" quoted) and standard ones ("tag:...").
std::string IntrinsicForTag(const std::string& tag) {
  if (tag.size() < 2 || tag[0] != '!' || tag[1] == '!') return "";
  const std::string name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return name;
  return "Fn::" + name;
}

std::optional<json::Value> YamlConverter::Untagged(const YAML::Node& node, int depth) {
  const SourceLocation where = yaml_util::Where(node);
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return out_.MakeString(node.Scalar(), where);
    case YAML::NodeType::Sequence: {
      std::vector<json::Value> elements;
      for (const YAML::Node& e : node) {
        std::optional<json::Value> v = Convert(e, depth + 1);
        if (!v) return std::nullopt;
        elements.push_back(*v);
      }
      return out_.MakeArray(elements, where);
    }
    case YAML::NodeType::Map: {
      std::vector<json::Member> members;
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          Fail(yaml_util::Where(kv.first), "mapping keys must be plain strings");
          return std::nullopt;
        }
        std::optional<json::Value> v = Convert(kv.second, depth + 1);
        if (!v) return std::nullopt;
        members.push_back({out_.MakeString(kv.first.Scalar(), yaml_util::Where(kv.first)), *v});
      }
      return out_.MakeObject(members, where);
    }
    default:
      return out_.MakeNull(where);
  }
}

std::optional<json::Value> YamlConverter::Convert(const YAML::Node& node, int depth) {
  const SourceLocation where = yaml_util::Where(node);
  if (depth > json::kMaxDepth) {
    Fail(where, "nesting deeper than " + std::to_string(json::kMaxDepth) + " levels");
    return std::nullopt;
  }
  const bool container = node.IsMap() || node.IsSequence();
  const std::pair<int, int> key(where.line, where.column);
  if (container && where.line > 0) {
    if (const auto it = containers_.find(key); it != containers_.end()) return it->second;
  }
  const std::string intrinsic = IntrinsicForTag(node.Tag());
  std::optional<json::Value> value = Untagged(node, depth);
  if (value && !intrinsic.empty()) {
    const json::Member member{out_.MakeString(intrinsic, where), *value};
    value = out_.MakeObject(std::span(&member, 1), where);
  }
  if (value && container && where.line > 0) containers_.emplace(key, *value);
  return value;
}

// --- the template ---------------------------------------------------------------------------

// Counts one level of a recursive evaluation for as long as it lives.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

struct Resolved {
  json::Value value;
  bool unknown = false;   // depends on something the template does not determine
  bool no_value = false;  // Ref AWS::NoValue: the property or element is dropped
};

// What Ref and Fn::GetAtt give for the resource types whose names are in their
// properties. Values are Fn::Sub texts over ${Name} (the name property),
// ${Path} (the Path property, default "/") and the pseudo parameters.
struct ResourceAttribute {
  std::string_view name;
  std::string_view value;
};
struct ResourceRule {
  std::string_view type;
  std::string_view name_property;  // dotted path into Properties
  std::string_view ref;
  std::array<ResourceAttribute, 2> attributes;
};
constexpr ResourceRule kResourceRules[] = {
    {"AWS::S3::Bucket", "BucketName", "${Name}", {{{"Arn", "arn:${AWS::Partition}:s3:::${Name}"}}}},
    {"AWS::IAM::Role",
     "RoleName",
     "${Name}",
     {{{"Arn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role${Path}${Name}"}}}},
    {"AWS::IAM::User",
     "UserName",
     "${Name}",
     {{{"Arn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:user${Path}${Name}"}}}},
    {"AWS::IAM::Group",
     "GroupName",
     "${Name}",
     {{{"Arn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:group${Path}${Name}"}}}},
    {"AWS::IAM::ManagedPolicy",
     "ManagedPolicyName",
     "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy${Path}${Name}",
     {{{"PolicyArn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy${Path}${Name}"}}}},
    {"AWS::Glue::Database", "DatabaseInput.Name", "${Name}", {}},
    {"AWS::Athena::WorkGroup", "Name", "${Name}", {}},
    {"AWS::DynamoDB::Table",
     "TableName",
     "${Name}",
     {{{"Arn", "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Name}"}}}},
    {"AWS::SQS::Queue",
     "QueueName",
     "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/${Name}",
     {{{"Arn", "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Name}"},
       {"QueueName", "${Name}"}}}},
    {"AWS::SNS::Topic",
     "TopicName",
     "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Name}",
     {{{"TopicArn", "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Name}"},
       {"TopicName", "${Name}"}}}},
    {"AWS::Logs::LogGroup",
     "LogGroupName",
     "${Name}",
     {{{"Arn",
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${Name}:*"}}}},
    {"AWS::Lambda::Function",
     "FunctionName",
     "${Name}",
     {{{"Arn", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}"}}}},
};

constexpr std::size_t kMaxComputedString = 64 * 1024;

const ResourceRule* RuleFor(std::string_view type) {
  for (const ResourceRule& r : kResourceRules) {
    if (r.type == type) return &r;
  }
  return nullptr;
}

// The IAM resource types read, and how each relates to principals.
enum class IamKind { kNone, kRole, kUser, kGroup, kPolicy, kManagedPolicy, kOwnedPolicy };
struct IamType {
  std::string_view type;
  IamKind kind;
  std::string_view owner_key;  // kOwnedPolicy: the property naming its principal
  IamKind owner_kind;
};
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

constexpr std::string_view kPseudoParameters[] = {
    "AWS::AccountId", "AWS::Region",  "AWS::Partition",        "AWS::URLSuffix",
    "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue"};

bool IsPseudoParameter(std::string_view name) {
  for (std::string_view p : kPseudoParameters) {
    if (p == name) return true;
  }
  return false;
}

std::string Trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = s.find(',', start);
    out.push_back(Trim(s.substr(start, comma == std::string_view::npos ? s.npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

class Template {
 public:
  Template(const json::Value& root, const PolicySourceOptions& options, Collector& c)
      : root_(root), options_(options), c_(c), out_(c.doc()) {}

  void Load();

 private:
  struct Resource {
    std::string_view id;
    std::string_view type;
    json::Value properties;  // an object (empty when absent)
    SourceLocation where;
    const IamType* iam = nullptr;
    // Principals (role, user, group):
    std::vector<int> own_policies;  // inline Policies, owned policies, attached
    int boundary = -1;
    bool complete = true;
    std::vector<std::size_t> groups;  // users: their template groups
    bool has_users = false;           // groups: some template user is a member
    // Policies (Policy, ManagedPolicy, owned): the document's policy id.
    int policy = -1;
  };

  // --- evaluation
  Resolved Resolve(const json::Value& v);
  Resolved Intrinsic(std::string_view fn, const json::Value& arg, SourceLocation where);
  Resolved Unknown(std::string_view what, SourceLocation where, const std::string& why);
  // A computed string; one longer than kMaxComputedString (no policy needs
  // that much, a template that doubles a name 40 times would) is unknown.
  Resolved String(std::string text, SourceLocation where, bool unknown = false) {
    if (text.size() > kMaxComputedString) {
      return Unknown(
          "long", where,
          "the value computed here is over " + std::to_string(kMaxComputedString) + " bytes long");
    }
    return {out_.MakeString(text, where), unknown, false};
  }
  Resolved Ref(std::string_view name, SourceLocation where);
  Resolved Pseudo(std::string_view name, SourceLocation where);
  Resolved Parameter(std::string_view name, const json::Value& declaration, SourceLocation where);
  Resolved ResourceValue(const Resource& r, std::string_view attribute, SourceLocation where);
  Resolved GetAtt(const json::Value& arg, SourceLocation where);
  // Fn::Sub text; `local` gives the values of Fn::Sub's own variable map.
  Resolved Sub(std::string_view text, SourceLocation where,
               const std::function<std::optional<Resolved>(std::string_view)>& local);
  Resolved SubIntrinsic(const json::Value& arg, SourceLocation where);
  Resolved Join(const json::Value& arg, SourceLocation where);
  Resolved Select(const json::Value& arg, SourceLocation where);
  Resolved Split(const json::Value& arg, SourceLocation where);
  Resolved If(const json::Value& arg, SourceLocation where);
  Resolved FindInMap(const json::Value& arg, SourceLocation where);
  Truth Condition(std::string_view name);
  Truth EvaluateCondition(const json::Value& v);
  // Text of a resolved scalar (nullopt for containers and null).
  static std::optional<std::string> Text(const Resolved& r);

  // --- IAM resources
  void ReadResources();
  std::optional<std::size_t> FindResource(std::string_view id) const;
  int ReadDocument(std::string name, const json::Value& raw, SourceLocation where = {});
  std::optional<json::Value> ResolveDocument(const json::Value& raw);
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

  const json::Value& root_;
  const PolicySourceOptions& options_;
  Collector& c_;
  json::Document& out_;
  int quiet_ = 0;  // > 0: no notes (values resolved only to compare names)

  std::map<std::string_view, json::Value> parameters_;
  std::map<std::string_view, json::Value> conditions_;
  std::map<std::string_view, Truth> condition_values_;
  std::set<std::string_view> conditions_in_progress_;
  const json::Value* mappings_ = nullptr;
  std::vector<Resource> resources_;
  std::map<std::string_view, std::size_t> by_id_;
  int depth_ = 0;  // levels of Resolve() under way
  // The resolved name property of resources (by index), computed once: names
  // refer to other resources' names, and must not be re-evaluated per use.
  std::map<std::size_t, Resolved> names_;
  std::set<std::size_t> names_in_progress_;
};

std::optional<std::string> Template::Text(const Resolved& r) {
  if (r.no_value) return std::nullopt;
  switch (r.value.type()) {
    case json::Type::kString:
    case json::Type::kNumber:
    case json::Type::kBool:
      return std::string(r.value.ScalarText());
    default:
      return std::nullopt;
  }
}

Resolved Template::Unknown(std::string_view what, SourceLocation where, const std::string& why) {
  const std::string placeholder = UnresolvedValue(what);
  if (quiet_ == 0) {
    c_.Note(where, why + ": treated as the unknown value " + Quoted(placeholder, 200) +
                       ", which matches nothing");
  }
  return {out_.MakeString(placeholder, where), true, false};
}

Resolved Template::Resolve(const json::Value& v) {
  // Every level of the evaluation (containers, intrinsics, the names of
  // resources they refer to) counts: hostile templates must not exhaust the
  // stack.
  if (depth_ >= json::kMaxDepth) return Unknown("nested", v.where(), "the value nests too deeply");
  const DepthGuard guard(depth_);
  if (v.is_object() && v.size() == 1) {
    const json::Member& m = v.Members()[0];
    if (m.name() == "Ref" || m.name().starts_with("Fn::")) {
      return Intrinsic(m.name(), m.value, v.where());
    }
  }
  if (v.is_object()) {
    std::vector<json::Member> members;
    members.reserve(v.size());
    bool unknown = false;
    for (const json::Member& m : v.Members()) {
      Resolved r = Resolve(m.value);
      if (r.no_value) continue;
      unknown = unknown || r.unknown;
      members.push_back({m.key, r.value});
    }
    return {out_.MakeObject(members, v.where()), unknown, false};
  }
  if (v.is_array()) {
    std::vector<json::Value> elements;
    elements.reserve(v.size());
    bool unknown = false;
    for (const json::Value& e : v.Elements()) {
      Resolved r = Resolve(e);
      if (r.no_value) continue;
      unknown = unknown || r.unknown;
      elements.push_back(r.value);
    }
    return {out_.MakeArray(elements, v.where()), unknown, false};
  }
  return {v, v.is_string() && ContainsUnresolved(v.AsString()), false};
}

Resolved Template::Intrinsic(std::string_view fn, const json::Value& arg, SourceLocation where) {
  if (fn == "Ref") {
    if (!arg.is_string()) return Unknown("Ref", where, "Ref must name a parameter or resource");
    return Ref(arg.AsString(), where);
  }
  if (fn == "Fn::Sub") return SubIntrinsic(arg, where);
  if (fn == "Fn::GetAtt") return GetAtt(arg, where);
  if (fn == "Fn::Join") return Join(arg, where);
  if (fn == "Fn::Select") return Select(arg, where);
  if (fn == "Fn::Split") return Split(arg, where);
  if (fn == "Fn::If") return If(arg, where);
  if (fn == "Fn::FindInMap") return FindInMap(arg, where);
  std::string what(fn);
  if (arg.is_string() && !arg.AsString().empty()) what += "." + std::string(arg.AsString());
  return Unknown(what, where, std::string(fn) + " is not evaluated offline");
}

Resolved Template::Ref(std::string_view name, SourceLocation where) {
  if (name == "AWS::NoValue") return {json::Value(), false, true};
  if (IsPseudoParameter(name)) return Pseudo(name, where);
  if (const auto p = parameters_.find(name); p != parameters_.end()) {
    return Parameter(name, p->second, where);
  }
  if (const std::optional<std::size_t> r = FindResource(name)) {
    return ResourceValue(resources_[*r], "", where);
  }
  return Unknown(name, where,
                 "Ref " + Quoted(name) +
                     " names no parameter or resource of the "
                     "template");
}

Resolved Template::Pseudo(std::string_view name, SourceLocation where) {
  if (const auto v = options_.variables.find(name); v != options_.variables.end()) {
    if (name == "AWS::NotificationARNs") {
      std::vector<json::Value> items;
      for (const std::string& s : SplitCommas(v->second))
        items.push_back(out_.MakeString(s, where));
      return {out_.MakeArray(items, where), false, false};
    }
    return String(v->second, where);
  }
  if (name == "AWS::Partition" || name == "AWS::URLSuffix") {
    std::string partition = "aws";
    if (const auto given = options_.variables.find("AWS::Partition");
        given != options_.variables.end()) {
      partition = given->second;
    } else if (const auto region = options_.variables.find("AWS::Region");
               region != options_.variables.end()) {
      if (region->second.starts_with("cn-")) partition = "aws-cn";
      if (region->second.starts_with("us-gov-")) partition = "aws-us-gov";
    }
    if (name == "AWS::Partition") return String(partition, where);
    return String(partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", where);
  }
  return Unknown(
      name, where,
      std::string(name) + " is not known offline (pass --var " + std::string(name) + "=VALUE)");
}

Resolved Template::Parameter(std::string_view name, const json::Value& declaration,
                             SourceLocation where) {
  const std::string_view type = StringMember(declaration, "Type");
  const bool list = type == "CommaDelimitedList" || type.starts_with("List<");
  std::optional<std::string> text;
  if (const auto v = options_.variables.find(name); v != options_.variables.end()) {
    text = v->second;
  } else if (const json::Value* d = declaration.Find("Default")) {
    if (list && d->is_array()) return {*d, false, false};
    if (d->is_string() || d->is_number() || d->is_bool()) text = std::string(d->ScalarText());
  }
  if (!text) {
    return Unknown(name, where,
                   "parameter " + Quoted(name) + " has no Default (pass --var " +
                       std::string(name) + "=VALUE)");
  }
  if (!list) return String(*text, where);
  std::vector<json::Value> items;
  for (const std::string& s : SplitCommas(*text)) items.push_back(out_.MakeString(s, where));
  return {out_.MakeArray(items, where), false, false};
}

Resolved Template::ResourceValue(const Resource& r, std::string_view attribute,
                                 SourceLocation where) {
  const std::string what =
      attribute.empty() ? std::string(r.id) : std::string(r.id) + "." + std::string(attribute);
  const std::string shown = attribute.empty() ? "Ref " + std::string(r.id) : "Fn::GetAtt " + what;
  // --var LogicalId.Attribute=VALUE (--var LogicalId=VALUE for Ref): the
  // value of the deployed stack, e.g. a KMS key's ARN. It links the resource
  // (and its policy) to the ARNs requests name.
  if (const auto v = options_.variables.find(what); v != options_.variables.end()) {
    c_.UsedVariable(what);
    return String(v->second, where);
  }
  const ResourceRule* rule = RuleFor(r.type);
  std::string_view text;
  if (rule != nullptr) {
    if (attribute.empty()) {
      text = rule->ref;
    } else {
      for (const ResourceAttribute& a : rule->attributes) {
        if (a.name == attribute) text = a.value;
      }
    }
  }
  if (text.empty()) {
    return Unknown(what, where,
                   shown + " (" + std::string(r.type) +
                       ") is known only once the stack is deployed (pass --var " + what +
                       "=VALUE)");
  }
  // The name property, along its dotted path.
  const json::Value* name = &r.properties;
  std::string_view path = rule->name_property;
  while (name != nullptr && !path.empty()) {
    const std::size_t dot = path.find('.');
    name = name->Find(path.substr(0, dot));
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  if (name == nullptr) {
    return Unknown(what, where,
                   shown + ": the " + std::string(r.type) + " has no " +
                       std::string(rule->name_property) +
                       ", so CloudFormation names it at deployment");
  }
  const std::size_t index = static_cast<std::size_t>(&r - resources_.data());
  auto cached = names_.find(index);
  if (cached == names_.end()) {
    if (!names_in_progress_.insert(index).second) {
      return Unknown(what, where,
                     shown + ": the " + std::string(rule->name_property) + " of " +
                         std::string(r.id) + " refers to itself");
    }
    const Resolved value = Resolve(*name);
    names_in_progress_.erase(index);
    cached = names_.emplace(index, value).first;
  }
  const Resolved name_value = cached->second;
  const std::optional<std::string> name_text = Text(name_value);
  if (!name_text) return Unknown(what, where, shown + ": its name is not a string");
  std::string path_text = "/";
  if (const json::Value* p = r.properties.Find("Path")) {
    if (const std::optional<std::string> t = Text(Resolve(*p))) path_text = *t;
  }
  Resolved result = Sub(text, where, [&](std::string_view var) -> std::optional<Resolved> {
    if (var == "Name") return name_value;
    if (var == "Path") return String(path_text, where);
    return std::nullopt;
  });
  result.unknown = result.unknown || name_value.unknown;
  return result;
}

Resolved Template::GetAtt(const json::Value& arg, SourceLocation where) {
  std::string resource, attribute;
  if (arg.is_string()) {  // YAML short form "Resource.Attribute"
    const std::string_view s = arg.AsString();
    const std::size_t dot = s.find('.');
    resource = std::string(s.substr(0, dot));
    if (dot != std::string_view::npos) attribute = std::string(s.substr(dot + 1));
  } else if (arg.is_array() && arg.size() == 2) {
    resource = std::string(arg.Elements()[0].AsString());
    const std::optional<std::string> a = Text(Resolve(arg.Elements()[1]));
    if (a) attribute = *a;
  }
  if (resource.empty() || attribute.empty()) {
    return Unknown("Fn::GetAtt", where,
                   "Fn::GetAtt takes [Resource, Attribute] (or Resource.Attribute)");
  }
  const std::optional<std::size_t> r = FindResource(resource);
  if (!r) {
    return Unknown(resource + "." + attribute, where,
                   "Fn::GetAtt " + resource + "." + attribute + ": the template has no resource " +
                       Quoted(resource));
  }
  return ResourceValue(resources_[*r], attribute, where);
}

Resolved Template::Sub(std::string_view text, SourceLocation where,
                       const std::function<std::optional<Resolved>(std::string_view)>& local) {
  std::string out;
  bool unknown = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("${", i);
    if (open == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const std::size_t close = text.find('}', open + 2);
    if (close == std::string_view::npos) {
      out += text.substr(open);
      break;
    }
    const std::string_view inner = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (inner.starts_with("!")) {  // ${!Literal} is the text ${Literal}
      out += "${" + std::string(inner.substr(1)) + "}";
      continue;
    }
    const std::string name = Trim(inner);
    std::optional<Resolved> value = local ? local(name) : std::nullopt;
    if (!value) {
      const std::size_t dot = name.find('.');
      if (dot != std::string::npos && !IsPseudoParameter(name) &&
          FindResource(name.substr(0, dot))) {
        value = ResourceValue(resources_[*FindResource(name.substr(0, dot))], name.substr(dot + 1),
                              where);
      } else {
        value = Ref(name, where);
      }
    }
    const std::optional<std::string> t = Text(*value);
    if (!t) {
      value = Unknown(name, where, "Fn::Sub ${" + name + "} is not a single value");
    }
    out += Text(*value).value_or("");
    unknown = unknown || value->unknown;
  }
  return String(out, where, unknown);
}

Resolved Template::SubIntrinsic(const json::Value& arg, SourceLocation where) {
  if (arg.is_string()) return Sub(arg.AsString(), arg.where(), nullptr);
  if (arg.is_array() && arg.size() == 2 && arg.Elements()[0].is_string()) {
    const json::Value& variables = arg.Elements()[1];
    return Sub(arg.Elements()[0].AsString(), arg.Elements()[0].where(),
               [&](std::string_view name) -> std::optional<Resolved> {
                 if (const json::Value* v = variables.Find(name)) return Resolve(*v);
                 return std::nullopt;
               });
  }
  return Unknown("Fn::Sub", where, "Fn::Sub takes a string or [string, {variables}]");
}

Resolved Template::Join(const json::Value& arg, SourceLocation where) {
  if (!arg.is_array() || arg.size() != 2) {
    return Unknown("Fn::Join", where, "Fn::Join takes [delimiter, [values]]");
  }
  const std::optional<std::string> delimiter = Text(Resolve(arg.Elements()[0]));
  const Resolved list = Resolve(arg.Elements()[1]);
  if (!delimiter || !list.value.is_array()) {
    if (list.unknown) return String(UnresolvedValue("Fn::Join"), where, true);
    return Unknown("Fn::Join", where, "Fn::Join takes [delimiter, [values]]");
  }
  std::string out;
  bool first = true;
  for (const json::Value& e : list.value.Elements()) {
    if (!first) out += *delimiter;
    first = false;
    const std::optional<std::string> t = Text({e});
    out += t ? *t : UnresolvedValue("Fn::Join");
  }
  return String(out, where, list.unknown);
}

Resolved Template::Select(const json::Value& arg, SourceLocation where) {
  if (!arg.is_array() || arg.size() != 2) {
    return Unknown("Fn::Select", where, "Fn::Select takes [index, [values]]");
  }
  const Resolved index = Resolve(arg.Elements()[0]);
  const Resolved list = Resolve(arg.Elements()[1]);
  const std::optional<std::string> index_text = Text(index);
  if (index.unknown || list.unknown || !index_text || !list.value.is_array()) {
    if (index.unknown || list.unknown) return String(UnresolvedValue("Fn::Select"), where, true);
    return Unknown("Fn::Select", where, "Fn::Select takes [index, [values]]");
  }
  std::size_t n = 0;
  for (char ch : *index_text) {
    if (ch < '0' || ch > '9' || n > list.value.size()) {
      n = list.value.size();
      break;
    }
    n = n * 10 + static_cast<std::size_t>(ch - '0');
  }
  if (index_text->empty() || n >= list.value.size()) {
    return Unknown("Fn::Select", where,
                   "Fn::Select index " + Quoted(*index_text) + " is out of range");
  }
  return {list.value.Elements()[n], false, false};
}

Resolved Template::Split(const json::Value& arg, SourceLocation where) {
  if (!arg.is_array() || arg.size() != 2) {
    return Unknown("Fn::Split", where, "Fn::Split takes [delimiter, string]");
  }
  const std::optional<std::string> delimiter = Text(Resolve(arg.Elements()[0]));
  const Resolved source = Resolve(arg.Elements()[1]);
  const std::optional<std::string> text = Text(source);
  if (source.unknown) return String(UnresolvedValue("Fn::Split"), where, true);
  if (!delimiter || delimiter->empty() || !text) {
    return Unknown("Fn::Split", where, "Fn::Split takes [delimiter, string]");
  }
  std::vector<json::Value> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text->find(*delimiter, start);
    parts.push_back(out_.MakeString(
        text->substr(start, at == std::string::npos ? std::string::npos : at - start), where));
    if (at == std::string::npos) break;
    start = at + delimiter->size();
  }
  return {out_.MakeArray(parts, where), false, false};
}

Resolved Template::If(const json::Value& arg, SourceLocation where) {
  if (!arg.is_array() || arg.size() != 3 || !arg.Elements()[0].is_string()) {
    return Unknown("Fn::If", where, "Fn::If takes [condition, value if true, value if false]");
  }
  const std::string_view name = arg.Elements()[0].AsString();
  switch (Condition(name)) {
    case Truth::kTrue:
      return Resolve(arg.Elements()[1]);
    case Truth::kFalse:
      return Resolve(arg.Elements()[2]);
    case Truth::kUnknown:
      break;
  }
  return Unknown("Condition." + std::string(name), where,
                 "Fn::If: condition " + Quoted(name) +
                     " cannot be decided offline (give the parameters it tests with --var)");
}

Resolved Template::FindInMap(const json::Value& arg, SourceLocation where) {
  if (!arg.is_array() || arg.size() < 3) {
    return Unknown("Fn::FindInMap", where, "Fn::FindInMap takes [map, key, key]");
  }
  std::string keys[3];
  for (std::size_t i = 0; i < 3; ++i) {
    const Resolved k = Resolve(arg.Elements()[i]);
    const std::optional<std::string> t = Text(k);
    if (k.unknown || !t) return String(UnresolvedValue("Fn::FindInMap"), where, true);
    keys[i] = *t;
  }
  const json::Value* v = mappings_;
  for (const std::string& k : keys) v = v ? v->Find(k) : nullptr;
  if (v == nullptr) {
    return Unknown("Fn::FindInMap." + keys[0], where,
                   "Fn::FindInMap: Mappings has no " + keys[0] + "/" + keys[1] + "/" + keys[2]);
  }
  return Resolve(*v);
}

Truth Template::Condition(std::string_view name) {
  if (const auto it = condition_values_.find(name); it != condition_values_.end()) {
    return it->second;
  }
  const auto declared = conditions_.find(name);
  if (declared == conditions_.end() || !conditions_in_progress_.insert(name).second) {
    return Truth::kUnknown;
  }
  ++quiet_;
  const Truth t = EvaluateCondition(declared->second);
  --quiet_;
  conditions_in_progress_.erase(name);
  condition_values_.emplace(name, t);
  return t;
}

Truth Template::EvaluateCondition(const json::Value& v) {
  if (!v.is_object() || v.size() != 1 || depth_ >= json::kMaxDepth) return Truth::kUnknown;
  const DepthGuard guard(depth_);
  const json::Member& m = v.Members()[0];
  const std::span<const json::Value> args = m.value.Elements();
  if (m.name() == "Condition" && m.value.is_string()) return Condition(m.value.AsString());
  if (m.name() == "Fn::Equals" && args.size() == 2) {
    const Resolved a = Resolve(args[0]), b = Resolve(args[1]);
    const std::optional<std::string> ta = Text(a), tb = Text(b);
    if (a.unknown || b.unknown || !ta || !tb) return Truth::kUnknown;
    return TruthOf(*ta == *tb);
  }
  if (m.name() == "Fn::Not" && args.size() == 1) return TruthNot(EvaluateCondition(args[0]));
  if (m.name() == "Fn::And" || m.name() == "Fn::Or") {
    const bool is_and = m.name() == "Fn::And";
    Truth t = TruthOf(is_and);
    for (const json::Value& a : args) {
      t = is_and ? TruthAnd(t, EvaluateCondition(a)) : TruthOr(t, EvaluateCondition(a));
    }
    return t;
  }
  return Truth::kUnknown;
}

// --- IAM resources --------------------------------------------------------------------

std::optional<std::size_t> Template::FindResource(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

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
// policies. A resource whose ARN the template does not determine (a key's ARN
// is known once deployed) cannot be matched to a request and is left out.
void Template::ReadResourcePolicies() {
  struct Holder {
    std::string_view type, property;
  };
  static constexpr Holder kHolders[] = {{"AWS::S3::BucketPolicy", "PolicyDocument"},
                                        {"AWS::KMS::Key", "KeyPolicy"},
                                        {"AWS::IAM::Role", "AssumeRolePolicyDocument"}};
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
    const std::optional<std::string> text = Text(arn);
    if (!text || arn.unknown || ContainsUnresolved(*text)) {
      if (r.type == "AWS::KMS::Key") {
        c_.Note(r.where, NameOf(r) +
                             ": its KeyPolicy applies to requests once the key's ARN is "
                             "known: pass --var " +
                             std::string(r.id) + ".Arn=ARN (the deployed key)");
      }
      continue;
    }
    if (std::optional<json::Value> doc = ResolveDocument(*document)) {
      c_.AddResourcePolicy(NameOf(r), *text, *doc);
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
  if (const json::Value* parameters = root_.Find("Parameters")) {
    for (const json::Member& m : parameters->Members()) parameters_.emplace(m.name(), m.value);
  }
  if (const json::Value* conditions = root_.Find("Conditions")) {
    for (const json::Member& m : conditions->Members()) conditions_.emplace(m.name(), m.value);
  }
  mappings_ = root_.Find("Mappings");
  // The --var values meant for this template: its parameters, the pseudo
  // parameters.
  for (const auto& [name, value] : options_.variables) {
    if (IsPseudoParameter(name) || parameters_.count(name) > 0) c_.UsedVariable(name);
  }
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

std::optional<json::Document> YamlToJson(std::string_view text, const std::string& file,
                                         Diagnostics* errors) {
  Diagnostic syntax;
  std::optional<YAML::Node> node = yaml_util::Parse(text, file, &syntax);
  if (!node) {
    if (errors) errors->push_back(std::move(syntax));
    return std::nullopt;
  }
  json::Document doc;
  std::optional<json::Value> root;
  try {
    root = YamlConverter(doc, file, errors).Convert(*node, 0);
  } catch (const YAML::Exception& e) {
    if (errors) errors->push_back({file, {}, "invalid YAML: " + e.msg});
    return std::nullopt;
  }
  if (!root) return std::nullopt;
  doc.set_root(*root);
  return doc;
}

}  // namespace iam_audit::policy_source
