#pragma once
// OpenSSH's sshd, started in the server namespace in the foreground (-D) with its log on
// stderr (-e), so every session's log line reaches the observer timestamped, including the one
// that says why the session ended.
#include <string>
#include <vector>

#include "proc/ServerProcess.hpp"

namespace deadpeer::proc {

using SshServerSpec = ServerSpec;  // the same fields for every implementation

class SshServer : public ServerProcess {
 public:
  static constexpr const char* kExe = "/usr/sbin/sshd";

  // Renders the config, starts sshd and feeds its log to `observer`.
  SshServer(const SshServerSpec& spec, observe::Observer& observer);
  // Waits until sshd logs that it listens; throws with its last log lines if it exits or the
  // deadline passes first.
  void wait_listening(observe::Observer& observer, sys::TimePoint deadline) override;

  static std::string render_config(const SshServerSpec& spec);
  // sshd refuses to start without its privilege-separation directory; Debian's init scripts
  // create it, containers often do not. Creates it (root, 0755) if missing.
  static void ensure_privsep_dir();
  Process& process() override { return process_; }
  const char* program() const override { return "sshd"; }

 private:
  Process process_;
};

}  // namespace deadpeer::proc
