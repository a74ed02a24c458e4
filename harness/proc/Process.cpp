#include "proc/Process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include "proc/Cgroup.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {
namespace bp = boost::process;

namespace {

sys::UniqueFd open_pidfd(pid_t pid, const std::string& name) {
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) sys::throw_errno("pidfd_open " + name + " pid " + std::to_string(pid));
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return sys::UniqueFd(fd);
}

struct Pipe {
  sys::UniqueFd read, write;
  static Pipe make(const std::string& what) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) sys::throw_errno("pipe2 for " + what);
    return Pipe{sys::UniqueFd(fds[0]), sys::UniqueFd(fds[1])};
  }
};

// Runs in the child between fork and exec: only async-signal-safe calls here.
struct ChildSetup : bp::extend::handler {
  int cgroup_procs = -1;
  int netns = -1;
  int in = -1, out = -1, err = -1;  // -1: /dev/null
  bool err_to_out = false;
  // Pointers into the ProcessSpec, which outlives the fork: nothing is allocated in the child.
  std::vector<std::pair<const char*, const char*>> binds;

  template <class Executor>
  void on_exec_setup(Executor& e) const {
    auto fail = [&](const char* what) { e.set_error(std::error_code(errno, std::system_category()), what); };
    if (cgroup_procs >= 0 && ::write(cgroup_procs, "0", 1) < 0) return fail("join cgroup");
    if (netns >= 0 && ::setns(netns, CLONE_NEWNET) < 0) return fail("setns");
    if (!binds.empty()) {
      // A private copy of the mount table: the binds below never propagate to the host.
      if (::unshare(CLONE_NEWNS) < 0) return fail("unshare mount namespace");
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) return fail("make mounts private");
      for (const auto& [source, target] : binds)
        if (::mount(source, target, nullptr, MS_BIND, nullptr) < 0) return fail("bind mount");
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull < 0) return fail("open /dev/null");
    if (::dup2(in >= 0 ? in : devnull, 0) < 0 || ::dup2(out >= 0 ? out : devnull, 1) < 0 ||
        ::dup2(err_to_out ? 1 : (err >= 0 ? err : devnull), 2) < 0)
      return fail("dup2 stdio");
  }
};

}  // namespace

Process Process::start(const ProcessSpec& spec) {
  Process p;
  p.name_ = spec.name;
  ChildSetup setup;
  Pipe in, out, err;
  if (spec.pipe_stdin) in = Pipe::make(spec.name + " stdin"), setup.in = in.read.get();
  if (spec.pipe_stdout) out = Pipe::make(spec.name + " stdout"), setup.out = out.write.get();
  if (spec.pipe_stderr) err = Pipe::make(spec.name + " stderr"), setup.err = err.write.get();
  setup.err_to_out = spec.stderr_to_stdout;
  if (spec.netns) setup.netns = spec.netns->fd();
  if (spec.cgroup) setup.cgroup_procs = spec.cgroup->procs_fd();
  for (const auto& [source, target] : spec.bind_mounts) setup.binds.emplace_back(source.c_str(), target.c_str());

  auto env = boost::this_process::environment();
  env["LC_ALL"] = "C";  // messages the classifier reads must be untranslated
  for (const auto& [name, value] : spec.env) env[name] = value;
  try {
    bp::child child(bp::exe = spec.exe, bp::args = spec.args, env, setup);
    p.pid_ = child.id();
    child.detach();  // reaped through the pidfd
  } catch (const std::exception& e) {
    std::string binds;
    for (const auto& [source, target] : spec.bind_mounts) binds += ", bind " + source + " on " + target;
    throw sys::Error("start " + spec.name + " (" + spec.exe + ")" +
                     (spec.netns ? " in netns " + spec.netns->name() : "") + binds + ": " + e.what());
  }
  p.pidfd_ = open_pidfd(p.pid_, spec.name);
  p.stdin_ = std::move(in.write);
  p.stdout_ = std::move(out.read);
  p.stderr_ = std::move(err.read);
  sys::log("proc").debug("started {} pid {}{}", spec.name, p.pid_,
                         spec.netns ? " in netns " + spec.netns->name() : std::string());
  return p;
}

Process::Output Process::run(const std::string& exe, const std::vector<std::string>& args) {
  ProcessSpec spec{exe.substr(exe.rfind('/') + 1), exe, args};
  spec.pipe_stderr = false;
  spec.stderr_to_stdout = true;
  Process p = start(spec);
  // stderr joins stdout so messages keep their order.
  std::string out;
  sys::UniqueFd fd = p.take_stdout();
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      sys::throw_errno("read output of " + exe);
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return Output{p.wait(), out};
}

Process::Process(Process&& o) noexcept
    : name_(std::move(o.name_)), pid_(std::exchange(o.pid_, -1)), pidfd_(std::move(o.pidfd_)),
      stdin_(std::move(o.stdin_)), stdout_(std::move(o.stdout_)), stderr_(std::move(o.stderr_)),
      status_(o.status_) {}

std::optional<int> Process::try_wait() {
  if (status_ || pid_ < 0) return status_;
  siginfo_t info{};
  if (::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED | WNOHANG) < 0)
    sys::throw_errno("waitid " + name_ + " pid " + std::to_string(pid_));
  if (info.si_pid == 0) return std::nullopt;
  status_ = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
  if (info.si_code != CLD_EXITED) signal_ = info.si_status;
  return status_;
}

int Process::wait() {
  while (!try_wait()) {
    pollfd p{pidfd_.get(), POLLIN, 0};
    ::poll(&p, 1, -1);
  }
  return *status_;
}

void Process::signal(int sig) {
  if (status_) return;
  if (::syscall(SYS_pidfd_send_signal, pidfd_.get(), sig, nullptr, 0) < 0 && errno != ESRCH)
    sys::throw_errno("signal " + std::to_string(sig) + " to " + name_ + " pid " + std::to_string(pid_));
}

Process::~Process() {
  if (pid_ < 0 || status_) return;
  try {
    if (!try_wait()) {
      signal(SIGKILL);
      int st = wait();
      sys::log("proc").debug("killed {} pid {} (status {})", name_, pid_, st);
    }
  } catch (const std::exception& e) {
    sys::log("proc").error("stopping {} pid {}: {}", name_, pid_, e.what());
  }
}

}  // namespace deadpeer::proc
