#include "bench/UdpProbe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#include "sys/Clock.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::bench {
namespace {

struct Datagram {
  std::uint32_t epoch;   // which measure() sent it
  std::uint32_t seq;
  std::int64_t sent_ns;  // steady_clock (CLOCK_MONOTONIC) since its epoch
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(sys::Clock::now().time_since_epoch()).count();
}

sockaddr_in address(const std::string& ip, int port, const std::string& what) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, ip.c_str(), &a.sin_addr) != 1) throw sys::Error(what + ": bad address " + ip);
  return a;
}

}  // namespace

UdpProbe::UdpProbe(const sys::Netns& from, const sys::Netns& to, const std::string& to_addr, int port)
    : what_("UDP probe " + from.name() + " → " + to.name() + " " + to_addr + ":" + std::to_string(port)) {
  const sockaddr_in dst = address(to_addr, port, what_);
  to.run([&] {
    rx_ = sys::UniqueFd(static_cast<int>(sys::check(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket for " + what_)));
    // Room for a whole burst: what is measured is the path, not our receive buffer.
    const int bytes = 4 << 20;
    ::setsockopt(rx_.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    sys::check(::bind(rx_.get(), reinterpret_cast<const sockaddr*>(&dst), sizeof dst), "bind " + what_);
  });
  from.run([&] {
    tx_ = sys::UniqueFd(static_cast<int>(sys::check(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket for " + what_)));
    sys::check(::connect(tx_.get(), reinterpret_cast<const sockaddr*>(&dst), sizeof dst), "connect " + what_);
  });
}

void UdpProbe::wait_until_open(std::chrono::milliseconds deadline) {
  const std::uint32_t epoch = ++epoch_;
  const auto give_up = sys::Clock::now() + deadline;
  for (std::uint32_t k = 0; sys::Clock::now() < give_up; ++k) {
    Datagram d{epoch, k, now_ns()};
    ::send(tx_.get(), &d, sizeof d, 0);
    pollfd p{rx_.get(), POLLIN, 0};
    if (::poll(&p, 1, 10) > 0)
      while (::recv(rx_.get(), &d, sizeof d, MSG_DONTWAIT) == static_cast<ssize_t>(sizeof d))
        if (d.epoch == epoch) return;
  }
  throw sys::Error(what_ + ": nothing arrived within " + std::to_string(deadline.count()) + " ms");
}

UdpProbe::Result UdpProbe::measure(int pps, std::chrono::milliseconds length, std::chrono::milliseconds grace) {
  Result r;
  const std::uint32_t epoch = ++epoch_;
  std::atomic<bool> sending{true};
  std::atomic<std::int64_t> stop_after_ns{0};
  std::thread receiver([&] {
    Datagram d{};
    for (;;) {
      pollfd p{rx_.get(), POLLIN, 0};
      const int ready = ::poll(&p, 1, 10);
      if (ready > 0) {
        const ssize_t n = ::recv(rx_.get(), &d, sizeof d, MSG_DONTWAIT);
        const std::int64_t arrived = now_ns();
        if (n == static_cast<ssize_t>(sizeof d) && d.epoch == epoch) {
          r.one_way_s.add(static_cast<double>(arrived - d.sent_ns) * 1e-9);
          ++r.received;
        }
        continue;
      }
      if (!sending.load() && now_ns() > stop_after_ns.load()) return;
    }
  });
  const auto start = sys::Clock::now();
  const auto period = std::chrono::nanoseconds(1'000'000'000LL / std::max(1, pps));
  const long total = static_cast<long>(static_cast<double>(pps) * std::chrono::duration<double>(length).count());
  for (long k = 0; k < total; ++k) {
    // Paced by absolute schedule: a late wake-up sends at once instead of drifting.
    std::this_thread::sleep_until(start + k * period);
    Datagram d{epoch, static_cast<std::uint32_t>(k), now_ns()};
    if (::send(tx_.get(), &d, sizeof d, 0) == static_cast<ssize_t>(sizeof d)) ++r.sent;
  }
  stop_after_ns = now_ns() + std::chrono::duration_cast<std::chrono::nanoseconds>(grace).count();
  sending = false;
  receiver.join();
  return r;
}

}  // namespace deadpeer::bench
