// Private to the profile module (src/profile*.cc): the pieces its files share.
// The public contract is include/iam_audit/profile.h; the file format is
// docs/profiles.md. The module is split along its seams:
//   profile.cc                 small public types (S3Location, variable types)
//   profile_template.cc        ${variable} value templates
//   profile_when.cc            the `when` condition language
//   profile_resource_types.cc  ARN templates vs catalog resource types
//   profile_loader.cc          YAML -> validated Profile
//   profile_bind.cc            raw variable values -> Bindings
//   profile_requirements.cc    Bindings -> concrete Requirements
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/catalog.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/profile.h"
#include "yaml_tree.h"

namespace iam_audit::profile_internal {

// --- Loading (profile_loader.cc) -------------------------------------------

// Profile::Load of a parsed document: what the built-in profiles, embedded
// as trees (builtin_profiles.h), load through.
ProfileLoadResult LoadTree(const yaml_tree::Node& root, const std::string& file,
                           const Catalog& catalog);

// --- Text helpers (profile.cc) ---------------------------------------------

std::string_view Trim(std::string_view s);
bool IsIdentifierStart(char c);
bool IsIdentifierChar(char c);
bool IsIdentifier(std::string_view s);
std::optional<VariableType> ParseVariableType(std::string_view name);
// true/yes/on/1 and false/no/off/0, any case.
std::optional<bool> ParseBoolText(std::string_view text);
// "pass --var NAME=... or set 'field' in the dbt target ...".
std::string HowToGive(const ProfileVariable& v);
// Throws InputError with the errors one per line, if any.
void ThrowIfAny(const std::vector<std::string>& errors);

// --- Value templates (profile_template.cc) ---------------------------------

struct TemplateError {
  std::size_t offset;  // byte offset in the template text
  std::string message;
};

// Parses `text`; syntax errors are appended to `errs` (nullopt if any).
// Variable names are not checked against a profile here.
std::optional<ValueTemplate> ParseTemplate(std::string_view text, std::vector<TemplateError>* errs);

// The template with every variable replaced by a placeholder value, to match
// it against catalog resource types at load time.
std::string SampleOf(const ValueTemplate& t);

// --- `when` conditions (profile_when.cc) -----------------------------------

using VariableLookup = std::function<const ProfileVariable*(std::string_view)>;

struct WhenError {
  std::size_t offset = 0;  // byte offset in the condition text
  std::string message;
};

// Parentheses may nest this deep in a `when` condition; deeper is an error
// (the parser recurses once per level). Runs of `not` are not limited.
inline constexpr int kMaxWhenDepth = 100;

// Parses a `when` condition; variables are resolved with `lookup`.
std::optional<WhenCondition> ParseWhen(std::string_view text, const VariableLookup& lookup,
                                       WhenError* error);

// --- Resource types (profile_resource_types.cc) ----------------------------

// Does the concrete resource pattern `value` fit the catalog ARN template?
bool FitsResourceType(std::string_view arn_template, std::string_view value);

using ErrorSink = std::function<void(SourceLocation, std::string)>;

// Matches a group's resource templates to catalog resource types and decides
// which resources each action is checked on (ProfileGroup::checks). Caches the
// compiled resource types of each service across groups.
class ResourceTypeMatcher {
 public:
  ResourceTypeMatcher(const Catalog& catalog, ErrorSink error);
  ~ResourceTypeMatcher();
  ResourceTypeMatcher(const ResourceTypeMatcher&) = delete;
  ResourceTypeMatcher& operator=(const ResourceTypeMatcher&) = delete;

  // Fills g.resources[*].types and g.checks; reports problems to the sink.
  void ComputeChecks(ProfileGroup& g);

 private:
  struct CompiledType;
  const std::vector<CompiledType>& TypesOf(const std::string& service);
  bool MatchResourceTypes(ProfileResource& r, const std::vector<std::string>& services);

  const Catalog& catalog_;
  ErrorSink error_;
  std::map<std::string, std::vector<CompiledType>> types_;  // by lower-case service
  // The types matched to a template's sample, by "sample\nservice,service...":
  // a profile repeats its templates across groups (dbt-athena's Glue catalog
  // ARN is in seven), and the match depends on nothing else.
  std::map<std::string, std::vector<ResourceTypeRef>, std::less<>> matched_;
};

}  // namespace iam_audit::profile_internal
