// Profile::Bind: raw variable values (--var, profiles.yml) -> typed Bindings,
// with defaults applied in dependency order (include/iam_audit/profile.h).
#include <map>

#include "ascii.h"
#include "iam_audit/principal.h"
#include "iam_audit/profile.h"
#include "profile_internal.h"

namespace iam_audit {

using profile_internal::HowToGive;
using profile_internal::ParseBoolText;
using profile_internal::ParseTemplate;
using profile_internal::TemplateError;
using profile_internal::ThrowIfAny;
using profile_internal::Trim;

namespace {

// Types raw values for `v`. On error returns nullopt with a message.
std::optional<VariableValue> TypeValue(const ProfileVariable& v, std::vector<std::string> raw,
                                       bool sequence, std::string origin, std::string* error) {
  VariableValue out;
  out.origin = std::move(origin);
  if (v.type == VariableType::kList) {
    for (const std::string& r : raw) {
      if (sequence) {
        const std::string_view t = Trim(r);
        if (!t.empty()) out.items.emplace_back(t);
        continue;
      }
      const std::string_view text = r;
      for (std::size_t start = 0;;) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = Trim(text.substr(start, comma - start));
        if (!item.empty()) out.items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    }
  } else {
    if (raw.size() != 1) {
      *error = "'" + v.name + "' takes a single " + std::string(VariableTypeName(v.type)) +
               " value, not a list of " + std::to_string(raw.size());
      return std::nullopt;
    }
    out.items.emplace_back(Trim(raw[0]));
  }
  const VariableType item_type = v.type == VariableType::kList ? v.item_type : v.type;
  for (std::string& item : out.items) {
    if (item_type == VariableType::kBool) {
      const std::optional<bool> b = ParseBoolText(item);
      if (!b) {
        *error = "'" + v.name + "' must be true or false, not '" + item + "'";
        return std::nullopt;
      }
      item = *b ? "true" : "false";
    } else if (item_type == VariableType::kS3Location) {
      std::string e;
      std::optional<S3Location> loc = S3Location::Parse(item, &e);
      if (!loc) {
        *error = "'" + v.name + "': " + e;
        return std::nullopt;
      }
      item = loc->Uri();
      out.locations.push_back(std::move(*loc));
    } else if (item_type == VariableType::kAccountId && !IsAccountId(item)) {
      *error = "'" + v.name + "' must be an AWS account ID of 12 digits, not '" + item + "'";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

namespace {

// The default of `v` expanded with the values bound so far; nullopt when it
// depends on an unset variable (lists: any item; scalars: every alternative).
std::optional<std::vector<std::string>> ExpandDefault(const ProfileVariable& v,
                                                      const Bindings& bound) {
  std::vector<std::string> raw;
  for (const std::string& text : *v.default_value) {
    std::vector<TemplateError> ignored;
    const std::optional<ValueTemplate> t = ParseTemplate(text, &ignored);
    const std::optional<std::vector<std::string>> expanded = t->Expand(bound);
    if (v.type != VariableType::kList) {
      if (expanded) return expanded;  // the first alternative whose variables are set
      continue;
    }
    if (!expanded) return std::nullopt;
    raw.insert(raw.end(), expanded->begin(), expanded->end());
  }
  if (v.type != VariableType::kList) return std::nullopt;
  return raw;
}

}  // namespace

Bindings Profile::Bind(const std::vector<VariableInput>& inputs) const {
  std::vector<std::string> errors;
  std::map<std::string, const VariableInput*, std::less<>> given;
  for (const VariableInput& in : inputs) {
    if (!FindVariable(in.name)) {
      std::vector<std::string> names;
      for (const ProfileVariable& v : variables_) names.push_back(v.name);
      errors.push_back("unknown variable '" + in.name + "' (from " + in.origin + "): profile " +
                       name_ + " has " +
                       (names.empty() ? "no variables" : ascii::JoinComma(names)));
      continue;
    }
    given[in.name] = &in;
  }
  Bindings out;
  for (std::size_t idx : default_order_) {
    const ProfileVariable& v = variables_[idx];
    std::string error;
    std::optional<VariableValue> value;
    if (const auto it = given.find(v.name); it != given.end()) {
      value = TypeValue(v, it->second->values, it->second->sequence, it->second->origin, &error);
    } else if (v.default_value) {
      std::optional<std::vector<std::string>> raw = ExpandDefault(v, out);
      if (!raw) continue;  // depends on an unset variable: unset too
      value = TypeValue(v, std::move(*raw), /*sequence=*/true, "default", &error);
    } else if (v.required) {
      errors.push_back("missing required variable '" + v.name + "'" +
                       (v.description.empty() ? "" : " (" + v.description + ")") + ": " +
                       HowToGive(v));
      continue;
    } else {
      continue;
    }
    if (!value) {
      errors.push_back(error + " (from " +
                       (given.count(v.name) ? given.find(v.name)->second->origin : "its default") +
                       ")");
      continue;
    }
    out.emplace(v.name, std::move(*value));
  }
  ThrowIfAny(errors);
  return out;
}

}  // namespace iam_audit
