#pragma once
// What `deadpeer run` shows while it runs. Thread-safe: the Runner calls back from its worker
// threads.
//   On a terminal: one status line redrawn in place (runs and cases done of all, running now,
//   errors, elapsed, ETA), refreshed every second; a run that could not measure is printed
//   above it, so it stays in the scrollback.
//   Otherwise (CI logs, pipes): one plain line per finished run, "[ 3/32] " + TextReport::run_line.
// ETA: every run is weighed by its fault's `at` plus the horizon (its worst case) plus setup;
// before the first run ends it is that total over the runs at once, afterwards the elapsed time
// scaled by the weight still to do — which absorbs both parallelism and early detections.
#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "run/Results.hpp"
#include "scenario/Scenario.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::report {

class Progress {
 public:
  struct Options {
    bool live = false;  // a terminal: redraw one line in place (see stderr_is_terminal)
    int jobs = 1;       // runs at once, for the first ETA and for "running" without run_started
    int width = 0;      // columns of the live line; 0: the terminal's (else 100)
    std::chrono::milliseconds refresh{1000};
  };
  static bool stderr_is_terminal();

  Progress(const std::vector<scenario::Case>& cases, std::ostream& out, Options options);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();  // finish()

  // Optional (RunnerOptions::on_run_started): makes "running" exact instead of estimated.
  void run_started();
  void run_done(const run::CaseOutcome& c, const run::RunOutcome& r);
  // Stops refreshing and ends the live line; idempotent. Call before printing the report.
  void finish();

  // The status line as it would be drawn now (for tests and the live line).
  std::string status_line() const;

 private:
  std::string status_line_locked(sys::TimePoint now) const;
  void redraw_locked();

  std::ostream& out_;
  Options options_;
  sys::TimePoint started_;
  std::map<std::string, double> weight_s_;  // per case id: one run's expected duration
  std::map<std::string, int> runs_left_;    // per case id
  int total_runs_ = 0, total_cases_ = 0;
  double total_weight_s_ = 0;

  mutable std::mutex mutex_;
  int done_runs_ = 0, done_cases_ = 0, errors_ = 0, started_runs_ = 0;
  bool exact_running_ = false;
  double done_weight_s_ = 0;
  std::string last_case_;
  bool finished_ = false;
  std::condition_variable stop_cv_;
  std::thread ticker_;  // live only; last, so it starts after everything above exists
};

}  // namespace deadpeer::report
