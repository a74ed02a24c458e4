#pragma once
// Row `delay`: how exactly the user-space delay path (the kernel here has no sch_netem) delays
// packets. A UDP probe crosses the lab client → server at 1 and 10 kpps with a 10 ms delay
// fault applied in the router; the row reports one-way latency minus the configured 10 ms, and
// the kernel's own forwarding latency (no fault) measured just before as the baseline.
//
// The fault is made the way a scenario makes it (faults::FaultFactory: kind "impair" with
// delay = "10ms", backend = "userspace"), so the row measures whatever that kind does in this
// build; without such a kind it reports "not available" with the reason.
#include <optional>
#include <string>

#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class DelayBench {
 public:
  static constexpr const char* kId = "delay";
  // The registered fault kind that delays packets, if any.
  static std::optional<std::string> delay_kind();
  static RowResult run(const BenchOptions& options);
};

}  // namespace deadpeer::bench
