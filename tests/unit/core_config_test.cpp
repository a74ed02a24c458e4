// ConfigTemplate (fixtures/*.in rendering and loading) and the ssh/sshd keywords a scenario
// may not set (ReservedOptions). Pure: no root, no namespace, no ssh binaries.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "proc/ConfigTemplate.hpp"
#include "proc/ReservedOptions.hpp"
#include "sys/SystemError.hpp"
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

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

// ---- ConfigTemplate --------------------------------------------------------------------------

TEST(ConfigTemplate, ReplacesEveryPlaceholder) {
  EXPECT_EQ(ConfigTemplate::render("Port {{port}}\nHost {{host}}\n", {{"port", "22"}, {"host", "lab"}}, "t"),
            "Port 22\nHost lab\n");
  EXPECT_EQ(ConfigTemplate::render("{{x}}-{{x}}", {{"x", "ab"}}, "t"), "ab-ab");
  EXPECT_EQ(ConfigTemplate::render("no placeholders", {}, "t"), "no placeholders");
  EXPECT_EQ(ConfigTemplate::render("", {}, "t"), "");
}

TEST(ConfigTemplate, ValuesAreNotExpandedAgain) {
  EXPECT_EQ(ConfigTemplate::render("a {{x}} b", {{"x", "{{y}}"}}, "t"), "a {{y}} b");
}

TEST(ConfigTemplate, MissingValueThrowsNamingIt) {
  EXPECT_THROW(ConfigTemplate::render("{{a}} {{b}}", {{"a", "1"}}, "sshd_config.in"), sys::Error);
  EXPECT_EQ(what_of([] { ConfigTemplate::render("{{a}} {{b}}", {{"a", "1"}}, "sshd_config.in"); }),
            "template sshd_config.in: no value for {{b}}");
}

TEST(ConfigTemplate, UnusedValueThrowsNamingIt) {
  EXPECT_THROW(ConfigTemplate::render("{{a}}", {{"a", "1"}, {"extra", "2"}}, "t"), sys::Error);
  EXPECT_EQ(what_of([] { ConfigTemplate::render("{{a}}", {{"a", "1"}, {"extra", "2"}}, "t"); }),
            "template t: value extra has no placeholder");
}

TEST(ConfigTemplate, UnclosedPlaceholderThrows) {
  EXPECT_THROW(ConfigTemplate::render("Port {{port", {{"port", "22"}}, "t"), sys::Error);
  EXPECT_EQ(what_of([] { ConfigTemplate::render("ok {{a}} then {{b", {{"a", "1"}}, "t"); }),
            "template t: unclosed {{");
}

TEST(ConfigTemplate, LoadsTheRealFixtures) {
  EnvGuard env("DEADPEER_FIXTURES", kFixtures);
  EXPECT_EQ(ConfigTemplate::fixtures_dir(), kFixtures);
  const std::string sshd = ConfigTemplate::load("sshd_config.in");
  EXPECT_EQ(sshd, read_file(kFixtures + "/sshd_config.in"));
  EXPECT_NE(index_of(lines_of(sshd), "ListenAddress {{listen_address}}"), -1);
  const std::string ssh = ConfigTemplate::load("ssh_config.in");
  EXPECT_EQ(ssh, read_file(kFixtures + "/ssh_config.in"));
  EXPECT_NE(index_of(lines_of(ssh), "Host lab-server"), -1);
}

TEST(ConfigTemplate, LoadHonoursDeadpeerFixtures) {
  char pattern[] = "/tmp/deadpeer-core-fixtures-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  {
    sys::TempDir fixtures(dir + "/f");
    fixtures.write("only_here.in", "Port {{port}}\n");
    EnvGuard env("DEADPEER_FIXTURES", fixtures.path());
    EXPECT_EQ(ConfigTemplate::fixtures_dir(), fixtures.path());
    EXPECT_EQ(ConfigTemplate::load("only_here.in"), "Port {{port}}\n");
    EXPECT_THROW(ConfigTemplate::load("sshd_config.in"), sys::Error);  // not in this directory
    const std::string what = what_of([] { ConfigTemplate::load("missing.in"); });
    EXPECT_NE(what.find(fixtures.path() + "/missing.in"), std::string::npos) << what;
  }
  ::rmdir(dir.c_str());
}

// ---- ReservedOptions -------------------------------------------------------------------------

TEST(ReservedOptions, ReservedKeysInAnyCaseGiveADiagnosticAtTheSetting) {
  const std::vector<Setting> server = {
      {"ClientAliveInterval", std::int64_t{1}, SourceLoc{"s.toml", 4, 1}},
      {"listenaddress", std::string("0.0.0.0"), SourceLoc{"s.toml", 5, 3}},
      {"LogLevel", std::string("QUIET"), SourceLoc{"s.toml", 6, 7}},
  };
  const auto d = reserved_option_diagnostics(OptionSide::server, server);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].loc.str(), "s.toml:5:3");
  EXPECT_NE(d[0].message.find("'listenaddress'"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].loc.str(), "s.toml:6:7");
  EXPECT_NE(d[1].message.find("'LogLevel'"), std::string::npos) << d[1].message;
  EXPECT_FALSE(d[0].hint.empty());

  const std::vector<Setting> client = {
      {"ServerAliveInterval", std::int64_t{1}, SourceLoc{"c.toml", 2, 1}},
      {"HostName", std::string("example.org"), SourceLoc{"c.toml", 3, 1}},
  };
  const auto c = reserved_option_diagnostics(OptionSide::client, client);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].loc.str(), "c.toml:3:1");
  EXPECT_NE(c[0].message.find("'HostName'"), std::string::npos) << c[0].message;
}

TEST(ReservedOptions, NormalKeysPass) {
  const std::vector<Setting> client = {
      {"ServerAliveInterval", std::int64_t{1}, SourceLoc{"c.toml", 2, 1}},
      {"ServerAliveCountMax", std::int64_t{3}, SourceLoc{"c.toml", 3, 1}},
      {"TCPKeepAlive", false, SourceLoc{"c.toml", 4, 1}},
  };
  EXPECT_TRUE(reserved_option_diagnostics(OptionSide::client, client).empty());
  const std::vector<Setting> server = {
      {"ClientAliveInterval", std::int64_t{1}, SourceLoc{"s.toml", 2, 1}},
      {"TCPKeepAlive", true, SourceLoc{"s.toml", 3, 1}},
  };
  EXPECT_TRUE(reserved_option_diagnostics(OptionSide::server, server).empty());
  EXPECT_TRUE(reserved_option_diagnostics(OptionSide::server, {}).empty());
}

TEST(ReservedOptions, IsReservedIgnoresCaseAndSide) {
  EXPECT_TRUE(is_reserved(OptionSide::server, "listenaddress"));
  EXPECT_TRUE(is_reserved(OptionSide::server, "LISTENADDRESS"));
  EXPECT_TRUE(is_reserved(OptionSide::server, "LogLevel"));
  EXPECT_TRUE(is_reserved(OptionSide::client, "loglevel"));
  EXPECT_TRUE(is_reserved(OptionSide::client, "HostName"));
  EXPECT_TRUE(is_reserved(OptionSide::client, "PORT"));
  EXPECT_FALSE(is_reserved(OptionSide::client, "ServerAliveInterval"));
  EXPECT_FALSE(is_reserved(OptionSide::server, "ClientAliveInterval"));
  EXPECT_FALSE(is_reserved(OptionSide::server, "HostName"));  // not an sshd keyword
}

}  // namespace
}  // namespace deadpeer::proc
