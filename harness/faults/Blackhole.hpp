#pragma once
// `blackhole` and `drop`: the router silently drops what it forwards — both ways (a cable cut,
// a dead path: no RST, no ICMP, each end sees only silence) or one way (`direction =
// "to-server" | "to-client"`: an asymmetric failure, e.g. a broken return route).
//
// Arming creates this fault's own table in the router: a forward-hook base chain with no rule
// (every packet passes) and a regular chain `hole` holding the one rule that counts and drops.
// Applying adds a single rule, `jump hole`, to the base chain; removing flushes the base chain.
// Both are one small transaction that neither registers nor unregisters a hook, which is what
// keeps apply + remove near 0.1 ms (creating and deleting a hooked table costs 3–4× that and
// waits on RCU). The counter lives in `hole`, so it adds up over flap cycles by itself. Each
// instance has its own table (dp_blackhole_<n>): overlapping faults in one case never remove
// each other's rules. The destructor deletes the table.
#include <string>

#include "faults/Fault.hpp"
#include "faults/FaultParams.hpp"
#include "netlink/NftContext.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

enum class Direction { both, to_server, to_client };
// Reads `direction` (default both); shared by every kind that takes one.
Direction read_direction(FaultParams& p);
std::string to_string(Direction d);

class Blackhole : public Fault {
 public:
  // Every instance's table name starts with this.
  static constexpr const char* kTablePrefix = "dp_blackhole_";
  static constexpr const char* kBaseChain = "forward";
  static constexpr const char* kHoleChain = "hole";
  // kind: "blackhole" (always both ways) or "drop". Creates the table (throws naming it).
  Blackhole(const sys::Netns& router, std::string kind, Direction direction);
  ~Blackhole() override;

  std::string kind() const override { return kind_; }
  std::string backend() const override { return "nftables"; }
  const std::string& table() const { return table_; }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> armed_counters() override;  // "dropped_packets", "dropped_bytes"

 private:
  netlink::NftContext nft_;
  std::string kind_;
  Direction direction_;
  std::string table_;
};

}  // namespace deadpeer::faults
