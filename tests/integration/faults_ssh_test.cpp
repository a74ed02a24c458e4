// Real sshd and ssh behind each fault kind of the router and the hosts: does each side notice,
// when, and why — asserted as windows (expected range ± max(0.1 s, 12.5 %)), never points.
// All scenarios run at once through the real Runner (each in its own lab), as a user's matrix
// would; each TEST then checks one of them.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "LabTestSupport.hpp"
#include "run/Runner.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer {
namespace {

constexpr double kAbs = 0.1, kPct = 0.125;

// name → TOML. Keepalive settings default to "off" unless a scenario says otherwise, so each
// case shows one mechanism.
const std::map<std::string, std::string>& scenarios() {
  static const std::map<std::string, std::string> s = {
      {"drop-to-server", R"(
horizon = "8s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 0
[[fault]]
kind = "drop"
direction = "to-server"
at = "1s"
)"},
      {"reject-reset", R"(
horizon = "6s"
[traffic]
pattern = "interactive"
interval = "1s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "reject"
at = "500ms"
)"},
      {"link-down-transient", R"(
horizon = "8s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 5
[server]
ClientAliveInterval = 0
[[fault]]
kind = "link-down"
at = "1s"
duration = "2s"
)"},
      {"firewall-expired", R"(
horizon = "8s"
[traffic]
pattern = "interactive"
interval = "4s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "firewall"
idle_timeout = "2s"
on_expiry = "reset"
at = "0s"
)"},
      {"firewall-kept-alive", R"(
horizon = "8s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 0
[[fault]]
kind = "firewall"
idle_timeout = "3s"
at = "0s"
)"},
      {"freeze-serveralive", R"(
horizon = "8s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 0
[[fault]]
kind = "freeze"
at = "1s"
)"},
      {"freeze-tcp-keepalive-only", R"(
horizon = "6s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 1
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 2
[[fault]]
kind = "freeze"
at = "1s"
)"},
      {"crash", R"(
horizon = "8s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 0
[[fault]]
kind = "crash"
at = "1s"
)"},
      {"reboot", R"(
horizon = "8s"
[traffic]
pattern = "interactive"
interval = "1s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[[fault]]
kind = "reboot"
down = "1500ms"
at = "1s"
)"},
      {"blackhole-flap", R"(
horizon = "9s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 4
[server]
ClientAliveInterval = 0
[[fault]]
kind = "blackhole"
at = "1s"
flap = { up = "1s", down = "1500ms", count = 2 }
)"},
      // The folklore firewall: keepalive probes neither pass nor refresh the flow's state.
      {"firewall-ignores-keepalive", R"(
horizon = "10s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 1
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 3
[[fault]]
kind = "firewall"
idle_timeout = "3s"
ignore_keepalive = true
at = "0s"
)"},
      {"firewall-counts-keepalive", R"(
horizon = "8s"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[kernel.client]
tcp_keepalive_time = 1
tcp_keepalive_intvl = 1
tcp_keepalive_probes = 3
[[fault]]
kind = "firewall"
idle_timeout = "3s"
at = "0s"
)"},
      // Traffic patterns change the answer (issue 4): a stream leaves data unacknowledged at
      // once, so retransmission — not keepalive — ends it.
      {"stream-retransmit", R"(
horizon = "10s"
[traffic]
pattern = "stream"
[client]
ServerAliveInterval = 0
[server]
ClientAliveInterval = 0
[kernel.server]
tcp_retries2 = 3
[[fault]]
kind = "blackhole"
at = "1s"
)"},
      {"forward-serveralive", R"(
horizon = "8s"
[traffic]
pattern = "forward"
interval = "1s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
[server]
ClientAliveInterval = 0
[[fault]]
kind = "blackhole"
at = "1s"
)"},
  };
  return s;
}

class FaultsWithSsh : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::lab_unavailable_reason().empty()) return;
    std::vector<scenario::Case> cases;
    for (const auto& [name, toml] : scenarios())
      for (auto& c : scenario::expand(scenario::parse_string("name = \"" + name + "\"\n" + toml, name + ".toml")))
        cases.push_back(std::move(c));
    results_ = new run::Results(run::Runner({}).run(cases));
    // The figures, for the log (and the issue notes): what each side measured and why.
    const auto side = [](const run::SideOutcome& o) {
      return o.detected ? std::to_string(*o.detect_s).substr(0, 5) + " s " + std::string(observe::to_string(o.cause)) : std::string("-");
    };
    for (const auto& c : results_->cases)
      for (const auto& r : c.runs)
        std::printf("%-26s client %-22s server %-22s %s\n", c.scenario.c_str(), side(r.client).c_str(),
                    side(r.server).c_str(), r.error ? r.error->c_str() : "");
  }
  static void TearDownTestSuite() { delete results_; }

  static const run::RunOutcome& run_of(const std::string& name) {
    for (const auto& c : results_->cases)
      if (c.scenario == name) {
        const auto& r = c.runs.at(0);
        if (r.error) ADD_FAILURE() << name << ": " << *r.error;
        return r;
      }
    throw std::runtime_error("no case " + name);
  }
  static void expect_window(const run::SideOutcome& s, double lo, double hi, observe::Cause cause, const std::string& what) {
    ASSERT_TRUE(s.detected) << what << " did not detect";
    EXPECT_GE(*s.detect_s, lo - kAbs) << what;
    EXPECT_LE(*s.detect_s, hi + std::max(kAbs, hi * kPct)) << what;
    EXPECT_EQ(observe::to_string(s.cause), observe::to_string(cause)) << what << ": " << s.evidence;
  }
  static inline run::Results* results_ = nullptr;
};

TEST_F(FaultsWithSsh, OneWayDropToTheServerIsNoticedByServerAlive) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("drop-to-server");
  // ssh's probes vanish; the server's answers never come: N·I … (N+1)·I after t0.
  expect_window(r.client, 3.0, 4.0, observe::Cause::serveralive, "ssh");
  EXPECT_GT(r.fault_counters.at("dropped_packets"), 0);
}

TEST_F(FaultsWithSsh, RejectResetsTheSessionAtItsNextWrite) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("reject-reset");
  // The next keystroke (every 1 s) meets the router's RST: within one interval of t0.
  expect_window(r.client, 0.0, 1.0, observe::Cause::reset, "ssh");
  EXPECT_GE(r.fault_counters.at("rejected_packets"), 1);
}

TEST_F(FaultsWithSsh, ATransientLinkDownShorterThanTheBudgetIsSurvived) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("link-down-transient");
  // 2 s down against a 5 × 1 s ServerAlive budget: the session lives on.
  EXPECT_FALSE(r.client.detected) << r.client.evidence;
  ASSERT_TRUE(r.survived.has_value());
  EXPECT_TRUE(*r.survived);
  ASSERT_EQ(r.faults.size(), 1u);
  ASSERT_EQ(r.faults[0].removed_s.size(), 1u);
  EXPECT_NEAR(r.faults[0].removed_s[0], 2.0, 0.05);
}

TEST_F(FaultsWithSsh, AnIdleSessionBehindAFirewallDiesWhenItNextSends) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("firewall-expired");
  // Conntrack forgets the flow 2 s after its last packet (the login, just before t0); the first
  // keystroke, 4 s after steady state, gets the firewall's RST.
  expect_window(r.client, 3.8, 4.3, observe::Cause::reset, "ssh");
  EXPECT_GE(r.fault_counters.at("expired_packets"), 1);
}

TEST_F(FaultsWithSsh, ServerAliveBelowTheFirewallTimeoutKeepsTheSession) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("firewall-kept-alive");
  EXPECT_FALSE(r.client.detected) << r.client.evidence;
  EXPECT_FALSE(r.server.detected) << r.server.evidence;
  EXPECT_EQ(r.fault_counters.at("expired_packets"), 0);
  EXPECT_EQ(r.fault_counters.at("conntrack_entries"), 1);
}

TEST_F(FaultsWithSsh, AFirewallThatIgnoresKeepalivesLetsTcpKeepaliveKillTheSession) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("firewall-ignores-keepalive");
  // The probes (1 s after the last packet, then every 1 s) are dropped by the filter: the
  // third unanswered one ends the connection, time + probes·intvl ≈ 4 s after the login.
  expect_window(r.client, 3.0, 4.5, observe::Cause::tcp_keepalive, "ssh");
  EXPECT_GE(r.fault_counters.at("keepalive_probes_dropped"), 3);
}

TEST_F(FaultsWithSsh, AFirewallThatCountsKeepalivesIsKeptOpenByThem) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("firewall-counts-keepalive");
  EXPECT_FALSE(r.client.detected) << r.client.evidence;
  EXPECT_EQ(r.fault_counters.at("conntrack_entries"), 1);
}

TEST_F(FaultsWithSsh, AFrozenServerIsNoticedByServerAlive) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("freeze-serveralive");
  // The server's kernel ACKs the probes, but sshd never answers them.
  expect_window(r.client, 3.0, 4.0, observe::Cause::serveralive, "ssh");
}

TEST_F(FaultsWithSsh, AFrozenServerIsInvisibleToTcpKeepalive) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("freeze-tcp-keepalive-only");
  // Probes every second, answered by the living kernel: nothing ever notices.
  EXPECT_FALSE(r.client.detected) << r.client.evidence;
}

TEST_F(FaultsWithSsh, ACrashedServerIsNoticedByServerAliveAndNeverByItself) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("crash");
  expect_window(r.client, 3.0, 4.0, observe::Cause::serveralive, "ssh");
  EXPECT_FALSE(r.server.detected) << r.server.evidence;
}

TEST_F(FaultsWithSsh, ARebootedServerResetsTheSessionWhenItIsBack) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("reboot");
  // Down 1.5 s; the first keystroke after that (1 s apart) meets a kernel with no state → RST.
  // Allow one retransmission timeout (0.2–0.4 s) for the segment sent into the outage.
  expect_window(r.client, 1.5, 2.9, observe::Cause::reset, "ssh");
}

TEST_F(FaultsWithSsh, AFlappingPathShorterThanTheBudgetIsSurvived) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("blackhole-flap");
  EXPECT_FALSE(r.client.detected) << r.client.evidence;
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_EQ(r.faults[0].applied_s.size(), 2u);
  EXPECT_EQ(r.faults[0].removed_s.size(), 2u);
  ASSERT_TRUE(r.survived.has_value());
  EXPECT_TRUE(*r.survived);
}

TEST_F(FaultsWithSsh, AStreamingServerIsEndedByRetransmissionNotKeepalive) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("stream-retransmit");
  // tcp_retries2 = 3 with RTO from 200 ms: 0.2 + 0.4 + 0.8 + 1.6 ≈ 3 s of backoff (RTT-based RTO
  // may start a little higher); sshd then logs the write error.
  expect_window(r.server, 2.5, 4.5, observe::Cause::tcp_retransmit, "sshd");
}

TEST_F(FaultsWithSsh, TrafficThroughAPortForwardIsCarriedAndServerAliveStillDecides) {
  DEADPEER_REQUIRE_LAB();
  const auto& r = run_of("forward-serveralive");
  expect_window(r.client, 3.0, 4.0, observe::Cause::serveralive, "ssh");
}

}  // namespace
}  // namespace deadpeer
