#pragma once
// OpenSSH's ssh, started in the client namespace with the scenario's [client] options as -o
// arguments. The remote command prints a marker once the session is up, so "established" is
// observed on the wire's far end rather than guessed with a sleep.
#include <string>
#include <vector>

#include "observe/Observer.hpp"
#include "proc/Process.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::sys {
class Netns;
class TempDir;
}  // namespace deadpeer::sys

namespace deadpeer::proc {

class Cgroup;
class SshKeys;

struct SshClientSpec {
  const sys::Netns* netns;
  const Cgroup* cgroup;
  const SshKeys* keys;
  const sys::TempDir* dir;  // where ssh_config is rendered
  std::string server_address;
  int port = 22;
  std::vector<scenario::Setting> options;  // the scenario's [client] table
  std::string remote_command;
};

class SshClient {
 public:
  static constexpr const char* kExe = "/usr/bin/ssh";
  static constexpr const char* kReadyMarker = "deadpeer-ready";
  static constexpr const char* kStdout = "client.stdout";
  static constexpr const char* kStderr = "client.stderr";
  static constexpr const char* kExit = "client";

  SshClient(const SshClientSpec& spec, observe::Observer& observer);
  // Waits for the marker; throws with ssh's stderr if it exits or the deadline passes first.
  void wait_ready(observe::Observer& observer, sys::TimePoint deadline);

  // The remote command for a traffic pattern: print the marker, then keep the channel open.
  static std::string remote_command(scenario::Pattern pattern);
  static std::vector<std::string> arguments(const SshClientSpec& spec, const std::string& config_path);
  static std::string render_config(const SshClientSpec& spec);

  Process& process() { return process_; }
  int stdin_fd() const { return stdin_.get(); }

 private:
  Process process_;
  sys::UniqueFd stdin_;
};

}  // namespace deadpeer::proc
