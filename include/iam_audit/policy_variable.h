// PolicyTemplate: a string from a policy (a Resource entry or a String/Arn
// condition value) split into literal text and policy variables.
//
//   "arn:aws:s3:::bucket/${aws:username}/*"
//   "${aws:PrincipalTag/team, 'company-wide'}"   (variable with a default)
//   "${*}" "${?}" "${$}"                          (the literal characters * ? $)
//
// Syntax (AWS "IAM policy elements: Variables and tags"): `${` KEY `}` or
// `${` KEY `, '` DEFAULT `'}` (single quotes, comma and one space). `${*}`,
// `${?}`, `${$}` are the escapes. A `${` with no closing `}`, and an empty
// `${}`, are literal text (Access Analyzer reports both as errors; IAM cannot
// substitute them). Keys are kept as written; lookups compare them
// case-insensitively (that is the Lookup's job).
//
// Instantiate() substitutes the variables from a request context and returns
// the Glob to match with: `*`/`?` written in the policy stay wildcards, while
// substituted values, defaults and the ${*} ${?} ${$} escapes are literal (a
// user name containing `*` never becomes a wildcard). A variable with no value
// in the context and no default makes the whole string match nothing (AWS:
// "Policy variables with no value"); the result reports that and, in
// three-valued mode, which key was missing.
//
// Under Version 2008-10-17 (or no Version) variables are not recognised:
// Parse(text, /*variables=*/false) treats `${...}` as literal text, with its
// `*` and `?` still wildcards ("${*}" is then "${", a wildcard, "}").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/glob.h"

namespace iam_audit {

class PolicyTemplate {
 public:
  struct Part {
    enum class Kind { kText, kVariable, kEscape } kind;
    std::string text;      // kText: raw text (wildcards live); kEscape: the literal char
    std::string variable;  // kVariable: the key, e.g. "aws:PrincipalTag/team"
    std::optional<std::string> default_value;  // kVariable: the ', 'default'' part
  };

  static PolicyTemplate Parse(std::string_view text, bool variables, Glob::Case c);

  bool HasVariables() const { return has_variables_; }
  // No variables and no escapes: the template is its text as written (nearly
  // every Resource entry and condition value).
  bool IsPlainText() const {
    return parts_.empty() || (parts_.size() == 1 && parts_[0].kind == Part::Kind::kText);
  }
  // The keys of the variables used, in order of first use, each once (keys
  // that differ only in case count as one; the first spelling is kept).
  std::vector<std::string> VariableKeys() const;
  const std::vector<Part>& parts() const { return parts_; }
  const std::string& text() const { return text_; }

  // Looks up a single-valued context key (case-insensitive key compare is the
  // caller's job). nullopt: the key is absent.
  using Lookup = std::function<std::optional<std::string>(std::string_view key)>;

  struct Instance {
    std::optional<Glob> glob;      // nullopt: a variable had no value -> matches nothing
    std::string missing_variable;  // the variable that had no value, if any
  };
  Instance Instantiate(const Lookup& lookup) const;
  // Without variables, the Glob is fixed: this returns it.
  const Glob& StaticGlob() const { return static_glob_; }

 private:
  std::string text_;
  Glob::Case case_ = Glob::Case::kSensitive;
  std::vector<Part> parts_;
  bool has_variables_ = false;
  Glob static_glob_;
};

}  // namespace iam_audit
