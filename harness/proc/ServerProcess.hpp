#pragma once
// What a case needs of an SSH server, whichever implementation runs it (OpenSSH's sshd,
// Dropbear): started in the server namespace and cgroup, its log lines under one observer
// source, its listener's exit under another, and a wait until it accepts connections.
// CaseRunner picks the implementation with ServerProcess::start and treats them alike.
#include <memory>
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

struct ServerSpec {
  const sys::Netns* netns;
  const Cgroup* cgroup;
  const SshKeys* keys;      // the run's keys (OpenSSH format; Dropbear converts its own copy)
  const sys::TempDir* dir;  // the case's private directory: configs, converted keys
  std::string listen_address;
  int port = 22;
  std::vector<scenario::Setting> options;  // the scenario's [server] table
};

class ServerProcess {
 public:
  // Observer sources, the same for every implementation.
  static constexpr const char* kLogSource = "server.log";
  static constexpr const char* kListenerExit = "server.listener";

  virtual ~ServerProcess() = default;
  // Waits until the server accepts connections; throws with its last log lines if it exits
  // or the deadline passes first.
  virtual void wait_listening(observe::Observer& observer, sys::TimePoint deadline) = 0;
  virtual Process& process() = 0;
  virtual const char* program() const = 0;  // "sshd", "dropbear": for messages

  // Sessions log in as this user; its home (from the passwd database) is replaced, in the
  // server's private mount namespace only, by a directory of the case: a session then never
  // runs the host's dotfiles (a ~/.bashrc that runs `pyenv rehash` can block every login), and
  // Dropbear finds its authorized_keys there. Throws if the home is unusable ("/" or missing).
  static constexpr const char* kLoginUser = "root";
  static std::string login_home();

  static std::unique_ptr<ServerProcess> start(scenario::Implementation impl, const ServerSpec& spec,
                                              observe::Observer& observer);

 protected:
  // Shared wait: true once a kLogSource line contains `marker`; throws as described above.
  static void wait_for_log_line(observe::Observer& observer, sys::TimePoint deadline, const std::string& marker,
                                const std::string& program);
};

}  // namespace deadpeer::proc
