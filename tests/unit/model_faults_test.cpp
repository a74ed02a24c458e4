// The fault rules: which mechanisms each fault leaves to each side, with exact windows.
// Lab RTT 0.2 ms, OpenSSH 9.2 on both sides unless said otherwise.
#include <gtest/gtest.h>

#include "model/Model.hpp"
#include "model_test_util.hpp"

namespace deadpeer::model {
namespace {

using observe::Cause;
using test::expect_never;
using test::expect_window;
using test::with_fault;

Inputs fast_kernel_keepalive(Inputs in) {
  in.kernel_client = {{"tcp_keepalive_time", 5}, {"tcp_keepalive_intvl", 1}, {"tcp_keepalive_probes", 3}};
  return in;
}

TEST(ModelFaults, LinkDownAndDropBothAreBlackholes) {
  for (auto [fault, params] : std::vector<std::pair<std::string, std::map<std::string, std::string>>>{
           {"link-down", {}}, {"drop", {}}, {"drop", {{"direction", "both"}}}, {"BLACKHOLE", {}}}) {
    Inputs in = with_fault(fault, params);
    in.client = {{"ServerAliveInterval", "1"}};
    expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  }
}

TEST(ModelFaults, CrashLeavesTheClientABlackhole) {
  Inputs in = with_fault("crash");
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  expect_never(p.server, "crashed-side");
}

TEST(ModelFaults, CrashOfTheClient) {
  Inputs in = with_fault("crash", {{"target", "client"}});
  in.server = {{"ClientAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_never(p.client, "crashed-side");
  expect_window(p.server, 5.9998, 8.0, Cause::clientalive, "sshd-clientalive-double-interval");
}

TEST(ModelFaults, FreezeOnlySshKeepaliveNotices) {
  Inputs in = with_fault("freeze");
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  expect_never(p.server, "frozen-side");
}

TEST(ModelFaults, FreezeIsInvisibleToTcp) {
  // The frozen server's kernel answers the keepalive probes and ACKs the keystrokes.
  Inputs in = fast_kernel_keepalive(with_fault("freeze"));
  expect_never(predict(in).client, "never");
  in.pattern = scenario::Pattern::interactive;
  expect_never(predict(in).client, "never");
}

TEST(ModelFaults, SpoofedKeepaliveFoolsTcpButNotSsh) {
  Inputs in = fast_kernel_keepalive(with_fault("spoof-keepalive"));
  expect_never(predict(in).client, "never");
  in.client = {{"ServerAliveInterval", "1"}};
  expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // Without the spoofing the same kernel settings notice it.
  Inputs plain = fast_kernel_keepalive(with_fault("blackhole"));
  expect_window(predict(plain).client, 3.0, 8.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFaults, RejectResetsEachSideOnItsNextSend) {
  Inputs in = with_fault("reject");
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  // The client's next probe leaves 0–1 s after t0.
  expect_window(p.client, 0.0, 1.0, Cause::reset, "reject-reset");
  // The idle sshd sends only its first keepalive probe, 7200 s after its last receive.
  expect_window(p.server, 7198.9998, 7200.0, Cause::reset, "reject-reset");
}

TEST(ModelFaults, RejectToServerOnly) {
  Inputs in = with_fault("reject", {{"direction", "to-server"}});
  in.server = {{"ClientAliveInterval", "1"}};
  const Prediction p = predict(in);
  // The client never sends on its own; it ACKs sshd's first probe (0–2 s) and meets the RST.
  expect_window(p.client, 0.0, 2.0, Cause::reset, "reject-reset");
  // sshd's probe then goes unacknowledged; its tail loss probe 0.204 s later meets the client's
  // kernel, which has forgotten the connection.
  expect_window(p.server, 0.0, 2.204, Cause::reset, "peer-forgot-reset");
  // An idle sshd sends nothing before its TCP keepalive probe: it cannot meet the RST earlier,
  // even though the client was reset at once.
  in.client = {{"ServerAliveInterval", "1"}};
  in.server.clear();
  in.fault_at_s = 1.0;
  const Prediction q = predict(in);
  expect_window(q.client, 0.0, 1.0, Cause::reset, "reject-reset");
  ASSERT_TRUE(q.server.window);
  EXPECT_GE(q.server.window->lo_s, 7198.0) << q.server.explanation;
}

TEST(ModelFaults, SpoofRstResetsTheTargetAtOnce) {
  // target = server (the default): sshd is reset within one RTT; the idle client sends nothing
  // but its TCP keepalive probe, which meets the RST of sshd's kernel.
  Prediction p = predict(with_fault("spoof-rst"));
  expect_window(p.server, 0.0, 0.0002, Cause::reset, "spoof-rst");
  expect_window(p.client, 0.0, 7200.0, Cause::reset, "peer-forgot-reset");
  // Knowing `at` (1 s after steady state) bounds how old its last receive is.
  Inputs in = with_fault("spoof-rst");
  in.fault_at_s = 1.0;
  expect_window(predict(in).client, 7198.9, 7200.0, Cause::reset, "peer-forgot-reset");
}

TEST(ModelFaults, SpoofRstPeerLearnsAtItsNextSend) {
  Inputs in = with_fault("spoof-rst", {{"target", "client"}});
  in.server = {{"ClientAliveInterval", "1"}};
  Prediction p = predict(in);
  expect_window(p.client, 0.0, 0.0002, Cause::reset, "spoof-rst");
  // sshd 9.2's next probe (0–2 s) hits the client's kernel: RST.
  expect_window(p.server, 0.0, 2.0, Cause::reset, "peer-forgot-reset");
  // The client typing every second meets sshd's kernel at its next keystroke.
  Inputs typing = with_fault("spoof-rst", {{"target", "server"}});
  typing.pattern = scenario::Pattern::interactive;
  typing.traffic_interval_s = 1.0;
  expect_window(predict(typing).client, 0.0, 1.0, Cause::reset, "peer-forgot-reset");
  // `direction` is not a parameter of spoof-rst: the target is.
  EXPECT_EQ(predict(with_fault("spoof-rst", {{"target", "both"}})).client.rule, "unknown-fault");
}

TEST(ModelFaults, SpoofDataIsAMacErrorAndLeavesThePeerHalfOpen) {
  Inputs in = with_fault("spoof-data");
  in.client = {{"ServerAliveInterval", "1"}};
  Prediction p = predict(in);
  expect_window(p.server, 0.0, 0.0002, Cause::mac_error, "spoof-data");
  // sshd's FIN is discarded: the client finds out by its own keepalive, as behind a blackhole.
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  in = with_fault("spoof-data", {{"target", "client"}});
  p = predict(in);
  expect_window(p.client, 0.0, 0.0002, Cause::mac_error, "spoof-data");
  // Idle, it has only its TCP keepalive, whose last answer may be up to 7200 s old.
  expect_window(p.server, 675.0, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFaults, SpoofKeepaliveAnswersOnlyTheNamedEnds) {
  Inputs in = with_fault("spoof-keepalive");
  for (auto* k : {&in.kernel_client, &in.kernel_server})
    *k = {{"tcp_keepalive_time", 2}, {"tcp_keepalive_intvl", 1}, {"tcp_keepalive_probes", 2}};
  in.fault_at_s = 1.0;
  // to-client (default): the client's probes are answered, sshd's are not (measured 3.03 s).
  Prediction p = predict(in);
  expect_never(p.client, "never");
  expect_window(p.server, 2.9, 4.0, Cause::tcp_keepalive, "tcp-keepalive");
  in.fault_params = {{"direction", "to-server"}};
  p = predict(in);
  expect_window(p.client, 2.9, 4.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_never(p.server, "never");
  in.fault_params = {{"direction", "both"}};
  p = predict(in);
  expect_never(p.client, "never");
  expect_never(p.server, "never");
}

TEST(ModelFaults, RejectWithIcmpIsASoftError) {
  // Linux keeps an ICMP unreachable as a soft error on an established socket: ServerAlive
  // decides as in a blackhole.
  Inputs in = with_fault("reject", {{"icmp", "host-unreachable"}});
  in.client = {{"ServerAliveInterval", "1"}};
  expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // Retransmission gives up with the soft error ("No route to host": cause other), possibly
  // early because unreachables undo the backoff: first send 0–2 s, first RTO retransmission
  // 0.408 s later, budget 3 s (tcp_retries2 3) → from 3.408 s; at the latest 2 + 6.528 s.
  in.client = {{"ServerAliveInterval", "0"}};
  in.kernel_client = {{"tcp_retries2", 3}};
  in.pattern = scenario::Pattern::interactive;
  const Prediction p = predict(in);
  expect_window(p.client, 3.408, 8.528, Cause::other, "tcp-retransmit");
  EXPECT_NE(p.client.explanation.find("No route to host"), std::string::npos);
  EXPECT_EQ(predict(with_fault("reject", {{"icmp", "sideways"}})).client.rule, "unknown-fault");
}

TEST(ModelFaults, LinkDownSendsIcmpToTheOtherSideOnly) {
  Inputs in = with_fault("link-down");  // target server: the client's packets draw ICMP net unreachable
  in.kernel_client = in.kernel_server = {{"tcp_retries2", 3}};
  in.pattern = scenario::Pattern::stream;
  const Prediction p = predict(in);
  EXPECT_EQ(p.server.cause, Cause::tcp_retransmit) << p.server.explanation;  // its own link: silent
  in.fault_params = {{"target", "client"}};
  EXPECT_EQ(predict(in).server.cause, Cause::other) << predict(in).server.explanation;
}

TEST(ModelFaults, ImpairWithoutTotalLossIsSurvived) {
  Inputs in = with_fault("impair", {{"delay", "20ms"}, {"loss", "5%"}});
  in.client = {{"ServerAliveInterval", "1"}};
  Prediction p = predict(in);
  expect_never(p.client, "impair-degraded");
  expect_never(p.server, "impair-degraded");
  // 100 % loss is a blackhole (each way, or one way with direction).
  in.fault_params = {{"loss", "100"}};
  expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  in.fault_params = {{"loss", "100"}, {"direction", "to-client"}};
  expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // A delay longer than ServerAlive waits for an answer (N·I = 1 s): 0.6 s each way.
  in.client = {{"ServerAliveInterval", "1"}, {"ServerAliveCountMax", "1"}};
  in.fault_params = {{"delay", "600ms"}};
  expect_window(predict(in).client, 0.9998, 2.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelFaults, RebootImmediately) {
  // down is at least 100 ms (FaultFactory); the client's next probe after it meets the RST.
  Inputs in = with_fault("reboot", {{"down", "100ms"}});
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 0.1, 1.0, Cause::reset, "reboot-reset");
  expect_never(p.server, "rebooted-side");
  // Without `down`, FaultFactory's default of 5 s.
  in.fault_params.clear();
  EXPECT_GE(predict(in).client.window->lo_s, 2.9);
}

TEST(ModelFaults, RebootAfterOutageWaitsForTheRetransmission) {
  Inputs in = with_fault("reboot", {{"down", "10s"}});
  in.client = {{"ServerAliveInterval", "5"}};
  const Prediction p = predict(in);
  // First probe s in 0–5 s, retransmitted at s + 0.204, 0.408, …, 6.528, 13.056: the first one
  // at or after 10 s is at 10 (s = 3.472) up to 3.472 + 13.056 = 16.528 s. ServerAlive would
  // take 14.9998–20 s.
  expect_window(p.client, 10.0, 16.528, Cause::reset, "reboot-reset");
  EXPECT_NE(p.client.explanation.find("may race with openssh-serveralive"), std::string::npos);
}

TEST(ModelFaults, RebootOutageLongerThanServerAlive) {
  Inputs in = with_fault("reboot", {{"down", "60"}});
  in.client = {{"ServerAliveInterval", "1"}};
  expect_window(predict(in).client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelFaults, OneWayToClientDroppedTheFinStaysBehindUnackedProbes) {
  Inputs in = with_fault("drop", {{"direction", "to-client"}});
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // ssh's probes were never ACKed: after the first RTO its cwnd is 1 and its FIN never leaves
  // (measured: sshd learnt nothing for 5 s). sshd's answers are never ACKed either.
  expect_window(p.server, 928.896, 929.896, Cause::tcp_retransmit, "tcp-retransmit");
  EXPECT_NE(p.server.explanation.find("FIN"), std::string::npos) << p.server.explanation;
}

TEST(ModelFaults, OneWayDeafSideThatSentNothingClosesWithAFin) {
  // ServerAliveCountMax 0: ssh exits without probing, nothing in flight, its FIN gets through.
  Inputs in = with_fault("drop", {{"direction", "to-client"}});
  in.client = {{"ServerAliveInterval", "5"}, {"ServerAliveCountMax", "0"}};
  expect_window(predict(in).server, 0.0, 5.0, Cause::eof, "peer-exit-eof");
}

TEST(ModelFaults, OneWayToServerDroppedClientTimesOutAlone) {
  Inputs in = with_fault("drop", {{"direction", "to-server"}});
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  // sshd sends nothing, so the client's own check decides as in a blackhole.
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // The deaf sshd's keepalive probes reach the client, the answers do not.
  expect_window(p.server, 7873.9998, 7875.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFaults, OneWayPeerProbesKeepTheHearingSideAlive) {
  Inputs in = with_fault("drop", {{"direction", "to-server"}});
  in.client = {{"ServerAliveInterval", "1"}};
  in.server = {{"ClientAliveInterval", "1"}};
  in.server_version = {9, 5};
  const Prediction p = predict(in);
  expect_window(p.server, 2.9998, 4.0, Cause::clientalive, "sshd-clientalive");
  // sshd's probes every second reset the client's count until sshd exits (its FIN stays behind
  // them); 4 s after the last one (1 s before that exit at the earliest, whole seconds).
  expect_window(p.client, 4.9998, 8.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelFaults, OneWayDeafKeepaliveDeathSendsRst) {
  Inputs in = fast_kernel_keepalive(with_fault("drop", {{"direction", "to-client"}}));
  const Prediction p = predict(in);
  expect_window(p.client, 3.0, 8.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.server, 3.0, 8.0, Cause::reset, "peer-keepalive-rst");
}

TEST(ModelFaults, UnknownFaultOrParameter) {
  const Prediction p = predict(with_fault("meteor"));
  EXPECT_FALSE(p.client.window.has_value());
  EXPECT_EQ(p.client.cause, Cause::other);
  EXPECT_EQ(p.client.rule, "unknown-fault");
  const Prediction q = predict(with_fault("drop", {{"direction", "sideways"}}));
  EXPECT_EQ(q.server.rule, "unknown-fault");
  EXPECT_NE(q.server.explanation.find("sideways"), std::string::npos);
  const Prediction r = predict(with_fault("firewall", {{"idle_timeout", "soon"}}));
  EXPECT_EQ(r.client.rule, "unknown-fault");
}

}  // namespace
}  // namespace deadpeer::model
