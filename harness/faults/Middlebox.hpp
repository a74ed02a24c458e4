#pragma once
// A machine on the path that watches one TCP connection and can speak for either end: the
// sniffer/injector behind the spoofing faults (spoof-keepalive, spoof-rst, spoof-data).
//
//   client ── rc ┤ router: Middlebox taps rc and rs (AF_PACKET, ETH_P_ALL) ├ rs ── server
//
// Its thread reads every frame arriving on rc (sent by the client) and rs (sent by the server),
// feeds the FlowTracker, and asks the owner's Responder whether to answer; forged frames leave
// through the link that leads to their destination, with the router's MAC as source, exactly
// as a forwarded segment would. The taps run before nftables, so a blackhole in the forward
// hook does not hide what the ends send. Frames we send are never read back
// (PACKET_IGNORE_OUTGOING).
//
// Arming (construction) starts the thread; a connection set up after that is learned from its
// handshake. One already established and idle is found with sock_diag in the server's
// namespace, and its sequence numbers are elicited (synchronize()).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "faults/FlowTracker.hpp"
#include "faults/PacketSocket.hpp"
#include "faults/TcpFrame.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::lab {
class Lab;
}
namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

class Middlebox {
 public:
  // Runs on the middlebox thread for each frame of the tracked connection, after the tracker
  // learned from it and with the tracker locked. A returned segment is sent at once.
  using Responder = std::function<std::optional<TcpSegment>(const FrameView&, const FlowTracker::Observation&,
                                                            const FlowTracker&, sys::TimePoint)>;

  // Taps the router of `lab` for the connection client → server:`server_port`.
  Middlebox(lab::Lab& lab, std::uint16_t server_port, Responder responder);
  ~Middlebox();
  Middlebox(const Middlebox&) = delete;
  Middlebox& operator=(const Middlebox&) = delete;

  // Makes sure both ends' sequence numbers are known. If no frame of the connection was seen
  // since arming, finds it with sock_diag and sends `target` a SYN as if from its peer:
  // RFC 5961 makes an established socket answer any SYN with a challenge ACK carrying its
  // snd_nxt and rcv_nxt. The target answers one such segment per tcp_invalid_ratelimit
  // (500 ms), so an unanswered SYN is repeated after 600 ms. Returns whether it had to elicit
  // (the target's allowance is then spent for 500 ms). Throws, naming the connection, when
  // there is none or it did not answer within `timeout`.
  bool synchronize(FlowSide target, std::chrono::milliseconds timeout);

  // Runs fn(tracker) under the tracker's lock.
  template <class F>
  auto with_tracker(F&& fn) {
    std::lock_guard lock(mu_);
    return fn(static_cast<const FlowTracker&>(tracker_));
  }
  // Sends a forged segment towards its destination end, Ethernet addresses filled in, and
  // accounts for it in the tracker (FlowTracker::note_forged).
  void send(TcpSegment seg);

  long frames_seen() const { return frames_seen_; }

 private:
  void run() noexcept;
  void handle(PacketSocket& sock, std::span<std::uint8_t> buf);
  void send_locked(TcpSegment& seg);

  const sys::Netns& server_ns_;
  std::uint16_t server_port_;
  PacketSocket rc_;  // faces the client: frames from the client arrive here
  PacketSocket rs_;  // faces the server
  sys::UniqueFd wake_;  // eventfd: tells the thread to stop
  std::mutex mu_;
  std::condition_variable seen_;
  FlowTracker tracker_;
  Responder responder_;
  std::atomic<long> frames_seen_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: it starts once every member it uses exists, and stops first
};

}  // namespace deadpeer::faults
