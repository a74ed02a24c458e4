#pragma once
// OpenSSH's ssh, started in the client namespace with the scenario's [client] options as -o
// arguments. The remote command prints a marker once the session is up, so "established" is
// observed on the wire's far end rather than guessed with a sleep.
#include <string>
#include <vector>

#include "proc/ClientProcess.hpp"

namespace deadpeer::proc {

using SshClientSpec = ClientSpec;  // the same fields for every implementation

class SshClient : public ClientProcess {
 public:
  static constexpr const char* kExe = "/usr/bin/ssh";

  SshClient(const SshClientSpec& spec, observe::Observer& observer);
  // Waits for the marker; throws with ssh's stderr if it exits or the deadline passes first.
  void wait_ready(observe::Observer& observer, sys::TimePoint deadline) override;

  // The remote command for a traffic pattern: print the marker, then keep the channel open.
  static std::string remote_command(scenario::Pattern pattern);
  static std::vector<std::string> arguments(const SshClientSpec& spec, const std::string& config_path);
  static std::string render_config(const SshClientSpec& spec);

  Process& process() override { return process_; }
  int stdin_fd() const override { return stdin_.get(); }
  const char* program() const override { return "ssh"; }

 private:
  Process process_;
  sys::UniqueFd stdin_;
};

}  // namespace deadpeer::proc
