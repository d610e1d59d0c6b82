#!/usr/bin/env python3
"""Agreement of `iam-audit simulate` with cloud-copilot/iam-simulate's own test data.

iam-simulate (an independent reimplementation of AWS's policy evaluation
logic) keeps data-driven test cases in its repository:
  - src/core_engine/coreEngineTests/**.json           (core engine, "Strict" mode)
  - src/simulation_engine/simulationEngineIntegrationTests/**.json
                                                       (integration, single-resource results)
  - src/condition/*/*.test.ts                          (condition operators)
This script turns every case `iam-audit simulate` can express into a
simulate call, runs it and compares the decision. It writes nothing into the
repository; the cases are not copied into our tests (our own tests are
written from AWS's documentation).

  git clone <iam-simulate> /tmp/iam-simulate   # or any checkout / `git archive`
  tests/tools/iam_simulate_agreement.py /tmp/iam-simulate build/release/iam-audit
      [--list] [--json OUT]

Not expressible (counted apart, not as disagreements): "Discovery" mode cases
(iam-simulate's condition discovery), integration cases that expand wildcard
resources, options this binary does not have (checked in `simulate --help`).
Condition-operator tests need `node` to read the TypeScript arrays.

Decisions compared: Allowed / ExplicitlyDenied / ImplicitlyDenied. iam-audit's
`needs_resource_policy` (a key, trust or cross-account policy that was not
given) counts as ImplicitlyDenied: iam-simulate's "no resource policy" means
the resource has none.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

# A principal without identity policies: simulate needs a POLICY, and an
# empty Statement list is refused, so a statement that never applies.
NO_IDENTITY = {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Action": "iamsim:Nothing", "Resource": "*"}]}
NODE_READER = r"""
const fs = require('fs');
let src = fs.readFileSync(process.argv[1], 'utf8');
src = src.replace(/^import .*$/mg, '');
src = src.replace(/:\s*BaseOperatorTest\[\]/g, '');
const out = [];
src = src.replace(/testOperator\(\s*'[^']*'\s*,\s*(\w+)\s*,\s*(\w+)\s*\)/g,
                  (m, tests, op) => `out.push({op: '${op}', tests: ${tests}})`);
eval(src);
process.stdout.write(JSON.stringify(out));
"""


class Runner:
    def __init__(self, binary):
        self.binary = binary
        self.tmp = tempfile.mkdtemp(prefix="iamsim-")
        self.count = 0
        helptext = subprocess.run([binary, "simulate", "--help"], capture_output=True,
                                  text=True).stdout
        self.options = set(re.findall(r"--[a-z-]+", helptext))

    def write(self, doc):
        self.count += 1
        path = os.path.join(self.tmp, f"p{self.count}.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def merged(self, policies):
        """One file for a level of several policies: any may allow, any may deny."""
        statements = []
        version = "2012-10-17"
        for p in policies:
            version = p.get("Version", version)
            s = p.get("Statement", [])
            statements.extend(s if isinstance(s, list) else [s])
        return self.write({"Version": version, "Statement": statements})

    def run(self, case):
        """case: dict of action, resource, account, principal, context, identity,
        boundary, scps, rcps, session, resource_policy, endpoint. Returns
        (decision, None) or (None, why-not-expressible)."""
        args = [self.binary, "simulate", "--format", "json"]
        identity = case.get("identity") or []
        if case.get("wildcard_request"):
            return None, "a request for a resource pattern (iam-simulate's own extension)"
        if identity:
            args += [self.write(p) for p in identity]
        elif not case.get("resource_policy"):
            args.append(self.write(NO_IDENTITY))
        args += ["--action", case["action"], "--resource", case["resource"]]
        for key, value in (case.get("context") or {}).items():
            for v in value if isinstance(value, list) else [value]:
                args += ["--context", f"{key}={v}"]
        principal = case["principal"]
        args += ["--principal", principal]
        if case.get("account") and case["resource"] != "*":
            if "--resource-account" not in self.options:
                # Older binaries: AWS sets aws:ResourceAccount on the request,
                # and the engine reads the resource's account from it.
                context = case.get("context") or {}
                if not any(k.lower() == "aws:resourceaccount" for k in context):
                    args += ["--context", f"aws:ResourceAccount={case['account']}"]
            else:
                args += ["--resource-account", f"{case['resource']}={case['account']}"]
        if case.get("boundary"):
            args += ["--boundary", self.merged(case["boundary"])]
        for level in case.get("scps") or []:
            args += ["--scp", self.merged(level)]
        for level in case.get("rcps") or []:
            args += ["--rcp", self.merged(level)]
        if case.get("session"):
            args += ["--session-policy", self.write(case["session"])]
        if case.get("resource_policy"):
            args += ["--resource-policy", self.write(case["resource_policy"])]
        if case.get("endpoint"):
            if "--vpc-endpoint-policy" not in self.options:
                return None, "needs --vpc-endpoint-policy"
            # AWS requires a Principal in an endpoint policy; iam-simulate's
            # cases omit it and apply the statements to every caller.
            endpoint = json.loads(json.dumps(case["endpoint"]))
            for p in endpoint:
                s = p.get("Statement", [])
                for st in s if isinstance(s, list) else [s]:
                    if "Principal" not in st and "NotPrincipal" not in st:
                        st["Principal"] = "*"
            args += ["--vpc-endpoint-policy", self.merged(endpoint)]
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode != 0:
            return None, "simulate exit %d: %s" % (r.returncode, r.stderr.strip()[:300])
        out = json.loads(r.stdout)
        return {
            "allowed": "Allowed",
            "explicit_deny": "ExplicitlyDenied",
            "implicit_deny": "ImplicitlyDenied",
            "needs_resource_policy": "ImplicitlyDenied",
        }.get(out["decision"], out["decision"]), None


def principal_of(p):
    if isinstance(p, dict) and p.get("type") == "Anonymous":
        return "anonymous"
    return p


def core_cases(root):
    base = os.path.join(root, "src/core_engine/coreEngineTests")
    for path in sorted(glob.glob(os.path.join(base, "**/*.json"), recursive=True)):
        for c in json.load(open(path)):
            where = f"core/{os.path.relpath(path, base)}: {c['name']}"
            if c.get("skip"):
                continue
            if (c.get("simulation") or {}).get("mode", "Strict") != "Strict":
                yield where, None, "Discovery mode", None
                continue
            r = c["request"]
            case = {
                "action": r["action"],
                "resource": r["resource"]["resource"],
                # "*" is a request AWS makes (actions without a resource
                # type); other patterns are iam-simulate's own extension.
                "wildcard_request": r["resource"]["resource"] != "*"
                and any(ch in r["resource"]["resource"] for ch in "*?"),
                "account": r["resource"].get("accountId"),
                "principal": principal_of(r["principal"]),
                "context": r.get("context") or {},
                "identity": c.get("identityPolicies") or [],
                "boundary": c.get("permissionBoundaries"),
                "scps": [lvl["policies"] for lvl in c.get("serviceControlPolicies") or []],
                "rcps": [lvl["policies"] for lvl in c.get("resourceControlPolicies") or []],
                "session": c.get("sessionPolicy"),
                # The runner reads only "resourcePolicy" (a few cases spell it
                # "resourcePolicies"; iam-simulate ignores those too).
                "resource_policy": c.get("resourcePolicy"),
                "endpoint": c.get("endpointPolicies"),
            }
            yield where, case, None, c["expected"]["response"]


def integration_cases(root):
    base = os.path.join(root, "src/simulation_engine/simulationEngineIntegrationTests")
    for path in sorted(glob.glob(os.path.join(base, "**/*.json"), recursive=True)):
        for c in json.load(open(path)):
            where = f"integration/{os.path.relpath(path, base)}: {c['name']}"
            if c.get("skip"):
                continue
            if c["expected"]["resultType"] != "single":
                yield where, None, "wildcard resource expansion", None
                continue
            if (c.get("simulationOptions") or {}).get("simulationMode") == "Discovery":
                yield where, None, "Discovery mode", None
                continue
            s = c["simulation"]
            r = s["request"]
            pols = lambda lst: [p["policy"] for p in lst or []]
            case = {
                "action": r["action"],
                "resource": r["resource"]["resource"],
                "account": r["resource"].get("accountId"),
                "principal": principal_of(r["principal"]),
                "context": r.get("contextVariables") or {},
                "identity": pols(s.get("identityPolicies")),
                "boundary": pols(s.get("permissionBoundaryPolicies")) or None,
                "scps": [pols(lvl["policies"]) for lvl in s.get("serviceControlPolicies") or []],
                "rcps": [pols(lvl["policies"]) for lvl in s.get("resourceControlPolicies") or []],
                "resource_policy": s.get("resourcePolicy"),
            }
            yield where, case, None, c["expected"]["overallResult"]


def condition_cases(root):
    files = sorted(glob.glob(os.path.join(root, "src/condition/*/*.test.ts")))
    for path in files:
        r = subprocess.run(["node", "-e", NODE_READER, path], capture_output=True, text=True)
        if r.returncode != 0:
            yield f"condition/{os.path.basename(path)}", None, "node could not read it", None
            continue
        for group in json.loads(r.stdout):
            op = group["op"]
            for t in group["tests"]:
                where = f"condition/{op}: {t['name']}"
                context = dict(t.get("requestContext") or {})
                context["iamsim:testvalue"] = t["testValue"]
                policy = {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "*",
                        "Condition": {op: {"iamsim:testvalue": t["policyValues"]}},
                    }],
                }
                case = {
                    "action": "s3:GetObject",
                    "resource": "arn:aws:s3:::bucket/key",
                    "principal": "arn:aws:iam::111122223333:user/tester",
                    "context": context,
                    "identity": [policy],
                }
                yield where, case, None, "Allowed" if t["expected"] else "ImplicitlyDenied"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("iam_simulate", help="a checkout of cloud-copilot/iam-simulate")
    ap.add_argument("binary", help="the iam-audit binary")
    ap.add_argument("--list", action="store_true", help="print every disagreement")
    ap.add_argument("--json", help="write every case's outcome to this file")
    a = ap.parse_args()
    runner = Runner(a.binary)
    rows = []
    for source in (core_cases, integration_cases, condition_cases):
        for where, case, skip, expected in source(a.iam_simulate):
            if skip:
                rows.append({"case": where, "status": "not expressible", "why": skip})
                continue
            got, why = runner.run(case)
            if got is None:
                rows.append({"case": where, "status": "not expressible", "why": why})
            else:
                rows.append({"case": where, "status": "agree" if got == expected else "disagree",
                             "expected": expected, "got": got})
    expressed = [r for r in rows if r["status"] != "not expressible"]
    agree = sum(r["status"] == "agree" for r in expressed)
    for part in ("core", "integration", "condition"):
        sub = [r for r in expressed if r["case"].startswith(part)]
        print(f"{part}: {sum(r['status'] == 'agree' for r in sub)} of {len(sub)} agree")
    print(f"total: {agree} of {len(expressed)} expressible cases agree "
          f"({len(rows) - len(expressed)} not expressible)")
    if a.list:
        for r in rows:
            if r["status"] == "disagree":
                print(f"DISAGREE {r['case']}: iam-simulate {r['expected']}, iam-audit {r['got']}")
            elif r["status"] == "not expressible" and not r["why"].startswith(("Discovery",
                                                                              "wildcard")):
                print(f"SKIP {r['case']}: {r['why']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
