#include "proc/SshClient.hpp"

#include "proc/ConfigTemplate.hpp"
#include "proc/SshKeys.hpp"
#include "sys/SystemError.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::proc {

std::string SshClient::remote_command(scenario::Pattern pattern) {
  const std::string marker = std::string("echo ") + kReadyMarker;
  switch (pattern) {
    case scenario::Pattern::idle:
      // cat reads the channel and never writes: nothing flows after login unless a keepalive does.
    case scenario::Pattern::interactive:
      // cat echoes each small write of the harness back: a typing user.
      return marker + "; exec cat";
    case scenario::Pattern::stream:
      // The server writes 4 KiB every 20 ms (~200 KB/s): data is always in flight, so after
      // the fault there is unacknowledged data at once (retransmission, not keepalive, is what
      // can notice), without burning the CPU other cases need for their timing.
      return marker + "; exec sh -c 'while :; do head -c 4095 /dev/zero | tr \"\\\\0\" x; echo; sleep 0.02; done'";
    case scenario::Pattern::forward:
      return marker + "; exec cat";
  }
  return marker + "; exec cat";
}

std::string SshClient::render_config(const SshClientSpec& spec) {
  return ConfigTemplate::render(ConfigTemplate::load("ssh_config.in"),
                                {{"server_address", spec.server_address},
                                 {"port", std::to_string(spec.port)},
                                 {"user_key", spec.keys->user_key()},
                                 {"known_hosts", spec.keys->known_hosts()}},
                                "ssh_config.in");
}

std::vector<std::string> SshClient::arguments(const SshClientSpec& spec, const std::string& config_path) {
  std::vector<std::string> args{"-F", config_path, "-T"};
  for (const auto& s : spec.options) {
    args.push_back("-o");
    args.push_back(s.key + "=" + scenario::render(s.value));
  }
  args.push_back("lab-server");
  args.push_back("--");
  args.push_back(spec.remote_command);
  return args;
}

static Process start_ssh(const SshClientSpec& spec) {
  const std::string config = spec.dir->write("ssh_config", SshClient::render_config(spec));
  ProcessSpec ps{"ssh", SshClient::kExe, SshClient::arguments(spec, config)};
  ps.netns = spec.netns;
  ps.cgroup = spec.cgroup;
  ps.pipe_stdin = true;
  return Process::start(ps);
}

SshClient::SshClient(const SshClientSpec& spec, observe::Observer& observer)
    : process_(start_ssh(spec)), stdin_(process_.take_stdin()) {
  observer.watch_lines(process_.take_stdout(), kStdout);
  observer.watch_lines(process_.take_stderr(), kStderr);
  observer.watch_exit(process_.pidfd(), kExit);
}

void SshClient::wait_ready(observe::Observer& observer, sys::TimePoint deadline) {
  wait_for_marker(observer, deadline, "ssh");
}

}  // namespace deadpeer::proc
