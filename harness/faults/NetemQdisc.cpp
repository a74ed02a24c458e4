#include "faults/NetemQdisc.hpp"

#include <fcntl.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/netem.h>
#include <netlink/route/tc.h>
#include <netlink/socket.h>

#include <cmath>
#include <cstdint>

#include "netlink/NlError.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::faults {
namespace {

using netlink::check_nl;

struct QdiscPut {
  void operator()(rtnl_qdisc* q) const { rtnl_qdisc_put(q); }
};
using Qdisc = std::unique_ptr<rtnl_qdisc, QdiscPut>;

// netem probabilities are 32-bit fractions of UINT32_MAX; libnl passes the int through as is.
int probability(double percent) {
  return static_cast<int>(static_cast<std::uint32_t>(std::llround(percent / 100.0 * UINT32_MAX)));
}

int ifindex_of(nl_sock* sock, const std::string& ifname, const std::string& ns) {
  rtnl_link* link = nullptr;
  check_nl(rtnl_link_get_kernel(sock, 0, ifname.c_str(), &link), "rtnl_link_get " + ifname + " (netns " + ns + ")");
  const int index = rtnl_link_get_ifindex(link);
  rtnl_link_put(link);
  return index;
}

Qdisc root_netem(nl_sock* sock, const std::string& ifname, const std::string& ns) {
  Qdisc q(rtnl_qdisc_alloc());
  if (!q) throw std::bad_alloc();
  rtnl_tc_set_ifindex(TC_CAST(q.get()), ifindex_of(sock, ifname, ns));
  rtnl_tc_set_parent(TC_CAST(q.get()), TC_H_ROOT);
  check_nl(rtnl_tc_set_kind(TC_CAST(q.get()), "netem"), "netem qdisc on " + ifname + " (netns " + ns + ")");
  return q;
}

}  // namespace

void NetemQdisc::Deleter::operator()(nl_sock* s) const { nl_socket_free(s); }

NetemQdisc::NetemQdisc(const sys::Netns& ns) : ns_name_(ns.name()) {
  ns.run([&] {
    sock_.reset(nl_socket_alloc());
    if (!sock_) throw std::bad_alloc();
    check_nl(nl_connect(sock_.get(), NETLINK_ROUTE), "nl_connect NETLINK_ROUTE in netns " + ns.name());
    ::fcntl(nl_socket_get_fd(sock_.get()), F_SETFD, FD_CLOEXEC);  // sshd must not inherit it
  });
}

NetemQdisc::~NetemQdisc() = default;

std::string NetemQdisc::unavailable_reason(const sys::Netns& ns) {
  try {
    NetemQdisc probe(ns);
    probe.add("lo", ImpairConfig{});
    probe.remove("lo");
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

void NetemQdisc::add(const std::string& ifname, const ImpairConfig& c) {
  Qdisc q = root_netem(sock_.get(), ifname, ns_name_);
  using std::chrono::microseconds, std::chrono::duration_cast;
  rtnl_netem_set_limit(q.get(), static_cast<int>(c.limit));
  if (c.delay.count() > 0) rtnl_netem_set_delay(q.get(), static_cast<int>(duration_cast<microseconds>(c.delay).count()));
  if (c.jitter.count() > 0)
    rtnl_netem_set_jitter(q.get(), static_cast<int>(duration_cast<microseconds>(c.jitter).count()));
  if (c.loss > 0) rtnl_netem_set_loss(q.get(), probability(c.loss));
  if (c.duplicate > 0) rtnl_netem_set_duplicate(q.get(), probability(c.duplicate));
  if (c.reorder > 0) {
    rtnl_netem_set_reorder_probability(q.get(), probability(c.reorder));
    rtnl_netem_set_gap(q.get(), 1);  // as tc does: without a gap netem never reorders
  }
  check_nl(rtnl_qdisc_add(sock_.get(), q.get(), NLM_F_CREATE | NLM_F_REPLACE),
           "add netem qdisc on " + ifname + " (netns " + ns_name_ + ")");
  sys::log("faults").debug("netem on {} in {}", ifname, ns_name_);
}

void NetemQdisc::remove(const std::string& ifname) {
  Qdisc q = root_netem(sock_.get(), ifname, ns_name_);
  check_nl(rtnl_qdisc_delete(sock_.get(), q.get()), "delete netem qdisc on " + ifname + " (netns " + ns_name_ + ")");
}

}  // namespace deadpeer::faults
