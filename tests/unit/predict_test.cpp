// `deadpeer predict` through its real parsing and rendering (run_predict, predict_cases): flags
// and scenario files to model inputs, defaults, strict input checks with exit 2, the readable
// report and the validation verdicts. Versions come from a fixed lookup, never the machine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/Command.hpp"
#include "cli/HumanTime.hpp"
#include "cli/ModelValidation.hpp"
#include "cli/PredictCommand.hpp"
#include "cli/PredictInputs.hpp"

namespace deadpeer::cli {
namespace {

using scenario::Implementation;

ResolvedVersion fixed(Implementation impl, bool) {
  return impl == Implementation::dropbear ? ResolvedVersion{{2022, 83}, "test"} : ResolvedVersion{{9, 2}, "test"};
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome predict(const PredictArgs& args) {
  std::ostringstream out, err;
  const int code = run_predict(args, out, err, fixed);
  return {code, out.str(), err.str()};
}

model::Prediction only(const PredictArgs& args) {
  const auto cases = predict_cases(args, fixed);
  EXPECT_EQ(cases.size(), 1u);
  return model::predict(cases.at(0).inputs);
}

void expect_bad(const PredictArgs& args, const std::string& says) {
  const Outcome r = predict(args);
  EXPECT_EQ(r.code, kBadInput) << r.out;
  EXPECT_NE(r.err.find(says), std::string::npos) << "stderr: " << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(PredictDefaults, NothingSetMeansKernelKeepaliveAfterTwoHours) {
  const Outcome r = predict({});
  ASSERT_EQ(r.code, kOk) << r.err;
  // TCPKeepAlive yes with a fresh namespace's 7200 s + 9 × 75 s, on both sides.
  EXPECT_NE(r.out.find("fault blackhole at t0; traffic idle; rtt 0.2 ms"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client  ssh (OpenSSH 9.2, test)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("server  sshd (OpenSSH 9.2, test)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ServerAliveInterval 0 (off), ServerAliveCountMax 3, TCPKeepAlive yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tcp_keepalive_time 2 h,"), std::string::npos) << r.out;
  // Idle: the last segment may be a keepalive answer up to 7200 s old.
  EXPECT_NE(r.out.find("notices     675–7875 s (11 min 15 s – 2 h 11 min 15 s) after the fault"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("rule        tcp-keepalive"), std::string::npos) << r.out;
  // Measured at small scale only (up to 9.1 s): an honest "extrapolated".
  EXPECT_NE(r.out.find("extrapolated: the rule was measured only up to 9.1 s"), std::string::npos) << r.out;
  const auto p = only({});
  ASSERT_TRUE(p.client.window);
  EXPECT_NEAR(p.client.window->hi_s, 7875.0, 1e-6);
}

TEST(PredictFlags, ServerAliveFromTheCommandLine) {
  PredictArgs a;
  a.client = {"ServerAliveInterval=1", "ServerAliveCountMax=3"};
  a.server = {"ClientAliveInterval=1"};
  const auto p = only(a);
  ASSERT_TRUE(p.client.window);
  EXPECT_EQ(p.client.rule, "openssh-serveralive");
  EXPECT_NEAR(p.client.window->lo_s, 2.9998, 1e-6);
  EXPECT_NEAR(p.client.window->hi_s, 4.0, 1e-6);
  EXPECT_EQ(p.server.rule, "sshd-clientalive-double-interval");
  const Outcome r = predict(a);
  EXPECT_NE(r.out.find("notices     2.9998–4 s after the fault"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("validation  measured at this scale"), std::string::npos) << r.out;
}

TEST(PredictFlags, KeysAreCaseInsensitiveAndTimesUseSshSyntax) {
  PredictArgs a;
  a.client = {"serveraliveinterval = 1m", "SERVERALIVECOUNTMAX=2"};
  const auto p = only(a);
  ASSERT_TRUE(p.client.window);
  EXPECT_NEAR(p.client.window->hi_s, 180.0, 1e-6);
  // 3 min is far beyond the 4 s measured for this rule.
  EXPECT_NE(ModelValidation::verdict(p.client).find("extrapolated"), std::string::npos);
}

TEST(PredictFlags, VersionAndRttChangeTheRule) {
  PredictArgs a;
  a.server = {"ClientAliveInterval=1"};
  a.server_version = "OpenSSH_9.5p1";
  a.rtt = "20ms";
  const auto p = only(a);
  EXPECT_EQ(p.server.rule, "sshd-clientalive");  // 9.5 fixed the doubled interval
  ASSERT_TRUE(p.server.window);
  EXPECT_NEAR(p.server.window->lo_s, 4 - 1.02, 1e-6);
}

TEST(PredictFlags, DropbearSidesMapTheirOptions) {
  PredictArgs a;
  a.server_impl = "dropbear";
  a.client_impl = "dropbear";
  a.server = {"ClientAliveInterval=1"};
  a.client = {"IdleTimeout=60", "TCPKeepAlive=no"};
  const auto p = only(a);
  EXPECT_EQ(p.server.rule, "dropbear-keepalive");
  ASSERT_TRUE(p.server.window);
  EXPECT_NEAR(p.server.window->lo_s, 0.9998, 1e-6);  // -K 1: up to 1 s early (SshKeepalive::early_s)
  EXPECT_NEAR(p.server.window->hi_s, 3.0, 1e-6);
  const Outcome r = predict(a);
  EXPECT_NE(r.out.find("server  dropbear (Dropbear 2022.83, test)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-K 1 s from ClientAliveInterval, -I 0 (off) from IdleTimeout"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("client  dbclient"), std::string::npos) << r.out;
}

TEST(PredictFlags, OptionsTheModelDoesNotReadAreListed) {
  PredictArgs a;
  a.client = {"Ciphers=aes128-ctr"};
  a.kernel_server = {"tcp_syn_retries=3"};
  const Outcome r = predict(a);
  ASSERT_EQ(r.code, kOk) << r.err;
  EXPECT_NE(r.out.find("not used by the model:\n  client Ciphers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kernel.server tcp_syn_retries"), std::string::npos) << r.out;
}

TEST(PredictFlags, KernelSysctlsWithOrWithoutPrefix) {
  PredictArgs a;
  a.kernel_client = {"net.ipv4.tcp_keepalive_time=2", "tcp_keepalive_intvl=1", "tcp_keepalive_probes=2"};
  const auto p = only(a);
  EXPECT_EQ(p.client.rule, "tcp-keepalive");
  ASSERT_TRUE(p.client.window);
  EXPECT_NEAR(p.client.window->hi_s, 4.0, 1e-6);
}

TEST(PredictFlags, FaultAndTraffic) {
  PredictArgs a;
  a.fault = "drop";
  a.fault_params = {"direction=to-server"};
  a.client = {"ServerAliveInterval=5"};
  a.traffic = "interactive";
  a.interval = "500ms";
  const Outcome r = predict(a);
  ASSERT_EQ(r.code, kOk) << r.err;
  EXPECT_NE(r.out.find("fault drop direction=to-server at t0; traffic interactive every 0.5 s"), std::string::npos)
      << r.out;
}

TEST(PredictBadInput, MalformedKeyValue) {
  PredictArgs a;
  a.client = {"ServerAliveInterval"};
  expect_bad(a, "--client 'ServerAliveInterval': expected KEY=VALUE");
  a.client = {"=5"};
  expect_bad(a, "expected KEY=VALUE");
  a.client = {"ServerAliveInterval="};
  expect_bad(a, "expected KEY=VALUE");
  a.client = {};
  a.kernel_client = {"tcp_keepalive_time"};
  expect_bad(a, "--kernel-client 'tcp_keepalive_time': expected KEY=VALUE, e.g. --kernel-client tcp_keepalive_time=60");
}

TEST(PredictBadInput, ValuesTheModelCannotRead) {
  PredictArgs a;
  a.client = {"ServerAliveInterval=soon"};
  expect_bad(a, "'soon' is not a time");
  a.client = {"ServerAliveCountMax=-1"};
  expect_bad(a, "is not a count");
  a.client = {"TCPKeepAlive=maybe"};
  expect_bad(a, "is not yes or no");
}

TEST(PredictBadInput, TyposAndWrongSides) {
  PredictArgs a;
  a.client = {"ServerAliveIntervall=1"};
  expect_bad(a, "did you mean 'ServerAliveInterval'");
  a.client = {"ClientAliveInterval=1"};
  expect_bad(a, "is a server (sshd_config) option; use --server");
  a.client = {};
  a.server = {"ServerAliveCountMax=1"};
  expect_bad(a, "use --client");
}

TEST(PredictBadInput, Sysctls) {
  PredictArgs a;
  a.kernel_client = {"tcp_keepalive_tme=5"};
  expect_bad(a, "did you mean 'tcp_keepalive_time'");
  a.kernel_client = {"tcp_keepalive_time=0"};
  expect_bad(a, "out of range");
  a.kernel_client = {"tcp_keepalive_time=5s"};
  expect_bad(a, "not an integer");
}

TEST(PredictBadInput, FaultsTrafficImplementationsVersions) {
  PredictArgs a;
  a.fault = "meteor";
  expect_bad(a, "no rule for fault 'meteor'");
  a.fault = "drop";
  a.fault_params = {"direction=sideways"};
  expect_bad(a, "direction must be both, to-server or to-client");
  a.fault_params = {"directon=to-server"};
  expect_bad(a, "did you mean 'direction'");
  a = {};
  a.traffic = "bursty";
  expect_bad(a, "--traffic 'bursty'");
  a = {};
  a.interval = "often";
  expect_bad(a, "--interval 'often'");
  a = {};
  a.server_impl = "tinyssh";
  expect_bad(a, "--implementation-server 'tinyssh': expected openssh or dropbear");
  a = {};
  a.client_version = "latest";
  expect_bad(a, "--client-version 'latest'");
}

TEST(PredictBadInput, OptionsDropbearCannotHonour) {
  PredictArgs a;
  a.server_impl = "dropbear";
  a.server = {"ClientAliveCountMax=5"};
  expect_bad(a, "always gives up after 3 unanswered keepalive intervals");
  a.server = {"MaxStartups=10"};
  expect_bad(a, "'MaxStartups' has no Dropbear equivalent");
}

class PredictScenario : public ::testing::Test {
 protected:
  std::string file(const std::string& toml) {
    const auto dir = std::filesystem::temp_directory_path() / ("predict_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "s.toml";
    std::ofstream(path) << toml;
    dir_ = dir;
    return path.string();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
};

TEST_F(PredictScenario, FlagsOverrideTheFileAndMatrixCasesArePredictedEach) {
  PredictArgs a;
  a.scenario = file(R"(
name = "demo"
[client]
ServerAliveInterval = 5
[server]
ClientAliveInterval = 2
[[fault]]
kind = "blackhole"
at = "2s"
[matrix]
"server.ClientAliveCountMax" = [1, 3]
)");
  a.client = {"serveraliveinterval=1"};
  const auto cases = predict_cases(a, fixed);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].label, "demo/0");
  for (const auto& c : cases) {
    const auto p = model::predict(c.inputs);
    ASSERT_TRUE(p.client.window);
    EXPECT_NEAR(p.client.window->hi_s, 4.0, 1e-6);  // the flag's 1 s, not the file's 5 s
  }
  EXPECT_NEAR(model::predict(cases[0].inputs).server.window->hi_s, 8.0, 1e-6);   // 2·2 s × (1 + 1)
  EXPECT_NEAR(model::predict(cases[1].inputs).server.window->hi_s, 16.0, 1e-6);  // 2·2 s × (3 + 1)
  const Outcome r = predict(a);
  EXPECT_NE(r.out.find("case demo/0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("case demo/1"), std::string::npos) << r.out;
}

TEST_F(PredictScenario, ScenarioErrorsAreBadInputWithTheirLocation) {
  PredictArgs a;
  a.scenario = file("name = \"x\"\nhorizn = \"5s\"\n[[fault]]\nkind = \"blackhole\"\n");
  const Outcome r = predict(a);
  EXPECT_EQ(r.code, kBadInput);
  EXPECT_NE(r.err.find("s.toml:2:"), std::string::npos) << r.err;
  a.scenario = "/nonexistent/deadpeer.toml";
  EXPECT_EQ(predict(a).code, kBadInput);
}

TEST(HumanTime, LongTimesInHoursAndMinutes) {
  EXPECT_EQ(human_duration(3.5), "3.5 s");
  EXPECT_EQ(human_duration(150), "2 min 30 s");
  EXPECT_EQ(human_duration(7875), "2 h 11 min 15 s");
  EXPECT_EQ(human_duration(7200), "2 h");
  EXPECT_EQ(human_duration(3605), "1 h 0 min 5 s");
  EXPECT_EQ(human_duration(3660), "1 h 1 min");
  EXPECT_EQ(human_window({928.896, 930.896}), "928.896–930.896 s (15 min 29 s – 15 min 31 s)");
}

}  // namespace
}  // namespace deadpeer::cli
