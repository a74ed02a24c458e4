#include "faults/Blackhole.hpp"

#include "lab/Lab.hpp"
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

std::string egress_match(Direction d) {
  if (d == Direction::to_server) return std::string("oifname \"") + lab::Ifnames::router_to_server + "\" ";
  if (d == Direction::to_client) return std::string("oifname \"") + lab::Ifnames::router_to_client + "\" ";
  return "";
}

Blackhole::Blackhole(const sys::Netns& router, std::string kind, Direction direction)
    : kind_(std::move(kind)),
      direction_(direction),
      switch_(router, kTablePrefix, {egress_match(direction) + "counter drop"},
              kind_ + " (" + to_string(direction) + ")") {}

Blackhole::~Blackhole() { remove_quietly(); }

void Blackhole::do_apply() { switch_.on(); }

void Blackhole::do_remove() { switch_.off(); }

std::map<std::string, long> Blackhole::armed_counters() {
  const auto c = switch_.counters();
  return {{"dropped_packets", c.packets}, {"dropped_bytes", c.bytes}};
}

}  // namespace deadpeer::faults
