#pragma once
// Repeated measurements of one quantity, and the order statistics the bench reports.
// Percentiles use the nearest-rank method: p95 of 20 samples is the 19th smallest, a value that
// was really measured, and with few samples p99 is simply the maximum (the table prints n, so a
// reader can tell).
#include <cstddef>
#include <string>
#include <vector>

namespace deadpeer::bench {

class Samples {
 public:
  void add(double v) { values_.push_back(v); }
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  double percentile(double p) const;  // p in [0, 100]; 0 when empty
  double median() const { return percentile(50); }
  double mean() const;
  double max() const { return percentile(100); }
  const std::vector<double>& values() const { return values_; }

 private:
  std::vector<double> values_;
};

// "1.72 ms", "184 µs", "88.1 ms", "7.93 s": three significant digits, in the unit that fits.
std::string format_seconds(double seconds);
// "12.4 MB" (10^6 bytes, as the goal is written).
std::string format_megabytes(double bytes);

}  // namespace deadpeer::bench
