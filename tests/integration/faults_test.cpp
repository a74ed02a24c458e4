// Each router/host fault proven on real traffic in a real lab, without ssh: what the kernel of
// each end actually experiences (resets, refusals, silence) and the fault's own evidence
// (nftables counters, conntrack entries, link state, cgroup state).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "LabTestSupport.hpp"
#include "faults/Crash.hpp"
#include "faults/Firewall.hpp"
#include "faults/Freeze.hpp"
#include "faults/LinkDown.hpp"
#include "faults/Reboot.hpp"
#include "faults/Reject.hpp"
#include "lab/Lab.hpp"
#include "netlink/ConntrackTable.hpp"
#include "proc/Cgroup.hpp"
#include "proc/Process.hpp"
#include "run/RunLock.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using testing::connect_from;
using testing::listen_in;
using testing::netns_exists;

std::string test_prefix() {
  static run::RunLock lock;  // see lab_test.cpp: a concurrent cleanup spares held labs
  static int n = 0;
  return lock.lab_prefix(n++);
}

// An established TCP connection: client end in the client ns, accepted end in the server ns.
struct Connection {
  sys::UniqueFd listener, client, server;
};

Connection connect_pair(lab::Lab& lab, int port) {
  Connection c;
  c.listener = listen_in(lab.server().ns(), lab::Addresses::server, port);
  lab.client().ns().run([&] {
    c.client = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto a = testing::address(lab::Addresses::server, port);
    if (::connect(c.client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect");
  });
  c.server = sys::UniqueFd(::accept4(c.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  return c;
}

// Sends one byte and waits up to `ms` for the socket to report an error or data; returns
// errno-style: 0 when the byte went and nothing came back, else the socket error.
int send_and_wait_error(int fd, int ms) {
  if (::send(fd, "x", 1, MSG_NOSIGNAL) < 0) return errno;
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, ms) <= 0) return 0;
  char b;
  if (::recv(fd, &b, 1, MSG_DONTWAIT) < 0) return errno;
  return 0;
}

TEST(Reject, TcpResetEndsAnEstablishedConnectionAtItsNextSend) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  auto c = connect_pair(lab, 2301);
  faults::Reject reject(lab.router().ns(), faults::Direction::both, "");
  reject.apply();
  const auto t = sys::Clock::now();
  EXPECT_EQ(send_and_wait_error(c.client.get(), 2000), ECONNRESET);
  // The RST is forged by the router at once: well under one RTO (200 ms).
  EXPECT_LT(sys::seconds_between(t, sys::Clock::now()), 0.2);
  EXPECT_GE(reject.counters().at("rejected_packets"), 1);
  reject.remove();
  EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2301, 2000));
}

// One counter of the kernel's SNMP table (/proc/net/snmp, e.g. "Icmp:" "InDestUnreachs") in
// `ns`: read through /proc/thread-self, since /proc/net shows the process's own namespace.
long snmp_counter(const sys::Netns& ns, const std::string& group, const std::string& name) {
  long value = -1;
  ns.run([&] {
    std::ifstream f("/proc/thread-self/net/snmp");
    std::string header, values;
    while (std::getline(f, header) && std::getline(f, values)) {
      if (!header.starts_with(group + " ")) continue;
      std::istringstream h(header), v(values);
      std::string key, number;
      while (h >> key && v >> number)
        if (key == name) value = std::stol(number);
    }
  });
  return value;
}

TEST(Reject, IcmpAdminProhibitedAnswersNewConnectionsAtOnce) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2302);
  faults::Reject reject(lab.router().ns(), faults::Direction::to_server, "admin-prohibited");
  reject.apply();
  const long unreach_before = snmp_counter(lab.client().ns(), "Icmp:", "InDestUnreachs");
  ASSERT_GE(unreach_before, 0) << "no Icmp: InDestUnreachs in /proc/net/snmp";

  sys::UniqueFd fd;
  lab.client().ns().run([&] { fd = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)); });
  auto to = testing::address(lab::Addresses::server, 2302);
  const auto t = sys::Clock::now();
  ASSERT_NE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
  ASSERT_EQ(errno, EINPROGRESS);
  // The router answers the first SYN: its ICMP reaches the client's kernel at once.
  double icmp_s = -1;
  while (sys::seconds_between(t, sys::Clock::now()) < 0.5) {
    if (snmp_counter(lab.client().ns(), "Icmp:", "InDestUnreachs") > unreach_before) {
      icmp_s = sys::seconds_between(t, sys::Clock::now());
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  pollfd p{fd.get(), POLLOUT, 0};
  ASSERT_EQ(::poll(&p, 1, 2000), 1) << "connect neither failed nor succeeded within 2 s";
  const double failed_s = sys::seconds_between(t, sys::Clock::now());
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  std::printf("[ figures  ] ICMP at the client after %.3f ms; connect failed after %.3f ms: %s\n", icmp_s * 1e3,
              failed_s * 1e3, std::strerror(err));
  EXPECT_GE(icmp_s, 0.0) << "no ICMP destination-unreachable reached the client within 0.5 s";
  EXPECT_EQ(err, EHOSTUNREACH);  // admin-prohibited (code 13), not a timeout nor a refusal
  // Almost always the connection ends with that first ICMP, some 60 µs after connect() began.
  // Once in about 40 suites it ended only at the SYN's retransmission 1 s later: tcp_v4_err
  // keeps an ICMP error as a soft one when the connecting thread holds the socket at that
  // instant, and connect() returns within tens of microseconds of the ICMP's arrival here.
  // The retransmitted SYN draws the next ICMP, which ends it with the same error.
  EXPECT_TRUE(failed_s < 0.5 || (failed_s > 0.9 && failed_s < 1.6)) << "failed after " << failed_s << " s";
  EXPECT_GE(reject.counters().at("rejected_packets"), 1);
}

TEST(LinkDown, TakesTheRouterLinkDownAndBringsItBack) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2303);
  faults::LinkDown down(lab, "server");
  down.apply();
  EXPECT_FALSE(lab.router().rtnl().link_is_up(lab::Ifnames::router_to_server));
  EXPECT_FALSE(connect_from(lab.client().ns(), lab::Addresses::server, 2303, 500));
  down.remove();
  EXPECT_TRUE(lab.router().rtnl().link_is_up(lab::Ifnames::router_to_server));
  EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2303, 3000));
}

TEST(Firewall, ForgetsAnIdleFlowAfterItsTimeoutAndThenDropsIt) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  faults::Firewall fw(lab, {2s, false, false});  // armed before the connection exists
  auto c = connect_pair(lab, 2304);
  auto table = netlink::ConntrackTable::open_in(lab.router().ns());
  auto entries = table.tcp_port(2304);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].tcp_state, "ESTABLISHED");
  EXPECT_LE(entries[0].timeout_s, 2u);  // the per-namespace idle timeout, not the 5-day default
  fw.apply();
  // Traffic within the timeout keeps the entry.
  std::this_thread::sleep_for(1s);
  ASSERT_EQ(::send(c.client.get(), "a", 1, MSG_NOSIGNAL), 1);
  char b;
  ASSERT_EQ(::recv(c.server.get(), &b, 1, 0), 1);
  EXPECT_EQ(table.tcp_port(2304).size(), 1u);
  // Idle for longer than the timeout: the entry is gone (polled: conntrack's GC is lazy but
  // an expired entry is never reported), and what the client sends next is dropped.
  const auto deadline = sys::Clock::now() + 5s;
  while (!table.tcp_port(2304).empty() && sys::Clock::now() < deadline) std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(table.tcp_port(2304).empty());
  ASSERT_EQ(::send(c.client.get(), "b", 1, MSG_NOSIGNAL), 1);
  pollfd p{c.server.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 500), 0) << "a packet of an expired flow was forwarded";
  EXPECT_GE(fw.counters().at("expired_packets"), 1);
}

TEST(Firewall, ResetsAnExpiredFlowWhenAskedTo) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  faults::Firewall fw(lab, {1s, true, false});
  auto c = connect_pair(lab, 2305);
  fw.apply();
  auto table = netlink::ConntrackTable::open_in(lab.router().ns());
  const auto deadline = sys::Clock::now() + 4s;
  while (!table.tcp_port(2305).empty() && sys::Clock::now() < deadline) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(table.tcp_port(2305).empty());
  EXPECT_EQ(send_and_wait_error(c.client.get(), 2000), ECONNRESET);
}

struct Cgroups {
  std::string root = proc::Cgroup::own_root();
  std::string name = test_prefix() + "-cg";
};

TEST(Freeze, StopsTheProcessesButNotTheirKernel) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  Cgroups cgs;
  proc::Cgroup cg(cgs.root, cgs.name);
  proc::ProcessSpec spec{"sleeper", "/bin/sleep", {"300"}};
  spec.cgroup = &cg;
  spec.pipe_stdout = spec.pipe_stderr = false;
  auto p = proc::Process::start(spec);
  auto listener = listen_in(lab.server().ns(), lab::Addresses::server, 2306);
  {
    faults::Freeze freeze(cg, "server");
    freeze.apply();
    // cgroup.events reports "frozen 1" once every task has stopped.
    bool frozen = false;
    for (int i = 0; i < 100 && !frozen; ++i, std::this_thread::sleep_for(10ms)) {
      std::ifstream ev(cg.path() + "/cgroup.events");
      for (std::string l; std::getline(ev, l);) frozen |= l == "frozen 1";
    }
    EXPECT_TRUE(frozen);
    // The kernel of the server still completes handshakes: only applications stop.
    EXPECT_TRUE(connect_from(lab.client().ns(), lab::Addresses::server, 2306, 1000));
  }
  std::ifstream ev(cg.path() + "/cgroup.events");
  std::string all((std::istreambuf_iterator<char>(ev)), {});
  EXPECT_NE(all.find("frozen 0"), std::string::npos) << all;
  cg.kill();
  p.wait();
}

TEST(Crash, TheServerLinkVanishesAndItsProcessesDie) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  Cgroups cgs;
  proc::Cgroup cg(cgs.root, cgs.name);
  proc::ProcessSpec spec{"sleeper", "/bin/sleep", {"300"}};
  spec.cgroup = &cg;
  spec.pipe_stdout = spec.pipe_stderr = false;
  auto p = proc::Process::start(spec);
  auto c = connect_pair(lab, 2307);
  faults::Crash crash(lab, cg);
  crash.apply();
  EXPECT_FALSE(cg.populated());
  EXPECT_THROW(lab.router().rtnl().link_index(lab::Ifnames::router_to_server), std::exception);
  // Silence for the client: no RST, no FIN.
  EXPECT_EQ(send_and_wait_error(c.client.get(), 500), 0);
  p.wait();
}

TEST(Reboot, TheServerComesBackWithoutConnectionStateAndResetsOldFlows) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  Cgroups cgs;
  proc::Cgroup cg(cgs.root, cgs.name);
  auto c = connect_pair(lab, 2308);
  std::string booted;
  faults::Reboot reboot(lab, cg, 1s, [&](lab::Node& host) { booted = host.ns().name(); });
  reboot.apply();
  EXPECT_EQ(send_and_wait_error(c.client.get(), 300), 0);  // down: silence
  reboot.remove();
  EXPECT_EQ(booted, lab.prefix() + "-s1");
  EXPECT_TRUE(netns_exists(booted));
  // The rebooted kernel knows nothing of the old connection: its next segment gets a RST
  // (it may take one retransmission while the router learns the new host's address).
  EXPECT_EQ(send_and_wait_error(c.client.get(), 3000), ECONNRESET);
}

}  // namespace
}  // namespace deadpeer
