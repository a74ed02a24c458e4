#pragma once
// `deadpeer bench [--quick] [--only ROW,…] [--repeats N] [--gate]`: measures the harness's own
// costs and accuracy against baselines measured in the same invocation (bench/BenchSuite.hpp).
#include "cli/Command.hpp"

namespace deadpeer::cli {

Command add_bench_command(CLI::App& app);

}  // namespace deadpeer::cli
