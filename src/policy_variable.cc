#include "iam_audit/policy_variable.h"

#include <algorithm>
#include <utility>

#include "ascii.h"

namespace iam_audit {
namespace {

using ascii::EqualsIgnoreCase;

constexpr std::string_view kOpen = "${";
constexpr std::string_view kDefaultSeparator = ", '";
constexpr std::string_view kDefaultClose = "'}";

// ${*} ${?} ${$}: the character each escape stands for.
bool IsEscapeChar(std::string_view inner) {
  return inner.size() == 1 && (inner[0] == '*' || inner[0] == '?' || inner[0] == '$');
}

void AppendText(std::vector<PolicyTemplate::Part>* parts, std::string_view text) {
  if (text.empty()) return;
  if (!parts->empty() && parts->back().kind == PolicyTemplate::Part::Kind::kText) {
    parts->back().text += text;
    return;
  }
  parts->push_back({PolicyTemplate::Part::Kind::kText, std::string(text), {}, std::nullopt});
}

// Text written in the policy: `*` and `?` are wildcards.
void AppendPolicyText(std::string_view text, std::vector<Glob::Token>* out) {
  for (char c : text) {
    if (c == '*') {
      out->push_back({Glob::TokenKind::kAnyRun, 0});
    } else if (c == '?') {
      out->push_back({Glob::TokenKind::kAnyOne, 0});
    } else {
      out->push_back({Glob::TokenKind::kLiteral, c});
    }
  }
}

// Substituted text: every character literal.
void AppendLiteralText(std::string_view text, std::vector<Glob::Token>* out) {
  for (char c : text) out->push_back({Glob::TokenKind::kLiteral, c});
}

}  // namespace

PolicyTemplate PolicyTemplate::Parse(std::string_view text, bool variables, Glob::Case c) {
  PolicyTemplate t;
  t.text_ = std::string(text);
  t.case_ = c;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = variables ? text.find(kOpen, pos) : std::string_view::npos;
    if (open == std::string_view::npos) {
      AppendText(&t.parts_, text.substr(pos));
      break;
    }
    AppendText(&t.parts_, text.substr(pos, open - pos));
    const std::size_t body = open + kOpen.size();
    const std::size_t close = text.find('}', body);
    if (close == std::string_view::npos) {
      // Unterminated: the rest is literal text (wildcards in it stay live).
      AppendText(&t.parts_, text.substr(open));
      break;
    }
    std::string_view inner = text.substr(body, close - body);
    std::size_t end = close + 1;
    if (IsEscapeChar(inner)) {
      t.parts_.push_back({Part::Kind::kEscape, std::string(inner), {}, std::nullopt});
      pos = end;
      continue;
    }
    // KEY, 'DEFAULT'}: the default may itself contain '}', so it ends at "'}".
    std::optional<std::string> default_value;
    const std::size_t sep = text.substr(body).find(kDefaultSeparator);
    if (sep != std::string_view::npos) {
      const std::size_t key_end = body + sep;
      const std::string_view key = text.substr(body, sep);
      const std::size_t value_start = key_end + kDefaultSeparator.size();
      const std::size_t value_end = text.find(kDefaultClose, value_start);
      // Only when the key part is a plain key (no '}' before the separator).
      if (value_end != std::string_view::npos && key.find('}') == std::string_view::npos) {
        inner = key;
        default_value = std::string(text.substr(value_start, value_end - value_start));
        end = value_end + kDefaultClose.size();
      }
    }
    if (inner.empty()) {
      // "${}" (or "${, 'x'}"): not a variable IAM can substitute; literal text.
      AppendText(&t.parts_, text.substr(open, end - open));
      pos = end;
      continue;
    }
    t.parts_.push_back({Part::Kind::kVariable, {}, std::string(inner), std::move(default_value)});
    t.has_variables_ = true;
    pos = end;
  }
  if (t.IsPlainText()) {
    // Plain text (nearly every Resource entry): its glob is the text's, with
    // its wildcards live.
    t.static_glob_ = Glob::Compile(text, c);
  } else if (!t.has_variables_) {
    Instance fixed = t.Instantiate([](std::string_view) { return std::nullopt; });
    t.static_glob_ = std::move(*fixed.glob);
  }
  return t;
}

std::vector<std::string> PolicyTemplate::VariableKeys() const {
  std::vector<std::string> keys;
  for (const Part& part : parts_) {
    if (part.kind != Part::Kind::kVariable) continue;
    const bool seen = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
      return EqualsIgnoreCase(k, part.variable);
    });
    if (!seen) keys.push_back(part.variable);
  }
  return keys;
}

PolicyTemplate::Instance PolicyTemplate::Instantiate(const Lookup& lookup) const {
  std::vector<Glob::Token> tokens;
  tokens.reserve(text_.size());
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Part::Kind::kText:
        AppendPolicyText(part.text, &tokens);
        break;
      case Part::Kind::kEscape:
        AppendLiteralText(part.text, &tokens);
        break;
      case Part::Kind::kVariable: {
        std::optional<std::string> value = lookup(part.variable);
        if (!value) value = part.default_value;
        if (!value) return Instance{std::nullopt, part.variable};
        AppendLiteralText(*value, &tokens);
        break;
      }
    }
  }
  return Instance{Glob::FromTokens(std::move(tokens), case_), {}};
}

}  // namespace iam_audit
