// The detection rules under the plain blackhole (every packet lost from t0), one or more tests
// per rule, with windows worked out by hand from the sources (docs/timing-model.md).
// Lab RTT 0.2 ms unless said otherwise; HZ=250.
#include <gtest/gtest.h>

#include "model/Model.hpp"
#include "model/Mechanisms.hpp"
#include "model/TcpTimers.hpp"
#include "model_test_util.hpp"

namespace deadpeer::model {
namespace {

using observe::Cause;
using scenario::Implementation;
using scenario::Pattern;
using test::expect_never;
using test::expect_window;

// ---- ssh ServerAlive ------------------------------------------------------------------------

// A traced run saw the last receive: ssh ≥ 9.2 exits at the start of that receive's clock
// second + (N+1)·I — one instant. Figures from a real run (scenarios/more/traced-serveralive).
TEST(ModelServerAlive, TracedPhaseGivesOneInstant) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "1"}};
  in.client_last_rx = Inputs::ObservedReceive{-0.704426721, -0.708631957};
  const Prediction p = predict(in);
  expect_window(p.client, 3.291368043, 3.291368043, Cause::serveralive, "openssh-serveralive");
  EXPECT_NE(p.client.explanation.find("in [-0.7044, -0.7044] s"), std::string::npos) << p.client.explanation;
  // The server's prediction does not use the client's phase.
  Inputs untraced = in;
  untraced.client_last_rx.reset();
  EXPECT_EQ(p.server.window, predict(untraced).server.window);
}

// Before 9.2 poll slept whole seconds from the receive itself: t_rx + (N+1)·I, the fraction kept.
TEST(ModelServerAlive, TracedPhaseBefore92KeepsTheFraction) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "1"}};
  in.client_version = {9, 1};
  in.client_last_rx = Inputs::ObservedReceive{-0.7044, -0.7086};
  expect_window(predict(in).client, 3.2956, 3.2956, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelServerAlive, Interval1Count3) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  // Its own probes are answered every 1.0002 s; exit at floor(last rx) + 4 s. The first probe
  // after a receive leaves 1 s after it, so the receive is at most 1.0002 s before t0.
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  EXPECT_NE(p.client.explanation.find("ServerAliveInterval 1 s × (ServerAliveCountMax 3 + 1)"), std::string::npos);
  EXPECT_NE(p.client.explanation.find("2.9998–4 s after t0"), std::string::npos);
  // sshd without ClientAlive: idle, so only TCP keepalive, from its last receive (the client's
  // probes, 1.0002 s apart): 7200 + 9 × 75 = 7875 s.
  expect_window(p.server, 7873.9998, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelServerAlive, Interval2Count5) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "2"}, {"ServerAliveCountMax", "5"}};
  expect_window(predict(in).client, 9.9998, 12.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelServerAlive, WholeSecondDeadlineSince92) {
  // The client's last receive is sshd 9.5's probe (every 1.0002 s), at any fraction of a second:
  // 9.2+ exits at floor(rx) + 6 s (up to 1 s early), 9.1 at rx + 6 s.
  Inputs in;
  in.client = {{"ServerAliveInterval", "3"}, {"ServerAliveCountMax", "1"}};
  in.server = {{"ClientAliveInterval", "1"}};
  in.server_version = {9, 5};
  expect_window(predict(in).client, 3.9998, 6.0, Cause::serveralive, "openssh-serveralive");
  in.client_version = {9, 1};
  expect_window(predict(in).client, 4.9998, 6.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelServerAlive, CountMax0ExitsAtFirstCheckWithoutProbing) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "5"}, {"ServerAliveCountMax", "0"}};
  // Nothing else arrives (idle): it would exit 5 s after any silence; if still alive at t0,
  // within 5 s.
  expect_window(predict(in).client, 0.0, 5.0, Cause::serveralive, "openssh-serveralive-countmax0");
  // With sshd 9.5 probing every 1.0002 s it lives, and exits floor(rx) + 5 s.
  in.server = {{"ClientAliveInterval", "1"}};
  in.server_version = {9, 5};
  expect_window(predict(in).client, 2.9998, 5.0, Cause::serveralive, "openssh-serveralive-countmax0");
}

TEST(ModelServerAlive, MinutesSpelling) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "1m"}};
  expect_window(predict(in).client, 179.9998, 240.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelServerAlive, AgreesWithTheMeasurementsInFacts) {
  // facts.md: I=1, N=3 exits 4.000–4.001 s after the last received packet; with the fault right
  // after that packet, that is 4.000–4.001 s after t0.
  Inputs in;
  in.client = {{"ServerAliveInterval", "1"}};
  in.server = {{"ClientAliveInterval", "1"}};
  const Prediction p = predict(in);
  EXPECT_TRUE(agrees(p.client, 4.0005, Cause::serveralive));
  // facts.md: Debian sshd 9.2p1, I=1, N=3: 8.01 s. A fixed sshd's 4 s would not fit.
  EXPECT_TRUE(agrees(p.server, 8.01, Cause::clientalive));
  EXPECT_FALSE(agrees(p.server, 4.0, Cause::clientalive));
}

TEST(ModelServerAlive, StreamKeepsTheLastReceiveFresh) {
  Inputs in;
  in.pattern = Pattern::stream;
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  // Data arrives until t0; the whole-second deadline still costs up to 1 s.
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // cat /dev/zero keeps data in flight at t0: retransmission from t0 on. The stream's own
  // queueing raises srtt (up to 50 ms assumed): RTO 0.204–0.252 s, 16 timers → up to 969.024 s.
  expect_window(p.server, 928.896, 969.024, Cause::tcp_retransmit, "tcp-retransmit");
}

TEST(ModelServerAlive, StreamRetransmissionWithThreeRetries) {
  // tcp_retries2 3: at RTO 0.204 s the 4th timer finds 2.856 s < 3 s and the 5th gives up at
  // 6.528 s; from RTO 0.216 s (srtt ≥ 12 ms) the 4th already does. Measured 3.61, 3.65, 6.49 s.
  Inputs in;
  in.pattern = Pattern::stream;
  in.kernel_server = {{"tcp_retries2", 3}};
  expect_window(predict(in).server, 3.456, 6.784, Cause::tcp_retransmit, "tcp-retransmit");
}

// ---- sshd ClientAlive -------------------------------------------------------------------------

TEST(ModelClientAlive, DoubleIntervalIn92) {
  Inputs in;
  in.server = {{"ClientAliveInterval", "1"}};
  const Prediction p = predict(in);
  // Probes every 2 s, exit 2 × (3 + 1) × 1 = 8 s after the last receive (measured 8.01 s).
  expect_window(p.server, 5.9998, 8.0, Cause::clientalive, "sshd-clientalive-double-interval");
  // The client hears the probes every 2.0002 s; idle, it has only TCP keepalive.
  expect_window(p.client, 7872.9998, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelClientAlive, FixedIn95AndFineBefore92) {
  Inputs in;
  in.server = {{"ClientAliveInterval", "1"}};
  for (Version v : {Version{9, 5}, Version{9, 9}, Version{9, 1}, Version{8, 4}}) {
    in.server_version = v;
    expect_window(predict(in).server, 2.9998, 4.0, Cause::clientalive, "sshd-clientalive");
  }
  in.server_version = {9, 4};
  expect_window(predict(in).server, 5.9998, 8.0, Cause::clientalive, "sshd-clientalive-double-interval");
}

TEST(ModelClientAlive, CountMax0NeverDisconnectsButProbes) {
  Inputs in;
  in.server = {{"ClientAliveInterval", "1"}, {"ClientAliveCountMax", "0"}};
  // Its probes (every 2 s in 9.2) stay unacknowledged: retransmission gives up 928.896 s after
  // the first one.
  expect_window(predict(in).server, 928.896, 930.896, Cause::tcp_retransmit, "tcp-retransmit");
}

// ---- Dropbear ---------------------------------------------------------------------------------

TEST(ModelDropbear, ServerKeepalive) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.server_version = {2022, 83};
  in.server = {{"ClientAliveInterval", "2"}, {"ClientAliveCountMax", "10"}};
  const Prediction p = predict(in);
  // 3 × K after the last receive, which is at most K + RTT old.
  expect_window(p.server, 3.9998, 6.0, Cause::clientalive, "dropbear-keepalive");
  EXPECT_NE(p.server.explanation.find("ClientAliveCountMax ignored"), std::string::npos);
}

TEST(ModelDropbear, ClientKeepalive) {
  Inputs in;
  in.client_impl = Implementation::dropbear;
  in.client_version = {2022, 83};
  in.client = {{"ServerAliveInterval", "1"}};
  // 3·K after the last receive (≥ -1.0002), or a whole second earlier when two wake-ups' latency
  // carried it across a second boundary (-K 1 only).
  expect_window(predict(in).client, 0.9998, 3.0, Cause::serveralive, "dropbear-keepalive");
}

TEST(ModelDropbear, NoKeepaliveAndNoSoKeepaliveNeverNotices) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.server = {{"TCPKeepAlive", "yes"}};
  const Prediction p = predict(in);
  expect_never(p.server, "never");
  // The OpenSSH client has SO_KEEPALIVE; its last receive can be up to 7200 s old.
  expect_window(p.client, 675.0, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelDropbear, IdleTimeout) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.server = {{"IdleTimeout", "10"}};
  expect_window(predict(in).server, 0.0, 10.0, Cause::other, "dropbear-idle-timeout");
  // Typing every 2 s: the last keystroke is at most 2 s old, whole seconds may cost 1 more.
  in.pattern = Pattern::interactive;
  expect_window(predict(in).server, 7.0, 10.0, Cause::other, "dropbear-idle-timeout");
}

// ---- Linux TCP --------------------------------------------------------------------------------

TEST(ModelTcp, ModelTimeoutBudget) {
  EXPECT_NEAR(tcp_model_timeout_s(15, 120), 924.6, 1e-9);
  EXPECT_NEAR(tcp_model_timeout_s(9, 120), 204.6, 1e-9);   // last exponential step
  EXPECT_NEAR(tcp_model_timeout_s(10, 120), 324.6, 1e-9);  // first linear step
  EXPECT_NEAR(tcp_model_timeout_s(3, 120), 3.0, 1e-9);
  EXPECT_NEAR(tcp_model_timeout_s(0, 120), 0.2, 1e-9);
  EXPECT_NEAR(tcp_model_timeout_s(15, 60), 0.2 * 511 + 7 * 60, 1e-9);  // tcp_rto_max_ms 60000
}

TEST(ModelTcp, RetransmissionScheduleDefault) {
  const Retransmission r = retransmission(KernelTcp{}, 0.0002);
  EXPECT_NEAR(r.rto0_s, 0.204, 1e-9);  // 200.2 ms rounded up to 51 jiffies
  EXPECT_NEAR(r.tlp_s, 0.204, 1e-9);
  ASSERT_GE(r.transmissions_s.size(), 3u);
  EXPECT_NEAR(r.transmissions_s[0], 0.204, 1e-9);  // TLP
  EXPECT_NEAR(r.transmissions_s[1], 0.408, 1e-9);  // RTO #1 (retrans_stamp)
  EXPECT_NEAR(r.transmissions_s[2], 0.816, 1e-9);
  EXPECT_EQ(r.rto_retransmits, 15);
  // 51·2^10 jiffies + 6 × 120 s = 928.896 s: 928.488 s after RTO #1 >= 924.6 s.
  EXPECT_NEAR(r.giveup_s, 928.896, 1e-9);
}

TEST(ModelTcp, RetransmissionExactRtoMinMissesTheBudgetByOneStep) {
  // With RTO exactly 200 ms the 16th timer finds 924.4 s < 924.6 s elapsed: one more 120 s.
  const Retransmission r = retransmission(KernelTcp{}, 0.0);
  EXPECT_NEAR(r.rto0_s, 0.2, 1e-9);
  EXPECT_NEAR(r.giveup_s, 1044.8, 1e-9);
  EXPECT_EQ(r.rto_retransmits, 16);
}

TEST(ModelTcp, RetransmissionRetries3) {
  KernelTcp k;
  k.retries2 = 3;
  const Retransmission r = retransmission(k, 0.0002);
  // Budget 3 s; timers at 0.408, 0.816, 1.632, 3.264 (2.856 s elapsed), 6.528 (6.12 s).
  EXPECT_NEAR(r.giveup_s, 6.528, 1e-9);
  EXPECT_EQ(r.rto_retransmits, 4);
}

TEST(ModelTcp, RetransmissionWinsOverSlowServerAlive) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "5"}};
  in.kernel_client = {{"tcp_retries2", 3}};
  const Prediction p = predict(in);
  // First probe 0–5 s after t0, give-up 6.528 s later; ServerAlive would need 14.9998–20 s.
  expect_window(p.client, 6.528, 11.528, Cause::tcp_retransmit, "tcp-retransmit");
  EXPECT_NE(p.client.explanation.find("before openssh-serveralive"), std::string::npos);
}

TEST(ModelTcp, FirstTransmissionAfterAnOutage) {
  const std::vector<double> offs{0, 1, 3, 7};  // a doubling series
  // First send anywhere in [0, 2], peer back at 4: s=0 → 7; s=1 → 4 (1+3); just below 1 → 7.99…;
  // s=2 → 5; the jumps at s=1 (offset 3) land exactly on 4.
  const auto w = first_transmission_at_or_after({0, 2}, offs, 4);
  ASSERT_TRUE(w);
  EXPECT_NEAR(w->lo_s, 4.0, 1e-9);
  EXPECT_NEAR(w->hi_s, 8.0, 1e-9);
  // Already back: the first send itself.
  const auto now = first_transmission_at_or_after({0, 2}, offs, 0);
  EXPECT_NEAR(now->lo_s, 0.0, 1e-9);
  EXPECT_NEAR(now->hi_s, 2.0, 1e-9);
  // The series ends before the peer returns.
  EXPECT_FALSE(first_transmission_at_or_after({0, 2}, offs, 100));
}

TEST(ModelTcp, KeepaliveZeroProbesKillsAtTheFirstTimer) {
  Inputs in;
  in.kernel_client = {{"tcp_keepalive_time", 5}, {"tcp_keepalive_probes", 0}};
  expect_window(predict(in).client, 0.0, 5.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelTcp, KeepaliveWhenIdle) {
  Inputs in;
  in.kernel_client = {{"tcp_keepalive_time", 5}, {"tcp_keepalive_intvl", 1}, {"tcp_keepalive_probes", 3}};
  const Prediction p = predict(in);
  // Answered probes every 5 s: the last receive is 0–5 s old; 5 + 3 × 1 = 8 s after it.
  expect_window(p.client, 3.0, 8.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.server, 675.0, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelTcp, KeepaliveOffNeverNotices) {
  Inputs in;
  in.client = {{"TCPKeepAlive", "no"}};
  in.kernel_client = {{"tcp_keepalive_time", 5}};
  expect_never(predict(in).client, "never");
}

TEST(ModelTcp, KeepaliveSuppressedByUnacknowledgedData) {
  Inputs in;
  in.pattern = Pattern::interactive;
  in.traffic_interval_s = 2;
  in.kernel_client = {{"tcp_keepalive_time", 5}, {"tcp_keepalive_intvl", 1}, {"tcp_keepalive_probes", 3}};
  const Prediction p = predict(in);
  // The client's next keystroke (0–2 s) stays unacknowledged: retransmission decides.
  expect_window(p.client, 928.896, 930.896, Cause::tcp_retransmit, "tcp-retransmit");
  // The server only echoes; it last heard a keystroke 0–2 s before t0.
  expect_window(p.server, 7873.0, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelTcp, IdleWithoutAnyKeepaliveNeverNotices) {
  Inputs in;
  in.client = {{"TCPKeepAlive", "no"}};
  in.server = {{"TCPKeepAlive", "no"}};
  const Prediction p = predict(in);
  expect_never(p.client, "never");
  expect_never(p.server, "never");
}

}  // namespace
}  // namespace deadpeer::model
