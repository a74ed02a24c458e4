// The spoofing middlebox at the packet level: a plain TCP connection across a real lab, and
// what each end's kernel does with the frames the router forges.
//
//   client ns                    router ns                               server ns
//   c0 198.51.100.2 ──── rc ┤ Middlebox taps rc/rs, forges ├ rs ──── s0 203.0.113.2:23xx
//
// - spoof-rst: the target's socket fails with ECONNRESET; its peer, at its next send, too
//   (the target's kernel no longer knows the connection). Inexact RSTs draw a challenge ACK.
// - spoof-data: the junk is read back from the target's socket byte for byte (accepted as the
//   next bytes of the stream); the peer's own next bytes are then duplicates, never delivered,
//   and the target's FIN, acknowledging bytes the peer never sent, is discarded by the peer.
// - spoof-keepalive: with the server cut off, a keepalive-probing client socket stays
//   ESTABLISHED far past idle + cnt·intvl while forged ACKs answer its probes; without the
//   spoofer the same socket dies of ETIMEDOUT in its window.
// Each fault is armed before the connection (the tracker sees the handshake) or after it went
// idle (found with sock_diag, numbers elicited by a challenge ACK): both paths are exercised.
#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "LabTestSupport.hpp"
#include "faults/Blackhole.hpp"
#include "faults/SpoofData.hpp"
#include "faults/SpoofKeepalive.hpp"
#include "faults/SpoofRst.hpp"
#include "lab/Lab.hpp"
#include "run/RunLock.hpp"
#include "sys/Log.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using faults::FlowSide;
using testing::listen_in;

// DEADPEER_TEST_DEBUG=1 shows the middlebox's debug log (what it learned, what it forged).
const bool debug_logs = [] {
  if (std::getenv("DEADPEER_TEST_DEBUG")) sys::set_log_level(spdlog::level::debug);
  return true;
}();

std::string test_prefix() {
  static run::RunLock lock;  // see lab_test.cpp: a concurrent cleanup spares held labs
  static int n = 0;
  return lock.lab_prefix(n++);
}

struct Connection {
  sys::UniqueFd listener, client, server;
  int fd(FlowSide s) const { return s == FlowSide::client ? client.get() : server.get(); }
};

// Connects client → server:port; `keepalive` (idle, intvl, cnt in seconds) is set on the client
// socket before connecting, as ssh's TCPKeepAlive does with SO_KEEPALIVE.
Connection connect_pair(lab::Lab& lab, int port) {
  Connection c;
  c.listener = listen_in(lab.server().ns(), lab::Addresses::server, port);
  lab.client().ns().run([&] {
    c.client = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto a = testing::address(lab::Addresses::server, port);
    if (::connect(c.client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::system_error(errno, std::generic_category(), "connect to the lab server");
  });
  c.server = sys::UniqueFd(::accept4(c.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!c.server) throw std::system_error(errno, std::generic_category(), "accept in the lab server");
  return c;
}

void set_keepalive(int fd, int idle, int intvl, int cnt) {
  const int one = 1;
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one), 0);
  ASSERT_EQ(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle), 0);
  ASSERT_EQ(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl), 0);
  ASSERT_EQ(::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt), 0);
}

// Exactly n bytes from fd, or fewer if nothing more arrives within `wait`.
std::string read_for(int fd, std::size_t n, std::chrono::milliseconds wait) {
  std::string out;
  const auto deadline = sys::Clock::now() + wait;
  while (out.size() < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sys::Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buf[2048];
    const ssize_t r = ::recv(fd, buf, std::min(sizeof buf, n - out.size()), MSG_DONTWAIT);
    if (r <= 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  return out;
}

// Waits up to `wait` for the socket to fail; returns its error (0: none) and when it came.
std::pair<int, double> wait_error(int fd, std::chrono::milliseconds wait) {
  const auto start = sys::Clock::now();
  pollfd p{fd, POLLIN, 0};
  const int r = ::poll(&p, 1, static_cast<int>(wait.count()));
  const double at = sys::seconds_between(start, sys::Clock::now());
  if (r <= 0) return {0, at};
  char b;
  if (::recv(fd, &b, 1, MSG_DONTWAIT | MSG_PEEK) < 0) return {errno, at};
  return {0, at};  // data or EOF, not an error
}

// Figures worth reading in the log (docs/faults-spoofing.md quotes them), also kept in the
// test's XML output.
template <class V>
void measured(const std::string& key, V value) {
  ::testing::Test::RecordProperty(key, std::to_string(value));
  std::cout << "[ measured ] " << key << " = " << value << std::endl;
}

std::uint8_t tcp_state(int fd) {
  tcp_info ti{};
  socklen_t len = sizeof ti;
  ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
  return ti.tcpi_state;
}

void exchange(Connection& c) {
  // Some data both ways, so the tracker has moved past the handshake.
  ASSERT_EQ(::send(c.client.get(), "hello", 5, MSG_NOSIGNAL), 5);
  ASSERT_EQ(read_for(c.server.get(), 5, 1s), "hello");
  ASSERT_EQ(::send(c.server.get(), "world!", 6, MSG_NOSIGNAL), 6);
  ASSERT_EQ(read_for(c.client.get(), 6, 1s), "world!");
}

// ---- spoof-rst ---------------------------------------------------------------------------

void expect_reset(FlowSide target, bool arm_before_connect, int port) {
  lab::Lab lab(test_prefix());
  std::unique_ptr<faults::SpoofRst> rst;
  if (arm_before_connect) rst = std::make_unique<faults::SpoofRst>(lab, target, true, port);
  Connection c = connect_pair(lab, port);
  exchange(c);
  std::this_thread::sleep_for(100ms);  // idle: every ACK is out
  if (!arm_before_connect) rst = std::make_unique<faults::SpoofRst>(lab, target, true, port);
  rst->apply();
  const auto [err, at] = wait_error(c.fd(target), 1000ms);
  EXPECT_EQ(err, ECONNRESET) << "the " << to_string(target) << " socket";
  EXPECT_LT(at, 0.2) << "a RST acts on arrival";
  measured("rst_to_econnreset_s", at);
  // The peer knows nothing yet...
  const FlowSide peer = faults::other(target);
  EXPECT_EQ(tcp_state(c.fd(peer)), TCP_ESTABLISHED);
  // ...until it sends: the target's kernel has no such connection any more and answers RST.
  ASSERT_EQ(::send(c.fd(peer), "x", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(wait_error(c.fd(peer), 1000ms).first, ECONNRESET) << "the " << to_string(peer) << " socket";
  const auto counters = rst->counters();
  EXPECT_EQ(counters.at("forged_rsts"), 1);
  EXPECT_EQ(counters.at("challenge_acks"), 0) << "an exact RST is accepted, not challenged";
}

TEST(SpoofRst, ServerSocketIsResetArmedBeforeTheHandshake) {
  DEADPEER_REQUIRE_LAB();
  expect_reset(FlowSide::server, true, 2401);
}

TEST(SpoofRst, ClientSocketIsResetArmedWhenAlreadyIdle) {
  DEADPEER_REQUIRE_LAB();
  expect_reset(FlowSide::client, false, 2402);
}

TEST(SpoofRst, AnInexactRstOnlyDrawsAChallengeAck) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  faults::SpoofRst rst(lab, FlowSide::server, false, 2403);
  Connection c = connect_pair(lab, 2403);
  exchange(c);
  std::this_thread::sleep_for(100ms);
  rst.apply();
  EXPECT_EQ(wait_error(c.server.get(), 300ms).first, 0);
  EXPECT_EQ(tcp_state(c.server.get()), TCP_ESTABLISHED);
  // RFC 5961: seq = rcv_nxt + 1 is in the window but not exact → a challenge ACK, no reset.
  EXPECT_EQ(rst.counters().at("challenge_acks"), 1);
  EXPECT_EQ(rst.counters().at("forged_rsts"), 1);
  exchange(c);  // and the connection still carries data both ways
}

// ---- spoof-data --------------------------------------------------------------------------

void expect_junk_delivered(FlowSide target, bool arm_before_connect, int port) {
  lab::Lab lab(test_prefix());
  std::unique_ptr<faults::SpoofData> data;
  if (arm_before_connect) data = std::make_unique<faults::SpoofData>(lab, target, 200, port);
  Connection c = connect_pair(lab, port);
  exchange(c);
  std::this_thread::sleep_for(100ms);
  if (!arm_before_connect) data = std::make_unique<faults::SpoofData>(lab, target, 200, port);
  data->apply();
  const std::string got = read_for(c.fd(target), 200, 1000ms);
  const std::string junk(data->junk().begin(), data->junk().end());
  ASSERT_EQ(got.size(), junk.size()) << "the forged segment was not accepted in-window";
  EXPECT_EQ(got, junk) << "the target's stream carries exactly the forged bytes";
  EXPECT_EQ(data->counters().at("forged_segments"), 1);

  // The peer's own next bytes occupy sequence numbers the junk already took: duplicates, so the
  // target never sees them (its ACKs, beyond what the peer sent, are discarded by the peer).
  const FlowSide peer = faults::other(target);
  ASSERT_EQ(::send(c.fd(peer), "lost", 4, MSG_NOSIGNAL), 4);
  EXPECT_EQ(read_for(c.fd(target), 4, 500ms), "") << "bytes under the junk must not arrive";
  EXPECT_GE(data->counters().at("overlapped_segments"), 1);
  // Nor does the target's FIN reach the peer: it acknowledges bytes the peer never sent, so the
  // peer discards it. The injection has made a half-open connection.
  if (target == FlowSide::server) c.server.reset();
  else c.client.reset();
  pollfd p{c.fd(peer), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 500), 0) << "the peer saw the target's FIN (or a RST)";
  EXPECT_EQ(tcp_state(c.fd(peer)), TCP_ESTABLISHED);
}

TEST(SpoofData, JunkIsReadFromTheServerSocketArmedBeforeTheHandshake) {
  DEADPEER_REQUIRE_LAB();
  expect_junk_delivered(FlowSide::server, true, 2411);
}

TEST(SpoofData, JunkIsReadFromTheClientSocketArmedWhenAlreadyIdle) {
  DEADPEER_REQUIRE_LAB();
  expect_junk_delivered(FlowSide::client, false, 2412);
}

// ---- spoof-keepalive ---------------------------------------------------------------------

// Client keepalive: idle 1 s, probes every 1 s, 2 unanswered probes kill it. From a cut at t0
// the socket dies at last-activity + idle + cnt·intvl, i.e. 2 … 3 s after t0 (+ timer slack).
constexpr int kIdle = 1, kIntvl = 1, kCnt = 2;

TEST(SpoofKeepalive, ProbesAnsweredKeepADeadPathAliveAndWithoutThemTheSocketDies) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  faults::SpoofKeepalive spoof(lab, faults::Direction::to_client, 2421);
  Connection c = connect_pair(lab, 2421);
  set_keepalive(c.client.get(), kIdle, kIntvl, kCnt);
  exchange(c);

  // Spoofed: the server is unreachable, yet the client socket outlives its keepalive window
  // (3 s) twice over.
  spoof.apply();
  const auto [err, at] = wait_error(c.client.get(), 6500ms);
  EXPECT_EQ(err, 0) << "died after " << at << " s despite forged ACKs";
  EXPECT_EQ(tcp_state(c.client.get()), TCP_ESTABLISHED);
  auto counters = spoof.counters();
  measured("spoofed_6_5s_forged_acks", counters.at("forged_acks"));
  measured("spoofed_6_5s_dropped_packets", counters.at("dropped_packets"));
  // Each answered probe restarts the idle timer: about one probe per kIdle + RTT.
  EXPECT_GE(counters.at("forged_acks"), 4);
  EXPECT_LE(counters.at("forged_acks"), 8);
  EXPECT_EQ(counters.at("probes_seen"), counters.at("forged_acks")) << "only the client probes here";
  EXPECT_GE(counters.at("dropped_packets"), counters.at("forged_acks")) << "every probe also hit the cut";
  spoof.remove();
  exchange(c);  // the path is back and the connection intact

  // The same socket without the spoofer: a plain cut, and keepalive gives up in its window.
  faults::Blackhole cut(lab.router().ns(), "blackhole", faults::Direction::both);
  std::this_thread::sleep_for(200ms);  // the last ACK of the exchange is out: idle from here
  cut.apply();
  const auto [err2, at2] = wait_error(c.client.get(), 6000ms);
  EXPECT_EQ(err2, ETIMEDOUT);
  measured("unspoofed_keepalive_death_s", at2);
  EXPECT_GE(at2, kCnt * kIntvl - 0.1);
  EXPECT_LE(at2, kIdle + kCnt * kIntvl + 0.5) << "HZ=250 timers and a loaded machine: 0.5 s slack";
  // Afterwards the counters keep what the spoofer did while it was applied.
  EXPECT_EQ(spoof.counters().at("forged_acks"), counters.at("forged_acks"));
}

TEST(SpoofKeepalive, OnlyTheChosenDirectionIsAnswered) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  // to-client: the server's own probes go unanswered, so the server's socket still dies.
  faults::SpoofKeepalive spoof(lab, faults::Direction::to_client, 2422);
  Connection c = connect_pair(lab, 2422);
  set_keepalive(c.client.get(), kIdle, kIntvl, kCnt);
  set_keepalive(c.server.get(), kIdle, kIntvl, kCnt);
  exchange(c);
  spoof.apply();
  const auto [serr, sat] = wait_error(c.server.get(), 5000ms);
  EXPECT_EQ(serr, ETIMEDOUT) << "the server's probes must not be answered";
  measured("to_client_server_death_s", sat);
  EXPECT_LE(sat, kIdle + kCnt * kIntvl + 0.5);
  EXPECT_EQ(wait_error(c.client.get(), 1000ms).first, 0);
  EXPECT_EQ(tcp_state(c.client.get()), TCP_ESTABLISHED);
  const auto counters = spoof.counters();
  EXPECT_GE(counters.at("forged_acks"), 2);
  EXPECT_GE(counters.at("probes_seen"), counters.at("forged_acks") + kCnt) << "the server's probes were seen";
}

TEST(SpoofKeepalive, BothDirectionsKeepBothEndsAlive) {
  DEADPEER_REQUIRE_LAB();
  lab::Lab lab(test_prefix());
  Connection c = connect_pair(lab, 2423);
  set_keepalive(c.client.get(), kIdle, kIntvl, kCnt);
  set_keepalive(c.server.get(), kIdle, kIntvl, kCnt);
  exchange(c);
  std::this_thread::sleep_for(100ms);
  // Armed after the connection went idle: the tracker learns it by sock_diag + challenge ACK.
  faults::SpoofKeepalive spoof(lab, faults::Direction::both, 2423);
  spoof.apply();
  EXPECT_EQ(wait_error(c.server.get(), 4500ms).first, 0);
  EXPECT_EQ(wait_error(c.client.get(), 10ms).first, 0);
  EXPECT_EQ(tcp_state(c.server.get()), TCP_ESTABLISHED);
  EXPECT_EQ(tcp_state(c.client.get()), TCP_ESTABLISHED);
  const auto counters = spoof.counters();
  EXPECT_GE(counters.at("forged_acks"), 4) << "two ends, about one probe per second each";
  EXPECT_EQ(counters.at("probes_seen"), counters.at("forged_acks"));
}

}  // namespace
}  // namespace deadpeer
