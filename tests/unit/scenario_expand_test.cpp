// expand(): the [matrix] cartesian product, case ids, applied values, and Case::settings().
#include <gtest/gtest.h>

#include <string>

#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::scenario {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Value I(std::int64_t i) { return Value{i}; }
Value S(const char* s) { return Value{std::string(s)}; }

const char* kBase = R"(name = "keepalive"
repeat = 2
horizon = "40s"
[client]
ServerAliveInterval = 15
TCPKeepAlive = true
[kernel.client]
tcp_keepalive_time = 5
[[fault]]
kind = "blackhole"
at = "2s"
direction = "both"
[[fault]]
kind = "loss"
at = "3s"
duration = "1s"
)";

TEST(Expand, NoMatrixGivesExactlyOneCase) {
  const Scenario s = parse_string(kBase, "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].id, "keepalive/0");
  EXPECT_TRUE(cases[0].axes.empty());
  EXPECT_EQ(cases[0].scenario.client.size(), 2u);
}

TEST(Expand, CartesianProductInWrittenOrder) {
  const Scenario s = parse_string(std::string(kBase) + R"([matrix]
"client.ServerAliveInterval" = [1, 5, 15]
"traffic.pattern" = ["idle", "stream"]
)",
                                  "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 6u);
  // First axis slowest, last fastest.
  const std::pair<std::int64_t, const char*> expected[] = {{1, "idle"},   {1, "stream"}, {5, "idle"},
                                                           {5, "stream"}, {15, "idle"},  {15, "stream"}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(cases[i].id, "keepalive/" + std::to_string(i));
    EXPECT_EQ(cases[i].axes.size(), 2u);
    EXPECT_EQ(cases[i].axes.at("client.ServerAliveInterval"), I(expected[i].first));
    EXPECT_EQ(cases[i].axes.at("traffic.pattern"), S(expected[i].second));
    // Overridden in place, not appended: the option keeps its position and count.
    ASSERT_EQ(cases[i].scenario.client.size(), 2u);
    EXPECT_EQ(cases[i].scenario.client[0].key, "ServerAliveInterval");
    EXPECT_EQ(cases[i].scenario.client[0].value, I(expected[i].first));
    EXPECT_EQ(to_string(cases[i].scenario.traffic.pattern), expected[i].second);
    EXPECT_TRUE(cases[i].scenario.matrix.empty());
  }
  // The value's own location travels with the setting, for later diagnostics.
  EXPECT_EQ(cases[2].scenario.client[0].loc.str(), "k.toml:18:36");
}

TEST(Expand, AddsSettingsAndMatchesOptionNamesIgnoringCase) {
  const Scenario s = parse_string(std::string(kBase) + R"([matrix]
"client.serveraliveinterval" = [2]
"server.ClientAliveInterval" = [3]
"kernel.client.tcp_keepalive_time" = [7]
"kernel.router.nf_conntrack_tcp_timeout_established" = [30]
"implementation.server" = ["dropbear"]
horizon = ["1m"]
"traffic.interval" = ["100ms"]
)",
                                  "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 1u);
  const Scenario& c = cases[0].scenario;
  ASSERT_EQ(c.client.size(), 2u);
  EXPECT_EQ(c.client[0].key, "serveraliveinterval");
  EXPECT_EQ(c.client[0].value, I(2));
  ASSERT_EQ(c.server.size(), 1u);
  EXPECT_EQ(c.server[0].key, "ClientAliveInterval");
  ASSERT_EQ(c.kernel_client.size(), 1u);
  EXPECT_EQ(c.kernel_client[0].value, I(7));
  ASSERT_EQ(c.kernel_router.size(), 1u);
  EXPECT_EQ(c.kernel_router[0].key, "nf_conntrack_tcp_timeout_established");
  EXPECT_EQ(c.server_impl, Implementation::dropbear);
  EXPECT_EQ(c.horizon, seconds(60));
  EXPECT_EQ(c.traffic.interval, milliseconds(100));
}

TEST(Expand, FaultParams) {
  const Scenario s = parse_string(std::string(kBase) + R"([matrix]
"fault.at" = ["1s", "4s"]
"fault.duration" = ["2s"]
"fault.direction" = ["up"]
"fault.1.percent" = [50]
)",
                                  "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& f = cases[i].scenario.faults;
    ASSERT_EQ(f.size(), 2u);
    // "at" applies to every fault.
    EXPECT_EQ(f[0].at, i == 0 ? seconds(1) : seconds(4));
    EXPECT_EQ(f[1].at, i == 0 ? seconds(1) : seconds(4));
    // "duration" only to faults that already have one, while some do.
    EXPECT_FALSE(f[0].duration.has_value());
    EXPECT_EQ(f[1].duration, seconds(2));
    // Same for a kind-specific param…
    EXPECT_EQ(f[0].params.at("direction").value, S("up"));
    EXPECT_EQ(f[1].params.count("direction"), 0u);
    // …and an indexed key targets one fault, adding the param.
    EXPECT_EQ(f[0].params.count("percent"), 0u);
    EXPECT_EQ(f[1].params.at("percent").value, I(50));
  }
}

TEST(Expand, ParamNoFaultHasGoesToEveryFault) {
  const Scenario s = parse_string(std::string(kBase) + "[matrix]\n\"fault.jitter\" = [\"5ms\"]\n", "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].scenario.faults[0].params.at("jitter").value, S("5ms"));
  EXPECT_EQ(cases[0].scenario.faults[1].params.at("jitter").value, S("5ms"));
}

TEST(Expand, ThreeAxesCount) {
  const Scenario s = parse_string(std::string(kBase) + R"([matrix]
client.ServerAliveInterval = [1, 2, 3, 4]
kernel.client.tcp_keepalive_time = [1, 2, 3]
"implementation.client" = ["openssh", "dropbear"]
)",
                                  "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 24u);
  EXPECT_EQ(cases.back().id, "keepalive/23");
  EXPECT_EQ(cases[7].axes.at("client.ServerAliveInterval"), I(2));
  EXPECT_EQ(cases[7].axes.at("kernel.client.tcp_keepalive_time"), I(1));
  EXPECT_EQ(cases[7].axes.at("implementation.client"), S("dropbear"));
}

TEST(Expand, BadValueInCodeBuiltScenarioThrows) {
  Scenario s = parse_string(kBase, "k.toml");
  s.matrix.push_back(MatrixAxis{"horizon", {S("later")}, SourceLoc{"code", 1, 1}, {SourceLoc{"code", 1, 5}}});
  try {
    expand(s);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()),
              "code:1:5: error: 'horizon' = \"later\" is not a duration: expected a number at position 1 (valid forms: "
              "\"500ms\", \"2s\", \"1.5s\", \"2m\", \"1h\", \"1m30s\", or an integer number of seconds)");
  }
}

TEST(CaseSettings, FlattensEverything) {
  const Scenario s = parse_string(std::string(kBase) + R"([server]
ClientAliveCountMax = 2.5
[kernel.router]
nf_conntrack_tcp_timeout_established = 60
[traffic]
pattern = "interactive"
interval = "500ms"
[matrix]
"client.ServerAliveInterval" = [1]
)",
                                  "k.toml");
  const auto cases = expand(s);
  ASSERT_EQ(cases.size(), 1u);
  const std::map<std::string, Value> expected = {
      {"client.ServerAliveInterval", I(1)},
      {"client.TCPKeepAlive", Value{true}},
      {"server.ClientAliveCountMax", Value{2.5}},
      {"kernel.client.tcp_keepalive_time", I(5)},
      {"kernel.router.nf_conntrack_tcp_timeout_established", I(60)},
      {"traffic.pattern", S("interactive")},
      {"traffic.interval_ms", I(500)},
      {"implementation.client", S("openssh")},
      {"implementation.server", S("openssh")},
      {"fault.0.kind", S("blackhole")},
      {"fault.0.at_ms", I(2000)},
      {"fault.0.direction", S("both")},
      {"fault.1.kind", S("loss")},
      {"fault.1.at_ms", I(3000)},
      {"fault.1.duration_ms", I(1000)},
      {"horizon_ms", I(40000)},
      {"repeat", I(2)},
  };
  EXPECT_EQ(cases[0].settings(), expected);
}

}  // namespace
}  // namespace deadpeer::scenario
