// harness/run pieces that need no lab: results.json (to_json / results_from_json), the run id
// in a namespace name (Cleanup), and the TCP hint each side's settings imply (SideContext).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/Cleanup.hpp"
#include "run/Results.hpp"
#include "run/SideContext.hpp"

namespace deadpeer::run {
namespace {

using observe::Cause;
using observe::TcpHint;
using scenario::Value;

// ---- Results ---------------------------------------------------------------------------------

Results sample() {
  Results r;
  r.schema = kSchemaVersion;
  r.run_id = "ab12cd";
  r.environment = {"6.1.0-18-amd64", "OpenSSH_9.2p1 Debian-2", "OpenSSH_9.2p1", 8, "0.1.0", "2024-05-01T12:00:00Z"};
  r.interrupted = true;

  CaseOutcome c0;
  c0.id = "blackhole/0";
  c0.scenario = "blackhole";
  c0.file = "scenarios/blackhole.toml";
  c0.settings = {{"client.ServerAliveInterval", Value{std::int64_t{1}}},
                 {"client.TCPKeepAlive", Value{false}},
                 {"fault.0.kind", Value{std::string("blackhole")}},
                 {"fault.0.loss", Value{0.25}},
                 {"fault.0.ratio", Value{2.0}},  // integral, but written as a float: stays a float
                 {"horizon_ms", Value{std::int64_t{30000}}},
                 {"kernel.client.tcp_keepalive_time", Value{std::int64_t{1} << 40}}};
  RunOutcome r0;
  r0.repeat = 0;
  r0.client = {true, 3.998, Cause::serveralive, "Timeout, server 203.0.113.2 not responding.", 255};
  r0.server = {false, std::nullopt, Cause::none, "", std::nullopt};
  r0.fault_backend = "nft";
  r0.fault_counters = {{"dropped_packets", 42}, {"dropped_bytes", 5376}};
  r0.setup_ms = 187.25;
  r0.client.last_rx_s = -0.704426721;  // a traced run
  r0.client.last_rx_second_start_s = -0.708631957;
  r0.client.exact_lo_s = r0.client.exact_hi_s = 3.291368043;
  r0.timeline = {{-0.5, "client.stdout", "deadpeer-ready"},
                 {3.998, "client.stderr", "Timeout, server 203.0.113.2 not responding."}};
  RunOutcome r1;
  r1.repeat = 1;
  r1.client = {true, 15.125, Cause::tcp_retransmit, "Read from remote host 203.0.113.2: Connection timed out", 255};
  r1.server = {true, 16.5, Cause::clientalive, "Timeout, client not responding from user root 198.51.100.2 port 1",
               std::nullopt};
  r1.fault_backend = "tc";
  r1.setup_ms = 150;
  c0.runs = {r0, r1};

  CaseOutcome c1;
  c1.id = "blackhole/1";
  c1.scenario = "blackhole";
  c1.file = "scenarios/blackhole.toml";
  c1.settings = {{"client.ServerAliveInterval", Value{std::int64_t{0}}}};
  RunOutcome e;
  e.repeat = 0;
  e.error = "sshd exited before listening";
  c1.runs = {e};

  r.cases = {c0, c1};
  return r;
}

void expect_same(const SideOutcome& a, const SideOutcome& b) {
  EXPECT_EQ(a.detected, b.detected);
  EXPECT_EQ(a.detect_s, b.detect_s);
  EXPECT_EQ(observe::to_string(a.cause), observe::to_string(b.cause));
  EXPECT_EQ(a.evidence, b.evidence);
  EXPECT_EQ(a.exit_status, b.exit_status);
  EXPECT_EQ(a.last_rx_s, b.last_rx_s);
  EXPECT_EQ(a.last_rx_second_start_s, b.last_rx_second_start_s);
  EXPECT_EQ(a.exact_lo_s, b.exact_lo_s);
  EXPECT_EQ(a.exact_hi_s, b.exact_hi_s);
}

void expect_same(const Results& a, const Results& b) {
  EXPECT_EQ(a.schema, b.schema);
  EXPECT_EQ(a.run_id, b.run_id);
  EXPECT_EQ(a.environment.kernel, b.environment.kernel);
  EXPECT_EQ(a.environment.ssh_version, b.environment.ssh_version);
  EXPECT_EQ(a.environment.sshd_version, b.environment.sshd_version);
  EXPECT_EQ(a.environment.cpus, b.environment.cpus);
  EXPECT_EQ(a.environment.deadpeer_version, b.environment.deadpeer_version);
  EXPECT_EQ(a.environment.started_at, b.environment.started_at);
  EXPECT_EQ(a.interrupted, b.interrupted);
  ASSERT_EQ(a.cases.size(), b.cases.size());
  for (size_t i = 0; i < a.cases.size(); ++i) {
    SCOPED_TRACE("case " + a.cases[i].id);
    const auto &x = a.cases[i], &y = b.cases[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.scenario, y.scenario);
    EXPECT_EQ(x.file, y.file);
    ASSERT_EQ(x.settings.size(), y.settings.size());
    for (const auto& [k, v] : x.settings) {
      ASSERT_TRUE(y.settings.count(k)) << k;
      // Same alternative (int stays int, double stays double, bool stays bool) and same value.
      EXPECT_EQ(v.index(), y.settings.at(k).index()) << k;
      EXPECT_TRUE(v == y.settings.at(k)) << k << ": " << scenario::render(v) << " vs "
                                         << scenario::render(y.settings.at(k));
    }
    ASSERT_EQ(x.runs.size(), y.runs.size());
    for (size_t j = 0; j < x.runs.size(); ++j) {
      SCOPED_TRACE("run " + std::to_string(j));
      const auto &p = x.runs[j], &q = y.runs[j];
      EXPECT_EQ(p.repeat, q.repeat);
      {
        SCOPED_TRACE("client");
        expect_same(p.client, q.client);
      }
      {
        SCOPED_TRACE("server");
        expect_same(p.server, q.server);
      }
      EXPECT_EQ(p.fault_backend, q.fault_backend);
      EXPECT_EQ(p.fault_counters, q.fault_counters);
      EXPECT_EQ(p.error, q.error);
      EXPECT_EQ(p.setup_ms, q.setup_ms);
      ASSERT_EQ(p.timeline.size(), q.timeline.size());
      for (size_t t = 0; t < p.timeline.size(); ++t) {
        EXPECT_EQ(p.timeline[t].t_s, q.timeline[t].t_s);
        EXPECT_EQ(p.timeline[t].source, q.timeline[t].source);
        EXPECT_EQ(p.timeline[t].text, q.timeline[t].text);
      }
    }
  }
}

TEST(Results, RoundTripInMemoryPreservesEveryField) {
  const Results r = sample();
  expect_same(results_from_json(to_json(r)), r);
}

TEST(Results, RoundTripThroughTextPreservesEveryField) {
  const Results r = sample();
  const std::string text = to_json(r).dump(2);
  expect_same(results_from_json(nlohmann::json::parse(text)), r);
}

TEST(Results, ExactErrorIsTheDistanceOutsideThePhaseExactWindow) {
  SideOutcome s;
  EXPECT_FALSE(s.exact_error_s());  // untraced
  s.detect_s = 3.2932;
  s.exact_lo_s = s.exact_hi_s = 3.2914;
  EXPECT_NEAR(*s.exact_error_s(), 0.0018, 1e-9);
  s.detect_s = 3.2904;
  EXPECT_NEAR(*s.exact_error_s(), -0.0010, 1e-9);
  s.exact_hi_s = 3.5;
  s.detect_s = 3.4;
  EXPECT_EQ(*s.exact_error_s(), 0.0);
  const auto j = to_json(sample())["cases"][0]["runs"][0]["client"];
  EXPECT_NEAR(j.at("exact_error_s").get<double>(), 3.998 - 3.291368043, 1e-9);
  EXPECT_EQ(j.at("exact_s").at("lo"), j.at("exact_s").at("hi"));
  EXPECT_FALSE(to_json(sample())["cases"][0]["runs"][1]["client"].contains("exact_s"));
}

TEST(Results, PredictionRoundTripsWithMaySurvive) {
  Results r = sample();
  r.cases[0].predicted_client = {2.0, 3.0, Cause::serveralive, "openssh-serveralive", "why", true};
  r.cases[0].predicted_server = {std::nullopt, std::nullopt, Cause::none, "never", "why not", false};
  const nlohmann::json j = to_json(r);
  EXPECT_EQ(j["cases"][0]["predicted"].at("client_may_survive"), true);
  EXPECT_FALSE(j["cases"][0]["predicted"].contains("server_may_survive"));
  const Results back = results_from_json(nlohmann::json::parse(j.dump()));
  const auto& p = back.cases[0].predicted_client;
  EXPECT_EQ(p.lo_s, 2.0);
  EXPECT_EQ(p.hi_s, 3.0);
  EXPECT_EQ(p.rule, "openssh-serveralive");
  EXPECT_TRUE(p.may_survive);
  EXPECT_FALSE(back.cases[0].predicted_server.may_survive);
  EXPECT_FALSE(back.cases[0].predicted_server.lo_s);
}

TEST(Results, JsonHasTheDocumentedShape) {
  const nlohmann::json j = nlohmann::json::parse(to_json(sample()).dump());
  EXPECT_EQ(j.at("schema"), 1);
  EXPECT_EQ(j.at("run_id"), "ab12cd");
  EXPECT_EQ(j.at("environment").at("cpus"), 8);
  EXPECT_EQ(j.at("interrupted"), true);
  ASSERT_EQ(j.at("cases").size(), 2u);

  const auto& c = j["cases"][0];
  EXPECT_EQ(c.at("id"), "blackhole/0");
  const auto& s = c.at("settings");
  // Flat keys, not nested objects.
  EXPECT_FALSE(s.contains("client"));
  ASSERT_TRUE(s.contains("client.ServerAliveInterval"));
  EXPECT_TRUE(s["client.ServerAliveInterval"].is_number_integer());
  EXPECT_EQ(s["client.ServerAliveInterval"].get<std::int64_t>(), 1);
  EXPECT_TRUE(s["client.TCPKeepAlive"].is_boolean());
  EXPECT_EQ(s["client.TCPKeepAlive"], false);
  EXPECT_TRUE(s["fault.0.kind"].is_string());
  EXPECT_TRUE(s["fault.0.loss"].is_number_float());
  EXPECT_EQ(s["fault.0.loss"].get<double>(), 0.25);
  EXPECT_TRUE(s["fault.0.ratio"].is_number_float());
  EXPECT_EQ(s["kernel.client.tcp_keepalive_time"].get<std::int64_t>(), std::int64_t{1} << 40);

  const auto& run0 = c.at("runs").at(0);
  EXPECT_EQ(run0.at("repeat"), 0);
  EXPECT_EQ(run0.at("client").at("detected"), true);
  EXPECT_EQ(run0.at("client").at("detect_s").get<double>(), 3.998);
  EXPECT_EQ(run0.at("client").at("cause"), "serveralive");
  EXPECT_EQ(run0.at("client").at("exit_status"), 255);
  EXPECT_TRUE(run0.at("server").at("detect_s").is_null());
  EXPECT_EQ(run0.at("server").at("cause"), "none");
  EXPECT_FALSE(run0.at("server").contains("exit_status"));
  EXPECT_TRUE(run0.at("error").is_null());
  EXPECT_EQ(run0.at("fault_counters").at("dropped_packets"), 42);
  EXPECT_EQ(run0.at("timeline").at(0).at("t_s").get<double>(), -0.5);
  EXPECT_EQ(run0.at("timeline").at(0).at("source"), "client.stdout");
  EXPECT_EQ(c.at("runs").at(1).at("client").at("cause"), "tcp-retransmit");

  EXPECT_EQ(j["cases"][1]["runs"][0].at("error"), "sshd exited before listening");
}

TEST(Results, ValueToJsonKeepsTheType) {
  EXPECT_TRUE(value_to_json(Value{std::int64_t{5}}).is_number_integer());
  EXPECT_TRUE(value_to_json(Value{5.0}).is_number_float());
  EXPECT_TRUE(value_to_json(Value{true}).is_boolean());
  EXPECT_EQ(value_to_json(Value{std::string("yes")}), "yes");
}

// ---- Cleanup ---------------------------------------------------------------------------------

struct NetnsName {
  std::string name;
  std::string id;
};

void PrintTo(const NetnsName& n, std::ostream* os) { *os << "'" << n.name << "' → '" << n.id << "'"; }

class RunIdOfNetns : public ::testing::TestWithParam<NetnsName> {};

TEST_P(RunIdOfNetns, ExtractsOnlyOurIds) {
  EXPECT_EQ(Cleanup::run_id_of_netns(GetParam().name), GetParam().id) << "name '" << GetParam().name << "'";
}

INSTANTIATE_TEST_SUITE_P(Table, RunIdOfNetns,
                         ::testing::Values(NetnsName{"dpab12cd-3-c", "ab12cd"}, NetnsName{"dp012345-0-r", "012345"},
                                           NetnsName{"dpzzzzzz-12-s", "zzzzzz"},
                                           NetnsName{"dpprobe-123", ""},   // Capabilities' probe
                                           NetnsName{"eth0", ""}, NetnsName{"dpAB12cd-1-c", ""},
                                           NetnsName{"dpab12c-1-c", ""},   // 5 chars
                                           NetnsName{"dpab12cde-1-c", ""},  // 7 chars
                                           NetnsName{"dpab12cd", ""},      // no dash
                                           NetnsName{"dp-ab12cd-1-c", ""}, NetnsName{"xdpab12cd-1-c", ""},
                                           NetnsName{"dp", ""}, NetnsName{"", ""}));

// ---- SideContext -----------------------------------------------------------------------------

scenario::Setting opt(const std::string& key, Value v) { return scenario::Setting{key, std::move(v), {}}; }

const char* name(TcpHint h) {
  switch (h) {
    case TcpHint::unknown: return "unknown";
    case TcpHint::data_in_flight: return "data_in_flight";
    case TcpHint::idle: return "idle";
  }
  return "?";
}

TEST(SideContext, ServerAliveIntervalDecidesTheIdleClientsHint) {
  scenario::Scenario sc;
  sc.traffic.pattern = scenario::Pattern::idle;
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "idle");  // no keepalives at all

  sc.client = {opt("ServerAliveInterval", std::int64_t{0})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "idle");
  sc.client = {opt("ServerAliveInterval", std::int64_t{1})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");
  sc.client = {opt("serveraliveinterval", std::int64_t{15})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");
  sc.client = {opt("SERVERALIVEINTERVAL", std::int64_t{0})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "idle");
  // ssh time formats: "5s" is five seconds, "0s" none.
  sc.client = {opt("ServerAliveInterval", std::string("5s"))};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");
  sc.client = {opt("ServerAliveInterval", std::string("0s"))};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "idle");
}

TEST(SideContext, FirstValueWinsAsInSshConfig) {
  scenario::Scenario sc;
  sc.client = {opt("ServerAliveInterval", std::int64_t{0}), opt("serveraliveinterval", std::int64_t{5})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "idle");
  sc.client = {opt("serveraliveinterval", std::int64_t{5}), opt("ServerAliveInterval", std::int64_t{0})};
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");

  sc.server = {opt("ClientAliveInterval", std::int64_t{0}), opt("CLIENTALIVEINTERVAL", std::int64_t{2})};
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "idle");
}

TEST(SideContext, ClientAliveIntervalDecidesTheServersHint) {
  scenario::Scenario sc;
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "idle");
  sc.server = {opt("ClientAliveInterval", std::int64_t{2})};
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "data_in_flight");
  sc.server = {opt("clientaliveinterval", std::int64_t{0})};
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "idle");
  // The client's keepalives say nothing about the server's side.
  sc.server = {};
  sc.client = {opt("ServerAliveInterval", std::int64_t{1})};
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "idle");
}

TEST(SideContext, TrafficPatternPutsDataInFlight) {
  scenario::Scenario sc;
  sc.client = {opt("ServerAliveInterval", std::int64_t{0})};
  sc.traffic.pattern = scenario::Pattern::interactive;
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "idle");  // echoes only what it was sent
  sc.traffic.pattern = scenario::Pattern::stream;
  EXPECT_STREQ(name(SideContext(sc).client_hint()), "data_in_flight");
  EXPECT_STREQ(name(SideContext(sc).server_hint()), "data_in_flight");
}

TEST(SideContext, OptionLooksUpRenderedValuesIgnoringCase) {
  const std::vector<scenario::Setting> s = {opt("TCPKeepAlive", false), opt("ServerAliveCountMax", std::int64_t{3}),
                                            opt("tcpkeepalive", true)};
  EXPECT_EQ(SideContext::option(s, "tcpkeepalive"), std::optional<std::string>("no"));
  EXPECT_EQ(SideContext::option(s, "SERVERALIVECOUNTMAX"), std::optional<std::string>("3"));
  EXPECT_EQ(SideContext::option(s, "ServerAliveInterval"), std::nullopt);
  EXPECT_EQ(SideContext::option({}, "ServerAliveInterval"), std::nullopt);
}

}  // namespace
}  // namespace deadpeer::run
