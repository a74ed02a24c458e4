// The host's network is never configured: a small suite run through the real binary — two
// scenarios, one setting kernel sysctls on client, server and router, one a one-way drop —
// leaves the host's links, addresses, routes, rules, qdiscs, nftables ruleset and sysctls
// exactly as they were, and not one change notification reaches the host meanwhile.
//
//   host netns: snapshot ─ listen ─┬─ deadpeer run (labs dp<id>-<n>-{c,r,s}) ─┬─ no events ─ snapshot ═ first
//                                   └──────────── sysctls, nft, veths in labs ─┘
//
// The self-check makes the same kinds of change in a lab's router namespace and requires the
// snapshot to see each, so an empty diff above means "unchanged", not "not looked at".
// HostGuard (sys/HostGuard.hpp) is checked here too: it tells the host from a lab.
#include <gtest/gtest.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "HostSnapshot.hpp"
#include "LabTestSupport.hpp"
#include "RobustnessSupport.hpp"
#include "lab/Lab.hpp"
#include "netlink/NftContext.hpp"
#include "run/RunLock.hpp"
#include "sys/HostGuard.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using namespace deadpeer::testing;

constexpr const char* kSysctlScenario = R"(name = "host-sysctls"
repeat = 2
horizon = "2s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 1
[kernel.client]
tcp_keepalive_time = 5
tcp_keepalive_intvl = 2
tcp_keepalive_probes = 2
tcp_retries2 = 5
[kernel.server]
tcp_keepalive_time = 5
tcp_rto_min_us = 50000
[kernel.router]
nf_conntrack_tcp_timeout_established = 60
nf_conntrack_tcp_loose = 0
[[fault]]
kind = "blackhole"
at = "500ms"
)";
constexpr const char* kDropScenario = R"(name = "host-drop"
horizon = "2s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 1
[[fault]]
kind = "drop"
direction = "to-server"
at = "500ms"
)";

std::string lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& l : v) s += "\n  " + l;
  return s;
}

TEST(HostSnapshot, SuiteLeavesTheHostNetworkUntouched) {
  DEADPEER_REQUIRE_LAB();
  PrivateDir base("hostsnap-test");
  const auto a = write_text(base / "sysctls.toml", kSysctlScenario);
  const auto b = write_text(base / "drop.toml", kDropScenario);
  ScopedEnv state("DEADPEER_STATE_DIR", base / "state");

  const Snapshot before = take_snapshot();
  HostEvents events;
  const auto run = run_binary(DEADPEER_BINARY, {"run", a, b, "--out", base / "out"}, 120s);
  const auto seen = events.drain();
  const Snapshot after = take_snapshot();

  ASSERT_FALSE(run.timed_out) << run.output;
  EXPECT_EQ(run.status, 0) << run.output;
  // The suite really ran: three runs measured, the sysctl case with its kernel settings.
  std::ifstream results(base / "out" / "results.json");
  ASSERT_TRUE(results) << run.output;
  const auto json = nlohmann::json::parse(results);
  int measured = 0;
  for (const auto& c : json.at("cases"))
    for (const auto& r : c.at("runs")) measured += r.value("error", nlohmann::json()).is_null() ? 1 : 0;
  EXPECT_EQ(measured, 3) << json.dump(1).substr(0, 4000);

  const auto diff = snapshot_diff(before, after);
  EXPECT_TRUE(diff.empty()) << "the host's network changed:" << lines(diff);
  EXPECT_TRUE(seen.empty()) << "change notifications reached the host while the suite ran:" << lines(seen);
  int sysctls = 0, nft = 0;
  for (const auto& l : before) sysctls += l.rfind("sysctl ", 0) == 0, nft += l.rfind("nft ", 0) == 0;
  std::cout << "host_snapshot_test: " << before.size() << " host items compared (" << sysctls << " sysctls, " << nft
            << " nftables objects), " << diff.size() << " differences, " << seen.size() << " host events" << std::endl;
}

// Every kind of change the harness makes in a lab namespace shows up in a snapshot of it.
TEST(HostSnapshot, SeesEachKindOfChangeTheHarnessMakes) {
  DEADPEER_REQUIRE_LAB();
  run::RunLock lock;  // so a concurrent `deadpeer cleanup` leaves this lab alone
  lab::Lab lab(lock.lab_prefix(0));
  auto& router = lab.router();
  Snapshot before, after;
  std::unique_ptr<HostEvents> events;  // its sockets belong to the router's namespace
  router.ns().run([&] {
    before = take_snapshot();
    events = std::make_unique<HostEvents>();
  });

  router.rtnl().addr_add(lab::Ifnames::router_to_client, "198.51.100.77/32");
  router.rtnl().link_set_up(lab::Ifnames::router_to_server, false);
  router.sysctl("net.ipv4.tcp_keepalive_time", "77");
  router.sysctl("net.netfilter.nf_conntrack_tcp_loose", "0");
  router.sysctl("net.ipv4.ip_forward", "0");
  auto nft = netlink::NftContext::open_in(router.ns());
  nft.run("add table inet dp_snapshot_check\nadd chain inet dp_snapshot_check c { type filter hook forward priority 0; }",
          "self-check table");
  router.ns().run([&] { after = take_snapshot(); });

  const std::string diff = lines(snapshot_diff(before, after));
  const std::vector<std::string> needles = {"198.51.100.77",  "tcp_keepalive_time = 77",
                                            "nf_conntrack_tcp_loose = 0", "ip_forward = 0",
                                            "dp_snapshot_check", std::string("link ") + lab::Ifnames::router_to_server};
  for (const auto& needle : needles)
    EXPECT_NE(diff.find(needle), std::string::npos) << "the snapshot missed " << needle << "; diff:" << diff;
  const std::string seen = lines(events->drain());
  for (const char* needle : {"RTM_NEWADDR", "RTM_NEWLINK", "nftables"})
    EXPECT_NE(seen.find(needle), std::string::npos) << "no " << needle << " event; events:" << seen;
  // The host's own snapshot is not the lab's: the main thread never left the host.
  EXPECT_NE(take_snapshot(), after);
}

TEST(HostGuard, TellsTheHostFromALab) {
  sys::UniqueFd self(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(self);
  EXPECT_TRUE(sys::HostGuard::is_host(self.get()));
  EXPECT_TRUE(sys::HostGuard::thread_in_host());
  EXPECT_THROW(sys::HostGuard::require_lab(nullptr, "start sshd"), sys::Error);
  EXPECT_THROW(sys::HostGuard::require_lab_thread("write a sysctl"), sys::Error);
  DEADPEER_REQUIRE_LAB();
  run::RunLock lock;
  auto ns = sys::Netns::create(lock.lab_prefix(0) + "-s");
  EXPECT_FALSE(sys::HostGuard::is_host(ns));
  EXPECT_NO_THROW(sys::HostGuard::require_lab(&ns, "start sshd"));
  bool inside_is_host = true;
  ns.run([&] {
    inside_is_host = sys::HostGuard::thread_in_host();
    sys::HostGuard::require_lab_thread("write a sysctl");
  });
  EXPECT_FALSE(inside_is_host);
  EXPECT_TRUE(sys::HostGuard::thread_in_host()) << "the calling thread did not come back from the lab";
}

}  // namespace
}  // namespace deadpeer
