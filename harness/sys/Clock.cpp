#include "sys/Clock.hpp"

#include <time.h>

namespace deadpeer::sys {

namespace {

std::chrono::nanoseconds now_of(clockid_t id) {
  timespec ts{};
  ::clock_gettime(id, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

TimePoint boottime_second_start(TimePoint t) {
  // steady_clock is CLOCK_MONOTONIC on Linux. The offset only grows across a suspend, so
  // reading it now is right for any instant since the last resume.
  const auto offset = now_of(CLOCK_BOOTTIME) - now_of(CLOCK_MONOTONIC);
  const auto boot = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()) + offset;
  const auto into_second = boot % std::chrono::seconds(1);
  return t - into_second;
}

}  // namespace deadpeer::sys
