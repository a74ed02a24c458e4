#include "sys/Netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <exception>
#include <thread>

#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::sys {
namespace {

std::string path_of(const std::string& name) { return std::string(Netns::kRunDir) + "/" + name; }

// Runs fn on a new thread and rethrows its exception in the caller.
void on_thread(const std::function<void()>& fn) {
  std::exception_ptr failure;
  std::thread t([&] {
    try {
      fn();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

Netns Netns::create(const std::string& name) {
  if (::mkdir(kRunDir, 0755) < 0 && errno != EEXIST) throw_errno(std::string("mkdir ") + kRunDir);
  const std::string path = path_of(name);
  UniqueFd placeholder(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
  if (!placeholder) throw_errno("create netns " + name + " (" + path + ")");
  placeholder.reset();

  UniqueFd fd;
  try {
    on_thread([&] {
      check(::unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET) for netns " + name);
      check(::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr),
            "bind-mount netns " + name + " at " + path);
      fd = UniqueFd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
      if (!fd) throw_errno("open netns fd of " + name);
    });
  } catch (...) {
    ::umount2(path.c_str(), MNT_DETACH);
    ::unlink(path.c_str());
    throw;
  }
  log("sys").debug("created netns {}", name);
  return Netns(name, std::move(fd));
}

void Netns::remove_name(const std::string& name) {
  const std::string path = path_of(name);
  if (::umount2(path.c_str(), MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
    throw_errno("umount netns " + name);
  if (::unlink(path.c_str()) < 0 && errno != ENOENT) throw_errno("unlink netns " + path);
}

Netns::~Netns() {
  if (name_.empty()) return;  // moved from
  try {
    remove_name(name_);
    log("sys").debug("removed netns {}", name_);
  } catch (const std::exception& e) {
    log("sys").error("removing netns {}: {}", name_, e.what());
  }
}

void Netns::run(const std::function<void()>& fn) const {
  on_thread([&] {
    check(::setns(fd_.get(), CLONE_NEWNET), "setns into netns " + name_);
    fn();
  });
}

}  // namespace deadpeer::sys
