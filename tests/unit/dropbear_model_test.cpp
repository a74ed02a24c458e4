// The timing model's Dropbear rules beyond the basic -K/-I windows of model_rules_test.cpp:
// what refreshes -I (the peer's channel-request keepalives do, global requests do not) and the
// whole-second wake-ups of a side that writes on its own (common-session.c of 2022.83).
#include <gtest/gtest.h>

#include "model/Model.hpp"

namespace deadpeer::model {
namespace {

using observe::Cause;
using scenario::Implementation;
using scenario::Pattern;

void expect(const SidePrediction& p, double lo, double hi, const std::string& rule) {
  ASSERT_TRUE(p.window.has_value()) << p.rule << ": " << p.explanation;
  EXPECT_NEAR(p.window->lo_s, lo, 1e-6) << p.explanation;
  EXPECT_NEAR(p.window->hi_s, hi, 1e-6) << p.explanation;
  EXPECT_EQ(p.rule, rule) << p.explanation;
}

TEST(DropbearIdle, SshdProbesAreChannelRequestsAndCountAsTraffic) {
  Inputs in;
  in.client_impl = Implementation::dropbear;
  in.client = {{"IdleTimeout", "60"}};
  in.server = {{"ClientAliveInterval", "15"}};  // sshd 9.2: a probe every 30 s
  const auto p = predict(in);
  // The last probe is at most 30.0002 s old at t0; whole seconds may cost 1 more.
  expect(p.client, 60 - 30.0002 - 1, 60, "dropbear-idle-timeout");
  EXPECT_EQ(p.client.cause, Cause::other);
  EXPECT_NE(p.client.explanation.find("sshd's keepalive channel requests every 30.0002 s"), std::string::npos)
      << p.client.explanation;
}

TEST(DropbearIdle, DbclientKeepalivesRefreshTheServersIdleTimer) {
  Inputs in;
  in.client_impl = in.server_impl = Implementation::dropbear;
  in.client = {{"ServerAliveInterval", "10"}};
  in.server = {{"IdleTimeout", "60"}};
  expect(predict(in).server, 60 - 10.0002 - 1, 60, "dropbear-idle-timeout");
}

TEST(DropbearIdle, SshServerAliveIsAGlobalRequestAndDoesNot) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.client = {{"ServerAliveInterval", "15"}};
  in.server = {{"IdleTimeout", "60"}};
  const auto p = predict(in);
  expect(p.server, 0, 60, "dropbear-idle-timeout");
  EXPECT_NE(p.server.explanation.find("it would close even without a fault"), std::string::npos) << p.server.explanation;
}

TEST(DropbearIdle, ItsOwnKeepalivesDoNotCount) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.server = {{"IdleTimeout", "5"}, {"ClientAliveInterval", "1"}};
  // -K 1 gives up after 3 s (or 1 s sooner, early_s) and wins over -I 5, which its own probes
  // never refresh.
  const auto p = predict(in);
  expect(p.server, 0.9998, 3, "dropbear-keepalive");
  EXPECT_NE(p.server.explanation.find("dropbear-idle-timeout (0–5 s)"), std::string::npos) << p.server.explanation;
}

TEST(DropbearKeepalive, IdleSideExitsThreeIntervalsAfterItsLastReceive) {
  Inputs in;
  in.client_impl = in.server_impl = Implementation::dropbear;
  in.client = {{"ServerAliveInterval", "1"}};
  // t_rx + 3, or t_rx + 2 + latency when the receive was just before a second boundary.
  expect(predict(in).client, 0.9998, 3, "dropbear-keepalive");
  // With -K 2 no latency reaches the boundary: exactly 3·K after the last receive.
  in.client = {{"ServerAliveInterval", "2"}};
  expect(predict(in).client, 6 - 2.0002, 6, "dropbear-keepalive");
}

TEST(DropbearKeepalive, OwnWritesMoveTheWholeSecondPhase) {
  Inputs in;
  in.client_impl = Implementation::dropbear;
  in.client = {{"ServerAliveInterval", "1"}};
  in.pattern = Pattern::interactive;
  in.traffic_interval_s = 2;
  const auto p = predict(in);
  // Typing wakes dbclient at any fraction: the exit is the first wake-up in the whole second
  // floor(t_rx) + 3, up to 1 s before t_rx + 3 (t_rx ≥ -1.0002: its probes or the echo) and up to
  // min(K, p) = 1 s after it.
  expect(p.client, 0.9998, 4, "dropbear-keepalive");
  // Typing faster than K: the echo dates the last receive (≥ -0.7 s) and bounds the lateness.
  in.traffic_interval_s = 0.7;
  expect(predict(in).client, 1.3, 3.7, "dropbear-keepalive");
  EXPECT_NE(p.client.explanation.find("woken by its own writes"), std::string::npos) << p.client.explanation;
  // The server does not write by itself in interactive (cat only echoes): it exits 3·K after its
  // last receive, a typed line at most 0.7 s old (or a second sooner with -K 1, early_s).
  in.server_impl = Implementation::dropbear;
  in.server = {{"ClientAliveInterval", "1"}};
  expect(predict(in).server, 1.3, 3, "dropbear-keepalive");
}

TEST(DropbearKeepalive, AStreamingServerOnlyRoundsToWholeSeconds) {
  Inputs in;
  in.server_impl = Implementation::dropbear;
  in.server = {{"ClientAliveInterval", "2"}};
  in.pattern = Pattern::stream;
  // The client's window adjusts arrive every RTT; the last select() follows t0 by milliseconds.
  expect(predict(in).server, 6 - 1 - 0.0002, 6, "dropbear-keepalive");
}

}  // namespace
}  // namespace deadpeer::model
