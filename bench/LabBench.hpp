#pragma once
// Row `lab`: building and tearing down one case's lab (3 namespaces, 2 veth pairs, addresses,
// routes, sysctls) with lab::Lab, against the same lab built with `ip` shell-outs (IpShellLab).
#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class LabBench {
 public:
  static constexpr const char* kId = "lab";
  static RowResult run(const BenchOptions& options);
};

}  // namespace deadpeer::bench
