// Internal to the CloudFormation reader: a template's values, with its
// intrinsic functions evaluated as far as the template, the parameter
// defaults and --var determine them.
//
// Evaluated offline: Ref (parameters, pseudo parameters, resources whose name
// is a property), Fn::Sub, Fn::GetAtt (the attributes of the same resources),
// Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::FindInMap, and the conditions
// (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). Anything else, and
// anything that depends on what only a deployment knows, resolves to an
// unresolved placeholder (UnresolvedValue, which matches nothing) with a note
// saying why, unless the evaluation is quiet (quiet_ > 0).
//
// Evaluation is bounded: every level (containers, intrinsics, the names of
// resources they refer to) counts against json::kMaxDepth, a computed string
// is at most kMaxComputedString bytes, and self-referring names and
// conditions resolve to unknown.
//
// The IAM mapping (policy_source_cfn.cc) derives from TemplateEvaluator: it
// fills resources_ and reads the values of their properties.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/condition.h"
#include "policy_source_internal.h"

namespace iam_audit::policy_source {

struct IamType;  // policy_source_cfn.cc

struct Resolved {
  json::Value value;
  bool unknown = false;   // depends on something the template does not determine
  bool no_value = false;  // Ref AWS::NoValue: the property or element is dropped
};

class TemplateEvaluator {
 public:
  // A computed string longer than this (no policy needs that much, a template
  // that doubles a name 40 times would) is unknown.
  static constexpr std::size_t kMaxComputedString = 64 * 1024;

  // Both must outlive the evaluator; `root` is the template.
  TemplateEvaluator(const json::Value& root, const PolicySourceOptions& options, Collector& c)
      : root_(root), options_(options), c_(c), out_(c.doc()) {}

 protected:
  // A resource of the template: what the intrinsic functions read (id, type,
  // properties), then what the IAM mapping works out for it.
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

  // Reads the Parameters, Conditions and Mappings, and marks the --var values
  // meant for this template (its parameters, the pseudo parameters) as used.
  void ReadDeclarations();

  // The value of `v` with every intrinsic function in it evaluated.
  Resolved Resolve(const json::Value& v);
  // Ref `r` (attribute "") or Fn::GetAtt `r`.`attribute`.
  Resolved ResourceValue(const Resource& r, std::string_view attribute, SourceLocation where);
  // The value of the template condition `name`.
  Truth Condition(std::string_view name);
  // Text of a resolved scalar (nullopt for containers and null).
  static std::optional<std::string> Text(const Resolved& r);
  std::optional<std::size_t> FindResource(std::string_view id) const;

  const json::Value& root_;
  const PolicySourceOptions& options_;
  Collector& c_;
  json::Document& out_;
  int quiet_ = 0;  // > 0: no notes (values resolved only to compare names)
  std::vector<Resource> resources_;
  std::map<std::string_view, std::size_t> by_id_;

 private:
  Resolved Intrinsic(std::string_view fn, const json::Value& arg, SourceLocation where);
  Resolved Unknown(std::string_view what, SourceLocation where, const std::string& why);
  Resolved String(std::string text, SourceLocation where, bool unknown = false);
  Resolved Ref(std::string_view name, SourceLocation where);
  Resolved Pseudo(std::string_view name, SourceLocation where);
  Resolved Parameter(std::string_view name, const json::Value& declaration, SourceLocation where);
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
  Truth EvaluateCondition(const json::Value& v);

  std::map<std::string_view, json::Value> parameters_;
  std::map<std::string_view, json::Value> conditions_;
  std::map<std::string_view, Truth> condition_values_;
  std::set<std::string_view> conditions_in_progress_;
  const json::Value* mappings_ = nullptr;
  int depth_ = 0;  // levels of Resolve() under way
  // The resolved name property of resources (by index), computed once: names
  // refer to other resources' names, and must not be re-evaluated per use.
  std::map<std::size_t, Resolved> names_;
  std::set<std::size_t> names_in_progress_;
};

}  // namespace iam_audit::policy_source
