#pragma once
// One invocation of `deadpeer run`: its RunLock (the id, and the proof it is alive), a private
// state directory, a parent cgroup for every case's processes, and the run's SSH keys.
//
// Names: namespaces dp<id>-<n>-{c,r,s}, cgroup deadpeer-<id>/<n>-{client,server},
// state /run/deadpeer/<id>/.
#include <memory>
#include <optional>
#include <string>

#include "proc/Cgroup.hpp"
#include "proc/SshKeys.hpp"
#include "run/RunLock.hpp"
#include "sys/TempDir.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::run {

class RunSession {
 public:
  static std::string state_root();  // $DEADPEER_STATE_DIR or /run/deadpeer
  RunSession();

  const std::string& id() const { return lock_.id(); }
  // Unique lab prefix for the n-th lab of this run ("dpk3f9a2-7").
  std::string lab_prefix(int n) const { return lock_.lab_prefix(n); }
  const sys::TempDir& dir() const { return dir_; }
  const proc::Cgroup& cgroup() const { return *cgroup_; }
  const proc::SshKeys& keys() const { return *keys_; }

 private:
  RunLock lock_;
  sys::TempDir dir_;
  std::unique_ptr<sys::TempDir> keys_dir_;
  std::unique_ptr<proc::SshKeys> keys_;
  std::unique_ptr<proc::Cgroup> cgroup_;
};

}  // namespace deadpeer::run
