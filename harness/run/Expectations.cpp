#include "run/Expectations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "run/Statistics.hpp"
#include "scenario/Duration.hpp"

namespace deadpeer::run {
namespace {

using State = Verdict::State;

// "17.3 s", "4.0 s": three decimals at most, the zeros that say nothing dropped.
std::string secs(double s) {
  std::string t = fmt::format("{:.3f}", s);
  while (t.size() > 1 && t.back() == '0' && t[t.size() - 2] != '.') t.pop_back();
  return t + " s";
}

std::string run_name(const RunOutcome& r) { return "run " + std::to_string(r.repeat + 1); }

std::vector<const RunOutcome*> measured(const CaseOutcome& c) {
  std::vector<const RunOutcome*> out;
  for (const auto& r : c.runs)
    if (!r.error) out.push_back(&r);
  return out;
}

const SideOutcome& side_of(const RunOutcome& r, bool client) { return client ? r.client : r.server; }

std::string of_runs(std::size_t bad, std::size_t all) { return fmt::format("{} of {} runs", bad, all); }

// Every measured run detected, no later than `bound`. The message cites the worst run.
Verdict detect_max(const std::string& label, bool client, scenario::Duration bound,
                   const std::vector<const RunOutcome*>& runs) {
  const std::string side = client ? "client" : "server";
  Verdict v{side + "_detect_max", scenario::format_duration(bound), State::unknown, ""};
  const double limit = std::chrono::duration<double>(bound).count();
  // A run that never detected is worse than any late one.
  const auto lateness = [&](const RunOutcome* r) {
    const SideOutcome& s = side_of(*r, client);
    return s.detected && s.detect_s ? *s.detect_s : std::numeric_limits<double>::infinity();
  };
  const RunOutcome* worst = nullptr;
  std::size_t bad = 0;
  for (const auto* r : runs) {
    if (lateness(r) > limit) ++bad;
    if (!worst || lateness(r) > lateness(worst)) worst = r;
  }
  if (!worst) {
    v.message = label + ": " + side + "_detect_max " + v.bound + " not judged: no run measured";
    return v;
  }
  const SideOutcome& w = side_of(*worst, client);
  v.state = bad ? State::violated : State::held;
  if (!w.detected || !w.detect_s) {
    v.message = fmt::format("{}: {} did not detect within the horizon in {} ({}) > {}_detect_max {}", label, side,
                            of_runs(bad, runs.size()), run_name(*worst), side, v.bound);
  } else {
    v.message = fmt::format("{}: {} detected in {} {} {}_detect_max {}", label, side, secs(*w.detect_s),
                            bad ? ">" : "<=", side, v.bound);
    v.message += bad ? fmt::format(" ({}, {} over)", run_name(*worst), of_runs(bad, runs.size()))
                     : fmt::format(" (slowest of {} runs)", runs.size());
  }
  return v;
}

Verdict survives(const std::string& label, bool expected, const std::vector<const RunOutcome*>& runs) {
  Verdict v{"survives", expected ? "true" : "false", State::unknown, ""};
  if (runs.empty()) {
    v.message = label + ": survives = " + v.bound + " not judged: no run measured";
    return v;
  }
  std::size_t bad = 0;
  const RunOutcome* first_bad = nullptr;
  for (const auto* r : runs) {
    const bool ended = r->client.detected || r->server.detected;
    if (ended == expected) {
      ++bad;
      if (!first_bad) first_bad = r;
    }
  }
  v.state = bad ? State::violated : State::held;
  if (!bad) {
    v.message = fmt::format("{}: {} in all {} runs; survives = {}", label,
                            expected ? "the session survived the horizon" : "the session ended", runs.size(), v.bound);
  } else if (expected) {
    const bool by_client = first_bad->client.detected &&
                           (!first_bad->server.detected || first_bad->client.detect_s <= first_bad->server.detect_s);
    const SideOutcome& s = by_client ? first_bad->client : first_bad->server;
    v.message = fmt::format("{}: the session ended in {}: {} detected at {} ({}) in {}; survives = true", label,
                            of_runs(bad, runs.size()), by_client ? "client" : "server",
                            s.detect_s ? secs(*s.detect_s) : "?", observe::to_string(s.cause), run_name(*first_bad));
  } else {
    v.message = fmt::format("{}: neither side detected within the horizon in {} ({}); survives = false", label,
                            of_runs(bad, runs.size()), run_name(*first_bad));
  }
  return v;
}

Verdict cause(const std::string& label, bool client, const std::string& expected,
              const std::vector<const RunOutcome*>& runs) {
  const std::string side = client ? "client" : "server";
  Verdict v{side + "_cause", expected, State::unknown, ""};
  if (runs.empty()) {
    v.message = label + ": " + side + "_cause " + expected + " not judged: no run measured";
    return v;
  }
  std::size_t bad = 0;
  const RunOutcome* first_bad = nullptr;
  for (const auto* r : runs)
    if (observe::to_string(side_of(*r, client).cause) != expected) {
      ++bad;
      if (!first_bad) first_bad = r;
    }
  v.state = bad ? State::violated : State::held;
  v.message = bad ? fmt::format("{}: {} cause was {} in {} ({}) != {}_cause {}", label, side,
                                observe::to_string(side_of(*first_bad, client).cause), run_name(*first_bad),
                                of_runs(bad, runs.size()), side, expected)
                  : fmt::format("{}: {} cause was {} in all {} runs", label, side, expected, runs.size());
  return v;
}

Verdict agreement(const std::string& label, const CaseOutcome& c, const std::vector<const RunOutcome*>& runs) {
  Verdict v{"agrees_with_model", "true", State::unknown, ""};
  std::size_t judged = 0, bad = 0;
  std::string first;
  for (const auto* r : runs)
    for (bool client : {true, false}) {
      const SideOutcome& s = side_of(*r, client);
      if (!s.agrees) continue;
      ++judged;
      if (*s.agrees) continue;
      ++bad;
      if (!first.empty()) continue;
      const SidePredicted& p = client ? c.predicted_client : c.predicted_server;
      const std::string window =
          p.lo_s && p.hi_s ? fmt::format("{:.3f}-{:.3f} s", *p.lo_s, *p.hi_s) : std::string("never");
      first = fmt::format("{} {}: {} {} vs predicted {} {}", run_name(*r), client ? "client" : "server",
                          s.detect_s ? secs(*s.detect_s) : "not detected", observe::to_string(s.cause), window,
                          observe::to_string(p.cause));
    }
  if (judged == 0) {
    v.message = label + ": agrees_with_model not judged: no run has a model verdict";
    return v;
  }
  v.state = bad ? State::violated : State::held;
  v.message = bad ? fmt::format("{}: measurement disagrees with the model in {} of {} side-runs ({}); "
                                "agrees_with_model = true",
                                label, bad, judged, first)
                  : fmt::format("{}: measurement agrees with the model in all {} side-runs", label, judged);
  return v;
}

}  // namespace

std::string to_string(Verdict::State s) {
  switch (s) {
    case State::held: return "held";
    case State::violated: return "violated";
    case State::unknown: return "unknown";
  }
  return "unknown";
}

std::vector<Verdict> evaluate(const CaseOutcome& c, const scenario::Expectations& e, const std::string& label) {
  const auto runs = measured(c);
  std::vector<Verdict> out;
  if (e.client_detect_max) out.push_back(detect_max(label, true, *e.client_detect_max, runs));
  if (e.server_detect_max) out.push_back(detect_max(label, false, *e.server_detect_max, runs));
  if (e.survives) out.push_back(survives(label, *e.survives, runs));
  if (e.client_cause) out.push_back(cause(label, true, *e.client_cause, runs));
  if (e.server_cause) out.push_back(cause(label, false, *e.server_cause, runs));
  // `agrees_with_model = false` asks for nothing: the model is then informative only.
  if (e.agrees_with_model == true) out.push_back(agreement(label, c, runs));
  return out;
}

std::map<std::string, std::vector<Verdict>> evaluate_all(const Results& results, const ExpectationsById& expect) {
  std::map<std::string, std::vector<Verdict>> out;
  const auto labels = case_labels(results);
  for (const auto& c : results.cases) {
    const auto it = expect.find(c.id);
    if (it == expect.end() || it->second.empty()) continue;
    out[c.id] = evaluate(c, it->second, labels.at(c.id));
  }
  return out;
}

int count_violated(const std::map<std::string, std::vector<Verdict>>& verdicts) {
  int n = 0;
  for (const auto& [id, list] : verdicts)
    n += static_cast<int>(std::count_if(list.begin(), list.end(), [](const Verdict& v) { return v.state == State::violated; }));
  return n;
}

ExpectationsById expectations_of(const std::vector<scenario::Case>& cases) {
  ExpectationsById out;
  for (const auto& c : cases)
    if (!c.scenario.expect.empty()) out[c.id] = c.scenario.expect;
  return out;
}

nlohmann::json expectations_to_json(const scenario::Expectations& e) {
  nlohmann::json j = nlohmann::json::object();
  if (e.client_detect_max) j["client_detect_max_ms"] = e.client_detect_max->count();
  if (e.server_detect_max) j["server_detect_max_ms"] = e.server_detect_max->count();
  if (e.survives) j["survives"] = *e.survives;
  if (e.client_cause) j["client_cause"] = *e.client_cause;
  if (e.server_cause) j["server_cause"] = *e.server_cause;
  if (e.agrees_with_model) j["agrees_with_model"] = *e.agrees_with_model;
  return j;
}

scenario::Expectations expectations_from_json(const nlohmann::json& j) {
  scenario::Expectations e;
  if (j.contains("client_detect_max_ms")) e.client_detect_max = scenario::Duration(j["client_detect_max_ms"].get<std::int64_t>());
  if (j.contains("server_detect_max_ms")) e.server_detect_max = scenario::Duration(j["server_detect_max_ms"].get<std::int64_t>());
  if (j.contains("survives")) e.survives = j["survives"].get<bool>();
  if (j.contains("client_cause")) e.client_cause = j["client_cause"].get<std::string>();
  if (j.contains("server_cause")) e.server_cause = j["server_cause"].get<std::string>();
  if (j.contains("agrees_with_model")) e.agrees_with_model = j["agrees_with_model"].get<bool>();
  return e;
}

nlohmann::json verdicts_to_json(const std::vector<Verdict>& verdicts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : verdicts)
    out.push_back({{"name", v.name}, {"bound", v.bound}, {"state", to_string(v.state)}, {"message", v.message}});
  return out;
}

void add_expectations_to_json(nlohmann::json& doc, const Results& results, const ExpectationsById& expect) {
  const auto verdicts = evaluate_all(results, expect);
  for (auto& c : doc.at("cases")) {
    const std::string id = c.at("id").get<std::string>();
    const auto e = expect.find(id);
    if (e == expect.end() || e->second.empty()) continue;
    c["expect"] = expectations_to_json(e->second);
    const auto v = verdicts.find(id);
    c["expectations"] = verdicts_to_json(v == verdicts.end() ? std::vector<Verdict>{} : v->second);
  }
}

ExpectationsById expectations_from_results_json(const nlohmann::json& doc) {
  ExpectationsById out;
  for (const auto& c : doc.at("cases"))
    if (c.contains("expect") && !c["expect"].is_null()) out[c.at("id").get<std::string>()] = expectations_from_json(c["expect"]);
  return out;
}

}  // namespace deadpeer::run
