#pragma once
// Per-case statistics over the repeats of a case: how fast each side noticed (min, median, p95,
// max of detect_s), how often, and mostly why. Runs with an `error` could not measure and are
// left out of everything except `errors`. Serialised under cases[].stats in results.json.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/Results.hpp"

namespace deadpeer::run {

struct SideStats {
  int measured = 0;  // runs without an error
  int detected = 0;  // of those, runs where this side noticed within the horizon
  // Over the detected runs only (a run that never noticed has no time); nullopt when none did.
  std::optional<double> min_s, median_s, p95_s, max_s;
  observe::Cause cause = observe::Cause::none;  // most common over the measured runs
  int cause_count = 0;                          // runs with that cause
  int judged = 0;                               // runs with an agrees_with_model verdict
  int disagreed = 0;                            // of those, runs outside the model's window or cause
};

struct CaseStats {
  int runs = 0;    // all runs, including those that errored
  int errors = 0;  // runs that could not measure
  SideStats client, server;
};

SideStats side_stats(const CaseOutcome& c, bool client);
CaseStats case_stats(const CaseOutcome& c);

// {"runs", "errors", "client": {"measured", "detected", "min_s", "median_s", "p95_s", "max_s",
//  "cause", "cause_count", "judged", "disagreed"}, "server": {…}}; times are null when no run detected.
nlohmann::json stats_to_json(const CaseOutcome& c);

// Linear interpolation between closest ranks (numpy's default, R type 7) of a sorted, non-empty
// sample: quantile(v, 0.5) is the median, quantile(v, 0.95) the p95. With 3 runs the p95 lies
// between the 2nd and 3rd value; that is all three runs can say.
double quantile(const std::vector<double>& sorted, double q);

// A short name for each case, for messages and charts: the scenario's name and the settings that
// differ between its cases, "blackhole[ServerAliveInterval=5]"; the bare name when the scenario
// has a single case. The prefix "client."/"server."/… is dropped unless two varying keys would
// then read the same.
std::map<std::string, std::string> case_labels(const Results& results);

// The settings that differ between the cases of the same scenario in `results`, in key order.
std::map<std::string, std::vector<std::string>> varying_settings(const Results& results);

// Per case id, the part of its label between the brackets: "ServerAliveInterval=5" ("" for a
// scenario with a single case, or cases that differ in no recorded setting).
std::map<std::string, std::string> varying_text(const Results& results);

}  // namespace deadpeer::run
