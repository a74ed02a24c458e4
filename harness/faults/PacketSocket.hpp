#pragma once
// An AF_PACKET socket on one interface of one namespace: how user-space faults see and forge
// frames on the router's links without `tc`, netem or nft `queue` (absent on many CI kernels).
//
// It taps ETH_P_ALL, so it is delivered every frame *before* tc ingress and the nftables
// netdev ingress hook run: a frame that a netdev-ingress rule drops is still seen here. Frames
// the kernel sends out of the interface are ignored (PACKET_IGNORE_OUTGOING), so a relay never
// sees its own or the kernel's transmissions. send() puts a whole Ethernet frame on the wire.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "sys/Clock.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

using MacAddress = std::array<std::uint8_t, 6>;
std::string to_string(const MacAddress& mac);

class PacketSocket {
 public:
  // Opens the socket inside `ns`, bound to `ifname` (non-blocking, close-on-exec).
  static PacketSocket open(const sys::Netns& ns, const std::string& ifname);

  int fd() const { return fd_.get(); }
  const std::string& ifname() const { return ifname_; }
  const MacAddress& mac() const { return mac_; }  // the interface's own address

  // One frame into `buf`; its length, or 0 when nothing arrived within timeout_ms (-1: wait).
  // `*at` is the monotonic arrival time as seen by this thread.
  std::size_t receive(std::span<std::uint8_t> buf, sys::TimePoint* at, int timeout_ms);
  // One whole Ethernet frame out of the interface.
  void send(std::span<const std::uint8_t> frame);

 private:
  PacketSocket(sys::UniqueFd fd, std::string ifname, int ifindex, MacAddress mac)
      : fd_(std::move(fd)), ifname_(std::move(ifname)), ifindex_(ifindex), mac_(mac) {}
  sys::UniqueFd fd_;
  std::string ifname_;
  int ifindex_ = 0;
  MacAddress mac_{};
};

}  // namespace deadpeer::faults
