#!/usr/bin/env bash
# Flakiness check: runs the whole CTest suite N times in a row (default 20) against an existing
# build and stops at the first red run. After each run, `deadpeer cleanup` must find nothing.
# Usage: bash ci/soak.sh [N]      (BUILD_DIR=build, SOAK_LOGS=<dir> to keep each run's log)
# It prints one line per run and, at the end, the count of consecutive green runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
build=${BUILD_DIR:-build}
logs=${SOAK_LOGS:-$(mktemp -d /tmp/deadpeer-soak.XXXXXX)}
mkdir -p "$logs"
green=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  log="$logs/run-$i.log"
  if ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 300 >"$log" 2>&1 &&
    "$build"/harness/cli/deadpeer cleanup | grep -q '^nothing to clean up$'; then
    green=$((green + 1))
    echo "soak: run $i/$runs green in $(($(date +%s) - start)) s ($(grep -o '[0-9]* tests passed\|[0-9]*% tests passed.*' "$log" | tail -1); load $(cut -d' ' -f1 /proc/loadavg))"
  else
    echo "soak: run $i/$runs RED after $(($(date +%s) - start)) s; log: $log" >&2
    grep -E 'Failed|\*\*\*' "$log" | head -20 >&2 || true
    echo "soak: $green consecutive green runs before the first red one" >&2
    exit 1
  fi
done
echo "soak: $green consecutive green runs of $runs (logs in $logs)"
