#pragma once
// A user-space stage that drops TCP keepalive probes and lets everything else through: the
// middlebox that does not count keepalives as activity (used by `firewall` with
// ignore_keepalive = true).
//
// A keepalive probe (RFC 1122 4.2.3.6; Linux tcp_xmit_probe_skb) is a segment with ACK only
// (no SYN, FIN or RST), no payload (or one garbage byte, as some stacks send), whose sequence
// number is one below the next one its sender will use — a byte the receiver already has, so
// it must answer with an ACK. Telling it from a pure ACK (seq = next) needs the sender's next
// sequence number, so the stage watches every flow from arming on (watches_from_arm) and keeps,
// per flow and direction, the highest seq + len (+1 for SYN and FIN) seen. A flow first seen
// mid-stream is learnt from its first segments and from the peer's ACKs (the receiver's ACK
// never exceeds what the sender sent); until then nothing of it is dropped, never too much.
// A one-byte probe is told from the retransmission of a lost one-byte segment (same seq, same
// length) by the peer's ACK: a probe repeats a byte the peer already acknowledged.
//
// Linux's zero-window probes look the same (seq = snd_una - 1) and are dropped too when nothing
// is in flight; with data in flight they carry an older seq and pass.
#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>

#include "faults/PacketStage.hpp"

namespace deadpeer::faults {

class KeepaliveFilter final : public PacketStage {
 public:
  void on_packet(Packet&& p, Emit& emit) override;
  bool watches_from_arm() const override { return true; }
  void observe(const FrameView& f, Direction way) override { learn(f); }
  // "keepalive_probes_dropped"
  std::map<std::string, long> counters() const override { return {{"keepalive_probes_dropped", dropped_.load()}}; }

  // Whether `f` is a keepalive probe given what was learnt so far (does not learn from it).
  bool is_probe(const FrameView& f) const;
  // Records the sequence space `f` used.
  void learn(const FrameView& f);

 private:
  // The sender's side of a flow: source address/port, destination address/port.
  using FlowKey = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
  static FlowKey key_of(const FrameView& f) { return {f.ip_src, f.sport, f.ip_dst, f.dport}; }

  struct Sender {
    std::optional<std::uint32_t> next;   // highest seq + len (+SYN/FIN) it used, or the peer acked
    std::optional<std::uint32_t> acked;  // highest ACK its peer sent
  };
  std::map<FlowKey, Sender> senders_;  // relay thread only
  std::atomic<long> dropped_{0};
};

}  // namespace deadpeer::faults
