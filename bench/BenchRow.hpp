#pragma once
// One row of `deadpeer bench`: what was measured (deadpeer's own path and the baseline it is
// compared with, both measured in the same invocation so machine load affects both), the goal,
// and whether it was met.
#include <string>
#include <vector>

#include "bench/Samples.hpp"

namespace deadpeer::bench {

enum class Unit { seconds, bytes };

struct Measure {
  std::string label;  // "deadpeer", "baseline: the same lab with `ip` shell-outs"
  Samples samples;
  Unit unit = Unit::seconds;
};

enum class Verdict { met, missed, unavailable, failed };
inline const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::met: return "MET";
    case Verdict::missed: return "MISSED";
    case Verdict::unavailable: return "n/a";
    case Verdict::failed: return "FAILED";
  }
  return "?";
}

struct RowResult {
  std::string id;     // what --only takes: "lab", "fault", ...
  std::string title;  // "lab setup + teardown (3 netns, 2 veth, addresses, routes)"
  std::vector<Measure> measures;
  std::string ratio;  // "51.2× faster than the baseline (p50)"; empty when there is no ratio
  std::string goal;   // "p50 ≤ 10 ms and ≥ 8× faster"
  Verdict verdict = Verdict::unavailable;
  std::string reason;               // why unavailable or failed; which part of the goal was missed
  std::vector<std::string> notes;   // how it was measured, caveats
};

}  // namespace deadpeer::bench
