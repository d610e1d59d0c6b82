// The global condition key table (src/global_condition_keys.cc) against AWS's
// "AWS global condition context keys" page: each key's "Works with ...
// operators" and "Value type" as the page gives them, the newer keys, and the
// names that are not global keys.
#include "global_condition_keys.h"

#include <gtest/gtest.h>

#include <string>

namespace iam_audit {
namespace {

using T = ConditionKeyType;

struct Documented {
  const char* key;
  ConditionKeyType type;
  bool multivalued;
};

void PrintTo(const Documented& d, std::ostream* os) { *os << d.key; }

class GlobalConditionKeysTest : public ::testing::TestWithParam<Documented> {};

TEST_P(GlobalConditionKeysTest, TypeAndValueTypeAreThePages) {
  const Documented& d = GetParam();
  const GlobalConditionKey* k = FindGlobalConditionKey(d.key);
  ASSERT_NE(k, nullptr) << d.key;
  EXPECT_EQ(ConditionKeyTypeName(k->type), ConditionKeyTypeName(d.type)) << d.key;
  EXPECT_EQ(k->multivalued, d.multivalued) << d.key;
}

// The page's sections: "Works with string / date / numeric / Boolean / IP
// address / ARN operators" and "Value type – Single-valued / Multivalued".
// The ARN keys also work with string operators; aws:EpochTime with date or
// numeric operators (any).
INSTANTIATE_TEST_SUITE_P(
    Page, GlobalConditionKeysTest,
    ::testing::Values(Documented{"aws:CalledVia", T::kString, true},
                      Documented{"aws:CalledViaFirst", T::kString, false},
                      Documented{"aws:CalledViaLast", T::kString, false},
                      Documented{"aws:CurrentTime", T::kDate, false},
                      Documented{"aws:Ec2InstanceSourceVpc", T::kString, false},
                      Documented{"aws:Ec2InstanceSourcePrivateIPv4", T::kIpAddress, false},
                      Documented{"aws:EpochTime", T::kAny, false},
                      Documented{"aws:FederatedProvider", T::kString, false},
                      Documented{"aws:MultiFactorAuthAge", T::kNumeric, false},
                      Documented{"aws:MultiFactorAuthPresent", T::kBool, false},
                      Documented{"aws:PrincipalAccount", T::kString, false},
                      Documented{"aws:PrincipalArn", T::kArn, false},
                      Documented{"aws:PrincipalIsAWSService", T::kBool, false},
                      Documented{"aws:PrincipalOrgID", T::kString, false},
                      Documented{"aws:PrincipalOrgPaths", T::kString, true},
                      Documented{"aws:PrincipalServiceName", T::kString, false},
                      Documented{"aws:PrincipalServiceNamesList", T::kString, true},
                      Documented{"aws:PrincipalTag/team", T::kString, false},
                      Documented{"aws:PrincipalType", T::kString, false},
                      Documented{"aws:referer", T::kString, false},
                      Documented{"aws:RequestedRegion", T::kString, false},
                      Documented{"aws:RequestTag/team", T::kString, false},
                      Documented{"aws:ResourceAccount", T::kString, false},
                      Documented{"aws:ResourceOrgID", T::kString, false},
                      Documented{"aws:ResourceOrgPaths", T::kString, true},
                      Documented{"aws:ResourceTag/team", T::kString, false},
                      Documented{"aws:SecureTransport", T::kBool, false},
                      Documented{"aws:SourceAccount", T::kString, false},
                      Documented{"aws:SourceArn", T::kArn, false},
                      Documented{"aws:SourceIdentity", T::kString, false},
                      Documented{"aws:SourceIp", T::kIpAddress, false},
                      Documented{"aws:SourceVpc", T::kString, false},
                      Documented{"aws:SourceVpce", T::kString, false},
                      Documented{"aws:TagKeys", T::kString, true},
                      Documented{"aws:TokenIssueTime", T::kDate, false},
                      Documented{"aws:UserAgent", T::kString, false},
                      Documented{"aws:userid", T::kString, false},
                      Documented{"aws:username", T::kString, false},
                      Documented{"aws:ViaAWSService", T::kBool, false},
                      Documented{"aws:VpcSourceIp", T::kIpAddress, false},
                      // Newer than the 2023 page: the VPC endpoint keys (AWS Security Blog),
                      // the confused-deputy organization keys, the MCP keys (Bool).
                      Documented{"aws:VpceAccount", T::kString, false},
                      Documented{"aws:VpceOrgID", T::kString, false},
                      Documented{"aws:VpceOrgPaths", T::kString, true},
                      Documented{"aws:SourceOrgID", T::kString, false},
                      Documented{"aws:SourceOrgPaths", T::kString, true},
                      Documented{"aws:ViaAWSMCPService", T::kBool, false},
                      Documented{"aws:IsMcpServiceAction", T::kBool, false}),
    [](const auto& info) {
      std::string name = info.param.key + 4;  // without "aws:"
      for (char& c : name) {
        if (c == '/') c = '_';
      }
      return name;
    });

TEST(GlobalConditionKeysTest, LookupsIgnoreCase) {
  const GlobalConditionKey* k = FindGlobalConditionKey("AWS:sourceip");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->name, "aws:SourceIp");
  EXPECT_NE(FindGlobalConditionKey("aws:PRINCIPALTAG/Team"), nullptr);
}

TEST(GlobalConditionKeysTest, NamesThatAreNoGlobalKey) {
  // S3's key is s3:TlsVersion: bucket policies that write aws:TLSVersion
  // compare a key no request carries.
  EXPECT_EQ(FindGlobalConditionKey("aws:TLSVersion"), nullptr);
  EXPECT_EQ(FindGlobalConditionKey("aws:SourceIpp"), nullptr);
  EXPECT_EQ(FindGlobalConditionKey("aws:ARN"), nullptr);  // Access Analyzer: unsupported
  // A tag prefix needs its tag key.
  EXPECT_EQ(FindGlobalConditionKey("aws:RequestTag/"), nullptr);
  EXPECT_EQ(FindGlobalConditionKey("aws:RequestTag"), nullptr);
  EXPECT_EQ(FindGlobalConditionKey("s3:TlsVersion"), nullptr);  // a service key
}

TEST(GlobalConditionKeysTest, CatalogTypeNames) {
  const auto multi = ParseConditionKeyType("ArrayOfARN");
  ASSERT_TRUE(multi);
  EXPECT_EQ(multi->type, T::kArn);
  EXPECT_TRUE(multi->multivalued);
  const auto single = ParseConditionKeyType("IPAddress");
  ASSERT_TRUE(single);
  EXPECT_EQ(single->type, T::kIpAddress);
  EXPECT_FALSE(single->multivalued);
  EXPECT_FALSE(ParseConditionKeyType("Whatever"));
}

}  // namespace
}  // namespace iam_audit
