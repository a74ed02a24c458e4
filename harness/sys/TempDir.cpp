#include "sys/TempDir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "sys/Log.hpp"
#include "sys/SystemError.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {

TempDir::TempDir(std::string path) : path_(std::move(path)) {
  if (::mkdir(path_.c_str(), 0700) < 0) throw_errno("mkdir " + path_);
  log("sys").debug("created dir {}", path_);
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  if (ec)
    log("sys").error("removing {}: {}", path_, ec.message());
  else
    log("sys").debug("removed dir {}", path_);
}

std::string TempDir::write(const std::string& name, const std::string& content, unsigned mode) const {
  const std::string p = file(name);
  UniqueFd fd(::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
  if (!fd) throw_errno("create " + p);
  if (::write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size()))
    throw_errno("write " + p);
  return p;
}

}  // namespace deadpeer::sys
