// OptionChecker against the real /usr/bin/ssh and /usr/sbin/sshd (check modes only: ssh -G
// and sshd -T never connect or listen). Skips with the reason when a binary is missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "proc/OptionChecker.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::proc {
namespace {

using scenario::Diagnostic;
using scenario::Setting;
using scenario::Value;

// All diagnostics, one per line, so a failure shows what the binary said.
std::string text(const std::vector<Diagnostic>& diagnostics) {
  std::string t;
  for (const auto& d : diagnostics) t += d.str() + "\n";
  return t;
}

#define REQUIRE_BINARY(path)                                                           \
  do {                                                                                 \
    if (!std::filesystem::exists(path)) GTEST_SKIP() << (path) << " is not installed"; \
  } while (0)

const SshBinaries kBin;

// Options with their file positions, as the parser would produce them.
scenario::Scenario parse(const std::string& toml) { return scenario::parse_string(toml, "o.toml"); }

TEST(OptionChecker, ValidClientOptionsPass) {
  REQUIRE_BINARY(kBin.ssh);
  const auto s = parse(R"(name = "x"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 3
TCPKeepAlive = false
ConnectTimeout = "5s"
Ciphers = "aes128-ctr,aes256-ctr"
)");
  EXPECT_EQ(text(OptionChecker(kBin).check_client_options(s.client)), "");
}

TEST(OptionChecker, NoOptionsNeedNoBinary) {
  SshBinaries missing;
  missing.ssh = "/nonexistent/ssh";
  missing.sshd = "/nonexistent/sshd";
  EXPECT_TRUE(OptionChecker(missing).check_client_options({}).empty());
  EXPECT_TRUE(OptionChecker(missing).check_server_options({}).empty());
}

TEST(OptionChecker, ClientTypoPointsAtTheOptionWithSuggestion) {
  REQUIRE_BINARY(kBin.ssh);
  const auto s = parse(R"(name = "x"
[client]
ServerAliveCountMax = 3
ServerAliveInterva = 1
)");
  const auto d = OptionChecker(kBin).check_client_options(s.client);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].str(),
            "o.toml:4:1: error: ssh rejects [client] ServerAliveInterva = 1: Bad configuration option: "
            "serveraliveinterva (did you mean 'serveraliveinterval'?)");
}

TEST(OptionChecker, SuggestionUsesTheUsersOwnSpelling) {
  REQUIRE_BINARY(kBin.ssh);
  // ssh keeps the first value it sees, so the typo and the real name can coexist in a file.
  const std::vector<Setting> options = {
      Setting{"TCPKeepAlives", Value{true}, {"o.toml", 3, 1}},
      Setting{"TCPKeepAlive", Value{true}, {"o.toml", 4, 1}},
  };
  const auto d = OptionChecker(kBin).check_client_options(options);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].loc.line, 3);
  EXPECT_EQ(d[0].hint, "did you mean 'TCPKeepAlive'?");
}

TEST(OptionChecker, EveryBadClientOptionIsReported) {
  REQUIRE_BINARY(kBin.ssh);
  const auto s = parse(R"(name = "x"
[client]
ConnectTimeout = "soon"
ServerAliveInterval = 2
Compression = "maybe"
Zzzzzzzzzz = 1
)");
  const auto d = OptionChecker(kBin).check_client_options(s.client);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].str(),
            "o.toml:3:1: error: ssh rejects [client] ConnectTimeout = \"soon\": invalid time value (this is ssh's "
            "own message; see man ssh_config for ConnectTimeout)");
  EXPECT_EQ(d[1].str(),
            "o.toml:5:1: error: ssh rejects [client] Compression = \"maybe\": unsupported option \"maybe\" (this is "
            "ssh's own message; see man ssh_config for Compression)");
  EXPECT_EQ(d[2].str(),
            "o.toml:6:1: error: ssh rejects [client] Zzzzzzzzzz = 1: Bad configuration option: zzzzzzzzzz (not a "
            "keyword of this ssh; see man ssh_config)");
}

TEST(OptionChecker, ValidServerOptionsPass) {
  REQUIRE_BINARY(kBin.sshd);
  REQUIRE_BINARY(kBin.ssh_keygen);
  const auto s = parse(R"(name = "x"
[server]
ClientAliveInterval = 2
ClientAliveCountMax = 3
TCPKeepAlive = "no"
UseDNS = false
)");
  EXPECT_EQ(text(OptionChecker(kBin).check_server_options(s.server)), "");
  EXPECT_TRUE(std::filesystem::is_directory(kBin.privsep_dir));
}

TEST(OptionChecker, ServerTypoAndBadValue) {
  REQUIRE_BINARY(kBin.sshd);
  REQUIRE_BINARY(kBin.ssh_keygen);
  const auto s = parse(R"(name = "x"
[server]
ClientAliveInterva = 2
ClientAliveCountMax = "x"
)");
  const auto d = OptionChecker(kBin).check_server_options(s.server);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].str(),
            "o.toml:3:1: error: sshd rejects [server] ClientAliveInterva = 2: Bad configuration option: "
            "ClientAliveInterva (did you mean 'clientaliveinterval'?)");
  EXPECT_EQ(d[1].str(),
            "o.toml:4:1: error: sshd rejects [server] ClientAliveCountMax = \"x\": ClientAliveCountMax integer value "
            "invalid (this is sshd's own message; see man sshd_config for ClientAliveCountMax)");
}

TEST(OptionChecker, MissingBinaryIsAnErrorOfTheCheckNotOfTheScenario) {
  SshBinaries missing;
  missing.ssh = "/nonexistent/ssh";
  const std::vector<Setting> options = {Setting{"ServerAliveInterval", Value{std::int64_t{1}}, {"o.toml", 3, 1}}};
  try {
    OptionChecker(missing).check_client_options(options);
    FAIL() << "expected std::runtime_error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "checking options: cannot run /nonexistent/ssh: No such file or directory");
  }
}

TEST(OptionChecker, TempDirIsRemoved) {
  REQUIRE_BINARY(kBin.sshd);
  REQUIRE_BINARY(kBin.ssh_keygen);
  // A private TMPDIR: other tests running in parallel create their own temp dirs elsewhere,
  // so an empty directory afterwards means this check removed what it made.
  char tmpl[] = "/tmp/dp-optcheck-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", tmpl, 1);
  const std::vector<Setting> options = {Setting{"ClientAliveInterval", Value{std::int64_t{1}}, {"o.toml", 3, 1}}};
  EXPECT_EQ(text(OptionChecker(kBin).check_server_options(options)), "");
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  EXPECT_TRUE(std::filesystem::is_empty(tmpl)) << "the checker left files in " << tmpl;
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace deadpeer::proc
