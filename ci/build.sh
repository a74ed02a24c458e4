#!/usr/bin/env bash
# Configures and builds deadpeer (CMake preset "default" → build/). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset "${DEADPEER_PRESET:-default}" >/dev/null
cmake --build --preset "${DEADPEER_PRESET:-default}" -j "$(nproc)"
