// Faults that end (duration, flap) and the stateful firewall: what survives, exact windows.
// Lab RTT 0.2 ms, OpenSSH 9.2 on both sides unless said otherwise.
//
// Retransmissions of data first sent at s: s + 0.204 (TLP), 0.408, 0.816, 1.632, 3.264, 6.528 …
#include <gtest/gtest.h>

#include "model/FromScenario.hpp"
#include "model/Model.hpp"
#include "model_test_util.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::model {
namespace {

using observe::Cause;
using test::expect_never;
using test::expect_window;
using test::with_fault;

// ---- duration / flap -------------------------------------------------------------------------

TEST(ModelTransient, AnOutageShorterThanServerAliveIsSurvived) {
  // ServerAlive 1 × 5 ends ssh 4.9998–6 s after t0; the link is back at 2 s and its first probe
  // (s in 0–1 s) is retransmitted at s + 1.632 (s ≥ 0.368) or s + 3.264: 2–3.632 s, answered
  // 0.2 ms later, before that.
  Inputs in = with_fault("link-down", {{"duration", "2s"}});
  in.client = {{"ServerAliveInterval", "1"}, {"ServerAliveCountMax", "5"}};
  const Prediction p = predict(in);
  expect_never(p.client, "transient-survived");
  expect_never(p.server, "transient-survived");
  EXPECT_NE(p.client.explanation.find("2.0002–3.6322 s"), std::string::npos) << p.client.explanation;
  EXPECT_TRUE(agrees(p.client, std::nullopt, Cause::none));
}

TEST(ModelTransient, AnOutageLongerThanServerAliveStillEndsIt) {
  Inputs in = with_fault("blackhole", {{"duration", "30s"}});
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  EXPECT_FALSE(p.client.may_survive);
  // sshd (idle, nothing of its own) learns when ssh's retransmitted probe arrives after 30 s
  // and its answer meets the RST of ssh's kernel.
  EXPECT_EQ(p.server.rule, "peer-gone-reset") << p.server.explanation;
  EXPECT_EQ(p.server.cause, Cause::reset);
  EXPECT_GE(p.server.window->lo_s, 30.0);
}

TEST(ModelTransient, AFlapThatRacesTheDeadlineMaySurvive) {
  // Down 1.5 s, up 1 s, twice; ServerAlive 1 × 1 ends ssh 0.9998–2 s after t0, its probe gets
  // through 1.5002–2.3162 s: the phase decides. Measured: ssh 1.49 s, then sshd "Connection
  // reset by peer" 2.23 s (ssh's retransmitted probe after the outage).
  Inputs in = with_fault("blackhole", {{"flap.up", "1s"}, {"flap.down", "1500ms"}, {"flap.count", "2"}});
  in.client = {{"ServerAliveInterval", "1"}, {"ServerAliveCountMax", "1"}};
  const Prediction p = predict(in);
  ASSERT_TRUE(p.client.window);
  EXPECT_TRUE(p.client.may_survive);
  EXPECT_NEAR(p.client.window->lo_s, 0.9998, 1e-6);
  EXPECT_NEAR(p.client.window->hi_s, 4.5, 1e-6);  // 2 s, or in the second outage 2.5 s later
  EXPECT_TRUE(agrees(p.client, 1.492, Cause::serveralive));
  EXPECT_TRUE(agrees(p.client, std::nullopt, Cause::none));
  EXPECT_EQ(p.server.rule, "peer-gone-reset") << p.server.explanation;
  EXPECT_TRUE(p.server.may_survive);
  EXPECT_TRUE(agrees(p.server, 2.225, Cause::reset)) << p.server.explanation;
  // 1 × 4 (3.9998–5 s) outlives both outages.
  in.client = {{"ServerAliveInterval", "1"}, {"ServerAliveCountMax", "4"}};
  expect_never(predict(in).client, "transient-survived");
}

TEST(ModelTransient, AThawedServerAnswersInTime) {
  Inputs in = with_fault("freeze", {{"duration", "2s"}});
  in.client = {{"ServerAliveInterval", "1"}};
  expect_never(predict(in).client, "transient-survived");
  // Frozen for longer than ServerAlive waits: ssh exits, sshd reads its FIN when thawed.
  in.fault_params = {{"duration", "6s"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  expect_window(p.server, 6.0, 6.0002, Cause::eof, "thawed-eof");
}

TEST(ModelTransient, ARejectThatEndsBeforeTheNextSendIsHarmless) {
  Inputs in = with_fault("reject", {{"duration", "500ms"}});
  in.client = {{"ServerAliveInterval", "5"}};
  const Prediction p = predict(in);
  // Its next probe leaves 0–5 s after t0: reset only if that is within the 0.5 s.
  ASSERT_TRUE(p.client.window);
  EXPECT_TRUE(p.client.may_survive);
  in.client = {{"ServerAliveInterval", "0"}};
  in.pattern = scenario::Pattern::interactive;
  in.traffic_interval_s = 1.0;
  in.fault_params = {{"duration", "10s"}};
  expect_window(predict(in).client, 0.0, 1.0, Cause::reset, "reject-reset");
}

TEST(ModelTransient, TheScenariosDurationAndAtReachTheModel) {
  const auto sc = scenario::parse_string(R"(
name = "t"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 5
[[fault]]
kind = "link-down"
at = "1500ms"
duration = "2s"
)", "t.toml");
  const Inputs in = inputs_from(sc, {9, 2}, {9, 2});
  EXPECT_EQ(in.fault_params.at("duration"), "2000ms");
  ASSERT_TRUE(in.fault_at_s);
  EXPECT_DOUBLE_EQ(*in.fault_at_s, 1.5);
  expect_never(predict(in).client, "transient-survived");
}

TEST(ModelTransient, AgreesAcceptsSurvivalOnlyWhenItMaySurvive) {
  SidePrediction p{Window{1, 2}, Cause::serveralive, "r", "", true};
  EXPECT_TRUE(agrees(p, std::nullopt, Cause::none));
  EXPECT_TRUE(agrees(p, 1.5, Cause::serveralive));
  EXPECT_FALSE(agrees(p, 5.0, Cause::serveralive));
  p.may_survive = false;
  EXPECT_FALSE(agrees(p, std::nullopt, Cause::none));
}

// ---- firewall --------------------------------------------------------------------------------

TEST(ModelFirewall, KeptAliveBySshKeepalive) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}});
  in.client = {{"ServerAliveInterval", "10"}};
  const Prediction p = predict(in);
  expect_never(p.client, "firewall-kept-alive");
  expect_never(p.server, "firewall-kept-alive");
}

TEST(ModelFirewall, ExpiresThenDrops) {
  // Probes every 60 s: the entry dies 30 s after each, so at t0 it may already be gone and
  // expires 0–30 s after t0; no probe passes in between (it would refresh it): the last answer
  // came 0–60 s before t0 → floor(rx) + 240 s.
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}, {"on_expiry", "drop"}});
  in.client = {{"ServerAliveInterval", "60"}};
  const Prediction p = predict(in);
  expect_window(p.client, 179.9998, 240.0, Cause::serveralive, "openssh-serveralive");
  // sshd heard those probes; its TCP keepalive probe 7200 s later is dropped too.
  expect_window(p.server, 7814.9998, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFirewall, ExpiresThenResets) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}, {"on_expiry", "reset"}});
  in.client = {{"ServerAliveInterval", "60"}};
  const Prediction p = predict(in);
  expect_window(p.client, 0.0, 60.0, Cause::reset, "firewall-reset");
  expect_window(p.server, 7139.9998, 7200.0, Cause::reset, "firewall-reset");
}

TEST(ModelFirewall, AtBoundsTheAgeOfTheEntry) {
  // Keystrokes every 4 s, timeout 2 s, applied right at steady state (at = 0): the entry was
  // refreshed at t0 and expires at 2 s; the next keystroke (2–6 s) meets the RST. Measured 4.0 s.
  Inputs in = with_fault("firewall", {{"idle_timeout", "2s"}, {"on_expiry", "reset"}});
  in.pattern = scenario::Pattern::interactive;
  in.traffic_interval_s = 4.0;
  in.fault_at_s = 0.0;
  expect_window(predict(in).client, 2.0, 6.0, Cause::reset, "firewall-reset");
}

TEST(ModelFirewall, IgnoringKeepaliveDropsTheProbesFromT0) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}});
  for (auto* k : {&in.kernel_client, &in.kernel_server})
    *k = {{"tcp_keepalive_time", 20}, {"tcp_keepalive_intvl", 10}, {"tcp_keepalive_probes", 3}};
  // Probes every 20 s refresh the entry: nothing happens.
  expect_never(predict(in).client, "firewall-kept-alive");
  // ignore_keepalive: from t0 the probes are dropped (neither answered nor refreshing): the last
  // answered one came 0–20 s before t0, the next is lost and 3 × 10 s later the kernel gives up.
  in.fault_params["ignore_keepalive"] = "true";
  const Prediction p = predict(in);
  expect_window(p.client, 30.0, 50.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.server, 30.0, 50.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFirewall, IgnoringKeepaliveKillsBetweenRareDataPackets) {
  // The flow lives on ServerAlive every 10 s, but sshd's TCP keepalive (1 + 2 × 1 s) gives up
  // between two of them; its RST passes and resets ssh.
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}, {"ignore_keepalive", "yes"}});
  in.client = {{"ServerAliveInterval", "10"}};
  in.kernel_server = {{"tcp_keepalive_time", 1}, {"tcp_keepalive_intvl", 1}, {"tcp_keepalive_probes", 2}};
  const Prediction p = predict(in);
  // Its first unanswered probe leaves 0–1 s after t0 (earlier ones were answered), 2 s more.
  expect_window(p.server, 2.0, 3.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.client, 2.0, 3.0, Cause::reset, "peer-keepalive-rst");
}

}  // namespace
}  // namespace deadpeer::model
