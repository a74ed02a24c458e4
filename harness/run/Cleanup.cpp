#include "run/Cleanup.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "proc/Cgroup.hpp"
#include "proc/OptionChecker.hpp"
#include "run/RunLock.hpp"
#include "run/RunSession.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/PidName.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::run {
namespace fs = std::filesystem;
namespace {

bool valid_id(const std::string& id) { return RunLock::valid_id(id); }

}  // namespace

std::string Cleanup::run_id_of_netns(const std::string& name) {
  if (name.rfind("dp", 0) != 0) return "";
  auto dash = name.find('-');
  if (dash == std::string::npos) return "";
  std::string id = name.substr(2, dash - 2);
  return valid_id(id) ? id : "";
}

CleanupReport Cleanup::sweep(bool log_each) {
  CleanupReport report;
  auto& log = sys::log("run");
  std::set<std::string> dead;
  const fs::path root = RunSession::state_root();
  std::error_code ec;
  std::vector<std::string> cgroup_paths;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string id = entry.path().filename();
    if (!valid_id(id)) continue;
    if (RunLock::is_live(id)) continue;
    dead.insert(id);
    std::ifstream cg(entry.path() / "cgroup");
    std::string path;
    if (std::getline(cg, path) && !path.empty()) cgroup_paths.push_back(path);
  }
  // Cgroups of dead runs in our own hierarchy, even if their state dir is gone.
  if (std::string cg_root = proc::Cgroup::own_root(); !cg_root.empty())
    for (const auto& entry : fs::directory_iterator(cg_root, ec)) {
      const std::string name = entry.path().filename();
      if (name.rfind("deadpeer-", 0) == 0 && valid_id(name.substr(9)) && !RunLock::is_live(name.substr(9)))
        cgroup_paths.push_back(entry.path());
    }
  std::set<std::string> seen;
  // Processes first: they keep namespaces alive.
  for (const auto& path : cgroup_paths) {
    if (!seen.insert(path).second || !fs::exists(path)) continue;
    try {
      proc::Cgroup::remove_tree(path);
      report.cgroups.push_back(path);
    } catch (const std::exception& e) {
      report.errors.push_back(e.what());
    }
  }
  for (const auto& entry : fs::directory_iterator(sys::Netns::kRunDir, ec)) {
    const std::string name = entry.path().filename();
    // Capability probes ("dpprobe-<pid>") belong to a process, not a run.
    if (name.rfind("dpprobe-", 0) == 0) {
      if (!sys::creator_gone(name, "dpprobe-")) continue;
    } else if (const std::string id = run_id_of_netns(name); id.empty() || RunLock::is_live(id)) {
      continue;
    }
    try {
      sys::Netns::remove_name(name);
      report.namespaces.push_back(name);
    } catch (const std::exception& e) {
      report.errors.push_back(e.what());
    }
  }
  // Lock files of runs that died (a live run unlinks its own on exit).
  for (const auto& entry : fs::directory_iterator(RunLock::kDir, ec)) {
    const std::string id = entry.path().filename();
    if ((valid_id(id) && !RunLock::is_live(id)) || RunLock::is_stale_staging(id)) fs::remove(entry.path(), ec);
  }
  // Temp dirs of ssh/sshd option checks whose deadpeer was killed during validation (before it
  // had a run id).
  const std::string prefix = proc::kOptionCheckPrefix;
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(ec), ec)) {
    const std::string name = entry.path().filename();
    if (!sys::creator_gone(name, prefix)) continue;
    std::error_code rec;
    fs::remove_all(entry.path(), rec);
    if (rec)
      report.errors.push_back("remove " + entry.path().string() + ": " + rec.message());
    else
      report.dirs.push_back(entry.path());
  }
  for (const auto& id : dead) {
    fs::remove_all(root / id, ec);
    if (ec)
      report.errors.push_back("remove " + (root / id).string() + ": " + ec.message());
    else
      report.dirs.push_back(root / id);
  }
  if (log_each) {
    for (const auto& c : report.cgroups) log.info("removed cgroup {}", c);
    for (const auto& n : report.namespaces) log.info("removed netns {}", n);
    for (const auto& d : report.dirs) log.info("removed dir {}", d);
  }
  for (const auto& e : report.errors) log.error("cleanup: {}", e);
  return report;
}

}  // namespace deadpeer::run
