#include "cli/LossRisk.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace deadpeer::cli {
namespace {

// Transmissions at offsets strictly before x: each one is a chance to arrive in time.
long chances(const std::vector<double>& times, double x) {
  return static_cast<long>(std::count_if(times.begin(), times.end(), [&](double t) { return t < x; }));
}

}  // namespace

double answer_late_probability(double p, double budget_s, double rtt_s, const std::vector<double>& retransmissions_s) {
  p = std::clamp(p, 0.0, 1.0);
  std::vector<double> times{0.0};
  times.insert(times.end(), retransmissions_s.begin(), retransmissions_s.end());
  const double room = budget_s - rtt_s;  // the answer must be back before the budget runs out
  double late = std::pow(p, double(chances(times, room)));  // the probe itself never gets through in time
  for (size_t k = 0; k < times.size() && times[k] < room; ++k)
    late += std::pow(p, double(k)) * (1 - p) * std::pow(p, double(chances(times, room - times[k])));
  return std::min(1.0, late);
}

double tcp_keepalive_chain_probability(double p, long probes) {
  p = std::clamp(p, 0.0, 1.0);
  const double q = 1 - (1 - p) * (1 - p);
  return std::pow(q, double(std::max(0L, probes)));
}

double per_hour(double per_chain, double chains_per_hour) {
  if (per_chain <= 0 || chains_per_hour <= 0) return 0;
  if (per_chain >= 1) return 1;
  // 1 − (1 − P)^n without losing P = 1e-12 to rounding.
  return -std::expm1(chains_per_hour * std::log1p(-per_chain));
}

std::string percent(double probability) {
  const double pc = probability * 100;
  char buf[32];
  if (pc == 0) return "0 %";
  if (pc >= 99.995) return "100 %";
  if (pc >= 0.01) std::snprintf(buf, sizeof buf, "%.2f %%", pc);
  else std::snprintf(buf, sizeof buf, "%.1e %%", pc);
  return buf;
}

}  // namespace deadpeer::cli
