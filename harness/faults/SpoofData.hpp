#pragma once
// `spoof-data`: a middlebox injects a segment of junk into the SSH stream towards one end, as
// if from the other, at exactly the target's rcv_nxt: the target's kernel accepts it as the
// next bytes of the stream and hands them to ssh/sshd, whose transport cannot decrypt or
// authenticate them. What it stands for: an on-path attacker, or a broken middlebox rewriting
// payload (a "transparent" proxy, bad NIC offload) — TCP's checksum is recomputed, only the
// SSH MAC notices.
//
// OpenSSH 9.2 with its default cipher (chacha20-poly1305) reads a random packet length first:
// almost always (1 − 2^-14) out of range → logs "Bad packet length N." and dies with
// "ssh_dispatch_run_fatal: Connection from … : Connection corrupted" (sshd) / "… Connection to
// …: Connection corrupted" (ssh). With a plausible length it would instead wait for the rest
// and fail with "Corrupted MAC on input." / "message authentication code incorrect".
//
// Afterwards the two ends disagree about the stream: the target acknowledges `bytes` more than
// its peer ever sent. The peer discards those ACKs (ack beyond its snd_nxt), and its own next
// `bytes` bytes reach the target as duplicates (seq below rcv_nxt): dropped and re-ACKed, so
// neither its data nor its FIN gets through until it has sent past the forged end.
//
// target: "server" (default) | "client"; bytes: 1…1400 (default 128).
// Counters: forged_segments; overlapped_segments (real data segments from the target's peer
// that start below the forged end: the duplicates above).
#include <atomic>
#include <vector>

#include "faults/Fault.hpp"
#include "faults/Middlebox.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class SpoofData : public Fault {
 public:
  SpoofData(lab::Lab& lab, FlowSide target, std::size_t bytes, std::uint16_t server_port = 22);
  ~SpoofData() override;

  std::string kind() const override { return "spoof-data"; }
  std::string backend() const override { return "userspace"; }
  // The bytes injected (random, drawn at arming): tests read them back from the target socket.
  const std::vector<std::uint8_t>& junk() const { return junk_; }

 protected:
  void do_apply() override;
  void do_remove() override {}  // bytes delivered cannot be taken back
  std::map<std::string, long> armed_counters() override;

 private:
  std::optional<TcpSegment> watch(const FrameView& f, const FlowTracker::Observation& obs);

  FlowSide target_;
  std::vector<std::uint8_t> junk_;
  std::atomic<long> forged_segments_{0};
  std::atomic<long> overlapped_{0};
  std::atomic<bool> forged_{false};
  std::atomic<std::uint32_t> forged_end_{0};  // the peer's sequence number right after the junk
  Middlebox box_;  // last: its thread reads the members above
};

}  // namespace deadpeer::faults
