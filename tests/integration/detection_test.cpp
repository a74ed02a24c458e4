// Real sshd and ssh in a real lab, a blackhole in the router, and each side's detection asserted
// as a window (packetdrill-style: expected range ± max(abs, %)), never as a point.
//
//   client ns (ssh)  ── router ns (blackhole at t0) ──  server ns (sshd)
//
// Windows come from the OpenSSH 9.2 and Linux rules in docs/timing-model.md:
// - ssh: whole-second deadline re-armed by every received packet; with ServerAliveInterval I
//   probes answered until t0, the last packet arrives within I before t0, so the client gives
//   up N·I … (N+1)·I after t0.
// - sshd 9.2–9.4: probes every 2·I (whole-second comparison), gives up 2(N+1)·I after the last
//   activity, which is within 2·I before t0 → 2N·I … 2(N+1)·I after t0.
// - Linux keepalive (idle, nothing in flight): first unanswered probe within `time` after t0,
//   then `probes` probes `intvl` apart → probes·intvl … time + probes·intvl after t0.
// After every run nothing of the run remains: namespaces, cgroups, state directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "LabTestSupport.hpp"
#include "proc/Cgroup.hpp"
#include "run/RunSession.hpp"
#include "run/Runner.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer {
namespace {

// Kernel timers at HZ=250 fire up to 12.5 % late; process wake-ups add milliseconds.
constexpr double kAbsTolerance = 0.1;
constexpr double kPctTolerance = 0.125;

void expect_in_window(const run::SideOutcome& side, double lo, double hi, observe::Cause cause, const char* what) {
  ASSERT_TRUE(side.detected) << what << " did not detect; evidence: " << side.evidence;
  const double slack_hi = std::max(kAbsTolerance, hi * kPctTolerance);
  EXPECT_GE(*side.detect_s, lo - kAbsTolerance) << what;
  EXPECT_LE(*side.detect_s, hi + slack_hi) << what;
  EXPECT_EQ(observe::to_string(side.cause), observe::to_string(cause)) << what << ": " << side.evidence;
  // The timing model (docs/timing-model.md) must agree with the measurement too.
  ASSERT_TRUE(side.agrees.has_value()) << what;
  EXPECT_TRUE(*side.agrees) << what << " measured " << *side.detect_s << " s, disagrees with the model";
}

void expect_nothing_left(const std::string& run_id) {
  ASSERT_EQ(run_id.size(), 6u);
  for (const auto& e : std::filesystem::directory_iterator(sys::Netns::kRunDir))
    EXPECT_NE(e.path().filename().string().rfind("dp" + run_id + "-", 0), 0u) << "leftover netns " << e.path();
  EXPECT_FALSE(std::filesystem::exists(run::RunSession::state_root() + "/" + run_id));
  EXPECT_FALSE(std::filesystem::exists(proc::Cgroup::own_root() + "/deadpeer-" + run_id));
}

run::Results run_scenario(const std::string& toml) {
  auto cases = scenario::expand(scenario::parse_string(toml, "detection_test.toml"));
  run::Results r = run::Runner({}).run(cases);
  expect_nothing_left(r.run_id);
  return r;
}

TEST(Detection, ServerAliveAndClientAliveUnderBlackhole) {
  DEADPEER_REQUIRE_LAB();
  auto r = run_scenario(R"(
name = "alive"
repeat = 2
horizon = "12s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 1
ClientAliveCountMax = 3
[[fault]]
kind = "blackhole"
at = "2s"
)");
  ASSERT_EQ(r.cases.size(), 1u);
  for (const auto& run : r.cases[0].runs) {
    ASSERT_FALSE(run.error) << *run.error;
    expect_in_window(run.client, 3.0, 4.0, observe::Cause::serveralive, "ssh");
    EXPECT_EQ(run.client.exit_status, 255);
    expect_in_window(run.server, 6.0, 8.0, observe::Cause::clientalive, "sshd");
    EXPECT_GT(run.fault_counters.at("dropped_packets"), 0);
    EXPECT_EQ(run.fault_backend, "nftables");
  }
}

TEST(Detection, KernelKeepaliveAloneOnAnIdleSession) {
  DEADPEER_REQUIRE_LAB();
  auto r = run_scenario(R"(
name = "tcp-keepalive"
horizon = "8s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 2
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 2
[kernel.server]
tcp_keepalive_time = 2
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 2
[[fault]]
kind = "blackhole"
at = "1s"
)");
  const auto& run = r.cases.at(0).runs.at(0);
  ASSERT_FALSE(run.error) << *run.error;
  expect_in_window(run.client, 2.0, 4.0, observe::Cause::tcp_keepalive, "ssh");
  expect_in_window(run.server, 2.0, 4.0, observe::Cause::tcp_keepalive, "sshd");
}

TEST(Detection, NoKeepaliveOfAnyKindMeansNobodyNotices) {
  DEADPEER_REQUIRE_LAB();
  auto r = run_scenario(R"(
name = "none"
horizon = "4s"
[client]
ServerAliveInterval = 0
TCPKeepAlive = false
[server]
ClientAliveInterval = 0
TCPKeepAlive = false
[[fault]]
kind = "blackhole"
at = "1s"
)");
  const auto& run = r.cases.at(0).runs.at(0);
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_FALSE(run.client.detected) << run.client.evidence;
  EXPECT_FALSE(run.server.detected) << run.server.evidence;
  EXPECT_EQ(run.client.cause, observe::Cause::none);
  EXPECT_EQ(run.server.cause, observe::Cause::none);
  EXPECT_EQ(run.client.agrees, true);
  EXPECT_EQ(run.server.agrees, true);
  EXPECT_EQ(r.cases[0].predicted_client.cause, observe::Cause::none);
  EXPECT_FALSE(r.cases[0].predicted_client.hi_s.has_value());
}

}  // namespace
}  // namespace deadpeer
