#pragma once
// Two results files side by side (`deadpeer compare OLD NEW`): cases matched by id, per side the
// old and new median detection time, the change, and whether the repeats say the change is real
// (two-sided Mann–Whitney U). A run that did not detect ranks after every run that did, so
// "detected 3/3 → 0/3" is a change the test sees too. Runs that errored are left out.
#include <optional>
#include <string>
#include <vector>

#include "run/Results.hpp"

namespace deadpeer::report {

struct MannWhitney {
  double u = 0;     // of the first sample
  double p = 1;     // two-sided
  bool exact = true;  // all arrangements enumerated (else the normal approximation, tie-corrected)
};

// `a` and `b` may hold +infinity (never detected). p = 1 when either sample is empty.
MannWhitney mann_whitney(const std::vector<double>& a, const std::vector<double>& b);

// The smallest two-sided p any outcome can reach with n and m runs: 2 / C(n+m, n). With 3 and 3
// runs it is 0.1, so no change can be significant at 0.05, however large.
double smallest_p(std::size_t n, std::size_t m);

struct SideChange {
  std::vector<double> old_s, new_s;  // detect_s per measured run, +inf when not detected
  std::optional<double> old_median, new_median;  // over the runs that detected
  int old_detected = 0, new_detected = 0;
  MannWhitney test;
  bool significant = false;  // p < kAlpha
  std::string change;        // "+0.132 s (+3.5 %)", "detected 3/3 → 0/3", "—"
  std::string verdict;       // "significant (p=0.008, n=5+5)", "not significant (n=3+3: p ≥ 0.10 at best)"
};

struct CaseChange {
  std::string id;
  bool settings_differ = false;  // same id, different settings: the matrix changed between the runs
  SideChange client, server;
};

class Comparison {
 public:
  static constexpr double kAlpha = 0.05;

  static Comparison of(const run::Results& old_results, const run::Results& new_results);

  // A table for the terminal; `old_name`/`new_name` name the files.
  std::string text(const std::string& old_name, const std::string& new_name) const;
  std::string markdown(const std::string& old_name, const std::string& new_name) const;

  std::vector<CaseChange> matched;  // in the new file's order
  std::vector<std::string> only_old, only_new;
  std::string old_run, new_run;  // run ids
};

}  // namespace deadpeer::report
