// The `when` condition language of profile groups (docs/profiles.md, "when"):
// a tokenizer, a recursive-descent parser and the evaluator.
#include <algorithm>

#include "ascii.h"
#include "iam_audit/glob.h"
#include "iam_audit/profile.h"
#include "profile_internal.h"

namespace iam_audit {
namespace profile_internal {
namespace {

struct CondToken {
  enum Kind { kIdent, kString, kLParen, kRParen, kEq, kNe, kEnd, kBad } kind;
  std::string text;
  std::size_t offset;
};

class ConditionParser {
 public:
  using VariableLookup = std::function<const ProfileVariable*(std::string_view)>;

  ConditionParser(std::string_view text, VariableLookup lookup)
      : text_(text), lookup_(std::move(lookup)) {
    Tokenize();
  }

  // On error returns nullopt with the message and the byte offset.
  std::optional<WhenCondition> Parse() {
    std::optional<WhenCondition> c = ParseOr();
    if (c && Peek().kind != CondToken::kEnd) {
      Fail(Peek().offset, "unexpected " + Describe(Peek()) + " (expected 'and', 'or' or the end)");
      return std::nullopt;
    }
    if (c) c->text = std::string(text_);
    return c;
  }
  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

 private:
  void Tokenize() {
    std::size_t i = 0;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (c == '(') {
        tokens_.push_back({CondToken::kLParen, "(", i++});
      } else if (c == ')') {
        tokens_.push_back({CondToken::kRParen, ")", i++});
      } else if (text_.compare(i, 2, "==") == 0) {
        tokens_.push_back({CondToken::kEq, "==", i});
        i += 2;
      } else if (text_.compare(i, 2, "!=") == 0) {
        tokens_.push_back({CondToken::kNe, "!=", i});
        i += 2;
      } else if (c == '\'' || c == '"') {
        const std::size_t close = text_.find(c, i + 1);
        if (close == std::string_view::npos) {
          tokens_.push_back({CondToken::kBad, "unterminated string", i});
          return;
        }
        tokens_.push_back({CondToken::kString, std::string(text_.substr(i + 1, close - i - 1)), i});
        i = close + 1;
      } else if (IsIdentifierStart(c)) {
        std::size_t j = i;
        while (j < text_.size() && IsIdentifierChar(text_[j])) ++j;
        tokens_.push_back({CondToken::kIdent, std::string(text_.substr(i, j - i)), i});
        i = j;
      } else {
        tokens_.push_back({CondToken::kBad, std::string("character '") + c + "'", i});
        return;
      }
    }
    tokens_.push_back({CondToken::kEnd, "", text_.size()});
  }

  const CondToken& Peek() const { return tokens_[std::min(pos_, tokens_.size() - 1)]; }
  const CondToken& Next() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  bool PeekKeyword(std::string_view kw) const {
    return Peek().kind == CondToken::kIdent && Peek().text == kw;
  }

  static std::string Describe(const CondToken& t) {
    switch (t.kind) {
      case CondToken::kEnd:
        return "end of condition";
      case CondToken::kBad:
        return t.text;
      case CondToken::kString:
        return "string '" + t.text + "'";
      default:
        return "'" + t.text + "'";
    }
  }

  void Fail(std::size_t offset, std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_offset_ = offset;
    }
  }

  std::optional<WhenCondition> ParseBinary(WhenCondition::Kind kind, std::string_view keyword,
                                           std::optional<WhenCondition> (ConditionParser::*sub)()) {
    std::optional<WhenCondition> first = (this->*sub)();
    if (!first || !PeekKeyword(keyword)) return first;
    WhenCondition node;
    node.kind = kind;
    node.operands.push_back(std::move(*first));
    while (PeekKeyword(keyword)) {
      Next();
      std::optional<WhenCondition> more = (this->*sub)();
      if (!more) return std::nullopt;
      node.operands.push_back(std::move(*more));
    }
    return node;
  }

  std::optional<WhenCondition> ParseOr() {
    return ParseBinary(WhenCondition::Kind::kOr, "or", &ConditionParser::ParseAnd);
  }
  std::optional<WhenCondition> ParseAnd() {
    return ParseBinary(WhenCondition::Kind::kAnd, "and", &ConditionParser::ParseNot);
  }
  // A run of 'not's is read in a loop and folds to one negation or none, so
  // its length costs no stack ("not not x" is x: the values are two-valued).
  std::optional<WhenCondition> ParseNot() {
    bool negate = false;
    while (PeekKeyword("not")) {
      Next();
      negate = !negate;
    }
    std::optional<WhenCondition> inner = ParseTest();
    if (!inner || !negate) return inner;
    WhenCondition node;
    node.kind = WhenCondition::Kind::kNot;
    node.operands.push_back(std::move(*inner));
    return node;
  }

  std::optional<WhenCondition> ParseTest() {
    const CondToken& t = Next();
    if (t.kind == CondToken::kLParen) {
      if (depth_ == kMaxWhenDepth) {
        Fail(t.offset, "parentheses nested deeper than " + std::to_string(kMaxWhenDepth) +
                           " levels (the limit of a 'when' condition)");
        return std::nullopt;
      }
      ++depth_;
      std::optional<WhenCondition> inner = ParseOr();
      --depth_;
      if (!inner) return std::nullopt;
      if (Peek().kind != CondToken::kRParen) {
        Fail(Peek().offset, "expected ')' but found " + Describe(Peek()));
        return std::nullopt;
      }
      Next();
      return inner;
    }
    if (t.kind != CondToken::kIdent || t.text == "and" || t.text == "or" || t.text == "matches") {
      Fail(t.offset, "expected a variable, 'not', 'true', 'false' or '(' but found " + Describe(t));
      return std::nullopt;
    }
    if (t.text == "true" || t.text == "false") {
      WhenCondition node;
      node.constant = t.text == "true";
      return node;
    }
    if (t.text == "lower" && Peek().kind == CondToken::kLParen) return ParseLower(t);
    return ParseComparison(t, /*ignore_case=*/false);
  }

  // lower(VAR) op LITERAL: compares the variable's value in lower case (names
  // the tool itself lower-cases, such as Athena catalog names).
  std::optional<WhenCondition> ParseLower(const CondToken& lower) {
    Next();  // '('
    const CondToken& var = Next();
    if (var.kind != CondToken::kIdent) {
      Fail(var.offset, "expected a variable in 'lower(...)' but found " + Describe(var));
      return std::nullopt;
    }
    if (Peek().kind != CondToken::kRParen) {
      Fail(Peek().offset, "expected ')' but found " + Describe(Peek()));
      return std::nullopt;
    }
    Next();
    const CondToken& op = Peek();
    if (op.kind != CondToken::kEq && op.kind != CondToken::kNe &&
        !(op.kind == CondToken::kIdent && op.text == "matches")) {
      Fail(lower.offset, "'lower(" + var.text + ")' must be compared: ==, != or matches");
      return std::nullopt;
    }
    if (const ProfileVariable* v = lookup_(var.text); v && v->type != VariableType::kString &&
                                                      v->type != VariableType::kS3Location &&
                                                      v->type != VariableType::kAccountId) {
      Fail(lower.offset, "'lower' applies to string variables; '" + var.text + "' is a " +
                             std::string(VariableTypeName(v->type)));
      return std::nullopt;
    }
    std::optional<WhenCondition> node = ParseComparison(var, /*ignore_case=*/true);
    if (!node) return std::nullopt;
    if (std::any_of(node->literal.begin(), node->literal.end(),
                    [](char c) { return c >= 'A' && c <= 'Z'; })) {
      Fail(op.offset, "'lower(" + var.text + ")' is compared with '" + node->literal +
                          "', which has upper-case letters and so never matches");
      return std::nullopt;
    }
    return node;
  }

  // VAR, or VAR op LITERAL.
  std::optional<WhenCondition> ParseComparison(const CondToken& t, bool ignore_case) {
    const ProfileVariable* var = lookup_(t.text);
    if (!var) {
      Fail(t.offset, "unknown variable '" + t.text + "' in condition");
      return std::nullopt;
    }
    WhenCondition node;
    node.variable = t.text;
    node.ignore_case = ignore_case;
    const CondToken& op = Peek();
    const bool is_matches = op.kind == CondToken::kIdent && op.text == "matches";
    if (op.kind != CondToken::kEq && op.kind != CondToken::kNe && !is_matches) {
      if (var->type == VariableType::kBool) {  // a bool is true when it is "true"
        node.kind = WhenCondition::Kind::kEquals;
        node.literal = "true";
      } else {
        node.kind = WhenCondition::Kind::kVariable;
      }
      return node;
    }
    Next();
    node.kind = is_matches                  ? WhenCondition::Kind::kMatches
                : op.kind == CondToken::kEq ? WhenCondition::Kind::kEquals
                                            : WhenCondition::Kind::kNotEquals;
    const CondToken& lit = Next();
    if (var->type == VariableType::kList) {
      Fail(op.offset, "list variable '" + t.text + "' cannot be compared with '" + op.text +
                          "'; use it alone (true when the list is not empty)");
      return std::nullopt;
    }
    if (var->type == VariableType::kBool) {
      if (is_matches || lit.kind != CondToken::kIdent ||
          (lit.text != "true" && lit.text != "false")) {
        Fail(is_matches ? op.offset : lit.offset,
             "bool variable '" + t.text + "' can only be compared with == or != true/false");
        return std::nullopt;
      }
      node.literal = lit.text;
      return node;
    }
    if (lit.kind != CondToken::kString) {
      Fail(lit.offset,
           "expected a quoted string after '" + op.text + "' but found " + Describe(lit));
      return std::nullopt;
    }
    node.literal = lit.text;
    return node;
  }

  std::string_view text_;
  VariableLookup lookup_;
  std::vector<CondToken> tokens_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_offset_ = 0;
  int depth_ = 0;  // open parentheses: bounds the recursion (and the tree's depth)
};

}  // namespace

std::optional<WhenCondition> ParseWhen(std::string_view text, const VariableLookup& lookup,
                                       WhenError* error) {
  ConditionParser parser(text, lookup);
  std::optional<WhenCondition> c = parser.Parse();
  if (!c && error) {
    error->offset = parser.error_offset();
    error->message = parser.error();
  }
  return c;
}

}  // namespace profile_internal

bool WhenCondition::Evaluate(const Bindings& bindings) const {
  const auto value = [&]() -> std::string {
    const auto it = bindings.find(variable);
    if (it == bindings.end() || it->second.items.empty()) return {};
    return ignore_case ? ascii::Lower(it->second.items.front()) : it->second.items.front();
  };
  switch (kind) {
    case Kind::kConstant:
      return constant;
    case Kind::kVariable: {
      const auto it = bindings.find(variable);
      if (it == bindings.end() || it->second.items.empty()) return false;
      return it->second.items.size() > 1 || !it->second.items.front().empty();
    }
    case Kind::kNot:
      return !operands.front().Evaluate(bindings);
    case Kind::kAnd:
      return std::all_of(operands.begin(), operands.end(),
                         [&](const WhenCondition& c) { return c.Evaluate(bindings); });
    case Kind::kOr:
      return std::any_of(operands.begin(), operands.end(),
                         [&](const WhenCondition& c) { return c.Evaluate(bindings); });
    case Kind::kEquals:
      return value() == literal;
    case Kind::kNotEquals:
      return value() != literal;
    case Kind::kMatches:
      return Glob::Compile(literal).Matches(value());
  }
  return false;
}

}  // namespace iam_audit
