#include "faults/LinkDown.hpp"

#include "lab/Lab.hpp"

namespace deadpeer::faults {

LinkDown::LinkDown(lab::Lab& lab, std::string target)
    : lab_(lab), ifname_(target == "client" ? lab::Ifnames::router_to_client : lab::Ifnames::router_to_server) {}

void LinkDown::do_apply() { lab_.router().rtnl().link_set_up(ifname_, false); }

void LinkDown::do_remove() {
  lab_.router().rtnl().link_set_up(ifname_, true);
  // Bringing a link down flushes its routes; its connected route returns with the address,
  // which the kernel keeps across down/up for IPv4.
}

}  // namespace deadpeer::faults
