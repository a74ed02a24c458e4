#include "model/Traffic.hpp"

#include <algorithm>

#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using scenario::Pattern;

// One source of received packets and the longest gap it leaves.
void consider(Profile& p, double gap, const std::string& what) {
  if (gap < p.rx_gap_s) {
    p.rx_gap_s = gap;
    p.rx_source = what;
  }
}

Profile base(const SideConfig& cfg) {
  Profile p;
  p.cfg = cfg;
  p.ka = ssh_keepalive(cfg);
  return p;
}

void fill(Profile& self, const Profile& peer, const Inputs& in) {
  const double rtt = in.rtt_s;
  // A side that probes hears the answer one cycle (+ RTT) after the previous one at worst.
  if (self.ka.probes) consider(self, self.ka.cycle_s + rtt, "its own probes, answered every " + secs(self.ka.cycle_s + rtt) + " s");
  // The peer's probes arrive at the peer's cycle (when the peer is the one probing).
  if (peer.ka.probes)
    consider(self, peer.ka.cycle_s + rtt, peer.cfg.program() + "'s probes every " + secs(peer.ka.cycle_s + rtt) + " s");
  switch (in.pattern) {
    case Pattern::interactive:
    case Pattern::forward:
      // The client writes every interval and `cat` echoes it: both sides hear it.
      consider(self, in.traffic_interval_s, std::string("the ") + scenario::to_string(in.pattern) + " traffic every " + secs(in.traffic_interval_s) + " s");
      self.idle_gap_s = in.traffic_interval_s;
      if (self.cfg.side == Side::client) self.app_send_period_s = in.traffic_interval_s;
      break;
    case Pattern::stream:
      // Bulk data one way, window adjusts and ACKs the other: never silent for long.
      consider(self, rtt, "the stream");
      self.idle_gap_s = rtt;
      if (self.cfg.side == Side::server) self.app_send_period_s = 0.0;
      break;
    case Pattern::idle:
      break;
  }
  self.tcp_rx_gap_s = self.rx_gap_s;
  // Its own data is ACKed within an RTT; its own keepalive probes are answered.
  if (self.app_send_period_s) self.tcp_rx_gap_s = std::min(self.tcp_rx_gap_s, *self.app_send_period_s + rtt);
  if (self.cfg.so_keepalive && self.cfg.tcp.keepalive_probes > 0)
    self.tcp_rx_gap_s = std::min(self.tcp_rx_gap_s, self.cfg.tcp.keepalive_time_s + rtt);
}

}  // namespace

Profiles profiles(const Inputs& in) {
  Profiles ps{base(client_config(in)), base(server_config(in))};
  fill(ps.client, ps.server, in);
  fill(ps.server, ps.client, in);
  return ps;
}

}  // namespace deadpeer::model
