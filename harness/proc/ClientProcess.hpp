#pragma once
// What a case needs of an SSH client, whichever implementation runs it (OpenSSH's ssh,
// Dropbear's dbclient): started in the client namespace and cgroup with a remote command that
// prints a marker once the session is up; stdout, stderr and exit under fixed observer sources;
// stdin kept open for the traffic pattern. CaseRunner picks one with ClientProcess::start.
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

struct ClientSpec {
  const sys::Netns* netns;
  const Cgroup* cgroup;
  const SshKeys* keys;      // the run's keys (OpenSSH format; dbclient converts its own copy)
  const sys::TempDir* dir;  // the case's private directory: configs, converted keys, HOME
  std::string server_address;
  int port = 22;
  std::vector<scenario::Setting> options;  // the scenario's [client] table
  std::string remote_command;
};

class ClientProcess {
 public:
  // Observer sources and the marker, the same for every implementation.
  static constexpr const char* kReadyMarker = "deadpeer-ready";
  static constexpr const char* kStdout = "client.stdout";
  static constexpr const char* kStderr = "client.stderr";
  static constexpr const char* kExit = "client";

  virtual ~ClientProcess() = default;
  // Waits for the marker; throws with the client's stderr if it exits or the deadline passes first.
  virtual void wait_ready(observe::Observer& observer, sys::TimePoint deadline) = 0;
  virtual Process& process() = 0;
  virtual int stdin_fd() const = 0;
  virtual const char* program() const = 0;  // "ssh", "dbclient": for messages

  static std::unique_ptr<ClientProcess> start(scenario::Implementation impl, const ClientSpec& spec,
                                              observe::Observer& observer);

 protected:
  static void wait_for_marker(observe::Observer& observer, sys::TimePoint deadline, const std::string& program);
};

}  // namespace deadpeer::proc
