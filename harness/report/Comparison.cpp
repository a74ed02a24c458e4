#include "report/Comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "report/Escape.hpp"
#include "run/Statistics.hpp"

namespace deadpeer::report {
namespace {

// Beyond this many arrangements the exact test gives way to the normal approximation
// (C(20,10) = 184756 still runs in milliseconds).
constexpr double kMaxExact = 250000;

double choose(std::size_t n, std::size_t k) {
  double r = 1;
  for (std::size_t i = 1; i <= k; ++i) r = r * static_cast<double>(n - k + i) / static_cast<double>(i);
  return r;
}

// Mid-ranks (1-based) of the pooled sample; equal values, +inf included, share their mean rank.
std::vector<double> midranks(const std::vector<double>& pooled) {
  std::vector<std::size_t> order(pooled.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pooled[a] < pooled[b]; });
  std::vector<double> ranks(pooled.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && pooled[order[j + 1]] == pooled[order[i]]) ++j;
    const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

// Every way to pick n of the pooled ranks as "the first sample": the exact null distribution.
void enumerate(const std::vector<double>& ranks, std::size_t start, std::size_t left, double sum,
               const std::function<void(double)>& visit) {
  if (left == 0) {
    visit(sum);
    return;
  }
  for (std::size_t i = start; i + left <= ranks.size(); ++i) enumerate(ranks, i + 1, left - 1, sum + ranks[i], visit);
}

std::vector<double> times(const run::CaseOutcome& c, bool client) {
  std::vector<double> out;
  for (const auto& r : c.runs) {
    if (r.error) continue;
    const auto& s = client ? r.client : r.server;
    out.push_back(s.detected && s.detect_s ? *s.detect_s : std::numeric_limits<double>::infinity());
  }
  return out;
}

SideChange side_change(const run::CaseOutcome& o, const run::CaseOutcome& n, bool client) {
  SideChange s;
  s.old_s = times(o, client);
  s.new_s = times(n, client);
  const auto old_stats = run::side_stats(o, client);
  const auto new_stats = run::side_stats(n, client);
  s.old_median = old_stats.median_s;
  s.new_median = new_stats.median_s;
  s.old_detected = old_stats.detected;
  s.new_detected = new_stats.detected;
  s.test = mann_whitney(s.old_s, s.new_s);
  s.significant = !s.old_s.empty() && !s.new_s.empty() && s.test.p < Comparison::kAlpha;

  const std::string detected_change = fmt::format("detected {}/{} → {}/{}", s.old_detected, s.old_s.size(),
                                                  s.new_detected, s.new_s.size());
  if (s.old_median && s.new_median) {
    const double d = *s.new_median - *s.old_median;
    s.change = *s.old_median > 0 ? fmt::format("{:+.3f} s ({:+.1f} %)", d, 100.0 * d / *s.old_median)
                                 : fmt::format("{:+.3f} s", d);
    if (static_cast<std::size_t>(s.old_detected) * s.new_s.size() != static_cast<std::size_t>(s.new_detected) * s.old_s.size()) s.change += ", " + detected_change;
  } else if (s.old_detected != 0 || s.new_detected != 0) {
    s.change = detected_change;
  } else {
    s.change = "—";
  }

  const std::string n_text = fmt::format("n={}+{}", s.old_s.size(), s.new_s.size());
  if (s.old_s.empty() || s.new_s.empty())
    s.verdict = "not testable (" + n_text + ")";
  else if (smallest_p(s.old_s.size(), s.new_s.size()) >= Comparison::kAlpha)
    s.verdict = fmt::format("not significant ({}: too few runs, p ≥ {:.2f} at best)", n_text,
                            smallest_p(s.old_s.size(), s.new_s.size()));
  else
    s.verdict = fmt::format("{} (p={:.3f}, {}{})", s.significant ? "significant" : "not significant", s.test.p, n_text,
                            s.test.exact ? "" : ", approx.");
  return s;
}

std::string median_text(const std::optional<double>& m, int detected, std::size_t measured) {
  return fmt::format("{} ({}/{})", m ? fmt::format("{:.3f} s", *m) : std::string("never"), detected, measured);
}

}  // namespace

double smallest_p(std::size_t n, std::size_t m) {
  if (n == 0 || m == 0) return 1;
  return std::min(1.0, 2.0 / choose(n + m, n));
}

MannWhitney mann_whitney(const std::vector<double>& a, const std::vector<double>& b) {
  MannWhitney out;
  const std::size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return out;
  std::vector<double> pooled(a);
  pooled.insert(pooled.end(), b.begin(), b.end());
  const std::vector<double> ranks = midranks(pooled);
  double rank_sum = 0;
  for (std::size_t i = 0; i < n; ++i) rank_sum += ranks[i];
  const double offset = static_cast<double>(n * (n + 1)) / 2.0;
  out.u = rank_sum - offset;
  const double mean = static_cast<double>(n * m) / 2.0;
  const double observed = std::abs(out.u - mean);
  const double total = choose(n + m, n);
  if (total <= kMaxExact) {
    double extreme = 0;
    enumerate(ranks, 0, n, 0.0, [&](double sum) {
      if (std::abs(sum - offset - mean) >= observed - 1e-9) ++extreme;
    });
    out.p = extreme / total;
    return out;
  }
  // Normal approximation with the tie correction and a continuity correction of 0.5.
  out.exact = false;
  std::map<double, int> ties;
  for (double v : pooled) ++ties[v];
  double tie_term = 0;
  for (const auto& [v, t] : ties) tie_term += static_cast<double>(t) * t * t - t;
  const double N = static_cast<double>(n + m);
  const double variance = static_cast<double>(n * m) / 12.0 * ((N + 1) - tie_term / (N * (N - 1)));
  if (variance <= 0) return out;  // every value equal: no evidence of a change
  const double z = std::max(0.0, observed - 0.5) / std::sqrt(variance);
  out.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return out;
}

Comparison Comparison::of(const run::Results& old_results, const run::Results& new_results) {
  Comparison c;
  c.old_run = old_results.run_id;
  c.new_run = new_results.run_id;
  std::map<std::string, const run::CaseOutcome*> old_by_id;
  for (const auto& o : old_results.cases) old_by_id[o.id] = &o;
  std::map<std::string, bool> seen;
  for (const auto& n : new_results.cases) {
    const auto it = old_by_id.find(n.id);
    if (it == old_by_id.end()) {
      c.only_new.push_back(n.id);
      continue;
    }
    seen[n.id] = true;
    c.matched.push_back({n.id, it->second->settings != n.settings, side_change(*it->second, n, true),
                         side_change(*it->second, n, false)});
  }
  for (const auto& o : old_results.cases)
    if (!seen.count(o.id)) c.only_old.push_back(o.id);
  return c;
}

std::string Comparison::text(const std::string& old_name, const std::string& new_name) const {
  std::string out = fmt::format("old: {} (run {})\nnew: {} (run {})\n\n", old_name, old_run, new_name, new_run);
  std::size_t id_width = 4;
  for (const auto& m : matched) id_width = std::max(id_width, m.id.size());
  out += fmt::format("{:<{}}  {:<6}  {:<20}  {:<20}  {:<32}  {}\n", "case", id_width, "side", "old median",
                     "new median", "change", "significance");
  for (const auto& m : matched) {
    for (bool client : {true, false}) {
      const SideChange& s = client ? m.client : m.server;
      out += fmt::format("{:<{}}  {:<6}  {:<20}  {:<20}  {:<32}  {}\n", client ? m.id : "", id_width,
                         client ? "client" : "server", median_text(s.old_median, s.old_detected, s.old_s.size()),
                         median_text(s.new_median, s.new_detected, s.new_s.size()), s.change, s.verdict);
    }
    if (m.settings_differ) out += fmt::format("{:<{}}  (settings differ between the files: compare with care)\n", "", id_width);
  }
  if (matched.empty()) out += "(no case id appears in both files)\n";
  for (const auto& id : only_old) out += "only in " + old_name + ": " + id + "\n";
  for (const auto& id : only_new) out += "only in " + new_name + ": " + id + "\n";
  return out;
}

std::string Comparison::markdown(const std::string& old_name, const std::string& new_name) const {
  const auto md = [](std::string_view s) { return markdown_escape(s); };
  std::string out = fmt::format("## deadpeer compare\n\nold: {} (run {}) → new: {} (run {})\n\n", md(old_name),
                                md(old_run), md(new_name), md(new_run));
  out += "| case | side | old median | new median | change | significance |\n|---|---|--:|--:|---|---|\n";
  for (const auto& m : matched)
    for (bool client : {true, false}) {
      const SideChange& s = client ? m.client : m.server;
      out += fmt::format("| {}{} | {} | {} | {} | {} | {}{} |\n", md(m.id), m.settings_differ ? " ⚠️ settings differ" : "",
                         client ? "client" : "server", median_text(s.old_median, s.old_detected, s.old_s.size()),
                         median_text(s.new_median, s.new_detected, s.new_s.size()), md(s.change),
                         s.significant ? "**" : "", md(s.verdict) + (s.significant ? "**" : ""));
    }
  if (!only_old.empty() || !only_new.empty()) out += "\n";
  for (const auto& id : only_old) out += "- only in " + md(old_name) + ": " + md(id) + "\n";
  for (const auto& id : only_new) out += "- only in " + md(new_name) + ": " + md(id) + "\n";
  return out;
}

}  // namespace deadpeer::report
