#!/usr/bin/env bash
# Fuzzes the scenario parser and validator (tests/fuzz/scenario_fuzz.cpp) with libFuzzer for a
# bounded time: builds CMake preset "fuzz" (clang, ASan+UBSan) in build-fuzz/, starts from the
# shipped scenarios, tests/unit/data and tests/fuzz/seeds, runs DEADPEER_FUZZ_SECONDS (default
# 60) and prints how many inputs it executed. A crash fails the script and leaves the input as
# build-fuzz/crash-* (replay: build-fuzz/scenario_fuzz build-fuzz/crash-…).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${DEADPEER_FUZZ_SECONDS:-60}"

# clang and libFuzzer's runtime come from Debian (clang-14, libclang-rt-14-dev on bookworm).
if ! command -v clang++ >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "fuzz.sh: clang and libclang-rt-dev are missing and installing them needs root" >&2
    exit 1
  fi
  echo "fuzz.sh: installing clang libclang-rt-dev"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

corpus=build-fuzz/corpus   # grows from run to run; the seeds below are only read
mkdir -p "$corpus"
log=build-fuzz/fuzz.log
start=$(date +%s)
set +e
build-fuzz/scenario_fuzz -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -dict=tests/fuzz/scenario.dict -artifact_prefix=build-fuzz/ \
  "$corpus" scenarios tests/unit/data/scenario tests/fuzz/seeds >"$log" 2>&1
status=$?
set -e
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
echo "fuzz: scenario_fuzz executed ${execs:-?} inputs in $(( $(date +%s) - start )) s (${rate:-?}/s), corpus $(ls "$corpus" | wc -l) files"
if [ $status != 0 ]; then
  grep -E 'ERROR|runtime error|SUMMARY|Test unit written|uncaught' "$log" >&2 || tail -n 40 "$log" >&2
  echo "fuzz.sh: the fuzzer found a crash (status $status); full log in $log" >&2
  exit 1
fi
