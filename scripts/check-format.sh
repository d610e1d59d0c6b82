#!/usr/bin/env bash
# Fails when a C++ source or header is not formatted as .clang-format says
# (Debian's clang-format). scripts/test.sh runs it first; fix with
#   git ls-files '*.cc' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z -- '*.cc' '*.h' | xargs -0 clang-format --dry-run -Werror
