#include "run/Results.hpp"

#include "run/Statistics.hpp"

namespace deadpeer::run {
namespace {

nlohmann::json side_json(const SideOutcome& s) {
  nlohmann::json j{{"detected", s.detected},
                   {"detect_s", s.detect_s ? nlohmann::json(*s.detect_s) : nlohmann::json(nullptr)},
                   {"cause", std::string(observe::to_string(s.cause))},
                   {"evidence", s.evidence}};
  if (s.exit_status) j["exit_status"] = *s.exit_status;
  j["agrees_with_model"] = s.agrees ? nlohmann::json(*s.agrees) : nlohmann::json(nullptr);
  if (s.last_rx_s) j["last_rx_s"] = *s.last_rx_s;
  if (s.last_rx_second_start_s) j["last_rx_second_start_s"] = *s.last_rx_second_start_s;
  if (s.exact_lo_s && s.exact_hi_s) j["exact_s"] = nlohmann::json{{"lo", *s.exact_lo_s}, {"hi", *s.exact_hi_s}};
  if (auto e = s.exact_error_s()) j["exact_error_s"] = *e;
  return j;
}

void put_predicted(nlohmann::json& j, const std::string& side, const SidePredicted& p) {
  j[side + "_s"] = p.lo_s && p.hi_s ? nlohmann::json{{"lo", *p.lo_s}, {"hi", *p.hi_s}} : nlohmann::json(nullptr);
  j[side + "_cause"] = std::string(observe::to_string(p.cause));
  j[side + "_rule"] = p.rule;
  j[side + "_explanation"] = p.explanation;
  if (p.may_survive) j[side + "_may_survive"] = true;
}

SidePredicted get_predicted(const nlohmann::json& j, const std::string& side) {
  SidePredicted p;
  if (!j.contains(side + "_cause")) return p;
  if (const auto& w = j.at(side + "_s"); !w.is_null()) {
    p.lo_s = w.at("lo").get<double>();
    p.hi_s = w.at("hi").get<double>();
  }
  p.cause = observe::cause_from_string(j.at(side + "_cause").get<std::string>()).value_or(observe::Cause::other);
  p.rule = j.value(side + "_rule", "");
  p.explanation = j.value(side + "_explanation", "");
  p.may_survive = j.value(side + "_may_survive", false);
  return p;
}

SideOutcome side_from(const nlohmann::json& j) {
  SideOutcome s;
  s.detected = j.at("detected").get<bool>();
  if (!j.at("detect_s").is_null()) s.detect_s = j["detect_s"].get<double>();
  s.cause = observe::cause_from_string(j.at("cause").get<std::string>()).value_or(observe::Cause::other);
  s.evidence = j.value("evidence", "");
  if (j.contains("exit_status")) s.exit_status = j["exit_status"].get<int>();
  if (j.contains("agrees_with_model") && !j["agrees_with_model"].is_null()) s.agrees = j["agrees_with_model"].get<bool>();
  if (j.contains("last_rx_s")) s.last_rx_s = j["last_rx_s"].get<double>();
  if (j.contains("last_rx_second_start_s")) s.last_rx_second_start_s = j["last_rx_second_start_s"].get<double>();
  if (j.contains("exact_s")) {
    s.exact_lo_s = j["exact_s"].at("lo").get<double>();
    s.exact_hi_s = j["exact_s"].at("hi").get<double>();
  }
  return s;
}

scenario::Value value_from(const nlohmann::json& j) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number()) return j.get<double>();
  return j.get<std::string>();
}

}  // namespace

std::optional<double> SideOutcome::exact_error_s() const {
  if (!detect_s || !exact_lo_s || !exact_hi_s) return std::nullopt;
  if (*detect_s < *exact_lo_s) return *detect_s - *exact_lo_s;
  if (*detect_s > *exact_hi_s) return *detect_s - *exact_hi_s;
  return 0.0;
}

nlohmann::json value_to_json(const scenario::Value& v) {
  return std::visit([](const auto& x) { return nlohmann::json(x); }, v);
}

nlohmann::json to_json(const Results& r) {
  nlohmann::json cases = nlohmann::json::array();
  for (const auto& c : r.cases) {
    nlohmann::json settings = nlohmann::json::object();
    for (const auto& [k, v] : c.settings) settings[k] = value_to_json(v);
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& run : c.runs) {
      nlohmann::json timeline = nlohmann::json::array();
      for (const auto& t : run.timeline) timeline.push_back({{"t_s", t.t_s}, {"source", t.source}, {"text", t.text}});
      nlohmann::json faults = nlohmann::json::array();
      for (const auto& f : run.faults) {
        nlohmann::json params = nlohmann::json::object();
        for (const auto& [k, v] : f.params) params[k] = value_to_json(v);
        faults.push_back({{"kind", f.kind}, {"backend", f.backend}, {"params", params}, {"applied_s", f.applied_s},
                          {"removed_s", f.removed_s}, {"counters", f.counters}});
      }
      runs.push_back({{"repeat", run.repeat},
                      {"client", side_json(run.client)},
                      {"server", side_json(run.server)},
                      {"fault_backend", run.fault_backend},
                      {"fault_counters", run.fault_counters},
                      {"faults", faults},
                      {"survived", run.survived ? nlohmann::json(*run.survived) : nlohmann::json(nullptr)},
                      {"error", run.error ? nlohmann::json(*run.error) : nlohmann::json(nullptr)},
                      {"setup_ms", run.setup_ms},
                      {"timeline", timeline}});
    }
    nlohmann::json predicted = nlohmann::json::object();
    put_predicted(predicted, "client", c.predicted_client);
    put_predicted(predicted, "server", c.predicted_server);
    cases.push_back({{"id", c.id},
                     {"scenario", c.scenario},
                     {"file", c.file},
                     {"settings", settings},
                     {"predicted", predicted},
                     {"stats", stats_to_json(c)},
                     {"runs", runs}});
  }
  const auto& e = r.environment;
  return {{"schema", r.schema},
          {"run_id", r.run_id},
          {"environment",
           {{"kernel", e.kernel},
            {"ssh_version", e.ssh_version},
            {"sshd_version", e.sshd_version},
            {"dropbear_version", e.dropbear_version},
            {"cpus", e.cpus},
            {"deadpeer_version", e.deadpeer_version},
            {"started_at", e.started_at}}},
          {"interrupted", r.interrupted},
          {"cases", cases}};
}

Results results_from_json(const nlohmann::json& j) {
  Results r;
  r.schema = j.at("schema").get<int>();
  r.run_id = j.value("run_id", "");
  const auto& e = j.at("environment");
  r.environment.kernel = e.value("kernel", "");
  r.environment.ssh_version = e.value("ssh_version", "");
  r.environment.sshd_version = e.value("sshd_version", "");
  r.environment.dropbear_version = e.value("dropbear_version", "");
  r.environment.cpus = e.value("cpus", 0);
  r.environment.deadpeer_version = e.value("deadpeer_version", "");
  r.environment.started_at = e.value("started_at", "");
  r.interrupted = j.value("interrupted", false);
  for (const auto& c : j.at("cases")) {
    CaseOutcome co{c.at("id"), c.value("scenario", ""), c.value("file", ""), {}, {}};
    for (const auto& [k, v] : c.at("settings").items()) co.settings[k] = value_from(v);
    if (c.contains("predicted")) {
      co.predicted_client = get_predicted(c["predicted"], "client");
      co.predicted_server = get_predicted(c["predicted"], "server");
    }
    for (const auto& rj : c.at("runs")) {
      RunOutcome ro;
      ro.repeat = rj.at("repeat").get<int>();
      ro.client = side_from(rj.at("client"));
      ro.server = side_from(rj.at("server"));
      ro.fault_backend = rj.value("fault_backend", "");
      ro.fault_counters = rj.value("fault_counters", std::map<std::string, long>{});
      for (const auto& fj : rj.value("faults", nlohmann::json::array())) {
        FaultRecord f;
        f.kind = fj.value("kind", "");
        f.backend = fj.value("backend", "");
        // A named copy: items() of a temporary would dangle.
        const nlohmann::json params = fj.value("params", nlohmann::json::object());
        for (const auto& [k, v] : params.items()) f.params[k] = value_from(v);
        f.applied_s = fj.value("applied_s", std::vector<double>{});
        f.removed_s = fj.value("removed_s", std::vector<double>{});
        f.counters = fj.value("counters", std::map<std::string, long>{});
        ro.faults.push_back(std::move(f));
      }
      if (rj.contains("survived") && !rj["survived"].is_null()) ro.survived = rj["survived"].get<bool>();
      if (rj.contains("error") && !rj["error"].is_null()) ro.error = rj["error"].get<std::string>();
      ro.setup_ms = rj.value("setup_ms", 0.0);
      for (const auto& t : rj.value("timeline", nlohmann::json::array()))
        ro.timeline.push_back({t.at("t_s").get<double>(), t.at("source"), t.at("text")});
      co.runs.push_back(std::move(ro));
    }
    r.cases.push_back(std::move(co));
  }
  return r;
}

}  // namespace deadpeer::run
