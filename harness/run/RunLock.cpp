#include "run/RunLock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

#include <cctype>
#include <random>

#include "sys/Log.hpp"
#include "sys/PidName.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::run {
namespace {

std::string random_id() {
  static constexpr char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::random_device rd;
  std::string id;
  for (int i = 0; i < 6; ++i) id += alphabet[rd() % 36];
  return id;
}

std::string path_of(const std::string& id) { return std::string(RunLock::kDir) + "/" + id; }

}  // namespace

RunLock::RunLock() {
  for (const char* dir : {"/run/deadpeer", kDir})
    if (::mkdir(dir, 0700) < 0 && errno != EEXIST) sys::throw_errno(std::string("mkdir ") + dir);
  // The lock file must appear under its id already locked: a `cleanup` that looked at it
  // between a plain create and the flock would find it unlocked, take the run for dead and
  // remove it — and later the run's cgroup. So it is made and locked under a private name
  // (which cleanup skips while it is locked) and then renamed to its id without replacing
  // anything (RENAME_NOREPLACE fails if the id is taken); the fd follows the rename, so
  // /proc/<pid>/fd shows the run's id like before.
  const std::string staging = std::string(kDir) + "/" + kStagingPrefix + std::to_string(::getpid()) + "-" + random_id();
  sys::UniqueFd fd(::open(staging.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd) sys::throw_errno("create run lock " + staging);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
    ::unlink(staging.c_str());
    sys::throw_errno("flock " + staging);
  }
  for (int attempt = 0; attempt < 8 && !fd_; ++attempt) {
    id_ = random_id();
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, path_of(id_).c_str(), RENAME_NOREPLACE) == 0)
      fd_ = std::move(fd);
    else if (errno != EEXIST) {
      const int err = errno;
      ::unlink(staging.c_str());
      sys::throw_errno(err, "rename run lock " + staging + " to " + path_of(id_));
    }
  }
  if (!fd_) {
    ::unlink(staging.c_str());
    throw sys::Error("no free run id in " + std::string(kDir));
  }
}

RunLock::~RunLock() {
  // Unlinked while still locked, so nobody can mistake the id for a dead run meanwhile.
  if (::unlink(path_of(id_).c_str()) < 0) sys::log("run").error("unlink run lock {}: {}", path_of(id_), std::strerror(errno));
}

bool RunLock::is_live(const std::string& id) {
  sys::UniqueFd fd(::open(path_of(id).c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return false;
  return ::flock(fd.get(), LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
}

bool RunLock::is_stale_staging(const std::string& name) {
  // The lock alone cannot tell: a staging file exists unlocked between its creator's open and
  // flock, and a probe's own flock in that window would make the creator's fail. A soak once
  // caught a cleanup there (the run died with "rename run lock …: No such file"). So the
  // creator, whose pid is in the name, must be gone first; then nobody may hold the lock.
  if (!sys::creator_gone(name, kStagingPrefix)) return false;
  sys::UniqueFd fd(::open((std::string(kDir) + "/" + name).c_str(), O_RDWR | O_CLOEXEC));
  return fd && ::flock(fd.get(), LOCK_EX | LOCK_NB) == 0;
}

bool RunLock::valid_id(const std::string& id) {
  if (id.size() != 6) return false;
  for (char c : id)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::islower(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace deadpeer::run
