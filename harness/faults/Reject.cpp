#include "faults/Reject.hpp"

#include "faults/NftCounters.hpp"
#include "lab/Lab.hpp"

namespace deadpeer::faults {

Reject::Reject(const sys::Netns& router, Direction direction, std::string icmp)
    : nft_(netlink::NftContext::open_in(router)), direction_(direction), icmp_(std::move(icmp)) {}

Reject::~Reject() { remove_quietly(); }

void Reject::do_apply() {
  std::string match;
  if (direction_ == Direction::to_server) match = std::string("oifname \"") + lab::Ifnames::router_to_server + "\" ";
  if (direction_ == Direction::to_client) match = std::string("oifname \"") + lab::Ifnames::router_to_client + "\" ";
  const std::string rule = "add rule inet " + std::string(kTable) + " forward " + match;
  std::string rules;
  if (icmp_.empty()) {
    // A RST can only answer TCP; anything else gets the ICMP a rejecting firewall sends.
    rules = rule + "meta l4proto tcp counter reject with tcp reset\n" + rule +
            "counter reject with icmp type admin-prohibited\n";
  } else {
    rules = rule + "counter reject with icmp type " + icmp_ + "\n";
  }
  nft_.run("add table inet " + std::string(kTable) + "\nadd chain inet " + kTable +
               " forward { type filter hook forward priority -10; policy accept; }\n" + rules,
           "apply reject (" + (icmp_.empty() ? std::string("tcp reset") : "icmp " + icmp_) + ", " +
               to_string(direction_) + ")");
}

void Reject::do_remove() { nft_.run("delete table inet " + std::string(kTable), "remove reject"); }

std::map<std::string, long> Reject::live_counters() {
  return {{"rejected_packets", NftCounters::read(nft_, "inet", kTable).packets}};
}

}  // namespace deadpeer::faults
