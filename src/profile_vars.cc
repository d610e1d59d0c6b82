// Variable values from --var and from dbt's profiles.yml. See
// profile_vars.h for the rules.
#include "profile_vars.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "yaml_util.h"

namespace iam_audit {
namespace {

using yaml_util::Node;
using yaml_util::Where;
using yaml_util::WhereInScalar;

// Jinja filters that leave an env_var() value as it is for our purposes.
constexpr std::array<std::string_view, 8> kIdentityFilters = {
    "as_text", "as_bool", "as_number", "as_native", "string", "int", "bool", "trim"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A cursor over one {{ ... }} expression.
class ExprReader {
 public:
  explicit ExprReader(std::string_view text) : text_(text) {}
  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string Identifier() {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  std::optional<std::string> StringLiteral() {
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) return std::nullopt;
    const char quote = text_[pos_];
    const std::size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string s(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return s;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= text_.size();
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Evaluates `env_var('NAME'[, 'default']) [| filter]...`.
std::optional<std::string> EvalExpression(std::string_view expr, const EnvLookup& env,
                                          std::string* error) {
  ExprReader r(expr);
  const auto unsupported = [&] {
    *error = "unsupported Jinja expression '{{" + std::string(expr) +
             "}}' (iam-audit evaluates only env_var('NAME') and env_var('NAME', 'default'))";
    return std::nullopt;
  };
  if (r.Identifier() != "env_var" || !r.Eat('(')) return unsupported();
  const std::optional<std::string> name = r.StringLiteral();
  if (!name) return unsupported();
  std::optional<std::string> fallback;
  if (r.Eat(',')) {
    fallback = r.StringLiteral();
    if (!fallback) return unsupported();
  }
  if (!r.Eat(')')) return unsupported();
  while (r.Eat('|')) {
    const std::string filter = r.Identifier();
    if (std::find(kIdentityFilters.begin(), kIdentityFilters.end(), filter) ==
        kIdentityFilters.end()) {
      return unsupported();
    }
  }
  if (!r.AtEnd()) return unsupported();
  if (std::optional<std::string> value = env(*name)) return value;
  if (fallback) return fallback;
  *error =
      "environment variable " + *name + " is not set and env_var('" + *name + "') has no default";
  return std::nullopt;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string Origin(const std::string& file, SourceLocation w) {
  return file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
}

class DbtReader {
 public:
  DbtReader(const std::string& file, const EnvLookup& env) : file_(file), env_(env) {}

  void Error(SourceLocation w, std::string message) {
    errors_.push_back({file_, w, std::move(message)});
  }
  const Diagnostics& errors() const { return errors_; }

  // Renders a scalar node. `hint` says what to do instead on failure.
  std::optional<std::string> Render(const Node& node, const std::string& hint) {
    std::string error;
    std::size_t offset = 0;
    std::optional<std::string> v = RenderDbtValue(node.Scalar(), env_, &error, &offset);
    if (!v) Error(WhereInScalar(node, offset), error + "; " + hint);
    return v;
  }

 private:
  std::string file_;
  const EnvLookup& env_;
  Diagnostics errors_;
};

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

std::optional<std::string> RenderDbtValue(std::string_view text, const EnvLookup& env,
                                          std::string* error, std::size_t* error_offset) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos || open + 1 >= text.size()) {
      out += text.substr(pos);
      break;
    }
    const char next = text[open + 1];
    if (next == '%' || next == '#') {
      *error = std::string("unsupported Jinja ") + (next == '%' ? "statement" : "comment") +
               " (iam-audit evaluates only {{ env_var('NAME') }} and "
               "{{ env_var('NAME', 'default') }})";
      *error_offset = open;
      return std::nullopt;
    }
    if (next != '{') {
      out += text.substr(pos, open + 1 - pos);
      pos = open + 1;
      continue;
    }
    out += text.substr(pos, open - pos);
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      *error = "unterminated '{{'";
      *error_offset = open;
      return std::nullopt;
    }
    std::optional<std::string> value =
        EvalExpression(text.substr(open + 2, close - open - 2), env, error);
    if (!value) {
      *error_offset = open;
      return std::nullopt;
    }
    out += *value;
    pos = close + 2;
  }
  return out;
}

std::vector<VariableInput> ParseVarAssignments(const std::vector<std::string>& assignments) {
  std::vector<VariableInput> out;
  Diagnostics errors;
  for (const std::string& a : assignments) {
    const std::size_t eq = a.find('=');
    std::string key = eq == std::string::npos ? "" : a.substr(0, eq);
    while (!key.empty() && IsSpace(key.back())) key.pop_back();
    while (!key.empty() && IsSpace(key.front())) key.erase(key.begin());
    if (eq == std::string::npos || key.empty()) {
      errors.push_back({"--var", {}, "'" + a + "' is not KEY=VALUE"});
      continue;
    }
    out.push_back({key, {a.substr(eq + 1)}, false, "--var " + key});
  }
  if (!errors.empty()) throw InputError(std::move(errors));
  return out;
}

std::vector<VariableInput> ReadDbtProfilesText(std::string_view text, const std::string& file,
                                               const DbtProfilesOptions& options,
                                               const Profile& profile, const EnvLookup& env,
                                               const std::set<std::string>& skip) {
  Diagnostic syntax;
  const std::optional<Node> parsed = yaml_util::Parse(text, file, &syntax);
  if (!parsed) throw InputError(Diagnostics{syntax});
  const Node& root = *parsed;
  if (!root.IsMap()) {
    throw InputError(
        Diagnostics{{file, Where(root), "a dbt profiles.yml must be a mapping of profiles"}});
  }
  DbtReader reader(file, env);

  // The profile.
  std::vector<std::string> names;
  std::optional<Node> chosen;
  for (const yaml_util::Entry& it : root.entries()) {
    const std::string& name = it.key.Scalar();
    if (name == "config") continue;  // dbt < 1.0 global settings, not a profile
    names.push_back(name);
    if (name == options.profile) chosen.emplace(it.value);
  }
  if (!options.profile.empty() && !chosen) {
    throw InputError(Diagnostics{
        {file, {}, "no profile '" + options.profile + "' (profiles: " + Join(names) + ")"}});
  }
  std::string profile_name = options.profile;
  if (options.profile.empty()) {
    if (names.size() != 1) {
      throw InputError(Diagnostics{{file,
                                    {},
                                    names.empty() ? std::string("no profile in the file")
                                                  : "the file has " + std::to_string(names.size()) +
                                                        " profiles (" + Join(names) +
                                                        "): choose one with --dbt-profile NAME"}});
    }
    profile_name = names.front();
    chosen.emplace(root[profile_name]);
  }
  if (!chosen->IsMap()) {
    throw InputError(
        Diagnostics{{file, Where(*chosen),
                     "profile '" + profile_name + "' must be a mapping with target and outputs"}});
  }

  // The target.
  std::string target = options.target;
  if (target.empty()) {
    const Node t = (*chosen)["target"];
    if (t && t.IsScalar()) {
      const std::optional<std::string> v =
          reader.Render(t, "choose the target with --dbt-target NAME");
      if (!v) throw InputError(reader.errors());
      target = *v;
    } else {
      target = "default";
    }
  }
  const Node outputs = (*chosen)["outputs"];
  if (!outputs || !outputs.IsMap()) {
    throw InputError(Diagnostics{
        {file, Where(*chosen), "profile '" + profile_name + "' has no 'outputs' mapping"}});
  }
  std::vector<std::string> targets;
  for (const yaml_util::Entry& it : outputs.entries()) targets.push_back(it.key.Scalar());
  const Node output = outputs[target];
  if (!output) {
    throw InputError(
        Diagnostics{{file, Where(outputs),
                     "profile '" + profile_name + "' has no target '" + target +
                         "' (targets: " + Join(targets) + "); choose one with --dbt-target NAME"}});
  }
  if (!output.IsMap()) {
    throw InputError(
        Diagnostics{{file, Where(output), "target '" + target + "' must be a mapping"}});
  }
  if (!profile.dbt_adapter().empty()) {
    const Node type = output["type"];
    if (type && type.IsScalar() && type.Scalar() != profile.dbt_adapter()) {
      throw InputError(
          Diagnostics{{file, Where(type),
                       "target '" + target + "' is a '" + type.Scalar() + "' connection; profile " +
                           profile.name() + " reads '" + profile.dbt_adapter() + "' targets"}});
    }
  }

  // The fields the profile's variables read.
  std::vector<VariableInput> out;
  for (const ProfileVariable& v : profile.variables()) {
    if (skip.count(v.name) || v.dbt_fields.empty()) continue;
    for (const std::string& field : v.dbt_fields) {
      const Node node = output[field];
      if (!node || node.IsNull()) continue;
      const std::string hint = "pass --var " + v.name + "=VALUE instead";
      VariableInput in;
      in.name = v.name;
      in.origin = Origin(file, Where(node));
      if (node.IsScalar()) {
        if (std::optional<std::string> s = reader.Render(node, hint)) in.values.push_back(*s);
      } else if (node.IsSequence()) {
        in.sequence = true;
        for (const Node& item : node.items()) {
          if (!item.IsScalar()) {
            reader.Error(Where(item), "'" + field + "' entries must be strings; " + hint);
            continue;
          }
          if (std::optional<std::string> s = reader.Render(item, hint)) in.values.push_back(*s);
        }
      } else if (v.type == VariableType::kBool) {
        in.values.push_back(node.size() > 0 ? "true" : "false");  // e.g. a non-empty mapping
      } else {
        reader.Error(Where(node), "'" + field + "' is a mapping; " + hint);
      }
      out.push_back(std::move(in));
      break;
    }
  }
  if (!reader.errors().empty()) throw InputError(reader.errors());
  return out;
}

std::vector<VariableInput> ReadDbtProfiles(const DbtProfilesOptions& options,
                                           const Profile& profile, const EnvLookup& env,
                                           const std::set<std::string>& skip) {
  std::filesystem::path path(options.path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) path /= "profiles.yml";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the dbt profiles file");
  std::ostringstream text;
  text << in.rdbuf();
  return ReadDbtProfilesText(text.str(), path.string(), options, profile, env, skip);
}

Bindings ResolveVariables(const Profile& profile, const VariableOptions& options,
                          const EnvLookup& env) {
  return ResolveVariables(profile, options, {}, env);
}

Bindings ResolveVariables(const Profile& profile, const VariableOptions& options,
                          const std::vector<VariableInput>& config_vars, const EnvLookup& env) {
  std::vector<VariableInput> from_cli = ParseVarAssignments(options.vars);
  std::vector<VariableInput> inputs;
  if (!options.dbt.path.empty()) {
    std::set<std::string> skip;
    for (const VariableInput& v : config_vars) skip.insert(v.name);
    for (const VariableInput& v : from_cli) skip.insert(v.name);
    inputs = ReadDbtProfiles(options.dbt, profile, env, skip);
  }
  inputs.insert(inputs.end(), config_vars.begin(), config_vars.end());
  inputs.insert(inputs.end(), std::make_move_iterator(from_cli.begin()),
                std::make_move_iterator(from_cli.end()));
  return profile.Bind(inputs);
}

}  // namespace iam_audit
