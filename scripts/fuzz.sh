#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/, the `fuzz` preset: clang,
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs each one for a fixed
# time, failing on any finding (a crash, a sanitizer report, a leak, an input
# slower than 10 s, more than 2 GB of memory).
#
#   scripts/fuzz.sh [SECONDS] [NAME...]     # default: 30 s each, every harness
#   scripts/fuzz.sh 3600 cloudformation     # one harness for an hour
#
# Each harness starts from its committed seeds (tests/fuzz/corpus/NAME) plus
# what earlier runs found (build/fuzz/corpus/NAME, kept between runs), with
# its dictionary (tests/fuzz/dict/NAME.dict). A finding is saved as
# build/fuzz/artifacts/NAME-crash-... (or leak-, timeout-, oom-, slow-unit-):
# replay it with build/fuzz/tests/fuzz/NAME_fuzzer FILE. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
if (($#)); then
  names=("$@")
else
  names=()
  for f in tests/fuzz/*_fuzzer.cc; do
    n=$(basename "$f" _fuzzer.cc)
    names+=("$n")
  done
fi

echo "== fuzz: configure and build" >&2
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

mkdir -p build/fuzz/artifacts
failed=()
for name in "${names[@]}"; do
  binary="build/fuzz/tests/fuzz/${name}_fuzzer"
  seeds="tests/fuzz/corpus/$name"
  work="build/fuzz/corpus/$name"
  [[ -x "$binary" && -d "$seeds" ]] || { echo "fuzz: no harness or seeds for '$name'" >&2; exit 2; }
  mkdir -p "$work"
  echo "== fuzz: $name for ${seconds}s" >&2
  if ! ASAN_OPTIONS="detect_leaks=1" \
       UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
       "$binary" "$work" "$seeds" \
         -dict="tests/fuzz/dict/$name.dict" \
         -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
         -artifact_prefix="build/fuzz/artifacts/$name-" -print_final_stats=1 \
         >"build/fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FOUND A PROBLEM; log: build/fuzz/$name.log" >&2
    grep -E "^==[0-9]+==|SUMMARY|runtime error|Test unit written" "build/fuzz/$name.log" >&2 || true
    failed+=("$name")
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build/fuzz/$name.log" |
      tr '\n' ' ' | sed "s/^/fuzz: $name: /; s/ *$/\n/" >&2
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
