#include "iam_audit/finding.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "ascii.h"
#include "iam_audit/policy.h"

namespace iam_audit {
namespace {

using ascii::Lower;

// The finding table. Append new kinds at the end; never rename an id.
constexpr std::array<FindingRule, 55> kRules = {{
    {FindingId::kMissingPermission, "missing-permission", "MissingPermission",
     FindingCategory::kAudit, Severity::kError, "Required permission not granted",
     "No Allow statement grants this action on the resource the profile requires (or a "
     "permissions boundary or SCP level given with --boundary/--scp does not allow it). The "
     "tool will fail when it makes this call. Add the suggested statement to the policy (to the "
     "boundary or SCP when the message names that layer). The audit sees only the policies "
     "given: a resource-based policy (S3 bucket policy, KMS key policy) may still deny."},
    {FindingId::kDeniedPermission, "denied-permission", "DeniedPermission", FindingCategory::kAudit,
     Severity::kError, "Required permission explicitly denied",
     "An explicit Deny statement applies to the whole required resource, so no Allow can grant "
     "it. Narrow the Deny (its Action, Resource or Condition) so that it no longer covers what "
     "the tool needs."},
    {FindingId::kPartialPermission, "partial-permission", "PartialPermission",
     FindingCategory::kAudit, Severity::kError,
     "Required permission granted on part of the resource only",
     "The policy allows the action only on part of the required resource pattern (for "
     "example table/analytics/orders when table/analytics/* is needed), or a Deny overlaps part "
     "of it. Calls on the rest will fail. Widen the Allow to the required pattern (the suggested "
     "statement) or narrow the Deny."},
    {FindingId::kConditionalPermission, "conditional-permission", "ConditionalPermission",
     FindingCategory::kAudit, Severity::kWarning,
     "Required permission depends on conditions the audit cannot decide",
     "The permission is granted (or denied) only when Condition keys hold values the audit does "
     "not know: neither the profile's request context nor --context supplies them. The message "
     "names the keys; pass --context KEY=VALUE with the values the tool's calls carry to decide "
     "them."},
    {FindingId::kOverBroadAction, "over-broad-action", "OverBroadAction", FindingCategory::kAudit,
     Severity::kWarning, "Statement allows more actions than the profile needs",
     "An Allow statement grants actions of the profile's services that the profile does not "
     "need (s3:*, glue:*, *, NotAction...). The message counts them and names the riskiest "
     "(Permissions management, then Write, then Tagging). List only the needed actions; the "
     "suggested statement keeps the ones this statement is needed for."},
    {FindingId::kOverBroadResource, "over-broad-resource", "OverBroadResource",
     FindingCategory::kAudit, Severity::kWarning,
     "Write access allowed on more resources than the profile needs",
     "A Write, Tagging or Permissions-management action the profile needs is allowed on a "
     "Resource wider than every resource the profile needs it on (s3:DeleteObject on a whole "
     "bucket or on * when the tool writes only under its prefixes; glue:DeleteTable on every "
     "database). A bug or a wrong setting can then destroy data the tool never owned. Scope the "
     "Resource to the required patterns."},
    {FindingId::kUnknownAction, "unknown-action", "UnknownAction", FindingCategory::kLint,
     Severity::kWarning, "Action matches nothing in the catalog",
     "An Action or NotAction entry matches no action of the AWS catalog iam-audit was built with "
     "(a typo, an API name that is not an IAM action, or a service newer than the catalog). IAM "
     "ignores it, so it grants nothing. Fix the name (the message suggests close ones) or use "
     "--catalog with newer data."},
    {FindingId::kStaleSuppression, "stale-suppression", "StaleSuppression",
     FindingCategory::kConfig, Severity::kWarning, "Suppression matches no finding",
     "A `suppressions` entry of .iam-audit.yaml applies to files that were audited but matched "
     "none of their findings: the problem it was written for is gone (or the entry never "
     "matched: check its id, paths, action and resource). Remove the entry so that the list "
     "does not hide a future problem. An entry whose paths match no audited file is not "
     "checked."},
    {FindingId::kExpiredSuppression, "expired-suppression", "ExpiredSuppression",
     FindingCategory::kConfig, Severity::kWarning, "Suppression has expired",
     "A `suppressions` entry of .iam-audit.yaml is past its `expires` date, so it no longer "
     "suppresses anything: the findings it matched count again. Fix them and remove the entry, "
     "or, if the exception still holds, give it a new date and reason."},
    {FindingId::kAllowAllActions, "allow-all-actions", "AllowAllActions", FindingCategory::kLint,
     Severity::kError, "Statement allows every action on every resource (administrator access)",
     "An Allow statement of an identity policy has an Action that matches every action (\"*\" "
     "or \"*:*\") on Resource \"*\" (or on every resource but a NotResource list): the principal "
     "is a full administrator. It can read any data, delete any resource, create users and "
     "access keys and rewrite its own permissions. A Condition limits when the statement "
     "applies, not what it grants. List the actions and resources the principal needs "
     "(`iam-audit generate` writes them for a profile); if administrator access is intended, "
     "keep it to a role reserved for administrators and suppress the finding with the reason."},
    {FindingId::kAllowNotAction, "allow-not-action", "AllowNotAction", FindingCategory::kLint,
     Severity::kWarning, "Allow statement uses NotAction",
     "An Allow statement with NotAction allows every action that is NOT listed, in every AWS "
     "service, on the statement's resources, including the actions AWS adds later: "
     "\"NotAction\": \"iam:*\" with Effect Allow and Resource \"*\" grants every non-IAM "
     "action of every service. Allow the actions needed with Action "
     "instead. NotAction is meant for Deny statements (deny everything except...), where it "
     "narrows access."},
    {FindingId::kPassRoleWildcard, "pass-role-wildcard", "PassRoleWildcard", FindingCategory::kLint,
     Severity::kWarning, "iam:PassRole allowed on every role",
     "An Allow statement allows iam:PassRole (by name, or through iam:*, iam:Pass*, * or "
     "NotAction) on a Resource that matches every role of an account (\"*\", "
     "arn:aws:iam::*:role/*, arn:aws:iam::111122223333:role/*). The principal can then hand any "
     "role, an administrator role included, to a service it can use (an EC2 instance profile, "
     "a Lambda function, a Glue job) and act with that role's permissions: a privilege "
     "escalation path. List the roles it must pass (arn:aws:iam::111122223333:role/dbt-*) and "
     "name the services with the iam:PassedToService condition key."},
    {FindingId::kAllowNotResource, "allow-not-resource", "AllowNotResource", FindingCategory::kLint,
     Severity::kWarning, "Allow statement uses NotResource",
     "An Allow statement of an identity policy with NotResource allows its actions on every "
     "resource that is not listed, including resources created later and resources of other "
     "accounts whose resource policies let the principal in. List the resources with Resource "
     "instead. A statement whose only action is iam:PassRole is left to pass-role-wildcard, and "
     "allow-all-actions already reports `*` with NotResource."},
    {FindingId::kRedundantAction, "redundant-action", "RedundantAction", FindingCategory::kLint,
     Severity::kNote, "Action already matched by another entry",
     "An Action entry matches only actions that another entry of the same statement already "
     "matches (s3:GetObject beside s3:Get*, or the same action twice). It changes nothing; remove "
     "it, or narrow the wildcard if the specific entry was the intent."},
    {FindingId::kUnknownConditionKey, "unknown-condition-key", "UnknownConditionKey",
     FindingCategory::kLint, Severity::kError, "Condition key does not exist",
     "A Condition uses a key that is neither an AWS global condition key nor a key of the catalog "
     "(a typo such as aws:SourceIpp, or a key of another service). No request carries it, so the "
     "clause never holds (or, with a negated operator or IfExists, always holds): a Deny guarded "
     "by it is switched off. Fix the name (the message suggests close ones, and the statement's "
     "own service key of the same name: aws:TLSVersion -> s3:TlsVersion). An unknown aws: key "
     "is an error; an unknown service key a warning, as the catalog may be older than the key."},
    {FindingId::kConditionTypeMismatch, "condition-type-mismatch", "ConditionTypeMismatch",
     FindingCategory::kLint, Severity::kWarning, "Condition operator does not fit the key's type",
     "The operator compares values of one type (Date, Numeric, IpAddress, Bool, Arn, String) and "
     "the key holds another (StringEquals on aws:SourceIp, DateLessThan on a numeric key). The "
     "comparison does not do what it seems to. Use an operator of the key's type. String operators "
     "on ARN keys compare the text and are not reported."},
    {FindingId::kSetOperatorOnSingleValuedKey, "set-operator-on-single-valued-key",
     "SetOperatorOnSingleValuedKey", FindingCategory::kLint, Severity::kWarning,
     "ForAllValues/ForAnyValue on a single-valued key",
     "ForAllValues and ForAnyValue are for multivalued keys (aws:TagKeys, aws:CalledVia). On a "
     "single-valued key, ForAllValues is also true when the key is absent from the request, so an "
     "Allow grants requests that do not carry the key at all (warning); ForAnyValue works like the "
     "plain operator (note). Use the operator without the qualifier."},
    {FindingId::kMultivaluedKeyWithoutSetOperator, "multivalued-key-without-set-operator",
     "MultivaluedKeyWithoutSetOperator", FindingCategory::kLint, Severity::kWarning,
     "Multivalued key without ForAnyValue/ForAllValues",
     "A multivalued key (aws:TagKeys, aws:CalledVia, aws:PrincipalOrgPaths, or a service key of "
     "type ArrayOf...) is compared with a plain operator. Requests carry a set of values; say how "
     "the set must match: ForAnyValue: (at least one value) or ForAllValues: (every value)."},
    {FindingId::kMfaBoolFalse, "mfa-bool-false", "MfaBoolFalse", FindingCategory::kLint,
     Severity::kWarning, "MFA condition that does not check MFA",
     "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"false\"}} does not match requests signed with "
     "long-term access keys, which do not carry the key: a Deny with it does not apply to them. "
     "Use BoolIfExists in a Deny, or require {\"Bool\": {\"aws:MultiFactorAuthPresent\": "
     "\"true\"}} in an Allow. {\"Null\": {\"aws:MultiFactorAuthPresent\": \"false\"}} in an Allow "
     "only tests that temporary credentials are used, not MFA."},
    {FindingId::kWildcardWithoutLike, "wildcard-without-like", "WildcardWithoutLike",
     FindingCategory::kLint, Severity::kWarning,
     "Wildcard in a value of an operator without wildcards",
     "A value of StringEquals, StringNotEquals or their IgnoreCase forms contains '*' or '?', "
     "which these operators compare literally. Use StringLike or StringNotLike to match a pattern "
     "(ArnEquals and ArnLike both take wildcards and are not reported)."},
    {FindingId::kPrivateSourceIp, "private-source-ip", "PrivateSourceIp", FindingCategory::kLint,
     Severity::kWarning, "aws:SourceIp with a private address range",
     "aws:SourceIp holds the public IP address a request comes from; requests through a VPC "
     "endpoint carry no aws:SourceIp. A private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, "
     "100.64.0.0/10, loopback, link-local, fc00::/7) never matches it. Use aws:VpcSourceIp with "
     "aws:SourceVpc or aws:SourceVpce for private addresses."},
    {FindingId::kConditionValueNeverMatches, "condition-value-never-matches",
     "ConditionValueNeverMatches", FindingCategory::kLint, Severity::kWarning,
     "Condition value that never matches",
     "A value its operator cannot read: a Bool or Null value other than true or false "
     "(\"yes\", \"1\"), a Numeric value that is no number, a malformed date, IP address or "
     "CIDR, or a Binary value that is not base-64. IAM accepts the policy (Access Analyzer: "
     "\"Type mismatch\" warnings), but the value matches no request, so the clause never holds "
     "(a negated operator always holds). Write a value of the operator's type."},
    {FindingId::kConditionKeyNotForAction, "condition-key-not-for-action",
     "ConditionKeyNotForAction", FindingCategory::kLint, Severity::kNote,
     "Condition key applies to none of the statement's actions",
     "A service condition key that the catalog lists for none of the statement's actions "
     "(s3:prefix with s3:GetObject): their requests do not carry it, so the clause never holds (or "
     "always, with a negated operator or IfExists). A note, as the catalog's per-action lists are "
     "not always complete. Global aws: keys and cross-service keys are not checked."},
    {FindingId::kInvalidArn, "invalid-arn", "InvalidArn", FindingCategory::kLint, Severity::kError,
     "Malformed ARN in Resource",
     "A Resource entry is not a well-formed ARN: fewer than six fields, an unknown partition, an "
     "upper-case service, a region or account ID of the wrong form, or an S3 bucket or object ARN "
     "with a region or account (they have neither). It matches no resource. Write "
     "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE."},
    {FindingId::kResourceTypeMismatch, "resource-type-mismatch", "ResourceTypeMismatch",
     FindingCategory::kLint, Severity::kWarning, "Action allowed on resources it does not act on",
     "An Allow statement lists an action and Resource entries none of which matches a resource "
     "type of that action (s3:ListBucket on arn:aws:s3:::bucket/*, s3:GetObject on the bucket ARN, "
     "or an action that supports only Resource \"*\" on a specific ARN). It grants nothing for "
     "that action. The message gives the ARN form the action needs."},
    {FindingId::kMissingResource, "missing-resource", "MissingResource", FindingCategory::kLint,
     Severity::kError, "Statement without Resource",
     "A statement of an identity policy has neither Resource nor NotResource: IAM rejects the "
     "policy. Add \"Resource\" (resource-based policies, which name a Principal, imply the "
     "resource; trust policies have none)."},
    {FindingId::kPublicPrincipal, "public-principal", "PublicPrincipal", FindingCategory::kLint,
     Severity::kError, "Resource policy allows any principal",
     "An Allow statement with Principal \"*\" (or {\"AWS\": \"*\"}) and no Condition that "
     "restricts the caller grants its actions to everyone, anonymous callers and every AWS account "
     "included: a public bucket, a role anyone can assume. Name the principals, or add a Condition "
     "on aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceArn, aws:SourceVpce... "
     "(aws:SecureTransport, aws:CurrentTime, aws:RequestedRegion and aws:UserAgent do not restrict "
     "who calls)."},
    {FindingId::kAllowNotPrincipal, "allow-not-principal", "AllowNotPrincipal",
     FindingCategory::kLint, Severity::kWarning, "Allow statement uses NotPrincipal",
     "An Allow statement with NotPrincipal allows every principal that is not listed, anonymous "
     "callers included. AWS advises against it. Name the principals with Principal."},
    {FindingId::kInvalidPrincipal, "invalid-principal", "InvalidPrincipal", FindingCategory::kLint,
     Severity::kError, "Malformed principal",
     "A Principal value IAM rejects or that names nobody: a wildcard inside an ARN or account ID "
     "(arn:aws:iam::*:role/x; use a Condition on aws:PrincipalArn with ArnLike), an account ID "
     "that is not 12 digits, a service principal with a wildcard or upper case, a Federated value "
     "that is no provider ARN."},
    {FindingId::kFederatedPrincipalWithoutCondition, "federated-principal-without-condition",
     "FederatedPrincipalWithoutCondition", FindingCategory::kLint, Severity::kWarning,
     "OIDC trust without audience or subject condition",
     "A trust policy lets an OIDC provider's identities assume the role without a Condition on the "
     "provider's :aud or :sub key (for GitHub Actions, token.actions.githubusercontent.com:sub): "
     "any repository's workflow, or any application of the provider, can assume the role. Restrict "
     "the subject (repo:ORG/REPO:ref:refs/heads/main) and the audience."},
    {FindingId::kServicePrincipalWithoutSource, "service-principal-without-source",
     "ServicePrincipalWithoutSource", FindingCategory::kLint, Severity::kNote,
     "Service principal without aws:SourceArn/aws:SourceAccount",
     "A resource policy allows an AWS service principal without a Condition on aws:SourceArn, "
     "aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths: the service may act on it for any "
     "account's resource (the confused deputy problem). Add the Condition with your account or "
     "resource."},
    {FindingId::kElementNotAllowedForPolicyType, "element-not-allowed-for-policy-type",
     "ElementNotAllowedForPolicyType", FindingCategory::kLint, Severity::kError,
     "Element not allowed in this policy type",
     "The statement breaks its policy type's grammar: a Principal in an identity policy, boundary "
     "or SCP; no Principal in a resource policy or trust policy; a Resource or NotPrincipal in a "
     "role trust policy. IAM rejects the policy. The type is detected (a Principal makes a "
     "resource policy) or given with --policy-type."},
    {FindingId::kMissingVersion, "missing-version", "MissingVersion", FindingCategory::kLint,
     Severity::kNote, "Policy has no Version",
     "Without a Version element IAM reads the policy as Version 2008-10-17, where policy variables "
     "are plain text. Add \"Version\": \"2012-10-17\"."},
    {FindingId::kOldVersion, "old-version", "OldVersion", FindingCategory::kLint, Severity::kNote,
     "Policy uses Version 2008-10-17",
     "Version 2008-10-17 is the old policy language, without policy variables. Use "
     "\"2012-10-17\"."},
    {FindingId::kVariableWithoutVersion, "variable-without-version", "VariableWithoutVersion",
     FindingCategory::kLint, Severity::kError, "Policy variable without Version 2012-10-17",
     "A Resource or Condition value uses a policy variable (${aws:username}) in a policy whose "
     "Version is 2008-10-17 or missing: IAM reads '${...}' as plain text, so the value matches "
     "only that literal text. Set \"Version\": \"2012-10-17\"."},
    {FindingId::kMalformedVariable, "malformed-variable", "MalformedVariable",
     FindingCategory::kLint, Severity::kError, "Malformed policy variable",
     "A '${' without its closing '}', an empty '${}', or spaces inside the braces: IAM does not "
     "read a variable there. Write ${key} or ${key, 'default'}."},
    {FindingId::kPolicySizeExceedsQuota, "policy-size-exceeds-quota", "PolicySizeExceedsQuota",
     FindingCategory::kLint, Severity::kError, "Policy larger than its type's quota",
     "The policy is over the size quota of its type, counted as IAM counts it (characters, "
     "whitespace not counted): 6,144 for a managed policy or permissions boundary, 10,240 for a "
     "role's inline policies, 2,048 for a trust policy unless raised, 5,120 for an SCP or RCP. IAM "
     "rejects it. An identity policy between 6,144 and 10,240 characters is a warning (it fits "
     "only as a role inline policy). Split the policy."},
    {FindingId::kDuplicateStatement, "duplicate-statement", "DuplicateStatement",
     FindingCategory::kLint, Severity::kNote, "Statement repeats another",
     "Two statements of a policy have the same effect, principal, actions, resources and "
     "conditions (Sids aside): one of them is redundant. Remove it."},
    {FindingId::kStatementShadowedByDeny, "statement-shadowed-by-deny", "StatementShadowedByDeny",
     FindingCategory::kLint, Severity::kNote, "Allow statement cancelled by a Deny",
     "An Allow statement without conditions grants nothing because an unconditional Deny statement "
     "of the same policy denies every action it allows on every resource it names. Remove the "
     "Allow, or narrow the Deny."},
    // Risk categories: what a policy allows beyond what the tool needs
    // (risk.h). Severities here are the audit's; lint's come from the table.
    {FindingId::kPrivilegeEscalation, "privilege-escalation", "PrivilegeEscalation",
     FindingCategory::kRisk, Severity::kError, "Statement lets the principal gain more permissions",
     "The statement allows a known privilege-escalation method (docs/risks.md lists them with "
     "their sources): rewriting or attaching IAM policies, changing a trust policy or a "
     "permissions boundary, creating keys or passwords for other users, passing any role to a "
     "service that runs code, replacing a function's code, running commands on instances, "
     "assuming any role. A principal with it can make itself an administrator. Remove the "
     "actions, or scope them to named resources (and iam:PassRole with iam:PassedToService)."},
    {FindingId::kCredentialsExposure, "credentials-exposure", "CredentialsExposure",
     FindingCategory::kRisk, Severity::kError, "Statement allows reading credentials or secrets",
     "The statement allows actions that return credentials or secrets (secretsmanager:"
     "GetSecretValue, ssm:GetParameter, iam:CreateAccessKey, ecr:GetAuthorizationToken, "
     "sts:GetFederationToken, redshift:GetClusterCredentials...) on every resource of their "
     "type. Scope them to the secrets and parameters the principal needs, or remove them."},
    {FindingId::kResourceExposure, "resource-exposure", "ResourceExposure", FindingCategory::kRisk,
     Severity::kError, "Statement allows changing who can access resources",
     "The statement allows actions that change a resource's access policy or share it (s3:"
     "PutBucketPolicy, s3:PutObjectAcl, kms:PutKeyPolicy, kms:CreateGrant, lambda:AddPermission, "
     "glue:PutResourcePolicy, lakeformation:GrantPermissions, ram:CreateResourceShare...): the "
     "principal can open data to other accounts or to the public. Remove them."},
    {FindingId::kDataDestruction, "data-destruction", "DataDestruction", FindingCategory::kRisk,
     Severity::kError, "Statement allows deleting or overwriting data the tool does not write",
     "The statement allows deleting or overwriting data outside what the tool writes (S3 "
     "objects outside its write locations, Glue databases and tables it does not own, buckets, "
     "KMS key deletion): a bug or a wrong setting can destroy data the tool never owned. Scope "
     "the Resource to the tool's write locations (the suggested statement), or remove the "
     "actions."},
    {FindingId::kDataExfiltration, "data-exfiltration", "DataExfiltration", FindingCategory::kRisk,
     Severity::kWarning, "Statement allows reading data the tool does not read",
     "The statement allows reading data beyond what the tool reads (s3:GetObject, kms:Decrypt, "
     "dynamodb:Scan... on other resources or on every resource). Scope the Resource to the "
     "data the tool reads (the suggested statement)."},
    {FindingId::kServiceWildcard, "service-wildcard", "ServiceWildcard", FindingCategory::kRisk,
     Severity::kWarning, "Statement allows every action of a service",
     "An Action entry \"service:*\" (or \"*\") allows every action of the service, including "
     "the ones AWS adds later, when the principal needs a few. It is an error for \"*\" and for "
     "iam, sts, kms and organizations (docs/risks.md). List the actions needed."},
    {FindingId::kResourcePolicyDenied, "resource-policy-denied", "ResourcePolicyDenied",
     FindingCategory::kAudit, Severity::kError, "Required permission denied on the resource side",
     "The identity policies grant the permission, but the resource side does not: a bucket, key, "
     "trust or Data Catalog policy (or an RCP) denies it explicitly, a KMS key policy neither "
     "names the principal nor delegates to the account's IAM policies, or the resource is in "
     "another account and its policy does not allow the principal (cross-account, both sides "
     "must allow). The message names the policy; allow the principal there or narrow the Deny. "
     "Conditions are decided with the profile's request context (dbt calls AWS over TLS, so "
     "aws:SecureTransport is true)."},
    {FindingId::kResourcePolicyNotGiven, "resource-policy-not-given", "ResourcePolicyNotGiven",
     FindingCategory::kAudit, Severity::kNote,
     "Required permission depends on a resource policy that was not given",
     "AWS decides this request with a resource policy the audit did not see: a KMS key policy "
     "(it must allow the principal or delegate to IAM), a role's trust policy, or the policy of "
     "a resource in another account (cross-account, both sides must allow). The identity side "
     "grants it; pass the policy with --resource-policy ARN=FILE, or audit a template or plan "
     "that holds it, to decide it."},
    {FindingId::kInvalidPolicy, "invalid-policy", "InvalidPolicy", FindingCategory::kInput,
     Severity::kError, "File cannot be read or is not a valid policy",
     "The file could not be read, or it is not valid in the format it is read as (JSON or YAML "
     "syntax, the IAM policy grammar, a CloudFormation template or Terraform plan iam-audit "
     "cannot resolve). Nothing in it was audited, so its findings are unknown; the other files "
     "are still audited and reported, and the exit code is 2 (an input error) whatever the "
     "findings. Fix the file at the location given."},
    {FindingId::kPolicyWarning, "policy-warning", "PolicyWarning", FindingCategory::kInput,
     Severity::kWarning, "Policy has a pitfall IAM accepts silently",
     "The reader found something IAM accepts but that rarely means what was intended (a "
     "missing or old Version, which turns policy variables into literal text; a duplicate "
     "Sid; a field IAM ignores...). The message says what and why. The policy is audited as "
     "IAM reads it; fix the pitfall so that it does what it says."},
    // Lint rules from Access Analyzer's checks (docs/lint.md).
    {FindingId::kRedundantResource, "redundant-resource", "RedundantResource",
     FindingCategory::kLint, Severity::kNote, "Resource entry already matched by another",
     "A Resource entry names only resources that another entry of the same statement already "
     "matches (arn:aws:iam::111122223333:role/jane-admin beside .../role/jane*, or the same "
     "entry twice). It changes nothing; remove it, or remove the wildcard if only the listed "
     "resources are meant (Access Analyzer: Redundant resource)."},
    {FindingId::kRedundantPrincipal, "redundant-principal", "RedundantPrincipal",
     FindingCategory::kLint, Severity::kNote, "Assumed-role principal beside its role",
     "The Principal names both a role and an assumed-role session of it "
     "(arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION): the role already covers its sessions, "
     "so the session entry changes nothing. Remove it (Access Analyzer: Redundant principal in "
     "role trust policy)."},
    {FindingId::kMissingPairedConditionKey, "missing-paired-condition-key",
     "MissingPairedConditionKey", FindingCategory::kLint, Severity::kWarning,
     "Condition key used without the key it needs beside it",
     "An Allow's Condition uses aws:VpcSourceIp without aws:SourceVpc, aws:SourceVpce or "
     "aws:SourceVpcArn: private addresses repeat in every VPC, so the statement allows them from "
     "any VPC of any account. Add the VPC to the same Condition (Access Analyzer: Missing paired "
     "condition keys)."},
    {FindingId::kInvalidVpcId, "invalid-vpc-id", "InvalidVpcId", FindingCategory::kLint,
     Severity::kWarning, "aws:SourceVpc or aws:SourceVpce value is no VPC ID",
     "A String condition on aws:SourceVpc or aws:SourceVpce compares a value that is not a VPC "
     "ID ('vpc-' and 8 or 17 letters and digits) or a VPC endpoint ID ('vpce-' likewise): no "
     "request carries it, so the value never matches (a negated operator then always holds). "
     "Fix the ID (Access Analyzer: Invalid vpc format, Invalid vpce format)."},
    {FindingId::kResourceEffectivelyStar, "resource-effectively-star", "ResourceEffectivelyStar",
     FindingCategory::kLint, Severity::kNote, "Resource pattern that is effectively \"*\"",
     "A Resource entry other than \"*\" covers every resource that each action of the "
     "statement acts on, in every account and region (arn:aws:s3:::* for S3 actions, "
     "arn:*:cloudtrail:*:*:trail/*): it only looks narrower than \"*\". Name the resources "
     "meant, or write \"*\" if every one is."},
    {FindingId::kTrustPolicyAction, "trust-policy-action", "TrustPolicyAction",
     FindingCategory::kLint, Severity::kError, "Trust policy action its principals cannot use",
     "A role trust policy grants only sts:AssumeRole, sts:AssumeRoleWithSAML, "
     "sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity and sts:SetContext: "
     "IAM rejects any other action there. Each assume action is for one kind of principal: "
     "sts:AssumeRole for AWS and service principals, sts:AssumeRoleWithSAML for a SAML "
     "provider, sts:AssumeRoleWithWebIdentity for an OIDC or web identity provider; a statement "
     "whose principals cannot call its action grants nothing. Use the action of the principal "
     "(Access Analyzer: Unsupported action in policy, Mismatched action for principal)."},
}};

constexpr bool TableInIdOrder() {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (static_cast<std::size_t>(kRules[i].id) != i) return false;
  }
  return true;
}
static_assert(TableInIdOrder(), "kRules must list the rules in FindingId order");

// Joins sorted, de-duplicated items with '\x1f' (a byte policies cannot hold
// unescaped, so the joined text is unambiguous).
std::string SortedJoin(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  std::string out;
  for (const std::string& s : items) {
    out += s;
    out += '\x1f';
  }
  return out;
}

}  // namespace

std::span<const FindingRule> FindingRules() { return kRules; }

const FindingRule& RuleFor(FindingId id) { return kRules[static_cast<std::size_t>(id)]; }

std::optional<FindingId> ParseFindingId(std::string_view name) {
  for (const FindingRule& r : kRules) {
    if (r.name == name) return r.id;
  }
  return std::nullopt;
}

namespace {

nlohmann::ordered_json StringOrList(const std::vector<std::string>& items) {
  if (items.size() == 1) return items.front();
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const std::string& s : items) list.push_back(s);
  return list;
}

}  // namespace

nlohmann::ordered_json StatementJson(const SuggestedStatement& statement) {
  nlohmann::ordered_json s = nlohmann::ordered_json::object();
  if (statement.sid) s["Sid"] = *statement.sid;
  s["Effect"] = statement.allow ? "Allow" : "Deny";
  s["Action"] = StringOrList(statement.actions);
  if (statement.has_resource) {
    s[statement.not_resource ? "NotResource" : "Resource"] = StringOrList(statement.resources);
  }
  if (!statement.conditions.empty()) {
    nlohmann::ordered_json block = nlohmann::ordered_json::object();
    for (const SuggestedCondition& c : statement.conditions) {
      block[c.op][c.key] = StringOrList(c.values);
    }
    s["Condition"] = std::move(block);
  }
  return s;
}

std::string StatementText(const std::optional<SuggestedStatement>& statement) {
  return statement ? StatementJson(*statement).dump(2) : "";
}

std::string RuleDocsAnchor(const FindingRule& rule) {
  return "docs/rules.md#" + std::string(rule.name);
}

std::string RuleHelpUri(const FindingRule& rule) {
  constexpr std::string_view kDocsUrl = IAM_AUDIT_DOCS_URL;  // "" when not known (CMakeLists.txt)
  if (kDocsUrl.empty()) return "";
  return std::string(kDocsUrl) + RuleDocsAnchor(rule);
}

std::string_view RuleSecuritySeverity(const FindingRule& rule) {
  switch (rule.severity) {
    case Severity::kError:
      return "8.0";
    case Severity::kWarning:
      return "5.0";
    case Severity::kNote:
      return "2.0";
  }
  return "5.0";
}

std::string_view Finding::name() const { return RuleFor(id).name; }

Finding MakeFinding(FindingId id, std::string file, SourceLocation where) {
  Finding f;
  f.id = id;
  f.severity = RuleFor(id).severity;
  f.file = std::move(file);
  f.where = where;
  return f;
}

std::string StatementKey(const Statement& s) {
  if (s.sid && !s.sid->value.empty()) return "sid:" + s.sid->value;
  return StatementContentKey(s);
}

std::string StatementContentKey(const Statement& s) {
  std::string key = "content:";
  key += s.effect == Effect::kAllow ? "allow" : "deny";
  key += s.not_action ? "|notaction:" : "|action:";
  std::vector<std::string> items;
  for (const LocatedString& a : s.actions) items.push_back(Lower(a.value));  // IAM: any case
  key += SortedJoin(std::move(items));
  key += s.not_resource ? "|notresource:" : "|resource:";
  items.clear();
  for (const LocatedString& r : s.resources) items.push_back(r.value);
  key += SortedJoin(std::move(items));
  key += "|condition:";
  items.clear();
  for (const ConditionClause& c : s.conditions) {
    std::vector<std::string> values;
    for (const LocatedString& v : c.values) values.push_back(v.value);
    items.push_back(Lower(c.op.value) + '\x1e' + Lower(c.key.value) + '\x1e' +
                    SortedJoin(std::move(values)));
  }
  key += SortedJoin(std::move(items));
  return key;
}

std::string Fingerprint(const Finding& f, std::string_view statement_key) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  const auto mix = [&h](std::string_view part) {
    for (const char c : part) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // field separator: no byte sequence of one field can shift into another
    h *= 1099511628211ull;
  };
  mix(f.name());
  mix(f.file);
  mix(Lower(f.action));  // IAM ignores the case of actions
  mix(f.resource);
  mix(statement_key);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

bool FindingLess(const Finding& a, const Finding& b) {
  return std::tie(a.file, a.where.line, a.where.column, a.id, a.action, a.resource) <
         std::tie(b.file, b.where.line, b.where.column, b.id, b.action, b.resource);
}

void SortFindings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), FindingLess);
}

}  // namespace iam_audit
