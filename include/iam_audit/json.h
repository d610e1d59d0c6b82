// json: a strict JSON reader that remembers where every value came from.
//
// nlohmann::json cannot say on which line a value was written, and IAM
// findings must point at their source, so policies are read with this reader.
// It accepts exactly RFC 8259 JSON in UTF-8, and keeps:
//   - the 1-based line and column (in bytes, see diagnostic.h) of every value
//     and of every object key;
//   - object members in document order, duplicates included (they are
//     reported as errors: tools disagree on which duplicate wins);
//   - numbers as their original text ("42", "1.50", "1e3"): IAM compares
//     condition values such as 42 or true as text, so no conversion is done.
//
// Parse() reports every problem it can find, each as FILE:LINE:COLUMN. Errors
// inside a well-formed structure are "recoverable": invalid UTF-8 and control
// characters in strings, a byte-order mark between tokens (one is accepted only
// at the very start), bad escapes, duplicate keys (also in objects left open by
// a later syntax error), trailing commas and content after the document are
// all reported and parsing goes on. (U+FEFF inside a string is valid JSON and
// accepted here; policies reject it through IAM's character set.) A structural
// syntax error (a missing ',' or '}', an unterminated string...) ends the
// parse. Result.complete tells the two cases apart: when true,
// document.root() holds the whole document.
//
// Limits (hostile input must cost neither the stack nor unbounded memory):
//   - documents larger than ParseOptions::max_bytes (32 MiB) are rejected
//     before any parsing;
//   - nesting deeper than max_depth (256) is an error at the offending
//     bracket. The parser itself is iterative, so the limit protects the
//     recursive code that walks the result, not the parser;
//   - after max_errors (100) errors the parse stops with "too many errors".
// After an error the affected string's contents are unspecified (a bad byte or
// a lone surrogate is kept as it was, so the string is not valid UTF-8).
// Memory is about 24 bytes per scalar plus 48 per object member, allocated
// from one arena owned by the Document, plus a copy of the input text.
//
// Values are small views into the Document that owns them: copy them freely,
// but keep the Document (or the ParseResult) alive while you use them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "iam_audit/diagnostic.h"

namespace iam_audit::json {

inline constexpr std::size_t kMaxDocumentBytes = std::size_t{32} << 20;  // 32 MiB
inline constexpr int kMaxDepth = 256;
inline constexpr std::size_t kMaxErrors = 100;

enum class Type : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

// "null", "boolean", "number", "string", "array", "object" (for messages).
std::string_view TypeName(Type type);

struct Member;
class Document;

class Value {
 public:
  Value() = default;  // null, with no location

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // Where the value starts: its first character (the opening quote of a
  // string, the bracket of an array or object).
  SourceLocation where() const { return where_; }

  // Accessors return an empty/false value when the type does not match.
  bool AsBool() const { return type_ == Type::kBool && bool_; }
  // The string's contents, escapes decoded (may contain NUL bytes).
  std::string_view AsString() const {
    return type_ == Type::kString ? std::string_view(static_cast<const char*>(data_), size_)
                                  : std::string_view();
  }
  // The number exactly as written.
  std::string_view NumberText() const {
    return type_ == Type::kNumber ? std::string_view(static_cast<const char*>(data_), size_)
                                  : std::string_view();
  }
  // A scalar as IAM reads it: string contents, number text, "true"/"false",
  // "null". Empty for arrays and objects.
  std::string_view ScalarText() const;

  std::span<const Value> Elements() const;  // arrays
  std::span<const Member> Members() const;  // objects
  // Number of elements or members (0 for scalars).
  std::size_t size() const { return is_array() || is_object() ? size_ : 0; }
  // The first member named `key` (exact, case-sensitive), or nullptr.
  const Value* Find(std::string_view key) const;

 private:
  friend class Document;
  Value(Type type, SourceLocation where, std::uint32_t size, const void* data, bool b = false)
      : where_(where), type_(type), bool_(b), size_(size), data_(data) {}

  SourceLocation where_;
  Type type_ = Type::kNull;
  bool bool_ = false;
  std::uint32_t size_ = 0;
  const void* data_ = nullptr;
};

struct Member {
  Value key;  // always a string; key.where() is the key's opening quote
  Value value;
  std::string_view name() const { return key.AsString(); }
};

inline std::span<const Value> Value::Elements() const {
  return type_ == Type::kArray ? std::span<const Value>(static_cast<const Value*>(data_), size_)
                               : std::span<const Value>();
}
inline std::span<const Member> Value::Members() const {
  return type_ == Type::kObject ? std::span<const Member>(static_cast<const Member*>(data_), size_)
                                : std::span<const Member>();
}

// Owns the storage behind a tree of Values. Parse() fills one; code that
// converts another format (YAML, a template...) into Values can build one
// with the Make* functions, which copy their inputs into the document.
// Move-only; a moved-from Document must not be used.
class Document {
 public:
  Document();
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;

  const Value& root() const { return root_; }
  void set_root(const Value& root) { root_ = root; }

  Value MakeNull(SourceLocation where) const { return Value(Type::kNull, where, 0, nullptr); }
  Value MakeBool(bool b, SourceLocation where) const {
    return Value(Type::kBool, where, 0, nullptr, b);
  }
  // `text` should be a JSON number; it is stored as given.
  Value MakeNumber(std::string_view text, SourceLocation where);
  Value MakeString(std::string_view text, SourceLocation where);
  Value MakeArray(std::span<const Value> elements, SourceLocation where);
  // Members are kept as given (duplicate keys are not checked here).
  Value MakeObject(std::span<const Member> members, SourceLocation where);

 private:
  friend class Reader;  // json.cc
  struct Storage;
  // Text that already lives in this document's storage is not copied again.
  Value ViewString(Type type, const char* data, std::size_t size, SourceLocation where) const {
    return Value(type, where, static_cast<std::uint32_t>(size), data);
  }
  void* Allocate(std::size_t bytes);
  Value MakeContainer(Type type, const Value* values, std::size_t count, SourceLocation where);

  std::unique_ptr<Storage> storage_;
  Value root_;
};

struct ParseOptions {
  std::size_t max_bytes = kMaxDocumentBytes;
  int max_depth = kMaxDepth;
  std::size_t max_errors = kMaxErrors;
};

struct ParseResult {
  Document document;
  Diagnostics errors;  // sorted by location
  // True when the whole text was read: errors, if any, were recoverable and
  // document.root() is the complete document. False after a fatal error
  // (the root is then null).
  bool complete = false;

  const Value& value() const { return document.root(); }
  bool ok() const { return complete && errors.empty(); }
};

// Parses one JSON document. `file` names it in diagnostics. A UTF-8
// byte-order mark at the very start is skipped (columns on line 1 then count
// from the character after it).
ParseResult Parse(std::string_view text, const std::string& file, const ParseOptions& options = {});

}  // namespace iam_audit::json
