#pragma once
// `crash`: the server host dies. Its link vanishes from the router (the veth pair is deleted,
// so nothing the dying kernel might still send can leave) and then every process of the server
// is killed. The client is left talking to nobody: no RST, no FIN, silence — like a kernel
// panic or a power cut. `reboot` (Reboot.hpp) is a crash followed by a fresh boot.
//
// A crash cannot be undone; a scenario that wants the host back uses `reboot`.
#include "faults/Fault.hpp"

namespace deadpeer::lab {
class Lab;
}
namespace deadpeer::proc {
class Cgroup;
}

namespace deadpeer::faults {

class Crash : public Fault {
 public:
  Crash(lab::Lab& lab, proc::Cgroup& server_cgroup) : lab_(lab), cgroup_(server_cgroup) {}
  ~Crash() override = default;  // nothing to restore

  std::string kind() const override { return "crash"; }
  std::string backend() const override { return "netlink+cgroup"; }

  // Deletes the router's link to the server, then kills the server's processes.
  static void crash_server(lab::Lab& lab, proc::Cgroup& server_cgroup);

 protected:
  void do_apply() override { crash_server(lab_, cgroup_); }
  void do_remove() override {}

 private:
  lab::Lab& lab_;
  proc::Cgroup& cgroup_;
};

}  // namespace deadpeer::faults
