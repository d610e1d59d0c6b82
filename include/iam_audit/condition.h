// Condition: the request context and compiled Condition blocks.
//
// A Condition block is a list of `operator -> key -> values` clauses
// (policy.h ConditionClause). ConditionBlock::Compile() turns them into a
// ConditionBlock once: operator names are parsed (an unknown operator is an
// error at the operator's location), values are pre-parsed for their operator
// (numbers, dates, CIDRs, base64, ARN and string patterns with their policy
// variables), keys are case-folded. Evaluating a block against a request
// context then does no parsing of policy text.
//
// Semantics (AWS "IAM JSON policy elements: Condition operators" and
// "Conditions with multiple context keys or values"; docs/evaluation.md has
// the quotes and every edge case):
//   - clauses AND together; the values of one clause OR together; a negated
//     operator (StringNotEquals, NotIpAddress, ArnNotLike, ...) is the
//     complement of its positive form, so its values NOR together;
//   - a key absent from the context makes a plain operator false and a negated
//     one true; `...IfExists` is true; `ForAllValues:` is true and
//     `ForAnyValue:` false; `Null` tests presence;
//   - `ForAllValues:`/`ForAnyValue:` apply the operator to every value of a
//     multi-valued key; a plain operator given a key with several values
//     compares nothing (positive: false, negated: true);
//   - condition keys compare case-insensitively, values as the operator says;
//   - a value the operator cannot read (a Bool or Null value other than
//     "true"/"false", a Numeric value that is no number, a malformed date,
//     CIDR or base-64) is accepted, as IAM accepts it (Access Analyzer: "Type
//     mismatch" general warnings), and matches no request, so a negated
//     operator holds for it (lint: condition-value-never-matches). A policy
//     variable in a Numeric, Date, IpAddress, Binary or Null value is an error.
//
// Three-valued evaluation: with MissingKeys::kUnknown a key (or a policy
// variable) that the context does not supply is "unknown" rather than
// "absent": a clause that depends on it evaluates to Truth::kUnknown and the
// key is reported through EvalContext. A key the context lists with no values
// is known to be absent from the request (a profile saying "direct calls carry
// no aws:CalledVia") and evaluates as absent in both modes. Both modes run the
// same code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/arn_pattern.h"
#include "iam_audit/condition_value.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_variable.h"

namespace iam_audit {

// Kleene three-valued logic.
enum class Truth : std::uint8_t { kFalse, kTrue, kUnknown };
constexpr Truth TruthOf(bool b) { return b ? Truth::kTrue : Truth::kFalse; }
constexpr Truth TruthNot(Truth t) {
  return t == Truth::kUnknown ? t : (t == Truth::kTrue ? Truth::kFalse : Truth::kTrue);
}
constexpr Truth TruthAnd(Truth a, Truth b) {
  if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
  return (a == Truth::kTrue && b == Truth::kTrue) ? Truth::kTrue : Truth::kUnknown;
}
constexpr Truth TruthOr(Truth a, Truth b) {
  if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
  return (a == Truth::kFalse && b == Truth::kFalse) ? Truth::kFalse : Truth::kUnknown;
}
std::string_view TruthName(Truth t);  // "false", "true", "unknown"

// The condition keys of a request and their values. Keys compare ASCII
// case-insensitively ("aws:CurrentTime" is "AWS:currenttime"); each key holds
// a list of values (a single-valued key holds one). A key with an empty list
// is absent from the request, and known to be (see DeclaresAbsent).
class RequestContext {
 public:
  // Appends `value` to `key`'s values (repeating a key builds a list).
  void Add(std::string_view key, std::string value);
  // Replaces `key`'s values.
  void Set(std::string_view key, std::vector<std::string> values);
  // The values of `key`, or nullptr when the key is absent (or has no values).
  const std::vector<std::string>* Find(std::string_view key) const;
  // The same for a key already lower-cased (the fast path).
  const std::vector<std::string>* FindLower(std::string_view lower_key) const;
  // True when the lower-cased key is listed with no values: the request is
  // known not to carry it (three-valued evaluation treats it as absent, not
  // unknown).
  bool DeclaresAbsent(std::string_view lower_key) const;

  struct Entry {
    std::string key;  // as first given
    std::string lower_key;
    std::vector<std::string> values;
  };
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  Entry* FindEntry(std::string_view key);
  std::vector<Entry> entries_;  // few keys: a linear scan beats hashing
};

// What a key missing from the context means.
enum class MissingKeys : std::uint8_t {
  kAbsent,   // the key is not in the request (AWS's runtime view)
  kUnknown,  // the key's value is not known (audits): results depend on it
};

// The per-evaluation environment: the context, the mode, and where to report
// keys that were consulted but not supplied.
class EvalContext {
 public:
  EvalContext(const RequestContext& context, MissingKeys mode,
              std::vector<std::string_view>* missing = nullptr)
      : context_(context), mode_(mode), missing_(missing) {}

  const std::vector<std::string>* Find(std::string_view key) const { return context_.Find(key); }
  const std::vector<std::string>* FindLower(std::string_view lower_key) const {
    return context_.FindLower(lower_key);
  }
  bool unknown_mode() const { return mode_ == MissingKeys::kUnknown; }
  // A key the context declares absent is absent even in kUnknown mode.
  bool Unknown(std::string_view lower_key) const {
    return unknown_mode() && !context_.DeclaresAbsent(lower_key);
  }
  // `key` must outlive the report (keys come from compiled policies).
  void NoteMissing(std::string_view key) const {
    if (missing_) missing_->push_back(key);
  }

 private:
  const RequestContext& context_;
  MissingKeys mode_;
  std::vector<std::string_view>* missing_;
};

// ---------------------------------------------------------------------------
// Operators

enum class ConditionOperator : std::uint8_t {
  kStringEquals,
  kStringNotEquals,
  kStringEqualsIgnoreCase,
  kStringNotEqualsIgnoreCase,
  kStringLike,
  kStringNotLike,
  kNumericEquals,
  kNumericNotEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateNotEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kNotIpAddress,
  kArnEquals,
  kArnLike,
  kArnNotEquals,
  kArnNotLike,
  kNull,
};

enum class ConditionCategory : std::uint8_t {
  kString,
  kNumeric,
  kDate,
  kBool,
  kBinary,
  kIpAddress,
  kArn,
  kNull,
};

enum class SetQualifier : std::uint8_t { kNone, kForAllValues, kForAnyValue };

// An operator name as written in a policy, parsed:
// [ForAllValues:|ForAnyValue:]<Operator>[IfExists]. Names are matched
// case-insensitively.
struct ParsedOperator {
  ConditionOperator op = ConditionOperator::kStringEquals;
  SetQualifier qualifier = SetQualifier::kNone;
  bool if_exists = false;

  // nullopt for an unknown name (and for NullIfExists or a qualified Null);
  // `error` then says why.
  static std::optional<ParsedOperator> Parse(std::string_view text, std::string* error = nullptr);

  ConditionCategory category() const;
  bool negated() const;           // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool wildcards() const;         // `*`/`?` in values are wildcards: StringLike, Arn operators
  bool ignore_case() const;       // values compare ignoring case: *IgnoreCase, Bool
  std::string_view name() const;  // the base operator's canonical name
  std::string ToString() const;   // canonical spelling, qualifier and IfExists included
};

// The canonical names of every base operator (for help and tests).
std::vector<std::string_view> ConditionOperatorNames();

// ---------------------------------------------------------------------------
// Compiled clauses

// One policy value of a String, Arn or Bool clause: its template (variables
// and escapes), and the fixed pattern when it has no variables.
struct ConditionTextValue {
  PolicyTemplate tmpl;
  std::vector<std::string> lower_keys;   // with variables: per part of tmpl (LowerVariableKeys)
  std::optional<Glob> static_glob;       // without variables: the pattern
  std::optional<ArnPattern> static_arn;  // Arn operators without variables
};
class CompiledCondition {
 public:
  // Compiles one clause. `variables`: the policy's Version supports policy
  // variables. On error returns nullopt and appends diagnostics (in `file`).
  static std::optional<CompiledCondition> Compile(const ConditionClause& clause, bool variables,
                                                  const std::string& file, Diagnostics* errors);

  Truth Evaluate(const EvalContext& env) const;

  const ParsedOperator& op() const { return op_; }
  const std::string& key() const { return key_; }                     // as written
  const std::vector<std::string>& values() const { return values_; }  // as written
  SourceLocation where() const { return where_; }                     // the operator
  // True when a value contains a policy variable.
  bool HasVariables() const;
  // The condition keys this clause reads: its key, plus the keys of the
  // policy variables in its values (for "which keys does this depend on").
  std::vector<std::string> ReferencedKeys() const;

 private:
  Truth EvaluateValue(const std::string& request_value, const EvalContext& env) const;
  // A policy variable of a value has no value (absent without a default, or
  // multivalued) and is not unknown: the statement is invalid.
  bool VariableWithoutValue(const EvalContext& env) const;
  Truth MatchPositive(const std::string& request_value, const EvalContext& env) const;

  ParsedOperator op_;
  std::string key_;
  std::string key_lower_;
  std::vector<std::string> values_;
  SourceLocation where_;

  // Pre-parsed policy values; only the vector of the clause's category is used.
  std::vector<ConditionTextValue> texts_;  // String, Arn, Bool
  std::vector<double> numbers_;            // Numeric
  std::vector<std::int64_t> times_;        // Date (microseconds since the epoch)
  std::vector<std::string> binaries_;      // Binary (decoded bytes)
  std::vector<Cidr> cidrs_;                // IpAddress
  bool null_true_ = false;                 // Null: some value is "true"
  bool null_false_ = false;                // Null: some value is "false"
};

// A statement's whole Condition element: clauses that AND together.
class ConditionBlock {
 public:
  // Compiles every clause; reports every error (not only the first).
  static std::optional<ConditionBlock> Compile(const std::vector<ConditionClause>& clauses,
                                               bool variables, const std::string& file,
                                               Diagnostics* errors);

  // Kleene AND of the clauses (true for an empty block). In kUnknown mode all
  // clauses are evaluated so that a false one wins over an unknown one.
  Truth Evaluate(const EvalContext& env) const;

  bool empty() const { return clauses_.empty(); }
  const std::vector<CompiledCondition>& clauses() const { return clauses_; }

 private:
  std::vector<CompiledCondition> clauses_;
};

// ---------------------------------------------------------------------------
// Helpers shared with the evaluator (and tested on their own).

// Substitutes the policy variables of `tmpl` from `env`'s context and returns
// the Glob to match with. `text_wildcards`: `*`/`?` written in the text are
// wildcards (StringLike, ArnLike, Resource) or literal (StringEquals...).
// Substituted values and the ${*} ${?} ${$} escapes are always literal. A
// variable takes its value from a single-valued key, else its default
// (`${key, 'default'}`); a missing or multi-valued key without a default
// leaves the variable without a value:
//   - kAbsent mode, or a multi-valued key: the result is nullopt (AWS: the
//     string then matches nothing);
//   - kUnknown mode and the key is not in the context: the variable becomes a
//     `*` wildcard (every value it could take), `*unknown` is set and the key
//     is reported missing. A match against that glob is only "possible".
// `lower_keys` are the variables' keys, lower-cased, one per part of `tmpl`
// (empty for non-variable parts): see LowerVariableKeys().
std::optional<Glob> InstantiateTemplate(const PolicyTemplate& tmpl,
                                        const std::vector<std::string>& lower_keys,
                                        bool text_wildcards, Glob::Case c, const EvalContext& env,
                                        bool* unknown);
std::vector<std::string> LowerVariableKeys(const PolicyTemplate& tmpl);

}  // namespace iam_audit
