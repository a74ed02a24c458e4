#pragma once
// What a fault may act on: the lab's namespaces and the cgroups of each side's processes.
#include <functional>

namespace deadpeer::lab {
class Lab;
}
namespace deadpeer::proc {
class Cgroup;
}

namespace deadpeer::faults {

struct FaultTargets {
  lab::Lab& lab;
  proc::Cgroup& server_cgroup;  // sshd and its session children
  proc::Cgroup& client_cgroup;  // ssh
  // reboot: start sshd again once the server namespace has been rebuilt (set by the runner).
  std::function<void()> restart_server;
};

}  // namespace deadpeer::faults
