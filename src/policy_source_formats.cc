// The input formats, one row each: what --input-format calls it, how it is
// recognized, which words a directory scan sniffs for, and its reader.
//
// Adding a format: its InputFormat value (include/iam_audit/policy_source.h),
// its row below (with its reader's entry points declared above the table),
// its reader src/policy_source_<name>.cc, its tests, and its section in
// docs/input-formats.md. Nothing else dispatches on the format.
#include <algorithm>
#include <array>
#include <string>

#include "ascii.h"
#include "iam_audit/policy_source.h"
#include "policy_source_internal.h"
#include "template_suppressions.h"

namespace iam_audit {
namespace policy_source {

// The readers' entry points (policy_source_<name>.cc). Each Looks* test is
// cheap (top-level keys only); each Load* reads a document its test accepted
// (or one forced on it) and throws InputError when it cannot make sense of it
// at all.
bool LooksLikeAwsCli(const json::Value& root);
bool LooksLikeAuthorizationDetails(const json::Value& root);
bool LooksLikeCloudFormation(const json::Value& root);
bool LooksLikeTerraform(const json::Value& root);
void LoadAwsCli(const json::Value& root, Collector& c);
void LoadAuthorizationDetails(const json::Value& root, const PolicySourceOptions& options,
                              Collector& c);
void LoadCloudFormation(const json::Value& root, const PolicySourceOptions& options, Collector& c);
void LoadTerraform(const json::Value& root, Collector& c);

namespace {

// A bare policy document: a Statement, or only Version/Id/Statement-like keys
// ({"Version": ...} alone, or a miscased element: a policy with mistakes,
// better reported by the policy grammar than as an unknown format).
bool LooksLikePolicy(const json::Value& root) {
  if (!root.is_object()) return false;
  if (root.Find("Statement") != nullptr) return true;
  if (root.size() == 0) return false;
  for (const json::Member& m : root.Members()) {
    const std::string_view key = m.name();
    if (!ascii::EqualsIgnoreCase(key, "version") && !ascii::EqualsIgnoreCase(key, "id") &&
        !ascii::EqualsIgnoreCase(key, "statement")) {
      return false;
    }
  }
  return true;
}

bool AnyDocument(const json::Value&) { return true; }

// Rows in InputFormat order, from the most general format to the most
// specific: detection tries them from the last up, so that a file that has a
// specific format's keys (a template's Resources) is not taken for a more
// general one that shares a key (a policy's Statement).
constexpr FormatRow kFormats[] = {
    {.format = InputFormat::kAuto,
     .name = "auto",
     .description = "",
     .detect = nullptr,
     .fits = nullptr,
     .sniff = {},
     .yaml_hints = {},
     .subjects = Subjects::kDocuments,
     .unused_policies_are_subjects = true,
     .load = nullptr},
    {.format = InputFormat::kPolicy,
     .name = "policy",
     .description = "a policy document (JSON or YAML with a Statement)",
     .detect = LooksLikePolicy,
     .fits = AnyDocument,  // forced: the policy grammar says what is wrong
     .sniff = {"Statement"},
     .yaml_hints = {"Statement"},
     .subjects = Subjects::kDocuments,
     .unused_policies_are_subjects = true,
     .load = [](const json::Value& root, const PolicySourceOptions&,
                Collector& c) { c.AddPolicy(c.file_name(), root); }},
    {.format = InputFormat::kAwsCli,
     .name = "aws-cli",
     .description = "AWS CLI output of `aws iam get-policy-version`, `get-role-policy`, "
                    "`get-user-policy` or `get-group-policy`",
     .detect = LooksLikeAwsCli,
     .fits = LooksLikeAwsCli,
     .sniff = {"PolicyDocument", "PolicyVersion"},
     .yaml_hints = {},
     .subjects = Subjects::kDocuments,
     .unused_policies_are_subjects = true,
     .load = [](const json::Value& root, const PolicySourceOptions&,
                Collector& c) { LoadAwsCli(root, c); }},
    {.format = InputFormat::kAccountAuthorizationDetails,
     .name = "account-authorization-details",
     .description = "`aws iam get-account-authorization-details` output",
     .detect = LooksLikeAuthorizationDetails,
     .fits = LooksLikeAuthorizationDetails,
     .sniff = {"RoleDetailList", "UserDetailList", "GroupDetailList", "PolicyVersionList"},
     .yaml_hints = {},
     .subjects = Subjects::kPrincipalsSelectedByReader,
     .unused_policies_are_subjects = false,  // the account's policies attached to nobody
     .load = LoadAuthorizationDetails},
    {.format = InputFormat::kCloudFormation,
     .name = "cloudformation",
     .description =
         "a CloudFormation template (JSON or YAML, with AWSTemplateFormatVersion or Resources)",
     .detect = LooksLikeCloudFormation,
     .fits = LooksLikeCloudFormation,
     .sniff = {"AWSTemplateFormatVersion", "Resources"},
     .yaml_hints = {"AWSTemplateFormatVersion", "Resources"},
     .subjects = Subjects::kPrincipals,
     .unused_policies_are_subjects = true,
     .load =
         [](const json::Value& root, const PolicySourceOptions& options, Collector& c) {
           LoadCloudFormation(root, options, c);
           ReadTemplateSuppressions(root, c.file_name(), &c.result().suppressions,
                                    &c.result().errors);
         }},
    {.format = InputFormat::kTerraform,
     .name = "terraform",
     .description = "`terraform show -json` output (plan or state) or a .tfstate file",
     .detect = LooksLikeTerraform,
     .fits = LooksLikeTerraform,
     .sniff = {"format_version", "terraform_version"},
     .yaml_hints = {},
     .subjects = Subjects::kPrincipals,
     .unused_policies_are_subjects = true,
     .load = [](const json::Value& root, const PolicySourceOptions&,
                Collector& c) { LoadTerraform(root, c); }},
};

constexpr bool TableInEnumOrder() {
  for (std::size_t i = 0; i < std::size(kFormats); ++i) {
    if (static_cast<std::size_t>(kFormats[i].format) != i) return false;
  }
  return true;
}
static_assert(TableInEnumOrder(), "kFormats must list the formats in InputFormat order");

constexpr auto kFormatNames = [] {
  std::array<std::string_view, std::size(kFormats)> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = kFormats[i].name;
  return names;
}();

std::string FormatList() {
  std::string out;
  for (const FormatRow& f : Formats()) {
    out += "\n  " + std::string(f.name) + ": " + std::string(f.description);
  }
  return out;
}

}  // namespace

std::span<const FormatRow> Formats() { return std::span(kFormats).subspan(1); }

const FormatRow& FormatOf(InputFormat format) { return kFormats[static_cast<std::size_t>(format)]; }

const FormatRow* Detect(const json::Value& root) {
  const std::span<const FormatRow> rows = Formats();
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
    if (row->detect(root)) return &*row;
  }
  return nullptr;
}

const FormatRow* MeantInBrokenYaml(std::string_view text) {
  const std::span<const FormatRow> rows = Formats();
  for (auto row = rows.rbegin(); row != rows.rend(); ++row) {
    for (std::string_view hint : row->yaml_hints) {
      if (!hint.empty() && text.find(hint) != std::string_view::npos) return &*row;
    }
  }
  return nullptr;
}

void Unrecognized(const SourceFile& file, SourceLocation where, const std::string& why) {
  throw InputError(Diagnostics{{file.name, where,
                                "cannot tell what kind of input this is (" + why +
                                    "). iam-audit reads:" + FormatList() +
                                    "\nUse --input-format NAME to say which it is."}});
}

void NotThatFormat(const SourceFile& file, InputFormat format, const std::string& why) {
  throw InputError(
      Diagnostics{{file.name,
                   {},
                   "--input-format " + std::string(InputFormatName(format)) + ": this is not " +
                       std::string(FormatOf(format).description) + " (" + why + ")"}});
}

}  // namespace policy_source

std::string_view InputFormatName(InputFormat format) {
  return policy_source::FormatOf(format).name;
}

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  for (const policy_source::FormatRow& f : policy_source::kFormats) {
    if (f.name == name) return f.format;
  }
  return std::nullopt;
}

std::span<const std::string_view> InputFormatNames() { return policy_source::kFormatNames; }

bool InputFormatHasPrincipals(InputFormat format) {
  return policy_source::FormatOf(format).subjects != policy_source::Subjects::kDocuments;
}

bool InputFormatSelectsPrincipalWhileReading(InputFormat format) {
  return policy_source::FormatOf(format).subjects ==
         policy_source::Subjects::kPrincipalsSelectedByReader;
}

bool MightHoldPolicies(std::string_view text) {
  for (const policy_source::FormatRow& f : policy_source::Formats()) {
    for (std::string_view word : f.sniff) {
      if (!word.empty() && text.find(word) != std::string_view::npos) return true;
    }
  }
  return false;
}

}  // namespace iam_audit
