#pragma once
// Dropbear's server, started in the server namespace in the foreground (-F) with its log on
// stderr (-E), listening on the lab address only. Every connection is a forked child that logs
// on the same stderr, so the line that ends a session ("Exit (root) from <A:P>: Keepalive
// timeout") reaches the observer timestamped, as sshd's does.
//
// Per case, in the case directory: the run's OpenSSH host key converted for Dropbear (so the
// OpenSSH client's known_hosts matches), a pid file (never /var/run/dropbear.pid), and a
// private home holding .ssh/authorized_keys. Dropbear reads authorized_keys only from the login
// user's home, so that home is bind-mounted over root's in a mount namespace of its own: the
// host's /root is never touched.
#include <string>
#include <vector>

#include "proc/DropbearOptions.hpp"
#include "proc/ServerProcess.hpp"

namespace deadpeer::proc {

class DropbearServer : public ServerProcess {
 public:
  static constexpr const char* kExe = "/usr/sbin/dropbear";
  // svr-main.c logs this right after the listening sockets are open.
  static constexpr const char* kListeningLine = "Not backgrounding";

  // Prepares the files, starts dropbear and feeds its log to `observer`. Throws sys::Error on an
  // option Dropbear cannot honour (DropbearOptions::check finds them earlier).
  DropbearServer(const ServerSpec& spec, observe::Observer& observer);
  void wait_listening(observe::Observer& observer, sys::TimePoint deadline) override;
  Process& process() override { return process_; }
  const char* program() const override { return "dropbear"; }

  struct Files {
    std::string host_key;  // Dropbear format
    std::string home;      // holds .ssh/authorized_keys; mounted over login_home()
    std::string pid_file;
  };
  static Files prepare(const ServerSpec& spec);
  static std::vector<std::string> arguments(const ServerSpec& spec, const Files& files, const DropbearFlags& flags);

 private:
  Process process_;
};

}  // namespace deadpeer::proc
