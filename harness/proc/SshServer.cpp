#include "proc/SshServer.hpp"

#include <sys/stat.h>

#include "proc/ConfigTemplate.hpp"
#include "proc/SshKeys.hpp"
#include "sys/SystemError.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::proc {

void SshServer::ensure_privsep_dir() {
  if (::mkdir("/run/sshd", 0755) < 0 && errno != EEXIST) sys::throw_errno("mkdir /run/sshd (sshd privsep dir)");
}

std::string SshServer::render_config(const SshServerSpec& spec) {
  std::string user;
  for (const auto& s : spec.options) user += s.key + " " + scenario::render(s.value) + "\n";
  if (user.empty()) user = "# (none)\n";
  return ConfigTemplate::render(ConfigTemplate::load("sshd_config.in"),
                                {{"listen_address", spec.listen_address},
                                 {"port", std::to_string(spec.port)},
                                 {"host_key", spec.keys->host_key()},
                                 {"authorized_keys", spec.keys->authorized_keys()},
                                 {"user_options", user}},
                                "sshd_config.in");
}

static Process start_sshd(const SshServerSpec& spec) {
  SshServer::ensure_privsep_dir();
  const std::string config = spec.dir->write("sshd_config", SshServer::render_config(spec));
  ProcessSpec ps{"sshd", SshServer::kExe, {"-D", "-e", "-f", config}};
  ps.netns = spec.netns;
  ps.cgroup = spec.cgroup;
  ps.pipe_stdout = false;
  // An empty home for the sessions (see ServerProcess::login_home): sshd reads its keys from
  // the paths in its config, never from the home.
  const std::string home = spec.dir->file("sshd-home");
  if (::mkdir(home.c_str(), 0700) < 0 && errno != EEXIST) sys::throw_errno("mkdir " + home);
  ps.bind_mounts = {{home, SshServer::login_home()}};
  return Process::start(ps);
}

SshServer::SshServer(const SshServerSpec& spec, observe::Observer& observer) : process_(start_sshd(spec)) {
  observer.watch_lines(process_.take_stderr(), kLogSource);
  observer.watch_exit(process_.pidfd(), kListenerExit);
}

void SshServer::wait_listening(observe::Observer& observer, sys::TimePoint deadline) {
  wait_for_log_line(observer, deadline, "Server listening on", "sshd");
}

}  // namespace deadpeer::proc
