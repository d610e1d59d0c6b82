// A small JSON Schema (draft-04) validator for tests: enough of the standard
// to check documents against ../shared/schemas/sarif-schema-2.1.0.json.
//
//   std::vector<std::string> errors = ValidateJsonSchema(schema, document);
//
// Supported keywords: $ref (local "#/..." pointers), type (one or a list;
// "integer" means a number without a fraction), properties, required,
// additionalProperties (bool or schema), items (one schema), minItems,
// uniqueItems, minimum, maximum, enum, pattern (ECMAScript regex, searched
// anywhere as JSON Schema says), anyOf, oneOf, allOf, not, and the formats
// uri, uri-reference (RFC 3986 character set and percent-escapes; uri also
// needs a scheme) and date-time (RFC 3339). Anything else fails loudly
// (an "unsupported keyword" error), so a schema this cannot check is never
// reported valid by mistake. Annotations (title, description, default, id,
// $schema, definitions) are ignored.
#pragma once

#include <cctype>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace iam_audit::testing {

namespace schema_detail {

inline bool IsUriChar(unsigned char c) {
  static const std::string kAllowed =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%";
  return kAllowed.find(static_cast<char>(c)) != std::string::npos;
}

inline bool IsUriReference(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!IsUriChar(c)) return false;
    if (c == '%' && (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
                     !std::isxdigit(static_cast<unsigned char>(s[i + 2])))) {
      return false;
    }
  }
  // A relative reference's first segment cannot contain ':' (RFC 3986 4.2).
  static const std::regex kScheme("^[A-Za-z][A-Za-z0-9+.-]*:");
  const std::size_t colon = s.find(':');
  const std::size_t slash = s.find('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) {
    return std::regex_search(s, kScheme);
  }
  return true;
}

inline bool IsUri(const std::string& s) {
  static const std::regex kScheme("^[A-Za-z][A-Za-z0-9+.-]*:");
  return IsUriReference(s) && std::regex_search(s, kScheme);
}

inline bool IsDateTime(const std::string& s) {
  static const std::regex kDateTime(
      R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)");
  return std::regex_match(s, kDateTime);
}

class Validator {
 public:
  explicit Validator(const nlohmann::json& root) : root_(root) {}

  void Validate(const nlohmann::json& schema, const nlohmann::json& value, const std::string& path,
                std::vector<std::string>* errors) const {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) errors->push_back(path + ": schema false");
      return;
    }
    if (!schema.is_object()) {
      errors->push_back(path + ": schema is not an object");
      return;
    }
    static const std::set<std::string> kIgnored = {"title", "description", "default",
                                                   "id",    "$schema",     "definitions"};
    static const std::set<std::string> kKnown = {
        "$ref",  "type",     "properties",  "required", "additionalProperties",
        "items", "minItems", "uniqueItems", "minimum",  "maximum",
        "enum",  "pattern",  "anyOf",       "oneOf",    "allOf",
        "not",   "format"};
    for (const auto& [key, unused] : schema.items()) {
      if (!kIgnored.count(key) && !kKnown.count(key)) {
        errors->push_back(path + ": unsupported schema keyword '" + key + "'");
      }
    }
    if (schema.contains("$ref")) {
      Validate(Resolve(schema["$ref"].get<std::string>()), value, path, errors);
      return;  // draft-04: $ref replaces the other keywords
    }
    if (schema.contains("type") && !TypeMatches(schema["type"], value)) {
      errors->push_back(path + ": expected type " + schema["type"].dump() + ", got " +
                        value.type_name());
      return;
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const auto& e : schema["enum"]) found = found || e == value;
      if (!found)
        errors->push_back(path + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    }
    if (value.is_number()) {
      if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
        errors->push_back(path + ": " + value.dump() + " < minimum " + schema["minimum"].dump());
      }
      if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
        errors->push_back(path + ": " + value.dump() + " > maximum " + schema["maximum"].dump());
      }
    }
    if (value.is_string()) {
      const std::string s = value.get<std::string>();
      if (schema.contains("pattern") &&
          !std::regex_search(s, std::regex(schema["pattern"].get<std::string>()))) {
        errors->push_back(path + ": '" + s + "' does not match " + schema["pattern"].dump());
      }
      if (schema.contains("format")) {
        const std::string f = schema["format"].get<std::string>();
        const bool ok = f == "uri"             ? IsUri(s)
                        : f == "uri-reference" ? IsUriReference(s)
                        : f == "date-time"     ? IsDateTime(s)
                                               : false;
        if (!ok) errors->push_back(path + ": '" + s + "' is not a valid " + f);
      }
    }
    if (value.is_array()) {
      if (schema.contains("minItems") && value.size() < schema["minItems"].get<std::size_t>()) {
        errors->push_back(path + ": fewer than " + schema["minItems"].dump() + " items");
      }
      if (schema.value("uniqueItems", false)) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          for (std::size_t j = i + 1; j < value.size(); ++j) {
            if (value[i] == value[j])
              errors->push_back(path + ": items " + std::to_string(i) + " and " +
                                std::to_string(j) + " are equal");
          }
        }
      }
      if (schema.contains("items")) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          Validate(schema["items"], value[i], path + "/" + std::to_string(i), errors);
        }
      }
    }
    if (value.is_object()) {
      if (schema.contains("required")) {
        for (const auto& name : schema["required"]) {
          if (!value.contains(name.get<std::string>())) {
            errors->push_back(path + ": missing required property '" + name.get<std::string>() +
                              "'");
          }
        }
      }
      const nlohmann::json empty = nlohmann::json::object();
      const nlohmann::json& props = schema.contains("properties") ? schema["properties"] : empty;
      for (const auto& [key, v] : value.items()) {
        const std::string child = path + "/" + key;
        if (props.contains(key)) {
          Validate(props[key], v, child, errors);
        } else if (schema.contains("additionalProperties")) {
          const nlohmann::json& extra = schema["additionalProperties"];
          if (extra.is_boolean() && !extra.get<bool>()) {
            errors->push_back(child + ": property not allowed");
          } else if (extra.is_object()) {
            Validate(extra, v, child, errors);
          }
        }
      }
    }
    if (schema.contains("allOf")) {
      for (const auto& s : schema["allOf"]) Validate(s, value, path, errors);
    }
    if (schema.contains("anyOf") || schema.contains("oneOf")) {
      const bool one = schema.contains("oneOf");
      std::size_t passing = 0;
      for (const auto& s : schema[one ? "oneOf" : "anyOf"]) {
        std::vector<std::string> sub;
        Validate(s, value, path, &sub);
        if (sub.empty()) ++passing;
      }
      if (passing == 0 || (one && passing != 1)) {
        errors->push_back(path + ": " + std::to_string(passing) + " of the " +
                          (one ? "oneOf" : "anyOf") + " schemas match");
      }
    }
    if (schema.contains("not")) {
      std::vector<std::string> sub;
      Validate(schema["not"], value, path, &sub);
      if (sub.empty()) errors->push_back(path + ": matches a 'not' schema");
    }
  }

 private:
  static bool TypeMatches(const nlohmann::json& type, const nlohmann::json& value) {
    if (type.is_array()) {
      for (const auto& t : type) {
        if (TypeMatches(t, value)) return true;
      }
      return false;
    }
    const std::string t = type.get<std::string>();
    if (t == "object") return value.is_object();
    if (t == "array") return value.is_array();
    if (t == "string") return value.is_string();
    if (t == "boolean") return value.is_boolean();
    if (t == "null") return value.is_null();
    if (t == "number") return value.is_number();
    if (t == "integer") {
      return value.is_number_integer() ||
             (value.is_number_float() &&
              value.get<double>() == static_cast<long long>(value.get<double>()));
    }
    return false;
  }

  const nlohmann::json& Resolve(const std::string& ref) const {
    if (ref == "#") return root_;
    if (ref.rfind("#/", 0) != 0) throw std::runtime_error("unsupported $ref " + ref);
    return root_.at(nlohmann::json::json_pointer(ref.substr(1)));
  }

  const nlohmann::json& root_;
};

}  // namespace schema_detail

// Every place `document` breaks `schema` (empty: valid).
inline std::vector<std::string> ValidateJsonSchema(const nlohmann::json& schema,
                                                   const nlohmann::json& document) {
  std::vector<std::string> errors;
  schema_detail::Validator(schema).Validate(schema, document, "", &errors);
  return errors;
}

}  // namespace iam_audit::testing
