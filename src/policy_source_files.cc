// FindPolicyFiles: the candidate files below a directory, and the
// .gitignore-style exclude patterns.
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "ascii.h"
#include "policy_source_internal.h"

namespace iam_audit {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 5> kExtensions = {".json", ".yaml", ".yml", ".template",
                                                         ".tfstate"};
constexpr std::array<std::string_view, 3> kNeverEntered = {".git", ".terraform", "node_modules"};

// --- .gitignore-style patterns -------------------------------------------------------------

struct Token {
  enum Kind { kLiteral, kAnyOne, kStar, kDoubleStar, kDirectories };
  explicit Token(Kind k, char c = 0) : kind(k), literal(c) {}
  Kind kind;
  char literal;
  std::string set;  // kAnyOne with a class: pairs of (low, high); empty = any
  bool negated = false;
};

struct Pattern {
  bool negate = false;
  bool directory_only = false;
  bool anchored = false;  // matched against the whole relative path, else the name
  std::vector<Token> tokens;
};

// "[a-z_]" at `p` (after '['); returns the index after ']', or npos.
std::size_t ParseClass(std::string_view p, std::size_t i, Token& t) {
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    t.negated = true;
    ++i;
  }
  bool first = true;
  while (i < p.size() && (p[i] != ']' || first)) {
    first = false;
    char lo = p[i], hi = p[i];
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 2;
    }
    t.set += lo;
    t.set += hi;
    ++i;
  }
  return i < p.size() ? i + 1 : std::string_view::npos;
}

Pattern Compile(std::string_view text) {
  Pattern out;
  if (text.starts_with("!")) {
    out.negate = true;
    text.remove_prefix(1);
  }
  if (text.ends_with("/")) {
    out.directory_only = true;
    text.remove_suffix(1);
  }
  if (text.starts_with("/")) {
    out.anchored = true;
    text.remove_prefix(1);
  }
  if (text.find('/') != std::string_view::npos) out.anchored = true;
  for (std::size_t i = 0; i < text.size();) {
    const bool segment_start = i == 0 || text[i - 1] == '/';
    if (segment_start && text.substr(i, 3) == "**/") {
      out.tokens.push_back(Token(Token::kDirectories));
      i += 3;
    } else if (segment_start && text.substr(i) == "**") {
      out.tokens.push_back(Token(Token::kDoubleStar));
      i += 2;
    } else if (text[i] == '*') {
      if (out.tokens.empty() || out.tokens.back().kind != Token::kStar) {
        out.tokens.push_back(Token(Token::kStar));
      }
      ++i;
    } else if (text[i] == '?') {
      out.tokens.push_back(Token(Token::kAnyOne));
      ++i;
    } else if (text[i] == '[') {
      Token t(Token::kAnyOne);
      const std::size_t end = ParseClass(text, i + 1, t);
      if (end == std::string_view::npos) {  // no ']': a literal '['
        out.tokens.push_back(Token(Token::kLiteral, '['));
        ++i;
      } else {
        out.tokens.push_back(std::move(t));
        i = end;
      }
    } else if (text[i] == '\\' && i + 1 < text.size()) {
      out.tokens.push_back(Token(Token::kLiteral, text[i + 1]));
      i += 2;
    } else {
      out.tokens.push_back(Token(Token::kLiteral, text[i]));
      ++i;
    }
  }
  return out;
}

bool InClass(const Token& t, char c) {
  if (t.set.empty()) return true;
  bool in = false;
  for (std::size_t i = 0; i + 1 < t.set.size(); i += 2) {
    if (c >= t.set[i] && c <= t.set[i + 1]) in = true;
  }
  return in != t.negated;
}

// Dynamic programming over (token, position): O(tokens * length), whatever
// the pattern.
bool Matches(const std::vector<Token>& tokens, std::string_view s) {
  const std::size_t n = s.size();
  std::vector<char> next(n + 1, 0), row(n + 1, 0);
  next[n] = 1;  // no tokens left matches only the end
  for (std::size_t t = tokens.size(); t-- > 0;) {
    const Token& tok = tokens[t];
    bool slash_then_rest = false;  // kDirectories: some '/' at >= j followed by a match
    for (std::size_t j = n + 1; j-- > 0;) {
      bool m = false;
      const bool have = j < n;
      switch (tok.kind) {
        case Token::kLiteral:
          m = have && s[j] == tok.literal && next[j + 1];
          break;
        case Token::kAnyOne:
          m = have && s[j] != '/' && InClass(tok, s[j]) && next[j + 1];
          break;
        case Token::kStar:
          m = next[j] || (have && s[j] != '/' && row[j + 1]);
          break;
        case Token::kDoubleStar:
          m = next[j] || (have && row[j + 1]);
          break;
        case Token::kDirectories:
          if (have && s[j] == '/' && next[j + 1]) slash_then_rest = true;
          m = next[j] || slash_then_rest;
          break;
      }
      row[j] = m ? 1 : 0;
    }
    std::swap(next, row);
    std::fill(row.begin(), row.end(), 0);
  }
  return next[0] != 0;
}

std::string_view BaseName(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

class Excludes {
 public:
  explicit Excludes(std::span<const std::string> patterns) {
    for (const std::string& p : patterns) {
      if (p.empty() || p.starts_with("#")) continue;
      patterns_.push_back(Compile(p));
    }
  }
  // This path alone (its parents are checked by the caller).
  bool Excluded(std::string_view path, bool is_directory) const {
    bool excluded = false;
    for (const Pattern& p : patterns_) {
      if (p.directory_only && !is_directory) continue;
      if (Matches(p.tokens, p.anchored ? path : BaseName(path))) excluded = !p.negate;
    }
    return excluded;
  }

 private:
  std::vector<Pattern> patterns_;
};

bool IsCandidate(const fs::path& path) {
  const std::string ext = ascii::Lower(path.extension().string());
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

// `path` (an entry below `base`) relative to `base`, '/'-separated. The
// iterator builds each entry as base / name: the text after base's is the
// answer, without lexically_relative's component parsing (half the scan's
// time on 1,645 files).
std::string RelativePath(const fs::path& path, const fs::path& base) {
  const std::string& p = path.native();
  const std::string& b = base.native();
  if (!b.empty() && p.size() > b.size() + 1 && p.compare(0, b.size(), b) == 0 &&
      (b.back() == '/' || p[b.size()] == '/')) {
    return p.substr(b.back() == '/' ? b.size() : b.size() + 1);
  }
  return path.lexically_relative(base).generic_string();
}

}  // namespace

bool FileMightHoldPolicies(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return true;  // let the reader report why it cannot be read
  // The file's size, so that a small file costs a small buffer.
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  std::string head(
      static_cast<std::size_t>(std::min<std::uintmax_t>(ec ? kSniffBytes : size, kSniffBytes)),
      '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return MightHoldPolicies(head);
}

bool IsExcluded(std::string_view relative_path, bool is_directory,
                std::span<const std::string> excludes) {
  const Excludes patterns(excludes);
  for (std::size_t slash = relative_path.find('/'); slash != std::string_view::npos;
       slash = relative_path.find('/', slash + 1)) {
    if (patterns.Excluded(relative_path.substr(0, slash), true)) return true;
  }
  return patterns.Excluded(relative_path, is_directory);
}

PolicyFileScan FindPolicyFiles(const std::string& dir, std::span<const std::string> excludes,
                               Sniff sniff) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw InputError(dir + ": " + (ec ? ec.message() : std::string("not a directory")));
  }
  const Excludes patterns(excludes);
  PolicyFileScan scan;
  std::vector<std::pair<std::string, std::string>> found;  // relative, path
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw InputError(dir + ": cannot read the directory: " + ec.message());
  const fs::path base(dir);
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& entry = *it;
    const std::string relative = RelativePath(entry.path(), base);
    std::error_code type_ec;
    const bool is_dir = entry.is_directory(type_ec) && !entry.is_symlink(type_ec);
    if (is_dir) {
      const std::string name = entry.path().filename().string();
      if (std::find(kNeverEntered.begin(), kNeverEntered.end(), name) != kNeverEntered.end()) {
        it.disable_recursion_pending();
      } else if (patterns.Excluded(relative, true)) {
        ++scan.excluded;
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!entry.is_regular_file(type_ec) || !IsCandidate(entry.path())) continue;
    if (patterns.Excluded(relative, false)) {
      ++scan.excluded;
      continue;
    }
    if (sniff == Sniff::kSkipNonIam && !FileMightHoldPolicies(entry.path().native())) {
      ++scan.skipped;
      continue;
    }
    found.emplace_back(relative, entry.path().generic_string());
  }
  if (ec) throw InputError(dir + ": cannot read the directory: " + ec.message());
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  scan.files.reserve(found.size());
  for (auto& [relative, path] : found) scan.files.push_back(std::move(path));
  return scan;
}

}  // namespace iam_audit
