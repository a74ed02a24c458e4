#pragma once
// The user-space packet path in the router: every IPv4 packet the router receives on rc or rs
// goes through a chain of PacketStages (delay, loss, a keepalive filter ...) before the
// router's own stack routes it. For kernels without sch_netem and nft `queue` (docs/faults-userspace.md).
//
//   rc ──ingress: netdev chain `fwd to "rc-relay"`──▶ tap rc-relay ─fd─▶ relay thread
//                                                                        │ stages, ReleaseQueue
//   rs ◀── routing, TTL, conntrack, forward chain ◀── tap rc-relay ◀─fd──┘ (at send_at)
//   (and the mirror image from rs through rs-relay)
//
// Diverting with nftables `fwd` (not an AF_PACKET tap plus a drop rule) makes the switch exact:
// a packet is either forwarded by the kernel or handed to the relay, decided by the one
// transaction that adds or deletes the table. Re-injecting through a TAP makes the relayed
// packet a received packet: it is routed, its TTL decremented, and it crosses the router's
// conntrack and forward chain like any other, so nftables-based faults still see it (with
// iif rc-relay/rs-relay instead of rc/rs). The taps have rp_filter off; the source of a relayed
// packet is reached through rc or rs, not through the tap.
//
// Lifecycle, as for a Fault: construct = arm (taps created, relay thread running, and — when
// a stage watches_from_arm — AF_PACKET sniffers on rc and rs feeding it every frame), apply()
// = one nftables transaction diverting both links, remove() = one transaction deleting the
// table; what the relay still holds then leaves at once (see remove()). One UserPath per lab:
// a second one fails to create its taps (EBUSY).
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "faults/PacketSocket.hpp"
#include "faults/PacketStage.hpp"
#include "faults/ReleaseQueue.hpp"
#include "faults/TapDevice.hpp"
#include "netlink/NftContext.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class UserPath {
 public:
  static constexpr const char* kTable = "dp_userpath";          // netdev family
  static constexpr const char* kTapFromClient = "rc-relay";     // what arrived on rc (to the server)
  static constexpr const char* kTapFromServer = "rs-relay";     // what arrived on rs (to the client)

  // Arms (see above). limit_per_way bounds the packets held per way (netem's `limit`).
  UserPath(lab::Lab& lab, Stages stages, std::size_t limit_per_way = ReleaseQueue::kDefaultLimit);
  UserPath(const UserPath&) = delete;
  UserPath& operator=(const UserPath&) = delete;
  // Removes if applied, stops the relay thread, deletes the taps. Never throws.
  ~UserPath();

  // One transaction: IPv4 unicast to the router's MAC on rc and rs goes to the relay.
  // apply() and remove() alternate, starting with apply(), from one thread.
  void apply();
  // One transaction deleting the table; then the packets still queued (and any diverted just
  // before the commit) are sent at once, unjudged if not yet judged, and the call returns when
  // the relay holds nothing. So after remove() the path is the kernel's again, immediately.
  void remove();
  bool applied() const { return applied_.load(); }

  // Cumulative over all apply/remove cycles: "relayed_packets", "flushed_packets",
  // "max_queue", "queue_overflow_drops", "reordered_packets", "inject_errors",
  // "release_late_max_us" and "released_over_1ms_late" (how late the relay released what it
  // held, after its due time), and every stage's counters. Safe to call from any thread.
  std::map<std::string, long> counters() const;
  // Packets the current table diverted so far (0 when not applied).
  long diverted_packets();

 private:
  enum class Command { none, flush, stop };
  void run();  // the relay thread
  int handle_tap(TapDevice& tap, Direction way);  // frames read (at most one batch)
  void handle_sniffer(PacketSocket& s, Direction way);
  void release_due();
  void note_lateness(sys::Clock::duration late);
  void flush();
  void inject(Packet& p);
  void arm_timer();

  lab::Lab& lab_;
  std::string router_ns_;
  netlink::NftContext nft_;
  TapDevice tap_from_client_;
  TapDevice tap_from_server_;
  std::optional<PacketSocket> sniff_rc_, sniff_rs_;  // only when a stage watches from arm
  Stages stages_;
  ReleaseQueue queue_;
  StageChain chain_{stages_, queue_};
  std::uint64_t serial_[2] = {0, 0};
  std::vector<std::uint8_t> rx_buffer_;  // relay thread only
  sys::UniqueFd epoll_, wake_, timer_;

  bool diverting_ = false;  // the netdev table exists (caller's thread only)
  std::atomic<bool> applied_{false};
  std::atomic<long> relayed_{0}, flushed_{0}, inject_errors_{0};
  std::atomic<long> late_max_us_{0}, late_over_1ms_{0};
  std::mutex mutex_;
  std::condition_variable done_cv_;
  Command command_ = Command::none;  // guarded by mutex_
  bool command_done_ = false;        // guarded by mutex_
  std::thread thread_;  // last: started when everything above exists, joined first
};

}  // namespace deadpeer::faults
