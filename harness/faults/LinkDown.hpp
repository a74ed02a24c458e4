#pragma once
// `link-down`: the router's link towards one side goes down (`target = "server"` (default) |
// "client"): administratively down, so the far end loses carrier too (a veth pair shares it).
// Stands for an unplugged cable, a switch port shut, a Wi-Fi association lost. The router loses
// its connected route to that side and answers the other side with ICMP net-unreachable, which
// Linux TCP treats as a soft error: established sessions keep retransmitting.
//
// One netlink message (RTM_NEWLINK clearing IFF_UP) applies it; one sets it up again.
#include <string>

#include "faults/Fault.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class LinkDown : public Fault {
 public:
  LinkDown(lab::Lab& lab, std::string target);
  ~LinkDown() override { remove_quietly(); }

  std::string kind() const override { return "link-down"; }
  std::string backend() const override { return "netlink"; }

 protected:
  void do_apply() override;
  void do_remove() override;

 private:
  lab::Lab& lab_;
  std::string ifname_;
};

}  // namespace deadpeer::faults
