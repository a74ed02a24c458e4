#pragma once
// Numbers in explanations: short, but precise enough to compare with a measurement.
#include <string>

#include "model/Model.hpp"

namespace deadpeer::model {

// 4 → "4", 2.9998 → "2.9998", 928.896 → "928.896", 0.204 → "0.204"; inf → "never".
std::string secs(double s);
// "2.9998–4 s after t0"
std::string after_t0(const Window& w);

}  // namespace deadpeer::model
