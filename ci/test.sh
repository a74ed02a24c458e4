#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test through CTest in parallel: unit tests
# (no privileges) and integration tests (real namespaces and real sshd/ssh; they skip with the
# reason where the machine cannot build a lab). Then the same tests under ASan+UBSan
# (ci/asan.sh) and a bounded fuzzing run of the scenario parser (ci/fuzz.sh).
# Run as root on Debian 12; about 20 minutes on an idle 2-core machine (docs/robustness.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ci_start=$(date +%s)
bash ci/install-deps.sh
bash ci/build.sh
# Leftovers of a killed earlier run would not break the tests, but they would hide a leak.
./build/harness/cli/deadpeer cleanup
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
# Every test must leave nothing behind.
./build/harness/cli/deadpeer cleanup | grep -q '^nothing to clean up$' || {
  echo "test.sh: the tests left namespaces, cgroups or state behind (see above)" >&2
  exit 1
}
echo "test.sh: default build and tests done after $(( $(date +%s) - ci_start )) s"
bash ci/asan.sh
bash ci/fuzz.sh
echo "test.sh: all done in $(( $(date +%s) - ci_start )) s"
