#include "run/Statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

namespace deadpeer::run {
namespace {

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json side_json(const SideStats& s) {
  return {{"measured", s.measured},
          {"detected", s.detected},
          {"min_s", optional_json(s.min_s)},
          {"median_s", optional_json(s.median_s)},
          {"p95_s", optional_json(s.p95_s)},
          {"max_s", optional_json(s.max_s)},
          {"cause", std::string(observe::to_string(s.cause))},
          {"cause_count", s.cause_count},
          {"judged", s.judged},
          {"disagreed", s.disagreed}};
}

// "client.ServerAliveInterval" → "ServerAliveInterval"; "fault.0.kind" → "kind".
std::string short_key(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

}  // namespace

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.size() == 1) return sorted.front();
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

SideStats side_stats(const CaseOutcome& c, bool client) {
  SideStats s;
  std::vector<double> times;
  std::map<observe::Cause, int> causes;
  for (const auto& r : c.runs) {
    if (r.error) continue;
    const SideOutcome& side = client ? r.client : r.server;
    ++s.measured;
    ++causes[side.cause];
    if (side.detected && side.detect_s) times.push_back(*side.detect_s);
    if (side.agrees) {
      ++s.judged;
      if (!*side.agrees) ++s.disagreed;
    }
  }
  s.detected = static_cast<int>(times.size());
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    s.min_s = times.front();
    s.max_s = times.back();
    s.median_s = quantile(times, 0.5);
    s.p95_s = quantile(times, 0.95);
  }
  // Ties go to a cause that ended the session over `none`, then to the enum's order, so the
  // answer does not depend on the order of the runs.
  for (const auto& [cause, count] : causes) {
    const bool better = count > s.cause_count ||
                        (count == s.cause_count && s.cause == observe::Cause::none && cause != observe::Cause::none);
    if (better) {
      s.cause = cause;
      s.cause_count = count;
    }
  }
  return s;
}

CaseStats case_stats(const CaseOutcome& c) {
  CaseStats s;
  s.runs = static_cast<int>(c.runs.size());
  s.errors = static_cast<int>(std::count_if(c.runs.begin(), c.runs.end(), [](const RunOutcome& r) { return r.error.has_value(); }));
  s.client = side_stats(c, true);
  s.server = side_stats(c, false);
  return s;
}

nlohmann::json stats_to_json(const CaseOutcome& c) {
  const CaseStats s = case_stats(c);
  return {{"runs", s.runs}, {"errors", s.errors}, {"client", side_json(s.client)}, {"server", side_json(s.server)}};
}

std::map<std::string, std::vector<std::string>> varying_settings(const Results& results) {
  std::map<std::string, std::vector<const CaseOutcome*>> by_scenario;
  for (const auto& c : results.cases) by_scenario[c.scenario].push_back(&c);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [scenario, cases] : by_scenario) {
    std::set<std::string> keys;
    for (const auto* c : cases)
      for (const auto& [k, v] : c->settings) keys.insert(k);
    auto& varying = out[scenario];
    for (const auto& key : keys) {
      const auto& first = cases.front()->settings;
      const auto at_first = first.find(key);
      const bool differs = std::any_of(cases.begin(), cases.end(), [&](const CaseOutcome* c) {
        const auto it = c->settings.find(key);
        return (it == c->settings.end()) != (at_first == first.end()) ||
               (it != c->settings.end() && it->second != at_first->second);
      });
      if (differs) varying.push_back(key);
    }
  }
  return out;
}

std::map<std::string, std::string> varying_text(const Results& results) {
  const auto varying = varying_settings(results);
  std::map<std::string, std::string> out;
  for (const auto& c : results.cases) {
    const auto& keys = varying.at(c.scenario);
    std::map<std::string, int> short_uses;
    for (const auto& k : keys) ++short_uses[short_key(k)];
    std::string text;
    for (const auto& key : keys) {
      const auto it = c.settings.find(key);
      text += (text.empty() ? "" : ",") + (short_uses[short_key(key)] > 1 ? key : short_key(key)) + "=" +
              (it == c.settings.end() ? "—" : scenario::render(it->second));
    }
    out[c.id] = text;
  }
  return out;
}

std::map<std::string, std::string> case_labels(const Results& results) {
  const auto text = varying_text(results);
  std::map<std::string, int> per_scenario;
  for (const auto& c : results.cases) ++per_scenario[c.scenario];
  std::map<std::string, std::string> out;
  for (const auto& c : results.cases) {
    if (c.scenario.empty())
      out[c.id] = c.id;
    else if (per_scenario[c.scenario] == 1)
      out[c.id] = c.scenario;
    else if (text.at(c.id).empty())  // several cases that differ in no recorded setting
      out[c.id] = c.id;
    else
      out[c.id] = c.scenario + "[" + text.at(c.id) + "]";
  }
  return out;
}

}  // namespace deadpeer::run
