#!/usr/bin/env bash
# Installs dependencies, builds, runs the default suite (scenarios/*.toml) and writes the reports
# under out/ (results.json, report.html, summary.md, junit.xml). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
./build/harness/cli/deadpeer doctor
./build/harness/cli/deadpeer run --out out --html out/report.html --markdown out/summary.md --junit out/junit.xml "$@"
