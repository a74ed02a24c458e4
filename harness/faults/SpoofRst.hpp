#pragma once
// `spoof-rst`: a middlebox injects a RST into the established connection, towards one end, as
// if from the other — what a censoring firewall, an IPS, or a load balancer that forgot the
// flow does. The target's kernel resets the socket: its next read fails with ECONNRESET (sshd
// logs "Read error from remote host … Connection reset by peer", ssh exits). Its peer knows
// nothing until it sends: then the target's kernel, which has no socket any more, answers RST.
//
// The RST's seq is exactly the target's rcv_nxt (RST|ACK, ack = its snd_nxt), because Linux
// follows RFC 5961 §3: a RST whose seq is in the window but not exactly rcv_nxt only draws a
// challenge ACK, and one outside the window is dropped. `exact = false` sends seq = rcv_nxt + 1
// to show just that: the connection survives and the target answers with a challenge ACK.
//
// target: "server" (default) | "client" — who receives the RST.
// Counters: forged_rsts; challenge_acks (bare ACKs from the target within 200 ms after the RST:
// 1 when exact = false, 0 when the RST was accepted).
#include <atomic>

#include "faults/Fault.hpp"
#include "faults/Middlebox.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class SpoofRst : public Fault {
 public:
  SpoofRst(lab::Lab& lab, FlowSide target, bool exact, std::uint16_t server_port = 22);
  ~SpoofRst() override;

  std::string kind() const override { return "spoof-rst"; }
  std::string backend() const override { return "userspace"; }

 protected:
  void do_apply() override;
  void do_remove() override {}  // a RST cannot be taken back
  std::map<std::string, long> armed_counters() override;

 private:
  std::optional<TcpSegment> after_rst(const FrameView& f, const FlowTracker::Observation& obs, sys::TimePoint at);

  FlowSide target_;
  bool exact_;
  std::atomic<long> forged_rsts_{0};
  std::atomic<long> challenge_acks_{0};
  std::atomic<sys::TimePoint::rep> sent_at_{0};  // the last RST's time since the clock's epoch
  Middlebox box_;  // last: its thread reads the members above
};

}  // namespace deadpeer::faults
