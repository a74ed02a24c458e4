#pragma once
// What a middlebox on the path knows about one TCP connection (the SSH session): for each end,
// the next sequence number it will send, its advertised window, its latest TCP timestamp and
// its MAC address, all learned from the frames the router sees — and how to forge a segment
// that the other end will accept as coming from it.
//
// Pure bookkeeping: no sockets, no threads, no clock of its own (callers pass arrival times),
// so unit tests drive it with synthetic frames. Sequence numbers are compared in serial
// arithmetic (RFC 1982), so wrap-around at 2^32 is harmless.
//
// Each end's snd_nxt is a lower bound that becomes exact as soon as anything is seen: the end's
// own segments (seq + length) and the other end's ACKs both raise it. An end's rcv_nxt is its
// peer's snd_nxt — the router forwards every segment over a lossless veth, so what the tracker
// saw leave one end has reached the other.
#include <cstdint>
#include <optional>
#include <string>

#include "faults/TcpFrame.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::faults {

enum class FlowSide { client, server };
inline FlowSide other(FlowSide s) { return s == FlowSide::client ? FlowSide::server : FlowSide::client; }
std::string to_string(FlowSide s);

// One end of the connection as seen on the wire.
struct FlowEnd {
  std::uint32_t ip = 0;
  std::uint16_t port = 0;  // the client's is learned from the first frame (or set_client_port)
  std::optional<MacAddress> mac;
  std::optional<std::uint32_t> snd_nxt;
  std::optional<std::uint16_t> window;  // raw, as on the wire (the receiver applies the scale)
  std::optional<std::uint8_t> wscale;   // from its SYN, when the handshake was seen
  std::optional<std::uint32_t> ts_val;  // its latest TSval, seen at ts_at
  sys::TimePoint ts_at{};
  std::optional<std::uint32_t> ts_ecr;  // its latest TSecr: the peer's TSval it holds as ts_recent
  long segments = 0;                    // frames seen from it since the flow was (re)learned
};

// Serial-number "a is after b" (RFC 1982 / the kernel's after()).
inline bool seq_after(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

class FlowTracker {
 public:
  FlowTracker(std::uint32_t client_ip, std::uint32_t server_ip, std::uint16_t server_port);

  struct Observation {
    bool ours = false;             // a frame of the tracked connection
    FlowSide from = FlowSide::client;
    bool keepalive_probe = false;  // a TCP keepalive probe: bare ACK, ≤1 byte, seq = snd_nxt − 1
    bool new_flow = false;         // it (re)started the tracking (first frame, or a new SYN)
  };
  // Learns from one frame; frames of other connections are ignored (`ours` false).
  Observation observe(const FrameView& f, sys::TimePoint at);
  // Accounts for a segment the middlebox itself sent as one of the ends (its sequence space
  // moves on: the real end's next segments now overlap what the forged one carried).
  void note_forged(const TcpSegment& s);

  // The client port of a connection found by other means (sock_diag), before any frame of it.
  void set_client_port(std::uint16_t port);
  void set_mac(FlowSide s, const MacAddress& mac) { end_mut(s).mac = mac; }

  bool has_flow() const { return client_.port != 0; }
  // Both ends' sequence numbers are known: RSTs and data can be forged.
  bool synchronized() const { return client_.snd_nxt && server_.snd_nxt; }
  // Whether segments carry timestamps (negotiated in the handshake, or seen mid-stream).
  bool timestamps() const { return timestamps_; }
  const FlowEnd& end(FlowSide s) const { return s == FlowSide::client ? client_ : server_; }
  std::optional<std::uint32_t> rcv_nxt(FlowSide s) const { return end(other(s)).snd_nxt; }

  // A bare ACK as if from `from` to its peer, carrying exactly what the peer expects: seq = its
  // rcv_nxt, ack = its snd_nxt, `from`'s window, and timestamps the peer's PAWS check accepts.
  // Throws when the sequence numbers are not known (check synchronized()).
  TcpSegment forge_from(FlowSide from, sys::TimePoint now) const;
  // The answer the prober's peer would send to a keepalive probe: seq = probe.ack, ack =
  // probe.seq + 1, TSecr = the probe's TSval. Needs nothing learned beforehand.
  TcpSegment answer_probe(const FrameView& probe, FlowSide prober, sys::TimePoint now) const;
  // A TSval for `from` that its peer accepts (not older than the peer's ts_recent, which is the
  // peer's latest TSecr) and that advances like Linux's millisecond clock since last seen.
  std::optional<std::uint32_t> ts_val_for(FlowSide from, sys::TimePoint now,
                                          std::optional<std::uint32_t> floor = std::nullopt) const;

  // A window when the spoofed end never advertised one: Linux's typical scaled window.
  static constexpr std::uint16_t kFallbackWindow = 502;

 private:
  FlowEnd& end_mut(FlowSide s) { return s == FlowSide::client ? client_ : server_; }
  std::optional<FlowSide> side_of(const FrameView& f) const;
  void reset_flow(std::uint16_t client_port);
  TcpSegment addressed_from(FlowSide from) const;

  FlowEnd client_;
  FlowEnd server_;
  bool timestamps_ = false;
};

}  // namespace deadpeer::faults
