#pragma once
// One-way latency through the lab: a sender in one namespace paces UDP datagrams, each carrying
// the CLOCK_MONOTONIC instant it was sent; a receiver thread in another namespace timestamps
// its arrival. Both ends read the same clock (one host), so no synchronisation is needed.
// Traffic goes only between the lab's own addresses, inside namespaces this process created.
#include <chrono>
#include <cstdint>
#include <string>

#include "bench/Samples.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::bench {

class UdpProbe {
 public:
  // Opens a receiver bound to to_addr:port inside `to` and a sender inside `from`.
  UdpProbe(const sys::Netns& from, const sys::Netns& to, const std::string& to_addr, int port);

  struct Result {
    Samples one_way_s;  // per datagram received
    long sent = 0;
    long received = 0;
  };
  // Sends `pps` datagrams per second for `length`, then waits `grace` for stragglers. Only this
  // call's datagrams count: late ones of an earlier call are recognised and dropped.
  Result measure(int pps, std::chrono::milliseconds length, std::chrono::milliseconds grace);
  // Sends one datagram every 10 ms until one arrives (neighbours resolved, links up); throws
  // sys::Error naming the path if none does within `deadline`.
  void wait_until_open(std::chrono::milliseconds deadline);

 private:
  std::string what_;
  sys::UniqueFd rx_, tx_;
  std::uint32_t epoch_ = 0;
};

}  // namespace deadpeer::bench
