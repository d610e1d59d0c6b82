// YAML to located JSON (see yaml_json.h).
#include "yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "yaml_util.h"

namespace iam_audit::policy_source {
namespace {

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
}  // namespace

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
