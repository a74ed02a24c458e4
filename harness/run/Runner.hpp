#pragma once
// Runs cases × repeats, `jobs` at a time. Each run has its own lab, observer thread and
// cgroups, so concurrency never shares state between cases; results come back in case order.
#include <functional>
#include <vector>

#include "run/Results.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::run {

struct RunnerOptions {
  int jobs = 0;  // 0: chosen from the machine
  std::function<void(const CaseOutcome&, const RunOutcome&)> on_run_done;  // progress
  std::function<void(const scenario::Case&, int repeat)> on_run_started;  // progress: "running" exact
  // Setups (lab to session up) running at once: 0 = default_setup_slots(), < 0 = no limit
  // (SetupGate).
  int setup_slots = 0;
};

class Runner {
 public:
  explicit Runner(RunnerOptions options) : options_(std::move(options)) {}
  Results run(const std::vector<scenario::Case>& cases);
  static int default_jobs();         // 16 per CPU, at most 128
  static int default_setup_slots();  // 4 per CPU

 private:
  RunnerOptions options_;
};

Environment collect_environment();

}  // namespace deadpeer::run
