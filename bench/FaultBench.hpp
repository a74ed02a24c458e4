#pragma once
// Row `fault`: applying and removing one fault (faults::Blackhole: one libnftables transaction
// each way, in the router namespace), against the same ruleset loaded with the `nft -f` CLI.
#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class FaultBench {
 public:
  static constexpr const char* kId = "fault";
  static RowResult run(const BenchOptions& options);
};

}  // namespace deadpeer::bench
