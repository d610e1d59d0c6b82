#!/usr/bin/env python3
"""Measure iam-audit's lint against Parliament's own test policies.

Usage:
  tests/tools/parliament_compare.py PARLIAMENT_GIT_DIR [--iam-audit BIN] [--verbose]

PARLIAMENT_GIT_DIR is a git directory of duo-labs/parliament (a bare mirror
works: the test files are read with `git show HEAD:PATH`). Nothing of
Parliament is imported or run as Parliament: each of its test modules is
executed against a stand-in `parliament` package that records, for every
`analyze_policy_string(POLICY, ...)` call, the policy and the set of finding
ids the test then expects (`assert policy.finding_ids == {...}`,
`assert_equal(policy.finding_ids, ...)`, `assert len(policy.findings) == N`).
Tests that check Parliament's internals (ARN helpers, action expansion) record
nothing.

Each recorded policy is then linted with `iam-audit --format json
--fail-on never` and every expected Parliament finding is counted as
reported when iam-audit reports one of the equivalent ids of EQUIVALENT below
(the mapping of docs/lint.md's coverage table). Expected-clean policies are
counted as clean when iam-audit reports no error and no warning (notes are
listed). Prints the figures and, with --verbose, every policy's verdict.
"""

import argparse
import builtins
import json
import os
import subprocess
import sys
import tempfile
import traceback
import types
import warnings

# Parliament finding id -> predicates on one iam-audit finding (id, message).
# A predicate is an id, or (id, substring of the message).
EQUIVALENT = {
    "MALFORMED_JSON": ["invalid-policy"],
    "MALFORMED": ["invalid-policy", "missing-resource", "element-not-allowed-for-policy-type"],
    "DUPLICATE_SID": [("policy-warning", "duplicate Sid")],
    "INVALID_SID": [("policy-warning", "Sid")],
    "UNKNOWN_PRINCIPAL": ["invalid-principal"],
    "UNKNOWN_FEDERATION_SOURCE": ["invalid-principal"],
    "MISMATCHED_TYPE_OPERATION_TO_NULL": ["invalid-policy", "condition-value-never-matches"],
    "MISMATCHED_TYPE": ["condition-type-mismatch", "condition-value-never-matches", "invalid-policy"],
    "MISMATCHED_TYPE_BUT_USABLE": [],
    "UNKNOWN_ACTION": ["unknown-action"],
    "UNKNOWN_PREFIX": ["unknown-action"],
    "UNKNOWN_CONDITION_FOR_ACTION": ["condition-key-not-for-action", "unknown-condition-key"],
    "BAD_PATTERN_FOR_MFA": ["mfa-bool-false"],
    "INVALID_ARN": ["invalid-policy", "invalid-arn"],
    "NO_VERSION": ["missing-version"],
    "INVALID_VERSION": ["invalid-policy"],
    "OLD_VERSION": ["old-version", "variable-without-version"],
    "RESOURCE_MISMATCH": ["resource-type-mismatch"],
    "RESOURCE_STAR": [],  # no lint rule on purpose (docs/lint.md)
    "RESOURCE_EFFECTIVELY_STAR": ["resource-effectively-star"],
    "UNKNOWN_OPERATOR": ["invalid-policy"],
    "PERMISSIONS_MANAGEMENT_ACTIONS": ["privilege-escalation", "resource-exposure", "credentials-exposure"],
    "PRIVILEGE_ESCALATION": ["privilege-escalation", "pass-role-wildcard"],
    "RESOURCE_POLICY_PRIVILEGE_ESCALATION": ["resource-exposure", "privilege-escalation"],
    "CREDENTIALS_EXPOSURE": ["credentials-exposure"],
    "SENSITIVE_ACCESS": [],  # needs the user's list of sensitive resources
    "NOTPRINCIPAL_WITH_ALLOW": ["allow-not-principal"],
    "NOTRESOURCE_WITH_ALLOW": ["allow-not-resource"],
    "SINGLE_VALUE_CONDITION_TOO_PERMISSIVE": ["set-operator-on-single-valued-key"],
}

RECORDS = []


class _Expected:
    """What `policy.finding_ids` returns: remembers what it is compared with."""

    def __init__(self, record):
        self.record = record

    def __eq__(self, other):
        self.record["expected"] = set(other)
        return True

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None


class _Count(int):
    """len(policy.findings): remembers `== N` (N > 0 means 'some finding')."""

    def __new__(cls, record):
        obj = int.__new__(cls, 0)
        obj.record = record
        return obj

    def __eq__(self, other):
        self.record["expected_count"] = other
        return True

    __hash__ = int.__hash__


class _Findings(list):
    def __init__(self, record):
        super().__init__()
        self.record = record


class _Policy:
    def __init__(self, record):
        self.record = record

    @property
    def finding_ids(self):
        return _Expected(self.record)

    @property
    def findings(self):
        return _Findings(self.record)


def _analyze_policy_string(text, *args, **kwargs):
    record = {
        "policy": text,
        "kwargs": sorted(k for k in kwargs if k != "filepath"),
        "test": _CURRENT[0],
    }
    RECORDS.append(record)
    return _Policy(record)


def _len(obj):
    if isinstance(obj, _Findings):
        return _Count(obj.record)
    return _BUILTIN_LEN(obj)


def _assert_equal(a, b, *unused):
    if isinstance(a, _Expected):
        a.record["expected"] = set(b)
    elif isinstance(b, _Expected):
        b.record["expected"] = set(a)


_BUILTIN_LEN = builtins.len
_CURRENT = [""]


def _anything(*args, **kwargs):
    return True


def _stand_in_package():
    pkg = types.ModuleType("parliament")
    pkg.__path__ = []
    pkg.analyze_policy_string = _analyze_policy_string
    for name in ("is_arn_match", "is_arn_strictly_valid", "is_glob_match", "enhance_finding",
                 "expand_action", "get_resources_for_privilege"):
        setattr(pkg, name, _anything)
    pkg.UnknownPrefixException = type("UnknownPrefixException", (Exception,), {})
    pkg.UnknownActionException = type("UnknownActionException", (Exception,), {})
    statement = types.ModuleType("parliament.statement")
    for name in ("expand_action", "is_valid_region", "is_valid_account_id"):
        setattr(statement, name, _anything)
    pkg.statement = statement
    sys.modules["parliament"] = pkg
    sys.modules["parliament.statement"] = statement
    sys.modules.setdefault("jsoncfg", types.ModuleType("jsoncfg"))


def _test_files(git_dir):
    out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "HEAD"],
                         check=True, capture_output=True, text=True).stdout.split()
    return sorted(p for p in out if os.path.basename(p).startswith("test_") and p.endswith(".py"))


def _run_module(git_dir, path):
    source = subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + path],
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("parliament_test_" + os.path.basename(path)[:-3])
    module.__dict__["assert_equal"] = _assert_equal
    module.__dict__["len"] = _len
    exec(compile(source, path, "exec"), module.__dict__)
    for name, value in list(module.__dict__.items()):
        tests = []
        if isinstance(value, type) and name.startswith("Test"):
            instance = value()
            tests = [(name + "." + m, getattr(instance, m)) for m in dir(instance)
                     if m.startswith("test")]
        elif callable(value) and name.startswith("test"):
            tests = [(name, value)]
        for test_name, fn in tests:
            _CURRENT[0] = path + "::" + test_name
            try:
                fn()
            except Exception:  # tests of Parliament's internals fail on the stand-in
                if os.environ.get("PARLIAMENT_COMPARE_DEBUG"):
                    traceback.print_exc()


def _lint(binary, text):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(text)
        name = f.name
    try:
        proc = subprocess.run([binary, name, "--format", "json", "--fail-on", "never"],
                              capture_output=True, text=True)
        if not proc.stdout.strip():
            return [("no-report", "error", proc.stderr.strip())]
        report = json.loads(proc.stdout)
        return [(x["id"], x["severity"], x["message"]) for x in report["findings"]]
    finally:
        os.unlink(name)


def _matches(pred, finding):
    if isinstance(pred, tuple):
        return finding[0] == pred[0] and pred[1] in finding[2]
    return finding[0] == pred


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("git_dir")
    parser.add_argument("--iam-audit", default="build/release/iam-audit")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    warnings.simplefilter("ignore", SyntaxWarning)
    _stand_in_package()
    for path in _test_files(args.git_dir):
        _run_module(args.git_dir, path)

    expected_total = reported = 0
    clean_total = clean_ok = 0
    per_type = {}
    seen = set()
    for record in RECORDS:
        expected = record.get("expected")
        if expected is None and "expected_count" in record:
            expected = {"ANY"} if record["expected_count"] else set()
        if expected is None or "config" in record["kwargs"]:
            continue  # no expectation recorded, or a user-configured auditor
        key = (record["policy"], tuple(sorted(expected)))
        if key in seen:
            continue
        seen.add(key)
        ours = _lint(args.iam_audit, record["policy"])
        if not expected:
            clean_total += 1
            loud = [f for f in ours if f[1] in ("error", "warning")]
            clean_ok += not loud
            if args.verbose or loud:
                print(("CLEAN " if not loud else "NOISY ") + record["test"],
                      [f[0] for f in ours])
            continue
        for finding_type in sorted(expected):
            expected_total += 1
            preds = EQUIVALENT.get(finding_type, []) if finding_type != "ANY" else [
                f[0] for f in ours]
            hit = any(_matches(p, f) for p in preds for f in ours)
            reported += hit
            stats = per_type.setdefault(finding_type, [0, 0])
            stats[0] += 1
            stats[1] += hit
            if args.verbose or not hit:
                print(("HIT   " if hit else "MISS  ") + finding_type + " " + record["test"],
                      [f[0] for f in ours])
    print()
    for finding_type, (n, hit) in sorted(per_type.items()):
        print(f"{finding_type:40} {hit}/{n}")
    print(f"\nexpected findings reported: {reported} of {expected_total}")
    print(f"expected-clean policies clean (no error or warning): {clean_ok} of {clean_total}")


if __name__ == "__main__":
    main()
