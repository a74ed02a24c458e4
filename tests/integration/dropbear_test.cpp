// Dropbear 2022.83 (dropbear, dbclient) in a real lab, against each other and against OpenSSH,
// with a blackhole in the router; each side's detection asserted as a window from the timing
// model (docs/timing-model.md, dropbear-keepalive), widened by the model's tolerance — never
// as a point:
//
//   client ns (dbclient | ssh) ── router ns (blackhole at t0) ── server ns (dropbear | sshd)
//
//   (a) dbclient -K 1        → dropbear            client: 3·K after its last receive
//   (b) ssh (no keepalive)   → dropbear -K 1       server: 3·K after its last receive
//   (c) ssh ServerAlive 1    → dropbear            interop: Dropbear answers ssh's global requests
//       dbclient -K 1        → sshd ClientAlive 1  interop: sshd answers dbclient's channel requests
//   (d) dbclient -I 3        → sshd ClientAlive 1  sshd's channel-request probes count as traffic
//   (e) dbclient -K 1 typing → dropbear            own writes move the whole-second phase
// A side the model says never notices (no SSH keepalive, no SO_KEEPALIVE within the horizon)
// must not report anything. After each run nothing is left: namespaces, cgroups, files.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>

#include "LabTestSupport.hpp"
#include "faults/Blackhole.hpp"
#include "lab/Lab.hpp"
#include "model/Model.hpp"
#include "observe/CauseClassifier.hpp"
#include "observe/Observer.hpp"
#include "proc/ClientProcess.hpp"
#include "proc/Process.hpp"
#include "proc/ServerProcess.hpp"
#include "proc/SshClient.hpp"
#include "run/RunSession.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using observe::Cause;
using observe::Event;
using scenario::Implementation;

struct Options {
  std::map<std::string, std::string> client, server;
};

struct SideResult {
  std::optional<double> detect_s;
  Cause cause = Cause::none;
  std::string evidence;
};

struct Measurement {
  SideResult client, server;
};

// One run for the whole binary: its lock keeps a concurrent `deadpeer cleanup` away from our
// labs, its directory and cgroup hold the cases, its keys serve both implementations.
run::RunSession& session() {
  static run::RunSession s;
  return s;
}

std::vector<scenario::Setting> settings(const std::map<std::string, std::string>& m) {
  std::vector<scenario::Setting> out;
  for (const auto& [k, v] : m) out.push_back({k, v, {}});
  return out;
}

model::Version real_version(const std::string& exe, const std::vector<std::string>& args) {
  return model::version_from_string(proc::Process::run(exe, args).out).value_or(model::Version{});
}

model::Prediction predict(Implementation client, Implementation server, const Options& o,
                          scenario::Pattern pattern = scenario::Pattern::idle, double interval_s = 2.0) {
  model::Inputs in;
  in.pattern = pattern;
  in.traffic_interval_s = interval_s;
  in.client = o.client;
  in.server = o.server;
  in.client_impl = client;
  in.server_impl = server;
  in.client_version = client == Implementation::dropbear ? real_version("/usr/bin/dbclient", {"-V"})
                                                         : real_version("/usr/bin/ssh", {"-V"});
  in.server_version = server == Implementation::dropbear ? real_version("/usr/sbin/dropbear", {"-V"})
                                                         : real_version("/usr/sbin/sshd", {"-V"});
  return model::predict(in);
}

bool client_exited(const std::vector<Event>& evs) {
  for (const auto& e : evs)
    if (e.kind == Event::Kind::exit && e.source == proc::ClientProcess::kExit) return true;
  return false;
}

std::optional<std::pair<Event, Cause>> server_end(const std::vector<Event>& evs, sys::TimePoint t0) {
  for (const auto& e : evs)
    if (e.kind == Event::Kind::line && e.source == proc::ServerProcess::kLogSource && e.t >= t0)
      if (auto c = observe::CauseClassifier::classify_line(e.text, observe::Side::server, observe::TcpHint::data_in_flight))
        return std::make_pair(e, *c);
  return std::nullopt;
}

// Builds the lab, starts both sides, waits for the session and a steady state, blackholes the
// router and watches both sides until they noticed or the horizon passed.
// `typing`: write a line to the client's stdin this often (cat echoes it), from the session's
// start until the client exits or the horizon: the interactive pattern.
Measurement measure(Implementation client_impl, Implementation server_impl, const Options& o,
                    std::chrono::seconds horizon, std::chrono::milliseconds steady = 2500ms,
                    std::optional<std::chrono::milliseconds> typing = std::nullopt) {
  static int n = 0;
  const int index = n++;
  const std::string prefix = session().lab_prefix(index);
  Measurement m;

  sys::TempDir dir(session().dir().file(prefix));
  observe::Observer observer;
  lab::Lab lab(prefix);
  proc::Cgroup server_cg(session().cgroup().path(), std::to_string(index) + "-server");
  proc::Cgroup client_cg(session().cgroup().path(), std::to_string(index) + "-client");

  auto server = proc::ServerProcess::start(
      server_impl, {&lab.server().ns(), &server_cg, &session().keys(), &dir, lab::Addresses::server, 22, settings(o.server)},
      observer);
  server->wait_listening(observer, sys::Clock::now() + 10s);
  auto client = proc::ClientProcess::start(
      client_impl,
      {&lab.client().ns(), &client_cg, &session().keys(), &dir, lab::Addresses::server, 22, settings(o.client),
       proc::SshClient::remote_command(scenario::Pattern::idle)},
      observer);
  client->wait_ready(observer, sys::Clock::now() + 15s);
  auto next_key = sys::Clock::now();
  // Waits like observer.wait_until, typing on the way when asked to.
  const auto wait = [&](const observe::Observer::Predicate& pred, sys::TimePoint deadline) {
    while (typing) {
      if (observer.wait_until(pred, std::min(deadline, next_key))) return true;
      if (sys::Clock::now() >= deadline) return false;
      if (!client_exited(observer.events()) && ::write(client->stdin_fd(), "x\n", 2) != 2)
        throw std::system_error(errno, std::generic_category(), "type into the client's stdin");
      next_key += *typing;
    }
    return observer.wait_until(pred, deadline);
  };

  // A few keepalive cycles of steady state, so the last receive before t0 is a recent one. The
  // keepalive chain starts with the session, so `steady` also sets t0's phase within a cycle.
  if (wait(client_exited, sys::Clock::now() + steady)) {
    std::string err;
    for (const auto& e : observer.events()) err += "\n  " + e.source + ": " + e.text;
    throw std::runtime_error(std::string(client->program()) + " ended before the fault:" + err);
  }

  faults::Blackhole hole(lab.router().ns(), "blackhole", faults::Direction::both);
  const sys::TimePoint t0 = hole.apply();
  observer.mark("fault", "blackhole applied", t0);
  wait([&](const std::vector<Event>& evs) { return client_exited(evs) && server_end(evs, t0); }, t0 + horizon);

  const auto events = observer.events();
  std::vector<std::string> client_err;
  for (const auto& e : events) {
    if (e.kind == Event::Kind::line && e.source == proc::ClientProcess::kStderr) client_err.push_back(e.text);
    if (e.kind == Event::Kind::exit && e.source == proc::ClientProcess::kExit && e.t <= t0 + horizon) {
      const int status = client->process().wait();
      m.client.detect_s = sys::seconds_between(t0, e.t);
      m.client.cause = observe::CauseClassifier::classify_client_exit(client_err, status, observe::TcpHint::data_in_flight);
      m.client.evidence = (client_err.empty() ? "" : client_err.back()) + " (exit " + std::to_string(status) + ")";
    }
  }
  if (auto end = server_end(events, t0); end && end->first.t <= t0 + horizon) {
    m.server.detect_s = sys::seconds_between(t0, end->first.t);
    m.server.cause = end->second;
    m.server.evidence = end->first.text;
  }
  return m;
}

// The measurement must lie in the predicted window ± tolerance, with the predicted cause, and
// the rule that decided must be the one this test is about.
void expect_agrees(const model::SidePrediction& p, const SideResult& r, const std::string& rule, const char* what) {
  std::cout << "  " << what << ": measured " << (r.detect_s ? std::to_string(*r.detect_s) + " s" : "nothing") << " ("
            << to_string(r.cause) << "; " << r.evidence << "), model "
            << (p.window ? model::to_string(*p.window) : "never") << " " << to_string(p.cause) << " [" << p.rule << "]\n";
  EXPECT_EQ(p.rule, rule) << what << ": " << p.explanation;
  if (!p.window) {
    EXPECT_FALSE(r.detect_s.has_value()) << what << " noticed although the model says never: " << r.evidence;
    return;
  }
  ASSERT_TRUE(r.detect_s.has_value()) << what << " did not notice; model: " << p.explanation;
  const double lo = p.window->lo_s - model::tolerance_s(p.window->lo_s);
  const double hi = p.window->hi_s + model::tolerance_s(p.window->hi_s);
  EXPECT_GE(*r.detect_s, lo) << what << ": " << p.explanation;
  EXPECT_LE(*r.detect_s, hi) << what << ": " << p.explanation;
  EXPECT_EQ(to_string(r.cause), to_string(p.cause)) << what << ": " << r.evidence;
  EXPECT_TRUE(model::agrees(p, r.detect_s, r.cause)) << what;
}

// A side whose predicted window lies beyond the horizon (kernel keepalive after hours) must
// simply not have noticed yet.
void expect_silent_within(const model::SidePrediction& p, const SideResult& r, double horizon_s, const char* what) {
  std::cout << "  " << what << ": measured " << (r.detect_s ? std::to_string(*r.detect_s) + " s" : "nothing")
            << ", model " << (p.window ? model::to_string(*p.window) : "never") << " [" << p.rule << "]\n";
  EXPECT_TRUE(!p.window || p.window->lo_s - model::tolerance_s(p.window->lo_s) > horizon_s) << p.explanation;
  EXPECT_FALSE(r.detect_s.has_value()) << what << ": " << r.evidence;
}

void expect_nothing_left() {
  for (const auto& e : std::filesystem::directory_iterator(sys::Netns::kRunDir))
    EXPECT_NE(e.path().filename().string().rfind("dp" + session().id() + "-", 0), 0u) << "leftover netns " << e.path();
  for (const auto& e : std::filesystem::directory_iterator(session().cgroup().path()))
    EXPECT_FALSE(e.is_directory()) << "leftover cgroup " << e.path();
  for (const auto& e : std::filesystem::directory_iterator(session().dir().path()))
    EXPECT_NE(e.path().filename().string().rfind("dp" + session().id() + "-", 0), 0u) << "leftover case dir " << e.path();
}

bool dropbear_installed() {
  return ::access("/usr/sbin/dropbear", X_OK) == 0 && ::access("/usr/bin/dbclient", X_OK) == 0 &&
         ::access("/usr/bin/dropbearconvert", X_OK) == 0;
}

#define DEADPEER_REQUIRE_DROPBEAR()                                                         \
  do {                                                                                      \
    DEADPEER_REQUIRE_LAB();                                                                 \
    if (!dropbear_installed()) GTEST_SKIP() << "dropbear-bin not installed (dropbear, dbclient, dropbearconvert)"; \
  } while (0)

// t0 at three phases of the 1 s keepalive cycle: the measurements should spread over the window.
const std::chrono::milliseconds kPhases[] = {2150ms, 2500ms, 2850ms};

TEST(Dropbear, DbclientKeepaliveAgainstDropbearServer) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"ServerAliveInterval", "1"}}, {}};
  const auto p = predict(Implementation::dropbear, Implementation::dropbear, o);
  for (const auto steady : kPhases) {
    const auto m = measure(Implementation::dropbear, Implementation::dropbear, o, 6s, steady);
    expect_agrees(p.client, m.client, "dropbear-keepalive", "dbclient -K 1");
    EXPECT_NE(m.client.evidence.find("Keepalive timeout"), std::string::npos) << m.client.evidence;
    EXPECT_NE(m.client.evidence.find("(exit 1)"), std::string::npos) << m.client.evidence;
    // No -K, and Dropbear never sets SO_KEEPALIVE: nothing probes the dead path.
    expect_agrees(p.server, m.server, "never", "dropbear (no -K)");
  }
  expect_nothing_left();
}

TEST(Dropbear, DropbearServerKeepaliveAgainstOpenSshClient) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"ServerAliveInterval", "0"}}, {{"ClientAliveInterval", "1"}}};
  const auto p = predict(Implementation::openssh, Implementation::dropbear, o);
  for (const auto steady : kPhases) {
    const auto m = measure(Implementation::openssh, Implementation::dropbear, o, 6s, steady);
    expect_agrees(p.server, m.server, "dropbear-keepalive", "dropbear -K 1");
    EXPECT_NE(m.server.evidence.find("Exit (root) from <198.51.100.2:"), std::string::npos) << m.server.evidence;
    EXPECT_NE(m.server.evidence.find("Keepalive timeout"), std::string::npos) << m.server.evidence;
    // ssh without ServerAlive relies on SO_KEEPALIVE: 2 h and more at the kernel defaults.
    expect_silent_within(p.client, m.client, 6, "ssh (TCPKeepAlive only)");
  }
  expect_nothing_left();
}

TEST(Dropbear, OpenSshClientServerAliveAgainstDropbearServer) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"ServerAliveInterval", "1"}, {"ServerAliveCountMax", "3"}}, {}};
  const auto p = predict(Implementation::openssh, Implementation::dropbear, o);
  const auto m = measure(Implementation::openssh, Implementation::dropbear, o, 7s);
  // ssh's keepalive@openssh.com global requests were answered by Dropbear until t0 (else it
  // would have given up during the steady state), so the usual OpenSSH window holds.
  expect_agrees(p.client, m.client, "openssh-serveralive", "ssh ServerAliveInterval 1");
  expect_agrees(p.server, m.server, "never", "dropbear (no -K)");
  expect_nothing_left();
}

TEST(Dropbear, DbclientKeepaliveAgainstSshdClientAlive) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"ServerAliveInterval", "1"}}, {{"ClientAliveInterval", "1"}, {"ClientAliveCountMax", "3"}}};
  const auto p = predict(Implementation::dropbear, Implementation::openssh, o);
  const auto m = measure(Implementation::dropbear, Implementation::openssh, o, 10s);
  expect_agrees(p.client, m.client, "dropbear-keepalive", "dbclient -K 1");
  // dbclient's channel-request probes reach sshd every second and restart its ClientAlive wait.
  expect_agrees(p.server, m.server, "sshd-clientalive-double-interval", "sshd ClientAliveInterval 1");
  expect_nothing_left();
}

// Dropbear's -I ignores keepalive global requests and failure replies, but sshd's ClientAlive
// probes are *channel* requests while the session channel is open, and those count as traffic:
// without the fault the session outlives -I; after it, the last probe dates the idle timer.
TEST(Dropbear, DbclientIdleTimeoutIsKeptAliveBySshdProbes) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"IdleTimeout", "3"}}, {{"ClientAliveInterval", "1"}, {"ClientAliveCountMax", "3"}}};
  const auto p = predict(Implementation::dropbear, Implementation::openssh, o);
  // 5 s of steady state: longer than -I 3, so an idle timer nobody refreshed would have fired.
  const auto m = measure(Implementation::dropbear, Implementation::openssh, o, 10s, 5000ms);
  expect_agrees(p.client, m.client, "dropbear-idle-timeout", "dbclient -I 3");
  EXPECT_NE(m.client.evidence.find("Idle timeout"), std::string::npos) << m.client.evidence;
  expect_agrees(p.server, m.server, "sshd-clientalive-double-interval", "sshd ClientAliveInterval 1");
  expect_nothing_left();
}

// Typing wakes dbclient at arbitrary fractions of a second, and a keystroke can restart its
// whole-second probe chain: the model widens the idle window by 1 s early and min(K, p) late.
TEST(Dropbear, DbclientKeepaliveWhileTyping) {
  DEADPEER_REQUIRE_DROPBEAR();
  const Options o{{{"ServerAliveInterval", "1"}}, {}};
  const auto p = predict(Implementation::dropbear, Implementation::dropbear, o, scenario::Pattern::interactive, 0.7);
  for (const auto steady : {2150ms, 2400ms, 2650ms, 2900ms}) {
    const auto m = measure(Implementation::dropbear, Implementation::dropbear, o, 7s, steady, 700ms);
    expect_agrees(p.client, m.client, "dropbear-keepalive", "dbclient -K 1, typing every 0.7 s");
  }
  expect_nothing_left();
}

}  // namespace
}  // namespace deadpeer
