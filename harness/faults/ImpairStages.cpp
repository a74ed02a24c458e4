#include "faults/ImpairStages.hpp"

#include <cmath>

namespace deadpeer::faults {
namespace {

// True with probability percent/100. uniform_real_distribution gives [0, 100): 0 % never
// fires, 100 % always does.
bool chance(std::mt19937_64& rng, double percent) {
  return percent > 0 && std::uniform_real_distribution<double>(0.0, 100.0)(rng) < percent;
}

}  // namespace

Stages make_impair_stages(const ImpairConfig& c, std::uint64_t seed) {
  Stages s;
  // Distinct seeds: the stages must not draw the same sequence (loss and duplicate would
  // otherwise pick the same packets).
  if (c.loss > 0) s.push_back(std::make_unique<LossStage>(c.loss, c.direction, seed));
  if (c.duplicate > 0) s.push_back(std::make_unique<DuplicateStage>(c.duplicate, c.direction, seed + 1));
  if (c.delay.count() > 0 || c.jitter.count() > 0 || c.reorder > 0)
    s.push_back(std::make_unique<DelayStage>(c.delay, c.jitter, c.reorder, c.direction, seed + 2));
  if (c.rate_bps) s.push_back(std::make_unique<RateStage>(*c.rate_bps, c.direction));
  return s;
}

void LossStage::on_packet(Packet&& p, Emit& emit) {
  if (applies_to(dir_, p.way) && chance(rng_, percent_)) {
    lost_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  emit(std::move(p));
}

void DuplicateStage::on_packet(Packet&& p, Emit& emit) {
  if (applies_to(dir_, p.way) && chance(rng_, percent_)) {
    duplicated_.fetch_add(1, std::memory_order_relaxed);
    Packet copy = p;
    emit(std::move(p));
    emit(std::move(copy));
    return;
  }
  emit(std::move(p));
}

void DelayStage::on_packet(Packet&& p, Emit& emit) {
  if (!applies_to(dir_, p.way)) return emit(std::move(p));
  if (chance(rng_, reorder_)) {
    ahead_.fetch_add(1, std::memory_order_relaxed);
    return emit(std::move(p));
  }
  auto d = delay_;
  if (jitter_.count() > 0)
    d += std::chrono::nanoseconds(std::uniform_int_distribution<long>(-jitter_.count(), jitter_.count())(rng_));
  if (d.count() > 0) {
    p.send_at = std::max(p.send_at, p.arrived + d);
    delayed_.fetch_add(1, std::memory_order_relaxed);
  }
  emit(std::move(p));
}

std::chrono::nanoseconds RateStage::transmit_time(std::size_t bytes, double bps) {
  return std::chrono::nanoseconds(std::llround(static_cast<double>(bytes) * 8e9 / bps));
}

void RateStage::on_packet(Packet&& p, Emit& emit) {
  if (!applies_to(dir_, p.way)) return emit(std::move(p));
  auto& busy = busy_until_[p.way == Direction::to_client ? 1 : 0];
  const auto start = std::max(p.send_at, busy);
  if (start > p.send_at) queued_.fetch_add(1, std::memory_order_relaxed);
  busy = start + transmit_time(p.frame.size(), bps_);
  // The packet is on the far side once its last bit is: release at the end of transmission.
  p.send_at = busy;
  emit(std::move(p));
}

}  // namespace deadpeer::faults
