#include "bench/BenchReport.hpp"

#include <fmt/format.h>

namespace deadpeer::bench {
namespace {

std::string value(double v, Unit u) { return u == Unit::bytes ? format_megabytes(v) : format_seconds(v); }

std::string stats_line(const Measure& m) {
  const auto& s = m.samples;
  if (s.empty()) return fmt::format("  {:<48} no samples\n", m.label);
  return fmt::format("  {:<48} n={:<5} p50 {:>9}  p95 {:>9}  p99 {:>9}  mean {:>9}\n", m.label, s.size(),
                     value(s.median(), m.unit), value(s.percentile(95), m.unit), value(s.percentile(99), m.unit),
                     value(s.mean(), m.unit));
}

}  // namespace

std::string BenchReport::header(const std::string& mode, int cpus, const std::string& kernel,
                                const std::string& load) {
  return fmt::format("deadpeer bench ({}) on {} CPU(s), {}, load average {}\n"
                     "Each row: deadpeer's path and its baseline, measured now in this process; "
                     "n runs, nearest-rank percentiles.\n"
                     "Other work on this machine (a load above the CPU count) lengthens the tails.\n\n",
                     mode, cpus, kernel, load.empty() ? "unknown" : load);
}

std::string BenchReport::row(const RowResult& r) {
  std::string out = fmt::format("[{}] {}\n", r.id, r.title);
  for (const auto& m : r.measures) out += stats_line(m);
  if (!r.ratio.empty()) out += fmt::format("  {:<48} {}\n", "ratio", r.ratio);
  for (const auto& n : r.notes) out += fmt::format("  {:<48} {}\n", "note", n);
  out += fmt::format("  {:<48} {} — {}", "goal", r.goal.empty() ? "—" : r.goal, to_string(r.verdict));
  if (!r.reason.empty()) out += ": " + r.reason;
  return out + "\n\n";
}

std::string BenchReport::summary(const std::vector<RowResult>& rows) {
  std::string out = "summary:";
  for (const auto& r : rows) out += fmt::format(" {}={}", r.id, to_string(r.verdict));
  return out + "\n";
}

}  // namespace deadpeer::bench
