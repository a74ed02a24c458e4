#pragma once
// A cgroup v2 directory that contains every process of one side of a case (sshd, its session
// children and their remote commands; or ssh). Killing the cgroup (cgroup.kill) ends all of
// them at once whatever they forked, without names or PID guesses; freezing it (cgroup.freeze)
// stops an application while its kernel TCP stack keeps answering — the `freeze` host fault.
#include <chrono>
#include <string>

#include "sys/UniqueFd.hpp"

namespace deadpeer::proc {

class Cgroup {
 public:
  // The cgroup v2 directory this process lives in (where ours are created), or "" if cgroup2
  // is not mounted or not writable.
  static std::string own_root();

  // Creates `parent/name`.
  Cgroup(const std::string& parent, const std::string& name);
  Cgroup(Cgroup&&) noexcept;
  Cgroup& operator=(Cgroup&&) = delete;
  ~Cgroup();  // kills what is left, waits for it to be gone, removes the directory

  const std::string& path() const { return path_; }
  // An O_CLOEXEC fd of cgroup.procs: a child writes "0" to it between fork and exec to join.
  int procs_fd() const { return procs_.get(); }
  bool populated() const;
  // SIGKILLs every process inside and waits (with a deadline) until none is left.
  void kill(std::chrono::milliseconds deadline = std::chrono::seconds(5));
  void freeze(bool frozen);
  // Removes a cgroup left by a dead run: kills its processes, then rmdir, children first.
  static void remove_tree(const std::string& path);

 private:
  std::string path_;
  sys::UniqueFd procs_;
};

}  // namespace deadpeer::proc
