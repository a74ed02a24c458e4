#pragma once
// `reject`: the router refuses to forward and says so — with a TCP RST forged as if from the
// destination (default), or with an ICMP error (`icmp = "host-unreachable" | "admin-prohibited"
// | "net-unreachable" | "port-unreachable"`). `direction` limits it to packets towards one side.
// Stands for a firewall rule pushed mid-session, an ACL change, a router that lost the route
// and answers with ICMP.
//
// Arming creates a ForwardSwitch (its own table dp_reject_<n>) whose chain counts and
// answers; applying and removing switch it, one small transaction each. The counter proves
// how many packets were answered. Linux ignores ICMP host/net unreachable on an established
// connection (soft errors: it keeps retransmitting), so only admin-prohibited and the RST end
// a session early.
#include "faults/Blackhole.hpp"

namespace deadpeer::faults {

class Reject : public Fault {
 public:
  static constexpr const char* kTablePrefix = "dp_reject_";
  // icmp: empty for a TCP reset, else the ICMP type name as nftables spells it.
  Reject(const sys::Netns& router, Direction direction, std::string icmp);
  ~Reject() override;

  std::string kind() const override { return "reject"; }
  std::string backend() const override { return "nftables"; }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> armed_counters() override;  // "rejected_packets"

 private:
  ForwardSwitch switch_;
};

}  // namespace deadpeer::faults
