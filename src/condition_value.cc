#include "iam_audit/condition_value.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "ascii.h"

namespace iam_audit {
namespace {

using ascii::Lower;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned DaysInMonth(int y, int m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

constexpr std::int64_t kMicros = 1000000;

// Epoch seconds: [-]digits[.digits].
std::optional<std::int64_t> ParseEpoch(std::string_view t) {
  bool negative = false;
  if (!t.empty() && t[0] == '-') {
    negative = true;
    t.remove_prefix(1);
  }
  const std::size_t dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  if (!AllDigits(whole) || whole.size() > 12) return std::nullopt;
  if (dot != std::string_view::npos && !AllDigits(frac)) return std::nullopt;
  std::int64_t seconds = 0;
  for (char c : whole) seconds = seconds * 10 + (c - '0');
  std::int64_t micros = 0, scale = kMicros / 10;
  for (std::size_t i = 0; i < frac.size() && scale > 0; ++i, scale /= 10) {
    micros += (frac[i] - '0') * scale;
  }
  const std::int64_t total = seconds * kMicros + micros;
  return negative ? -total : total;
}

std::optional<std::int64_t> ParseIso8601(std::string_view t) {
  const auto year = Digits(t, 0, 4);
  if (!year) return std::nullopt;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0, offset_minutes = 0;
  std::size_t p = 4;
  auto next = [&](char sep, int* out) {
    if (p >= t.size() || t[p] != sep) return false;
    const auto v = Digits(t, p + 1, 2);
    if (!v) return false;
    *out = *v;
    p += 3;
    return true;
  };
  if (p < t.size()) {
    if (!next('-', &month)) return std::nullopt;
    if (p < t.size()) {
      if (!next('-', &day)) return std::nullopt;
      if (p < t.size()) {
        if (t[p] != 'T' && t[p] != 't') return std::nullopt;
        const auto h = Digits(t, p + 1, 2);
        if (!h) return std::nullopt;
        hour = *h;
        p += 3;
        if (!next(':', &minute)) return std::nullopt;
        if (p < t.size() && t[p] == ':') {
          if (!next(':', &second)) return std::nullopt;
          if (p < t.size() && t[p] == '.') {
            ++p;
            std::int64_t scale = kMicros / 10;
            const std::size_t start = p;
            while (p < t.size() && t[p] >= '0' && t[p] <= '9') {
              if (scale > 0) micros += (t[p] - '0') * scale;
              scale /= 10;
              ++p;
            }
            if (p == start) return std::nullopt;
          }
        }
        // Time zone designator: Z, +hh:mm, -hh:mm (+hhmm accepted); none = UTC.
        if (p < t.size()) {
          if (t[p] == 'Z' || t[p] == 'z') {
            ++p;
          } else if (t[p] == '+' || t[p] == '-') {
            const int sign = t[p] == '-' ? -1 : 1;
            const auto oh = Digits(t, p + 1, 2);
            if (!oh) return std::nullopt;
            p += 3;
            int om = 0;
            if (p < t.size() && t[p] == ':') ++p;
            const auto m = Digits(t, p, 2);
            if (!m) return std::nullopt;
            om = *m;
            p += 2;
            if (*oh > 23 || om > 59) return std::nullopt;
            offset_minutes = sign * (*oh * 60 + om);
          } else {
            return std::nullopt;
          }
        }
      }
    }
  }
  if (p != t.size()) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > DaysInMonth(*year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  const std::int64_t days =
      DaysFromCivil(*year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const std::int64_t seconds =
      days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * kMicros + micros;
}

std::optional<std::array<std::uint8_t, 4>> ParseIpv4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? s.find('.') : s.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const std::string_view part = s.substr(0, dot);
    if (!AllDigits(part) || part.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : part) v = v * 10 + (c - '0');
    if (v > 255) return std::nullopt;
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    s = i < 3 ? s.substr(dot + 1) : std::string_view();
  }
  return out;
}

std::optional<std::array<std::uint8_t, 16>> ParseIpv6(std::string_view s) {
  // Split on "::" (at most one); each side is ':'-separated hex groups, the
  // last group of the address may be a dotted IPv4 address.
  std::array<std::uint16_t, 8> groups{};
  std::size_t head_count = 0, tail_count = 0;
  std::array<std::uint16_t, 8> head{}, tail{};
  const std::size_t gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto parse_side = [](std::string_view side, std::array<std::uint16_t, 8>& out, std::size_t& count,
                       bool allow_v4_tail) -> bool {
    if (side.empty()) return true;
    while (true) {
      const std::size_t colon = side.find(':');
      const std::string_view part = side.substr(0, colon);
      if (colon == std::string_view::npos && allow_v4_tail && part.find('.') != part.npos) {
        const auto v4 = ParseIpv4(part);
        if (!v4 || count + 2 > 8) return false;
        out[count++] = static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]);
        out[count++] = static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]);
        return true;
      }
      if (part.empty() || part.size() > 4 || count >= 8) return false;
      unsigned v = 0;
      for (char c : part) {
        const char l = Lower(c);
        unsigned digit;
        if (l >= '0' && l <= '9') {
          digit = static_cast<unsigned>(l - '0');
        } else if (l >= 'a' && l <= 'f') {
          digit = static_cast<unsigned>(l - 'a' + 10);
        } else {
          return false;
        }
        v = v * 16 + digit;
      }
      out[count++] = static_cast<std::uint16_t>(v);
      if (colon == std::string_view::npos) return true;
      side = side.substr(colon + 1);
    }
  };
  if (gap == std::string_view::npos) {
    if (!parse_side(s, head, head_count, true) || head_count != 8) return std::nullopt;
  } else {
    if (!parse_side(s.substr(0, gap), head, head_count, false) ||
        !parse_side(s.substr(gap + 2), tail, tail_count, true) || head_count + tail_count > 7) {
      return std::nullopt;
    }
  }
  for (std::size_t i = 0; i < head_count; ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail_count; ++i) groups[8 - tail_count + i] = tail[i];
  std::array<std::uint8_t, 16> out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return out;
}

void MaskHostBits(Cidr* c) {
  const int total = c->v6 ? 16 : 4;
  for (int i = 0; i < total; ++i) {
    const int bits = std::clamp(c->prefix - i * 8, 0, 8);
    c->bytes[i] &= static_cast<std::uint8_t>(0xff00 >> bits);
  }
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<double> ParseConditionNumber(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) {
      return std::nullopt;
    }
  }
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseConditionDate(std::string_view text) {
  if (const auto epoch = ParseEpoch(text)) return epoch;
  return ParseIso8601(text);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  Cidr c;
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (address.find(':') != std::string_view::npos) {
    const auto v6 = ParseIpv6(address);
    if (!v6) return std::nullopt;
    c.v6 = true;
    std::memcpy(c.bytes, v6->data(), 16);
  } else {
    const auto v4 = ParseIpv4(address);
    if (!v4) return std::nullopt;
    std::memcpy(c.bytes, v4->data(), 4);
  }
  const int max_prefix = c.v6 ? 128 : 32;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    if (!AllDigits(bits) || bits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char ch : bits) prefix = prefix * 10 + (ch - '0');
    if (prefix > max_prefix) return std::nullopt;
  }
  c.prefix = static_cast<std::uint8_t>(prefix);
  MaskHostBits(&c);
  return c;
}

bool CidrContains(const Cidr& range, const Cidr& address) {
  if (range.v6 != address.v6 || address.prefix < range.prefix) return false;
  Cidr masked = address;
  masked.prefix = range.prefix;
  MaskHostBits(&masked);
  return std::memcmp(masked.bytes, range.bytes, range.v6 ? 16 : 4) == 0;
}

bool CidrOverlaps(const Cidr& a, const Cidr& b) { return CidrContains(a, b) || CidrContains(b, a); }

std::optional<std::string> DecodeBase64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int d = Base64Digit(c);
    if (d < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace iam_audit
