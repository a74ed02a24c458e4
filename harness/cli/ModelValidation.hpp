#pragma once
// How far each rule of the timing model has been checked against real measurements in this
// repository — so `deadpeer predict` can say honestly whether a prediction is backed by a
// measurement at that scale, by one at a much smaller scale, or by reading the sources only.
// Update the table when an integration test starts measuring a rule (or a larger setting).
#include <optional>
#include <string>

#include "model/Model.hpp"

namespace deadpeer::cli {

struct RuleEvidence {
  const char* rule;
  const char* measured;   // what was measured, where, and what came out
  double largest_s;       // the largest detection time measured for this rule (0: none/never)
};

class ModelValidation {
 public:
  static std::optional<RuleEvidence> evidence(const std::string& rule);
  // One or two sentences for a side's prediction: measured, extrapolated, or source-only.
  static std::string verdict(const model::SidePrediction& p);
};

}  // namespace deadpeer::cli
