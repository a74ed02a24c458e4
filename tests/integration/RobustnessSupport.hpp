#pragma once
// Shared by the robustness tests (kill, host snapshot, unprivileged): private directories,
// scenario files written on the fly, the real deadpeer binary run with a deadline, and the
// machine-wide names a run leaves behind (namespaces, cgroups, state dirs, lock files).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "proc/Cgroup.hpp"
#include "proc/Process.hpp"
#include "run/RunLock.hpp"
#include "sys/Clock.hpp"
#include "sys/Netns.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::testing {

namespace fs = std::filesystem;

// A directory made with mkdtemp under `base`, removed with its contents on destruction.
// Under /run by default: sshd's StrictModes refuses an authorized_keys file below a
// world-writable directory such as /tmp, so a state dir there would fail every case.
class PrivateDir {
 public:
  explicit PrivateDir(const std::string& tag, const std::string& base = "/run", mode_t mode = 0700) {
    std::string tmpl = base + "/dp-" + tag + "-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + tmpl);
    path_ = tmpl;
    ::chmod(tmpl.c_str(), mode);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  ~PrivateDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// An environment variable for this scope; children inherit it (Process::start passes the
// harness's environment on).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

inline fs::path write_text(const fs::path& path, const std::string& text, mode_t mode = 0644) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), mode);
  return path;
}

// How a child ended: its status (WEXITSTATUS, or 128+signal), everything it printed, and
// whether the deadline passed (then it was SIGKILLed).
struct Finished {
  int status = -1;
  std::string output;
  bool timed_out = false;
};

// Collects a started child's combined output until it exits or `deadline` passes.
inline Finished finish(proc::Process& p, sys::UniqueFd out, sys::TimePoint deadline) {
  Finished f;
  if (out) ::fcntl(out.get(), F_SETFL, ::fcntl(out.get(), F_GETFL) | O_NONBLOCK);
  auto drain = [&] {
    char buf[4096];
    for (ssize_t n; out && (n = ::read(out.get(), buf, sizeof buf)) != 0;) {
      if (n < 0) {
        if (errno == EINTR) continue;
        return;  // EAGAIN: nothing more for now
      }
      f.output.append(buf, static_cast<size_t>(n));
    }
    out.reset();  // EOF
  };
  for (;;) {
    if (auto st = p.try_wait()) {
      drain();
      f.status = *st;
      return f;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sys::Clock::now());
    if (left.count() <= 0) {
      f.timed_out = true;
      p.signal(SIGKILL);
      f.status = p.wait();
      drain();
      return f;
    }
    pollfd fds[2] = {{p.pidfd(), POLLIN, 0}, {out.get(), POLLIN, 0}};
    ::poll(fds, out ? 2 : 1, static_cast<int>(std::min<long>(left.count(), 200)));
    if (out && fds[1].revents) drain();
  }
}

// Runs `exe args` to completion (stdout and stderr together), SIGKILLed after `limit`.
inline Finished run_binary(const std::string& exe, const std::vector<std::string>& args,
                           std::chrono::milliseconds limit) {
  proc::ProcessSpec spec{fs::path(exe).filename(), exe, args};
  spec.pipe_stderr = false;
  spec.stderr_to_stdout = true;
  auto p = proc::Process::start(spec);
  return finish(p, p.take_stdout(), sys::Clock::now() + limit);
}

// Machine-wide objects named after a run id (see run/RunSession.hpp for the names).
inline std::vector<std::string> netns_of_run(const std::string& id) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(sys::Netns::kRunDir, ec))
    if (e.path().filename().string().rfind("dp" + id + "-", 0) == 0) out.push_back(e.path().filename());
  return out;
}

inline std::string cgroup_of_run(const std::string& id) { return proc::Cgroup::own_root() + "/deadpeer-" + id; }

inline std::set<std::string> lock_ids() {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(run::RunLock::kDir, ec))
    if (run::RunLock::valid_id(e.path().filename())) out.insert(e.path().filename());
  return out;
}

// True when a cgroup.procs file lists at least one process.
inline bool has_procs(const fs::path& cgroup_dir) {
  std::ifstream procs(cgroup_dir / "cgroup.procs");
  std::string pid;
  return static_cast<bool>(std::getline(procs, pid));
}

}  // namespace deadpeer::testing
