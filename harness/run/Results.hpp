#pragma once
// What a run measured: per case, per repetition, per side — when (seconds after the fault's
// t0) and why. Serialised as results.json (schema below); the report module reads only this.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "observe/Cause.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::run {

inline constexpr int kSchemaVersion = 1;

struct SideOutcome {
  bool detected = false;
  std::optional<double> detect_s;  // after t0
  observe::Cause cause = observe::Cause::none;
  std::string evidence;            // the line that said why (or "exit status N")
  std::optional<int> exit_status;  // client only
  std::optional<bool> agrees;      // with the model's prediction (within its tolerance)
  // Traced runs (scenario `trace = true`, OpenSSH client): when the client last received an
  // SSH packet (relative to t0, from its DEBUG3 log), the start of the clock second that fell
  // in, and the model's window predicted from that phase (Runner; only when the last receive
  // came by t0 + 0.1 s, i.e. the loss began at the fault).
  std::optional<double> last_rx_s, last_rx_second_start_s;
  std::optional<double> exact_lo_s, exact_hi_s;
  // How far the measurement lies outside the exact window (0 inside; negative: early).
  std::optional<double> exact_error_s() const;
};

struct TimelineEntry {
  double t_s;  // relative to t0 (negative: before the fault)
  std::string source;
  std::string text;
};

// One [[fault]] of a run: what it was, which mechanism ran it, when it acted, and its evidence.
struct FaultRecord {
  std::string kind;
  std::string backend;
  std::map<std::string, scenario::Value> params;  // as written, plus "at"/"duration"
  std::vector<double> applied_s, removed_s;        // relative to t0; several when it flapped
  std::map<std::string, long> counters;
};

struct RunOutcome {
  int repeat = 0;
  SideOutcome client, server;
  std::string fault_backend;                   // backends of all faults, joined with '+'
  std::map<std::string, long> fault_counters;  // counters of all faults (the first's names win)
  std::vector<FaultRecord> faults;
  // For transient faults: the session outlived every fault (nullopt when a fault stayed on).
  std::optional<bool> survived;
  std::optional<std::string> error;  // the run could not measure (setup failed, session died early)
  double setup_ms = 0;               // lab + sshd + session establishment
  std::vector<TimelineEntry> timeline;
};

// What the timing model predicted for a side (docs/timing-model.md).
struct SidePredicted {
  std::optional<double> lo_s, hi_s;  // nullopt: never within any horizon
  observe::Cause cause = observe::Cause::none;
  std::string rule;
  std::string explanation;
  // A transient fault may be over before the window is reached: surviving agrees too.
  bool may_survive = false;
};

struct CaseOutcome {
  std::string id;
  std::string scenario;
  std::string file;
  std::map<std::string, scenario::Value> settings;
  SidePredicted predicted_client, predicted_server;
  std::vector<RunOutcome> runs;
};

struct Environment {
  std::string kernel;
  std::string ssh_version;
  std::string sshd_version;
  int cpus = 0;
  std::string deadpeer_version;
  std::string started_at;  // ISO 8601 UTC
  std::string dropbear_version;  // empty when Dropbear is not installed
};

struct Results {
  int schema = kSchemaVersion;
  std::string run_id;  // names its namespaces (dp<run_id>-…), cgroup and state dir
  Environment environment;
  std::vector<CaseOutcome> cases;
  bool interrupted = false;
};

nlohmann::json to_json(const Results& r);
Results results_from_json(const nlohmann::json& j);
nlohmann::json value_to_json(const scenario::Value& v);

}  // namespace deadpeer::run
