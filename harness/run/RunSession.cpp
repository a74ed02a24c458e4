#include "run/RunSession.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "lab/Lab.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::run {
namespace {

// sshd (StrictModes) refuses an authorized_keys file when any directory above it is writable
// by others or owned by someone else than root: every case would fail with "Permission denied
// (publickey)". Said once, up front, instead.
void check_state_root_is_private(const std::string& root) {
  namespace fs = std::filesystem;
  for (fs::path p = fs::absolute(root).lexically_normal(); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0 && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0))
      throw sys::Error("state directory " + root + " is below " + p.string() +
                       ", which is writable by others or not owned by root: sshd (StrictModes) would refuse the "
                       "lab's keys there; set DEADPEER_STATE_DIR to a directory under /run (default /run/deadpeer)");
    if (p == p.parent_path()) break;
  }
}

std::string make_root() {
  std::string root = RunSession::state_root();
  check_state_root_is_private(root);
  if (::mkdir(root.c_str(), 0700) < 0 && errno != EEXIST) sys::throw_errno("mkdir state dir " + root);
  return root;
}

}  // namespace

std::string RunSession::state_root() {
  const char* env = std::getenv("DEADPEER_STATE_DIR");
  return env && *env ? env : "/run/deadpeer";
}

RunSession::RunSession() : dir_(make_root() + "/" + lock_.id()) {
  const std::string cg_root = proc::Cgroup::own_root();
  if (cg_root.empty())
    throw sys::Error("no writable cgroup v2 hierarchy: deadpeer contains each case's processes in a cgroup "
                     "(run `deadpeer doctor`)");
  cgroup_ = std::make_unique<proc::Cgroup>(cg_root, "deadpeer-" + id());
  dir_.write("cgroup", cgroup_->path());  // for `cleanup` after a SIGKILL
  keys_dir_ = std::make_unique<sys::TempDir>(dir_.file("keys"));
  keys_ = std::make_unique<proc::SshKeys>(*keys_dir_, lab::Addresses::server);
  sys::log("run").info("run {} state in {}", id(), dir_.path());
}

}  // namespace deadpeer::run
