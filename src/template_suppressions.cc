#include "template_suppressions.h"

#include <algorithm>
#include <string_view>

#include "ascii.h"
#include "iam_audit/glob.h"

namespace iam_audit {
namespace {

constexpr std::string_view kMetadataKey = "iam-audit";
constexpr std::string_view kEntryKeys[] = {"id", "action", "resource", "reason", "expires"};

bool Before(SourceLocation a, SourceLocation b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

class Reader {
 public:
  Reader(const std::string& file, std::vector<TemplateSuppression>* out, Diagnostics* errors)
      : file_(file), out_(out), errors_(errors) {}

  void Resource(const json::Member& resource, SourceLocation end) {
    const json::Value* metadata = resource.value.Find("Metadata");
    const json::Value* ours = metadata != nullptr ? metadata->Find(kMetadataKey) : nullptr;
    if (ours == nullptr) return;
    if (!ours->is_object()) return Error(*ours, "Metadata iam-audit must be a mapping with skip");
    for (const json::Member& m : ours->Members()) {
      if (m.name() != "skip") {
        Error(m.key, "unknown key " + Quoted(m.name()) + " in Metadata iam-audit (it has skip)");
      }
    }
    const json::Value* skip = ours->Find("skip");
    if (skip == nullptr) return Error(*ours, "Metadata iam-audit needs skip: a list of entries");
    if (!skip->is_array()) return Error(*skip, "skip must be a list of {id, reason} entries");
    TemplateSuppression scope;
    scope.file = file_;
    scope.resource_id = std::string(resource.name());
    scope.begin = resource.key.where();
    scope.end = end;
    const std::string_view type = TypeOf(resource.value);
    if (type.starts_with("AWS::IAM::")) scope.subject = std::string(type) + " " + scope.resource_id;
    for (const json::Value& entry : skip->Elements()) Entry(entry, scope);
  }

 private:
  static std::string_view TypeOf(const json::Value& resource) {
    const json::Value* type = resource.Find("Type");
    return type != nullptr && type->is_string() ? type->AsString() : std::string_view();
  }

  void Error(const json::Value& at, std::string message) {
    errors_->push_back({file_, at.where(), std::move(message)});
  }

  // A string value of an entry; false (after an error) if it is not one.
  bool String(const json::Value& v, std::string_view key, std::string* out) {
    if (!v.is_string() && !v.is_number() && !v.is_bool()) {
      Error(v, std::string(key) + " must be a string");
      return false;
    }
    *out = std::string(v.is_string() ? v.AsString() : v.ScalarText());
    return true;
  }

  bool Ids(const json::Value& v, std::vector<FindingId>* ids) {
    std::vector<const json::Value*> items;
    if (v.is_array()) {
      for (const json::Value& e : v.Elements()) items.push_back(&e);
    } else {
      items.push_back(&v);
    }
    if (items.empty()) {
      Error(v, "id must name at least one finding id");
      return false;
    }
    bool ok = true;
    for (const json::Value* item : items) {
      std::string name;
      FindingId id{};
      if (!String(*item, "id", &name)) {
        ok = false;
      } else if (const std::string problem = SuppressionIdProblem(name, &id); !problem.empty()) {
        Error(*item, problem);
        ok = false;
      } else {
        ids->push_back(id);
      }
    }
    return ok;
  }

  void Entry(const json::Value& entry, const TemplateSuppression& scope) {
    if (!entry.is_object())
      return Error(entry, "each skip entry must be a mapping with id and reason");
    TemplateSuppression s = scope;
    s.where = entry.where();
    bool ok = true;
    for (const json::Member& m : entry.Members()) {
      const std::string_view key = m.name();
      if (std::find(std::begin(kEntryKeys), std::end(kEntryKeys), key) == std::end(kEntryKeys)) {
        Error(m.key, "unknown key " + Quoted(key) +
                         " in a skip entry (keys: " + ascii::JoinComma(kEntryKeys) + ")");
        ok = false;
      } else if (key == "id") {
        ok = Ids(m.value, &s.ids) && ok;
      } else if (key == "action") {
        ok = String(m.value, key, &s.action) && ok;
      } else if (key == "resource") {
        ok = String(m.value, key, &s.resource) && ok;
      } else if (key == "reason") {
        ok = String(m.value, key, &s.reason) && ok;
        if (const std::string problem = SuppressionReasonProblem(s.reason);
            ok && !problem.empty()) {
          Error(m.value, problem);
          ok = false;
        }
      } else if (key == "expires") {
        ok = String(m.value, key, &s.expires) && ok;
        std::optional<std::chrono::sys_days> day;
        if (const std::string problem = SuppressionExpiresProblem(s.expires, &day);
            ok && !problem.empty()) {
          Error(m.value, problem);
          ok = false;
        }
      }
    }
    if (entry.Find("id") == nullptr) {
      Error(entry, "a skip entry needs 'id' (the finding id it accepts)");
      ok = false;
    }
    if (entry.Find("reason") == nullptr) {
      Error(entry, "a skip entry needs 'reason' (why the finding is accepted)");
      ok = false;
    }
    if (ok) out_->push_back(std::move(s));
  }

  const std::string& file_;
  std::vector<TemplateSuppression>* out_;
  Diagnostics* errors_;
};

}  // namespace

void ReadTemplateSuppressions(const json::Value& root, const std::string& file,
                              std::vector<TemplateSuppression>* out, Diagnostics* errors) {
  const json::Value* resources = root.Find("Resources");
  if (resources == nullptr || !resources->is_object()) return;
  // Each resource's part of the file ends where the next one (in the file) begins.
  std::vector<SourceLocation> starts;
  for (const json::Member& m : resources->Members()) starts.push_back(m.key.where());
  std::sort(starts.begin(), starts.end(), Before);
  Reader reader(file, out, errors);
  for (const json::Member& m : resources->Members()) {
    const auto next = std::upper_bound(starts.begin(), starts.end(), m.key.where(), Before);
    reader.Resource(m, next == starts.end() ? SourceLocation{} : *next);
  }
}

Suppression ToSuppression(const TemplateSuppression& entry) {
  Suppression s;
  s.ids = entry.ids;
  s.action_text = entry.action;
  if (!entry.action.empty()) s.action = Glob::Compile(entry.action, Glob::Case::kInsensitive);
  s.resource_text = entry.resource;
  if (!entry.resource.empty()) s.resource = Glob::Compile(entry.resource);
  s.reason = entry.reason;
  s.expires_text = entry.expires;
  if (!entry.expires.empty()) s.expires = ParseIsoDate(entry.expires);
  s.file = entry.file;
  s.where = entry.where;
  s.scope = Suppression::Scope{entry.resource_id, entry.begin, entry.end, entry.subject};
  return s;
}

}  // namespace iam_audit
