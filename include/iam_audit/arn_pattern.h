// Arn and ArnPattern: IAM resource ARNs and the patterns of Resource /
// NotResource and the Arn* condition operators.
//
// An ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where RESOURCE is
// everything after the fifth colon (it may contain ':' and '/'). The exact
// matching rules, with the AWS documentation each comes from and the disputed
// points, are in docs/arn-matching.md; in short:
//   - a pattern of "*" matches every resource;
//   - a pattern that starts with "arn:" and has all six fields is compared
//     field by field with Glob wildcards (`*`, `?`); a wildcard in partition,
//     service, region or account never matches ':'; those four fields compare
//     case-insensitively, the resource part case-sensitively;
//   - the resource part is one field: `*` in it crosses '/' and ':';
//   - a pattern cut short (fewer than six fields) whose last character is a
//     `*` wildcard: that `*` extends past the colons that follow, i.e. the
//     missing fields are `*` ("arn:aws:logs:us-east-1:*" covers every log
//     group and stream of every account in us-east-1). A `*` that ends a field
//     of a full six-field pattern does NOT cross colons (AWS's ArnLike example);
//   - any other pattern (not starting with "arn:", or cut short without a
//     final `*`) is compared as one case-sensitive glob against the whole
//     string, so it matches no real ARN unless its wildcards allow it.
//
// Matches, Covers and Overlaps agree exactly: Covers(q) is true iff every
// string q Matches is matched by this pattern, Overlaps(q) iff some string is
// matched by both (over all strings, ARN-shaped or not).
//
// Patterns here are already free of policy variables: substitute them first
// (policy_variable.h) and build the pattern from the resulting Glob tokens.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "iam_audit/glob.h"

namespace iam_audit {

// A concrete ARN split into its six fields (views into the original text).
struct Arn {
  std::string_view partition, service, region, account, resource;
  std::string_view text;  // the whole ARN
  // nullopt if `text` is not "arn:" followed by at least five ':'-separated
  // fields (i.e. at least five colons in all). Fields may be empty.
  static std::optional<Arn> Parse(std::string_view text);
  std::string_view field(int i) const;  // 0 partition ... 4 resource
};

class ArnPattern {
 public:
  // A pattern from text where `*` and `?` are wildcards. Never fails: text that
  // does not look like an ARN is compared as one glob against the whole ARN
  // (IAM does the same for malformed Resource entries: they just don't match).
  static ArnPattern Compile(std::string_view text);
  // The same from tokens (after policy-variable substitution). `whole` is
  // expected to be case-sensitive (PolicyTemplate::Parse with kSensitive);
  // the fields get their own case rules.
  static ArnPattern FromGlob(const Glob& whole);

  bool Matches(std::string_view arn) const;
  // The same for an ARN already parsed (evaluate many patterns, parse once).
  bool Matches(const Arn& arn) const;
  // Containment and intersection between patterns (see Glob::Covers/Overlaps),
  // field by field, with the same rules as Matches.
  bool Covers(const ArnPattern& other) const;
  bool Overlaps(const ArnPattern& other) const;

  bool MatchesEverything() const { return all_; }  // "*" (or "**"...)
  bool IsArnShaped() const { return arn_shaped_; }
  // The pattern was cut short and its final `*` stands for the missing fields.
  bool UsesSpill() const { return spill_; }
  const std::string& text() const { return text_; }
  // ARN-shaped patterns: partition, service, region, account (case-insensitive)
  // and resource (case-sensitive); missing fields of a spilled pattern are `*`.
  const std::array<Glob, 5>& fields() const { return fields_; }
  // Not ARN-shaped: the whole-string glob.
  const Glob& whole() const { return whole_; }

 private:
  std::string text_;
  bool arn_shaped_ = false;
  bool all_ = false;
  bool spill_ = false;
  Glob whole_;                  // when not ARN-shaped
  std::array<Glob, 5> fields_;  // partition, service, region, account, resource
};

}  // namespace iam_audit
