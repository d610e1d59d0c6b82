// Profile: the small public types (variable types, S3 locations) and the
// helpers every file of the profile module shares (profile_internal.h).
// The contract is in include/iam_audit/profile.h.
#include "iam_audit/profile.h"

#include <algorithm>
#include <array>

#include "ascii.h"
#include "profile_internal.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;

// ---------------------------------------------------------------------------
// Tables (data, not code).

struct TypeName {
  VariableType type;
  std::string_view name;
};
constexpr std::array<TypeName, 5> kTypeNames = {{
    {VariableType::kString, "string"},
    {VariableType::kList, "list"},
    {VariableType::kBool, "bool"},
    {VariableType::kS3Location, "s3_location"},
    {VariableType::kAccountId, "account_id"},
}};

}  // namespace

namespace profile_internal {

using ascii::Lower;

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !IsIdentifierStart(s[0])) return false;
  return std::all_of(s.begin(), s.end(), IsIdentifierChar);
}

std::optional<VariableType> ParseVariableType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return std::nullopt;
}

std::optional<bool> ParseBoolText(std::string_view text) {
  const std::string t = Lower(Trim(text));
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0") return false;
  return std::nullopt;
}

std::string HowToGive(const ProfileVariable& v) {
  std::string how =
      "pass --var " + v.name + "=" + (v.type == VariableType::kList ? "A,B,..." : "VALUE");
  if (!v.dbt_fields.empty()) {
    how += " or set '" + v.dbt_fields.front() + "' in the dbt target read with --dbt-profiles";
  }
  return how;
}

void ThrowIfAny(const std::vector<std::string>& errors) {
  if (errors.empty()) return;
  std::string message;
  for (const std::string& e : errors) {
    if (!message.empty()) message += '\n';
    message += e;
  }
  throw InputError(message);
}

}  // namespace profile_internal

using profile_internal::Trim;

// ---------------------------------------------------------------------------
// Public small pieces.

std::string_view VariableTypeName(VariableType type) {
  for (const TypeName& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "string";
}

std::string S3Location::Uri() const { return "s3://" + bucket + "/" + prefix; }

std::optional<S3Location> S3Location::Parse(std::string_view uri, std::string* error) {
  const std::string_view text = Trim(uri);
  if (!EqualsIgnoreCase(text.substr(0, 5), "s3://")) {
    if (error)
      *error = "'" + std::string(text) + "' is not an S3 location (expected s3://bucket/prefix/)";
    return std::nullopt;
  }
  const std::string_view rest = text.substr(5);
  const std::size_t slash = rest.find('/');
  S3Location loc;
  loc.bucket = std::string(rest.substr(0, slash));
  if (loc.bucket.empty() || loc.bucket.find_first_of(" \t") != std::string::npos) {
    if (error)
      *error =
          "'" + std::string(text) + "' has no valid bucket name (expected s3://bucket/prefix/)";
    return std::nullopt;
  }
  if (slash != std::string_view::npos) loc.prefix = std::string(rest.substr(slash + 1));
  if (!loc.prefix.empty() && loc.prefix.back() != '/') loc.prefix += '/';
  return loc;
}

const ProfileVariable* Profile::FindVariable(std::string_view name) const {
  for (const ProfileVariable& v : variables_) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace iam_audit
