#include "proc/DropbearServer.hpp"

#include <pwd.h>

#include "proc/DropbearKeys.hpp"
#include "proc/SshKeys.hpp"
#include "sys/SystemError.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::proc {

DropbearServer::Files DropbearServer::prepare(const ServerSpec& spec) {
  Files f;
  f.host_key = spec.dir->file("dropbear_host_ed25519");
  DropbearKeys::convert(spec.keys->host_key(), f.host_key);
  f.home = DropbearKeys::make_home(spec.dir->file("dropbear-home"), "authorized_keys",
                                   DropbearKeys::read_file(spec.keys->authorized_keys()));
  f.pid_file = spec.dir->file("dropbear.pid");
  return f;
}

std::vector<std::string> DropbearServer::arguments(const ServerSpec& spec, const Files& files,
                                                   const DropbearFlags& flags) {
  std::vector<std::string> args{
      "-F",                // foreground: the harness owns its lifetime
      "-E",                // log to stderr, where the observer reads it
      "-s",                // no password logins: the run's key only
      "-P", files.pid_file,  // never the system's /var/run/dropbear.pid
      "-r", files.host_key,
      "-p", spec.listen_address + ":" + std::to_string(spec.port),
  };
  for (auto& a : flags.arguments()) args.push_back(std::move(a));
  return args;
}

static Process start_dropbear(const ServerSpec& spec) {
  const DropbearFlags flags = DropbearOptions::flags(OptionSide::server, spec.options);
  const DropbearServer::Files files = DropbearServer::prepare(spec);
  ProcessSpec ps{"dropbear", DropbearServer::kExe, DropbearServer::arguments(spec, files, flags)};
  ps.netns = spec.netns;
  ps.cgroup = spec.cgroup;
  ps.pipe_stdout = false;
  ps.bind_mounts = {{files.home, DropbearServer::login_home()}};
  return Process::start(ps);
}

DropbearServer::DropbearServer(const ServerSpec& spec, observe::Observer& observer) : process_(start_dropbear(spec)) {
  observer.watch_lines(process_.take_stderr(), kLogSource);
  observer.watch_exit(process_.pidfd(), kListenerExit);
}

void DropbearServer::wait_listening(observe::Observer& observer, sys::TimePoint deadline) {
  wait_for_log_line(observer, deadline, kListeningLine, "dropbear");
}

}  // namespace deadpeer::proc
