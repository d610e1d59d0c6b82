// ReportGithub: the audit's findings as GitHub Actions workflow commands, so
// that a CI job shows them as annotations on the pull request's diff.
//
//   ::error file=iam/dbt.json,line=12,col=5,title=missing-permission::s3:GetObject on ...
//   ::warning file=iam/dbt.json,line=3,col=7,title=over-broad-action::Statement allows ...
//   ::notice file=...,title=...::...
//
// One command per finding that counts (suppressed and baselined findings
// are left out: they are accepted), error/warning/notice after its severity,
// then a plain summary line. The message is the finding's message followed,
// when there is one, by the suggested statement (annotations show several
// lines). A finding about a whole file (line 0) has no line or col.
//
// Escaping follows the Actions toolkit (toolkit/packages/core/src/command.ts):
// in the message '%', '\r' and '\n' become %25, %0D and %0A; in property
// values ':' and ',' also become %3A and %2C.
//
// GitHub matches `file` against the repository: a path inside
// GithubOptions::workspace (the CLI passes $GITHUB_WORKSPACE, else the
// repository root) is made relative to it, whatever the current directory;
// others are written as the findings name them.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace iam_audit {

struct Report;

struct GithubOptions {
  std::string workspace;  // "" = leave paths as they are
};

void WriteGithubReport(const Report& report, const GithubOptions& options, std::ostream& out);

// The escapes above (exposed for tests).
std::string GithubEscapeData(std::string_view text);
std::string GithubEscapeProperty(std::string_view text);

}  // namespace iam_audit
