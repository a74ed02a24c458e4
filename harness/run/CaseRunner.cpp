#include "run/CaseRunner.hpp"

#include <fmt/format.h>
#include <string.h>

#include <algorithm>

#include "faults/FaultFactory.hpp"
#include "lab/Lab.hpp"
#include "observe/CauseClassifier.hpp"
#include "observe/Observer.hpp"
#include "proc/Cgroup.hpp"
#include "proc/ClientProcess.hpp"
#include "proc/ServerProcess.hpp"
#include "proc/SshClient.hpp"
#include "run/FaultSchedule.hpp"
#include "run/ForwardTraffic.hpp"
#include "run/TrafficDriver.hpp"
#include "sys/Defer.hpp"
#include "run/RunSession.hpp"
#include "run/SetupGate.hpp"
#include "run/SideContext.hpp"
#include "scenario/Sysctl.hpp"
#include "sys/Interrupt.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::run {
namespace {

using namespace std::chrono_literals;
using observe::Event;

void apply_sysctls(lab::Node& node, const std::vector<scenario::Setting>& settings) {
  for (const auto& s : settings) node.sysctl(scenario::sysctl_full_name(s.key), scenario::render(s.value));
}

bool client_exited(const std::vector<Event>& evs) {
  return std::any_of(evs.begin(), evs.end(), [](const Event& e) {
    return e.kind == Event::Kind::exit && e.source == proc::ClientProcess::kExit;
  });
}

// The first server log line after t0 that ends the session, with its cause.
std::optional<std::pair<const Event*, observe::Cause>> server_end(const std::vector<Event>& evs, sys::TimePoint t0,
                                                                   observe::TcpHint hint) {
  for (const auto& e : evs)
    if (e.kind == Event::Kind::line && e.source == proc::ServerProcess::kLogSource && e.t >= t0)
      if (auto c = observe::CauseClassifier::classify_line(e.text, observe::Side::server, hint))
        return std::make_pair(&e, *c);
  return std::nullopt;
}

// Whether a fault of this run answered the session with a RST before `by` (seconds after t0):
// its own counters say it forged or provoked one, or the server came back from a reboot.
bool fault_sent_reset(const std::vector<FaultRecord>& faults, double by) {
  const auto count = [](const FaultRecord& f, const char* k) {
    auto it = f.counters.find(k);
    return it == f.counters.end() ? 0L : it->second;
  };
  const auto param = [](const FaultRecord& f, const char* k) {
    auto it = f.params.find(k);
    return it == f.params.end() ? std::string() : scenario::render(it->second);
  };
  for (const auto& f : faults) {
    if (f.kind == "reject" && (param(f, "icmp").empty() || param(f, "icmp") == "tcp-reset") &&
        count(f, "rejected_packets") > 0)
      return true;
    if (f.kind == "firewall" && param(f, "on_expiry") == "reset" && count(f, "expired_packets") > 0) return true;
    if (f.kind == "spoof-rst" && count(f, "forged_rsts") > 0) return true;
    if (f.kind == "reboot" && !f.removed_s.empty() && f.removed_s.front() <= by) return true;
  }
  return false;
}

// "signal 9 (KILL)"
std::string signal_text(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return fmt::format("signal {} ({})", sig, abbrev ? abbrev : "?");
}

// A line a side said, as evidence: a traced ssh's debug lines never are (and would hide the
// line that is).
bool said(const Event& e, const std::string& source) {
  return e.kind == Event::Kind::line && e.source == source && !e.text.starts_with("debug");
}

// Why a session ended early, for the error: ssh's exit status and its last words.
std::string ended_how(const proc::Process& ssh, int status, const std::vector<Event>& evs) {
  std::string how = ssh.killed_by() ? "killed by " + signal_text(*ssh.killed_by()) : "exit status " + std::to_string(status);
  const auto last_words = [&](const std::string& source, const char* who) {
    for (auto it = evs.rbegin(); it != evs.rend(); ++it)
      if (said(*it, source)) {
        how += std::string("; ") + who + " last said \"" + it->text + "\"";
        return;
      }
  };
  last_words(proc::ClientProcess::kStderr, "ssh");
  last_words(proc::ServerProcess::kLogSource, "the server");
  return how;
}

// The last "receive packet" line of a traced ssh (DEBUG3, packet.c) before it ended.
void record_last_receive(const std::vector<Event>& evs, sys::TimePoint t0, sys::TimePoint horizon, SideOutcome& side) {
  const Event* last = nullptr;
  for (const auto& e : evs) {
    if (e.t > horizon || (e.kind == Event::Kind::exit && e.source == proc::ClientProcess::kExit)) break;
    if (e.kind == Event::Kind::line && e.source == proc::ClientProcess::kStderr &&
        e.text.find("receive packet: type") != std::string::npos)
      last = &e;
  }
  if (!last) return;
  side.last_rx_s = sys::seconds_between(t0, last->t);
  side.last_rx_second_start_s = sys::seconds_between(t0, sys::boottime_second_start(last->t));
}

}  // namespace

RunOutcome CaseRunner::run_once(int lab_index, int repeat) {
  try {
    return measure(lab_index, repeat);
  } catch (const std::exception& e) {
    RunOutcome out;
    out.repeat = repeat;
    out.error = e.what();
    sys::log("run").error("{} run {}: {}", case_.id, repeat, e.what());
    return out;
  }
}

RunOutcome CaseRunner::measure(int lab_index, int repeat) {
  const scenario::Scenario& sc = case_.scenario;
  if (sc.faults.empty()) throw sys::Error("scenario has no [[fault]]");
  RunOutcome out;
  out.repeat = repeat;
  SetupGate::Permit setup_slot = gate_ ? gate_->enter() : SetupGate::Permit();
  const auto t_setup = sys::Clock::now();
  const std::string prefix = session_.lab_prefix(lab_index);

  // Build order is teardown order reversed: each object's destructor undoes it.
  sys::TempDir dir(session_.dir().file(prefix));
  observe::Observer observer;
  lab::Lab lab(prefix);
  apply_sysctls(lab.client(), sc.kernel_client);
  apply_sysctls(lab.server(), sc.kernel_server);
  apply_sysctls(lab.router(), sc.kernel_router);
  proc::Cgroup server_cg(session_.cgroup().path(), std::to_string(lab_index) + "-server");
  proc::Cgroup client_cg(session_.cgroup().path(), std::to_string(lab_index) + "-client");

  proc::ServerSpec server_spec{&lab.server().ns(), &server_cg, &session_.keys(), &dir, lab::Addresses::server, 22,
                               sc.server};
  std::unique_ptr<proc::ServerProcess> server;
  // reboot: a fresh sshd in the freshly booted host, same cgroup, same log source.
  auto restart_server = [&](lab::Node& host) {
    server.reset();
    proc::ServerSpec spec = server_spec;
    spec.netns = &host.ns();
    server = proc::ServerProcess::start(sc.server_impl, spec, observer);
  };
  // Armed before sshd starts: some faults must see the session from its first packet.
  faults::FaultTargets targets{lab, server_cg, client_cg, restart_server};
  std::vector<std::unique_ptr<faults::Fault>> armed;
  for (const auto& spec : sc.faults) armed.push_back(faults::FaultFactory::arm(spec, targets));
  FaultSchedule schedule(sc.faults, std::move(armed), observer);

  server = proc::ServerProcess::start(sc.server_impl, server_spec, observer);
  server->wait_listening(observer, sys::Clock::now() + 10s);
  std::optional<ForwardTraffic> forward;
  std::vector<scenario::Setting> client_options = sc.client;
  if (sc.traffic.pattern == scenario::Pattern::forward) {
    if (sc.client_impl != scenario::Implementation::openssh)
      throw sys::Error("traffic pattern 'forward' needs the OpenSSH client (its LocalForward)");
    forward.emplace(lab.server().ns());
    for (auto& o : ForwardTraffic::ssh_options()) client_options.push_back(std::move(o));
  }
  // Traced: ssh logs each packet it receives, so its phase at t0 is known, not just bounded.
  const bool traced = sc.trace && sc.client_impl == scenario::Implementation::openssh;
  if (traced) client_options.push_back({"LogLevel", std::string("DEBUG3"), sc.loc});
  auto client = proc::ClientProcess::start(
      sc.client_impl,
      {&lab.client().ns(), &client_cg, &session_.keys(), &dir, lab::Addresses::server, 22, client_options,
       proc::SshClient::remote_command(sc.traffic.pattern)},
      observer);
  client->wait_ready(observer, sys::Clock::now() + 15s);
  if (forward) forward->connect(lab.client().ns(), sys::Clock::now() + 5s);
  // Faults come off before the processes go: a frozen cgroup cannot be killed until thawed.
  sys::Defer take_faults_back([&] { schedule.remove_all(); });
  out.setup_ms = std::chrono::duration<double, std::milli>(sys::Clock::now() - t_setup).count();
  setup_slot.release();

  const auto steady = sys::Clock::now();
  schedule.start(steady);
  TrafficDriver traffic(sc.traffic, forward ? forward->fd() : client->stdin_fd());
  traffic.start(steady);
  const SideContext ctx(sc);
  const auto server_hint = ctx.server_hint(), client_hint = ctx.client_hint();
  const auto next_action = [&] {
    std::optional<sys::TimePoint> n = schedule.next_step();
    if (auto w = traffic.next_write()) n = n ? std::min(*n, *w) : *w;
    return n;
  };

  // Steady state until the first fault; a session that dies here is a broken case, not a result.
  while (!schedule.t0()) {
    const auto n = next_action();
    if (!n) throw sys::Error("no fault was scheduled");
    if (observer.wait_until(client_exited, *n))
      throw sys::Error("ssh session ended before the fault was applied: " +
                       ended_how(client->process(), client->process().wait(), observer.events()));
    if (sys::Interrupt::requested()) throw sys::Error("interrupted");
    schedule.run_due();
    traffic.run_due();
  }
  const sys::TimePoint t0 = *schedule.t0();
  const sys::TimePoint horizon = t0 + sc.horizon;
  const auto both_ended = [&](const std::vector<Event>& evs) {
    return client_exited(evs) && server_end(evs, t0, server_hint);
  };
  for (;;) {
    const auto n = next_action();
    const auto until = n ? std::min(*n, horizon) : horizon;
    const bool done = observer.wait_until(both_ended, until);
    if (sys::Interrupt::requested()) throw sys::Error("interrupted");
    if (done || sys::Clock::now() >= horizon) break;
    schedule.run_due();
    traffic.run_due();
  }
  const auto removed_at = schedule.all_removed_at();
  schedule.remove_all();
  out.faults = schedule.records(t0);
  for (const auto& f : out.faults) {
    out.fault_backend += (out.fault_backend.empty() ? "" : "+") + f.backend;
    for (const auto& [k, v] : f.counters) out.fault_counters.emplace(k, v);
  }

  const auto events = observer.events();
  std::vector<std::string> client_err;
  for (const auto& e : events) {
    if (said(e, proc::ClientProcess::kStderr)) client_err.push_back(e.text);
    if (e.kind == Event::Kind::exit && e.source == proc::ClientProcess::kExit && e.t <= horizon) {
      int status = client->process().wait();
      // No fault signals the client: a signal came from outside the case (the OOM killer, an
      // operator), and ssh never got to notice anything.
      if (const auto sig = client->process().killed_by())
        throw sys::Error(fmt::format("ssh was killed by {} {:.3f} s after the fault: not a detection",
                                     signal_text(*sig), sys::seconds_between(t0, e.t)));
      out.client.detected = true;
      out.client.detect_s = sys::seconds_between(t0, e.t);
      out.client.exit_status = status;
    }
  }
  if (out.client.detected) {
    out.client.cause = observe::CauseClassifier::classify_client_exit(client_err, *out.client.exit_status, client_hint);
    out.client.evidence = client_err.empty() ? "exit status " + std::to_string(*out.client.exit_status) : client_err.back();
    // "Broken pipe" only says the connection was dead when ssh wrote; the classifier guesses a
    // timeout from the settings. A fault that answered with a RST is the better witness.
    if (out.client.evidence.find("Broken pipe") != std::string::npos &&
        fault_sent_reset(out.faults, *out.client.detect_s))
      out.client.cause = observe::Cause::reset;
  }
  if (auto end = server_end(events, t0, server_hint); end && end->first->t <= horizon) {
    out.server.detected = true;
    out.server.detect_s = sys::seconds_between(t0, end->first->t);
    out.server.cause = end->second;
    out.server.evidence = end->first->text;
  }
  if (traced) record_last_receive(events, t0, horizon, out.client);
  // Transient faults: the session survived when neither side ended it by the horizon.
  if (removed_at) out.survived = !out.client.detected && !out.server.detected;
  for (const auto& e : events) out.timeline.push_back({sys::seconds_between(t0, e.t), e.source, e.text});
  return out;
}

}  // namespace deadpeer::run
