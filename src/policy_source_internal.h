// Internal to the policy_source*.cc files: what the format readers share.
//
//   policy_source.cc            reading a file, the Collector, embedded JSON
//   policy_source_formats.cc    the input formats: one row each, detection
//   policy_source_aws.cc        AWS CLI output, account authorization details
//   policy_source_cfn.cc        CloudFormation (JSON and YAML): the IAM mapping
//   policy_source_cfn_intrinsics.{h,cc}  CloudFormation intrinsic functions
//   yaml_json.{h,cc}            YAML to located JSON, for every format
//   policy_source_terraform.cc  terraform show -json, .tfstate
//   policy_source_files.cc      FindPolicyFiles and the exclude patterns
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "iam_audit/json.h"
#include "iam_audit/policy_source.h"

namespace iam_audit::policy_source {

// Line:column <-> byte offset in a file's text (columns as json::Parse counts
// them: bytes, 1-based, after a leading byte-order mark on line 1).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  // The byte offset of `where`, or nullopt when it is not in the text.
  std::optional<std::size_t> Offset(SourceLocation where) const;
  // The location of the byte at `offset` (clamped to the text).
  SourceLocation Location(std::size_t offset) const;

 private:
  std::vector<std::size_t> starts_;  // offset of each line's first byte
  std::size_t size_ = 0;
  std::size_t bom_ = 0;  // 3 when the text starts with a UTF-8 byte-order mark
};

// Where each byte of a decoded text (a JSON string's contents, then perhaps
// URL-decoded) came from in the file.
struct TextOrigin {
  SourceLocation fixed;      // every byte, when `columns` is empty
  int line = 0;              // the file line of the (single-line) source
  std::vector<int> columns;  // the file column of each decoded byte, and one for the end
  SourceLocation At(std::size_t offset) const;
};

// The origin of a string value's contents: exact columns when `value` is a
// string literal written on one line of `lines`' text (every JSON string is),
// else value.where() for every byte (YAML, values built by a resolver).
TextOrigin StringOrigin(const json::Value& value, std::string_view file_text,
                        const LineIndex& lines);

// Percent-decoding (RFC 3986: '+' stays '+'). nullopt when an escape is
// malformed.
std::optional<std::string> UrlDecode(std::string_view text, const TextOrigin& origin,
                                     TextOrigin* decoded_origin);

// Rebuilds `doc` in `out` with Resource / NotResource entries that hold an
// unresolved placeholder but do not start with "arn:" rewritten as
// "arn:" + entry (still matching nothing), so the policy grammar accepts them.
json::Value FixUnresolvedResources(const json::Value& doc, json::Document& out);

// Collects what a format reader finds: policy documents, principals, and
// diagnostics; Finish() turns them into the PolicySourceResult.
class Collector {
 public:
  Collector(const SourceFile& file, PolicySourceResult& result);

  const std::string& file_name() const { return file_.name; }
  std::string_view text() const { return file_.text; }
  // Built on first use (embedded documents only): indexing every line of
  // 1,645 plain policy files cost 32 M instructions no one used.
  const LineIndex& lines() const;
  // The result being filled, for what a reader adds besides policies,
  // principals and diagnostics (CloudFormation Metadata suppressions).
  PolicySourceResult& result() { return result_; }
  // Storage for values the readers build; lives as long as the Collector.
  json::Document& doc() { return doc_; }
  // Keeps another document (a YAML conversion, an embedded parse) alive as
  // long as the Collector.
  const json::Document& Keep(json::Document document);

  void UsedVariable(std::string_view name) { result_.variables_used.emplace(name); }
  void Error(SourceLocation where, std::string message);
  void Warning(SourceLocation where, std::string message);
  void Note(SourceLocation where, std::string message);  // each distinct note once

  // A JSON document held in a string value (a Terraform `policy`, a
  // URL-encoded CLI document, a CloudFormation PolicyDocument string): parsed,
  // URL-decoded first when it is not JSON text but has '%' escapes, with
  // locations inside the string (exact columns when `exact` and the value is
  // a literal in the file). `what` names it in error messages. nullopt after
  // reporting errors.
  std::optional<json::Value> ParseEmbedded(const json::Value& value, bool exact,
                                           std::string_view what);

  // Adds a policy document; returns its id. A document with errors still
  // gets an id (subjects using it are then incomplete). `where` is where the
  // file defines it (a resource, a list entry): the document itself when 0:0.
  int AddPolicy(std::string name, const json::Value& document, SourceLocation where = {});
  bool PolicyOk(int id) const { return policies_[static_cast<std::size_t>(id)].policy != nullptr; }
  const std::string& PolicyName(int id) const {
    return policies_[static_cast<std::size_t>(id)].name;
  }

  struct Principal {
    std::string name;
    std::string arn;
    SourceLocation where;
    std::vector<int> identity;  // policy ids, duplicates ignored
    int boundary = -1;
    bool complete = true;
  };
  void AddPrincipal(Principal principal);

  // Adds the resource-based policy of resource `arn` (a bucket policy, a key
  // policy, a role's trust policy...), held by a resource of `kind`: not
  // audited as an identity policy, but given to every subject's audit
  // (PolicySet::resource_policies), and linted as what it is. With an empty
  // `arn` (known once deployed) it is only linted.
  void AddResourcePolicy(std::string name, std::string arn, const json::Value& document,
                         PolicyResourceKind kind);
  // Adds the policy of a VPC endpoint of `service_name`
  // ("com.amazonaws.eu-west-1.s3"): given to every subject's audit, applied
  // to the requests of that service (PolicySet::vpc_endpoints).
  void AddEndpointPolicy(std::string name, std::string_view service_name,
                         const json::Value& document);

  // Fills the result. With `standalone`, every policy no principal uses
  // becomes a subject of its own, named like the policy.
  void Finish(bool standalone);

 private:
  struct Entry {
    std::string name;
    std::shared_ptr<const Policy> policy;  // shared by the subjects it applies to
    SourceLocation where;
    bool identity_use = false;
    bool boundary_use = false;
  };

  const SourceFile& file_;
  PolicySourceResult& result_;
  mutable std::optional<LineIndex> lines_;  // lines()
  json::Document doc_;
  std::deque<json::Document> kept_;  // stable addresses
  std::vector<Entry> policies_;
  std::vector<Principal> principals_;
  std::set<std::tuple<int, int, std::string>> notes_seen_;
};

// --- the input formats (policy_source_formats.cc) ---

// What the subjects of a format's result are.
enum class Subjects : std::uint8_t {
  kDocuments,                   // each policy document, audited on its own
  kPrincipals,                  // the principals the file defines
  kPrincipalsSelectedByReader,  // the same, and the reader applies --principal itself
};

// One input format: a row of the table in policy_source_formats.cc.
struct FormatRow {
  InputFormat format = InputFormat::kAuto;
  std::string_view name;         // the --input-format value
  std::string_view description;  // in the "cannot tell" and "this is not" messages
  // Whether a parsed file is this format (cheap: top-level keys). Detection
  // tries the rows from the last (most specific) up.
  bool (*detect)(const json::Value& root) = nullptr;
  // Whether a file forced to this format (--input-format) can be read as it.
  bool (*fits)(const json::Value& root) = nullptr;
  // Words one of which every file of this format contains: a directory scan
  // (MightHoldPolicies) reads only files with one of them.
  std::array<std::string_view, 4> sniff{};
  // Words that say text which is not valid YAML was meant to be this format
  // (its YAML errors are then reported); empty when the format has no YAML.
  std::array<std::string_view, 2> yaml_hints{};
  Subjects subjects = Subjects::kDocuments;
  // Whether a policy no principal uses becomes a subject of its own
  // (Collector::Finish).
  bool unused_policies_are_subjects = true;
  // Reads a document detect or fits accepted; throws InputError when it
  // cannot make sense of it at all.
  void (*load)(const json::Value& root, const PolicySourceOptions& options, Collector& c) = nullptr;

  bool yaml() const { return !yaml_hints[0].empty(); }
};

// The formats, kAuto excluded, in InputFormat order.
std::span<const FormatRow> Formats();
const FormatRow& FormatOf(InputFormat format);
// The most specific format `root` looks like, or nullptr.
const FormatRow* Detect(const json::Value& root);
// The format broken YAML `text` names (see FormatRow::yaml_hints), or nullptr.
const FormatRow* MeantInBrokenYaml(std::string_view text);
// `where`: the document's first value (1:1 for an empty file).
[[noreturn]] void Unrecognized(const SourceFile& file, SourceLocation where,
                               const std::string& why);
[[noreturn]] void NotThatFormat(const SourceFile& file, InputFormat format, const std::string& why);

// Resource-based policies where teams keep them (policy_source_resource.cc).
// A Terraform resource (aws_s3_bucket_policy, aws_kms_key, aws_iam_role,
// aws_glue_resource_policy) with its attribute values; other types are
// ignored.
void ReadTerraformResourcePolicy(std::string_view type, const std::string& address,
                                 const json::Value& values, SourceLocation where, Collector& c);
// A role of account authorization details: its AssumeRolePolicyDocument.
void ReadRoleTrustPolicy(const json::Value& role, Collector& c);

// Helpers for walking located JSON.
const json::Value* Member(const json::Value& object, std::string_view key);
std::string_view StringMember(const json::Value& object, std::string_view key);
// Appends a canonical text of `v` to `out`, to tell equal documents: no
// whitespace, members in document order, each array element and member
// followed by ','. Two values have the same text exactly when they are equal
// as JSON trees (numbers by their source text). Recursion is bounded by
// json::kMaxDepth, as json::Parse bounds every tree.
void AppendCanonical(const json::Value& v, std::string& out);

}  // namespace iam_audit::policy_source
