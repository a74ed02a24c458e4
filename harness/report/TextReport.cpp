#include "report/TextReport.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace deadpeer::report {
namespace {

std::string side(const run::SideOutcome& s) {
  if (!s.detected) return fmt::format("{:>9}  {:<14}", "—", "none");
  return fmt::format("{:>9}  {:<14}", TextReport::format_seconds(s.detect_s), observe::to_string(s.cause));
}

struct Spread {
  int detected = 0;
  int measured = 0;  // runs without an error
  double min = 0, median = 0, max = 0;
};

Spread spread(const std::vector<run::RunOutcome>& runs, bool client) {
  std::vector<double> v;
  Spread out;
  for (const auto& r : runs) {
    if (r.error) continue;
    ++out.measured;
    const auto& s = client ? r.client : r.server;
    if (s.detected && s.detect_s) v.push_back(*s.detect_s);
  }
  out.detected = static_cast<int>(v.size());
  if (v.empty()) return out;
  std::sort(v.begin(), v.end());
  out.min = v.front();
  out.max = v.back();
  out.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  return out;
}

std::string spread_text(const Spread& s, size_t runs) {
  std::string errors = s.measured < static_cast<int>(runs)
                           ? fmt::format(" ({} run(s) failed to measure)", static_cast<int>(runs) - s.measured)
                           : "";
  if (s.measured == 0) return "no measurement" + errors;
  if (s.detected == 0) return fmt::format("never within the horizon (0/{}){}", s.measured, errors);
  return fmt::format("median {:.3f} s (min {:.3f}, max {:.3f}), detected {}/{}{}", s.median, s.min, s.max, s.detected,
                     s.measured, errors);
}

std::string predicted_text(const run::SidePredicted& p) {
  if (p.rule.empty()) return "(no prediction)";
  const std::string when = p.lo_s && p.hi_s ? fmt::format("{:.3f}–{:.3f} s", *p.lo_s, *p.hi_s) : "never";
  return fmt::format("{} {} [{}]", when, observe::to_string(p.cause), p.rule);
}

// " — DISAGREES in 2/3 runs" when measurement and model part ways beyond tolerance.
std::string disagreement(const std::vector<run::RunOutcome>& runs, bool client) {
  int off = 0, judged = 0;
  for (const auto& r : runs) {
    const auto& a = client ? r.client.agrees : r.server.agrees;
    if (!a) continue;
    ++judged;
    if (!*a) ++off;
  }
  if (judged == 0) return "";
  return off ? fmt::format(" — DISAGREES in {}/{} runs", off, judged) : " — agrees";
}

}  // namespace

std::string TextReport::format_seconds(const std::optional<double>& s) {
  return s ? fmt::format("{:.3f} s", *s) : "—";
}

std::string TextReport::run_line(const run::CaseOutcome& c, const run::RunOutcome& r) {
  if (r.error) return fmt::format("{:<24} run {}  error: {}", c.id, r.repeat + 1, *r.error);
  return fmt::format("{:<24} run {}  client {}  server {}", c.id, r.repeat + 1, side(r.client), side(r.server));
}

std::string TextReport::render(const run::Results& results) {
  std::string out = fmt::format("{:<24} {:>4}  {:>9}  {:<14}  {:>9}  {:<14}\n", "case", "run", "client", "cause",
                                "server", "cause");
  for (const auto& c : results.cases)
    for (const auto& r : c.runs) {
      if (r.error) {
        out += fmt::format("{:<24} {:>4}  error: {}\n", c.id, r.repeat + 1, *r.error);
        continue;
      }
      out += fmt::format("{:<24} {:>4}  {}  {}\n", c.id, r.repeat + 1, side(r.client), side(r.server));
    }
  out += "\n";
  for (const auto& c : results.cases) {
    out += fmt::format("{}:\n  client: {}\n          model: {}{}\n  server: {}\n          model: {}{}\n", c.id,
                       spread_text(spread(c.runs, true), c.runs.size()), predicted_text(c.predicted_client),
                       disagreement(c.runs, true), spread_text(spread(c.runs, false), c.runs.size()),
                       predicted_text(c.predicted_server), disagreement(c.runs, false));
  }
  if (results.interrupted) out += "\n(interrupted: results are partial)\n";
  return out;
}

}  // namespace deadpeer::report
