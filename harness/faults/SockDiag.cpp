#include "faults/SockDiag.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstring>

#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::faults {

std::vector<TcpConnection> SockDiag::established(const sys::Netns& ns) {
  const std::string what = "sock_diag dump of TCP sockets in " + ns.name();
  sys::UniqueFd fd;
  // A netlink socket answers for the namespace it was opened in.
  ns.run([&] { fd = sys::UniqueFd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)); });
  if (!fd) sys::throw_errno("socket(NETLINK_SOCK_DIAG) for " + what);

  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof msg;
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = 1;
  msg.req.sdiag_family = AF_INET;
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = 1u << TCP_ESTABLISHED;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  sys::check(::sendto(fd.get(), &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel),
             "send " + what);

  std::vector<TcpConnection> out;
  alignas(nlmsghdr) char buf[16384];
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) sys::throw_errno("receive " + what);
    int len = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type == NLMSG_DONE) return out;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        sys::throw_errno(-e->error, what);
      }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
      const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
      TcpConnection c;
      c.local_ip = ntohl(m->id.idiag_src[0]);
      c.remote_ip = ntohl(m->id.idiag_dst[0]);
      c.local_port = ntohs(m->id.idiag_sport);
      c.remote_port = ntohs(m->id.idiag_dport);
      c.inode = m->idiag_inode;
      out.push_back(c);
    }
    if (n == 0) return out;
  }
}

}  // namespace deadpeer::faults
