#include "faults/Blackhole.hpp"

#include "faults/NftCounters.hpp"
#include "lab/Lab.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::faults {

Direction read_direction(FaultParams& p) {
  const auto d = p.choice("direction", {"both", "to-server", "to-client"}, "both");
  return d == "to-server" ? Direction::to_server : d == "to-client" ? Direction::to_client : Direction::both;
}

std::string to_string(Direction d) {
  switch (d) {
    case Direction::both: return "both";
    case Direction::to_server: return "to-server";
    case Direction::to_client: return "to-client";
  }
  return "?";
}

Blackhole::Blackhole(const sys::Netns& router, std::string kind, Direction direction)
    : nft_(netlink::NftContext::open_in(router)), kind_(std::move(kind)), direction_(direction) {}

Blackhole::~Blackhole() { remove_quietly(); }

void Blackhole::do_apply() {
  // Match on the egress device: rs leads to the server, rc to the client.
  std::string match;
  if (direction_ == Direction::to_server) match = std::string("oifname \"") + lab::Ifnames::router_to_server + "\" ";
  if (direction_ == Direction::to_client) match = std::string("oifname \"") + lab::Ifnames::router_to_client + "\" ";
  // Priority -10 runs before any filter chain another fault adds at 0.
  nft_.run(std::string("add table inet ") + kTable + "\n" + "add chain inet " + kTable +
               " forward { type filter hook forward priority -10; policy accept; }\n" + "add rule inet " + kTable +
               " forward " + match + "counter drop\n",
           "apply " + kind_ + " (" + to_string(direction_) + ")");
}

void Blackhole::do_remove() { nft_.run(std::string("delete table inet ") + kTable, "remove " + kind_); }

std::map<std::string, long> Blackhole::live_counters() {
  const auto c = NftCounters::read(nft_, "inet", kTable);
  return {{"dropped_packets", c.packets}, {"dropped_bytes", c.bytes}};
}

}  // namespace deadpeer::faults
