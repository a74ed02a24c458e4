// A run killed with SIGKILL leaves its lab behind by definition; `deadpeer cleanup` must remove
// all of it — processes (by cgroup), namespaces, state — and nothing of a live run.
//
//   deadpeer run (child) ──SIGKILL while its ssh session is up──▶ leftovers ──cleanup──▶ none
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "LabTestSupport.hpp"
#include "proc/Cgroup.hpp"
#include "proc/Process.hpp"
#include "lab/Lab.hpp"
#include "run/Cleanup.hpp"
#include "run/RunLock.hpp"
#include "run/RunSession.hpp"
#include "sys/Clock.hpp"

namespace deadpeer {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The one run directory under `state` (the killed run's), or "" until it exists.
std::string run_id_in(const fs::path& state) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(state, ec))
    if (e.is_directory()) return e.path().filename();
  return "";
}

std::vector<std::string> namespaces_of(const std::string& id) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(sys::Netns::kRunDir))
    if (e.path().filename().string().rfind("dp" + id + "-", 0) == 0) out.push_back(e.path().filename());
  return out;
}

TEST(Cleanup, RemovesEverythingASigkilledRunLeftAndSparesLiveOnes) {
  DEADPEER_REQUIRE_LAB();
  char tmpl[] = "/run/dp-cleanup-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const fs::path state = tmpl;
  ::setenv("DEADPEER_STATE_DIR", tmpl, 1);  // this test's runs and both deadpeer children
  struct Restore {
    fs::path dir;
    ~Restore() {
      ::unsetenv("DEADPEER_STATE_DIR");
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } restore{state};

  proc::ProcessSpec spec{"deadpeer", DEADPEER_BINARY,
                         {"run", std::string(DEADPEER_SOURCE_DIR) + "/scenarios/blackhole.toml", "--out", state / "out"}};
  spec.pipe_stdout = spec.pipe_stderr = false;
  auto victim = proc::Process::start(spec);

  // Bounded wait until the run's client cgroup holds ssh: lab, sshd and session all exist.
  std::string id;
  const auto deadline = sys::Clock::now() + 20s;
  bool session_up = false;
  while (!session_up && sys::Clock::now() < deadline) {
    if (id.empty()) id = run_id_in(state);
    if (!id.empty()) {
      std::ifstream cg(state / id / "cgroup");
      std::string path;
      if (std::getline(cg, path)) {
        std::ifstream procs(path + "/0-client/cgroup.procs");
        std::string pid;
        session_up = static_cast<bool>(std::getline(procs, pid));
      }
    }
    if (!session_up) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(session_up) << "the run never got an ssh session up";
  victim.signal(SIGKILL);
  victim.wait();

  // The leftovers are real: namespaces and processes of the dead run still exist.
  // At least the lab whose ssh we saw; up to 3 (three repeats start at once) × 3 namespaces.
  EXPECT_GE(namespaces_of(id).size(), 3u);
  EXPECT_LE(namespaces_of(id).size(), 9u);
  const std::string cgroup = proc::Cgroup::own_root() + "/deadpeer-" + id;
  EXPECT_TRUE(fs::exists(cgroup));

  // A live run (this process holds its lock) with a lab of its own must survive the cleanup.
  run::RunSession live;
  lab::Lab live_lab(live.lab_prefix(0));

  auto out = proc::Process::run(DEADPEER_BINARY, {"cleanup"});
  EXPECT_EQ(out.status, 0) << out.out;
  EXPECT_NE(out.out.find("removed netns dp" + id), std::string::npos) << out.out;
  EXPECT_TRUE(namespaces_of(id).empty());
  EXPECT_FALSE(fs::exists(cgroup));
  EXPECT_FALSE(fs::exists(state / id));
  EXPECT_EQ(namespaces_of(live.id()).size(), 3u);
  EXPECT_TRUE(fs::exists(state / live.id()));
  EXPECT_TRUE(fs::exists(live.cgroup().path()));

}

// A run's lock file is first created under a staging name, then locked, then renamed to its
// id. Between the create and the flock it is unlocked; a cleanup there must not take it for a
// dead run's (a soak once caught it: the run died with "rename run lock …: No such file").
TEST(Cleanup, SparesAnUnlockedStagingLockWhileItsCreatorLives) {
  DEADPEER_REQUIRE_LAB();
  run::RunLock own;  // makes sure the lock directory exists
  const std::string dir = run::RunLock::kDir;
  const std::string live = std::string(run::RunLock::kStagingPrefix) + std::to_string(::getpid()) + "-test01";
  pid_t dead_pid = ::fork();
  if (dead_pid == 0) ::_exit(0);
  ASSERT_GT(dead_pid, 0);
  ASSERT_EQ(::waitpid(dead_pid, nullptr, 0), dead_pid);
  const std::string dead = std::string(run::RunLock::kStagingPrefix) + std::to_string(dead_pid) + "-test02";
  for (const auto& name : {live, dead}) std::ofstream(dir + "/" + name) << "";

  EXPECT_FALSE(run::RunLock::is_stale_staging(live));
  EXPECT_TRUE(run::RunLock::is_stale_staging(dead));
  run::Cleanup::sweep(false);
  EXPECT_TRUE(fs::exists(dir + "/" + live)) << "cleanup removed a live creator's staging lock";
  EXPECT_FALSE(fs::exists(dir + "/" + dead)) << "cleanup left a dead creator's staging lock";
  fs::remove(dir + "/" + live);
}

}  // namespace
}  // namespace deadpeer
