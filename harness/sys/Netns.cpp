#include "sys/Netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>

#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::sys {
namespace {

std::string path_of(const std::string& name) { return std::string(Netns::kRunDir) + "/" + name; }

// Puts the calling thread into another network namespace until destroyed, then back into the
// one it was in. setns(CLONE_NEWNET) moves only the calling thread, and it returns before
// anything else runs on it, so no other thread ever sees a different namespace.
//
// Why not a fresh thread per call: a spawn + join is two wake-ups, and on a busy machine each
// can wait for the next scheduler tick (4 ms at HZ=250); a lab made ~13 of them, which was most
// of its setup time (see bench/). Opening /proc/thread-self/ns/net each time (not caching it)
// keeps nested visits correct.
class ThreadVisit {
 public:
  explicit ThreadVisit(const std::string& ns_name)
      : ns_name_(ns_name), home_(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) {
    if (!home_) throw_errno("open own netns fd before entering netns " + ns_name);
  }
  ThreadVisit(const ThreadVisit&) = delete;
  ThreadVisit& operator=(const ThreadVisit&) = delete;
  ~ThreadVisit() {
    if (::setns(home_.get(), CLONE_NEWNET) == 0) return;
    // A thread left inside a lab namespace would configure the wrong network from then on
    // (or the host's, later): stopping is the only safe outcome. This needs CAP_SYS_ADMIN,
    // which entering required too, so it does not happen in practice.
    log("sys").critical("returning thread from netns {} to its own failed: {}; aborting", ns_name_,
                        std::strerror(errno));
    std::abort();
  }

 private:
  std::string ns_name_;
  UniqueFd home_;
};

}  // namespace

Netns Netns::create(const std::string& name) {
  if (::mkdir(kRunDir, 0755) < 0 && errno != EEXIST) throw_errno(std::string("mkdir ") + kRunDir);
  const std::string path = path_of(name);
  UniqueFd placeholder(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
  if (!placeholder) throw_errno("create netns " + name + " (" + path + ")");
  placeholder.reset();

  UniqueFd fd;
  try {
    ThreadVisit visit(name);
    check(::unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET) for netns " + name);
    check(::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr),
          "bind-mount netns " + name + " at " + path);
    fd = UniqueFd(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!fd) throw_errno("open netns fd of " + name);
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
  ThreadVisit visit(name_);
  check(::setns(fd_.get(), CLONE_NEWNET), "setns into netns " + name_);
  fn();
}

}  // namespace deadpeer::sys
