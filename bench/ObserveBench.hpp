#pragma once
// Row `observe`: how late observe::Observer timestamps what it watches. A child process records
// CLOCK_MONOTONIC itself at the instant it acts — just before it exits, or just before it writes
// a line carrying that instant — and the error is the Observer's timestamp minus the child's.
// That is the error in every detection time the harness reports (a client's exit, a server's
// log line), apart from the kernel's own delay in delivering the event, which is included.
#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class ObserveBench {
 public:
  static constexpr const char* kId = "observe";
  static RowResult run(const BenchOptions& options);
};

}  // namespace deadpeer::bench
