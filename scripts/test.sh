#!/usr/bin/env bash
# Runs every test of Loops, installing what the tests need first:
#   Debian packages: redis-server, python3-grpcio, python3-grpc-tools (python interop peer), nghttp2-client (h2load),
#                    prometheus (promtool and a real scraper), chromium (report and dashboard browser tests)
#   npm packages:    @grpc/grpc-js and @grpc/proto-loader (node interop peer), from tests/interop/node's lock file
# Ends with the totals over every test project on a line of its own: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(python3-grpcio python3-grpc-tools nghttp2-client redis-server prometheus chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
(cd tests/interop/node && npm ci --no-audit --no-fund --loglevel=error)

results=$(mktemp -d)
status=0
dotnet test Loops.sln --nologo -v q --logger "trx" --results-directory "$results" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# The console logger at -v q names failed tests without saying why; the TRX files hold the messages and stacks.
if [ "$failed" -gt 0 ]; then
  python3 scripts/trx_failures.py "$results"/*.trx || true
fi
rm -rf "$results"
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
