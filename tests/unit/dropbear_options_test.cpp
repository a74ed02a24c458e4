// Scenario options for Dropbear: the OpenSSH names map to -K/-I, the rest is rejected with the
// option's location before any namespace exists; and the command lines the harness builds.
#include <gtest/gtest.h>

#include "proc/DropbearClient.hpp"
#include "proc/DropbearKeys.hpp"
#include "proc/DropbearOptions.hpp"
#include "proc/DropbearServer.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {
namespace {

using scenario::Setting;

Setting set(std::string key, scenario::Value v, int line = 3) { return {std::move(key), std::move(v), {"s.toml", line, 1}}; }

std::vector<std::string> messages(const std::vector<scenario::Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(d.str());
  return out;
}

TEST(DropbearOptions, KeepaliveAndIdleTimeoutMapToTheirFlags) {
  const auto f = DropbearOptions::flags(OptionSide::client, {set("ServerAliveInterval", std::int64_t{1}),
                                                             set("idletimeout", std::string("1m30s"))});
  EXPECT_EQ(f.keepalive_s, 1);
  EXPECT_EQ(f.idle_timeout_s, 90);
  EXPECT_EQ(f.arguments(), (std::vector<std::string>{"-K", "1", "-I", "90"}));
  const auto s = DropbearOptions::flags(OptionSide::server, {set("ClientAliveInterval", std::string("15"))});
  EXPECT_EQ(s.keepalive_s, 15);
  EXPECT_EQ(s.idle_timeout_s, 0);
}

TEST(DropbearOptions, FirstValueWinsAsInSshConfig) {
  const auto f = DropbearOptions::flags(
      OptionSide::server, {set("ClientAliveInterval", std::int64_t{2}), set("clientaliveinterval", std::int64_t{9})});
  EXPECT_EQ(f.keepalive_s, 2);
}

TEST(DropbearOptions, EquivalentsOfDropbearsFixedBehaviourAreAccepted) {
  EXPECT_TRUE(DropbearOptions::check(OptionSide::client, {set("ServerAliveCountMax", std::int64_t{3}),
                                                          set("TCPKeepAlive", false)})
                  .empty());
  EXPECT_TRUE(DropbearOptions::check(OptionSide::server, {set("ClientAliveCountMax", std::string("3")),
                                                          set("TCPKeepAlive", std::string("no"))})
                  .empty());
}

TEST(DropbearOptions, OptionsWithoutEquivalentAreRejectedAtTheirLocation) {
  const auto ds = DropbearOptions::check(
      OptionSide::server, {set("ClientAliveCountMax", std::int64_t{5}, 4), set("TCPKeepAlive", true, 5),
                           set("MaxStartups", std::int64_t{10}, 6), set("ClientAliveIntervl", std::int64_t{1}, 7),
                           set("ServerAliveInterval", std::int64_t{1}, 8)});
  const auto m = messages(ds);
  ASSERT_EQ(m.size(), 5u) << ::testing::PrintToString(m);
  EXPECT_NE(m[0].find("s.toml:4:1"), std::string::npos) << m[0];
  EXPECT_NE(m[0].find("gives up after 3"), std::string::npos) << m[0];
  EXPECT_NE(m[1].find("never sets SO_KEEPALIVE"), std::string::npos) << m[1];
  EXPECT_NE(m[2].find("'MaxStartups' has no Dropbear equivalent"), std::string::npos) << m[2];
  EXPECT_NE(m[3].find("did you mean 'ClientAliveInterval'"), std::string::npos) << m[3];
  // The client's option name on the server side is a mistake too.
  EXPECT_NE(m[4].find("'ServerAliveInterval' has no Dropbear equivalent"), std::string::npos) << m[4];
}

TEST(DropbearOptions, TimesMustBeWholeNonNegativeSeconds) {
  const auto m = messages(DropbearOptions::check(
      OptionSide::client, {set("ServerAliveInterval", std::string("500ms")), set("IdleTimeout", std::int64_t{-1}),
                           set("ServerAliveInterval", 1.5), set("IdleTimeout", std::string("soon"))}));
  ASSERT_EQ(m.size(), 4u) << ::testing::PrintToString(m);
  EXPECT_NE(m[0].find("whole seconds"), std::string::npos) << m[0];
  EXPECT_NE(m[1].find("negative"), std::string::npos) << m[1];
  EXPECT_NE(m[2].find("whole seconds"), std::string::npos) << m[2];
  EXPECT_NE(m[3].find("dbclient"), std::string::npos) << m[3];
}

TEST(DropbearOptions, FlagsThrowsNamingTheOption) {
  try {
    DropbearOptions::flags(OptionSide::client, {set("ForwardAgent", true)});
    FAIL() << "ForwardAgent has no dbclient flag";
  } catch (const sys::Error& e) {
    EXPECT_NE(std::string(e.what()).find("ForwardAgent"), std::string::npos) << e.what();
  }
}

TEST(DropbearCommandLine, ServerListensOnTheLabAddressWithItsOwnPidFile) {
  ServerSpec spec{nullptr, nullptr, nullptr, nullptr, "203.0.113.2", 22, {}};
  const DropbearServer::Files files{"/d/host", "/d/home", "/d/dropbear.pid"};
  EXPECT_EQ(DropbearServer::arguments(spec, files, {1, 0}),
            (std::vector<std::string>{"-F", "-E", "-s", "-P", "/d/dropbear.pid", "-r", "/d/host", "-p",
                                      "203.0.113.2:22", "-K", "1", "-I", "0"}));
}

TEST(DropbearCommandLine, ClientPassesTheRemoteCommandAsOneArgument) {
  ClientSpec spec{nullptr, nullptr, nullptr, nullptr, "203.0.113.2", 22, {}, "echo deadpeer-ready; exec cat"};
  const DropbearClient::Files files{"/d/user", "/d/home"};
  EXPECT_EQ(DropbearClient::arguments(spec, files, {3, 0}),
            (std::vector<std::string>{"-T", "-i", "/d/user", "-l", "root", "-p", "22", "-K", "3", "-I", "0",
                                      "203.0.113.2", "echo deadpeer-ready; exec cat"}));
}

TEST(DropbearKeys, KnownHostsLosesItsComments) {
  EXPECT_EQ(DropbearKeys::known_hosts_for_dbclient("203.0.113.2 ssh-ed25519 AAAAC3Nza deadpeer\n# c\n\n"),
            "203.0.113.2 ssh-ed25519 AAAAC3Nza\n");
}

TEST(DropbearServerHome, RootsHomeIsAUsableMountTarget) {
  const std::string home = DropbearServer::login_home();
  EXPECT_FALSE(home.empty());
  EXPECT_NE(home, "/");
}

}  // namespace
}  // namespace deadpeer::proc
