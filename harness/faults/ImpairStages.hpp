#pragma once
// The stages behind the user-space `impair` backend, with netem's semantics and order
// (loss → duplicate → delay/jitter/reorder → rate), one instance per knob that is set:
//
//   LossStage       drops `loss` % of the packets, independently (netem's default, no correlation).
//   DuplicateStage  emits a second copy of `duplicate` % of the packets; the copy goes through the
//                   later stages on its own (its own jitter sample), as in netem.
//   DelayStage      send_at = arrival + delay + U(-jitter, +jitter) (netem without a distribution
//                   table is uniform). With `reorder` %, that share is sent at once and only the
//                   rest is delayed (netem's `reorder P` with gap 1). Jitter alone may reorder too,
//                   as netem does when no rate is set.
//   RateStage       serialises each way at `rate` bit/s: a packet leaves when the previous one has
//                   been "transmitted", frame length with its Ethernet header (netem counts the
//                   same bytes). Queue length is bounded by ReleaseQueue's limit.
//
// Each stage acts only on the ways its Direction covers. Randomness: one mt19937_64 per stage,
// seeded from the seed given (tests fix it; the fault draws it from std::random_device).
#include <atomic>
#include <chrono>
#include <optional>
#include <random>

#include "faults/PacketStage.hpp"

namespace deadpeer::faults {

struct ImpairConfig {
  std::chrono::nanoseconds delay{0};
  std::chrono::nanoseconds jitter{0};  // <= delay, checked by the fault's parameters
  double loss = 0;                     // percent, 0..100
  double duplicate = 0;                // percent
  double reorder = 0;                  // percent sent at once (needs delay > 0)
  std::optional<double> rate_bps;
  Direction direction = Direction::both;
  std::size_t limit = 1000;  // packets queued per way (netem `limit`)
};

// The stages for `c`, in netem's order; knobs at zero get no stage.
Stages make_impair_stages(const ImpairConfig& c, std::uint64_t seed);

class LossStage final : public PacketStage {
 public:
  LossStage(double percent, Direction d, std::uint64_t seed) : percent_(percent), dir_(d), rng_(seed) {}
  void on_packet(Packet&& p, Emit& emit) override;
  std::map<std::string, long> counters() const override { return {{"lost_packets", lost_.load()}}; }

 private:
  double percent_;
  Direction dir_;
  std::mt19937_64 rng_;
  std::atomic<long> lost_{0};
};

class DuplicateStage final : public PacketStage {
 public:
  DuplicateStage(double percent, Direction d, std::uint64_t seed) : percent_(percent), dir_(d), rng_(seed) {}
  void on_packet(Packet&& p, Emit& emit) override;
  std::map<std::string, long> counters() const override { return {{"duplicated_packets", duplicated_.load()}}; }

 private:
  double percent_;
  Direction dir_;
  std::mt19937_64 rng_;
  std::atomic<long> duplicated_{0};
};

class DelayStage final : public PacketStage {
 public:
  DelayStage(std::chrono::nanoseconds delay, std::chrono::nanoseconds jitter, double reorder_percent, Direction d,
             std::uint64_t seed)
      : delay_(delay), jitter_(jitter), reorder_(reorder_percent), dir_(d), rng_(seed) {}
  void on_packet(Packet&& p, Emit& emit) override;
  std::map<std::string, long> counters() const override {
    return {{"delayed_packets", delayed_.load()}, {"sent_ahead_packets", ahead_.load()}};
  }

 private:
  std::chrono::nanoseconds delay_, jitter_;
  double reorder_;
  Direction dir_;
  std::mt19937_64 rng_;
  std::atomic<long> delayed_{0}, ahead_{0};
};

class RateStage final : public PacketStage {
 public:
  RateStage(double bits_per_second, Direction d) : bps_(bits_per_second), dir_(d) {}
  void on_packet(Packet&& p, Emit& emit) override;
  std::map<std::string, long> counters() const override { return {{"rate_queued_packets", queued_.load()}}; }
  // Time to put `bytes` on a link of `bps` bit/s.
  static std::chrono::nanoseconds transmit_time(std::size_t bytes, double bps);

 private:
  double bps_;
  Direction dir_;
  sys::TimePoint busy_until_[2]{};  // per way: when the link finishes its last packet
  std::atomic<long> queued_{0};
};

}  // namespace deadpeer::faults
