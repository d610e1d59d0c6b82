// Profile: the IAM permissions a tool needs, as data.
//
// A profile is a YAML file (rules/*.yaml are built in; users may write their
// own; the format is documented in docs/profiles.md):
//
//   name, description, sources     what it describes and where that comes from
//   variables                      typed inputs (string, list, bool, s3_location),
//                                  required or with a default that may use other
//                                  variables ("${s3_staging_dir}tables/")
//   groups                         required permissions: actions (patterns,
//                                  expanded with the catalog), resource ARN
//                                  templates using ${variables}, a `when`
//                                  condition, severity, origin, and the request
//                                  context the tool's calls carry
//   unsupported                    {when, message}: configurations refused
//                                  (Requirements() throws) rather than audited
//                                  on resources the profile does not model
//
// Loading validates everything and reports every problem (not only the first)
// as FILE:LINE:COLUMN diagnostics: unknown keys, wrong types, undefined
// variables, malformed conditions and templates, action patterns that match
// nothing in the catalog, and actions that support none of their group's
// resources.
//
// The catalog decides which resources each action is checked on: every
// resource template is matched to the catalog resource types of the group's
// services (comparing it with each type's ARN template, whose ${Placeholders}
// are wildcards; the most specific match wins, so `bucket/prefix*` is an S3
// `object` and `bucket` is an S3 `bucket`). An action is then checked on each
// listed resource of a type it supports (glue:CreateDatabase on the catalog
// and the database, glue:GetTable also on the table); an action without
// resource types in the catalog is checked on "*". These (action, resource)
// checks are computed once at load (ProfileGroup::checks).
//
// Using a profile: Bind() turns raw variable values (from --var or a dbt
// profiles.yml, see profile_vars.h) into typed Bindings, applying defaults and
// reporting missing or malformed values; Requirements() then expands the
// enabled groups into the concrete (action, resource pattern) pairs an audit
// checks and a generator grants.
//
// A Profile is immutable after loading and does not refer to the catalog it
// was loaded with (action names are copied in catalog casing).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/severity.h"

namespace iam_audit {

// kAccountId: an AWS account ID, 12 digits.
enum class VariableType : unsigned char { kString, kList, kBool, kS3Location, kAccountId };

// "string", "list", "bool", "s3_location", "account_id".
std::string_view VariableTypeName(VariableType type);

// An S3 location, "s3://bucket/prefix/". The prefix is "" (the whole bucket) or
// ends with '/', as dbt and Athena treat these locations as folders.
struct S3Location {
  std::string bucket;
  std::string prefix;

  std::string Uri() const;  // "s3://bucket/prefix/"
  // Accepts "s3://bucket", "s3://bucket/", "s3://bucket/a/b" and "s3://bucket/a/b/".
  static std::optional<S3Location> Parse(std::string_view uri, std::string* error = nullptr);
};

struct ProfileVariable {
  std::string name;
  SourceLocation where;
  VariableType type = VariableType::kString;
  VariableType item_type = VariableType::kString;  // kList only: kString or kS3Location
  bool required = false;
  // Default value templates; may use other variables. Lists: the items (the
  // default is unset if one uses an unset variable). Scalars: alternatives,
  // the first whose variables are all set wins (unset if none); usually one.
  // nullopt: no default (the variable is unset unless given).
  std::optional<std::vector<std::string>> default_value;
  std::string description;
  std::string from;                     // where the tool takes it from (free text)
  std::vector<std::string> dbt_fields;  // profiles.yml fields it is read from, first wins
};

// A resolved value. Scalars have exactly one item; lists any number. Bools are
// "true" or "false"; S3 locations are normalised URIs, with `locations`
// parallel to `items`.
struct VariableValue {
  std::vector<std::string> items;
  std::vector<S3Location> locations;
  std::string origin;  // "--var", "profiles.yml:12:7", "default"
};

// Values of the variables that are set. Unset optional variables are absent.
using Bindings = std::map<std::string, VariableValue, std::less<>>;

// A raw value for one variable, before typing.
struct VariableInput {
  std::string name;
  std::vector<std::string> values;  // one string, or the items of a YAML sequence
  bool sequence = false;            // true: `values` are list items (no comma splitting)
  std::string origin;               // "--var" or "FILE:LINE:COLUMN"
};

// A `when` condition, parsed:
//   expr := or ; or := and ('or' and)* ; and := not ('and' not)*
//   not  := 'not' not | test ; test := '(' expr ')' | 'true' | 'false' | VAR [op LITERAL]
//                                      | 'lower' '(' VAR ')' op LITERAL
//   op   := '==' | '!=' | 'matches'   (LITERAL: 'quoted', "quoted", true, false)
// A bare VAR is true when it is set and non-empty (a non-empty list, a true
// bool, a non-empty string). `matches` compares with an IAM-style glob (* ?).
// lower(VAR) compares the value lower-cased (the literal must be lower case).
// Parentheses nest at most 100 deep (an error beyond); runs of 'not' fold.
struct WhenCondition {
  enum class Kind : unsigned char {
    kConstant,
    kVariable,
    kNot,
    kAnd,
    kOr,
    kEquals,
    kNotEquals,
    kMatches
  };
  Kind kind = Kind::kConstant;
  bool constant = true;                 // kConstant
  std::string variable;                 // kVariable, kEquals, kNotEquals, kMatches
  std::string literal;                  // kEquals, kNotEquals, kMatches
  bool ignore_case = false;             // lower(VAR): compare the value lower-cased
  std::vector<WhenCondition> operands;  // kNot: one; kAnd, kOr: two or more
  std::string text;                     // as written ("" for an omitted `when`: always)

  bool Evaluate(const Bindings& bindings) const;
};

// A string with ${variable} and ${variable.field} references. Fields: for
// s3_location values (and lists of them) `bucket`, `prefix` and `uri`; a bare
// s3_location reference gives the URI. `$` not followed by `{` is literal.
struct ValueTemplate {
  struct Part {
    std::string text;      // literal text (when variable is empty)
    std::string variable;  // a variable reference
    std::string field;     // "", "bucket", "prefix", "uri"
  };
  std::string text;
  SourceLocation where;
  std::vector<Part> parts;

  // Substitutes the bindings. A list variable gives one string per element (a
  // template using the same list twice pairs the same element; different lists
  // combine as a product); an empty list gives no string. Returns nullopt and
  // sets `missing` when a referenced variable is unset.
  std::optional<std::vector<std::string>> Expand(const Bindings& bindings,
                                                 std::string* missing = nullptr) const;
};

struct ProfileAction {
  std::string pattern;  // as written: "kms:GenerateDataKey*"
  SourceLocation where;
  std::vector<std::string> actions;  // what it expands to, catalog casing, sorted
};

// The catalog resource type a resource template was matched to.
struct ResourceTypeRef {
  std::string service;       // "s3"
  std::string name;          // "object"
  std::string arn_template;  // "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
};

struct ProfileResource {
  ValueTemplate arn;
  bool any = false;                    // the template is "*": any resource type
  std::string type_hint;               // `type:` as written, "" if matched automatically
  std::vector<ResourceTypeRef> types;  // matched types (most specific); empty when `any`
};

struct ProfileContextEntry {
  std::string key;  // "aws:SecureTransport"
  SourceLocation where;
  // List variables add one value each. None (`key: []`): the requests are
  // known not to carry the key (RequestContext::DeclaresAbsent).
  std::vector<ValueTemplate> values;
};

// One (action, resource) pair to check, computed at load.
struct ProfileCheck {
  std::string action;         // "glue:GetTable"
  int resource = -1;          // index into ProfileGroup::resources; -1: "*"
  std::string resource_type;  // catalog resource type name; "*" for wildcard-only actions
  AccessLevels access = 0;    // the action's access level(s) in the catalog
};

struct ProfileGroup {
  std::string id;
  SourceLocation where;
  std::string title;
  std::string description;
  WhenCondition when;
  std::vector<ProfileAction> actions;
  std::vector<ProfileResource> resources;
  Severity severity = Severity::kError;
  std::string origin;  // documented | code | athena | aws-doc
  std::string source;  // reference text: file and function, issue, page
  bool beyond_doc = false;
  std::vector<ProfileContextEntry> context;
  std::vector<ProfileCheck> checks;
};

struct ProfileSource {
  std::string id;
  std::string title;
  std::string url;
};

// One concrete required permission: `action` must be allowed on every
// resource `resource` matches (a pattern: it may contain `*`).
struct Requirement {
  std::string group_id;
  std::string group_title;
  std::string action;         // catalog casing: "s3:GetObject"
  std::string resource;       // "arn:aws:s3:::bucket/dbt/*" or "*"
  std::string resource_type;  // "object"; "*" for wildcard-only actions
  AccessLevels access = 0;    // the action's access level(s) in the catalog
  Severity severity = Severity::kError;
  std::string origin;
  std::string source;
  bool beyond_doc = false;
  // The request context the tool's calls carry: key -> values.
  std::vector<std::pair<std::string, std::vector<std::string>>> context;
  SourceLocation where;  // the group in the profile file
};

// A configuration the profile cannot audit truthfully (say, ARNs it does not
// model): Requirements() refuses it with `message` instead of a verdict on
// the wrong resources.
struct ProfileRefusal {
  WhenCondition when;
  std::string message;
  SourceLocation where;
};

struct ProfileLoadResult;

class Profile {
 public:
  // Parses and validates `yaml`; `file` is used in diagnostics.
  static ProfileLoadResult Load(std::string_view yaml, const std::string& file,
                                const Catalog& catalog);
  // Same, throwing InputError with every diagnostic.
  static Profile LoadOrThrow(std::string_view yaml, const std::string& file,
                             const Catalog& catalog);

  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  const std::string& file() const { return file_; }
  const std::string& dbt_adapter() const { return dbt_adapter_; }  // "athena" or ""
  // Actions (or patterns) granted beyond the requirements that the risk model
  // accepts (risk.h): the profile's `accepted_extras`.
  const std::vector<std::string>& accepted_extras() const { return accepted_extras_; }
  const std::vector<ProfileSource>& sources() const { return sources_; }
  const std::vector<ProfileVariable>& variables() const { return variables_; }
  const std::vector<ProfileGroup>& groups() const { return groups_; }
  const std::vector<ProfileRefusal>& unsupported() const { return unsupported_; }
  const ProfileVariable* FindVariable(std::string_view name) const;

  // Types the inputs (later inputs for the same variable override earlier
  // ones), applies defaults in dependency order and checks required
  // variables. Throws InputError listing every problem: unknown variable,
  // malformed value (bool, S3 URI), missing required variable (naming how to
  // give it: --var NAME=... or the dbt profiles.yml field).
  Bindings Bind(const std::vector<VariableInput>& inputs) const;

  // The concrete requirements of the groups enabled by `bindings`, in profile
  // order (groups, then checks), without duplicates within a group. Throws
  // InputError with the message of every `unsupported` entry whose condition
  // holds, when an enabled group uses an unset variable, or when a value
  // does not fit the resource type it stands for (e.g. a kms_key_arns entry
  // that is not a KMS key ARN).
  std::vector<Requirement> Requirements(const Bindings& bindings) const;

 private:
  Profile() = default;
  friend class ProfileLoader;

  std::string name_;
  std::string description_;
  std::string file_;
  std::string dbt_adapter_;
  std::vector<std::string> accepted_extras_;
  std::vector<ProfileSource> sources_;
  std::vector<ProfileVariable> variables_;
  std::vector<std::size_t> default_order_;  // variable indexes, defaults' dependencies first
  std::vector<ProfileGroup> groups_;
  std::vector<ProfileRefusal> unsupported_;
};

struct ProfileLoadResult {
  std::optional<Profile> profile;  // set only when errors is empty
  Diagnostics errors;
};

}  // namespace iam_audit
