#include "faults/Blackhole.hpp"

#include <atomic>

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

namespace {
std::atomic<unsigned> next_table{0};
}

Blackhole::Blackhole(const sys::Netns& router, std::string kind, Direction direction)
    : nft_(netlink::NftContext::open_in(router)),
      kind_(std::move(kind)),
      direction_(direction),
      table_(kTablePrefix + std::to_string(next_table.fetch_add(1))) {
  // Match on the egress device: rs leads to the server, rc to the client.
  std::string match;
  if (direction_ == Direction::to_server) match = std::string("oifname \"") + lab::Ifnames::router_to_server + "\" ";
  if (direction_ == Direction::to_client) match = std::string("oifname \"") + lab::Ifnames::router_to_client + "\" ";
  // Priority -10 runs before any filter chain another fault adds at 0.
  nft_.run("add table inet " + table_ + "\n" +                                                        //
               "add chain inet " + table_ + " " + kBaseChain +                                         //
               " { type filter hook forward priority -10; policy accept; }\n" +                       //
               "add chain inet " + table_ + " " + kHoleChain + "\n" +                                  //
               "add rule inet " + table_ + " " + kHoleChain + " " + match + "counter drop\n",
           "arm " + kind_ + " (" + to_string(direction_) + "): table inet " + table_);
}

Blackhole::~Blackhole() {
  remove_quietly();
  try {
    nft_.run("delete table inet " + table_, "disarm " + kind_ + ": table inet " + table_);
  } catch (const std::exception& e) {
    sys::log("faults").error("{}", e.what());
  }
}

void Blackhole::do_apply() {
  nft_.run("add rule inet " + table_ + " " + kBaseChain + " jump " + kHoleChain,
           "apply " + kind_ + " (" + to_string(direction_) + "): table inet " + table_);
}

void Blackhole::do_remove() {
  nft_.run("flush chain inet " + table_ + " " + kBaseChain, "remove " + kind_ + ": table inet " + table_);
}

std::map<std::string, long> Blackhole::armed_counters() {
  const auto c = NftCounters::read(nft_, "inet", table_);
  return {{"dropped_packets", c.packets}, {"dropped_bytes", c.bytes}};
}

}  // namespace deadpeer::faults
