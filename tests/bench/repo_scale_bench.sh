#!/usr/bin/env bash
# Repository-scale benchmark: a tree of 1,000 policy files, audited by the
# whole iam-audit process (start-up, catalog, directory scan, parsing, audit,
# report), on every core and on one.
#
#   tests/bench/repo_scale_bench.sh [IAM_AUDIT_BINARY] [FILES]
#
# The tree comes from the policy corpus (../shared/corpus: AWS managed policies
# and customer-style ones) when it exists, else it is synthetic. Times come
# from hyperfine when installed, else from a loop timed with `date +%s%N`
# (minimum, median and mean of RUNS runs; RUNS=15 by default).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/build/release/iam-audit}
files=${2:-1000}
runs=${RUNS:-15}
[[ -x "$bin" ]] || { echo "repo_scale_bench: no iam-audit binary at $bin (build the release preset)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree="$tmp/repo"
mkdir -p "$tree"

# --- the tree: FILES policies in 20 team folders ------------------------------
corpus="$root/../shared/corpus"
if [[ -d "$corpus/managed" ]]; then
  source_label="corpus ($corpus)"
  # Only files iam-audit accepts: the corpus also holds documentation
  # snippets with placeholders ("(arn of the key)") that are not valid IAM.
  pool=()
  for f in "$corpus"/custom/*.json "$corpus"/managed/*.json; do
    ((${#pool[@]} < files)) || break
    "$bin" check --no-config "$f" >/dev/null 2>&1 && pool+=("$f")
  done
  i=0
  for f in "${pool[@]}"; do
    dir="$tree/teams/team-$((i % 20))"
    mkdir -p "$dir"
    cp "$f" "$dir/$(basename "$f")"
    i=$((i + 1))
  done
else
  source_label="synthetic"
  for ((i = 0; i < files; i++)); do
    dir="$tree/teams/team-$((i % 20))"
    mkdir -p "$dir"
    cat > "$dir/policy-$i.json" <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Athena$i", "Effect": "Allow",
     "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
     "Resource": "arn:aws:athena:eu-west-1:111122223333:workgroup/team-$i"},
    {"Sid": "Glue$i", "Effect": "Allow", "Action": ["glue:GetTable", "glue:GetTables", "glue:GetDatabase"],
     "Resource": ["arn:aws:glue:eu-west-1:111122223333:catalog",
                  "arn:aws:glue:eu-west-1:111122223333:database/db_$i",
                  "arn:aws:glue:eu-west-1:111122223333:table/db_$i/*"]},
    {"Sid": "Read$i", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::lake-$i", "arn:aws:s3:::lake-$i/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}
  ]
}
EOF
  done
fi
count=$(find "$tree" -name '*.json' | wc -l)
bytes=$(du -sb "$tree" | cut -f1)

vars=(--var region_name=eu-west-1 --var account_id=111122223333 --var schema=analytics
      --var s3_staging_dir=s3://acme-athena-results/dbt/ --var s3_data_dir=s3://acme-lake/dbt/)
lint=("$bin" check "$tree" --no-config --lint-only)
audit=("$bin" check "$tree" --no-config --profile dbt-athena "${vars[@]}" --each --format json
       --output "$tmp/report.json" --fail-on never)

cores=$(nproc)
echo "iam-audit repository-scale benchmark"
echo "  binary:  $bin ($("$bin" --version))"
echo "  tree:    $count policy files, $((bytes / 1024)) KiB, from the $source_label"
echo "  machine: $cores cores ($(uname -m))"
echo

# Checks that a command works before timing it.
"${lint[@]}" >/dev/null 2>&1 || { rc=$?; [[ $rc -le 2 ]] || { echo "lint crashed ($rc)" >&2; exit 1; }; }
"${audit[@]}" >/dev/null 2>&1 || { echo "the audit failed: $("${audit[@]}" 2>&1 | head -5)" >&2; exit 1; }
findings=$(grep -c '"id":' "$tmp/report.json" || true)
echo "  the audit reports $findings findings over $count files"
echo

# time_cmd LABEL CMD...: prints min / median / mean wall time in ms.
time_cmd() {
  local label=$1
  shift
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --style basic --warmup 2 --runs "$runs" -i -n "$label" "$(printf '%q ' "$@")" 2>&1 |
      sed -n '/Time (mean/,/Range/p' | sed "s/^/  $label: /"
    return
  fi
  local times=() t0 t1
  "$@" >/dev/null 2>&1 || true  # warm-up (page cache)
  for ((r = 0; r < runs; r++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v n="$runs" '
    { t[NR] = $1; sum += $1 }
    END { printf "  %-34s min %7.1f ms   median %7.1f ms   mean %7.1f ms   (%d runs)\n",
                 label, t[1] / 1000, t[int((n + 1) / 2)] / 1000, sum / n / 1000, n }'
}

time_cmd "lint, all cores" "${lint[@]}"
time_cmd "lint, 1 job" "${lint[@]}" --jobs 1
time_cmd "audit dbt-athena --each, all cores" "${audit[@]}"
time_cmd "audit dbt-athena --each, 1 job" "${audit[@]}" --jobs 1

# --- the floor: the AWS managed policies, next to a bare nlohmann parse -------
# Side by side, whole commands timed the same way (median of RUNS runs): the
# bare_parse program (tests/bench/bare_parse_main.cc: read every file and
# nlohmann::json::parse it, one thread, nothing else) and iam-audit's lint and
# audit of the same 1,645 managed policies (4.5 MB). The goal: lint with the
# whole rule set within 2x the bare parse. Then the same in process, CPU time:
# parse_bench's BM_ParseAndLint against BM_NlohmannParse.
bench_dir=$(dirname "$bin")/tests/bench
if [[ -d "$corpus/managed" && -x "$bench_dir/bare_parse" ]]; then
  echo
  managed=$(ls "$corpus"/managed/*.json | wc -l)
  echo "managed policies: $managed files, side by side (median of $runs runs, wall)"
  median_ms() {  # CMD...: the median wall time of RUNS runs, in ms
    local times=() t0 t1
    "$@" >/dev/null 2>&1 || true
    for ((r = 0; r < runs; r++)); do
      t0=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      times+=($(((t1 - t0) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '{ t[NR] = $1 } END { printf "%.1f", t[int((n + 1) / 2)] / 1000 }'
  }
  floor=$(median_ms "$bench_dir/bare_parse" "$corpus/managed")
  printf '  %-40s median %7.1f ms   (the floor)\n' "bare nlohmann parse (bare_parse)" "$floor"
  ratio() {  # LABEL CMD...: the median and its ratio to the floor
    local label=$1
    shift
    local m
    m=$(median_ms "$@")
    awk -v l="$label" -v m="$m" -v f="$floor" \
      'BEGIN { printf "  %-40s median %7.1f ms   %.2fx the bare parse\n", l, m, m / f }'
  }
  ratio "lint, all cores" "$bin" check "$corpus/managed" --no-config --lint-only
  ratio "lint, 1 job" "$bin" check "$corpus/managed" --no-config --lint-only --jobs 1
  ratio "audit dbt-athena --each, all cores" "$bin" check "$corpus/managed" --no-config \
    --profile dbt-athena "${vars[@]}" --each --format json --output "$tmp/managed.json" --fail-on never
fi
if [[ -d "$corpus/managed" && -x "$bench_dir/parse_bench" ]]; then
  echo
  echo "in process, CPU time (parse_bench):"
  "$bench_dir/parse_bench" --benchmark_filter='^BM_(NlohmannParse|ParseAndLint)$' \
    --benchmark_format=json --benchmark_min_time=1 2>/dev/null |
    awk -F': ' '/"name"/ { gsub(/[",]/, "", $2); name = $2 }
                /"cpu_time"/ { gsub(/,/, "", $2); cpu[name] = $2 }
                /"time_unit"/ { gsub(/[",]/, "", $2); unit = $2 }
                END { d = unit == "ns" ? 1e6 : unit == "us" ? 1e3 : 1
                      f = cpu["BM_NlohmannParse"] / d; l = cpu["BM_ParseAndLint"] / d
                      printf "  %-40s %7.1f ms CPU\n", "BM_NlohmannParse", f
                      printf "  %-40s %7.1f ms CPU   %.2fx\n", "BM_ParseAndLint", l, l / f }'
fi
