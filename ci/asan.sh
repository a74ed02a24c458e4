#!/usr/bin/env bash
# Builds CMake preset "asan" (Debug, AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/)
# and runs the tests against it: unit tests always, integration tests too unless
# DEADPEER_ASAN_INTEGRATION=0. Every sanitizer report fails a test: UBSan stops at its first
# error (it would only print and go on otherwise), LeakSanitizer reports at exit, and the
# deadpeer binary the integration tests run is the instrumented one.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
DEADPEER_PRESET=asan bash ci/build.sh
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -LE integration
if [ "${DEADPEER_ASAN_INTEGRATION:-1}" != 0 ]; then
  ./build-asan/harness/cli/deadpeer cleanup >/dev/null
  ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -L integration
  ./build-asan/harness/cli/deadpeer cleanup | grep -q '^nothing to clean up$' || {
    echo "asan.sh: the tests left namespaces, cgroups or state behind (see above)" >&2
    exit 1
  }
fi
echo "asan: built and tested in $(( $(date +%s) - start )) s"
