// PolicySource: where policies come from. Reads the files teams keep their
// IAM policies in and turns each into the policies it holds and the
// principals ("audit subjects") those policies apply to, with every location
// pointing into the real file.
//
//   SourceFile file = ReadSourceFile(path, std::cin, json::kMaxDocumentBytes);
//   PolicySourceResult r = LoadPolicySource(file, {});   // throws InputError
//   for (const Diagnostic& e : r.errors) ...             // invalid documents: exit 2
//   for (const SourcePolicy& p : r.policies) Lint(p.policy);
//   for (const AuditSubject& s : r.subjects) Audit(s.name, s.policies);
//
// Formats (docs/input-formats.md has the details), detected from the content
// unless PolicySourceOptions::format forces one:
//   policy                         a bare policy document (JSON; YAML too)
//   aws-cli                        `aws iam get-policy-version` (PolicyVersion.Document,
//                                  possibly URL-encoded), `get-role-policy`,
//                                  `get-user-policy`, `get-group-policy` (PolicyDocument)
//   account-authorization-details  `aws iam get-account-authorization-details`: one
//                                  subject per role and user, with its attached managed,
//                                  inline and group policies and its permissions boundary
//   cloudformation                 templates in JSON or YAML (short-form tags included):
//                                  AWS::IAM::Policy, ManagedPolicy, RolePolicy, UserPolicy,
//                                  GroupPolicy, and the Policies / ManagedPolicyArns /
//                                  PermissionsBoundary of Role, User and Group
//   terraform                      `terraform show -json` (plan or state) and raw .tfstate:
//                                  aws_iam_policy, aws_iam_{role,user,group}_policy,
//                                  aws_iam_role inline_policy, attachments, and
//                                  aws_iam_policy_document data sources
//
// Policies embedded as JSON strings (Terraform `policy` attributes, URL-encoded
// CLI documents) are parsed with locations mapped back to the exact column
// inside the string in the file.
//
// Values the file does not determine (a CloudFormation !GetAtt, a parameter
// without a default, a Terraform value known only after apply) are never
// guessed and never `*`: they become the placeholder text
// `{unresolved.WHAT}` (see UnresolvedValue), which contains no wildcard and
// matches no real action, ARN or condition value, and a note says where each
// one is. A Resource entry that is unresolved as a whole is written
// "arn:{unresolved.WHAT}" so that the policy grammar accepts it.
//
// The reader never exits and never prints: a file it cannot read is an
// InputError naming the formats it understands; everything else is in the
// result. Hostile input is bounded like json::Parse (size, depth, errors; a
// YAML document that expands through aliases to more than 1,000,000 nodes
// is refused: docs/policy-parsing.md, Limits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/policy.h"
#include "iam_audit/resource_policy.h"
#include "iam_audit/source_file.h"

namespace iam_audit {

enum class InputFormat : std::uint8_t {
  kAuto,  // detect (as an option); "not recognized" (in a result)
  kPolicy,
  kAwsCli,
  kAccountAuthorizationDetails,
  kCloudFormation,
  kTerraform,
};

// "auto", "policy", "aws-cli", "account-authorization-details",
// "cloudformation", "terraform" (the --input-format values).
std::string_view InputFormatName(InputFormat format);
std::optional<InputFormat> ParseInputFormat(std::string_view name);
// Every accepted name, "auto" first.
std::span<const std::string_view> InputFormatNames();
// Whether the subjects of a file in `format` are the principals it defines
// (CloudFormation, Terraform, authorization details), rather than each policy
// document on its own (policy, aws-cli).
bool InputFormatHasPrincipals(InputFormat format);
// Whether the reader of `format` applies PolicySourceOptions::principal
// itself (authorization details); other callers select among the subjects.
bool InputFormatSelectsPrincipalWhileReading(InputFormat format);

struct PolicySourceOptions {
  InputFormat format = InputFormat::kAuto;
  // --var NAME=VALUE: CloudFormation parameter values (over the template's
  // Default) and pseudo parameters (AWS::AccountId, AWS::Region,
  // AWS::Partition, AWS::StackName...). Other formats ignore them.
  std::map<std::string, std::string, std::less<>> variables;
  // --principal NAME|ARN: with account authorization details, only the role or
  // user with this name or ARN (an InputError when none has). Other formats
  // ignore it.
  std::string principal;
  // When the format cannot be recognized: false throws InputError; true
  // returns a result with format kAuto and nothing in it (directory scans skip
  // such files).
  bool allow_unrecognized = false;
};

// One policy document read from the file (each once, however many principals
// it is attached to): what a linter checks. The Policy is the one the
// file's subjects share (SubjectPolicies), not a copy: never null.
struct SourcePolicy {
  // "role/dbt-runner policy dbt-access", "arn:aws:iam::123456789012:policy/dbt (v3)",
  // "AWS::IAM::ManagedPolicy DbtPolicy", "aws_iam_policy.dbt", or the file name.
  std::string name;
  PolicyKind kind = PolicyKind::kIdentity;  // kBoundary: used only as a permissions boundary
  std::shared_ptr<const Policy> policy;
};

// The policies that apply to one subject. Each document is parsed once and
// shared by every subject it applies to: a managed policy attached to 2,000
// roles is one Policy in memory, so a result's size grows with the file, not
// with roles x policies.
struct SubjectPolicies {
  std::vector<std::shared_ptr<const Policy>> identity;  // all its identity policies
  std::shared_ptr<const Policy> boundary;               // permissions boundary, or null
  std::string principal;  // the subject's ARN, for a resource policy ("" when unknown)
  // The resource policies of the file (bucket, key, trust, Data Catalog), which
  // the subject's requests meet. One list shared by every subject of the file
  // (an account's 2,000 role trust policies are in memory once, not once per
  // role); null when the file has none.
  std::shared_ptr<const std::vector<ResourcePolicy>> resource_policies;
  // The same policies by the resources they govern; null when none.
  std::shared_ptr<const ResourcePolicyIndex> resource_index;
  // The file's VPC endpoint policies (AWS::EC2::VPCEndpoint, aws_vpc_endpoint,
  // aws_vpc_endpoint_policy), each for its endpoint's service; shared the same
  // way, null when none.
  std::shared_ptr<const std::vector<EndpointPolicy>> vpc_endpoints;

  // The same as Evaluator::Compile takes them, copied (`check` shares them
  // instead: PolicySet::shared_identity, shared_boundary); build it when the
  // subject is audited, not for every subject of a file at once.
  PolicySet ToPolicySet() const;
};

// One thing to audit: a principal (role, user) with every policy that applies
// to it, combined as AWS combines them, or a policy attached to no principal
// the file describes (a bare policy, a standalone managed policy...).
struct AuditSubject {
  // "role/dbt-runner", "user/alice", "AWS::IAM::Role DbtRole",
  // "AWS::IAM::Policy DbtPolicy", "aws_iam_role.dbt", "aws_iam_role_policy.dbt",
  // "module.etl.aws_iam_policy.this", or the file name for a bare policy.
  std::string name;
  std::string arn;           // the principal's ARN when the file says it, else ""
  SourceLocation where;      // where the file defines it
  SubjectPolicies policies;  // identity policies and permissions boundary
  // The SourcePolicy name of each policies.identity entry (same order), and of
  // the boundary ("" without one).
  std::vector<std::string> identity_names;
  std::string boundary_name;
  // False when a policy that applies to the subject is not in `policies`: a
  // managed policy or boundary the file does not contain, a document with
  // errors, a Terraform policy known only after apply. A warning says which.
  bool complete = true;
};

// A resource-based policy the file holds (a bucket, key, trust or Data
// Catalog policy), with the resource it is attached to.
struct NamedResourcePolicy {
  std::string name;  // "aws_s3_bucket_policy.data", "AWS::S3::BucketPolicy DataPolicy"
  ResourcePolicy policy;
  // What holds it, as the file says (a role's AssumeRolePolicyDocument is a
  // trust policy whatever its statements say): lint checks it as that type.
  PolicyResourceKind kind = PolicyResourceKind::kOther;
};

struct NamedEndpointPolicy {
  std::string name;  // "aws_vpc_endpoint.s3", "AWS::EC2::VPCEndpoint S3Endpoint"
  EndpointPolicy policy;
};

// A suppression a template carries for its own findings, in a CloudFormation
// resource's Metadata (`iam-audit: {skip: [{id, reason, expires}]}`; the
// rules are .iam-audit.yaml's, docs/configuration.md). It covers the part of
// the file [begin, end) of its resource (end 0:0: to the end of the file), and
// the audit of the principal `subject` that resource is ("" if none).
struct TemplateSuppression {
  std::vector<FindingId> ids;
  std::string action, resource;  // IAM wildcards as written ("" = any)
  std::string reason;
  std::string expires;      // "YYYY-MM-DD" (a valid date), or "" when it does not expire
  std::string file;         // the template, as its diagnostics name it
  SourceLocation where;     // the entry
  std::string resource_id;  // the logical id
  SourceLocation begin, end;
  std::string subject;  // "AWS::IAM::Role LogicalId"
};

struct PolicySourceResult {
  InputFormat format = InputFormat::kAuto;  // as detected (or forced)
  std::vector<SourcePolicy> policies;       // in file order
  std::vector<AuditSubject> subjects;       // in file order
  // Resource-based policies (also in every subject's policies.resource_policies).
  std::vector<NamedResourcePolicy> resource_policies;
  // Resource-based policies whose resource the file does not determine (a
  // role or key whose ARN is known once deployed): linted, but given to no
  // subject, as no request can be matched to them (policy.arn is "").
  std::vector<NamedResourcePolicy> unattached_resource_policies;
  // VPC endpoint policies (also in every subject's policies.vpc_endpoints).
  std::vector<NamedEndpointPolicy> vpc_endpoints;
  Diagnostics errors;    // invalid documents (syntax, policy grammar): exit code 2
  Diagnostics warnings;  // policy warnings; policies the audit cannot see
  Diagnostics notes;     // unresolved values, and what was skipped and why
  // The PolicySourceOptions::variables meant for this file (a CloudFormation
  // template's parameters, and the pseudo parameters), so that the caller can
  // tell them from profile variables given with the same --var.
  std::set<std::string> variables_used;
  // In-template suppressions (CloudFormation resources' Metadata), checked
  // with the rules of the configuration's (src/template_suppressions.h).
  std::vector<TemplateSuppression> suppressions;

  bool ok() const { return errors.empty(); }
};

// Adds what `subject` brings to the resource side of its audit to `set`: (a
// copy of) the file's VPC endpoint policies and of its resource policies
// that govern one of `resources`, and its ARN as the caller unless `set`
// names one. `resources` are those of the requests the audit evaluates
// (RequestedResources(), audit.h): no other resource policy can decide them,
// so a principal of a file with 5,000 role trust policies copies and
// compiles only the few its requests reach. Call it when the subject is
// audited, so that only the subjects being audited hold their copies.
void AddSubjectResourceSide(const AuditSubject& subject, std::span<const std::string> resources,
                            PolicySet& set);

// Reads `file` (see above). Throws InputError when the format cannot be
// recognized (the message lists the formats iam-audit reads), when a forced
// format does not fit, or when --principal matches nothing.
PolicySourceResult LoadPolicySource(const SourceFile& file, const PolicySourceOptions& options);

// --principal NAME|ARN among the subjects of a file (CloudFormation,
// Terraform, authorization details): true when `principal` is the subject's
// ARN, its whole name ("AWS::IAM::Role DbtRole", "aws_iam_role.dbt",
// "role/service/dbt-runner") or the part after its last ' ', '.' or '/'
// ("DbtRole", "dbt", "dbt-runner").
bool DesignatesPrincipal(const AuditSubject& subject, std::string_view principal);
// The error for a --principal that designates none of `found` (the names of
// the principals the files describe, listed one a line, the first 50).
std::string UnknownPrincipalMessage(std::string_view principal,
                                    const std::vector<std::string>& found);

// The placeholder for a value the file does not determine:
// UnresolvedValue("DbtBucket.Arn") == "{unresolved.DbtBucket.Arn}". `what`
// is made safe: ':' becomes '.', and wildcards, '$', braces, whitespace and
// characters outside printable ASCII become '_'; it is cut after 200 bytes.
std::string UnresolvedValue(std::string_view what);
// Does `text` contain such a placeholder?
bool ContainsUnresolved(std::string_view text);

// Directories: the files below `dir` worth reading, for `iam-audit DIR`.
//
// Candidates are regular files named *.json, *.yaml, *.yml, *.template or
// *.tfstate (symbolic links to directories are not followed; .git,
// .terraform and node_modules are never entered). A candidate whose first
// MiB has none of the words every supported format contains ("Statement",
// "PolicyDocument", "PolicyVersion", "AWSTemplateFormatVersion", "Resources",
// "format_version", "terraform_version", "RoleDetailList", ...) is plainly not
// IAM and is skipped. `excludes` are .gitignore-style patterns matched against
// paths relative to `dir` ('/'-separated): `*` and `?` within a path segment,
// `**` across segments, `[a-z]` classes, a leading '/' or an inner '/' anchors
// the pattern at `dir`, a trailing '/' matches directories only, a leading '!'
// re-includes; the last matching pattern wins.
struct PolicyFileScan {
  std::vector<std::string> files;  // dir + '/' + relative path, sorted by relative path
  std::size_t skipped = 0;         // candidates skipped as plainly not IAM
  std::size_t excluded = 0;        // files and directories matched by `excludes`
};
// With Sniff::kLeaveToReader the candidates are not opened (skipped is 0):
// the caller reads every file anyway, and sniffs each as it reads it, on as
// many threads as it reads with (opening 1,645 files twice, once on one
// thread, was 15 ms of a 200 ms lint). Throws InputError when `dir` cannot
// be read.
enum class Sniff { kSkipNonIam, kLeaveToReader };
PolicyFileScan FindPolicyFiles(const std::string& dir, std::span<const std::string> excludes = {},
                               Sniff sniff = Sniff::kSkipNonIam);

// The sniffing test FindPolicyFiles applies to a candidate's first
// kSniffBytes: does it contain a word that some input format's files all
// contain?
bool MightHoldPolicies(std::string_view text);
inline constexpr std::size_t kSniffBytes = std::size_t{1} << 20;
// The same test on the file at `path`, reading only its first kSniffBytes;
// true when it cannot be read (its reader then says why).
bool FileMightHoldPolicies(const std::string& path);

// Does the .gitignore-style pattern list exclude `relative_path`? (The
// matching FindPolicyFiles uses; exposed for tests and for callers that
// filter paths given on the command line.)
bool IsExcluded(std::string_view relative_path, bool is_directory,
                std::span<const std::string> excludes);

}  // namespace iam_audit
