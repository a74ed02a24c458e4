#pragma once
// What one side sends and receives in steady state, before the fault: how old its last
// received packet can be at t0, and what it keeps sending on its own afterwards.
#include <optional>
#include <string>

#include "model/SideConfig.hpp"
#include "model/SshKeepalive.hpp"

namespace deadpeer::model {

struct Profile {
  SideConfig cfg;
  SshKeepalive ka;
  double rx_gap_s = kNever;      // longest silence between SSH packets received
  std::string rx_source;         // what bounds it, for explanations
  double tcp_rx_gap_s = kNever;  // same for any TCP segment (ACKs and keepalive answers count)
  double idle_gap_s = kNever;    // between non-keepalive packets sent or received (Dropbear -I)
  std::string idle_source;       // what bounds it, for explanations
  // Application data this side writes by itself: the client in interactive/forward every
  // interval, the server in stream continuously (0). The echo of `cat` is not listed: it
  // only answers what arrives.
  std::optional<double> app_send_period_s;
  // How long before t0 the session reached steady state (the fault's `at`, plus a little for
  // the ready marker's exchange): nothing it received is older. kNever when unknown.
  double age_s = kNever;
  // Traced runs: the last receive before t0 as observed (Inputs::client_last_rx).
  std::optional<Inputs::ObservedReceive> observed_rx;
};

struct Profiles {
  Profile client, server;
};

Profiles profiles(const Inputs& in);

}  // namespace deadpeer::model
