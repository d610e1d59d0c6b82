// ActionPattern: one entry of a policy's Action / NotAction, e.g. "s3:Get*",
// "kms:GenerateDataKey*", "*", "*:Describe*".
//
// IAM compares the service prefix and the action name case-insensitively;
// `*` matches any run of characters and `?` exactly one, in either part. The
// bare "*" matches every action of every service.
//
// Parse() checks the grammar only (a service prefix, one ':', an action name,
// no whitespace); whether the pattern names real actions is the catalog's
// business (see Catalog and ExpandActions in action_set.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam_audit/glob.h"

namespace iam_audit {

class ActionPattern {
 public:
  // On error returns nullopt and, when `error` is given, a message saying what
  // is wrong (e.g. "action 's3GetObject' has no ':' between service and action").
  static std::optional<ActionPattern> Parse(std::string_view text, std::string* error = nullptr);
  // Parse's grammar check alone, without building the pattern (the policy
  // parser checks every Action entry; the evaluator builds them).
  static bool IsValid(std::string_view text, std::string* error = nullptr);

  // `action` is "service:Name"; case-insensitive.
  bool Matches(std::string_view action) const;
  bool Matches(std::string_view service, std::string_view name) const;

  bool MatchesAllActions() const { return all_; }  // "*" (or "*:*")
  bool HasServiceWildcard() const { return service_.HasWildcards(); }
  bool HasWildcards() const { return all_ || service_.HasWildcards() || name_.HasWildcards(); }
  const Glob& service() const { return service_; }
  const Glob& name() const { return name_; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool all_ = false;
  Glob service_;
  Glob name_;
};

}  // namespace iam_audit
