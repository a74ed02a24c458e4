#pragma once
// A fault in the lab. Applying is constructing, removing is destroying: a fault that exists
// acts on the wire, and one that went out of scope (case end, exception, SIGINT) has been
// taken back. Every fault records the instant it took effect (t0 of the case).
#include <map>
#include <string>

#include "sys/Clock.hpp"

namespace deadpeer::faults {

class Fault {
 public:
  virtual ~Fault() = default;
  // The instant the kernel acknowledged the change (after the transaction committed).
  sys::TimePoint applied_at() const { return applied_at_; }
  virtual std::string kind() const = 0;
  // Which mechanism implements it ("nftables", "netem", "userspace", "signal"): in every result.
  virtual std::string backend() const = 0;
  // Packet counters or other evidence that it acted ("dropped_packets" → 12).
  virtual std::map<std::string, long> counters() { return {}; }

 protected:
  sys::TimePoint applied_at_{};
};

}  // namespace deadpeer::faults
