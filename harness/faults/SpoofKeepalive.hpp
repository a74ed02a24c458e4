#pragma once
// `spoof-keepalive`: the server is cut off (the router drops what it forwards, both ways, like
// `blackhole`) while a middlebox answers TCP keepalive probes as if the dead end were alive.
//
// What it stands for: a proxy, load balancer or "TCP keepalive offload" box that acknowledges
// keepalives itself, or a firewall that fakes them; TCP keepalive probes are bare ACKs outside
// the encrypted channel, so anyone on the path can answer them. An end that relies on TCP
// keepalive alone (TCPKeepAlive yes, no ServerAlive/ClientAlive) then never notices that its
// peer is gone; SSH-layer keepalives travel inside the channel and still notice.
//
// On the wire, for each probe (flags exactly ACK, ≤1 byte, seq = snd_nxt − 1) from an answered
// end: a forged ACK as if from its peer with seq = the probe's ack (the prober's rcv_nxt), ack
// = probe seq + 1, the peer's last window, and when timestamps are on TSval ≥ the prober's
// ts_recent (its TSecr) advancing with the peer's millisecond clock, TSecr = the probe's TSval.
//
// direction: "to-client" (default: the client's probes are answered on behalf of the server),
// "to-server" (the server's, on behalf of the client), "both".
// Counters: forged_acks, probes_seen (probes from either end while applied), dropped_packets.
#include <atomic>

#include "faults/Blackhole.hpp"
#include "faults/Fault.hpp"
#include "faults/Middlebox.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class SpoofKeepalive : public Fault {
 public:
  // `answer`: whose probes get forged answers (the direction the forged ACKs travel).
  SpoofKeepalive(lab::Lab& lab, Direction answer, std::uint16_t server_port = 22);
  ~SpoofKeepalive() override;

  std::string kind() const override { return "spoof-keepalive"; }
  std::string backend() const override { return "userspace"; }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> armed_counters() override;

 private:
  std::optional<TcpSegment> respond(const FrameView& f, const FlowTracker::Observation& obs,
                                    const FlowTracker& tracker, sys::TimePoint at);

  Direction answer_;
  Blackhole cut_;  // the outage itself: nftables drops in the router's forward hook
  std::atomic<bool> answering_{false};
  std::atomic<long> forged_acks_{0};
  std::atomic<long> probes_seen_{0};
  Middlebox box_;  // last: its thread calls respond(), which uses the members above
};

}  // namespace deadpeer::faults
