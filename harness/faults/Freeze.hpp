#pragma once
// `freeze`: one side's processes stop (`target = "server"`: sshd and its session; "client":
// ssh) while its kernel lives on — TCP still ACKs, keepalive probes are answered, only the
// application is dead. Stands for a hung daemon, a swapped-out or SIGSTOPped process, a VM
// paused by its hypervisor (for the application; a paused VM also stops its kernel: use drop).
//
// Applying is one write of cgroup.freeze=1 to the side's cgroup (the cgroup v2 freezer stops
// every task in it, like SIGSTOP but without the parent noticing); removing thaws it.
#include "faults/Fault.hpp"

namespace deadpeer::proc {
class Cgroup;
}

namespace deadpeer::faults {

class Freeze : public Fault {
 public:
  Freeze(proc::Cgroup& cgroup, std::string target) : cgroup_(cgroup), target_(std::move(target)) {}
  ~Freeze() override { remove_quietly(); }

  std::string kind() const override { return "freeze"; }
  std::string backend() const override { return "cgroup-freezer"; }

 protected:
  void do_apply() override;
  void do_remove() override;

 private:
  proc::Cgroup& cgroup_;
  std::string target_;
};

}  // namespace deadpeer::faults
