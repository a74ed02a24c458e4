#pragma once
// `blackhole` and `drop`: the router silently drops what it forwards — both ways (a cable cut,
// a dead path: no RST, no ICMP, each end sees only silence) or one way (`direction =
// "to-server" | "to-client"`: an asymmetric failure, e.g. a broken return route).
//
// Arming creates a ForwardSwitch (its own table dp_blackhole_<n>) whose chain counts and
// drops; applying and removing switch it on and off, each one small nftables transaction.
#include <string>

#include "faults/Fault.hpp"
#include "faults/FaultParams.hpp"
#include "faults/ForwardSwitch.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

enum class Direction { both, to_server, to_client };
// Reads `direction` (default both); shared by every kind that takes one.
Direction read_direction(FaultParams& p);
std::string to_string(Direction d);
// The nftables match on the router's egress device for `d` ("oifname \"rs\" "; empty for both):
// rs leads to the server, rc to the client.
std::string egress_match(Direction d);

class Blackhole : public Fault {
 public:
  // Every instance's table name starts with this.
  static constexpr const char* kTablePrefix = "dp_blackhole_";
  // kind: "blackhole" (always both ways) or "drop". Creates the table (throws naming it).
  Blackhole(const sys::Netns& router, std::string kind, Direction direction);
  ~Blackhole() override;

  std::string kind() const override { return kind_; }
  std::string backend() const override { return "nftables"; }
  const std::string& table() const { return switch_.table(); }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> armed_counters() override;  // "dropped_packets", "dropped_bytes"

 private:
  std::string kind_;
  Direction direction_;
  ForwardSwitch switch_;
};

}  // namespace deadpeer::faults
