#pragma once
// The three-host topology of one case, built over netlink:
//
//   client ns                 router ns                      server ns
//   c0 198.51.100.2/24 ── rc 198.51.100.1/24 | rs 203.0.113.1/24 ── s0 203.0.113.2/24
//   default via .1            ip_forward=1                   default via .1
//
// Addresses are from the documentation ranges (RFC 5737): they can never be mistaken for a
// real host, and each lab has its own namespaces so parallel labs reuse them without clashing.
// Faults act in the router, on forwarded traffic only. Destruction drops the namespaces (the
// kernel removes their devices with them) in reverse build order: router, server, client.
#include <string>

#include "lab/Node.hpp"

namespace deadpeer::lab {

struct Addresses {
  static constexpr const char* client = "198.51.100.2";
  static constexpr const char* router_client_side = "198.51.100.1";
  static constexpr const char* router_server_side = "203.0.113.1";
  static constexpr const char* server = "203.0.113.2";
};

struct Ifnames {
  static constexpr const char* client = "c0";
  static constexpr const char* router_to_client = "rc";
  static constexpr const char* router_to_server = "rs";
  static constexpr const char* server = "s0";
};

class Lab {
 public:
  // prefix: unique per case and run, e.g. "dpk3f9a2-0"; namespaces are <prefix>-c/-r/-s.
  explicit Lab(const std::string& prefix);

  Node& client() { return client_; }
  Node& router() { return router_; }
  Node& server() { return server_; }
  const std::string& prefix() const { return prefix_; }
  // Connects a server host to the router (veth rs ⇄ s0, addresses, default route). The
  // constructor wires server(); the `reboot` fault wires a fresh namespace after a crash
  // deleted rs, so the rebooted server has no connection state at all.
  void wire_server(Node& server);

 private:
  std::string prefix_;
  Node client_;
  Node server_;
  Node router_;
};

}  // namespace deadpeer::lab
