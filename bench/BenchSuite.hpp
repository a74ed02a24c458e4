#pragma once
// `deadpeer bench`: every row in a fixed order, each printed as soon as it is measured.
//   lab      lab setup + teardown            vs the same lab with `ip` shell-outs
//   fault    apply + remove one fault        vs the same ruleset with `nft -f`
//   observe  observation error (exit, line)  vs the child's own timestamp
//   matrix   wall time of 32 cases at once   vs one case alone
//   delay    user-space delay path accuracy  vs the kernel path without a fault
//   memory   harness RSS per concurrent case (from the matrix runs)
#include <iosfwd>
#include <string>
#include <vector>

#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class BenchSuite {
 public:
  static const std::vector<std::string>& row_ids();
  // Runs the rows named in `only` (every row when empty). A row that throws is reported as
  // FAILED with the error, and the others still run.
  static std::vector<RowResult> run(const BenchOptions& options, const std::vector<std::string>& only,
                                    std::ostream& out);
};

}  // namespace deadpeer::bench
