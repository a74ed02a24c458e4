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

// Two Dropbear details that depend on the traffic (common-session.c, process-packet.c, packet.c
// of DROPBEAR_2022.83, unchanged in master):
// - -I ignores keepalive *global* requests and REQUEST_FAILURE/CHANNEL_FAILURE replies, but a
//   keepalive sent as a *channel* request is ordinary traffic to it. sshd (ClientAlive, while a
//   channel is open: serverloop.c client_alive_check) and Dropbear's own -K (send_msg_keepalive
//   with a ready channel) send channel requests; only OpenSSH's ssh sends a global request. So
//   the peer's probes keep a Dropbear side from idling out, and the last one before the loss
//   dates its idle timer.
// - Own writes wake its loop at any fraction of a second (see SshKeepalive::late_s): the
//   client typing every interval p can restart the probe chain at a keystroke, so the exit
//   comes up to min(K, p) late. A stream stops waking it as soon as the buffers fill after t0,
//   so it keeps about the phase of t0 ≈ t_rx: only the whole-second rounding (1 s early) remains.
void dropbear_wakeups(Profile& self, const Profile& peer, double rtt) {
  const bool peer_channel_requests = peer.ka.probes && (peer.cfg.side == Side::server || peer.cfg.dropbear());
  if (peer_channel_requests && peer.ka.cycle_s + rtt < self.idle_gap_s) {
    self.idle_gap_s = peer.ka.cycle_s + rtt;
    self.idle_source = peer.cfg.program() + "'s keepalive channel requests every " + secs(peer.ka.cycle_s + rtt) + " s";
  }
  if (self.ka.disconnects && self.app_send_period_s) {
    self.ka.whole_second = true;
    self.ka.late_s = std::min(self.ka.cycle_s, *self.app_send_period_s);  // 0 for a stream
    self.ka.formula += ", whole seconds woken by its own writes (up to 1 s early, " + secs(self.ka.late_s) + " s late)";
  }
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
      self.idle_source = "the " + scenario::to_string(in.pattern) + " traffic";
      if (self.cfg.side == Side::client) self.app_send_period_s = in.traffic_interval_s;
      break;
    case Pattern::stream:
      // Bulk data one way, window adjusts and ACKs the other: never silent for long.
      consider(self, rtt, "the stream");
      self.idle_gap_s = rtt;
      self.idle_source = "the stream";
      if (self.cfg.side == Side::server) self.app_send_period_s = 0.0;
      break;
    case Pattern::idle:
      break;
  }
  if (self.cfg.dropbear()) dropbear_wakeups(self, peer, rtt);
  self.tcp_rx_gap_s = self.rx_gap_s;
  // Its own data is ACKed within an RTT; its own keepalive probes are answered.
  if (self.app_send_period_s) self.tcp_rx_gap_s = std::min(self.tcp_rx_gap_s, *self.app_send_period_s + rtt);
  if (self.cfg.so_keepalive && self.cfg.tcp.keepalive_probes > 0)
    self.tcp_rx_gap_s = std::min(self.tcp_rx_gap_s, self.cfg.tcp.keepalive_time_s + rtt);
}

}  // namespace

Profiles profiles(const Inputs& in) {
  Profiles ps{base(client_config(in)), base(server_config(in))};
  // The timeline shows the ready marker ~1 ms before steady state; 0.1 s is generous.
  if (in.fault_at_s) ps.client.age_s = ps.server.age_s = *in.fault_at_s + 0.1;
  ps.client.observed_rx = in.client_last_rx;
  fill(ps.client, ps.server, in);
  fill(ps.server, ps.client, in);
  return ps;
}

}  // namespace deadpeer::model
