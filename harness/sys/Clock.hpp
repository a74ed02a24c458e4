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

// The start of the CLOCK_BOOTTIME second that `t` fell in, on this clock. OpenSSH's monotime()
// counts whole seconds of CLOCK_BOOTTIME, and ssh ≥ 9.2 arms its ServerAlive deadline on them;
// BOOTTIME runs ahead of MONOTONIC by the time the machine spent suspended.
TimePoint boottime_second_start(TimePoint t);

}  // namespace deadpeer::sys
