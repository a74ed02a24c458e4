#pragma once
// The text `deadpeer predict` prints for one case: the situation (fault, traffic, RTT), then
// per side the settings in effect (defaults included), when it notices and why, the rule and
// its explanation, and how far measurements back that rule (cli/ModelValidation).
#include <string>

#include "cli/PredictInputs.hpp"

namespace deadpeer::cli {

class PredictReport {
 public:
  static std::string render(const PredictCase& c, const model::Prediction& p);
};

}  // namespace deadpeer::cli
