#pragma once
// A NETLINK_ROUTE socket bound to one network namespace, with the link/address/route verbs the
// lab needs, named after the kernel's words. The socket belongs to the namespace it was opened
// in, whatever thread uses it later, so every call here acts on that namespace and no other.
#include <cstdint>
#include <memory>
#include <string>

struct nl_sock;

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::netlink {

class RouteSocket {
 public:
  // Opens the socket inside `ns` (on a thread that entered it).
  static RouteSocket open_in(const sys::Netns& ns);

  RouteSocket(RouteSocket&&) noexcept = default;
  RouteSocket& operator=(RouteSocket&&) noexcept = default;
  ~RouteSocket();

  // Creates veth `name` here with its peer `peer_name` directly inside `peer_ns` (no move:
  // moving a device between namespaces costs an rcu_barrier, ~16 ms).
  void veth_add(const std::string& name, const std::string& peer_name, const sys::Netns& peer_ns);
  void link_set_up(const std::string& ifname, bool up = true);
  bool link_is_up(const std::string& ifname);
  // What the kernel says of a link that was set up: whether it forwards yet, and why not.
  struct LinkState {
    bool up = false;           // IFF_UP
    std::uint8_t operstate{};  // IF_OPER_* (6 = up)
    std::string qdisc;         // "noop" until the kernel's link watch activates the device
    // Set up, carrier seen, operstate UP and a real qdisc attached: a frame sent now leaves.
    // Until then the device's qdisc is noop, which drops every frame handed to it (an ARP
    // request lost there costs the first connection a 1 s neighbour retry).
    bool operational() const;
    std::string str() const;
  };
  LinkState link_state(const std::string& ifname);
  // Deletes a link (a veth takes its peer with it, in whatever namespace the peer lives).
  void link_delete(const std::string& ifname);
  int link_index(const std::string& ifname);
  // cidr: "198.51.100.2/24"
  void addr_add(const std::string& ifname, const std::string& cidr);
  // dst: "default" or a prefix; via: gateway address.
  void route_add(const std::string& dst, const std::string& via, const std::string& ifname);

  // Adds a root qdisc of `kind` ("netem", "fq"...) with default parameters and returns libnl's
  // error code (0 on success) instead of throwing: the capability probe asks whether the
  // kernel has the scheduler at all.
  int qdisc_try_add_root(const std::string& ifname, const std::string& kind);

  const std::string& ns_name() const { return ns_name_; }

 private:
  struct Deleter {
    void operator()(nl_sock* s) const;
  };
  RouteSocket(std::unique_ptr<nl_sock, Deleter> sock, std::string ns_name)
      : sock_(std::move(sock)), ns_name_(std::move(ns_name)) {}
  std::unique_ptr<nl_sock, Deleter> sock_;
  std::string ns_name_;
};

}  // namespace deadpeer::netlink
