// CloudFormation intrinsic functions and conditions (see
// policy_source_cfn_intrinsics.h).
#include "policy_source_cfn_intrinsics.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace iam_audit::policy_source {
namespace {

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

const ResourceRule* RuleFor(std::string_view type) {
  for (const ResourceRule& r : kResourceRules) {
    if (r.type == type) return &r;
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

}  // namespace

void TemplateEvaluator::ReadDeclarations() {
  if (const json::Value* parameters = root_.Find("Parameters")) {
    for (const json::Member& m : parameters->Members()) parameters_.emplace(m.name(), m.value);
  }
  if (const json::Value* conditions = root_.Find("Conditions")) {
    for (const json::Member& m : conditions->Members()) conditions_.emplace(m.name(), m.value);
  }
  mappings_ = root_.Find("Mappings");
  for (const auto& [name, value] : options_.variables) {
    if (IsPseudoParameter(name) || parameters_.count(name) > 0) c_.UsedVariable(name);
  }
}

std::optional<std::string> TemplateEvaluator::Text(const Resolved& r) {
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

Resolved TemplateEvaluator::String(std::string text, SourceLocation where, bool unknown) {
  if (text.size() > kMaxComputedString) {
    return Unknown(
        "long", where,
        "the value computed here is over " + std::to_string(kMaxComputedString) + " bytes long");
  }
  return {out_.MakeString(text, where), unknown, false};
}

Resolved TemplateEvaluator::Unknown(std::string_view what, SourceLocation where,
                                    const std::string& why) {
  const std::string placeholder = UnresolvedValue(what);
  if (quiet_ == 0) {
    c_.Note(where, why + ": treated as the unknown value " + Quoted(placeholder, 200) +
                       ", which matches nothing");
  }
  return {out_.MakeString(placeholder, where), true, false};
}

Resolved TemplateEvaluator::Resolve(const json::Value& v) {
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

Resolved TemplateEvaluator::Intrinsic(std::string_view fn, const json::Value& arg,
                                      SourceLocation where) {
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

Resolved TemplateEvaluator::Ref(std::string_view name, SourceLocation where) {
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

Resolved TemplateEvaluator::Pseudo(std::string_view name, SourceLocation where) {
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

Resolved TemplateEvaluator::Parameter(std::string_view name, const json::Value& declaration,
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

Resolved TemplateEvaluator::ResourceValue(const Resource& r, std::string_view attribute,
                                          SourceLocation where) {
  const std::string what =
      attribute.empty() ? std::string(r.id) : std::string(r.id) + "." + std::string(attribute);
  const std::string shown = attribute.empty() ? "Ref " + std::string(r.id) : "Fn::GetAtt " + what;
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
    return Unknown(
        what, where,
        shown + " (" + std::string(r.type) + ") is known only once the stack is deployed");
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

Resolved TemplateEvaluator::GetAtt(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::Sub(
    std::string_view text, SourceLocation where,
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

Resolved TemplateEvaluator::SubIntrinsic(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::Join(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::Select(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::Split(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::If(const json::Value& arg, SourceLocation where) {
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

Resolved TemplateEvaluator::FindInMap(const json::Value& arg, SourceLocation where) {
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

Truth TemplateEvaluator::Condition(std::string_view name) {
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

Truth TemplateEvaluator::EvaluateCondition(const json::Value& v) {
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

std::optional<std::size_t> TemplateEvaluator::FindResource(std::string_view id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace iam_audit::policy_source
