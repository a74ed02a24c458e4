#include "model/FromScenario.hpp"

namespace deadpeer::model {
namespace {

std::map<std::string, std::string> options(const std::vector<scenario::Setting>& settings) {
  std::map<std::string, std::string> out;
  for (const auto& s : settings) out.emplace(s.key, scenario::render(s.value));  // first value wins
  return out;
}

std::map<std::string, long> sysctls(const std::vector<scenario::Setting>& settings) {
  std::map<std::string, long> out;
  for (const auto& s : settings)
    if (const auto* i = std::get_if<std::int64_t>(&s.value)) out[s.key] = static_cast<long>(*i);
  return out;
}

}  // namespace

Inputs inputs_from(const scenario::Scenario& sc, Version client_version, Version server_version) {
  Inputs in;
  in.client = options(sc.client);
  in.server = options(sc.server);
  in.kernel_client = sysctls(sc.kernel_client);
  in.kernel_server = sysctls(sc.kernel_server);
  in.pattern = sc.traffic.pattern;
  in.traffic_interval_s = std::chrono::duration<double>(sc.traffic.interval).count();
  if (!sc.faults.empty()) {
    in.fault = sc.faults.front().kind;
    const auto& f = sc.faults.front();
    for (const auto& [name, setting] : f.params) in.fault_params[name] = scenario::render(setting.value);
    // A transient fault's length is a parameter to the model, as `deadpeer predict
    // --fault-param duration=2s` gives it (flap.up/down/count are parameters already).
    if (f.duration) in.fault_params["duration"] = std::to_string(f.duration->count()) + "ms";
    in.fault_at_s = std::chrono::duration<double>(f.at).count();
  }
  in.client_impl = sc.client_impl;
  in.server_impl = sc.server_impl;
  in.client_version = client_version;
  in.server_version = server_version;
  return in;
}

}  // namespace deadpeer::model
