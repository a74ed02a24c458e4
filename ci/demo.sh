#!/usr/bin/env bash
# Installs dependencies, builds, runs the default suite (scenarios/*.toml) and writes the reports
# under out/ (results.json, report.html, summary.md, junit.xml). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/install-deps.sh
bash ci/build.sh
./build/harness/cli/deadpeer doctor
./build/harness/cli/deadpeer run --out out --html out/report.html --markdown out/summary.md --junit out/junit.xml "$@"
# The TCPKeepAlive question (docs/tcp-keepalive-question.md): 13 files, 45 runs, about 2 min on
# 2 CPUs. Skipped when the caller chose the scenarios.
if [ $# -eq 0 ]; then
  ./build/harness/cli/deadpeer run scenarios/question/*.toml --out out/question \
    --html out/question/report.html --markdown out/question/summary.md --junit out/question/junit.xml
fi
