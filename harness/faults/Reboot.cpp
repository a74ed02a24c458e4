#include "faults/Reboot.hpp"

#include "faults/Crash.hpp"
#include "lab/Lab.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

Reboot::Reboot(lab::Lab& lab, proc::Cgroup& server_cgroup, std::chrono::milliseconds down,
               std::function<void(lab::Node&)> restart_server)
    : lab_(lab), cgroup_(server_cgroup), down_(down), restart_server_(std::move(restart_server)) {}

void Reboot::do_apply() { Crash::crash_server(lab_, cgroup_); }

void Reboot::do_remove() {
  // "<prefix>-s1", "-s2", …: under the lab's prefix, so `deadpeer cleanup` finds them too.
  auto host = std::make_unique<lab::Node>(lab_.prefix() + "-s" + std::to_string(booted_.size() + 1), "server");
  lab_.wire_server(*host);
  booted_.push_back(std::move(host));
  if (restart_server_) restart_server_(*booted_.back());
  sys::log("faults").debug("server of {} rebooted as {}", lab_.prefix(), booted_.back()->ns().name());
}

}  // namespace deadpeer::faults
