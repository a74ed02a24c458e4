// The spoofing faults through whole cases: real sshd and ssh in a real lab, the middlebox in
// the router armed before sshd starts, and what each side notices (when, and why).
//
//   client ns (ssh) ── router ns (Middlebox on rc/rs; nftables cut for spoof-keepalive) ── server ns (sshd)
//
// - spoof-keepalive hides a dead server from a client that relies on TCP keepalive alone (the
//   kernel's probes are answered), but not from ServerAlive, which travels inside the channel.
// - spoof-rst target=server: sshd reads ECONNRESET at once ("Connection reset by peer").
// - spoof-data: the target's SSH transport rejects the junk at once ("Bad packet length" with
//   the default chacha20-poly1305) → cause mac-error.
// Windows are asserted, never points; nothing of a run may remain afterwards.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "LabTestSupport.hpp"
#include "proc/Cgroup.hpp"
#include "run/RunSession.hpp"
#include "run/Runner.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer {
namespace {

// Kernel timers at HZ=250 fire up to 12.5 % late; others compile on the same two cores.
constexpr double kAbsTolerance = 0.15;
constexpr double kPctTolerance = 0.125;

std::string timeline(const run::RunOutcome& r) {
  std::ostringstream os;
  for (const auto& e : r.timeline) os << "  " << e.t_s << " s " << e.source << ": " << e.text << "\n";
  for (const auto& [k, v] : r.fault_counters) os << "  counter " << k << " = " << v << "\n";
  return os.str();
}

void expect_in_window(const run::SideOutcome& side, double lo, double hi, observe::Cause cause, const char* what,
                      const run::RunOutcome& r) {
  ASSERT_TRUE(side.detected) << what << " did not detect\n" << timeline(r);
  EXPECT_GE(*side.detect_s, lo - kAbsTolerance) << what << "\n" << timeline(r);
  EXPECT_LE(*side.detect_s, hi + std::max(kAbsTolerance, hi * kPctTolerance)) << what << "\n" << timeline(r);
  EXPECT_EQ(observe::to_string(side.cause), observe::to_string(cause)) << what << ": " << side.evidence;
}

void expect_nothing_left(const std::string& run_id) {
  for (const auto& e : std::filesystem::directory_iterator(sys::Netns::kRunDir))
    EXPECT_NE(e.path().filename().string().rfind("dp" + run_id + "-", 0), 0u) << "leftover netns " << e.path();
  EXPECT_FALSE(std::filesystem::exists(run::RunSession::state_root() + "/" + run_id));
  EXPECT_FALSE(std::filesystem::exists(proc::Cgroup::own_root() + "/deadpeer-" + run_id));
}

// What each side did, for the log (docs/faults-spoofing.md quotes these figures).
void print_measured(const std::string& name, const run::RunOutcome& r) {
  for (const auto& [side, o] : {std::pair{"client", &r.client}, {"server", &r.server}})
    std::cout << "[ measured ] " << name << " " << side << ": "
              << (o->detected ? std::to_string(*o->detect_s) + " s, " + std::string(observe::to_string(o->cause)) +
                                    " — " + o->evidence
                              : std::string("not detected"))
              << std::endl;
  for (const auto& [k, v] : r.fault_counters)
    std::cout << "[ measured ] " << name << " " << k << " = " << v << std::endl;
}

run::RunOutcome run_one(const std::string& toml) {
  auto cases = scenario::expand(scenario::parse_string(toml, "spoof_ssh_test.toml"));
  run::Results r = run::Runner({}).run(cases);
  expect_nothing_left(r.run_id);
  EXPECT_EQ(r.cases.size(), 1u);
  EXPECT_EQ(r.cases.at(0).runs.size(), 1u);
  const auto& run = r.cases.at(0).runs.at(0);
  print_measured(r.cases.at(0).scenario, run);
  if (std::getenv("DEADPEER_TEST_TIMELINE")) std::cout << timeline(run);
  return run;
}

TEST(SpoofSsh, KeepaliveSpoofingHidesADeadServerFromTcpKeepAlive) {
  DEADPEER_REQUIRE_LAB();
  // Without the spoofer this client dies 2 … 4 s after the cut (detection_test, KernelKeepalive…).
  const auto run = run_one(R"(
name = "spoof-keepalive-tcp"
horizon = "10s"
[client]
ServerAliveInterval = 0
TCPKeepAlive = true
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 2
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 2
[[fault]]
kind = "spoof-keepalive"
at = "1s"
)");
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_FALSE(run.client.detected) << run.client.evidence << "\n" << timeline(run);
  EXPECT_EQ(run.client.cause, observe::Cause::none);
  // One probe per tcp_keepalive_time (each forged ACK restarts the idle timer): ~4–5 in 10 s.
  EXPECT_GE(run.fault_counters.at("forged_acks"), 3) << timeline(run);
  EXPECT_LE(run.fault_counters.at("forged_acks"), 7) << timeline(run);
  EXPECT_EQ(run.fault_counters.at("probes_seen"), run.fault_counters.at("forged_acks"));
  EXPECT_GE(run.fault_counters.at("dropped_packets"), run.fault_counters.at("forged_acks"));
  EXPECT_EQ(run.fault_backend, "userspace");
}

TEST(SpoofSsh, KeepaliveSpoofingDoesNotFoolServerAlive) {
  DEADPEER_REQUIRE_LAB();
  const auto run = run_one(R"(
name = "spoof-keepalive-serveralive"
horizon = "6s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 2
TCPKeepAlive = true
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 2
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 2
[[fault]]
kind = "spoof-keepalive"
at = "1s"
)");
  ASSERT_FALSE(run.error) << *run.error;
  // N·I … (N+1)·I after t0 (docs/timing-model.md), N = 2, I = 1.
  expect_in_window(run.client, 2.0, 3.0, observe::Cause::serveralive, "ssh", run);
  // keepalive@openssh.com is data in flight: the kernel sends no probes, nothing to forge.
  EXPECT_EQ(run.fault_counters.at("forged_acks"), 0) << timeline(run);
}

TEST(SpoofSsh, ForgedRstEndsSshdAtOnce) {
  DEADPEER_REQUIRE_LAB();
  const auto run = run_one(R"(
name = "spoof-rst-server"
horizon = "3s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "spoof-rst"
target = "server"
at = "1s"
)");
  ASSERT_FALSE(run.error) << *run.error;
  expect_in_window(run.server, 0.0, 1.0, observe::Cause::reset, "sshd", run);
  EXPECT_NE(run.server.evidence.find("Connection reset by peer"), std::string::npos) << run.server.evidence;
  // The client sends nothing on an idle session, so nothing tells it: sshd's kernel forgot the
  // connection without a word.
  EXPECT_FALSE(run.client.detected) << run.client.evidence << "\n" << timeline(run);
  EXPECT_EQ(run.fault_counters.at("forged_rsts"), 1);
}

TEST(SpoofSsh, ForgedDataIsAMacErrorForSshd) {
  DEADPEER_REQUIRE_LAB();
  const auto run = run_one(R"(
name = "spoof-data-server"
horizon = "3s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "spoof-data"
target = "server"
at = "1s"
)");
  ASSERT_FALSE(run.error) << *run.error;
  expect_in_window(run.server, 0.0, 1.0, observe::Cause::mac_error, "sshd", run);
  EXPECT_EQ(run.fault_counters.at("forged_segments"), 1);
}

TEST(SpoofSsh, ForgedDataIsAMacErrorForSsh) {
  DEADPEER_REQUIRE_LAB();
  const auto run = run_one(R"(
name = "spoof-data-client"
horizon = "3s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "spoof-data"
target = "client"
at = "1s"
)");
  ASSERT_FALSE(run.error) << *run.error;
  expect_in_window(run.client, 0.0, 1.0, observe::Cause::mac_error, "ssh", run);
  EXPECT_EQ(run.client.exit_status, 255);
  EXPECT_EQ(run.fault_counters.at("forged_segments"), 1);
}

}  // namespace
}  // namespace deadpeer
