#!/usr/bin/env bash
# Builds CMake preset "asan" (Debug, AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/)
# and runs the tests against it. Every sanitizer report fails a test: UBSan stops at its first
# error (it would only print and go on otherwise), LeakSanitizer reports at exit, and the
# deadpeer binary the integration tests start is the instrumented one.
#
# DEADPEER_ASAN_INTEGRATION picks the integration tests (unit tests always run):
#   teardown (default) — the ones that build, kill and tear down labs and runs (kill_test kills
#                        the instrumented binary 36 times) and check the host: a few minutes;
#   all                — every integration test, ~7 min more on 2 cores; the detection-window
#                        tests may miss their windows under ASan's slowdown on a loaded machine;
#   0                  — none.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
DEADPEER_PRESET=asan bash ci/build.sh
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -LE integration
which="${DEADPEER_ASAN_INTEGRATION:-teardown}"
if [ "$which" != 0 ]; then
  select=()
  [ "$which" = all ] || select=(-R '^(Lab|Cgroup|Cleanup|Kill|HostSnapshot|HostGuard|Unprivileged|Blackhole)\.')
  ./build-asan/harness/cli/deadpeer cleanup >/dev/null
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -L integration "${select[@]}"
  ./build-asan/harness/cli/deadpeer cleanup | grep -q '^nothing to clean up$' || {
    echo "asan.sh: the tests left namespaces, cgroups or state behind (see above)" >&2
    exit 1
  }
fi
echo "asan: built and tested in $(( $(date +%s) - start )) s"
