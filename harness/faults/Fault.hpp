#pragma once
// A fault in the lab, in three steps:
//   construct  (before sshd starts) — arm: anything that must watch the session from its first
//              packet (conntrack tracking, a sniffer learning sequence numbers). Nothing acts yet.
//   apply()    (at `at`)            — one transaction or one signal; the instant it returned is t0.
//   remove()   (after `duration`, between flaps) — one transaction; the path is as before.
// The destructor removes an applied fault and disarms; it never throws (errors are logged).
// apply/remove may alternate many times (flap); counters add up over all cycles.
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "sys/Clock.hpp"

namespace deadpeer::faults {

class Fault {
 public:
  virtual ~Fault() = default;
  Fault() = default;
  Fault(const Fault&) = delete;
  Fault& operator=(const Fault&) = delete;

  // Returns the instant the fault took effect (after the kernel acknowledged it).
  sys::TimePoint apply() {
    effect_at_.reset();
    do_apply();
    active_ = true;
    applied_at_ = effect_at_.value_or(sys::Clock::now());
    return applied_at_;
  }
  sys::TimePoint remove() {
    for (const auto& [k, v] : live_counters()) removed_counters_[k] += v;
    do_remove();
    active_ = false;
    return sys::Clock::now();
  }
  bool active() const { return active_; }
  sys::TimePoint applied_at() const { return applied_at_; }

  // A fault that ends by itself after a while (reboot: the server comes back after `down`);
  // the schedule removes it then unless the scenario says otherwise.
  virtual std::optional<std::chrono::milliseconds> natural_duration() const { return std::nullopt; }
  virtual std::string kind() const = 0;
  // Which mechanism implements it ("nftables", "netem", "userspace", "cgroup", "netlink"): in every result.
  virtual std::string backend() const = 0;
  // Evidence that it acted ("dropped_packets" → 12, "forged_acks" → 3), summed over cycles.
  std::map<std::string, long> counters() {
    auto out = removed_counters_;
    if (active_)
      for (const auto& [k, v] : live_counters()) out[k] += v;
    for (const auto& [k, v] : armed_counters()) out[k] = v;
    return out;
  }

 protected:
  virtual void do_apply() = 0;
  virtual void do_remove() = 0;
  // Counters of the current cycle (read before each remove, since removing may destroy them).
  virtual std::map<std::string, long> live_counters() { return {}; }
  // Counters kept across cycles by the fault itself (a sniffer's totals): reported as they are.
  virtual std::map<std::string, long> armed_counters() { return {}; }
  // For destructors: remove if applied, logging instead of throwing.
  void remove_quietly() noexcept;
  // One-packet faults (a forged RST) take effect the instant the packet leaves, and the peer
  // may react within microseconds — before do_apply() even returns. They call this right
  // before sending, so t0 never comes after the reaction it causes.
  void mark_effect(sys::TimePoint t) { effect_at_ = t; }

 private:
  bool active_ = false;
  sys::TimePoint applied_at_{};
  std::optional<sys::TimePoint> effect_at_;
  std::map<std::string, long> removed_counters_;
};

}  // namespace deadpeer::faults
