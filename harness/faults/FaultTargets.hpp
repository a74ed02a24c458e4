#pragma once
// What a fault may act on: the lab's namespaces and the cgroups of each side's processes.
#include <functional>

namespace deadpeer::lab {
class Lab;
class Node;
}
namespace deadpeer::proc {
class Cgroup;
}

namespace deadpeer::faults {

struct FaultTargets {
  lab::Lab& lab;
  proc::Cgroup& server_cgroup;  // sshd and its session children
  proc::Cgroup& client_cgroup;  // ssh
  // reboot: start sshd again in the freshly booted server host (set by the runner).
  std::function<void(lab::Node&)> restart_server;
};

}  // namespace deadpeer::faults
