// ScenarioParser on invalid input: every kind of mistake yields a diagnostic at the exact
// file:line:column with a hint, and all mistakes in a file are reported together.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenario/ScenarioParser.hpp"

namespace deadpeer::scenario {
namespace {

const std::string kData = DEADPEER_SCENARIO_TEST_DATA;

std::vector<std::string> errors_of(const std::string& toml) {
  try {
    parse_string(toml, "t.toml");
  } catch (const ScenarioError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) lines.push_back(d.str());
    return lines;
  }
  ADD_FAILURE() << "no ScenarioError for:\n" << toml;
  return {};
}

// The single diagnostic expected for `toml`, as "t.toml:line:col: error: message (hint)".
std::string error_of(const std::string& toml) {
  auto lines = errors_of(toml);
  EXPECT_EQ(lines.size(), 1u) << ::testing::PrintToString(lines);
  return lines.empty() ? "" : lines.front();
}

TEST(ScenarioErrors, TraceMustBeABoolean) {
  EXPECT_EQ(error_of("name = \"t\"\ntrace = \"yes\"\n"),
            "t.toml:2:9: error: 'trace' = \"yes\" is a string, expected a boolean (write trace = true or trace = false)");
  EXPECT_NE(error_of("name = \"t\"\ntrace_ = true\n").find("did you mean 'trace'"), std::string::npos);
}

TEST(ScenarioErrors, AllErrorsOfAFileInFileOrder) {
  const std::string f = kData + "/many_errors.toml";
  try {
    parse_file(f);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    const std::string expected =
        f +
        ":1:8: error: 'name' = \"bad name\" is not a valid scenario name (use letters, digits, '.', '_' and '-' "
        "only; the name becomes part of case ids and paths)\n" +
        f + ":2:1: error: unknown key 'horizn' at the top level (did you mean 'horizon'?)\n" + f +
        ":3:10: error: 'repeat' = 0 is out of range (valid range: 1..1000)\n" + f +
        ":6:23: error: 'client.ServerAliveInterval' is an array, not a single value (write a single integer, "
        "float, boolean or string (ssh lists are one comma-separated string: \"aes128-ctr,aes256-ctr\"))\n" +
        f +
        ":9:1: error: unknown sysctl 'tcp_keepalive_tim' in [kernel.client] (did you mean 'tcp_keepalive_time'?)\n" +
        f + ":12:11: error: 'pattern' = \"idel\" is not a traffic pattern (did you mean 'idle'?)\n" + f +
        ":14:1: error: [[fault]] #0 has no 'kind' (add kind = \"blackhole\" (or another fault kind))\n" + f +
        ":15:6: error: 'at' = \"-2s\" is not a duration: negative duration (valid forms: \"500ms\", \"2s\", "
        "\"1.5s\", \"2m\", \"1h\", \"1m30s\", or an integer number of seconds)";
    EXPECT_EQ(std::string(e.what()), expected);
    ASSERT_EQ(e.diagnostics().size(), 8u);
    EXPECT_EQ(e.diagnostics()[1].loc.line, 2);
    EXPECT_EQ(e.diagnostics()[1].loc.column, 1);
    EXPECT_EQ(e.diagnostics()[1].message, "unknown key 'horizn' at the top level");
    EXPECT_EQ(e.diagnostics()[1].hint, "did you mean 'horizon'?");
  }
}

TEST(ScenarioErrors, MalformedTomlPointsAtTomlppLocation) {
  EXPECT_EQ(error_of("name = \"x\"\nrepeat = [1,\nhorizon = 3\n"),
            "t.toml:3:1: error: invalid TOML: Error while parsing value: could not determine value type "
            "(see https://toml.io for the syntax)");
}

TEST(ScenarioErrors, MissingName) {
  EXPECT_EQ(error_of("repeat = 2\n"),
            "t.toml:1:1: error: missing required key 'name' (add name = \"my-scenario\" at the top)");
}

TEST(ScenarioErrors, UnknownTopLevelKeyCaseInsensitive) {
  EXPECT_EQ(error_of("name = \"x\"\nHorizon = \"3s\"\n"),
            "t.toml:2:1: error: unknown key 'Horizon' at the top level (did you mean 'horizon'?)");
}

TEST(ScenarioErrors, UnknownKeyFarFromAnyListsTheValidOnes) {
  EXPECT_EQ(error_of("name = \"x\"\ncolour = 1\n"),
            "t.toml:2:1: error: unknown key 'colour' at the top level (expected one of: name, repeat, horizon, trace, "
            "implementation, client, server, kernel, traffic, fault, matrix, expect)");
}

TEST(ScenarioErrors, UnknownKeysInTrafficAndImplementation) {
  EXPECT_EQ(error_of("name = \"x\"\n[traffic]\npatern = \"idle\"\n"),
            "t.toml:3:1: error: unknown key 'patern' in [traffic] (did you mean 'pattern'?)");
  EXPECT_EQ(error_of("name = \"x\"\nimplementation = { clinet = \"openssh\" }\n"),
            "t.toml:2:20: error: unknown key 'clinet' in [implementation] (did you mean 'client'?)");
  EXPECT_EQ(error_of("name = \"x\"\nimplementation = { client = \"openssl\" }\n"),
            "t.toml:2:29: error: 'implementation.client' = \"openssl\" is not an ssh implementation "
            "(did you mean 'openssh'?)");
}

TEST(ScenarioErrors, RepeatAndHorizonBounds) {
  EXPECT_EQ(error_of("name = \"x\"\nrepeat = 1001\n"),
            "t.toml:2:10: error: 'repeat' = 1001 is out of range (valid range: 1..1000)");
  EXPECT_EQ(error_of("name = \"x\"\nrepeat = \"3\"\n"),
            "t.toml:2:10: error: 'repeat' = \"3\" is a string, not an integer (write an integer in 1..1000, "
            "without quotes)");
  EXPECT_EQ(error_of("name = \"x\"\nhorizon = \"25h\"\n"),
            "t.toml:2:11: error: 'horizon' = \"25h\" is longer than the maximum of 24h");
  EXPECT_EQ(error_of("name = \"x\"\nhorizon = 0\n"),
            "t.toml:2:11: error: 'horizon' = 0 must be greater than zero (valid forms: \"500ms\", \"2s\", \"1.5s\", "
            "\"2m\", \"1h\", \"1m30s\", or an integer number of seconds)");
  EXPECT_EQ(error_of("name = \"x\"\nhorizon = 1.5\n"),
            "t.toml:2:11: error: 'horizon' = 1.5 is a float, not a duration (valid forms: \"500ms\", \"2s\", "
            "\"1.5s\", \"2m\", \"1h\", \"1m30s\", or an integer number of seconds)");
}

TEST(ScenarioErrors, OptionNamesAndValues) {
  EXPECT_EQ(error_of("name = \"x\"\n[client]\n\"Server Alive\" = 1\n"),
            "t.toml:3:1: error: 'Server Alive' in [client] is not an option name (option names are letters and "
            "digits, e.g. ServerAliveInterval)");
  EXPECT_EQ(error_of("name = \"x\"\n[server]\nClientAliveInterval = 1\nclientaliveinterval = 2\n"),
            "t.toml:4:1: error: option 'clientaliveinterval' is set twice in [server] (first at t.toml:3:1) "
            "(ssh option names ignore case; keep one)");
  EXPECT_EQ(error_of("name = \"x\"\n[client]\nServerAlive.Interval = 1\n"),
            "t.toml:3:1: error: 'client.ServerAlive' is a table, not a single value (write a single integer, "
            "float, boolean or string (a dotted key such as a.b = 1 makes a table))");
  EXPECT_EQ(error_of("name = \"x\"\nclient = 3\n"),
            "t.toml:2:10: error: 'client' is an integer, expected a table (write it as a [client] section)");
}

TEST(ScenarioErrors, Sysctls) {
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.client]\ntcp_keepalive_probes = 200\n"),
            "t.toml:3:24: error: sysctl 'tcp_keepalive_probes' = 200 is out of range (valid range: 1..127)");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.server]\ntcp_keepalive_time = 0\n"),
            "t.toml:3:22: error: sysctl 'tcp_keepalive_time' = 0 is out of range (valid range: 1..32767 seconds)");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.server]\ntcp_retries2 = 256\n"),
            "t.toml:3:16: error: sysctl 'tcp_retries2' = 256 is out of range (valid range: 0..255)");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.client]\ntcp_keepalive_time = \"5s\"\n"),
            "t.toml:3:22: error: sysctl 'tcp_keepalive_time' = \"5s\" is a string, not an integer (write a bare "
            "integer of seconds, e.g. tcp_keepalive_time = 1)");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.client]\nnf_conntrack_tcp_timeout_established = 60\n"),
            "t.toml:3:1: error: unknown sysctl 'nf_conntrack_tcp_timeout_established' in [kernel.client] "
            "(conntrack lives on the router: move it to [kernel.router])");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.client]\n\"net.ipv4.tcp_retries2\" = 5\n"),
            "t.toml:3:1: error: unknown sysctl 'net.ipv4.tcp_retries2' in [kernel.client] (write sysctl names "
            "without the 'net.ipv4.' prefix: 'tcp_retries2')");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.client]\nnet.ipv4.tcp_retries2 = 5\n"),
            "t.toml:3:1: error: unknown sysctl 'net.ipv4.tcp_retries2' in [kernel.client] (write sysctl names "
            "without the 'net.ipv4.' prefix: 'tcp_retries2')");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.switch]\ntcp_retries2 = 5\n"),
            "t.toml:2:9: error: unknown key 'switch' in [kernel] (expected one of: client, server, router)");
  EXPECT_EQ(error_of("name = \"x\"\n[kernel.routr]\n"),
            "t.toml:2:9: error: unknown key 'routr' in [kernel] (did you mean 'router'?)");
}

TEST(ScenarioErrors, Faults) {
  EXPECT_EQ(error_of("name = \"x\"\n[fault]\nkind = \"blackhole\"\nat = 1\n"),
            "t.toml:2:1: error: 'fault' is a table, expected an array of tables (write each fault as a [[fault]] "
            "section (double brackets))");
  EXPECT_EQ(error_of("name = \"x\"\n[[fault]]\nkind = \"blackhole\"\n"),
            "t.toml:2:1: error: [[fault]] #0 has no 'at' (add at = \"2s\": when the fault starts, after steady state)");
  EXPECT_EQ(error_of("name = \"x\"\n[[fault]]\nkind = \"a b\"\nat = 1\n"),
            "t.toml:3:8: error: 'kind' = \"a b\" in [[fault]] #0 is not a fault kind (write a name such as "
            "kind = \"blackhole\")");
  EXPECT_EQ(
      error_of("name = \"x\"\n[[fault]]\nkind = \"k\"\nat = 1\n[[fault]]\nkind = \"k\"\nat = 1\nduration = \"0s\"\n"),
      "t.toml:8:12: error: 'duration' = \"0s\" must be greater than zero (valid forms: \"500ms\", \"2s\", "
      "\"1.5s\", \"2m\", \"1h\", \"1m30s\", or an integer number of seconds)");
  EXPECT_EQ(error_of("name = \"x\"\n[[fault]]\nkind = \"k\"\nat = 1\nports = [22, 23]\n"),
            "t.toml:5:9: error: 'fault.ports' is an array, not a single value (write a single integer, float, "
            "boolean or string (ssh lists are one comma-separated string: \"aes128-ctr,aes256-ctr\"))");
}

TEST(ScenarioErrors, Matrix) {
  const std::string head = "name = \"x\"\n[[fault]]\nkind = \"k\"\nat = 1\n[matrix]\n";  // matrix keys on line 6
  EXPECT_EQ(error_of(head + "clinet.ServerAliveInterval = [1]\n"),
            "t.toml:6:1: error: matrix key 'clinet.ServerAliveInterval': 'clinet' is not something a matrix can "
            "vary (did you mean 'client'?)");
  EXPECT_EQ(error_of(head + "\"client.ServerAliveInterval\" = 1\n"),
            "t.toml:6:32: error: matrix key 'client.ServerAliveInterval' is an integer, expected an array of values "
            "(write client.ServerAliveInterval = [value1, value2])");
  EXPECT_EQ(error_of(head + "\"client.ServerAliveInterval\" = []\n"),
            "t.toml:6:32: error: matrix key 'client.ServerAliveInterval' has no values (give at least one value)");
  EXPECT_EQ(error_of(head + "kernel.client.tcp_keepalive_time = [10, 0]\n"),
            "t.toml:6:41: error: sysctl 'tcp_keepalive_time' = 0 is out of range (valid range: 1..32767 seconds)");
  EXPECT_EQ(error_of(head + "\"fault.at\" = [\"1s\", \"soon\"]\n"),
            "t.toml:6:21: error: 'fault.at' = \"soon\" is not a duration: expected a number at position 1 (valid "
            "forms: \"500ms\", \"2s\", \"1.5s\", \"2m\", \"1h\", \"1m30s\", or an integer number of seconds)");
  EXPECT_EQ(error_of(head + "\"fault.3.at\" = [1]\n"),
            "t.toml:6:1: error: matrix key 'fault.3.at': no fault number '3' (faults are numbered from 0 in file "
            "order; this scenario has 1)");
  EXPECT_EQ(error_of(head + "traffic.pattern = [\"idle\", \"bulk\"]\n"),
            "t.toml:6:28: error: 'pattern' = \"bulk\" is not a traffic pattern (expected one of: idle, "
            "interactive, stream, forward)");
  EXPECT_EQ(error_of(head + "\"client.X\" = [1]\nclient.X = [2]\n"),
            "t.toml:7:1: error: matrix key 'client.X' is given twice (first at t.toml:6:1) (merge the values into "
            "one array)");
  EXPECT_EQ(error_of(head + "client.X = [[1, 2]]\n"),
            "t.toml:6:13: error: 'matrix client.X element' is an array, not a single value (write a single integer, "
            "float, boolean or string (ssh lists are one comma-separated string: \"aes128-ctr,aes256-ctr\"))");
  EXPECT_EQ(error_of("name = \"x\"\n[matrix]\n\"fault.at\" = [1]\n"),
            "t.toml:3:1: error: matrix key 'fault.at': the scenario has no [[fault]] to vary (add a [[fault]] table)");
}

TEST(ScenarioErrors, MatrixTooManyCases) {
  std::string toml = "name = \"x\"\n[matrix]\n";
  const std::string hundred = [] {
    std::string s = "[";
    for (int i = 1; i <= 100; ++i) s += std::to_string(i) + (i < 100 ? "," : "]");
    return s;
  }();
  toml += "client.A = " + hundred + "\nclient.B = " + hundred + "\nclient.C = [1, 2]\n";
  EXPECT_EQ(error_of(toml),
            "t.toml:5:1: error: [matrix] yields more than 10000 cases (use fewer axes or fewer values)");
}

}  // namespace
}  // namespace deadpeer::scenario
