// Severity: how serious a finding (or a missing profile requirement) is.
//
// Three levels, ordered: note < warning < error. Profiles give each group of
// required permissions the severity its absence deserves; findings carry one;
// --fail-on compares against it. Names are lower-case ("error", "warning",
// "note"), as in SARIF's `level`.
#pragma once

#include <optional>
#include <string_view>

namespace iam_audit {

enum class Severity : unsigned char { kNote = 0, kWarning = 1, kError = 2 };

constexpr std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

// "error", "warning", "note" (exact, lower-case); nullopt otherwise.
constexpr std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "error") return Severity::kError;
  if (name == "warning") return Severity::kWarning;
  if (name == "note") return Severity::kNote;
  return std::nullopt;
}

}  // namespace iam_audit
