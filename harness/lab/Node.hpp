#pragma once
// One host of the lab: a network namespace and the netlink socket that configures it.
// Member order is build order: the socket closes before the namespace is dropped.
#include <string>

#include "netlink/RouteSocket.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::lab {

class Node {
 public:
  Node(const std::string& ns_name, std::string role);

  const std::string& role() const { return role_; }  // "client", "router", "server"
  sys::Netns& ns() { return ns_; }
  const sys::Netns& ns() const { return ns_; }
  netlink::RouteSocket& rtnl() { return rtnl_; }
  void sysctl(const std::string& name, const std::string& value) const;

 private:
  std::string role_;
  sys::Netns ns_;
  netlink::RouteSocket rtnl_;
};

}  // namespace deadpeer::lab
