#include "cli/PredictCommand.hpp"

#include <iostream>
#include <memory>

#include "cli/PredictReport.hpp"

namespace deadpeer::cli {

int run_predict(const PredictArgs& args, std::ostream& out, std::ostream& err, const VersionLookup& lookup) {
  std::vector<PredictCase> cases;
  try {
    cases = predict_cases(args, lookup);
  } catch (const PredictError& e) {
    err << "deadpeer predict: " << e.what() << "\n";
    return kBadInput;
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    if (i) out << "\n" << std::string(72, '-') << "\n";
    out << PredictReport::render(cases[i], model::predict(cases[i].inputs));
  }
  return kOk;
}

Command add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "evaluate the timing model for any settings, without a lab or privileges");
  cmd->footer(
      "Unset settings take their real defaults (ServerAliveInterval 0, TCPKeepAlive yes, tcp_keepalive_time 7200 s, "
      "intvl 75 s, probes 9, tcp_retries2 15). Times use ssh's syntax in K=V (15, 1m30s) and deadpeer's in "
      "--interval/--rtt (2s, 20ms).\nExample: deadpeer predict --client ServerAliveInterval=15 --server "
      "ClientAliveInterval=30 --fault blackhole");
  // Optional strings stay unset unless given, so "not given" and "given as default" differ.
  auto opt = [&](const char* name, std::optional<std::string> PredictArgs::*field, const char* help) {
    cmd->add_option_function<std::string>(name, [args, field](const std::string& v) { (*args).*field = v; }, help);
  };
  // One KEY=VALUE per occurrence, so a value never swallows the scenario file after it.
  auto list = [&](const char* name, std::vector<std::string>& field, const char* help) {
    cmd->add_option(name, field, help)->allow_extra_args(false)->type_name("KEY=VALUE");
  };
  opt("scenario", &PredictArgs::scenario, "a scenario file (TOML): its settings, overridden by the flags");
  list("--client", args->client, "ssh_config option (repeatable)");
  list("--server", args->server, "sshd_config option (repeatable)");
  list("--kernel-client", args->kernel_client, "client namespace sysctl (repeatable)");
  list("--kernel-server", args->kernel_server, "server namespace sysctl (repeatable)");
  opt("--fault", &PredictArgs::fault, "fault kind (default blackhole)");
  list("--fault-param", args->fault_params, "fault parameter (repeatable)");
  opt("--traffic", &PredictArgs::traffic, "idle (default), interactive, stream or forward");
  opt("--interval", &PredictArgs::interval, "interactive traffic: one write this often (default 2s)");
  opt("--rtt", &PredictArgs::rtt, "round-trip time of the path (default 0.2ms, the lab's)");
  opt("--implementation-client", &PredictArgs::client_impl, "openssh (default) or dropbear");
  opt("--implementation-server", &PredictArgs::server_impl, "openssh (default) or dropbear");
  opt("--client-version", &PredictArgs::client_version, "client version, e.g. 9.2p1 (default: the installed one)");
  opt("--server-version", &PredictArgs::server_version, "server version, e.g. 2022.83 (default: the installed one)");
  return {cmd, [args] { return run_predict(*args, std::cout, std::cerr, installed_version); }};
}

}  // namespace deadpeer::cli
