#include "bench/Samples.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace deadpeer::bench {

double Samples::percentile(double p) const {
  if (values_.empty()) return 0;
  std::vector<double> sorted = values_;
  std::sort(sorted.begin(), sorted.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(sorted.size()))) - 1;
  return sorted[index];
}

double Samples::mean() const {
  if (values_.empty()) return 0;
  return std::accumulate(values_.begin(), values_.end(), 0.0) / static_cast<double>(values_.size());
}

namespace {

std::string three_digits(double v, const char* unit) {
  const double a = std::fabs(v);
  if (a >= 100) return fmt::format("{:.0f} {}", v, unit);
  if (a >= 10) return fmt::format("{:.1f} {}", v, unit);
  return fmt::format("{:.2f} {}", v, unit);
}

}  // namespace

std::string format_seconds(double s) {
  const double a = std::fabs(s);
  if (a >= 1) return three_digits(s, "s");
  if (a >= 1e-3) return three_digits(s * 1e3, "ms");
  return three_digits(s * 1e6, "µs");
}

std::string format_megabytes(double bytes) { return three_digits(bytes / 1e6, "MB"); }

}  // namespace deadpeer::bench
