#pragma once
// The established TCP connections of one namespace, listed with sock_diag (NETLINK_SOCK_DIAG,
// what `ss` uses), without reading /proc or running `ss`.
//
// Why a middlebox needs it: a fault armed after the SSH session is already up and idle sees no
// frame before it must act, so it does not know the client's ephemeral port. The server's own
// socket table names it; the sequence numbers are then learned from the wire (FlowTracker).
#include <cstdint>
#include <vector>

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

struct TcpConnection {
  std::uint32_t local_ip = 0, remote_ip = 0;  // host byte order
  std::uint16_t local_port = 0, remote_port = 0;
  std::uint32_t inode = 0;  // grows with creation order: the newest socket has the largest
};

class SockDiag {
 public:
  // Every IPv4 TCP socket in ESTABLISHED state inside `ns`. Throws, naming the namespace, when
  // the netlink dump fails.
  static std::vector<TcpConnection> established(const sys::Netns& ns);
};

}  // namespace deadpeer::faults
