#pragma once
// From a scenario to the cases to run: one per point of the [matrix] cartesian product.
#include <cstddef>
#include <vector>

#include "scenario/Scenario.hpp"

namespace deadpeer::scenario {

// More cases than this is almost surely a mistake (four axes of ten values) and would run for days.
inline constexpr std::size_t kMaxCases = 10000;

// Cases in odometer order: the first axis written varies slowest, the last fastest, so
// `a = [1, 2]` then `b = ["x", "y"]` gives (1,x) (1,y) (2,x) (2,y) with ids "<name>/0" … "<name>/3".
// Without a matrix: exactly one case, "<name>/0". Each case's scenario has the axis values
// applied (overriding or adding the setting) and an empty `matrix`.
// Throws ScenarioError if a value does not fit where its key points (the parser has already
// checked this for parsed files; scenarios built in code get the same diagnostics).
std::vector<Case> expand(const Scenario& scenario);

}  // namespace deadpeer::scenario
