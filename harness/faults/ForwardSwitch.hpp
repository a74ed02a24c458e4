#pragma once
// A verdict on the router's forwarded traffic that can be switched on and off cheaply: the
// mechanism under `blackhole`, `drop` and `reject`.
//
// Construction creates a table of its own in the router (inet <prefix><n>, n unique in this
// process) with a forward-hook base chain that holds no rule — every packet passes — and a
// regular chain `act` holding the given rules (each with a `counter`). on() adds a single
// rule, `jump act`, to the base chain; off() flushes the base chain. Neither registers or
// unregisters a netfilter hook, which is what keeps a switch near 50 µs: creating and
// deleting a hooked table each time costs 3–4× that and waits on RCU. The counters live in
// `act`, so they add up over every on/off cycle. Its own table per instance means two
// overlapping faults in one case never remove each other's rules. The destructor deletes the
// table (errors are logged, never thrown).
#include <string>
#include <vector>

#include "faults/NftCounters.hpp"
#include "netlink/NftContext.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

class ForwardSwitch {
 public:
  static constexpr const char* kBaseChain = "forward";
  static constexpr const char* kActChain = "act";
  // rules: lines of `act`'s rules without the "add rule inet <table> act " head, e.g.
  // "oifname \"rs\" counter drop". `what` names the owner in errors ("drop (to-server)").
  ForwardSwitch(const sys::Netns& router, const std::string& table_prefix, const std::vector<std::string>& rules,
                std::string what);
  ForwardSwitch(const ForwardSwitch&) = delete;
  ForwardSwitch& operator=(const ForwardSwitch&) = delete;
  ~ForwardSwitch();

  void on();
  void off();
  // Sums of the counters in `act`, over all cycles.
  NftCounters counters();
  const std::string& table() const { return table_; }

 private:
  netlink::NftContext nft_;
  std::string table_;
  std::string what_;
};

}  // namespace deadpeer::faults
