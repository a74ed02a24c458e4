#include "lab/Node.hpp"

#include "lab/Sysctl.hpp"

#include <system_error>

namespace deadpeer::lab {

Node::Node(const std::string& ns_name, std::string role)
    : role_(std::move(role)), ns_(sys::Netns::create(ns_name)), rtnl_(netlink::RouteSocket::open_in(ns_)) {
  rtnl_.link_set_up("lo");
  // IPv6 link-local chatter (router solicitations, DAD) would add packets the faults and the
  // packet counters of the tests would have to explain; the lab speaks IPv4 only.
  try {
    sysctl("net.ipv6.conf.all.disable_ipv6", "1");
    sysctl("net.ipv6.conf.default.disable_ipv6", "1");
  } catch (const std::system_error& e) {
    if (e.code() != std::errc::no_such_file_or_directory) throw;  // kernel without IPv6
  }
}

void Node::sysctl(const std::string& name, const std::string& value) const { Sysctl::write(ns_, name, value); }

}  // namespace deadpeer::lab
