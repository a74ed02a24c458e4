#pragma once
// The calling thread's scheduler accounting (/proc/thread-self/schedstat): time on a CPU and
// time spent runnable but waiting for one. On a busy machine a sub-millisecond operation is
// sometimes preempted for a whole scheduler tick (4 ms at HZ=250); subtracting the wait shows
// what the operation itself cost, and tells machine load apart from slowness in the kernel.
#include <cstdint>
#include <string>

namespace deadpeer::bench {

struct SchedStat {
  std::int64_t on_cpu_ns = 0;
  std::int64_t runqueue_wait_ns = 0;
  // Zeros when the kernel has no schedstat (CONFIG_SCHED_INFO off): then nothing is subtracted.
  static SchedStat now();
  // Summed over every thread of this process (relay threads, observers, workers).
  static SchedStat process();
};

// "7.04 8.15 7.93" from /proc/loadavg, or "" when unreadable.
std::string load_average();

}  // namespace deadpeer::bench
