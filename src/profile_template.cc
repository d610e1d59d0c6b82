// Value templates: "arn:aws:s3:::${bucket}/${loc.prefix}*" parsed into parts
// and expanded with Bindings (include/iam_audit/profile.h, ValueTemplate).
#include <algorithm>
#include <array>

#include "ascii.h"
#include "iam_audit/profile.h"
#include "profile_internal.h"

namespace iam_audit {
namespace profile_internal {
namespace {

constexpr std::array<std::string_view, 3> kTemplateFields = {"bucket", "prefix", "uri"};

}  // namespace

std::optional<ValueTemplate> ParseTemplate(std::string_view text,
                                           std::vector<TemplateError>* errs) {
  ValueTemplate t;
  t.text = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts.push_back({std::move(literal), "", ""});
    literal.clear();
  };
  bool ok = true;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "${") != 0) {
      literal += text[i++];
      continue;
    }
    const std::size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      errs->push_back({i, "unterminated '${' (expected '${variable}')"});
      ok = false;
      break;
    }
    const std::string_view ref = text.substr(i + 2, close - i - 2);
    const std::size_t dot = ref.find('.');
    const std::string_view name = ref.substr(0, dot);
    const std::string_view field = dot == std::string_view::npos ? "" : ref.substr(dot + 1);
    if (!IsIdentifier(name)) {
      errs->push_back({i, "'${" + std::string(ref) + "}' is not a variable reference"});
      ok = false;
    } else if (dot != std::string_view::npos &&
               std::find(kTemplateFields.begin(), kTemplateFields.end(), field) ==
                   kTemplateFields.end()) {
      errs->push_back({i, "unknown field '." + std::string(field) + "' in '${" + std::string(ref) +
                              "}' (fields: " + ascii::JoinComma(kTemplateFields) + ")"});
      ok = false;
    }
    flush();
    t.parts.push_back({"", std::string(name), std::string(field)});
    i = close + 1;
  }
  flush();
  if (!ok) return std::nullopt;
  return t;
}

// The template with every variable replaced by a placeholder value, to match
// it against catalog resource types at load time.
std::string SampleOf(const ValueTemplate& t) {
  std::string out;
  for (const ValueTemplate::Part& p : t.parts) {
    if (p.variable.empty()) {
      out += p.text;
    } else if (p.field == "prefix") {
      out += "x/";
    } else if (p.field == "uri") {
      out += "s3://x/x/";
    } else {
      out += "x";
    }
  }
  return out;
}

}  // namespace profile_internal

namespace {

std::string FieldValue(const VariableValue& v, std::size_t i, std::string_view field) {
  if (field.empty() || v.locations.size() <= i) return v.items[i];
  const S3Location& loc = v.locations[i];
  if (field == "bucket") return loc.bucket;
  if (field == "prefix") return loc.prefix;
  return loc.Uri();
}

}  // namespace

std::optional<std::vector<std::string>> ValueTemplate::Expand(const Bindings& bindings,
                                                              std::string* missing) const {
  // Distinct variables in order of first use, with their item counts.
  std::vector<std::pair<std::string_view, const VariableValue*>> vars;
  for (const Part& p : parts) {
    if (p.variable.empty()) continue;
    if (std::any_of(vars.begin(), vars.end(),
                    [&](const auto& v) { return v.first == p.variable; })) {
      continue;
    }
    const auto it = bindings.find(p.variable);
    if (it == bindings.end()) {
      if (missing) *missing = p.variable;
      return std::nullopt;
    }
    vars.emplace_back(p.variable, &it->second);
  }
  std::vector<std::string> out;
  std::vector<std::size_t> index(vars.size(), 0);
  for (const auto& v : vars) {
    if (v.second->items.empty()) return out;
  }
  while (true) {
    std::string s;
    for (const Part& p : parts) {
      if (p.variable.empty()) {
        s += p.text;
        continue;
      }
      std::size_t k = 0;
      while (vars[k].first != p.variable) ++k;
      s += FieldValue(*vars[k].second, index[k], p.field);
    }
    out.push_back(std::move(s));
    // Odometer over the variables, last one fastest.
    std::size_t k = vars.size();
    while (k > 0) {
      --k;
      if (++index[k] < vars[k].second->items.size()) break;
      index[k] = 0;
      if (k == 0) return out;
    }
    if (vars.empty()) return out;
  }
}

}  // namespace iam_audit
