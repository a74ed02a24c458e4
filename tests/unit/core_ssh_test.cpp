// SshServer::render_config and SshClient's arguments, config and remote command, without a lab.
// Keys come from the real ssh-keygen (skipped, with the reason, when it is not installed); the
// real sshd -T and ssh -G then confirm that what was rendered means what the harness intends.
// Nothing here needs root or a namespace.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "proc/Process.hpp"
#include "proc/SshClient.hpp"
#include "proc/SshKeys.hpp"
#include "proc/SshServer.hpp"
#include "sys/TempDir.hpp"
#include "core_test_support.hpp"

namespace deadpeer::proc {
namespace {

using scenario::Setting;
using scenario::SourceLoc;

using testing::EnvGuard;
using testing::kFixtures;
using testing::index_of;
using testing::lines_of;
using testing::read_file;

long count_starting_with(const std::vector<std::string>& lines, const std::string& prefix) {
  return std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
}

// ---- SshServer / SshClient rendering ---------------------------------------------------------

class SshRender : public ::testing::Test {
 protected:
  static constexpr const char* kKeygen = "/usr/bin/ssh-keygen";
  static constexpr const char* kServer = "203.0.113.2";

  static void SetUpTestSuite() {
    if (::access(kKeygen, X_OK) != 0) {
      skip_ = std::string(kKeygen) + " is not installed (apt install openssh-client)";
      return;
    }
    char pattern[] = "/tmp/deadpeer-core-keys-XXXXXX";
    if (!::mkdtemp(pattern)) {
      error_ = "mkdtemp /tmp/deadpeer-core-keys-XXXXXX failed";
      return;
    }
    base_ = pattern;
    try {
      dir_ = std::make_unique<sys::TempDir>(base_ + "/run");
      keys_ = std::make_unique<SshKeys>(*dir_, kServer);
    } catch (const std::exception& e) {
      error_ = std::string("generating keys: ") + e.what();
    }
  }
  static void TearDownTestSuite() {
    keys_.reset();
    dir_.reset();
    if (!base_.empty()) ::rmdir(base_.c_str());
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    ASSERT_TRUE(error_.empty()) << error_;
  }

  SshServerSpec server_spec(std::vector<Setting> options) const {
    return SshServerSpec{nullptr, nullptr, keys_.get(), dir_.get(), kServer, 22, std::move(options)};
  }
  SshClientSpec client_spec(std::vector<Setting> options) const {
    return SshClientSpec{nullptr, nullptr, keys_.get(), dir_.get(), kServer, 22, std::move(options),
                         SshClient::remote_command(scenario::Pattern::idle)};
  }

  EnvGuard env_{"DEADPEER_FIXTURES", kFixtures};
  static inline std::string skip_, error_, base_;
  static inline std::unique_ptr<sys::TempDir> dir_;
  static inline std::unique_ptr<SshKeys> keys_;
};

TEST_F(SshRender, KeysAreWrittenForTheServerAddress) {
  EXPECT_EQ(keys_->host_key(), dir_->file("host_ed25519"));
  EXPECT_EQ(keys_->user_key(), dir_->file("user_ed25519"));
  const std::string known = read_file(keys_->known_hosts());
  EXPECT_EQ(known.rfind(std::string(kServer) + " ssh-ed25519 ", 0), 0u) << known;
  EXPECT_EQ(known.substr(std::string(kServer).size() + 1), read_file(keys_->host_key() + ".pub"));
  EXPECT_EQ(read_file(keys_->authorized_keys()), read_file(keys_->user_key() + ".pub"));
  struct stat st {};
  ASSERT_EQ(::stat(keys_->known_hosts().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SshRender, ServerConfigPutsHarnessLinesBeforeTheScenarios) {
  const auto spec = server_spec({{"ClientAliveInterval", std::int64_t{1}, {}},
                                 {"ClientAliveCountMax", std::int64_t{3}, {}},
                                 {"TCPKeepAlive", false, {}},
                                 {"UseDNS", true, {}},
                                 {"Ciphers", std::string("aes128-ctr,aes256-ctr"), {}}});
  const std::string config = SshServer::render_config(spec);
  const auto lines = lines_of(config);
  EXPECT_EQ(config.find("{{"), std::string::npos) << config;

  // Harness-owned lines, exactly.
  const std::vector<std::string> owned = {"ListenAddress 203.0.113.2",
                                          "Port 22",
                                          "HostKey " + keys_->host_key(),
                                          "PidFile none",
                                          "AuthorizedKeysFile " + keys_->authorized_keys(),
                                          "PubkeyAuthentication yes",
                                          "PermitRootLogin prohibit-password",
                                          "UsePAM no",
                                          "LogLevel VERBOSE"};
  // The scenario's options, "Key value" with bools as yes/no, in the order given.
  const std::vector<std::string> user = {"ClientAliveInterval 1", "ClientAliveCountMax 3", "TCPKeepAlive no",
                                         "UseDNS yes", "Ciphers aes128-ctr,aes256-ctr"};
  long last_owned = -1;
  for (const auto& l : owned) {
    const long i = index_of(lines, l);
    EXPECT_NE(i, -1) << "missing '" << l << "' in\n" << config;
    last_owned = std::max(last_owned, i);
  }
  long prev_user = last_owned;
  for (const auto& l : user) {
    const long i = index_of(lines, l);
    ASSERT_NE(i, -1) << "missing '" << l << "' in\n" << config;
    EXPECT_GT(i, prev_user) << "'" << l << "' must follow the harness block and the previous option";
    prev_user = i;
  }
  EXPECT_EQ(count_starting_with(lines, "ListenAddress "), 1);
  EXPECT_EQ(count_starting_with(lines, "Port "), 1);
  // sshd keeps the first value: the scenario's UseDNS must come before the default.
  const long default_dns = index_of(lines, "UseDNS no");
  ASSERT_NE(default_dns, -1);
  EXPECT_LT(index_of(lines, "UseDNS yes"), default_dns);
}

TEST_F(SshRender, ServerConfigWithoutOptionsAndOtherPort) {
  auto spec = server_spec({});
  spec.listen_address = "198.51.100.7";
  spec.port = 2222;
  const auto lines = lines_of(SshServer::render_config(spec));
  EXPECT_NE(index_of(lines, "ListenAddress 198.51.100.7"), -1);
  EXPECT_NE(index_of(lines, "Port 2222"), -1);
  EXPECT_NE(index_of(lines, "# (none)"), -1);
  EXPECT_EQ(index_of(lines, "Port 22"), -1);
}

TEST_F(SshRender, RealSshdAcceptsTheRenderedConfig) {
  if (::access(SshServer::kExe, X_OK) != 0) GTEST_SKIP() << SshServer::kExe << " is not installed";
  struct stat st {};
  if (::stat("/run/sshd", &st) != 0) GTEST_SKIP() << "/run/sshd (sshd's privsep dir) is missing; sshd -t refuses";
  const std::string path = dir_->write("sshd_config_t", SshServer::render_config(server_spec(
                                                           {{"ClientAliveInterval", std::int64_t{1}, {}},
                                                            {"TCPKeepAlive", false, {}}})));
  const auto r = Process::run(SshServer::kExe, {"-T", "-f", path});
  ASSERT_EQ(r.status, 0) << r.out;
  const auto lines = lines_of(r.out);
  EXPECT_NE(index_of(lines, "listenaddress 203.0.113.2:22"), -1) << r.out;
  EXPECT_NE(index_of(lines, "clientaliveinterval 1"), -1) << r.out;
  EXPECT_NE(index_of(lines, "tcpkeepalive no"), -1) << r.out;
  EXPECT_NE(index_of(lines, "loglevel VERBOSE"), -1) << r.out;
}

TEST_F(SshRender, ClientConfigNamesTheKeysAndServer) {
  const std::string config = SshClient::render_config(client_spec({}));
  const auto lines = lines_of(config);
  EXPECT_EQ(config.find("{{"), std::string::npos) << config;
  EXPECT_NE(index_of(lines, "Host lab-server"), -1) << config;
  EXPECT_NE(index_of(lines, "HostName 203.0.113.2"), -1) << config;
  EXPECT_NE(index_of(lines, "Port 22"), -1) << config;
  EXPECT_NE(index_of(lines, "IdentityFile " + keys_->user_key()), -1) << config;
  EXPECT_NE(index_of(lines, "UserKnownHostsFile " + keys_->known_hosts()), -1) << config;
  EXPECT_NE(index_of(lines, "StrictHostKeyChecking yes"), -1) << config;
  EXPECT_NE(index_of(lines, "BatchMode yes"), -1) << config;
}

TEST_F(SshRender, ClientArgumentsCarryOptionsThenHostThenCommand) {
  const auto spec = client_spec({{"ServerAliveInterval", std::int64_t{1}, {}},
                                 {"ServerAliveCountMax", std::int64_t{3}, {}},
                                 {"TCPKeepAlive", false, {}}});
  const std::string config = "/tmp/some/run/ssh_config";
  const auto args = SshClient::arguments(spec, config);
  auto pair_at = [&](const std::string& a, const std::string& b) -> long {
    for (size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == a && args[i + 1] == b) return static_cast<long>(i);
    return -1;
  };
  std::string all;
  for (const auto& a : args) all += "'" + a + "' ";

  EXPECT_NE(pair_at("-F", config), -1) << all;
  const long sai = pair_at("-o", "ServerAliveInterval=1");
  const long sacm = pair_at("-o", "ServerAliveCountMax=3");
  const long tcp = pair_at("-o", "TCPKeepAlive=no");
  ASSERT_NE(sai, -1) << all;
  ASSERT_NE(sacm, -1) << all;
  ASSERT_NE(tcp, -1) << all;
  EXPECT_LT(sai, sacm) << all;
  EXPECT_LT(sacm, tcp) << all;

  ASSERT_GE(args.size(), 3u);
  const std::vector<std::string> tail(args.end() - 3, args.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"lab-server", "--", spec.remote_command})) << all;
  EXPECT_EQ(std::count(args.begin(), args.end(), "lab-server"), 1) << all;
  EXPECT_LT(tcp, static_cast<long>(args.size()) - 3) << "options must precede the host: " << all;
}

TEST_F(SshRender, RealSshResolvesTheArguments) {
  if (::access(SshClient::kExe, X_OK) != 0) GTEST_SKIP() << SshClient::kExe << " is not installed";
  auto spec = client_spec({{"ServerAliveInterval", std::int64_t{1}, {}}, {"TCPKeepAlive", false, {}}});
  const std::string config = dir_->write("ssh_config_g", SshClient::render_config(spec));
  auto args = SshClient::arguments(spec, config);
  args.insert(args.begin(), "-G");  // print the resolved configuration, connect nowhere
  const auto r = Process::run(SshClient::kExe, args);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto lines = lines_of(r.out);
  EXPECT_NE(index_of(lines, "hostname 203.0.113.2"), -1) << r.out;
  EXPECT_NE(index_of(lines, "port 22"), -1) << r.out;
  EXPECT_NE(index_of(lines, "serveraliveinterval 1"), -1) << r.out;
  EXPECT_NE(index_of(lines, "tcpkeepalive no"), -1) << r.out;
  EXPECT_NE(index_of(lines, "batchmode yes"), -1) << r.out;
}

TEST(SshClientCommand, EveryPatternPrintsTheReadyMarkerFirst) {
  EXPECT_STREQ(SshClient::kReadyMarker, "deadpeer-ready");
  for (auto p : {scenario::Pattern::idle, scenario::Pattern::interactive, scenario::Pattern::stream,
                 scenario::Pattern::forward}) {
    const std::string cmd = SshClient::remote_command(p);
    EXPECT_EQ(cmd.rfind("echo deadpeer-ready;", 0), 0u) << scenario::to_string(p) << ": " << cmd;
  }
  // idle: nothing flows after the marker unless a keepalive does.
  const std::string idle = SshClient::remote_command(scenario::Pattern::idle);
  EXPECT_EQ(idle.substr(idle.size() - 8), "exec cat") << idle;
  EXPECT_NE(SshClient::remote_command(scenario::Pattern::stream).find("/dev/zero"), std::string::npos);
}

}  // namespace
}  // namespace deadpeer::proc
