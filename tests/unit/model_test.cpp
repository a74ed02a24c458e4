// The model's public helpers: tolerance, agreement with a measurement, version and option
// parsing. The rules themselves are in model_rules_test.cpp and model_faults_test.cpp.
#include <gtest/gtest.h>

#include "model/Model.hpp"
#include "model/SideConfig.hpp"
#include "model_test_util.hpp"

namespace deadpeer::model {
namespace {

using observe::Cause;
using test::expect_window;

TEST(ModelTolerance, AbsoluteFloorBelow80ms) {
  EXPECT_DOUBLE_EQ(tolerance_s(0.0), 0.010);
  EXPECT_DOUBLE_EQ(tolerance_s(0.04), 0.010);
  EXPECT_DOUBLE_EQ(tolerance_s(0.08), 0.010);  // the crossover: 12.5 % of 80 ms
}

TEST(ModelTolerance, PercentageAbove80ms) {
  EXPECT_DOUBLE_EQ(tolerance_s(0.16), 0.020);
  EXPECT_DOUBLE_EQ(tolerance_s(1.0), 0.125);
  EXPECT_DOUBLE_EQ(tolerance_s(8.0), 1.0);
  EXPECT_DOUBLE_EQ(tolerance_s(-8.0), 1.0);
}

SidePrediction four_seconds() {
  return SidePrediction{Window{3.0, 4.0}, Cause::serveralive, "openssh-serveralive", ""};
}

TEST(ModelAgrees, InsideTheWindow) {
  EXPECT_TRUE(agrees(four_seconds(), 3.0, Cause::serveralive));
  EXPECT_TRUE(agrees(four_seconds(), 3.5, Cause::serveralive));
  EXPECT_TRUE(agrees(four_seconds(), 4.0, Cause::serveralive));
}

TEST(ModelAgrees, UpperBoundPlusTolerance) {
  // hi 4 s → tolerance 0.5 s
  EXPECT_TRUE(agrees(four_seconds(), 4.5, Cause::serveralive));
  EXPECT_FALSE(agrees(four_seconds(), 4.5001, Cause::serveralive));
}

TEST(ModelAgrees, LowerBoundMinusTolerance) {
  // lo 3 s → tolerance 0.375 s
  EXPECT_TRUE(agrees(four_seconds(), 2.625, Cause::serveralive));
  EXPECT_FALSE(agrees(four_seconds(), 2.6249, Cause::serveralive));
}

TEST(ModelAgrees, ShortWindowUsesAbsoluteTolerance) {
  const SidePrediction p{Window{0.0, 0.0002}, Cause::reset, "spoof-rst", ""};
  EXPECT_TRUE(agrees(p, 0.01019, Cause::reset));  // hi 0.0002 + 10 ms
  EXPECT_FALSE(agrees(p, 0.01021, Cause::reset));
  EXPECT_TRUE(agrees(p, -0.01, Cause::reset));
  EXPECT_FALSE(agrees(p, -0.0101, Cause::reset));
}

TEST(ModelAgrees, CauseMustMatch) {
  EXPECT_FALSE(agrees(four_seconds(), 3.5, Cause::tcp_keepalive));
  EXPECT_FALSE(agrees(four_seconds(), 3.5, Cause::none));
}

TEST(ModelAgrees, NoDetectionDisagreesWithAWindow) {
  EXPECT_FALSE(agrees(four_seconds(), std::nullopt, Cause::none));
  EXPECT_FALSE(agrees(four_seconds(), std::nullopt, Cause::none, 30.0));
}

TEST(ModelAgrees, NoDetectionAgreesWhenTheHorizonEndedFirst) {
  // Window closes (with tolerance) at 4.5 s: a run that stopped at 4 s could not see it.
  EXPECT_TRUE(agrees(four_seconds(), std::nullopt, Cause::none, 4.0));
  EXPECT_TRUE(agrees(four_seconds(), std::nullopt, Cause::none, 4.4999));
  EXPECT_FALSE(agrees(four_seconds(), std::nullopt, Cause::none, 4.5));
  const SidePrediction late{Window{928.896, 929.896}, Cause::tcp_retransmit, "tcp-retransmit", ""};
  EXPECT_TRUE(agrees(late, std::nullopt, Cause::none, 30.0));
  EXPECT_FALSE(agrees(late, 20.0, Cause::tcp_retransmit, 30.0));
}

TEST(ModelAgrees, NeverAgreesOnlyWithSilence) {
  const SidePrediction never{std::nullopt, Cause::none, "never", ""};
  EXPECT_TRUE(agrees(never, std::nullopt, Cause::none));
  EXPECT_TRUE(agrees(never, std::nullopt, Cause::none, 30.0));
  EXPECT_FALSE(agrees(never, 5.0, Cause::reset));
  EXPECT_FALSE(agrees(never, 5.0, Cause::tcp_keepalive, 30.0));
}

TEST(ModelAgrees, UnknownFaultAgreesByCauseOnly) {
  const SidePrediction unknown{std::nullopt, Cause::other, "unknown-fault", ""};
  EXPECT_TRUE(agrees(unknown, 1.0, Cause::other));
  EXPECT_FALSE(agrees(unknown, 1.0, Cause::reset));
}

TEST(ModelVersion, FromStrings) {
  EXPECT_EQ(version_from_string("OpenSSH_9.2p1 Debian-2+deb12u3"), (Version{9, 2}));
  EXPECT_EQ(version_from_string("9.5p1"), (Version{9, 5}));
  EXPECT_EQ(version_from_string("SSH-2.0-OpenSSH_9.6"), (Version{9, 6}));
  EXPECT_EQ(version_from_string("Dropbear v2022.83"), (Version{2022, 83}));
  EXPECT_EQ(version_from_string("no version here"), std::nullopt);
  EXPECT_EQ(version_from_string("9."), std::nullopt);
}

TEST(ModelVersion, Ordering) {
  EXPECT_LT((Version{9, 2}), (Version{9, 5}));
  EXPECT_LT((Version{8, 9}), (Version{9, 0}));
  EXPECT_GT((Version{2022, 83}), (Version{9, 9}));
}

TEST(ModelOptions, SshTimeFormats) {
  EXPECT_EQ(parse_ssh_time("90"), 90);
  EXPECT_EQ(parse_ssh_time("90s"), 90);
  EXPECT_EQ(parse_ssh_time("1m30s"), 90);
  EXPECT_EQ(parse_ssh_time("1M"), 60);
  EXPECT_EQ(parse_ssh_time("2h"), 7200);
  EXPECT_EQ(parse_ssh_time("1w"), 604800);
  EXPECT_EQ(parse_ssh_time(""), std::nullopt);
  EXPECT_EQ(parse_ssh_time("5q"), std::nullopt);
  EXPECT_EQ(parse_ssh_time("-1"), std::nullopt);
}

TEST(ModelOptions, KeysAreCaseInsensitive) {
  Inputs in;
  in.client = {{"serveraliveinterval", "1"}, {"SERVERALIVECOUNTMAX", "1"}};
  const SideConfig c = client_config(in);
  EXPECT_EQ(c.alive_interval_s, 1);
  EXPECT_EQ(c.alive_count_max, 1);
  // (1+1)·1 s after floor(last receive) → 0.9998–2 s
  expect_window(predict(in).client, 0.9998, 2.0, Cause::serveralive, "openssh-serveralive");
}

TEST(ModelOptions, Defaults) {
  Inputs in;
  const SideConfig c = client_config(in), s = server_config(in);
  EXPECT_EQ(c.alive_interval_s, 0);
  EXPECT_EQ(c.alive_count_max, 3);
  EXPECT_TRUE(c.so_keepalive);
  EXPECT_TRUE(s.so_keepalive);
  EXPECT_DOUBLE_EQ(s.tcp.keepalive_time_s, 7200);
  EXPECT_DOUBLE_EQ(s.tcp.keepalive_intvl_s, 75);
  EXPECT_EQ(s.tcp.keepalive_probes, 9);
  EXPECT_EQ(s.tcp.retries2, 15);
}

TEST(ModelOptions, SysctlsWithOrWithoutPrefix) {
  Inputs in;
  in.kernel_client = {{"net.ipv4.tcp_keepalive_time", 5}, {"tcp_keepalive_intvl", 1}, {"TCP_KEEPALIVE_PROBES", 3}};
  const SideConfig c = client_config(in);
  EXPECT_DOUBLE_EQ(c.tcp.keepalive_time_s, 5);
  EXPECT_DOUBLE_EQ(c.tcp.keepalive_intvl_s, 1);
  EXPECT_EQ(c.tcp.keepalive_probes, 3);
  EXPECT_DOUBLE_EQ(server_config(in).tcp.keepalive_time_s, 7200);  // per namespace
}

TEST(ModelOptions, TcpKeepAliveNo) {
  Inputs in;
  in.server = {{"TCPKeepAlive", "no"}};
  EXPECT_FALSE(server_config(in).so_keepalive);
  EXPECT_TRUE(client_config(in).so_keepalive);
}

TEST(ModelOptions, DropbearMapping) {
  Inputs in;
  in.server_impl = scenario::Implementation::dropbear;
  in.server_version = {2022, 83};
  in.server = {{"ClientAliveInterval", "2"}, {"ClientAliveCountMax", "10"}, {"TCPKeepAlive", "yes"}, {"IdleTimeout", "30"}};
  const SideConfig s = server_config(in);
  EXPECT_EQ(s.alive_interval_s, 2);     // -K 2
  EXPECT_EQ(s.alive_count_max, 3);      // fixed
  EXPECT_FALSE(s.so_keepalive);         // never SO_KEEPALIVE
  EXPECT_EQ(s.idle_timeout_s, 30);      // -I 30
  EXPECT_EQ(s.program(), "dropbear");
  ASSERT_EQ(s.notes.size(), 2u);
  EXPECT_NE(s.notes[0].find("ClientAliveCountMax ignored"), std::string::npos);
}

TEST(ModelOptions, IdleTimeoutIsDropbearOnly) {
  Inputs in;
  in.server = {{"IdleTimeout", "30"}};
  const SideConfig s = server_config(in);
  EXPECT_EQ(s.idle_timeout_s, 0);
  ASSERT_EQ(s.notes.size(), 1u);
}

TEST(ModelOptions, MalformedValueFallsBackAndSaysSo) {
  Inputs in;
  in.client = {{"ServerAliveInterval", "soon"}};
  const SideConfig c = client_config(in);
  EXPECT_EQ(c.alive_interval_s, 0);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(predict(in).client.explanation.find("not a time"), std::string::npos);
}

TEST(ModelText, WindowToString) {
  EXPECT_EQ(to_string(Window{2.9998, 4.0}), "2.9998–4 s");
  EXPECT_EQ(to_string(Window{928.896, 929.896}), "928.896–929.896 s");
}

}  // namespace
}  // namespace deadpeer::model
