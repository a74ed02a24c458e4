#pragma once
// The readable table `deadpeer run` prints: one row per run, then per case the spread of each
// side's detection over its repeats.
#include <string>

#include "run/Results.hpp"

namespace deadpeer::report {

class TextReport {
 public:
  static std::string render(const run::Results& results);
  static std::string run_line(const run::CaseOutcome& c, const run::RunOutcome& r);  // progress line
  static std::string format_seconds(const std::optional<double>& s);  // "3.998 s" or "—"
};

}  // namespace deadpeer::report
