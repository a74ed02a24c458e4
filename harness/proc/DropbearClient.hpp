#pragma once
// Dropbear's client, dbclient, started in the client namespace like ssh: no pty (-T), the run's
// user key converted for Dropbear (-i), the scenario's options mapped to -K/-I, and the same
// remote command, which prints the ready marker once the session is up.
//
// dbclient keeps known_hosts in $HOME/.ssh and creates it there when missing, so it runs with
// HOME set to a private directory of the case holding the server's key: the host key is really
// checked (no -y, which would accept any server) and the host's /root is never written.
#include <string>
#include <vector>

#include "proc/ClientProcess.hpp"
#include "proc/DropbearOptions.hpp"

namespace deadpeer::proc {

class DropbearClient : public ClientProcess {
 public:
  static constexpr const char* kExe = "/usr/bin/dbclient";
  static constexpr const char* kLoginUser = "root";

  DropbearClient(const ClientSpec& spec, observe::Observer& observer);
  void wait_ready(observe::Observer& observer, sys::TimePoint deadline) override;
  Process& process() override { return process_; }
  int stdin_fd() const override { return stdin_.get(); }
  const char* program() const override { return "dbclient"; }

  struct Files {
    std::string user_key;  // Dropbear format
    std::string home;      // $HOME: .ssh/known_hosts without comments
  };
  static Files prepare(const ClientSpec& spec);
  static std::vector<std::string> arguments(const ClientSpec& spec, const Files& files, const DropbearFlags& flags);

 private:
  Process process_;
  sys::UniqueFd stdin_;
};

}  // namespace deadpeer::proc
