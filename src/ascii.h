// ASCII helpers shared by the sources: IAM folds case in ASCII only (action
// names, service prefixes, condition keys, the ...IgnoreCase operators), so
// these never consult the locale. Internal header (not part of include/).
#pragma once

#include <string>
#include <string_view>

namespace iam_audit::ascii {

constexpr char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

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

// "a, b, c": the items of any range of strings, for messages.
template <typename Range>
std::string JoinComma(const Range& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace iam_audit::ascii
