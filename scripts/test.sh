#!/usr/bin/env bash
# Builds the solution and runs every test project; ends with one summary line "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet build DePinChain.sln -c Release -nologo -clp:ErrorsOnly || { echo "tests: build failed"; exit 1; }
dotnet test DePinChain.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# VSTest prints one "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test assembly.
read -r passed failed < <(grep -E '(Passed|Failed)!  - Failed:' "$log" \
  | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
echo "tests: ${passed} passed, ${failed} failed"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then echo "tests: dotnet test exited with $rc"; fi
exit "$rc"
