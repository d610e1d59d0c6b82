// iam-audit: the engine's API, and where to start reading it.
//
// iam-audit answers, offline: does this principal get every permission a tool
// needs, on the right resources, and nothing dangerous beyond it? The engine
// is a pipeline; each stage is one header of include/iam_audit/, with its
// contract on top. Read them in this order:
//
//   1. Input      diagnostic.h, source_file.h, json.h
//                 Located values: every element read from a file keeps its
//                 FILE:LINE:COLUMN; a bounded, strict JSON reader.
//   2. Policy     policy.h, policy_variable.h, policy_source.h
//                 One IAM policy document as written (validated against the
//                 grammar), its ${...} variables, and where policies come from
//                 (bare JSON, AWS CLI output, authorization details,
//                 CloudFormation, Terraform) with the principals they apply to.
//   3. Catalog    catalog.h
//                 Every AWS service, action, resource type and condition key,
//                 compiled into the binary at build time.
//   4. Patterns   glob.h, action_pattern.h, action_set.h, arn_pattern.h
//                 IAM wildcards over actions and ARNs: matching, and the set
//                 questions the audit needs (does A cover B? do A and B overlap?).
//   5. Evaluate   condition.h, evaluator.h
//                 AWS's policy evaluation logic (explicit deny, allow,
//                 boundaries, SCPs, conditions against a request context).
//   6. Profile    severity.h, profile.h, policy_generator.h
//                 What a tool needs, as data (rules/*.yaml), bound to one
//                 deployment's variables; and the least-privilege policy for it.
//   7. Judge      finding.h, audit.h, lint.h
//                 The finding table, the audit of a policy set against a
//                 profile's requirements, and the rules that need no profile.
//   8. Report     report.h
//                 Text, JSON and SARIF renderings of the findings.
//
// Everything else (the command line, .iam-audit.yaml, suppressions, the
// baseline, parallel scanning, GitHub annotations) is application plumbing and
// lives beside its sources in src/; see the README's Layout section.
//
// This header includes the whole API, for programs that embed the engine.
#pragma once

#include "iam_audit/action_pattern.h"
#include "iam_audit/action_set.h"
#include "iam_audit/arn_pattern.h"
#include "iam_audit/audit.h"
#include "iam_audit/catalog.h"
#include "iam_audit/condition.h"
#include "iam_audit/diagnostic.h"
#include "iam_audit/evaluator.h"
#include "iam_audit/finding.h"
#include "iam_audit/glob.h"
#include "iam_audit/json.h"
#include "iam_audit/lint.h"
#include "iam_audit/policy.h"
#include "iam_audit/policy_generator.h"
#include "iam_audit/policy_source.h"
#include "iam_audit/policy_variable.h"
#include "iam_audit/profile.h"
#include "iam_audit/report.h"
#include "iam_audit/severity.h"
#include "iam_audit/source_file.h"
