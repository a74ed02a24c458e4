#include "cli/PredictInputs.hpp"

#include <strings.h>

#include <algorithm>
#include <cctype>

#include "model/FromScenario.hpp"
#include "model/SideConfig.hpp"
#include "proc/DropbearOptions.hpp"
#include "proc/Process.hpp"
#include "scenario/DidYouMean.hpp"
#include "scenario/Duration.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"
#include "scenario/Sysctl.hpp"
#include "faults/FaultFactory.hpp"

namespace deadpeer::cli {
namespace {

using scenario::Implementation;

bool same(const std::string& a, const std::string& b) { return ::strcasecmp(a.c_str(), b.c_str()) == 0; }

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

struct KeyValue {
  std::string key, value;
};

KeyValue split(const std::string& flag, const std::string& arg) {
  const auto eq = arg.find('=');
  KeyValue kv{trim(arg.substr(0, eq)), eq == std::string::npos ? "" : trim(arg.substr(eq + 1))};
  if (eq == std::string::npos || kv.key.empty() || kv.value.empty())
    throw PredictError(flag + " '" + arg + "': expected KEY=VALUE, e.g. " + flag +
                       (flag.find("kernel") != std::string::npos ? " tcp_keepalive_time=60"
                        : flag == "--fault-param"              ? " direction=to-server"
                                                               : " ServerAliveInterval=15"));
  return kv;
}

// Replaces a key case-insensitively: a flag overrides what the scenario file said.
template <class V>
void put(std::map<std::string, V>& m, const std::string& key, V value) {
  for (auto it = m.begin(); it != m.end();)
    it = same(it->first, key) ? m.erase(it) : std::next(it);
  m.emplace(key, std::move(value));
}

// The ssh/sshd options the model reads, with the side they belong to.
struct ModelOption {
  const char* name;
  enum { client, server, both } side;
  enum { time, count, flag } kind;
};
constexpr ModelOption kModelOptions[] = {
    {"ServerAliveInterval", ModelOption::client, ModelOption::time},
    {"ServerAliveCountMax", ModelOption::client, ModelOption::count},
    {"ClientAliveInterval", ModelOption::server, ModelOption::time},
    {"ClientAliveCountMax", ModelOption::server, ModelOption::count},
    {"TCPKeepAlive", ModelOption::both, ModelOption::flag},
    {"IdleTimeout", ModelOption::both, ModelOption::time},  // Dropbear's -I
};

constexpr const char* kModelSysctls[] = {"tcp_keepalive_time", "tcp_keepalive_intvl", "tcp_keepalive_probes",
                                         "tcp_retries2",       "tcp_rto_min_us",      "tcp_rto_max_ms"};
constexpr const char* kModelFaultParams[] = {"direction", "target",    "down",      "idle_timeout", "on_expiry",
                                             "ignore_keepalive", "icmp", "duration", "flap.up", "flap.down",
                                             "flap.count", "delay", "jitter", "loss"};

template <class List>
std::vector<std::string> names(const List& list) {
  std::vector<std::string> out;
  for (const auto& e : list) {
    if constexpr (std::is_same_v<std::decay_t<decltype(e)>, ModelOption>) out.push_back(e.name);
    else out.push_back(e);
  }
  return out;
}

void check_option(bool client, const std::string& flag, const KeyValue& kv, std::vector<std::string>& unused) {
  const std::string shown = flag + " " + kv.key + "=" + kv.value;
  for (const auto& o : kModelOptions) {
    if (!same(kv.key, o.name)) continue;
    if ((o.side == ModelOption::client && !client) || (o.side == ModelOption::server && client))
      throw PredictError(shown + ": " + o.name + " is " + (client ? "a server (sshd_config)" : "a client (ssh_config)") +
                         " option; use " + (client ? "--server" : "--client"));
    if (o.kind == ModelOption::time && !model::parse_ssh_time(kv.value))
      throw PredictError(shown + ": '" + kv.value + "' is not a time (ssh's syntax: 15, 90, 1m30s, 2h)");
    if (o.kind == ModelOption::count &&
        (kv.value.find_first_not_of("0123456789") != std::string::npos || kv.value.size() > 9))
      throw PredictError(shown + ": '" + kv.value + "' is not a count (a whole number, 0 or more)");
    if (o.kind == ModelOption::flag && !model::parse_flag(kv.value))
      throw PredictError(shown + ": '" + kv.value + "' is not yes or no");
    return;
  }
  if (const auto near = scenario::closest_match(kv.key, names(kModelOptions)))
    throw PredictError(shown + ": unknown option '" + kv.key + "' (did you mean '" + *near + "'?)");
  unused.push_back(std::string(client ? "client " : "server ") + kv.key + " (not read by the model)");
}

void check_dropbear(bool client, const std::map<std::string, std::string>& options) {
  std::vector<scenario::Setting> settings;
  for (const auto& [k, v] : options) settings.push_back({k, v, {}});
  const auto problems = proc::DropbearOptions::check(client ? proc::OptionSide::client : proc::OptionSide::server, settings);
  if (problems.empty()) return;
  std::string msg = std::string(client ? "--client" : "--server") + " with Dropbear:";
  for (const auto& d : problems) msg += "\n  " + d.message + (d.hint.empty() ? "" : " (" + d.hint + ")");
  throw PredictError(msg);
}

void put_sysctl(bool client, const std::string& flag, const KeyValue& kv, std::map<std::string, long>& out,
                std::vector<std::string>& unused) {
  const auto side = client ? scenario::KernelSide::client : scenario::KernelSide::server;
  std::string name = kv.key;
  if (name.rfind("net.ipv4.", 0) == 0) name = name.substr(9);
  const scenario::SysctlInfo* info = scenario::find_sysctl(name, side);
  if (!info) {
    const std::string hint = scenario::did_you_mean(name, scenario::sysctl_names(side));
    throw PredictError(flag + " " + kv.key + ": not a sysctl a scenario may set" + (hint.empty() ? "" : " (" + hint + ")"));
  }
  long long v = 0;
  size_t used = 0;
  try {
    v = std::stoll(kv.value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != kv.value.size() || used == 0)
    throw PredictError(flag + " " + kv.key + "=" + kv.value + ": not an integer");
  if (v < info->min || v > info->max)
    throw PredictError(flag + " " + kv.key + "=" + kv.value + ": out of range [" + std::to_string(info->min) + ", " +
                       std::to_string(info->max) + "]" + (info->unit.empty() ? "" : " " + std::string(info->unit)));
  put(out, name, static_cast<long>(v));
  if (std::none_of(std::begin(kModelSysctls), std::end(kModelSysctls), [&](const char* s) { return name == s; }))
    unused.push_back(std::string("kernel.") + (client ? "client " : "server ") + name + " (not read by the model)");
}

Implementation implementation(const std::string& flag, const std::string& text) {
  if (auto i = scenario::implementation_from_string(text)) return *i;
  throw PredictError(flag + " '" + text + "': expected openssh or dropbear");
}

double seconds(const std::string& flag, const std::string& text) {
  std::string why;
  const auto d = scenario::parse_duration(text, &why);
  if (!d) throw PredictError(flag + " '" + text + "': " + why + "; " + std::string(scenario::kDurationForms));
  return std::chrono::duration<double>(*d).count();
}

ResolvedVersion version(const std::string& flag, const std::string& text) {
  if (auto v = model::version_from_string(text)) return {*v, flag};
  throw PredictError(flag + " '" + text + "': no version number in it (e.g. 9.2p1, OpenSSH_9.8p1, 2022.83)");
}

// The scenario's cases, with the model's view of each, or one blank case.
std::vector<PredictCase> base_cases(const PredictArgs& args) {
  if (!args.scenario) return {PredictCase{}};
  std::vector<PredictCase> out;
  try {
    const scenario::Scenario sc = scenario::parse_file(*args.scenario);
    std::vector<scenario::Diagnostic> problems;
    for (const auto& f : sc.faults) {
      auto d = faults::FaultFactory::validate(f);
      problems.insert(problems.end(), d.begin(), d.end());
    }
    if (!problems.empty()) throw scenario::ScenarioError(std::move(problems));
    for (const auto& c : scenario::expand(sc)) {
      PredictCase pc;
      pc.label = c.id;
      pc.inputs = model::inputs_from(c.scenario, {}, {});  // versions resolved below
      out.push_back(std::move(pc));
    }
  } catch (const scenario::ScenarioError& e) {
    throw PredictError(e.what());
  }
  return out;
}

void apply_flags(const PredictArgs& args, PredictCase& pc) {
  model::Inputs& in = pc.inputs;
  if (args.client_impl) in.client_impl = implementation("--implementation-client", *args.client_impl);
  if (args.server_impl) in.server_impl = implementation("--implementation-server", *args.server_impl);
  for (const auto& a : args.client) {
    const auto kv = split("--client", a);
    put(in.client, kv.key, kv.value);
  }
  for (const auto& a : args.server) {
    const auto kv = split("--server", a);
    put(in.server, kv.key, kv.value);
  }
  // Options from the file and the flags are judged together, as `run` would see them.
  for (const auto& [k, v] : in.client) check_option(true, "--client", {k, v}, pc.unused);
  for (const auto& [k, v] : in.server) check_option(false, "--server", {k, v}, pc.unused);
  if (in.client_impl == Implementation::dropbear) check_dropbear(true, in.client);
  if (in.server_impl == Implementation::dropbear) check_dropbear(false, in.server);
  for (const auto& a : args.kernel_client) put_sysctl(true, "--kernel-client", split("--kernel-client", a), in.kernel_client, pc.unused);
  for (const auto& a : args.kernel_server) put_sysctl(false, "--kernel-server", split("--kernel-server", a), in.kernel_server, pc.unused);
  if (args.fault) {
    if (!args.scenario || !same(*args.fault, in.fault)) in.fault_params.clear();  // another kind's parameters do not carry over
    in.fault = *args.fault;
  }
  for (const auto& a : args.fault_params) {
    const auto kv = split("--fault-param", a);
    if (std::none_of(std::begin(kModelFaultParams), std::end(kModelFaultParams), [&](const char* p) { return same(kv.key, p); })) {
      if (const auto near = scenario::closest_match(kv.key, names(kModelFaultParams)))
        throw PredictError("--fault-param " + a + ": unknown parameter '" + kv.key + "' (did you mean '" + *near + "'?)");
      pc.unused.push_back("fault " + kv.key + " (not read by the model)");
    }
    put(in.fault_params, kv.key, kv.value);
  }
  if (args.traffic) {
    const auto p = scenario::pattern_from_string(*args.traffic);
    if (!p) throw PredictError("--traffic '" + *args.traffic + "': expected idle, interactive, stream or forward");
    in.pattern = *p;
  }
  if (args.interval) in.traffic_interval_s = seconds("--interval", *args.interval);
  if (args.rtt) in.rtt_s = seconds("--rtt", *args.rtt);
  if (in.traffic_interval_s <= 0) throw PredictError("--interval must be more than 0");
}

}  // namespace

std::vector<PredictCase> predict_cases(const PredictArgs& args, const VersionLookup& lookup) {
  std::vector<PredictCase> cases = base_cases(args);
  for (auto& pc : cases) {
    apply_flags(args, pc);
    pc.client_version = args.client_version ? version("--client-version", *args.client_version)
                                            : lookup(pc.inputs.client_impl, true);
    pc.server_version = args.server_version ? version("--server-version", *args.server_version)
                                            : lookup(pc.inputs.server_impl, false);
    pc.inputs.client_version = pc.client_version.version;
    pc.inputs.server_version = pc.server_version.version;
    // The model is the judge of fault kinds and their parameter values: it names what it
    // cannot read (rule "unknown-fault") instead of guessing.
    const model::Prediction p = model::predict(pc.inputs);
    if (p.client.rule == "unknown-fault") throw PredictError("--fault: " + p.client.explanation);
  }
  return cases;
}

ResolvedVersion installed_version(Implementation impl, bool client) {
  const bool dropbear = impl == Implementation::dropbear;
  const std::string exe = dropbear ? (client ? "/usr/bin/dbclient" : "/usr/sbin/dropbear")
                                   : (client ? "/usr/bin/ssh" : "/usr/sbin/sshd");
  const model::Version fallback = dropbear ? model::Version{2022, 83} : model::Version{9, 2};
  try {
    // `-V` prints the version on every one of them (sshd: in its usage message); no privileges.
    if (const auto v = model::version_from_string(proc::Process::run(exe, {"-V"}).out))
      return {*v, "installed " + exe};
  } catch (const std::exception&) {
  }
  return {fallback, "model default (" + exe + " not found)"};
}

}  // namespace deadpeer::cli
