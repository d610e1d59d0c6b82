// Policy: the in-memory model of one IAM policy document, as written.
//
// The model keeps what the author wrote (actions, resources and condition
// values as text, in their original case) plus the source location of every
// element. Nothing here is interpreted: matching and evaluation live in
// arn_pattern.h, action_pattern.h and evaluator.h.
//
// IAM's "string or list of strings" fields are normalised to lists. Condition
// values that IAM accepts as booleans or numbers (`true`, `42`) are kept as
// their JSON text ("true", "42"), which is how IAM compares them.
//
// ParsePolicy() validates the document the way IAM's grammar does and reports
// every problem it finds (not only the first), each with file, line and column.
// It returns a Policy only when there were no errors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/diagnostic.h"

namespace iam_audit {

namespace json {
class Value;  // json.h: a JSON value with source locations
}

struct LocatedString {
  std::string value;
  SourceLocation where;
  friend bool operator==(const LocatedString&, const LocatedString&) = default;
};

enum class Effect { kAllow, kDeny };

// One `operator -> key -> values` triple of a Condition block, e.g.
// {"ForAnyValue:StringLike": {"aws:TagKeys": ["team-*", "env"]}}.
struct ConditionClause {
  LocatedString op;   // the operator as written, qualifiers and IfExists included
  LocatedString key;  // the condition key as written
  std::vector<LocatedString> values;
};

// Principal / NotPrincipal. `"*"` is stored as wildcard = true; the object form
// maps a principal type ("AWS", "Service", "Federated", "CanonicalUser") to values.
struct PrincipalSpec {
  bool wildcard = false;
  std::map<std::string, std::vector<LocatedString>> by_type;
  SourceLocation where;  // the Principal/NotPrincipal key
};

struct Statement {
  std::optional<LocatedString> sid;
  Effect effect = Effect::kAllow;
  SourceLocation where;         // the statement object's opening brace
  SourceLocation effect_where;  // the Effect key

  // Exactly one of Action / NotAction is present in a valid statement.
  bool not_action = false;
  std::vector<LocatedString> actions;
  SourceLocation actions_where;  // the Action/NotAction key

  // Resource / NotResource; absent in resource-based policies and trust
  // policies, where the resource is implied.
  bool has_resource = false;
  bool not_resource = false;
  std::vector<LocatedString> resources;
  SourceLocation resources_where;

  std::optional<PrincipalSpec> principal;
  bool not_principal = false;

  std::vector<ConditionClause> conditions;
  SourceLocation conditions_where;

  int index = 0;  // 0-based position in the policy's Statement list
};

struct Policy {
  std::string file;  // as named in diagnostics: the path given, "<stdin>" for "-"
  std::optional<LocatedString> version;
  std::optional<LocatedString> id;
  std::vector<Statement> statements;
  SourceLocation where;  // the policy object's opening brace

  // True when policy variables (`${...}`) are substituted: Version 2012-10-17.
  // Under 2008-10-17 or with no Version, `${...}` is literal text.
  bool SupportsVariables() const;
};

struct PolicyParseResult {
  std::optional<Policy> policy;  // set only when errors is empty
  Diagnostics errors;
  Diagnostics warnings;  // accepted, but worth telling (e.g. an empty Action list, a duplicate Sid)
};

// Parses IAM policy JSON text. `file` is used in locations and diagnostics.
PolicyParseResult ParsePolicy(std::string_view text, const std::string& file);

// Builds a Policy from an already-parsed JSON value (a policy embedded in an
// AWS CLI response, a CloudFormation template...). Locations come from `doc`.
// Of repeated object keys only the first is read: json::Parse reports them.
// The accepted grammar, the checks and every message: docs/policy-parsing.md.
PolicyParseResult PolicyFromJson(const json::Value& doc, const std::string& file);

}  // namespace iam_audit
