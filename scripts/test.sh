#!/usr/bin/env bash
# Sets up, checks the formatting (scripts/check-format.sh), builds and runs
# every test: the normal (release, g++) build, the same with clang (the clang
# preset), then under AddressSanitizer + UndefinedBehaviorSanitizer (the asan
# preset), then every libFuzzer harness for 30 s, built with clang
# (scripts/fuzz.sh; IAM_AUDIT_FUZZ_SECONDS changes the time, 0 skips them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/check-format.sh
for preset in release clang asan; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test" >&2
  ctest --preset "$preset"
done
fuzz_seconds=${IAM_AUDIT_FUZZ_SECONDS:-30}
if ((fuzz_seconds > 0)); then
  scripts/fuzz.sh "$fuzz_seconds"
fi
