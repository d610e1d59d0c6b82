// Internal: strict UTF-8 decoding and encoding (json.cc, policy.cc).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace iam_audit::utf8 {

// Decodes the UTF-8 sequence at `p` (p < end). Returns its length (1 to 4) and
// sets `*cp`, or returns 0 when the bytes at `p` are not well-formed UTF-8
// (Unicode table 3-7: no overlong forms, no surrogates, nothing above
// U+10FFFF, no truncated sequence).
inline int Decode(const char* p, const char* end, char32_t* cp) {
  const auto byte = [&](int i) -> unsigned {
    return p + i < end ? static_cast<unsigned char>(p[i]) : 0u;
  };
  const auto cont = [](unsigned b, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return b >= lo && b <= hi;
  };
  const unsigned b0 = byte(0);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (!cont(byte(1))) return 0;
    *cp = ((b0 & 0x1F) << 6) | (byte(1) & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = b0 == 0xED ? 0x9F : 0xBF;
    if (!cont(byte(1), lo, hi) || !cont(byte(2))) return 0;
    *cp = ((b0 & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (!cont(byte(1), lo, hi) || !cont(byte(2)) || !cont(byte(3))) return 0;
    *cp =
        ((b0 & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
    return 4;
  }
  return 0;
}

// Appends the UTF-8 encoding of `cp` (a scalar value, not a surrogate).
inline void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// True when every byte of `s` is in 0x20..0x7F (printable ASCII and DEL):
// 8 bytes at a time, for the common all-ASCII case.
inline bool AllPrintableAscii(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const auto bad_word = [&](const char* at) {  // a byte < 0x20 or >= 0x80
    std::uint64_t w;
    std::memcpy(&w, at, sizeof w);
    return ((((w - kOnes * 0x20) & ~w) | w) & kHighs) != 0;
  };
  const std::size_t n = s.size();
  if (n < 8) {
    for (char c : s) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80)
        return false;
    }
    return true;
  }
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    if (bad_word(s.data() + i)) return false;
  }
  return !bad_word(s.data() + n - 8);  // the tail, overlapping the last full word
}

// Two upper-case hex digits, e.g. "0A" (for "byte 0x0A" in messages).
inline std::string HexByte(unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  return {kHex[c >> 4], kHex[c & 0xF]};
}

// "U+00A0" style name of a code point.
inline std::string CodePointName(char32_t cp) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string digits;
  for (char32_t v = cp; v != 0 || digits.size() < 4; v >>= 4)
    digits.insert(digits.begin(), kHex[v & 0xF]);
  return "U+" + digits;
}

}  // namespace iam_audit::utf8
