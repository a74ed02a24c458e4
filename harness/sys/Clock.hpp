#pragma once
// One clock for every timestamp of a case: CLOCK_MONOTONIC (steady_clock). Fault instants,
// output lines and process exits are all compared on it.
#include <chrono>

namespace deadpeer::sys {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

inline double seconds_between(TimePoint from, TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace deadpeer::sys
