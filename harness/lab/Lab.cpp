#include "lab/Lab.hpp"

#include "sys/Log.hpp"

namespace deadpeer::lab {

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
}

}  // namespace deadpeer::lab
