#include "lab/Lab.hpp"

#include <thread>

#include "sys/Clock.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::lab {
namespace {

using namespace std::chrono_literals;

// Returns once the kernel forwards on both ends of a wire. Setting a veth up only queues the
// work: its operstate and its qdisc come from the kernel's link watch, a worker that runs
// later and needs the RTNL lock, which other namespaces' teardown can hold for milliseconds.
// Until then the device drops every frame (noop qdisc): a case's first ARP request would
// vanish and its first connection wait for the 1 s neighbour retry. On this machine the links
// were always ready by the time the lab was built (thousands of labs, also under load), so
// this costs one RTM_GETLINK per end; it is the guarantee, not a measured fix.
void wait_operational(Node& a, const char* a_if, Node& b, const char* b_if) {
  const auto deadline = sys::Clock::now() + 5s;
  for (auto [node, ifname] : {std::pair{&a, a_if}, std::pair{&b, b_if}}) {
    for (;;) {
      const auto st = node->rtnl().link_state(ifname);
      if (st.operational()) break;
      if (sys::Clock::now() > deadline)
        throw sys::Error(std::string("link ") + ifname + " (netns " + node->ns().name() +
                         ") not forwarding 5 s after it was set up: " + st.str());
      std::this_thread::sleep_for(100us);
    }
  }
}

}  // namespace

Lab::Lab(const std::string& prefix)
    : prefix_(prefix), client_(prefix + "-c", "client"), server_(prefix + "-s", "server"),
      router_(prefix + "-r", "router") {
  // Recipe: create the wires from the router side, peers directly in their hosts' namespaces.
  auto& r = router_.rtnl();
  r.veth_add(Ifnames::router_to_client, Ifnames::client, client_.ns());

  r.addr_add(Ifnames::router_to_client, std::string(Addresses::router_client_side) + "/24");
  r.link_set_up(Ifnames::router_to_client);
  router_.sysctl("net.ipv4.ip_forward", "1");

  client_.rtnl().addr_add(Ifnames::client, std::string(Addresses::client) + "/24");
  client_.rtnl().link_set_up(Ifnames::client);
  client_.rtnl().route_add("default", Addresses::router_client_side, Ifnames::client);

  wire_server(server_);
  wait_operational(router_, Ifnames::router_to_client, client_, Ifnames::client);
  sys::log("lab").debug("lab {} ready", prefix_);
}

void Lab::wire_server(Node& server) {
  auto& r = router_.rtnl();
  r.veth_add(Ifnames::router_to_server, Ifnames::server, server.ns());
  r.addr_add(Ifnames::router_to_server, std::string(Addresses::router_server_side) + "/24");
  r.link_set_up(Ifnames::router_to_server);
  server.rtnl().addr_add(Ifnames::server, std::string(Addresses::server) + "/24");
  server.rtnl().link_set_up(Ifnames::server);
  server.rtnl().route_add("default", Addresses::router_server_side, Ifnames::server);
  wait_operational(router_, Ifnames::router_to_server, server, Ifnames::server);
}

}  // namespace deadpeer::lab
