#pragma once
// The proof that a run is alive: an flock on /run/deadpeer/locks/<id>, held for the run's whole
// life and released by the kernel however the process ends. `deadpeer cleanup` treats every
// object named after an id whose lock nobody holds as a leftover — so the lock lives in one
// fixed place for every run on the machine, whatever state directory each run uses, and
// anything that builds labs (tests included) takes one first.
#include <string>

#include "sys/UniqueFd.hpp"

namespace deadpeer::run {

class RunLock {
 public:
  static constexpr const char* kDir = "/run/deadpeer/locks";
  // Lock files being created carry this prefix until they are linked to their id (see the
  // constructor); never a valid id.
  static constexpr const char* kStagingPrefix = ".staging-";
  RunLock();  // a fresh random id, locked
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  const std::string& id() const { return id_; }
  // Unique lab prefix for the n-th lab of this run ("dpk3f9a2-7").
  std::string lab_prefix(int n) const { return "dp" + id_ + "-" + std::to_string(n); }

  static bool is_live(const std::string& id);
  static bool valid_id(const std::string& id);  // 6 of [0-9a-z]
  // A staging file (".staging-<pid>-<random>") whose creator died before linking it: no
  // process <pid>, and nobody holds its lock.
  static bool is_stale_staging(const std::string& name);

 private:
  std::string id_;
  sys::UniqueFd fd_;
};

}  // namespace deadpeer::run
