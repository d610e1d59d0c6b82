#!/usr/bin/env python3
"""Writes docs/rules.md from `iam-audit rules --format json` (the finding table
of src/finding.cc), so the page cannot drift from the binary:
    scripts/gen-rules-doc.py build/release/iam-audit > docs/rules.md
tests/cmd_check_scanner_test.cc checks that every id has its section."""
import json, subprocess, sys

DOCS = {"audit": "audit.md", "lint": "lint.md", "risk": "risks.md", "input": "output.md",
        "config": "configuration.md"}
rules = json.loads(subprocess.run([sys.argv[1], "rules", "--format", "json"], check=True,
                                  capture_output=True, text=True).stdout)
out = ["# Finding ids", "",
       "Every finding iam-audit reports has a stable id. `iam-audit rules` lists them",
       "(`--format json` for tools); SARIF rules link here (`helpUri`). Choose which",
       "are reported, and at what severity, with `--enable`, `--disable` and",
       "`--severity ID=LEVEL`, or `checks:` in `.iam-audit.yaml`",
       "([configuration.md](configuration.md)).", "",
       "This page is generated from the finding table of `src/finding.cc` by",
       "`scripts/gen-rules-doc.py` (a test checks that every id has its section here).", "",
       "| id | category | default severity | description |", "| --- | --- | --- | --- |"]
for r in rules:
    out.append(f"| [`{r['id']}`](#{r['id']}) | {r['category']} | {r['severity']} | {r['description']} |")
for r in rules:
    out += ["", f"### {r['id']}", "",
            f"*{r['category']}, {r['severity']} by default* ([{DOCS[r['category']]}]({DOCS[r['category']]})). **{r['description']}.**",
            "", r["help"]]
print("\n".join(out))
