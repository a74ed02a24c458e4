#include "faults/PacketSocket.hpp"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>

#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

std::string to_string(const MacAddress& m) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2], m[3], m[4], m[5]);
}

PacketSocket PacketSocket::open(const sys::Netns& ns, const std::string& ifname) {
  sys::UniqueFd fd;
  int ifindex = 0;
  MacAddress mac{};
  const std::string what = "packet socket on " + ifname + " in " + ns.name();
  // The socket must be created inside the namespace: the interface index is per namespace.
  ns.run([&] {
    fd = sys::UniqueFd(::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL)));
    if (!fd) sys::throw_errno("socket(AF_PACKET) for " + what);
    ifindex = static_cast<int>(::if_nametoindex(ifname.c_str()));
    if (ifindex == 0) sys::throw_errno("if_nametoindex " + what);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    sys::check(::ioctl(fd.get(), SIOCGIFHWADDR, &ifr), "SIOCGIFHWADDR " + what);
    std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  });
  const int one = 1;
  sys::check(::setsockopt(fd.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one),
             "PACKET_IGNORE_OUTGOING " + what);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = ifindex;
  sys::check(::bind(fd.get(), reinterpret_cast<sockaddr*>(&sll), sizeof sll), "bind " + what);
  return PacketSocket(std::move(fd), ifname, ifindex, mac);
}

std::size_t PacketSocket::receive(std::span<std::uint8_t> buf, sys::TimePoint* at, int timeout_ms) {
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_TRUNC);
    if (n >= 0) {
      if (at) *at = sys::Clock::now();
      return std::min<std::size_t>(static_cast<std::size_t>(n), buf.size());
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) sys::throw_errno("recv on packet socket " + ifname_);
    pollfd p{fd_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno != EINTR) sys::throw_errno("poll on packet socket " + ifname_);
    if (r == 0) return 0;
  }
}

void PacketSocket::send(std::span<const std::uint8_t> frame) {
  for (;;) {
    if (::send(fd_.get(), frame.data(), frame.size(), 0) >= 0) return;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == ENOBUFS) {
      pollfd p{fd_.get(), POLLOUT, 0};
      ::poll(&p, 1, 10);
      continue;
    }
    sys::throw_errno("send " + std::to_string(frame.size()) + "-byte frame on " + ifname_);
  }
}

}  // namespace deadpeer::faults
