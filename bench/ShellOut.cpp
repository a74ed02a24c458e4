#include "bench/ShellOut.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"
#include "sys/UniqueFd.hpp"

extern char** environ;

namespace deadpeer::bench {
namespace {

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

pid_t spawn(const std::vector<std::string>& argv, int out_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 2);
  // The harness blocks SIGINT/SIGTERM in every thread (sys::Interrupt); the tool must not inherit that.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int err = ::posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) sys::throw_errno(err, "spawn " + joined(argv));
  return pid;
}

}  // namespace

ShellOut::Result ShellOut::try_run(const std::vector<std::string>& argv, const sys::Netns* ns) {
  int p[2];
  sys::check(::pipe2(p, O_CLOEXEC), "pipe for " + joined(argv));
  sys::UniqueFd read_end(p[0]), write_end(p[1]);
  pid_t pid = -1;
  // The child starts in the namespace of the thread that spawns it.
  if (ns)
    ns->run([&] { pid = spawn(argv, write_end.get()); });
  else
    pid = spawn(argv, write_end.get());
  write_end.reset();
  Result r{0, {}};
  char buf[4096];
  for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    r.output.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) sys::throw_errno("waitpid " + joined(argv));
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

void ShellOut::run(const std::vector<std::string>& argv, const sys::Netns* ns) {
  auto r = try_run(argv, ns);
  if (r.status != 0) {
    while (!r.output.empty() && r.output.back() == '\n') r.output.pop_back();
    throw sys::Error(joined(argv) + (ns ? " (in netns " + ns->name() + ")" : "") + ": exit status " +
                     std::to_string(r.status) + (r.output.empty() ? "" : ": " + r.output));
  }
}

}  // namespace deadpeer::bench
