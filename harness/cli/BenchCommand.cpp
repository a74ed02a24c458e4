#include "cli/BenchCommand.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "bench/BenchSuite.hpp"
#include "sys/Interrupt.hpp"

namespace deadpeer::cli {
namespace {

struct BenchArgs {
  bool quick = false;
  int repeats = 0;
  std::vector<std::string> only;
  bool gate = false;
};

int run_bench(const BenchArgs& args) {
  if (::geteuid() != 0) {
    std::cerr << "deadpeer bench: needs root to build namespaces and apply faults; `deadpeer doctor` tells what "
                 "is missing\n";
    return kCannotRun;
  }
  bench::BenchOptions options;
  options.quick = args.quick;
  if (args.repeats > 0) options.repeats = args.repeats;
  const auto rows = bench::BenchSuite::run(options, args.only, std::cout);
  if (sys::Interrupt::requested()) return 128 + sys::Interrupt::signal_number();
  bool failed = false, missed = false;
  for (const auto& r : rows) {
    failed |= r.verdict == bench::Verdict::failed;
    missed |= r.verdict == bench::Verdict::missed;
  }
  return failed || (args.gate && missed) ? kFailed : kOk;
}

}  // namespace

Command add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "measure the harness against its baselines (lab, faults, observation, "
                                          "parallel matrix, delay path, memory)");
  cmd->add_flag("--quick", args->quick, "a few repeats per row: a smoke run for CI, not a measurement");
  cmd->add_option("--only", args->only, "rows to run (comma-separated): " + [] {
       std::string s;
       for (const auto& id : bench::BenchSuite::row_ids()) s += (s.empty() ? "" : ", ") + id;
       return s;
     }())
      ->delimiter(',')
      ->check(CLI::IsMember(bench::BenchSuite::row_ids()));
  cmd->add_option("--repeats", args->repeats, "repeats of every measurement, baselines included (overrides --quick)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--gate", args->gate, "exit 1 when a goal is missed (default: only when a row cannot be measured)");
  return Command{cmd, [args] { return run_bench(*args); }};
}

}  // namespace deadpeer::cli
