#pragma once
// OpenSSH's sshd, started in the server namespace in the foreground (-D) with its log on
// stderr (-e), so every session's log line reaches the observer timestamped, including the one
// that says why the session ended.
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

struct SshServerSpec {
  const sys::Netns* netns;
  const Cgroup* cgroup;
  const SshKeys* keys;
  const sys::TempDir* dir;  // where sshd_config is rendered
  std::string listen_address;
  int port = 22;
  std::vector<scenario::Setting> options;  // the scenario's [server] table
};

class SshServer {
 public:
  static constexpr const char* kExe = "/usr/sbin/sshd";
  static constexpr const char* kLogSource = "server.log";

  // Renders the config, starts sshd and feeds its log to `observer`.
  SshServer(const SshServerSpec& spec, observe::Observer& observer);
  // Waits until sshd logs that it listens; throws with its last log lines if it exits or the
  // deadline passes first.
  void wait_listening(observe::Observer& observer, sys::TimePoint deadline);

  static std::string render_config(const SshServerSpec& spec);
  // sshd refuses to start without its privilege-separation directory; Debian's init scripts
  // create it, containers often do not. Creates it (root, 0755) if missing.
  static void ensure_privsep_dir();
  Process& process() { return process_; }

 private:
  Process process_;
};

}  // namespace deadpeer::proc
