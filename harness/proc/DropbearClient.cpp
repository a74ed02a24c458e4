#include "proc/DropbearClient.hpp"

#include "proc/DropbearKeys.hpp"
#include "proc/SshKeys.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::proc {

DropbearClient::Files DropbearClient::prepare(const ClientSpec& spec) {
  Files f;
  f.user_key = spec.dir->file("dbclient_user_ed25519");
  DropbearKeys::convert(spec.keys->user_key(), f.user_key);
  f.home = DropbearKeys::make_home(
      spec.dir->file("dbclient-home"), "known_hosts",
      DropbearKeys::known_hosts_for_dbclient(DropbearKeys::read_file(spec.keys->known_hosts())));
  return f;
}

std::vector<std::string> DropbearClient::arguments(const ClientSpec& spec, const Files& files,
                                                   const DropbearFlags& flags) {
  std::vector<std::string> args{"-T", "-i", files.user_key, "-l", kLoginUser, "-p", std::to_string(spec.port)};
  for (auto& a : flags.arguments()) args.push_back(std::move(a));
  args.push_back(spec.server_address);
  // dbclient joins what follows the host into the remote command; one argument stays as it is.
  args.push_back(spec.remote_command);
  return args;
}

static Process start_dbclient(const ClientSpec& spec) {
  const DropbearFlags flags = DropbearOptions::flags(OptionSide::client, spec.options);
  const DropbearClient::Files files = DropbearClient::prepare(spec);
  ProcessSpec ps{"dbclient", DropbearClient::kExe, DropbearClient::arguments(spec, files, flags)};
  ps.netns = spec.netns;
  ps.cgroup = spec.cgroup;
  ps.pipe_stdin = true;
  ps.env = {{"HOME", files.home}};
  return Process::start(ps);
}

DropbearClient::DropbearClient(const ClientSpec& spec, observe::Observer& observer)
    : process_(start_dbclient(spec)), stdin_(process_.take_stdin()) {
  observer.watch_lines(process_.take_stdout(), kStdout);
  observer.watch_lines(process_.take_stderr(), kStderr);
  observer.watch_exit(process_.pidfd(), kExit);
}

void DropbearClient::wait_ready(observe::Observer& observer, sys::TimePoint deadline) {
  wait_for_marker(observer, deadline, "dbclient");
}

}  // namespace deadpeer::proc
