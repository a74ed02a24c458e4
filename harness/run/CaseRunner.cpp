#include "run/CaseRunner.hpp"

#include <algorithm>

#include "faults/FaultFactory.hpp"
#include "lab/Lab.hpp"
#include "observe/CauseClassifier.hpp"
#include "observe/Observer.hpp"
#include "proc/Cgroup.hpp"
#include "proc/SshClient.hpp"
#include "proc/SshServer.hpp"
#include "run/RunSession.hpp"
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
    return e.kind == Event::Kind::exit && e.source == proc::SshClient::kExit;
  });
}

// The first server log line after t0 that ends the session, with its cause.
std::optional<std::pair<const Event*, observe::Cause>> server_end(const std::vector<Event>& evs, sys::TimePoint t0,
                                                                   observe::TcpHint hint) {
  for (const auto& e : evs)
    if (e.kind == Event::Kind::line && e.source == proc::SshServer::kLogSource && e.t >= t0)
      if (auto c = observe::CauseClassifier::classify_line(e.text, observe::Side::server, hint))
        return std::make_pair(&e, *c);
  return std::nullopt;
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
  RunOutcome out;
  out.repeat = repeat;
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

  proc::SshServer server({&lab.server().ns(), &server_cg, &session_.keys(), &dir, lab::Addresses::server, 22, sc.server},
                         observer);
  server.wait_listening(observer, sys::Clock::now() + 10s);
  proc::SshClient client({&lab.client().ns(), &client_cg, &session_.keys(), &dir, lab::Addresses::server, 22,
                          sc.client, proc::SshClient::remote_command(sc.traffic.pattern)},
                         observer);
  client.wait_ready(observer, sys::Clock::now() + 15s);
  out.setup_ms = std::chrono::duration<double, std::milli>(sys::Clock::now() - t_setup).count();

  // Steady state until the first fault; a session that dies here is a broken case, not a result.
  // TODO(issue 3): several faults in sequence, `duration` and `flap`.
  if (sc.faults.empty()) throw sys::Error("scenario has no [[fault]]");
  const scenario::FaultSpec& spec = sc.faults.front();
  if (observer.wait_until(client_exited, sys::Clock::now() + spec.at))
    throw sys::Error("ssh session ended before the fault was applied");
  if (sys::Interrupt::requested()) throw sys::Error("interrupted");

  faults::FaultTargets targets{lab, server_cg, client_cg, {}};
  std::unique_ptr<faults::Fault> fault = faults::FaultFactory::arm(spec, targets);
  const sys::TimePoint t0 = fault->apply();
  observer.mark("fault", spec.kind + " applied", t0);
  out.fault_backend = fault->backend();

  const SideContext ctx(sc);
  const auto server_hint = ctx.server_hint(), client_hint = ctx.client_hint();
  observer.wait_until(
      [&](const std::vector<Event>& evs) { return client_exited(evs) && server_end(evs, t0, server_hint); },
      t0 + sc.horizon);
  if (sys::Interrupt::requested()) throw sys::Error("interrupted");
  out.fault_counters = fault->counters();

  const auto events = observer.events();
  std::vector<std::string> client_err;
  for (const auto& e : events) {
    if (e.kind == Event::Kind::line && e.source == proc::SshClient::kStderr) client_err.push_back(e.text);
    if (e.kind == Event::Kind::exit && e.source == proc::SshClient::kExit && e.t <= t0 + sc.horizon) {
      int status = client.process().wait();
      out.client.detected = true;
      out.client.detect_s = sys::seconds_between(t0, e.t);
      out.client.exit_status = status;
    }
  }
  if (out.client.detected) {
    out.client.cause = observe::CauseClassifier::classify_client_exit(client_err, *out.client.exit_status, client_hint);
    out.client.evidence = client_err.empty() ? "exit status " + std::to_string(*out.client.exit_status) : client_err.back();
  }
  if (auto end = server_end(events, t0, server_hint); end && end->first->t <= t0 + sc.horizon) {
    out.server.detected = true;
    out.server.detect_s = sys::seconds_between(t0, end->first->t);
    out.server.cause = end->second;
    out.server.evidence = end->first->text;
  }
  for (const auto& e : events) out.timeline.push_back({sys::seconds_between(t0, e.t), e.source, e.text});
  return out;
}

}  // namespace deadpeer::run
