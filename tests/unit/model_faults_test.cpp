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

Inputs with_fault(const std::string& fault, std::map<std::string, std::string> params = {}) {
  Inputs in;
  in.fault = fault;
  in.fault_params = std::move(params);
  return in;
}

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
}

TEST(ModelFaults, SpoofRstBothWays) {
  const Prediction p = predict(with_fault("spoof-rst"));
  expect_window(p.client, 0.0, 0.0002, Cause::reset, "spoof-rst");
  expect_window(p.server, 0.0, 0.0002, Cause::reset, "spoof-rst");
}

TEST(ModelFaults, SpoofRstToClientOnly) {
  Inputs in = with_fault("spoof-rst", {{"direction", "to-client"}});
  in.server = {{"ClientAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 0.0, 0.0002, Cause::reset, "spoof-rst");
  // sshd 9.2's next probe (0–2 s) hits the client's kernel: RST.
  expect_window(p.server, 0.0, 2.0, Cause::reset, "peer-forgot-reset");
}

TEST(ModelFaults, RebootImmediately) {
  Inputs in = with_fault("reboot");
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 0.0, 1.0, Cause::reset, "reboot-reset");
  expect_never(p.server, "rebooted-side");
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

TEST(ModelFaults, OneWayToClientDroppedServerSeesEof) {
  Inputs in = with_fault("drop", {{"direction", "to-client"}});
  in.client = {{"ServerAliveInterval", "1"}};
  const Prediction p = predict(in);
  expect_window(p.client, 2.9998, 4.0, Cause::serveralive, "openssh-serveralive");
  // The client's FIN still reaches sshd.
  expect_window(p.server, 2.9998, 4.0, Cause::eof, "peer-exit-eof");
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
  // sshd's probes every second reset the client's count; it learns from sshd's FIN.
  expect_window(p.client, 2.9998, 4.0, Cause::eof, "peer-exit-eof");
}

TEST(ModelFaults, OneWayDeafKeepaliveDeathSendsRst) {
  Inputs in = fast_kernel_keepalive(with_fault("drop", {{"direction", "to-client"}}));
  const Prediction p = predict(in);
  expect_window(p.client, 3.0, 8.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.server, 3.0, 8.0, Cause::reset, "peer-keepalive-rst");
}

TEST(ModelFaults, FirewallKeptAliveBySshKeepalive) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}});
  in.client = {{"ServerAliveInterval", "10"}};
  const Prediction p = predict(in);
  expect_never(p.client, "firewall-kept-alive");
  expect_never(p.server, "firewall-kept-alive");
}

TEST(ModelFaults, FirewallExpiresThenDrops) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}, {"on_expiry", "drop"}});
  in.client = {{"ServerAliveInterval", "60"}};
  const Prediction p = predict(in);
  // Probes every 60 s: the entry expires 30–60 s after t0; the last answered probe was 30 s
  // before t0 at the earliest (the next one must find the entry gone) and at 30 s at the
  // latest → floor(rx) + 240 s.
  expect_window(p.client, 209.9998, 270.0, Cause::serveralive, "openssh-serveralive");
  // sshd heard those probes; its TCP keepalive probe 7200 s later is dropped too.
  expect_window(p.server, 7844.9998, 7905.0, Cause::tcp_keepalive, "tcp-keepalive");
}

TEST(ModelFaults, FirewallExpiresThenResets) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}, {"on_expiry", "reset"}});
  in.client = {{"ServerAliveInterval", "60"}};
  const Prediction p = predict(in);
  expect_window(p.client, 30.0, 90.0, Cause::reset, "firewall-reset");
  expect_window(p.server, 7169.9998, 7230.0, Cause::reset, "firewall-reset");
}

TEST(ModelFaults, FirewallIgnoringKeepalive) {
  Inputs in = with_fault("firewall", {{"idle_timeout", "30"}});
  for (auto* k : {&in.kernel_client, &in.kernel_server})
    *k = {{"tcp_keepalive_time", 20}, {"tcp_keepalive_intvl", 10}, {"tcp_keepalive_probes", 3}};
  // Probes every 20 s refresh the entry: nothing happens.
  expect_never(predict(in).client, "firewall-kept-alive");
  // A firewall that ignores bare ACKs expires at 30 s; the next probe (30–50 s) is dropped,
  // 3 × 10 s later the kernel gives up.
  in.fault_params["ignore_keepalive"] = "true";
  const Prediction p = predict(in);
  expect_window(p.client, 60.0, 80.0, Cause::tcp_keepalive, "tcp-keepalive");
  expect_window(p.server, 60.0, 80.0, Cause::tcp_keepalive, "tcp-keepalive");
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
