#include "iam_audit/json.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#include "utf8.h"

namespace iam_audit::json {

static_assert(sizeof(Value) <= 24, "Value should stay small: documents hold millions of them");
static_assert(sizeof(Member) == 2 * sizeof(Value));
static_assert(std::is_trivially_copyable_v<Value> && std::is_trivially_destructible_v<Value>);

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kNumber:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "?";
}

std::string_view Value::ScalarText() const {
  switch (type_) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return bool_ ? "true" : "false";
    case Type::kNumber:
    case Type::kString:
      return std::string_view(static_cast<const char*>(data_), size_);
    case Type::kArray:
    case Type::kObject:
      break;
  }
  return {};
}

const Value* Value::Find(std::string_view key) const {
  for (const Member& m : Members()) {
    if (m.name() == key) return &m.value;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Document storage: a bump allocator over blocks that never move.

struct Document::Storage {
  static constexpr std::size_t kMinBlock = 1024;
  static constexpr std::size_t kMaxBlock = std::size_t{1} << 20;

  std::vector<std::unique_ptr<std::byte[]>> blocks;
  std::byte* cursor = nullptr;
  std::size_t left = 0;
  std::size_t next_block = kMinBlock;

  void* Allocate(std::size_t bytes) {
    bytes = (bytes + 7) & ~std::size_t{7};
    if (bytes > left) {
      if (bytes > next_block / 2) {  // big: a block of its own, keep the current one
        blocks.push_back(std::make_unique_for_overwrite<std::byte[]>(bytes));
        return blocks.back().get();
      }
      blocks.push_back(std::make_unique_for_overwrite<std::byte[]>(next_block));
      cursor = blocks.back().get();
      left = next_block;
      next_block = std::min(next_block * 2, kMaxBlock);
    }
    void* out = cursor;
    cursor += bytes;
    left -= bytes;
    return out;
  }
};

Document::Document() : storage_(std::make_unique<Storage>()) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

void* Document::Allocate(std::size_t bytes) { return storage_->Allocate(bytes); }

Value Document::MakeNumber(std::string_view text, SourceLocation where) {
  Value v = MakeString(text, where);
  v.type_ = Type::kNumber;
  return v;
}

Value Document::MakeString(std::string_view text, SourceLocation where) {
  char* data = nullptr;
  if (!text.empty()) {
    data = static_cast<char*>(Allocate(text.size()));
    std::memcpy(data, text.data(), text.size());
  }
  return Value(Type::kString, where, static_cast<std::uint32_t>(text.size()), data);
}

// For arrays `values` holds `count` elements; for objects 2 * `count` values,
// key and value alternately (the layout of Member).
Value Document::MakeContainer(Type type, const Value* values, std::size_t count,
                              SourceLocation where) {
  if (count == 0) return Value(type, where, 0, nullptr);
  if (type == Type::kArray) {
    Value* out = static_cast<Value*>(Allocate(count * sizeof(Value)));
    std::uninitialized_copy_n(values, count, out);
    return Value(type, where, static_cast<std::uint32_t>(count), out);
  }
  Member* out = static_cast<Member*>(Allocate(count * sizeof(Member)));
  for (std::size_t i = 0; i < count; ++i) new (out + i) Member{values[2 * i], values[2 * i + 1]};
  return Value(type, where, static_cast<std::uint32_t>(count), out);
}

Value Document::MakeArray(std::span<const Value> elements, SourceLocation where) {
  return MakeContainer(Type::kArray, elements.data(), elements.size(), where);
}

Value Document::MakeObject(std::span<const Member> members, SourceLocation where) {
  if (members.empty()) return Value(Type::kObject, where, 0, nullptr);
  Member* out = static_cast<Member*>(Allocate(members.size() * sizeof(Member)));
  std::uninitialized_copy(members.begin(), members.end(), out);
  return Value(Type::kObject, where, static_cast<std::uint32_t>(members.size()), out);
}

// ---------------------------------------------------------------------------
// Helpers for messages.

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Bytes that end the fast scan of a string's contents: '"', '\\', control
// characters and every non-ASCII byte (those are validated one by one).
constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = true;
  t['"'] = false;
  t['\\'] = false;
  return t;
}();

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// True when one of the 8 bytes of `w` is not a plain string byte.
inline bool HasSpecialByte(std::uint64_t w) {
  const std::uint64_t quote = w ^ (kOnes * '"');
  const std::uint64_t backslash = w ^ (kOnes * '\\');
  const std::uint64_t control = (w - kOnes * 0x20) & ~w;  // a byte < 0x20 (or >= 0x80)
  const std::uint64_t zero_quote = (quote - kOnes) & ~quote;
  const std::uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
  return ((control | zero_quote | zero_backslash | w) & kHighs) != 0;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (short-circuits at the first non-digit, so it never
// reads past a NUL sentinel).
bool Hex4(const char* p, char32_t* out) {
  char32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(p[i]);
    if (d < 0) return false;
    v = (v << 4) | static_cast<char32_t>(d);
  }
  *out = v;
  return true;
}

std::string ControlCharName(unsigned char c) {
  switch (c) {
    case '\n':
      return "line feed (U+000A)";
    case '\r':
      return "carriage return (U+000D)";
    case '\t':
      return "tab (U+0009)";
    default:
      return utf8::CodePointName(c);
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// The reader: one iterative pass over a private, NUL-padded copy of the text.

class Reader {
 public:
  Reader(const std::string& file, const ParseOptions& options, ParseResult& result)
      : file_(file), options_(options), result_(result), doc_(result.document) {}

  void Run(std::string_view text);

 private:
  struct Stop {};  // thrown to end the parse after a fatal error
  struct Frame {
    std::size_t first;  // index in stack_ of the container's first child
    SourceLocation where;
    bool object;
  };
  // Zero bytes after the copied text: the scanners stop at them, and the
  // 8-byte string scanner may read up to 7 bytes past the end.
  static constexpr std::size_t kPadding = 8;

  SourceLocation At(const char* p) const { return {line_, static_cast<int>(p - line_start_) + 1}; }
  void Error(SourceLocation where, std::string message);
  [[noreturn]] void Fatal(SourceLocation where, std::string message);
  // Where a token was expected, for the hints Unexpected() adds.
  enum class Position { kValue, kKey, kOther };
  [[noreturn]] void Unexpected(std::string_view expected, Position position);
  std::string Describe(const char* p) const;

  void SkipWhitespace() {
    for (;;) {
      const char c = *p_;
      if (c == ' ' || c == '\t' || c == '\r') {
        ++p_;
      } else if (c == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
      } else {
        return;
      }
    }
  }
  bool SkipStrayBom();

  Value ParseTree();
  bool AddToContainers(Value& v);
  void ParseKey();
  Value Close();
  void CheckDuplicateKeys(const Value* pairs, std::size_t count);
  void CheckOpenObjects();
  Value ParseString();
  Value ParseStringSlow(const char* begin, const char* q, SourceLocation where);
  const char* DecodeEscape(const char* q, SourceLocation string_where);
  Value ParseNumber();
  Value ParseLiteral();

  static const char* ScanPlain(const char* q) {
    for (;;) {
      std::uint64_t w;
      std::memcpy(&w, q, sizeof w);
      if (HasSpecialByte(w)) break;
      q += sizeof w;
    }
    while (kPlainStringByte[static_cast<unsigned char>(*q)]) ++q;
    return q;
  }

  const std::string& file_;
  const ParseOptions& options_;
  ParseResult& result_;
  Document& doc_;

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* line_start_ = nullptr;
  int line_ = 1;
  bool too_many_errors_ = false;

  std::vector<Value> stack_;  // children of the open containers, in order
  std::vector<Frame> frames_;
  std::string scratch_;               // decoded contents of strings with escapes
  std::vector<std::uint32_t> order_;  // duplicate-key detection in big objects
};

void Reader::Error(SourceLocation where, std::string message) {
  if (result_.errors.size() >= options_.max_errors) {
    too_many_errors_ = true;
    throw Stop{};
  }
  result_.errors.push_back(Diagnostic{file_, where, std::move(message)});
}

void Reader::Fatal(SourceLocation where, std::string message) {
  Error(where, std::move(message));
  throw Stop{};
}

std::string Reader::Describe(const char* p) const {
  if (p >= end_) return "the end of the input";
  const unsigned char c = static_cast<unsigned char>(*p);
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  if (c < 0x80) return "control character " + ControlCharName(c);
  char32_t cp;
  if (utf8::Decode(p, end_, &cp) == 0) return "invalid UTF-8 byte 0x" + utf8::HexByte(c);
  std::string out = "character " + utf8::CodePointName(cp);
  if (cp == 0xA0) out += " (a no-break space; JSON whitespace is space, tab, CR and LF only)";
  return out;
}

void Reader::Unexpected(std::string_view expected, Position position) {
  std::string message = "expected " + std::string(expected) + ", found " + Describe(p_);
  if (p_ < end_) {
    const char c = *p_;
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
    if (c == '\'') {
      message += " (JSON strings use double quotes)";
    } else if (c == '/') {
      message += " (JSON has no comments)";
    } else if (position == Position::kKey && (letter || c == '_')) {
      message += " (object keys must be strings in double quotes)";
    } else if (position == Position::kValue && letter) {
      message += " (the only JSON literals are true, false and null, in lower case)";
    }
  }
  Fatal(At(p_), std::move(message));
}

bool Reader::SkipStrayBom() {
  if (static_cast<std::size_t>(end_ - p_) < kBom.size() ||
      std::string_view(p_, kBom.size()) != kBom) {
    return false;
  }
  Error(At(p_),
        "byte-order mark (U+FEFF) in the middle of the document: a BOM is allowed only "
        "at the very start of the file");
  p_ += kBom.size();
  SkipWhitespace();
  return true;
}

void Reader::Run(std::string_view text) {
  if (text.size() > options_.max_bytes ||
      text.size() > std::numeric_limits<std::uint32_t>::max() - kPadding) {
    result_.errors.push_back(Diagnostic{
        file_,
        {},
        "document is " + std::to_string(text.size()) + " bytes, over the limit of " +
            std::to_string(options_.max_bytes) + " bytes (IAM policies are far smaller)"});
    return;
  }
  doc_.storage_->next_block = std::clamp(std::bit_ceil(text.size()), Document::Storage::kMinBlock,
                                         Document::Storage::kMaxBlock);
  char* copy = static_cast<char*>(doc_.Allocate(text.size() + kPadding));
  std::memcpy(copy, text.data(), text.size());
  std::memset(copy + text.size(), 0, kPadding);
  p_ = line_start_ = copy;
  stack_.reserve(64);
  frames_.reserve(16);
  end_ = copy + text.size();
  if (text.substr(0, kBom.size()) == kBom) p_ = line_start_ = copy + kBom.size();

  try {
    SkipWhitespace();
    if (p_ == end_) Fatal(At(p_), "empty document: expected a JSON value");
    const Value root = ParseTree();
    SkipWhitespace();
    while (SkipStrayBom()) {
    }
    if (p_ != end_) {
      Error(At(p_), "unexpected " + Describe(p_) +
                        " after the end of the JSON document (a document holds one value)");
    }
    doc_.set_root(root);
    result_.complete = true;
  } catch (const Stop&) {
    result_.complete = false;
    // Objects left open by the error may already hold duplicate keys.
    try {
      if (!too_many_errors_) CheckOpenObjects();
    } catch (const Stop&) {
    }
  }
  SortByLocation(result_.errors);
  if (too_many_errors_) {
    const SourceLocation last =
        result_.errors.empty() ? SourceLocation{} : result_.errors.back().where;
    result_.errors.push_back(Diagnostic{
        file_, last, "too many errors (" + std::to_string(options_.max_errors) + "); stopped"});
  }
}

// The whole value tree, without recursion: containers being read are on
// frames_, their finished children on stack_.
Value Reader::ParseTree() {
  Value v;
  for (;;) {
    // Read one value, or open a container and go on with its first child.
    SkipWhitespace();
    switch (*p_) {
      case '{':
      case '[': {
        const bool object = *p_ == '{';
        const SourceLocation where = At(p_);
        if (frames_.size() >= static_cast<std::size_t>(options_.max_depth)) {
          Fatal(where, "nesting deeper than " + std::to_string(options_.max_depth) +
                           " levels (the limit for a policy document)");
        }
        frames_.push_back(Frame{stack_.size(), where, object});
        ++p_;
        SkipWhitespace();
        if (*p_ == (object ? '}' : ']')) {
          ++p_;
          v = Close();
          break;
        }
        if (object) ParseKey();
        continue;
      }
      case '"':
        v = ParseString();
        break;
      case 't':
      case 'f':
      case 'n':
        v = ParseLiteral();
        break;
      case '-':
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
      case '8':
      case '9':
        v = ParseNumber();
        break;
      default:
        if (SkipStrayBom()) continue;
        Unexpected("a JSON value", Position::kValue);
    }
    if (AddToContainers(v)) return v;
  }
}

// `v` is complete: adds it to its container, and closes every container that
// ends right after it (`v` is then the closed container). True when `v` is
// the whole document; false when the next value of a container is to be read
// (after its ',' and, in an object, its key).
bool Reader::AddToContainers(Value& v) {
  for (;;) {
    if (frames_.empty()) return true;
    stack_.push_back(v);
    const bool object = frames_.back().object;
    const char close = object ? '}' : ']';
    SkipWhitespace();
    if (*p_ == ',') {
      const SourceLocation comma = At(p_);
      ++p_;
      SkipWhitespace();
      if (*p_ == close) {
        Error(comma,
              std::string("trailing comma before '") + close + "' (JSON does not allow one)");
        ++p_;
        v = Close();
        continue;
      }
      if (object) ParseKey();
      return false;
    }
    if (*p_ == close) {
      ++p_;
      v = Close();
      continue;
    }
    if (SkipStrayBom()) {
      stack_.pop_back();
      continue;
    }
    Unexpected(object ? "',' or '}' after an object member" : "',' or ']' after an array element",
               Position::kOther);
  }
}

// An object key and its ':' (p_ is at the key, after whitespace).
void Reader::ParseKey() {
  while (*p_ != '"') {
    if (!SkipStrayBom()) Unexpected("an object key (a string in double quotes)", Position::kKey);
  }
  stack_.push_back(ParseString());
  SkipWhitespace();
  while (*p_ != ':') {
    if (!SkipStrayBom()) Unexpected("':' after an object key", Position::kOther);
  }
  ++p_;
}

Value Reader::Close() {
  const Frame frame = frames_.back();
  frames_.pop_back();
  const Value* first = stack_.data() + frame.first;
  const std::size_t n = stack_.size() - frame.first;
  Value v;
  if (frame.object) {
    CheckDuplicateKeys(first, n / 2);
    v = doc_.MakeContainer(Type::kObject, first, n / 2, frame.where);
  } else {
    v = doc_.MakeContainer(Type::kArray, first, n, frame.where);
  }
  stack_.resize(frame.first);
  return v;
}

void Reader::CheckDuplicateKeys(const Value* pairs, std::size_t count) {
  const auto key = [&](std::size_t i) { return pairs[2 * i].AsString(); };
  const auto report = [&](std::size_t dup, std::size_t first) {
    Error(pairs[2 * dup].where(), "duplicate key " + Quoted(key(dup)) + " (first at " +
                                      LocationText(pairs[2 * first].where()) +
                                      "): JSON readers disagree on which value wins");
  };
  if (count < 2) return;
  if (count <= 16) {
    for (std::size_t i = 1; i < count; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (key(i) == key(j)) {
          report(i, j);
          break;
        }
      }
    }
    return;
  }
  // Big objects: sort member indexes by key; equal keys end up adjacent, in
  // document order (stable sort), so no hostile object costs O(n^2).
  order_.resize(count);
  for (std::size_t i = 0; i < count; ++i) order_[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order_.begin(), order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  for (std::size_t i = 1, run = 0; i < count; ++i) {
    if (key(order_[i]) == key(order_[run])) {
      report(order_[i], order_[run]);
    } else {
      run = i;
    }
  }
}

void Reader::CheckOpenObjects() {
  for (std::size_t i = 0; i < frames_.size(); ++i) {
    if (!frames_[i].object) continue;
    const std::size_t first = frames_[i].first;
    const std::size_t end = i + 1 < frames_.size() ? frames_[i + 1].first : stack_.size();
    // Keys sit at even offsets; the last key may still lack its value.
    CheckDuplicateKeys(stack_.data() + first, (end - first + 1) / 2);
  }
}

Value Reader::ParseString() {
  const SourceLocation where = At(p_);
  const char* const begin = p_ + 1;
  const char* const q = ScanPlain(begin);
  if (*q == '"') {
    p_ = q + 1;
    return doc_.ViewString(Type::kString, begin, static_cast<std::size_t>(q - begin), where);
  }
  return ParseStringSlow(begin, q, where);
}

// A string with escapes, control characters or non-ASCII bytes. Contents stay
// a view into the text unless an escape had to be decoded.
Value Reader::ParseStringSlow(const char* begin, const char* q, SourceLocation where) {
  bool decoded = false;
  const char* run = begin;  // when decoded: raw bytes [run, q) not yet in scratch_
  scratch_.clear();
  for (;;) {
    q = ScanPlain(q);
    const unsigned char c = static_cast<unsigned char>(*q);
    if (c == '"') break;
    if (c == '\\') {
      scratch_.append(run, q);
      decoded = true;
      q = DecodeEscape(q, where);
      run = q;
    } else if (c < 0x20) {
      if (q >= end_) Fatal(where, "unterminated string (no closing '\"')");
      Error(At(q), "control character " + ControlCharName(c) +
                       " in a string: JSON requires it to be escaped (e.g. \\n, \\t, \\u0001)");
      if (c == '\n') {
        ++line_;
        line_start_ = q + 1;
      }
      ++q;
    } else {
      char32_t cp;
      const int len = utf8::Decode(q, end_, &cp);
      if (len > 0) {
        q += len;
        continue;
      }
      // One error for a run of bytes that are not UTF-8. (U+FEFF inside a
      // string is valid JSON; IAM's character set rule rejects it in policies.)
      const SourceLocation at = At(q);
      std::string bytes;
      int count = 0;
      for (; q < end_ && static_cast<unsigned char>(*q) >= 0x80 && utf8::Decode(q, end_, &cp) == 0;
           ++q, ++count) {
        if (count < 8)
          bytes += (count > 0 ? " 0x" : "0x") + utf8::HexByte(static_cast<unsigned char>(*q));
      }
      if (count > 8) bytes += " ...";
      Error(at, std::string(count > 1 ? "invalid UTF-8 bytes " : "invalid UTF-8 byte ") + bytes +
                    " in a string (the file must be UTF-8)");
    }
  }
  p_ = q + 1;
  if (!decoded) {
    return doc_.ViewString(Type::kString, begin, static_cast<std::size_t>(q - begin), where);
  }
  scratch_.append(run, q);
  return doc_.MakeString(scratch_, where);
}

// `q` is at a backslash; appends the decoded character to scratch_ and
// returns the position after the escape.
const char* Reader::DecodeEscape(const char* q, SourceLocation string_where) {
  const SourceLocation at = At(q);
  switch (q[1]) {
    case '"':
      scratch_ += '"';
      return q + 2;
    case '\\':
      scratch_ += '\\';
      return q + 2;
    case '/':
      scratch_ += '/';
      return q + 2;
    case 'b':
      scratch_ += '\b';
      return q + 2;
    case 'f':
      scratch_ += '\f';
      return q + 2;
    case 'n':
      scratch_ += '\n';
      return q + 2;
    case 'r':
      scratch_ += '\r';
      return q + 2;
    case 't':
      scratch_ += '\t';
      return q + 2;
    case 'u':
      break;
    default:
      if (q + 1 >= end_) Fatal(string_where, "unterminated string (no closing '\"')");
      Error(at, "invalid escape '\\" + std::string(1, q[1]) +
                    "' in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)");
      return q + 1;  // the character after the backslash is read as itself
  }
  char32_t cp;
  if (!Hex4(q + 2, &cp)) {
    Error(at, "invalid \\u escape: expected four hexadecimal digits after \\u");
    return q + 2;
  }
  q += 6;
  char32_t low;
  if (cp >= 0xD800 && cp <= 0xDBFF && q[0] == '\\' && q[1] == 'u' && Hex4(q + 2, &low) &&
      low >= 0xDC00 && low <= 0xDFFF) {
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    q += 6;
  } else if (cp >= 0xD800 && cp <= 0xDFFF) {
    Error(at, "unpaired UTF-16 surrogate \\u" + std::string(q - 4, q) +
                  " (not a character; a high surrogate \\uD800-\\uDBFF must be followed by a low "
                  "one \\uDC00-\\uDFFF)");
    // Kept as its 3-byte form (not UTF-8): the string is already in error.
  }
  utf8::Append(scratch_, cp);
  return q;
}

Value Reader::ParseNumber() {
  const char* const start = p_;
  const SourceLocation where = At(start);
  const char* q = start;
  if (*q == '-') ++q;
  if (*q == '0') {
    ++q;
    if (IsDigit(*q)) Fatal(where, "invalid number: leading zeros are not allowed in JSON");
  } else if (IsDigit(*q)) {
    while (IsDigit(*q)) ++q;
  } else {
    Fatal(At(q), "invalid number: expected a digit after '-'");
  }
  if (*q == '.') {
    ++q;
    if (!IsDigit(*q)) Fatal(At(q), "invalid number: expected a digit after the decimal point");
    while (IsDigit(*q)) ++q;
  }
  if (*q == 'e' || *q == 'E') {
    ++q;
    if (*q == '+' || *q == '-') ++q;
    if (!IsDigit(*q)) Fatal(At(q), "invalid number: expected a digit in the exponent");
    while (IsDigit(*q)) ++q;
  }
  p_ = q;
  return doc_.ViewString(Type::kNumber, start, static_cast<std::size_t>(q - start), where);
}

Value Reader::ParseLiteral() {
  const SourceLocation where = At(p_);
  const std::string_view rest(p_, static_cast<std::size_t>(end_ - p_));
  if (rest.starts_with("true")) {
    p_ += 4;
    return doc_.MakeBool(true, where);
  }
  if (rest.starts_with("false")) {
    p_ += 5;
    return doc_.MakeBool(false, where);
  }
  if (rest.starts_with("null")) {
    p_ += 4;
    return doc_.MakeNull(where);
  }
  Unexpected("a JSON value", Position::kValue);
}

ParseResult Parse(std::string_view text, const std::string& file, const ParseOptions& options) {
  ParseResult result;
  Reader(file, options, result).Run(text);
  return result;
}

}  // namespace iam_audit::json
