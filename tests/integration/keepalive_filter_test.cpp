// The keepalive filter in a real lab: a user-space path whose only stage is KeepaliveFilter,
// armed before the TCP connection exists (so it learns the handshake), drops every kernel
// keepalive probe while ordinary data and the final RST pass:
//
//   client ns                 router ns                                       server ns
//   c0 198.51.100.2 ── rc ─fwd─▶ rc-relay ─▶ [KeepaliveFilter] ─▶ rc-relay ─▶ rs ── s0 203.0.113.2
//
// With TCP_KEEPIDLE = TCP_KEEPINTVL = 1 s and TCP_KEEPCNT = 3 the client gives up with
// ETIMEDOUT about 4 s after going idle, having sent exactly 3 probes — all counted as dropped.
// Were the probes answered, the client would never give up and the test would fail.
#include <gtest/gtest.h>
#include <netinet/tcp.h>

#include <cstdio>

#include "ImpairTraffic.hpp"
#include "LabTestSupport.hpp"
#include "faults/KeepaliveFilter.hpp"
#include "faults/UserPath.hpp"
#include "lab/Lab.hpp"

namespace deadpeer {
namespace {

using lab::Addresses;
using testing::read_exactly;
using testing::tcp_connect_in;
using testing::test_prefix;

TEST(KeepaliveFilter, DropsEveryProbeSoTheConnectionTimesOutWhileDataPasses) {
  DEADPEER_REQUIRE_LAB();
  REQUIRE_TUN();
  lab::Lab lab(test_prefix());
  faults::Stages stages;
  stages.push_back(std::make_unique<faults::KeepaliveFilter>());
  faults::UserPath path(lab, std::move(stages));  // armed before the connection: it sees the handshake

  auto listener = testing::listen_in(lab.server().ns(), Addresses::server, 2222);
  auto client = tcp_connect_in(lab.client().ns(), Addresses::server, 2222);
  sys::UniqueFd server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server);
  auto exchange = [&] {
    return ::send(client.get(), "hello", 5, 0) == 5 && read_exactly(server.get(), 5, 2000) &&
           ::send(server.get(), "world", 5, 0) == 5 && read_exactly(client.get(), 5, 2000);
  };
  ASSERT_TRUE(exchange());
  path.apply();
  ASSERT_TRUE(exchange()) << "ordinary data must pass the filter";
  EXPECT_GE(path.counters().at("relayed_packets"), 2);  // "hello" and "world" at least

  // Kernel keepalive: first probe after 1 s idle, then every 1 s; 3 unanswered → ETIMEDOUT at ≈ 4 s.
  const int one = 1, cnt = 3;
  ::setsockopt(client.get(), SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  ::setsockopt(client.get(), IPPROTO_TCP, TCP_KEEPIDLE, &one, sizeof one);
  ::setsockopt(client.get(), IPPROTO_TCP, TCP_KEEPINTVL, &one, sizeof one);
  ::setsockopt(client.get(), IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
  const auto idle_from = sys::Clock::now();
  pollfd p{client.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 10000), 1) << "the client never gave up: its probes were answered";
  const double waited = sys::seconds_between(idle_from, sys::Clock::now());
  char c;
  EXPECT_EQ(::recv(client.get(), &c, 1, 0), -1);
  EXPECT_EQ(errno, ETIMEDOUT);
  const long dropped = path.counters().at("keepalive_probes_dropped");
  std::printf("[ figures  ] keepalive: client timed out after %.3f s, %ld probes dropped\n", waited, dropped);
  EXPECT_EQ(dropped, 3);
  // 4 s ± (0.3 s + 12.5 %): the kernel's keepalive timer fires late by up to ~12.5 % at HZ=250.
  EXPECT_NEAR(waited, 4.0, 0.3 + 0.125 * 4.0);
  // The client's RST on giving up is no probe: it passes and resets the server's socket.
  pollfd ps{server.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&ps, 1, 2000), 1);
  EXPECT_EQ(::recv(server.get(), &c, 1, 0), -1);
  EXPECT_EQ(errno, ECONNRESET);
  path.remove();
}

}  // namespace
}  // namespace deadpeer
