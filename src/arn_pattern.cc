#include "iam_audit/arn_pattern.h"

#include <span>
#include <utility>
#include <vector>

#include "glob_engine.h"

namespace iam_audit {
namespace {

using glob_internal::XToken;

constexpr std::string_view kArnPrefix = "arn:";
constexpr int kFields = 5;  // partition, service, region, account, resource
constexpr int kResourceField = 4;

bool IsLiteral(const Glob::Token& t, char c) {
  return t.kind == Glob::TokenKind::kLiteral && t.literal == c;
}

Glob::Case FieldCase(int field) {
  return field == kResourceField ? Glob::Case::kSensitive : Glob::Case::kInsensitive;
}

// The whole-string token sequence an ARN-shaped pattern stands for: "arn:",
// four case-insensitive fields whose wildcards never match ':', separated by
// ':', then the resource part (any characters, case-sensitive).
std::vector<XToken> ArnShapedTokens(const std::array<Glob, 5>& fields) {
  std::vector<XToken> out;
  glob_internal::AppendLiteral(kArnPrefix, &out);
  for (int i = 0; i < kResourceField; ++i) {
    glob_internal::AppendTokens(fields[i], /*colon_free=*/true, &out);
    glob_internal::AppendLiteral(":", &out);
  }
  glob_internal::AppendTokens(fields[kResourceField], /*colon_free=*/false, &out);
  return out;
}

std::vector<XToken> WholeTokens(const Glob& g) {
  std::vector<XToken> out;
  glob_internal::AppendTokens(g, /*colon_free=*/false, &out);
  return out;
}

// Containment for one of the first four fields: over strings without ':'.
bool FieldCovers(const Glob& p, const Glob& q) {
  // Glob::Covers decides these without exploring wildcards, and the answer is
  // the same over colon-free strings (q's literal has no ':'; a q wildcard
  // stands for more than one colon-free string).
  if (p.MatchesEverything() || !p.HasWildcards() || !q.HasWildcards() || p == q) {
    return p.Covers(q);
  }
  // Fields 0-3 fold case, in both patterns.
  return glob_internal::CoversSameCase(p, q, /*colon_free=*/true);
}

}  // namespace

std::optional<Arn> Arn::Parse(std::string_view text) {
  if (!text.starts_with(kArnPrefix)) return std::nullopt;
  std::array<std::string_view, kFields> f;
  std::size_t start = kArnPrefix.size();
  for (int i = 0; i < kResourceField; ++i) {
    const std::size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    f[i] = text.substr(start, colon - start);
    start = colon + 1;
  }
  f[kResourceField] = text.substr(start);
  return Arn{f[0], f[1], f[2], f[3], f[4], text};
}

std::string_view Arn::field(int i) const {
  switch (i) {
    case 0:
      return partition;
    case 1:
      return service;
    case 2:
      return region;
    case 3:
      return account;
    default:
      return resource;
  }
}

ArnPattern ArnPattern::Compile(std::string_view text) {
  ArnPattern p = FromGlob(Glob::Compile(text, Glob::Case::kSensitive));
  p.text_ = std::string(text);
  return p;
}

// The fields are runs of `whole`'s tokens, built in place (no token vectors:
// the evaluator compiles every static Resource entry through here).
ArnPattern ArnPattern::FromGlob(const Glob& whole) {
  ArnPattern p;
  p.text_ = whole.ToString();
  p.all_ = whole.MatchesEverything();
  const std::span<const Glob::Token> t = whole.tokens();
  bool arn_prefix = t.size() >= kArnPrefix.size();
  for (std::size_t i = 0; arn_prefix && i < kArnPrefix.size(); ++i) {
    arn_prefix = IsLiteral(t[i], kArnPrefix[i]);
  }
  if (!p.all_ && arn_prefix) {
    // Split at the first four literal ':' after "arn:"; the rest is the resource.
    std::array<std::size_t, kFields + 1> begin{};  // field i is t[begin[i], begin[i + 1] - 1)
    int field = 0;
    begin[0] = kArnPrefix.size();
    for (std::size_t i = kArnPrefix.size(); i < t.size() && field < kResourceField; ++i) {
      if (IsLiteral(t[i], ':')) begin[++field] = i + 1;
    }
    begin[field + 1] = t.size() + 1;
    const auto run = [&](int i) { return t.subspan(begin[i], begin[i + 1] - 1 - begin[i]); };
    const int present = field + 1;
    const bool complete = present == kFields;
    // The spill rule: a pattern cut short whose last character is a `*`.
    const bool spill =
        !complete && !run(field).empty() && run(field).back().kind == Glob::TokenKind::kAnyRun;
    if (complete || spill) {
      static constexpr Glob::Token kStar[] = {{Glob::TokenKind::kAnyRun, 0}};
      p.arn_shaped_ = true;
      p.spill_ = spill;
      for (int i = 0; i < kFields; ++i) {
        p.fields_[i] = Glob::FromTokens(i < present ? run(i) : kStar, FieldCase(i));
      }
      return p;
    }
  }
  p.whole_ = whole;
  return p;
}

bool ArnPattern::Matches(std::string_view arn) const {
  if (all_) return true;
  if (!arn_shaped_) return whole_.Matches(arn);
  const std::optional<Arn> parsed = Arn::Parse(arn);
  return parsed && Matches(*parsed);
}

bool ArnPattern::Matches(const Arn& arn) const {
  if (all_) return true;
  if (!arn_shaped_) return whole_.Matches(arn.text);
  for (int i = 0; i < kFields; ++i) {
    if (!fields_[i].Matches(arn.field(i))) return false;
  }
  return true;
}

// Both ARN-shaped: the language of a pattern is the product of its field
// languages (an ARN splits into fields in exactly one way, and no field's
// language is empty), so containment and intersection are field-wise.
bool ArnPattern::Covers(const ArnPattern& other) const {
  if (all_) return true;
  if (other.all_) return false;  // `other` matches "" and non-ARNs; we don't
  if (arn_shaped_ && other.arn_shaped_) {
    for (int i = 0; i < kResourceField; ++i) {
      if (!FieldCovers(fields_[i], other.fields_[i])) return false;
    }
    return fields_[kResourceField].Covers(other.fields_[kResourceField]);
  }
  if (arn_shaped_) {
    // `other` is a whole-string glob that is not ARN-shaped: it either does
    // not start with the literal "arn:" or has fewer than five literal ':' and
    // no final `*`. Either way it matches some string that is not an ARN
    // (choose its wildcards away from "arn:" / away from ':'), which we don't.
    return false;
  }
  if (other.arn_shaped_) {
    return glob_internal::Covers(WholeTokens(whole_), ArnShapedTokens(other.fields_)) ==
           glob_internal::Answer::kYes;
  }
  return whole_.Covers(other.whole_);
}

bool ArnPattern::Overlaps(const ArnPattern& other) const {
  if (all_ || other.all_) return true;
  if (arn_shaped_ && other.arn_shaped_) {
    for (int i = 0; i < kFields; ++i) {
      // Fields 0-3 hold no literal ':', so a common string can always avoid ':'.
      if (!fields_[i].Overlaps(other.fields_[i])) return false;
    }
    return true;
  }
  if (arn_shaped_) {
    return glob_internal::Overlaps(ArnShapedTokens(fields_), WholeTokens(other.whole_));
  }
  if (other.arn_shaped_) {
    return glob_internal::Overlaps(WholeTokens(whole_), ArnShapedTokens(other.fields_));
  }
  return whole_.Overlaps(other.whole_);
}

}  // namespace iam_audit
