#pragma once
// The text `deadpeer bench` prints: a header naming the machine, one block per row, and a
// one-line summary a CI log can grep.
#include <string>
#include <vector>

#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class BenchReport {
 public:
  static std::string header(const std::string& mode, int cpus, const std::string& kernel, const std::string& load);
  static std::string row(const RowResult& r);
  static std::string summary(const std::vector<RowResult>& rows);
};

}  // namespace deadpeer::bench
