#include "iam_audit/action_pattern.h"

namespace iam_audit {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void SetError(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

}  // namespace

// One pass over the text (the policy parser and the evaluator check each of
// the 60,891 Action entries of the AWS managed policies): whitespace and
// control characters are all <= 0x20, and the colons are counted on the way.
bool ActionPattern::IsValid(std::string_view text, std::string* error) {
  // Built only for an error: valid actions are the hot path of a parse.
  const auto quoted = [text] { return "'" + std::string(text) + "'"; };
  if (text.empty()) {
    SetError(error, "empty action");
    return false;
  }
  std::size_t colon = std::string_view::npos;
  std::size_t colons = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) <= 0x20) {
      SetError(error, "action " + quoted() +
                          (IsSpace(c) ? " contains whitespace" : " contains a control character"));
      return false;
    }
    if (c == ':' && colons++ == 0) colon = i;
  }
  if (text == "*" || text == "*:*") return true;
  if (colons == 0) {
    SetError(error, "action " + quoted() + " has no ':' between service prefix and action name");
    return false;
  }
  if (colons > 1) {
    SetError(error, "action " + quoted() + " has more than one ':'");
    return false;
  }
  if (colon == 0) {
    SetError(error, "action " + quoted() + " has an empty service prefix");
    return false;
  }
  if (colon + 1 == text.size()) {
    SetError(error, "action " + quoted() + " has an empty action name");
    return false;
  }
  return true;
}

std::optional<ActionPattern> ActionPattern::Parse(std::string_view text, std::string* error) {
  if (!IsValid(text, error)) return std::nullopt;
  ActionPattern p;
  p.text_ = std::string(text);
  if (text == "*" || text == "*:*") {
    p.all_ = true;
    p.service_ = Glob::Compile("*", Glob::Case::kInsensitive);
    p.name_ = p.service_;
    return p;
  }
  const std::size_t colon = text.find(':');
  p.service_ = Glob::Compile(text.substr(0, colon), Glob::Case::kInsensitive);
  p.name_ = Glob::Compile(text.substr(colon + 1), Glob::Case::kInsensitive);
  p.all_ = p.service_.MatchesEverything() && p.name_.MatchesEverything();
  return p;
}

bool ActionPattern::Matches(std::string_view service, std::string_view name) const {
  return all_ || (service_.Matches(service) && name_.Matches(name));
}

bool ActionPattern::Matches(std::string_view action) const {
  if (all_) return true;
  const std::size_t colon = action.find(':');
  if (colon == std::string_view::npos) return false;
  return Matches(action.substr(0, colon), action.substr(colon + 1));
}

}  // namespace iam_audit
