#include "global_condition_keys.h"

#include <array>

#include "ascii.h"

namespace iam_audit {
namespace {

using T = ConditionKeyType;
constexpr bool kMulti = true;
constexpr bool kSingle = false;

// AWS "AWS global condition context keys" (IAM User Guide,
// reference_policies_condition-keys.html): every key with its "Data type" and
// "Value type" (single-valued or multivalued), in the page's order. Checked
// against the page as published in awsdocs/iam-user-guide (May 2023: every key
// below up to aws:VpcSourceIp but those marked "newer", with the same types
// and cardinality); the newer keys against AWS's announcement and service
// pages named beside them. Not a global key: aws:TLSVersion (bucket policies
// write it for S3's own s3:TlsVersion; no request carries it, so lint reports
// it and names s3:TlsVersion).
constexpr GlobalConditionKey kKeys[] = {
    // Properties of the principal
    {"aws:PrincipalArn", T::kArn, kSingle},
    {"aws:PrincipalAccount", T::kString, kSingle},
    {"aws:PrincipalOrgPaths", T::kString, kMulti},
    {"aws:PrincipalOrgID", T::kString, kSingle},
    {"aws:PrincipalTag/", T::kString, kSingle},
    {"aws:PrincipalIsAWSService", T::kBool, kSingle},
    {"aws:PrincipalServiceName", T::kString, kSingle},
    {"aws:PrincipalServiceNamesList", T::kString, kMulti},
    {"aws:PrincipalType", T::kString, kSingle},
    {"aws:userid", T::kString, kSingle},
    {"aws:username", T::kString, kSingle},
    // Properties of a role session
    {"aws:AssumedRoot", T::kAny, kSingle},  // newer: AWS SCP examples (Null)
    {"aws:FederatedProvider", T::kString, kSingle},
    {"aws:TokenIssueTime", T::kDate, kSingle},
    {"aws:MultiFactorAuthAge", T::kNumeric, kSingle},
    {"aws:MultiFactorAuthPresent", T::kBool, kSingle},
    {"aws:ChatbotSourceArn", T::kArn, kSingle},  // newer: the global keys page
    {"aws:Ec2InstanceSourceVpc", T::kString, kSingle},
    {"aws:Ec2InstanceSourcePrivateIPv4", T::kIpAddress, kSingle},
    {"aws:SourceIdentity", T::kString, kSingle},
    // Properties of the network
    {"aws:SourceIp", T::kIpAddress, kSingle},
    {"aws:SourceVpc", T::kString, kSingle},
    {"aws:SourceVpcArn", T::kArn, kSingle},  // newer: the global keys page
    {"aws:SourceVpce", T::kString, kSingle},
    {"aws:VpceAccount", T::kString, kSingle},  // newer: AWS Security Blog, "Use scalable
    {"aws:VpceOrgID", T::kString, kSingle},    // controls to help prevent access from
    {"aws:VpceOrgPaths", T::kString, kMulti},  // unexpected networks"
    {"aws:VpcSourceIp", T::kIpAddress, kSingle},
    // Properties of the resource
    {"aws:ResourceAccount", T::kString, kSingle},
    {"aws:ResourceOrgID", T::kString, kSingle},
    {"aws:ResourceOrgPaths", T::kString, kMulti},
    {"aws:ResourceTag/", T::kString, kSingle},
    // Properties of the request
    {"aws:CalledVia", T::kString, kMulti},
    {"aws:CalledViaFirst", T::kString, kSingle},
    {"aws:CalledViaLast", T::kString, kSingle},
    {"aws:ViaAWSService", T::kBool, kSingle},
    {"aws:CurrentTime", T::kDate, kSingle},
    {"aws:EpochTime", T::kAny, kSingle},  // "Date, Numeric"
    {"aws:referer", T::kString, kSingle},
    {"aws:RequestedRegion", T::kString, kSingle},
    {"aws:RequestTag/", T::kString, kSingle},
    {"aws:TagKeys", T::kString, kMulti},
    {"aws:SecureTransport", T::kBool, kSingle},
    {"aws:SourceAccount", T::kString, kSingle},
    {"aws:SourceArn", T::kArn, kSingle},
    {"aws:SourceOrgID", T::kString, kSingle},    // newer: the global keys page
    {"aws:SourceOrgPaths", T::kString, kMulti},  // newer: the global keys page
    {"aws:UserAgent", T::kString, kSingle},
    {"aws:IsMcpServiceAction", T::kBool, kSingle},  // newer: AWSMcpServiceActionsFullAccess
    {"aws:ViaAWSMCPService", T::kBool, kSingle},    // newer: AWS MCP Server user guide (Bool)
    {"aws:CalledViaAWSMCP", T::kString, kSingle},   // newer: same guide
    // Deprecated, still accepted (SNS and SQS examples use it)
    {"aws:SourceOwner", T::kString, kSingle},
    // Not on the page, but used by AWS managed policies (AWSServiceRoleForAmazonEKSNodegroup...)
    {"aws:PrincipalOrgMasterAccountId", T::kString, kSingle},
};

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() > prefix.size() && ascii::EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace

std::string_view ConditionKeyTypeName(ConditionKeyType type) {
  switch (type) {
    case T::kString:
      return "String";
    case T::kArn:
      return "ARN";
    case T::kBool:
      return "Bool";
    case T::kDate:
      return "Date";
    case T::kNumeric:
      return "Numeric";
    case T::kIpAddress:
      return "IPAddress";
    case T::kBinary:
      return "Binary";
    case T::kAny:
      break;
  }
  return "any";
}

std::span<const GlobalConditionKey> GlobalConditionKeys() { return kKeys; }

const GlobalConditionKey* FindGlobalConditionKey(std::string_view key) {
  for (const GlobalConditionKey& k : kKeys) {
    if (k.name.back() == '/' ? StartsWithIgnoreCase(key, k.name)
                             : ascii::EqualsIgnoreCase(key, k.name)) {
      return &k;
    }
  }
  return nullptr;
}

std::optional<ParsedKeyType> ParseConditionKeyType(std::string_view name) {
  bool multi = false;
  if (StartsWithIgnoreCase(name, "ArrayOf")) {
    multi = true;
    name.remove_prefix(7);
  }
  static constexpr std::pair<std::string_view, ConditionKeyType> kNames[] = {
      {"String", T::kString}, {"ARN", T::kArn},         {"Bool", T::kBool},
      {"Boolean", T::kBool},  {"Date", T::kDate},       {"Numeric", T::kNumeric},
      {"Long", T::kNumeric},  {"Integer", T::kNumeric}, {"IPAddress", T::kIpAddress},
      {"Binary", T::kBinary},
  };
  for (const auto& [n, t] : kNames) {
    if (ascii::EqualsIgnoreCase(name, n)) return ParsedKeyType{t, multi};
  }
  return std::nullopt;
}

}  // namespace iam_audit
