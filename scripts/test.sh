#!/usr/bin/env bash
# Sets up, checks the formatting (scripts/check-format.sh), builds and runs
# every test: the normal (release) build, then the same tests under
# AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/check-format.sh
for preset in release asan; do
  echo "== $preset: configure and build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test" >&2
  ctest --preset "$preset"
done
