#pragma once
// `blackhole` and `drop`: the router silently drops what it forwards — both ways (a cable cut,
// a dead path: no RST, no ICMP, each end sees only silence) or one way (`direction =
// "to-server" | "to-client"`: an asymmetric failure, e.g. a broken return route).
//
// Arming creates nothing. Applying is one nftables transaction adding a table whose
// forward-hook chain counts and drops; removing deletes the table in one transaction.
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
  static constexpr const char* kTable = "dp_blackhole";
  // kind: "blackhole" (always both ways) or "drop".
  Blackhole(const sys::Netns& router, std::string kind, Direction direction);
  ~Blackhole() override;

  std::string kind() const override { return kind_; }
  std::string backend() const override { return "nftables"; }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> live_counters() override;  // "dropped_packets", "dropped_bytes"

 private:
  netlink::NftContext nft_;
  std::string kind_;
  Direction direction_;
};

}  // namespace deadpeer::faults
