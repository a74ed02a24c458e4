#pragma once
// Removes what runs killed with SIGKILL left behind: their processes (by cgroup), namespaces
// (by the dp<id>- prefix), and state directories. A run is dead when nobody holds the flock on
// its state directory's lock file; a live run's objects are never touched.
#include <string>
#include <vector>

namespace deadpeer::run {

struct CleanupReport {
  std::vector<std::string> cgroups, namespaces, dirs;
  std::vector<std::string> errors;
  size_t total() const { return cgroups.size() + namespaces.size() + dirs.size(); }
};

class Cleanup {
 public:
  static CleanupReport sweep(bool log_each = true);
  // The run id in a namespace name "dp<id>-<n>-<role>", or "" if the name is not ours.
  static std::string run_id_of_netns(const std::string& name);
};

}  // namespace deadpeer::run
