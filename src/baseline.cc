#include "baseline.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "atomic_file.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/json.h"
#include "iam_audit/report.h"

namespace iam_audit {
namespace {

constexpr int kBaselineVersion = 1;
constexpr std::string_view kBaselineReason = "recorded in the baseline";

bool Recorded(const Finding& f) {
  return !f.suppressed && f.id != FindingId::kStaleSuppression &&
         f.id != FindingId::kExpiredSuppression;
}

bool EntryLess(const BaselineEntry& a, const BaselineEntry& b) {
  return std::tie(a.file, a.id, a.action, a.resource, a.fingerprint) <
         std::tie(b.file, b.id, b.action, b.resource, b.fingerprint);
}

// Reads the baseline's structure from a parsed document, collecting errors.
class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  Baseline Read(const json::Value& root) {
    Baseline out;
    out.file = file_;
    if (!root.is_object()) {
      Error(root, "a baseline is a JSON object with \"version\" and \"entries\"");
      return out;
    }
    const json::Value* version = root.Find("version");
    if (!version) {
      Error(root, "the baseline has no \"version\"");
    } else if (version->NumberText() != std::to_string(kBaselineVersion)) {
      Error(*version, "unsupported baseline version " + Quoted(version->ScalarText()) +
                          " (this iam-audit reads version " + std::to_string(kBaselineVersion) +
                          "; write a new one with --write-baseline)");
    }
    const json::Value* entries = root.Find("entries");
    if (!entries || !entries->is_array()) {
      Error(entries ? *entries : root, "the baseline needs an \"entries\" array");
      return out;
    }
    for (const json::Value& e : entries->Elements()) {
      if (!e.is_object()) {
        Error(e, "each baseline entry must be an object, not " +
                     std::string(json::TypeName(e.type())));
        continue;
      }
      BaselineEntry entry;
      const auto field = [&](std::string_view name, std::string* out, bool required) {
        const json::Value* v = e.Find(name);
        if (!v) {
          if (required) Error(e, "a baseline entry needs \"" + std::string(name) + "\"");
          return;
        }
        if (!v->is_string()) {
          Error(*v, "\"" + std::string(name) + "\" must be a string");
          return;
        }
        *out = std::string(v->AsString());
      };
      field("fingerprint", &entry.fingerprint, true);
      field("id", &entry.id, false);
      field("file", &entry.file, false);
      field("action", &entry.action, false);
      field("resource", &entry.resource, false);
      if (!entry.fingerprint.empty()) out.entries.push_back(std::move(entry));
    }
    return out;
  }

  Diagnostics errors;

 private:
  void Error(const json::Value& at, std::string message) {
    errors.push_back({file_, at.where(), std::move(message)});
  }
  const std::string& file_;
};

}  // namespace

Baseline MakeBaseline(std::span<const Finding* const> findings) {
  Baseline out;
  for (const Finding* f : findings) {
    if (!Recorded(*f)) continue;
    out.entries.push_back(
        {std::string(f->name()), f->file, f->action, f->resource, f->fingerprint});
  }
  std::sort(out.entries.begin(), out.entries.end(), EntryLess);
  return out;
}

std::string BaselineToJson(const Baseline& baseline) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const BaselineEntry& e : baseline.entries) {
    entries.push_back({{"id", e.id},
                       {"file", e.file},
                       {"action", e.action},
                       {"resource", e.resource},
                       {"fingerprint", e.fingerprint}});
  }
  const nlohmann::ordered_json doc = {{"version", kBaselineVersion},
                                      {"tool", {{"name", "iam-audit"}, {"version", ToolVersion()}}},
                                      {"entries", std::move(entries)}};
  return doc.dump(2) + "\n";
}

Baseline ParseBaseline(std::string_view text, const std::string& file) {
  json::ParseResult parsed = json::Parse(text, file);
  if (!parsed.ok()) throw InputError(std::move(parsed.errors));
  Reader reader(file);
  Baseline out = reader.Read(parsed.value());
  if (!reader.errors.empty()) throw InputError(std::move(reader.errors));
  return out;
}

Baseline ReadBaseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(path + ": cannot read the baseline (create it with --write-baseline " + path +
                     ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseBaseline(text.str(), path);
}

void WriteBaseline(const std::string& path, const Baseline& baseline) {
  WriteFileAtomically(path, BaselineToJson(baseline), "the baseline");
}

std::size_t ApplyBaseline(const Baseline& baseline, std::span<Finding* const> findings) {
  std::map<std::string_view, std::size_t> unused;  // fingerprint -> entries not yet matched
  for (const BaselineEntry& e : baseline.entries) ++unused[e.fingerprint];
  std::size_t marked = 0;
  for (Finding* f : findings) {
    if (f->suppressed) continue;
    const auto it = unused.find(f->fingerprint);
    if (it == unused.end() || it->second == 0) continue;
    --it->second;
    f->suppressed = FindingSuppression{
        FindingSuppression::Kind::kBaseline, std::string(kBaselineReason), baseline.file, {}, ""};
    ++marked;
  }
  return marked;
}

}  // namespace iam_audit
