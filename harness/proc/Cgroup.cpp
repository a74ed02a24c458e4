#include "proc/Cgroup.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "sys/Clock.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {
namespace {

void write_file(const std::string& path, const std::string& value) {
  sys::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || ::write(fd.get(), value.data(), value.size()) < 0) sys::throw_errno("write " + value + " to " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool events_populated(const std::string& dir) {
  return read_file(dir + "/cgroup.events").find("populated 1") != std::string::npos;
}

// Waits until the cgroup is empty: cgroup.events signals every change with POLLPRI.
void wait_empty(const std::string& dir, std::chrono::milliseconds limit) {
  const auto deadline = sys::Clock::now() + limit;
  sys::UniqueFd ev(::open((dir + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC));
  while (events_populated(dir)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sys::Clock::now());
    if (left.count() <= 0) throw sys::Error("cgroup " + dir + " still has processes after kill");
    pollfd p{ev.get(), POLLPRI, 0};
    ::poll(&p, 1, static_cast<int>(std::min<long>(left.count(), 50)));
  }
}

}  // namespace

std::string Cgroup::own_root() {
  std::string mount;
  std::ifstream mi("/proc/self/mountinfo");
  for (std::string line; std::getline(mi, line);) {
    // "... - cgroup2 cgroup2 rw"; the mount point is field 5.
    auto dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream f(line);
    std::string skip, point;
    f >> skip >> skip >> skip >> skip >> point;
    mount = point;
    break;
  }
  if (mount.empty()) return "";
  std::string rel;
  std::ifstream cg("/proc/self/cgroup");
  for (std::string line; std::getline(cg, line);)
    if (line.rfind("0::", 0) == 0) rel = line.substr(3);
  std::string root = mount + (rel == "/" ? "" : rel);
  return ::access(root.c_str(), W_OK) == 0 ? root : "";
}

Cgroup::Cgroup(const std::string& parent, const std::string& name) : path_(parent + "/" + name) {
  if (::mkdir(path_.c_str(), 0755) < 0) sys::throw_errno("mkdir cgroup " + path_);
  procs_ = sys::UniqueFd(::open((path_ + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
  if (!procs_) {
    int err = errno;
    ::rmdir(path_.c_str());
    sys::throw_errno(err, "open " + path_ + "/cgroup.procs");
  }
  sys::log("proc").debug("created cgroup {}", path_);
}

Cgroup::Cgroup(Cgroup&& o) noexcept : path_(std::move(o.path_)), procs_(std::move(o.procs_)) { o.path_.clear(); }

Cgroup::~Cgroup() {
  if (path_.empty()) return;
  procs_.reset();
  try {
    remove_tree(path_);
    sys::log("proc").debug("removed cgroup {}", path_);
  } catch (const std::exception& e) {
    sys::log("proc").error("removing cgroup {}: {}", path_, e.what());
  }
}

bool Cgroup::populated() const { return events_populated(path_); }

void Cgroup::kill(std::chrono::milliseconds deadline) {
  write_file(path_ + "/cgroup.kill", "1");
  wait_empty(path_, deadline);
}

void Cgroup::freeze(bool frozen) { write_file(path_ + "/cgroup.freeze", frozen ? "1" : "0"); }

void Cgroup::remove_tree(const std::string& path) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) return;
  for (const auto& entry : fs::directory_iterator(path))
    if (entry.is_directory()) remove_tree(entry.path());
  if (fs::exists(path + "/cgroup.freeze")) write_file(path + "/cgroup.freeze", "0");  // frozen tasks die only when thawed
  write_file(path + "/cgroup.kill", "1");
  wait_empty(path, std::chrono::seconds(5));
  if (::rmdir(path.c_str()) < 0 && errno != ENOENT) sys::throw_errno("rmdir cgroup " + path);
}

}  // namespace deadpeer::proc
