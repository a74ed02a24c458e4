#pragma once
// Test traffic for impair_test and keepalive_filter_test, sent only inside the lab's namespaces: a sink in the server
// namespace that timestamps (and optionally echoes) every datagram, and a source in the client
// namespace that sends numbered, timestamped datagrams at a steady pace and collects echoes.
// Both ends live in this process, so one clock gives one-way delays directly. Arrival times
// are the kernel's receive timestamps (SO_TIMESTAMPNS), not the receiving thread's clock: a
// test thread woken late by other work on the machine must not count as network delay. Those
// timestamps are CLOCK_REALTIME, so the send times are too (a test lasts seconds; a clock step
// within one would show as an absurd sample).
//
// Payload: [0..8) sequence number, [8..16) send time (ns), [16..24) server receive time (ns,
// written by the sink before echoing).
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "LabTestSupport.hpp"
#include "run/RunLock.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::testing {

// CLOCK_REALTIME, the clock of SO_TIMESTAMPNS.
inline std::int64_t wall_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(sys::Clock::now().time_since_epoch()).count();
}

// Sleeps until an absolute CLOCK_MONOTONIC instant: a pace that does not drift with the work
// done between sends.
inline void sleep_until_ns(std::int64_t t) {
  timespec ts{t / 1000000000, t % 1000000000};
  while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

inline sys::UniqueFd udp_socket_in(const sys::Netns& ns, const std::string& bind_ip, int port) {
  sys::UniqueFd fd;
  ns.run([&] {
    fd = sys::UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) throw std::system_error(errno, std::generic_category(), "udp socket in " + ns.name());
    const int big = 4 << 20;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    auto a = address(bind_ip, port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0)
      throw std::system_error(errno, std::generic_category(), "bind udp " + bind_ip + " in " + ns.name());
    timeval tv{0, 50000};  // receive loops notice stop() within 50 ms
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  });
  return fd;
}

// Labs named like a run's, under a lock this binary holds for its whole life: a concurrent
// `deadpeer cleanup` leaves them alone.
inline std::string test_prefix() {
  static run::RunLock lock;
  static int n = 0;
  return lock.lab_prefix(n++);
}

// A blocking TCP connection from inside `ns`.
inline sys::UniqueFd tcp_connect_in(const sys::Netns& ns, const std::string& ip, int port) {
  sys::UniqueFd fd;
  ns.run([&] {
    fd = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    auto a = testing::address(ip, port);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0)
      throw std::system_error(errno, std::generic_category(), "connect " + ip + " from " + ns.name());
  });
  return fd;
}

// Reads exactly `n` bytes within a deadline; false on timeout or error.
inline bool read_exactly(int fd, std::size_t n, int timeout_ms) {
  std::string got;
  while (got.size() < n) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return false;
    char buf[256];
    const ssize_t r = ::recv(fd, buf, std::min(sizeof buf, n - got.size()), 0);
    if (r <= 0) return false;
    got.append(buf, static_cast<std::size_t>(r));
  }
  return true;
}

// The user-space path needs TUN/TAP; skip with the reason where it is missing.
#define REQUIRE_TUN()                                                                   \
  do {                                                                                  \
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) GTEST_SKIP() << "no /dev/net/tun"; \
  } while (0)

struct Arrival {
  std::uint64_t seq;
  std::int64_t sent_ns, server_ns, client_ns;  // client_ns: 0 at the sink
  std::size_t bytes;
};

// Receives datagrams on `fd` in a thread until destroyed; optionally echoes them to the sender.
class UdpReceiver {
 public:
  UdpReceiver(sys::UniqueFd fd, bool echo, bool at_client) : fd_(std::move(fd)), echo_(echo), at_client_(at_client) {
    thread_ = std::thread([this] { loop(); });
  }
  ~UdpReceiver() {
    stop_ = true;
    thread_.join();
  }
  std::vector<Arrival> arrivals() {
    std::lock_guard l(m_);
    return arrivals_;
  }
  long count() const { return count_.load(); }

 private:
  void loop() {
    std::vector<std::uint8_t> buf(65536);
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    while (!stop_) {
      sockaddr_in from{};
      iovec iov{buf.data(), buf.size()};
      msghdr msg{};
      msg.msg_name = &from;
      msg.msg_namelen = sizeof from;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(fd_.get(), &msg, 0);
      if (n < 24) continue;
      std::int64_t t = wall_ns();  // fallback; the kernel's stamp below when present
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
          timespec ts;
          std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
          t = ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
        }
      const socklen_t len = msg.msg_namelen;
      Arrival a{};
      std::memcpy(&a.seq, &buf[0], 8);
      std::memcpy(&a.sent_ns, &buf[8], 8);
      if (at_client_) {
        std::memcpy(&a.server_ns, &buf[16], 8);
        a.client_ns = t;
      } else {
        a.server_ns = t;
        std::memcpy(&buf[16], &t, 8);
      }
      a.bytes = static_cast<std::size_t>(n);
      if (echo_) ::sendto(fd_.get(), buf.data(), static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), len);
      std::lock_guard l(m_);
      arrivals_.push_back(a);
      ++count_;
    }
  }
  sys::UniqueFd fd_;
  bool echo_, at_client_;
  std::atomic<bool> stop_{false};
  std::atomic<long> count_{0};
  std::mutex m_;
  std::vector<Arrival> arrivals_;
  std::thread thread_;
};

// Sends `count` datagrams of `payload` bytes to `to`, one every `interval_ns` (0: as fast as
// the socket takes them). Returns how many were sent.
inline long send_paced(int fd, const sockaddr_in& to, long count, std::size_t payload, std::int64_t interval_ns) {
  std::vector<std::uint8_t> buf(std::max<std::size_t>(payload, 24), 0x5a);
  const std::int64_t start = now_ns();
  long sent = 0;
  for (std::uint64_t i = 0; i < static_cast<std::uint64_t>(count); ++i) {
    if (interval_ns > 0) sleep_until_ns(start + static_cast<std::int64_t>(i) * interval_ns);
    const std::int64_t t = wall_ns();
    std::memcpy(&buf[0], &i, 8);
    std::memcpy(&buf[8], &t, 8);
    if (::sendto(fd, buf.data(), buf.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) > 0) ++sent;
  }
  return sent;
}

// Waits (bounded) until pred() holds; returns whether it did.
template <typename Pred>
bool wait_for(Pred pred, std::chrono::milliseconds deadline) {
  const auto end = sys::Clock::now() + deadline;
  while (!pred()) {
    if (sys::Clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

struct Stats {
  double mean = 0, min = 0, p50 = 0, p99 = 0, max = 0;
  std::size_t n = 0;
};

inline Stats stats_of(std::vector<double> v) {
  Stats s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  s.p50 = v[v.size() / 2];
  s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
  s.min = v.front();
  s.max = v.back();
  return s;
}

}  // namespace deadpeer::testing
