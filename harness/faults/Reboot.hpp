#pragma once
// `reboot`: the server crashes (see Crash) and, `down` later (default 5 s), comes back as a
// freshly booted host: a new network namespace with the same address and a new sshd, but no
// memory of any connection. The client's next packet reaches a kernel that has never heard of
// its connection and gets a RST — the classic "connection reset after the server rebooted".
//
// A new namespace (not the old one revived) is what makes "no state" true: sockets orphaned by
// the killed sshd still live in the old namespace and would answer with a FIN or RST of their own.
#include <functional>
#include <memory>
#include <vector>

#include "faults/Fault.hpp"
#include "lab/Node.hpp"

namespace deadpeer::lab {
class Lab;
}
namespace deadpeer::proc {
class Cgroup;
}

namespace deadpeer::faults {

class Reboot : public Fault {
 public:
  // restart_server: starts sshd in the given (rebooted) server host.
  Reboot(lab::Lab& lab, proc::Cgroup& server_cgroup, std::chrono::milliseconds down,
         std::function<void(lab::Node&)> restart_server);
  ~Reboot() override = default;  // the hosts it booted go with it (after their processes)

  std::optional<std::chrono::milliseconds> natural_duration() const override { return down_; }
  std::string kind() const override { return "reboot"; }
  std::string backend() const override { return "netlink+cgroup"; }

 protected:
  void do_apply() override;   // crash
  void do_remove() override;  // boot: fresh namespace, wired to the router, sshd started

 private:
  lab::Lab& lab_;
  proc::Cgroup& cgroup_;
  std::chrono::milliseconds down_;
  std::function<void(lab::Node&)> restart_server_;
  std::vector<std::unique_ptr<lab::Node>> booted_;
};

}  // namespace deadpeer::faults
