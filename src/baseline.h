// Baseline: the findings a team has today, recorded so that a CI gate fails
// only on new ones while the old ones are worked off.
//
//   iam-audit iam/ --write-baseline .iam-audit-baseline.json   # record (review, commit)
//   iam-audit iam/ --baseline .iam-audit-baseline.json         # only new findings count
//
// A finding is matched by its fingerprint (finding.h Fingerprint(): finding
// id, file, action, resource and the responsible statement's Sid, or its
// normalised content when it has none), never by line number, so reformatting
// a policy or moving statements around keeps it matched, while a new
// statement, a new action or a finding in another file does not match.
// Matching counts: an entry matches one finding, so a second identical
// problem is new.
//
// The file is JSON, meant to be reviewed in a pull request:
//   {"version": 1, "tool": {"name": "iam-audit", "version": "0.1.0"},
//    "entries": [{"id", "file", "action", "resource", "fingerprint"}, ...]}
// Only "fingerprint" is used for matching (and only "version" 1 is read); the
// other fields tell a reviewer what each entry is. Entries are sorted by file,
// id, action and resource, so that a rewrite shows a minimal diff.
//
// Findings a configuration suppression already accepts, and the suppression
// hygiene findings (stale-suppression, expired-suppression), are not
// recorded: an expiring suppression must not live on in the baseline.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/finding.h"

namespace iam_audit {

struct BaselineEntry {
  std::string id;
  std::string file;
  std::string action;
  std::string resource;
  std::string fingerprint;
};

struct Baseline {
  std::string file;  // where it was read from ("" for a new one)
  std::vector<BaselineEntry> entries;
};

// The findings worth recording (see above), sorted.
Baseline MakeBaseline(std::span<const Finding* const> findings);
// The JSON text (ends with a newline).
std::string BaselineToJson(const Baseline& baseline);

// Parses baseline text; `file` names it in messages. Throws InputError with
// FILE:LINE:COLUMN for malformed JSON or a wrong structure.
Baseline ParseBaseline(std::string_view text, const std::string& file);
// Reads `path`. Throws InputError (a missing file included).
Baseline ReadBaseline(const std::string& path);
// Writes atomically (atomic_file.h). Throws InputError.
void WriteBaseline(const std::string& path, const Baseline& baseline);

// Marks each finding not yet suppressed whose fingerprint has an unused
// entry as suppressed (kind kBaseline). Returns how many it marked.
std::size_t ApplyBaseline(const Baseline& baseline, std::span<Finding* const> findings);

}  // namespace iam_audit
