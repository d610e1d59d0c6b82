// ASCII helpers shared by the sources: IAM folds case in ASCII only (action
// names, service prefixes, condition keys, the ...IgnoreCase operators), so
// these never consult the locale. Internal header (not part of include/).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

namespace iam_audit::ascii {

constexpr char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Lower() of every byte, for loops that fold a byte at a time on a hot path
// (a load instead of a compare and a branch).
inline constexpr std::array<char, 256> kLowerTable = [] {
  std::array<char, 256> t{};
  for (std::size_t c = 0; c < t.size(); ++c) t[c] = Lower(static_cast<char>(c));
  return t;
}();

inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// A hash (FNV-1a) equal for strings EqualsIgnoreCase finds equal.
inline std::uint64_t HashIgnoreCase(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(kLowerTable[static_cast<unsigned char>(c)]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Lower() of the 8 bytes packed in `w` at once (bytes of 0x80 and above
// unchanged): a byte's high bit after adding 0x3f says ">= 'A'", after adding
// 0x25 "> 'Z'" (7-bit bytes, so no carry crosses bytes), and an upper-case
// byte gets 0x20. For loops that compare or hash names 8 bytes at a time.
constexpr std::uint64_t LowerWord(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t seven = w & ~kHigh;
  const std::uint64_t at_least_a = seven + (0x80 - 'A') * kOnes;
  const std::uint64_t above_z = seven + (0x7f - 'Z') * kOnes;
  const std::uint64_t upper = (at_least_a & ~above_z) & ~w & kHigh;
  return w | (upper >> 2);
}

inline bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

inline bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

// Shows an item of a range as it is.
struct AsIs {
  template <typename T>
  const T& operator()(const T& item) const {
    return item;
  }
};

// "a<sep>b<sep>c": show(item) for the items of any range, for messages.
// The separator goes between non-empty text: leading empty items vanish.
template <typename Range, typename Show = AsIs>
std::string Join(const Range& items, std::string_view separator, Show show = {}) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += show(item);
  }
  return out;
}

// "a, b, c".
template <typename Range, typename Show = AsIs>
std::string JoinComma(const Range& items, Show show = {}) {
  return Join(items, ", ", show);
}

// "a", "a or b", "a, b or c".
template <typename Range, typename Show = AsIs>
std::string JoinOr(const Range& items, Show show = {}) {
  std::string out;
  const std::size_t n = std::size(items);
  std::size_t i = 0;
  for (const auto& item : items) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += show(item);
    ++i;
  }
  return out;
}

}  // namespace iam_audit::ascii
