// YAML to located JSON (see yaml_json.h).
#include "yaml_json.h"

#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "yaml_util.h"

namespace iam_audit::policy_source {
namespace {

using yaml_util::Node;

// Aliases make a YAML document a graph: `*a` is the node anchored `&a`. The
// conversion keeps it a graph (an aliased container is converted once and its
// Value shared); an alias bomb never gets here, yaml_util::Parse refuses a
// document that expands to more than yaml_util::kMaxNodes nodes.
class YamlConverter {
 public:
  YamlConverter(json::Document& out, const std::string& file, Diagnostics* errors)
      : out_(out), file_(file), errors_(errors) {}

  std::optional<json::Value> Convert(const Node& node, int depth);

 private:
  void Fail(SourceLocation where, std::string message) {
    if (errors_) errors_->push_back({file_, where, std::move(message)});
  }
  std::optional<json::Value> Untagged(const Node& node, int depth);

  json::Document& out_;
  const std::string& file_;
  Diagnostics* errors_;
  // Containers converted so far, by node (an alias is its anchor's node).
  std::map<std::uint32_t, json::Value> containers_;
};

// "!Ref" -> "Ref", "!Condition" -> "Condition", "!Sub" -> "Fn::Sub"; "" for
// the non-specific tags ("?" plain, "!" quoted) and standard ones ("tag:...").
std::string IntrinsicForTag(const std::string& tag) {
  if (tag.size() < 2 || tag[0] != '!' || tag[1] == '!') return "";
  const std::string name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return name;
  return "Fn::" + name;
}

std::optional<json::Value> YamlConverter::Untagged(const Node& node, int depth) {
  const SourceLocation where = yaml_util::Where(node);
  if (node.IsScalar()) return out_.MakeString(node.Scalar(), where);
  if (node.IsSequence()) {
    std::vector<json::Value> elements;
    for (const Node& e : node.items()) {
      std::optional<json::Value> v = Convert(e, depth + 1);
      if (!v) return std::nullopt;
      elements.push_back(*v);
    }
    return out_.MakeArray(elements, where);
  }
  if (node.IsMap()) {
    std::vector<json::Member> members;
    for (const yaml_util::Entry& kv : node.entries()) {
      if (!kv.key.IsScalar()) {
        Fail(yaml_util::Where(kv.key), "mapping keys must be plain strings");
        return std::nullopt;
      }
      std::optional<json::Value> v = Convert(kv.value, depth + 1);
      if (!v) return std::nullopt;
      members.push_back({out_.MakeString(kv.key.Scalar(), yaml_util::Where(kv.key)), *v});
    }
    return out_.MakeObject(members, where);
  }
  return out_.MakeNull(where);
}

std::optional<json::Value> YamlConverter::Convert(const Node& node, int depth) {
  const SourceLocation where = yaml_util::Where(node);
  if (depth > json::kMaxDepth) {
    Fail(where, "nesting deeper than " + std::to_string(json::kMaxDepth) + " levels");
    return std::nullopt;
  }
  const bool container = node.IsMap() || node.IsSequence();
  if (container) {
    if (const auto it = containers_.find(node.id()); it != containers_.end()) return it->second;
  }
  const std::string intrinsic = IntrinsicForTag(node.Tag());
  std::optional<json::Value> value = Untagged(node, depth);
  if (value && !intrinsic.empty()) {
    const json::Member member{out_.MakeString(intrinsic, where), *value};
    value = out_.MakeObject(std::span(&member, 1), where);
  }
  if (value && container) containers_.emplace(node.id(), *value);
  return value;
}
}  // namespace

std::optional<json::Document> YamlToJson(std::string_view text, const std::string& file,
                                         Diagnostics* errors) {
  Diagnostic syntax;
  std::optional<Node> node = yaml_util::Parse(text, file, &syntax);
  if (!node) {
    if (errors) errors->push_back(std::move(syntax));
    return std::nullopt;
  }
  json::Document doc;
  const std::optional<json::Value> root = YamlConverter(doc, file, errors).Convert(*node, 0);
  if (!root) return std::nullopt;
  doc.set_root(*root);
  return doc;
}

}  // namespace iam_audit::policy_source
