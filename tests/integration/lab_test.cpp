// The lab itself, checked on real traffic:
//
//   client ns                  router ns                       server ns
//   c0 198.51.100.2 ──── rc 198.51.100.1 | rs 203.0.113.1 ──── s0 203.0.113.2
//
// Built over netlink; a TCP handshake crosses the router; a blackhole in the router stops it and
// counts what it dropped; removing the blackhole restores the path; dropping the lab leaves no
// namespace behind; nothing is ever configured in the host's namespace.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>

#include "LabTestSupport.hpp"
#include "faults/Blackhole.hpp"
#include "lab/Lab.hpp"
#include "lab/Sysctl.hpp"
#include "netlink/NftContext.hpp"
#include "proc/Cgroup.hpp"
#include "proc/Process.hpp"
#include "run/RunLock.hpp"

namespace deadpeer {
namespace {

using testing::connect_from;
using testing::listen_in;
using testing::netns_exists;

std::string test_prefix() {
  // Labs named like a run's, under a lock this test binary holds for its whole life: a
  // concurrent `deadpeer cleanup` must leave them alone, and would remove them if we crashed.
  static run::RunLock lock;
  static int n = 0;
  return lock.lab_prefix(n++);
}

TEST(Lab, ForwardsBetweenClientAndServerAndVanishesWhenDropped) {
  DEADPEER_REQUIRE_LAB();
  const std::string prefix = test_prefix();
  {
    lab::Lab lab(prefix);
    for (const char* role : {"-c", "-r", "-s"}) EXPECT_TRUE(netns_exists(prefix + role)) << prefix + role;
    EXPECT_EQ(lab::Sysctl::read(lab.router().ns(), "net.ipv4.ip_forward"), "1");
    EXPECT_EQ(lab::Sysctl::read(lab.client().ns(), "net.ipv4.ip_forward"), "0");
    auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2222);
    EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
    // Nothing listens on the host for this address: the handshake really crossed the lab.
    EXPECT_TRUE(lab.router().rtnl().link_is_up(lab::Ifnames::router_to_server));
  }
  for (const char* role : {"-c", "-r", "-s"}) EXPECT_FALSE(netns_exists(prefix + role)) << prefix + role;
}

TEST(Lab, SysctlsArePerNamespaceAndStartFromKernelDefaults) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  lab.client().sysctl("net.ipv4.tcp_keepalive_time", "5");
  EXPECT_EQ(lab::Sysctl::read(lab.client().ns(), "net.ipv4.tcp_keepalive_time"), "5");
  // A new namespace starts from the kernel default, whatever the host says.
  EXPECT_EQ(lab::Sysctl::read(lab.server().ns(), "net.ipv4.tcp_keepalive_time"), "7200");
}

TEST(Lab, DuplicatePrefixFailsWithTheObjectNamed) {
  DEADPEER_REQUIRE_LAB();
  const std::string prefix = test_prefix();
  lab::Lab first(prefix);
  try {
    lab::Lab second(prefix);
    FAIL() << "a second lab with the same prefix must not be created";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find(prefix + "-c"), std::string::npos) << e.what();
  }
  // The failed second lab must not have taken the first one's namespaces with it.
  EXPECT_TRUE(netns_exists(prefix + "-c"));
  EXPECT_TRUE(netns_exists(prefix + "-s"));
}

TEST(Blackhole, DropsForwardedTrafficCountsItAndIsRemovedCleanly) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2222);
  ASSERT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
  {
    faults::Blackhole hole(lab.router().ns(), "blackhole", faults::Direction::both);
    // Armed, not applied: the table exists and everything passes.
    EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
    hole.apply();
    EXPECT_FALSE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 300));
    auto counters = hole.counters();
    // The SYN and at least one retransmission within 300 ms (initial RTO is 1 s, so exactly
    // the first SYN is guaranteed).
    EXPECT_GE(counters.at("dropped_packets"), 1);
    EXPECT_GE(counters.at("dropped_bytes"), 60);
    // The rule lives in the router's namespace only.
    auto host_rules = netlink::NftContext::open_in(lab.client().ns()).query("list tables");
    EXPECT_EQ(host_rules.find(faults::Blackhole::kTablePrefix), std::string::npos);
    hole.remove();
    EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
    // A flap: the second cycle drops again and the counter goes on from the first.
    const long first = hole.counters().at("dropped_packets");
    hole.apply();
    EXPECT_FALSE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 300));
    EXPECT_GT(hole.counters().at("dropped_packets"), first);
  }  // destroyed while applied: removed and disarmed
  EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
  auto tables = netlink::NftContext::open_in(lab.router().ns()).query("list tables");
  EXPECT_EQ(tables.find(faults::Blackhole::kTablePrefix), std::string::npos) << tables;
}

// Faults may overlap in a scenario: removing one drop must leave the other in force.
TEST(Blackhole, OverlappingFaultsRemoveOnlyTheirOwnRules) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2222);
  faults::Blackhole to_server(lab.router().ns(), "drop", faults::Direction::to_server);
  faults::Blackhole to_client(lab.router().ns(), "drop", faults::Direction::to_client);
  EXPECT_NE(to_server.table(), to_client.table());
  to_server.apply();
  to_client.apply();
  EXPECT_FALSE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 300));
  to_client.remove();
  EXPECT_FALSE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 300));  // to-server still drops
  const long dropped = to_server.counters().at("dropped_packets");
  EXPECT_GE(dropped, 2);  // a SYN of each attempt
  to_server.remove();
  EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2222, 2000));
  EXPECT_EQ(to_server.counters().at("dropped_packets"), dropped);  // removed: counts no more
}

TEST(Cgroup, KillEndsEveryDescendantWhateverItForked) {
  DEADPEER_REQUIRE_LAB();
  const std::string root = proc::Cgroup::own_root();
  ASSERT_FALSE(root.empty());
  const std::string name = test_prefix() + "-cgtest";
  {
    proc::Cgroup cg(root, name);
    proc::ProcessSpec spec{"sh", "/bin/sh", {"-c", "sleep 300 & sleep 300 & exec sleep 300"}};
    spec.cgroup = &cg;
    spec.pipe_stdout = spec.pipe_stderr = false;
    auto p = proc::Process::start(spec);
    // Wait (bounded, 2 s) until the shell has forked both background sleeps.
    int n = 0;
    for (int i = 0; i < 400 && n < 3; ++i) {
      std::ifstream procs(cg.path() + "/cgroup.procs");
      n = 0;
      for (std::string l; std::getline(procs, l);) ++n;
      if (n < 3) ::usleep(5000);
    }
    ASSERT_EQ(n, 3);
    cg.kill();
    EXPECT_FALSE(cg.populated());
    EXPECT_EQ(p.wait(), 128 + SIGKILL);
  }
  EXPECT_FALSE(std::filesystem::exists(root + "/" + name));
}

}  // namespace
}  // namespace deadpeer
