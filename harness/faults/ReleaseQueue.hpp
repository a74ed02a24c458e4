#pragma once
// The packets the user-space path holds until their release time (Packet::send_at), earliest
// first; equal times leave in the order they were queued. Like netem's `limit`, each way holds
// at most `limit` packets: one more is dropped and counted, which is what bounds the queue of
// a rate-limited link under a sender faster than the rate.
//
// Pure bookkeeping — no clock, no thread: the relay thread asks what is due at `now`.
#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

#include "faults/PacketStage.hpp"

namespace deadpeer::faults {

class ReleaseQueue final : public Emit {
 public:
  static constexpr std::size_t kDefaultLimit = 1000;  // netem's default
  explicit ReleaseQueue(std::size_t limit_per_way = kDefaultLimit) : limit_(limit_per_way) {}

  // Whether a new packet of `way` may enter the stages; when its way is full it is dropped
  // here and counted. Asked before the stages run, as netem checks its limit before computing
  // a delay: a dropped packet must not reserve time on a rate-limited link.
  bool admit(Direction way);
  // Queues `p`, or drops it when its way is full (counted in overflow_drops()): only a
  // duplicate can find its way full after admit().
  void operator()(Packet&& p) override;
  // When the earliest packet is due, if any.
  std::optional<sys::TimePoint> next_due() const;
  // The earliest packet if it is due at `now` (send_at <= now); with no `now`, the earliest
  // whatever its time (flushing).
  std::optional<Packet> pop(std::optional<sys::TimePoint> now);
  std::size_t size() const { return heap_.size(); }

  // Counters, readable from any thread.
  long max_size() const { return max_size_.load(std::memory_order_relaxed); }
  long overflow_drops() const { return overflow_.load(std::memory_order_relaxed); }
  // Packets released after a packet of the same way that arrived later (overtaken by it).
  long reordered() const { return reordered_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    Packet packet;
    std::uint64_t order;  // push order, the tie-break of equal release times
  };
  static bool later(const Entry& a, const Entry& b);  // heap order: earliest on top
  static std::size_t index(Direction way) { return way == Direction::to_client ? 1 : 0; }

  std::size_t limit_;
  std::vector<Entry> heap_;
  std::uint64_t pushed_ = 0;
  std::size_t per_way_[2] = {0, 0};
  std::uint64_t released_serial_[2] = {0, 0};
  bool released_any_[2] = {false, false};
  std::atomic<long> max_size_{0}, overflow_{0}, reordered_{0};
};

}  // namespace deadpeer::faults
