#!/usr/bin/env python3
"""Re-runs the commands of the doc blocks that tests/docs_examples_test.cc
reports as drifted and rewrites their shown output, keeping the block's shape:
as many leading lines as it showed before its first `...`, then `...`, then as
many trailing lines as it showed after its last `...` (all of it when it showed
no `...`). Review the diff: the shown excerpt must still make the doc's point.
    scripts/update-doc-examples.py BIN_DIR FILE:LINE [FILE:LINE...]
BIN_DIR holds the binary as `iam-audit`; FILE:LINE is the line of a command,
as the test prints it."""
import os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bindir = sys.argv[1]
targets = {}
for t in sys.argv[2:]:
    f, l = t.rsplit(":", 1)
    targets.setdefault(f, set()).add(int(l))

def run(assignments, command):
    script = "cd '%s' || exit 99\n%s\n{ %s\n} 2>&1\n" % (root, "\n".join(assignments), command)
    env = {"PATH": bindir + ":/usr/bin:/bin", "HOME": "/tmp/dochome", "NO_COLOR": "1",
           "LC_ALL": "C.UTF-8"}
    r = subprocess.run(["/bin/sh", "-c", script], env=env, capture_output=True, text=True)
    return r.stdout.rstrip("\n").split("\n")

def norm(line):
    return re.sub(r"\s+", " ", line.strip())

def find(actual, start, shown_line):
    """Index in actual (from start) of the line shown_line stands for."""
    key = norm(shown_line[:-4] if shown_line.endswith(" ...") else shown_line)
    for probe in (key, key[:60], key[:30], key[:20], key[:9]):
        for k in range(start, len(actual)):
            if norm(actual[k]).startswith(probe):
                return k
    return None

def refresh(shown, actual):
    """The shown excerpt re-cut from actual: each run of shown lines between
    `...` markers is re-taken from where its first line now is."""
    if "..." not in shown:
        return actual
    segments, cur = [], []
    for line in shown:
        if line == "...":
            segments.append(cur); segments.append(None); cur = []
        else:
            cur.append(line)
    segments.append(cur)
    out, pos = [], 0
    for idx, seg in enumerate(segments):
        if seg is None:
            out.append("..."); continue
        if not seg:
            continue
        if idx == len(segments) - 1 and idx > 0:  # the tail: the last lines of actual
            k = max(pos, len(actual) - len(seg))
        elif idx == 0:
            k = 0
        else:
            k = find(actual, pos, seg[0])
            if k is None:
                k = pos
        for j, line in enumerate(seg):
            if k + j >= len(actual):
                break
            a = actual[k + j]
            if line.endswith(" ...") and len(a) > len(line) - 4:
                a = a[: len(line) - 4] + " ..."
            out.append(a)
        pos = k + len(seg)
    return out

for f, lines_wanted in targets.items():
    path = os.path.join(root, f)
    lines = open(path).read().split("\n")
    assignments, out, i, in_block = [], [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            in_block = not in_block
            out.append(line); i += 1; continue
        if in_block and line.startswith("$ ") and re.match(r"^\$ [A-Za-z_]+=", line) and "iam-audit" not in line.split("=")[0]:
            assignments.append(line[2:]); out.append(line); i += 1; continue
        if in_block and line.startswith("$ ") and (i + 1) in lines_wanted:
            cmd_lines = [line]
            while cmd_lines[-1].endswith("\\"):
                i += 1; cmd_lines.append(lines[i])
            out.extend(cmd_lines)
            command = "\n".join(cmd_lines)[2:]
            i += 1
            shown = []
            while i < len(lines) and not lines[i].startswith("```") and not lines[i].startswith("$ "):
                shown.append(lines[i]); i += 1
            actual = run(assignments, command)
            trailing_blank = []
            while shown and shown[-1] == "" and (not actual or actual[-1] != ""):
                trailing_blank.append(shown.pop())
            new = refresh(shown, actual)
            out.extend(new + trailing_blank)
            continue
        out.append(line); i += 1
    open(path, "w").write("\n".join(out))
