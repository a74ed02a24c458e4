// ScenarioParser on valid input: every field of the format lands where it should, typed, with
// its file:line:column, in file order.
#include <gtest/gtest.h>

#include <string>

#include "scenario/ScenarioParser.hpp"

namespace deadpeer::scenario {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kData = DEADPEER_SCENARIO_TEST_DATA;

TEST(ScenarioParser, FullFileRoundTrip) {
  const std::string file = kData + "/full.toml";
  const Scenario s = parse_file(file);

  EXPECT_EQ(s.name, "blackhole-keepalive");
  EXPECT_EQ(s.file, file);
  EXPECT_EQ(s.loc.str(), file);
  EXPECT_EQ(s.repeat, 3);
  EXPECT_EQ(s.horizon, milliseconds(90'000));
  EXPECT_EQ(s.client_impl, Implementation::openssh);
  EXPECT_EQ(s.server_impl, Implementation::dropbear);

  // File order, not alphabetical (toml++ hands tables back sorted by key).
  ASSERT_EQ(s.client.size(), 4u);
  EXPECT_EQ(s.client[0].key, "ServerAliveInterval");
  EXPECT_EQ(s.client[0].value, Value{std::int64_t{1}});
  EXPECT_EQ(s.client[0].loc.str(), file + ":8:1");
  EXPECT_EQ(s.client[1].key, "ServerAliveCountMax");
  EXPECT_EQ(s.client[2].key, "TCPKeepAlive");
  EXPECT_EQ(s.client[2].value, Value{false});
  EXPECT_EQ(render(s.client[2].value), "no");
  EXPECT_EQ(s.client[3].key, "Ciphers");
  EXPECT_EQ(s.client[3].value, Value{std::string("aes128-ctr,aes256-ctr")});

  ASSERT_EQ(s.server.size(), 2u);
  EXPECT_EQ(s.server[0].key, "ClientAliveInterval");
  EXPECT_EQ(s.server[0].loc.str(), file + ":14:1");
  EXPECT_EQ(s.server[1].value, Value{2.5});

  ASSERT_EQ(s.kernel_client.size(), 3u);
  EXPECT_EQ(s.kernel_client[0].key, "tcp_keepalive_time");
  EXPECT_EQ(s.kernel_client[0].value, Value{std::int64_t{5}});
  EXPECT_EQ(s.kernel_client[1].key, "tcp_keepalive_intvl");
  EXPECT_EQ(s.kernel_client[2].key, "tcp_keepalive_probes");
  EXPECT_EQ(s.kernel_client[2].loc.str(), file + ":20:1");
  ASSERT_EQ(s.kernel_server.size(), 1u);
  EXPECT_EQ(s.kernel_server[0].key, "tcp_retries2");
  EXPECT_EQ(s.kernel_server[0].value, Value{std::int64_t{8}});
  ASSERT_EQ(s.kernel_router.size(), 1u);
  EXPECT_EQ(s.kernel_router[0].key, "nf_conntrack_tcp_timeout_established");

  EXPECT_EQ(s.traffic.pattern, Pattern::interactive);
  EXPECT_EQ(s.traffic.interval, milliseconds(500));
  EXPECT_EQ(s.traffic.loc.str(), file + ":28:1");

  ASSERT_EQ(s.faults.size(), 2u);
  const FaultSpec& f0 = s.faults[0];
  EXPECT_EQ(f0.kind, "blackhole");
  EXPECT_EQ(f0.at, seconds(2));
  ASSERT_TRUE(f0.duration.has_value());
  EXPECT_EQ(*f0.duration, seconds(5));
  EXPECT_EQ(f0.loc.str(), file + ":32:1");
  ASSERT_EQ(f0.params.size(), 1u);
  EXPECT_EQ(f0.params.at("direction").value, Value{std::string("both")});
  EXPECT_EQ(f0.params.at("direction").loc.str(), file + ":36:1");
  const FaultSpec& f1 = s.faults[1];
  EXPECT_EQ(f1.kind, "loss");
  EXPECT_EQ(f1.at, seconds(10));  // bare integer: seconds
  EXPECT_FALSE(f1.duration.has_value());
  EXPECT_EQ(f1.params.at("percent").value, Value{25.5});

  EXPECT_TRUE(s.matrix.empty());
}

TEST(ScenarioParser, DefaultsForOptionalKeys) {
  const Scenario s = parse_string("name = \"minimal\"\n", "min.toml");
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.file, "min.toml");
  EXPECT_EQ(s.repeat, 1);
  EXPECT_EQ(s.horizon, seconds(30));
  EXPECT_EQ(s.traffic.pattern, Pattern::idle);
  EXPECT_EQ(s.traffic.interval, seconds(2));
  EXPECT_EQ(s.client_impl, Implementation::openssh);
  EXPECT_EQ(s.server_impl, Implementation::openssh);
  EXPECT_TRUE(s.client.empty());
  EXPECT_TRUE(s.faults.empty());
  EXPECT_FALSE(s.trace);
}

TEST(ScenarioParser, TraceIsABooleanThatShowsInTheSettings) {
  const Scenario s = parse_string("name = \"t\"\ntrace = true\n", "t.toml");
  EXPECT_TRUE(s.trace);
  const Case traced{"t/0", s, {}};
  EXPECT_TRUE(std::get<bool>(traced.settings().at("trace")));
  const Case plain{"t/0", parse_string("name = \"t\"\n", "t.toml"), {}};
  EXPECT_FALSE(plain.settings().contains("trace"));
}

TEST(ScenarioParser, ImplementationAsSectionAndRouterMayUseIpv4Names) {
  const Scenario s = parse_string(R"(name = "x"
[implementation]
server = "dropbear"
[kernel.router]
tcp_fin_timeout = 10
nf_conntrack_udp_timeout = 5
)",
                                  "impl.toml");
  EXPECT_EQ(s.client_impl, Implementation::openssh);
  EXPECT_EQ(s.server_impl, Implementation::dropbear);
  ASSERT_EQ(s.kernel_router.size(), 2u);
  EXPECT_EQ(s.kernel_router[0].key, "tcp_fin_timeout");
  EXPECT_EQ(s.kernel_router[1].key, "nf_conntrack_udp_timeout");
}

TEST(ScenarioParser, MatrixKeysQuotedOrDottedKeepFileOrder) {
  const Scenario s = parse_string(R"(name = "m"
[[fault]]
kind = "blackhole"
at = "2s"
[matrix]
"server.ClientAliveInterval" = [1, 5]
client.ServerAliveInterval = [1, 2, 3]
kernel.client.tcp_keepalive_time = [10, 20]
"fault.at" = ["1s", 3]
)",
                                  "m.toml");
  ASSERT_EQ(s.matrix.size(), 4u);
  EXPECT_EQ(s.matrix[0].key, "server.ClientAliveInterval");
  EXPECT_EQ(s.matrix[0].loc.str(), "m.toml:6:1");
  EXPECT_EQ(s.matrix[1].key, "client.ServerAliveInterval");
  ASSERT_EQ(s.matrix[1].values.size(), 3u);
  EXPECT_EQ(s.matrix[1].values[2], Value{std::int64_t{3}});
  ASSERT_EQ(s.matrix[1].value_locs.size(), 3u);
  EXPECT_EQ(s.matrix[1].value_locs[2].str(), "m.toml:7:37");
  EXPECT_EQ(s.matrix[2].key, "kernel.client.tcp_keepalive_time");
  EXPECT_EQ(s.matrix[3].key, "fault.at");
  EXPECT_EQ(s.matrix[3].values[0], Value{std::string("1s")});
}

TEST(ScenarioParser, MissingFileIsAScenarioError) {
  try {
    parse_file(kData + "/does-not-exist.toml");
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(std::string(e.what()), kData +
                                         "/does-not-exist.toml: error: cannot open scenario file for reading: "
                                         "No such file or directory");
  }
}

}  // namespace
}  // namespace deadpeer::scenario
