#pragma once
// Judges a case's runs against its scenario's [expect] table (docs/reports.md): each expectation
// holds when every measured run satisfies it. Runs that errored could not measure and are left
// out; with no measured run at all the verdict is `unknown` (the run errors fail the run anyway).
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/Results.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::run {

// case id → what its scenario expects. Results carry no expectations of their own: `run` takes
// them from the parsed cases, `report` from cases[].expect in results.json.
using ExpectationsById = std::map<std::string, scenario::Expectations>;

struct Verdict {
  enum class State { held, violated, unknown };
  std::string name;     // the [expect] key: "client_detect_max", "survives", …
  std::string bound;    // as a scenario would write it: "15s", "true", "serveralive"
  State state = State::unknown;
  std::string message;  // names the case, the bound and what was measured
};

std::string to_string(Verdict::State s);  // "held", "violated", "unknown"

// One verdict per expectation that `expect` sets, in the order of Expectations' fields.
// `label` names the case in messages ("blackhole[ServerAliveInterval=5]", see case_labels).
std::vector<Verdict> evaluate(const CaseOutcome& c, const scenario::Expectations& expect, const std::string& label);

// Verdicts of every case of `results`, keyed by case id; cases without expectations are absent.
std::map<std::string, std::vector<Verdict>> evaluate_all(const Results& results, const ExpectationsById& expect);

// Violated verdicts over all cases: `run` exits 1 when this is not 0 (a failed gate).
int count_violated(const std::map<std::string, std::vector<Verdict>>& verdicts);

ExpectationsById expectations_of(const std::vector<scenario::Case>& cases);

// {"client_detect_max_ms": 15000, "survives": true, "client_cause": "serveralive", …}: only
// the keys that are set. Durations in integer milliseconds like the rest of the settings.
nlohmann::json expectations_to_json(const scenario::Expectations& e);
// The inverse; throws nlohmann::json::exception naming the key on a wrong type.
scenario::Expectations expectations_from_json(const nlohmann::json& j);
nlohmann::json verdicts_to_json(const std::vector<Verdict>& verdicts);

// Adds cases[].expect (the bounds) and cases[].expectations (the verdicts) to a results.json
// document made by to_json(results), matching cases by id. Cases without expectations get none.
void add_expectations_to_json(nlohmann::json& doc, const Results& results, const ExpectationsById& expect);
// Reads cases[].expect back from a results.json document (absent: no expectations).
ExpectationsById expectations_from_results_json(const nlohmann::json& doc);

}  // namespace deadpeer::run
