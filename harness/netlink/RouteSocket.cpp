#include "netlink/RouteSocket.hpp"

#include <fcntl.h>
#include <net/if.h>
// After net/if.h: the kernel header then only adds what glibc lacks (IF_OPER_*).
#include <linux/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "netlink/NlError.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::netlink {
namespace {

// RAII for the libnl objects we allocate per call.
template <typename T, void (*Free)(T*)>
struct Owned {
  T* p;
  explicit Owned(T* ptr) : p(ptr) {
    if (!p) throw std::bad_alloc();
  }
  ~Owned() { Free(p); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  T* get() const { return p; }
};
using Link = Owned<rtnl_link, rtnl_link_put>;
using Addr = Owned<rtnl_addr, rtnl_addr_put>;
using Route = Owned<rtnl_route, rtnl_route_put>;
using NlAddr = Owned<nl_addr, nl_addr_put>;
using Qdisc = Owned<rtnl_qdisc, rtnl_qdisc_put>;

NlAddr parse_addr(const std::string& text, const std::string& what) {
  nl_addr* a = nullptr;
  check_nl(nl_addr_parse(text.c_str(), AF_INET, &a), what + ": parse address " + text);
  return NlAddr(a);
}

}  // namespace

void RouteSocket::Deleter::operator()(nl_sock* s) const { nl_socket_free(s); }

RouteSocket RouteSocket::open_in(const sys::Netns& ns) {
  std::unique_ptr<nl_sock, Deleter> sock;
  ns.run([&] {
    sock.reset(nl_socket_alloc());
    if (!sock) throw std::bad_alloc();
    check_nl(nl_connect(sock.get(), NETLINK_ROUTE), "nl_connect NETLINK_ROUTE in netns " + ns.name());
    // libnl opens sockets without CLOEXEC; sshd must not inherit them.
    int fd = nl_socket_get_fd(sock.get());
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  });
  return RouteSocket(std::move(sock), ns.name());
}

RouteSocket::~RouteSocket() = default;

void RouteSocket::veth_add(const std::string& name, const std::string& peer_name,
                           const sys::Netns& peer_ns) {
  const std::string what = "rtnl_link_add veth " + name + " (netns " + ns_name_ + ") peer " +
                           peer_name + " (netns " + peer_ns.name() + ")";
  Link link(rtnl_link_veth_alloc());
  rtnl_link_set_name(link.get(), name.c_str());
  rtnl_link* peer = rtnl_link_veth_get_peer(link.get());  // borrowed reference, put below
  rtnl_link_set_name(peer, peer_name.c_str());
  rtnl_link_set_ns_fd(peer, peer_ns.fd());
  int err = rtnl_link_add(sock_.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL);
  rtnl_link_put(peer);
  check_nl(err, what);
  sys::log("netlink").debug("created veth {}@{} <-> {}@{}", name, ns_name_, peer_name, peer_ns.name());
}

int RouteSocket::link_index(const std::string& ifname) {
  rtnl_link* raw = nullptr;
  check_nl(rtnl_link_get_kernel(sock_.get(), 0, ifname.c_str(), &raw),
           "rtnl_link_get " + ifname + " (netns " + ns_name_ + ")");
  Link link(raw);
  return rtnl_link_get_ifindex(link.get());
}

void RouteSocket::link_set_up(const std::string& ifname, bool up) {
  rtnl_link* raw = nullptr;
  check_nl(rtnl_link_get_kernel(sock_.get(), 0, ifname.c_str(), &raw),
           "rtnl_link_get " + ifname + " (netns " + ns_name_ + ")");
  Link current(raw);
  Link change(rtnl_link_alloc());
  if (up)
    rtnl_link_set_flags(change.get(), IFF_UP);
  else
    rtnl_link_unset_flags(change.get(), IFF_UP);
  check_nl(rtnl_link_change(sock_.get(), current.get(), change.get(), 0),
           std::string("rtnl_link_change ") + ifname + (up ? " up" : " down") + " (netns " + ns_name_ + ")");
}

void RouteSocket::link_delete(const std::string& ifname) {
  Link link(rtnl_link_alloc());
  rtnl_link_set_name(link.get(), ifname.c_str());
  check_nl(rtnl_link_delete(sock_.get(), link.get()), "rtnl_link_delete " + ifname + " (netns " + ns_name_ + ")");
}

bool RouteSocket::link_is_up(const std::string& ifname) {
  rtnl_link* raw = nullptr;
  check_nl(rtnl_link_get_kernel(sock_.get(), 0, ifname.c_str(), &raw),
           "rtnl_link_get " + ifname + " (netns " + ns_name_ + ")");
  Link link(raw);
  return (rtnl_link_get_flags(link.get()) & IFF_UP) != 0;
}

RouteSocket::LinkState RouteSocket::link_state(const std::string& ifname) {
  rtnl_link* raw = nullptr;
  check_nl(rtnl_link_get_kernel(sock_.get(), 0, ifname.c_str(), &raw),
           "rtnl_link_get " + ifname + " (netns " + ns_name_ + ")");
  Link link(raw);
  LinkState st;
  st.up = (rtnl_link_get_flags(link.get()) & IFF_UP) != 0;
  st.operstate = rtnl_link_get_operstate(link.get());
  if (const char* q = rtnl_link_get_qdisc(link.get())) st.qdisc = q;
  return st;
}

bool RouteSocket::LinkState::operational() const { return up && operstate == IF_OPER_UP && !qdisc.empty() && qdisc != "noop"; }

std::string RouteSocket::LinkState::str() const {
  char oper[32];
  rtnl_link_operstate2str(operstate, oper, sizeof oper);
  return std::string(up ? "up" : "down") + ", operstate " + oper + ", qdisc " + (qdisc.empty() ? "none" : qdisc);
}

void RouteSocket::addr_add(const std::string& ifname, const std::string& cidr) {
  const std::string what = "rtnl_addr_add " + cidr + " dev " + ifname + " (netns " + ns_name_ + ")";
  Addr addr(rtnl_addr_alloc());
  rtnl_addr_set_ifindex(addr.get(), link_index(ifname));
  NlAddr local = parse_addr(cidr, what);
  check_nl(rtnl_addr_set_local(addr.get(), local.get()), what);
  check_nl(rtnl_addr_add(sock_.get(), addr.get(), 0), what);
}

void RouteSocket::route_add(const std::string& dst, const std::string& via, const std::string& ifname) {
  const std::string what =
      "rtnl_route_add " + dst + " via " + via + " dev " + ifname + " (netns " + ns_name_ + ")";
  Route route(rtnl_route_alloc());
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  NlAddr dst_addr = parse_addr(dst == "default" ? "0.0.0.0/0" : dst, what);
  check_nl(rtnl_route_set_dst(route.get(), dst_addr.get()), what);
  rtnl_nexthop* nh = rtnl_route_nh_alloc();  // owned by the route once added to it
  if (!nh) throw std::bad_alloc();
  NlAddr gw = parse_addr(via, what);
  rtnl_route_nh_set_gateway(nh, gw.get());
  rtnl_route_nh_set_ifindex(nh, link_index(ifname));
  rtnl_route_add_nexthop(route.get(), nh);
  check_nl(rtnl_route_add(sock_.get(), route.get(), NLM_F_CREATE | NLM_F_EXCL), what);
}

int RouteSocket::qdisc_try_add_root(const std::string& ifname, const std::string& kind) {
  Qdisc q(rtnl_qdisc_alloc());
  rtnl_tc_set_ifindex(TC_CAST(q.get()), link_index(ifname));
  rtnl_tc_set_parent(TC_CAST(q.get()), TC_H_ROOT);
  if (int err = rtnl_tc_set_kind(TC_CAST(q.get()), kind.c_str()); err < 0) return err;
  return rtnl_qdisc_add(sock_.get(), q.get(), NLM_F_CREATE | NLM_F_REPLACE);
}

}  // namespace deadpeer::netlink
