#include "run/RunLock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <random>

#include "sys/Log.hpp"
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
  for (int attempt = 0; attempt < 8 && !fd_; ++attempt) {
    id_ = random_id();
    fd_ = sys::UniqueFd(::open(path_of(id_).c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd_ && errno != EEXIST) sys::throw_errno("create run lock " + path_of(id_));
  }
  if (!fd_) throw sys::Error("no free run id in " + std::string(kDir));
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) < 0) sys::throw_errno("flock " + path_of(id_));
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

bool RunLock::valid_id(const std::string& id) {
  if (id.size() != 6) return false;
  for (char c : id)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !std::islower(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace deadpeer::run
