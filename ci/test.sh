#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test through CTest in parallel: unit tests
# (no privileges) and integration tests (real namespaces and real sshd/ssh; they skip with the
# reason where the machine cannot build a lab). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
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
