#pragma once
// `blackhole`: the router silently drops everything it forwards, both directions — a cable cut
// or a dead path, with no RST and no ICMP. Each end sees only silence.
//
// One nftables transaction adds a table with a forward-hook chain whose single rule counts and
// drops; deleting the table (one transaction) restores the path.
#include "faults/Fault.hpp"
#include "netlink/NftContext.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

class Blackhole : public Fault {
 public:
  static constexpr const char* kTable = "dp_blackhole";
  explicit Blackhole(const sys::Netns& router);
  ~Blackhole() override;
  Blackhole(const Blackhole&) = delete;
  Blackhole& operator=(const Blackhole&) = delete;

  std::string kind() const override { return "blackhole"; }
  std::string backend() const override { return "nftables"; }
  std::map<std::string, long> counters() override;  // "dropped_packets", "dropped_bytes"

 private:
  netlink::NftContext nft_;
};

}  // namespace deadpeer::faults
