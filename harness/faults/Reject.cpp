#include "faults/Reject.hpp"

#include "lab/Lab.hpp"

namespace deadpeer::faults {

namespace {

std::vector<std::string> reject_rules(Direction direction, const std::string& icmp) {
  const std::string match = egress_match(direction);
  // A RST can only answer TCP; anything else gets the ICMP a rejecting firewall sends.
  if (icmp.empty())
    return {match + "meta l4proto tcp counter reject with tcp reset",
            match + "counter reject with icmp type admin-prohibited"};
  return {match + "counter reject with icmp type " + icmp};
}

std::string describe(Direction direction, const std::string& icmp) {
  return "reject (" + (icmp.empty() ? std::string("tcp reset") : "icmp " + icmp) + ", " + to_string(direction) + ")";
}

}  // namespace

Reject::Reject(const sys::Netns& router, Direction direction, std::string icmp)
    : switch_(router, kTablePrefix, reject_rules(direction, icmp), describe(direction, icmp)) {}

Reject::~Reject() { remove_quietly(); }

void Reject::do_apply() { switch_.on(); }

void Reject::do_remove() { switch_.off(); }

std::map<std::string, long> Reject::armed_counters() { return {{"rejected_packets", switch_.counters().packets}}; }

}  // namespace deadpeer::faults
