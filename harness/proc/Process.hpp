#pragma once
// A child process started with Boost.Process inside a network namespace and a cgroup.
//
// Between fork and exec the child joins the cgroup, enters the namespace (setns moves only
// that child; the harness and its threads stay where they are), unblocks the signals the
// harness blocks for itself, and gets pipes for its stdio. The exit is watched through a
// pidfd, which the observer polls: no SIGCHLD handler, no waitpid(-1) stealing other cases'
// children.
#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::proc {

class Cgroup;

struct ProcessSpec {
  std::string name;  // for logs and errors: "sshd", "ssh"
  std::string exe;   // absolute path
  std::vector<std::string> args;
  const sys::Netns* netns = nullptr;  // required for lab processes; nullptr = stay (tools only)
  const Cgroup* cgroup = nullptr;
  bool pipe_stdin = false;   // else /dev/null
  bool pipe_stdout = true;   // else /dev/null
  bool pipe_stderr = true;   // else /dev/null
  bool stderr_to_stdout = false;  // one pipe for both, in the order written
  // Added to (or replacing in) the harness's environment: e.g. HOME for dbclient, which keeps
  // its known_hosts under $HOME and would otherwise write into the host's /root/.ssh.
  std::vector<std::pair<std::string, std::string>> env = {};
  // Bind mounts (source, target) made in a private mount namespace of the child only, so the
  // host never sees them: Dropbear reads authorized_keys from the user's home and nowhere else.
  std::vector<std::pair<std::string, std::string>> bind_mounts = {};
};

class Process {
 public:
  static Process start(const ProcessSpec& spec);
  // Runs a tool to completion outside any lab (ssh-keygen, ssh -G): returns exit status and
  // what it printed on stdout+stderr. Throws if it cannot start.
  struct Output {
    int status;
    std::string out;
  };
  static Output run(const std::string& exe, const std::vector<std::string>& args);

  Process(Process&&) noexcept;
  Process& operator=(Process&&) = delete;
  ~Process();  // kills (SIGKILL) and reaps if still running; never throws

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  const std::string& name() const { return name_; }
  sys::UniqueFd take_stdin() { return std::move(stdin_); }
  sys::UniqueFd take_stdout() { return std::move(stdout_); }
  sys::UniqueFd take_stderr() { return std::move(stderr_); }

  // Non-blocking: the exit status (WEXITSTATUS, or 128+signal) once it has exited.
  std::optional<int> try_wait();
  int wait();
  // The signal that ended it (after try_wait/wait saw the end); nullopt when it exited by
  // itself — also with a status above 128, which a shell reports for its child's signal.
  std::optional<int> killed_by() const { return signal_; }
  void signal(int sig);

 private:
  Process() = default;
  std::string name_;
  pid_t pid_ = -1;
  sys::UniqueFd pidfd_;
  sys::UniqueFd stdin_, stdout_, stderr_;
  std::optional<int> status_;
  std::optional<int> signal_;
};

}  // namespace deadpeer::proc
