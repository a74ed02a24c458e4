#pragma once
// Builders shared by the report tests: small Results made in code, and the realistic fixture
// tests/unit/data/reports/results.json (2 cases × 3 runs with timelines, [expect] bounds).
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "report/ResultsFile.hpp"
#include "run/Results.hpp"

#ifndef DEADPEER_REPORTS_TEST_DATA
#error "the report tests need DEADPEER_REPORTS_TEST_DATA (set in tests/unit/reports.cmake)"
#endif

namespace deadpeer::testing {

inline const std::string kReportsData = DEADPEER_REPORTS_TEST_DATA;
inline const std::string kFixture = kReportsData + "/results.json";

inline report::LoadedResults fixture() { return report::ResultsFile::load(kFixture); }

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// A side that noticed at `t` (nullopt: did not notice within the horizon).
inline run::SideOutcome side(std::optional<double> t, observe::Cause cause, std::optional<bool> agrees = std::nullopt) {
  run::SideOutcome s;
  s.detected = t.has_value();
  s.detect_s = t;
  s.cause = t ? cause : observe::Cause::none;
  s.agrees = agrees;
  return s;
}

inline run::RunOutcome run_of(int repeat, std::optional<double> client, std::optional<double> server,
                              std::optional<bool> client_agrees = std::nullopt) {
  run::RunOutcome r;
  r.repeat = repeat;
  r.client = side(client, observe::Cause::serveralive, client_agrees);
  r.server = side(server, observe::Cause::clientalive);
  return r;
}

inline run::RunOutcome failed_run(int repeat, std::string error) {
  run::RunOutcome r;
  r.repeat = repeat;
  r.error = std::move(error);
  return r;
}

// A case of scenario `scenario` with ServerAliveInterval = `sai` and the given runs.
inline run::CaseOutcome case_of(std::string id, std::string scenario, std::int64_t sai, std::vector<run::RunOutcome> runs,
                                std::string kind = "blackhole") {
  run::CaseOutcome c;
  c.id = std::move(id);
  c.scenario = std::move(scenario);
  c.file = "scenarios/" + c.scenario + ".toml";
  c.settings = {{"client.ServerAliveInterval", sai},
                {"fault.0.kind", kind},
                {"horizon_ms", std::int64_t{30000}},
                {"repeat", static_cast<std::int64_t>(runs.size())}};
  c.predicted_client = {3.0 * static_cast<double>(sai), 4.0 * static_cast<double>(sai), observe::Cause::serveralive,
                        "openssh-serveralive", "keepalive"};
  c.predicted_server = {std::nullopt, std::nullopt, observe::Cause::none, "no-keepalive", "never"};
  c.runs = std::move(runs);
  return c;
}

}  // namespace deadpeer::testing
