#include "faults/ReleaseQueue.hpp"

#include <algorithm>

namespace deadpeer::faults {

bool ReleaseQueue::later(const Entry& a, const Entry& b) {
  if (a.packet.send_at != b.packet.send_at) return a.packet.send_at > b.packet.send_at;
  return a.order > b.order;
}

bool ReleaseQueue::admit(Direction way) {
  if (per_way_[index(way)] < limit_) return true;
  overflow_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void ReleaseQueue::operator()(Packet&& p) {
  const std::size_t w = index(p.way);
  if (per_way_[w] >= limit_) {
    overflow_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ++per_way_[w];
  heap_.push_back(Entry{std::move(p), pushed_++});
  std::push_heap(heap_.begin(), heap_.end(), later);
  const long n = static_cast<long>(heap_.size());
  if (n > max_size_.load(std::memory_order_relaxed)) max_size_.store(n, std::memory_order_relaxed);
}

std::optional<sys::TimePoint> ReleaseQueue::next_due() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().packet.send_at;
}

std::optional<Packet> ReleaseQueue::pop(std::optional<sys::TimePoint> now) {
  if (heap_.empty() || (now && heap_.front().packet.send_at > *now)) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), later);
  Packet p = std::move(heap_.back().packet);
  heap_.pop_back();
  const std::size_t w = index(p.way);
  --per_way_[w];
  if (released_any_[w] && p.serial < released_serial_[w]) {
    reordered_.fetch_add(1, std::memory_order_relaxed);
  } else {
    released_serial_[w] = p.serial;
    released_any_[w] = true;
  }
  return p;
}

}  // namespace deadpeer::faults
