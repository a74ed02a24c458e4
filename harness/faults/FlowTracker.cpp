#include "faults/FlowTracker.hpp"

#include "sys/SystemError.hpp"

namespace deadpeer::faults {
namespace {

std::uint32_t seq_max(std::optional<std::uint32_t> known, std::uint32_t v) {
  return known && !seq_after(v, *known) ? *known : v;
}

}  // namespace

std::string to_string(FlowSide s) { return s == FlowSide::client ? "client" : "server"; }

FlowTracker::FlowTracker(std::uint32_t client_ip, std::uint32_t server_ip, std::uint16_t server_port) {
  client_.ip = client_ip;
  server_.ip = server_ip;
  server_.port = server_port;
}

void FlowTracker::reset_flow(std::uint16_t client_port) {
  // Keep what belongs to the hosts (addresses, MACs); forget everything about the old connection.
  FlowEnd c, s;
  c.ip = client_.ip, c.mac = client_.mac, c.port = client_port;
  s.ip = server_.ip, s.mac = server_.mac, s.port = server_.port;
  client_ = c;
  server_ = s;
  timestamps_ = false;
}

void FlowTracker::set_client_port(std::uint16_t port) {
  if (client_.port != port) reset_flow(port);
}

std::optional<FlowSide> FlowTracker::side_of(const FrameView& f) const {
  if (!f.tcp) return std::nullopt;
  if (f.ip_src == client_.ip && f.ip_dst == server_.ip && f.dport == server_.port) return FlowSide::client;
  if (f.ip_src == server_.ip && f.ip_dst == client_.ip && f.sport == server_.port) return FlowSide::server;
  return std::nullopt;
}

FlowTracker::Observation FlowTracker::observe(const FrameView& f, sys::TimePoint at) {
  Observation o;
  const auto side = side_of(f);
  if (!side) return o;
  const std::uint16_t client_port = *side == FlowSide::client ? f.sport : f.dport;
  const bool fresh_syn = *side == FlowSide::client && f.has(tcpflag::syn) && !f.has(tcpflag::ack);
  if (client_.port == 0 || (fresh_syn && client_port != client_.port)) {
    // The first frame we see decides which connection we track; a later handshake from another
    // port is a new session (ssh reconnecting) and replaces it.
    reset_flow(client_port);
    o.new_flow = true;
  } else if (client_port != client_.port) {
    return o;  // another connection to the same service: not ours
  }
  o.ours = true;
  o.from = *side;
  FlowEnd& me = end_mut(*side);
  FlowEnd& peer = end_mut(other(*side));

  // Linux's keepalive probe (tcp_xmit_probe_skb) repeats the last byte already acknowledged:
  // seq = snd_una − 1, no data, flags exactly ACK; some stacks send that one byte again. The
  // same shape is a zero-window probe: on the wire nobody can tell them apart.
  const bool rst = f.has(tcpflag::rst);
  o.keepalive_probe = f.flags == tcpflag::ack && f.payload_len <= 1 && me.snd_nxt && f.seq + 1 == *me.snd_nxt;

  ++me.segments;
  me.mac = f.eth_src;
  if (f.has(tcpflag::syn)) {
    me.wscale = f.wscale;  // absent in a SYN: the end does not scale
  } else if (!rst) {
    me.window = f.window;  // a SYN's window is never scaled; do not reuse it later
  }
  if (!rst) {
    // A kernel's RST usually carries no timestamp; every other segment does when negotiated.
    timestamps_ = f.ts_val.has_value();
    if (f.ts_val) me.ts_val = f.ts_val, me.ts_at = at;
    if (f.ts_ecr && f.has(tcpflag::ack)) me.ts_ecr = f.ts_ecr;
    const std::uint32_t seg_end = f.seq + static_cast<std::uint32_t>(f.payload_len) + (f.has(tcpflag::syn) ? 1 : 0) +
                                  (f.has(tcpflag::fin) ? 1 : 0);
    me.snd_nxt = seq_max(me.snd_nxt, seg_end);
    if (f.has(tcpflag::ack)) peer.snd_nxt = seq_max(peer.snd_nxt, f.ack);
  }
  return o;
}

void FlowTracker::note_forged(const TcpSegment& s) {
  const FlowSide from = s.ip_src == client_.ip ? FlowSide::client : FlowSide::server;
  FlowEnd& me = end_mut(from);
  if (s.flags & tcpflag::rst) return;
  const std::uint32_t seg_end = s.seq + static_cast<std::uint32_t>(s.payload.size()) +
                                ((s.flags & tcpflag::syn) ? 1 : 0) + ((s.flags & tcpflag::fin) ? 1 : 0);
  me.snd_nxt = seq_max(me.snd_nxt, seg_end);
}

std::optional<std::uint32_t> FlowTracker::ts_val_for(FlowSide from, sys::TimePoint now,
                                                     std::optional<std::uint32_t> floor) const {
  const FlowEnd& me = end(from);
  const FlowEnd& peer = end(other(from));
  std::optional<std::uint32_t> v = floor;
  if (me.ts_val) {
    // Linux's TCP timestamp clock ticks in milliseconds (TCP_TS_HZ = 1000 since 4.13).
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - me.ts_at).count();
    v = seq_max(v, *me.ts_val + static_cast<std::uint32_t>(std::max<long long>(0, ms)));
  }
  // The peer's TSecr is its ts_recent: PAWS drops anything older than that.
  if (peer.ts_ecr) v = seq_max(v, *peer.ts_ecr);
  return v;
}

TcpSegment FlowTracker::addressed_from(FlowSide from) const {
  const FlowEnd& me = end(from);
  const FlowEnd& peer = end(other(from));
  TcpSegment s;
  s.ip_src = me.ip, s.sport = me.port;
  s.ip_dst = peer.ip, s.dport = peer.port;
  if (peer.mac) s.eth_dst = *peer.mac;
  s.ttl = 63;  // as if forwarded once by the router, like the real end's segments
  s.window = me.window.value_or(kFallbackWindow);
  return s;
}

TcpSegment FlowTracker::forge_from(FlowSide from, sys::TimePoint now) const {
  if (!has_flow() || !synchronized())
    throw sys::Error("forge a segment as the " + to_string(from) + ": sequence numbers of the connection to " +
                     ipv4_to_string(server_.ip) + ":" + std::to_string(server_.port) + " not learned yet");
  const FlowEnd& me = end(from);
  const FlowEnd& peer = end(other(from));
  TcpSegment s = addressed_from(from);
  s.seq = *me.snd_nxt;
  s.ack = *peer.snd_nxt;
  s.flags = tcpflag::ack;
  if (timestamps_) {
    s.ts_val = ts_val_for(from, now);
    if (s.ts_val) s.ts_ecr = peer.ts_val.value_or(0);
  }
  return s;
}

TcpSegment FlowTracker::answer_probe(const FrameView& probe, FlowSide prober, sys::TimePoint now) const {
  const FlowSide from = other(prober);
  TcpSegment s = addressed_from(from);
  s.eth_dst = probe.eth_src;  // certainly the prober's own address
  s.sport = probe.dport, s.dport = probe.sport;
  s.seq = probe.ack;     // exactly the prober's rcv_nxt
  s.ack = probe.seq + 1;  // its snd_nxt: everything it sent is acknowledged
  s.flags = tcpflag::ack;
  if (probe.ts_val) {
    s.ts_val = ts_val_for(from, now, probe.ts_ecr);
    s.ts_ecr = probe.ts_val;
  }
  return s;
}

}  // namespace deadpeer::faults
