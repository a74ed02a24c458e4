// Kills the real `deadpeer run` at random moments — validation, lab setup, sshd start, fault
// applied, waiting for detection — and proves nothing is left behind:
//   SIGINT / SIGTERM: the run unwinds through its destructors; NO cleanup is run afterwards.
//   SIGKILL:          leftovers are expected by definition; `deadpeer cleanup` must remove all.
// A live run started first must come through every one of those cleanups untouched.
//
//   this test (child subreaper: orphans of killed runs become its children, so none escapes)
//     ├─ live `deadpeer run` (fault at 300 s, so it sits with its session up) ── intact at the end
//     └─ 9 batches × 4 victims, each: SIGSTOP at U(0, 3 s) → note run id + phase → signal → SIGCONT
//          after each batch: count leftovers (netns, cgroups, state dirs, lock files, processes)
//
// Set DEADPEER_KILL_SEED to replay a sequence of kill times.
#include <gtest/gtest.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "LabTestSupport.hpp"
#include "RobustnessSupport.hpp"
#include "faults/Blackhole.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using namespace deadpeer::testing;

constexpr int kBatches = 9;
constexpr int kBatchSize = 4;
constexpr auto kMaxDelay = 3000ms;     // kill times are uniform over [0, kMaxDelay]
constexpr auto kUnwindLimit = 20s;     // a run must be gone this long after SIGINT/SIGTERM
constexpr auto kSoftBudget = 70s;      // stop starting batches after this, once 30 kills are done
constexpr int kSignals[] = {SIGKILL, SIGINT, SIGTERM};

// Short enough that a kill in [0, 3 s] lands anywhere from validation to waiting (setup ≈ 0.5 s,
// fault at +0.5 s, client detection ≈ 3 s later); two labs at once double what can leak.
constexpr const char* kVictimScenario = R"(name = "kill-victim"
repeat = 2
horizon = "3s"
[client]
ServerAliveInterval = 1
ServerAliveCountMax = 2
[server]
ClientAliveInterval = 1
ClientAliveCountMax = 2
[[fault]]
kind = "blackhole"
at = "500ms"
)";
constexpr const char* kLiveScenario = R"(name = "kill-live"
horizon = "2s"
[client]
ServerAliveInterval = 1
[[fault]]
kind = "blackhole"
at = "300s"
)";

struct Victim {
  explicit Victim(proc::Process p) : process(std::move(p)) {}
  proc::Process process;
  sys::UniqueFd out;
  int sig = 0;
  std::chrono::milliseconds delay{0};
  sys::TimePoint started;
  std::string id;     // from its open lock file at the moment it was stopped; "" before RunLock
  std::string phase;  // what existed at that moment
  Finished end;
};

Victim start_run(const fs::path& scenario, const fs::path& out_dir) {
  proc::ProcessSpec spec{"deadpeer", DEADPEER_BINARY, {"run", scenario, "--out", out_dir}};
  spec.pipe_stderr = false;
  spec.stderr_to_stdout = true;
  Victim v(proc::Process::start(spec));
  v.out = v.process.take_stdout();
  v.started = sys::Clock::now();
  return v;
}

// "S", "T", "Z" … from /proc/<pid>/stat, or 0 when the process is gone; also its parent.
std::pair<char, pid_t> state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return {0, 0};
  const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos || close + 4 > stat.size()) return {0, 0};
  return {stat[close + 2], static_cast<pid_t>(std::atol(stat.c_str() + close + 4))};
}

// The run id whose lock file the process holds open, or "" if it holds none yet.
std::string lock_id_of(pid_t pid) {
  std::error_code ec;
  const std::string prefix = std::string(run::RunLock::kDir) + "/";
  for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = fs::read_symlink(e.path(), ec).string();
    if (target.rfind(prefix, 0) == 0) return target.substr(prefix.size());
  }
  return "";
}

// Whether a blackhole is applied in a router namespace (its armed table's forward chain jumps
// to its drop chain): read from a throwaway thread that enters it, so this test's own threads
// never change namespace.
bool fault_applied_in(const std::string& router_netns) {
  bool found = false;
  std::thread([&] {
    sys::UniqueFd ns(::open((std::string(sys::Netns::kRunDir) + "/" + router_netns).c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns || ::setns(ns.get(), CLONE_NEWNET) < 0) return;
    nft_ctx* nft = nft_ctx_new(NFT_CTX_DEFAULT);
    if (!nft) return;
    nft_ctx_buffer_output(nft);
    nft_ctx_buffer_error(nft);
    if (nft_run_cmd_from_buffer(nft, "list ruleset") == 0) {
      const std::string rules = nft_ctx_get_output_buffer(nft);
      found = rules.find(faults::Blackhole::kTablePrefix) != std::string::npos &&
              rules.find(std::string("jump ") + faults::ForwardSwitch::kActChain) != std::string::npos;
    }
    nft_ctx_free(nft);
  }).join();
  return found;
}

std::string phase_of(const std::string& id) {
  if (id.empty()) return "validating";  // parsing, ssh -G / sshd -T, startup cleanup sweep
  const auto namespaces = netns_of_run(id);
  if (namespaces.empty()) return "run-session";  // lock, state dir, cgroup, keys
  bool ssh_up = false;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(cgroup_of_run(id), ec))
    if (e.path().filename().string().ends_with("-client") && has_procs(e.path())) ssh_up = true;
  if (!ssh_up) return "lab+sshd";  // namespaces, sysctls, cgroups, sshd, ssh connecting
  for (const auto& n : namespaces)
    if (n.ends_with("-r") && fault_applied_in(n)) return "fault-applied";
  return "session-up";
}

// Stops the victim so that what it holds can be read without a race, then signals it.
void stop_and_signal(Victim& v) {
  if (v.process.try_wait()) {
    v.phase = "already-exited";
    return;
  }
  v.process.signal(SIGSTOP);
  for (auto until = sys::Clock::now() + 500ms; sys::Clock::now() < until;) {
    const char st = state_of(v.process.pid()).first;
    if (st == 'T' || st == 't' || st == 0 || st == 'Z') break;
    std::this_thread::sleep_for(1ms);
  }
  v.id = lock_id_of(v.process.pid());
  v.phase = phase_of(v.id);
  v.process.signal(v.sig);
  if (v.sig != SIGKILL) v.process.signal(SIGCONT);  // a stopped process cannot act on SIGINT
}

// Processes below this test (the subreaper) that are not the live run's: orphans of killed
// runs land here. Zombies among our direct children are reaped, not counted.
std::vector<std::string> stray_processes(pid_t live_pid) {
  const pid_t self = ::getpid();
  std::map<pid_t, std::pair<char, pid_t>> table;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (auto s = state_of(pid); s.first) table[pid] = s;
  }
  std::vector<std::string> out;
  for (const auto& [pid, s] : table) {
    if (pid == self || pid == live_pid) continue;
    pid_t up = s.second;
    for (int hops = 0; hops < 64 && up > 1 && up != self && up != live_pid; ++hops)
      up = table.count(up) ? table[up].second : 0;
    if (up != self) continue;
    if (s.first == 'Z' && s.second == self) {
      ::waitpid(pid, nullptr, WNOHANG);
      continue;
    }
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string c;
    std::getline(comm, c);
    out.push_back("process " + std::to_string(pid) + " (" + c + ")");
  }
  return out;
}

struct Machine {
  fs::path state_root;
  fs::path tmp;
  std::set<std::string> baseline_locks;
  std::string live_id;
  pid_t live_pid = -1;
};

// Everything that belongs to `ids` (or to no live run and was not there before) and still exists.
std::vector<std::string> leftovers(const Machine& m, const std::set<std::string>& ids, bool count_tmp) {
  std::set<std::string> out;
  auto mine = ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(m.state_root, ec))
    if (e.path().filename() != m.live_id) mine.insert(e.path().filename());
  for (const auto& id : mine) {
    for (const auto& n : netns_of_run(id)) out.insert("netns " + n);
    if (fs::exists(cgroup_of_run(id))) out.insert("cgroup " + cgroup_of_run(id));
    if (fs::exists(m.state_root / id)) out.insert("state dir " + (m.state_root / id).string());
    if (fs::exists(std::string(run::RunLock::kDir) + "/" + id)) out.insert("lock file " + id);
  }
  // A run killed between taking its lock and our look at its fds: its lock is all it made.
  for (const auto& id : lock_ids())
    if (id != m.live_id && !m.baseline_locks.count(id) && !mine.count(id) && !run::RunLock::is_live(id))
      out.insert("lock file " + id + " (dead, not seen as a victim's)");
  for (auto& p : stray_processes(m.live_pid)) out.insert(p);
  if (count_tmp)
    for (const auto& e : fs::directory_iterator(m.tmp, ec)) out.insert("temp " + e.path().string());
  return {out.begin(), out.end()};
}

TEST(Kill, RandomSignalsLeaveNothingAndSpareALiveRun) {
  DEADPEER_REQUIRE_LAB();
  const auto t_begin = sys::Clock::now();
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  struct Unreap {
    ~Unreap() { ::prctl(PR_SET_CHILD_SUBREAPER, 0); }
  } unreap;

  PrivateDir base("kill-test");
  Machine m;
  m.state_root = base / "state";
  m.tmp = base / "tmp";
  m.baseline_locks = lock_ids();
  fs::create_directories(m.state_root);
  fs::create_directories(m.tmp);
  const auto victim_toml = write_text(base / "victim.toml", kVictimScenario);
  const auto live_toml = write_text(base / "live.toml", kLiveScenario);
  ScopedEnv state_env("DEADPEER_STATE_DIR", m.state_root);
  ScopedEnv tmp_env("TMPDIR", m.tmp);  // ssh -G / sshd -T checks make temp dirs here

  // The live run: it must reach a live ssh session before the killing starts.
  Victim live = start_run(live_toml, base / "out-live");
  m.live_pid = live.process.pid();
  for (auto until = sys::Clock::now() + 30s; sys::Clock::now() < until && !live.process.try_wait();) {
    if (m.live_id.empty()) m.live_id = lock_id_of(m.live_pid);
    if (!m.live_id.empty() && has_procs(cgroup_of_run(m.live_id) + "/0-client")) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_FALSE(m.live_id.empty()) << "the live run never took its lock";
  ASSERT_TRUE(has_procs(cgroup_of_run(m.live_id) + "/0-client")) << "the live run never got its ssh session up";

  const char* seed_env = std::getenv("DEADPEER_KILL_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::stoul(seed_env)) : std::random_device{}();
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(0, static_cast<int>(kMaxDelay.count()));

  std::map<int, int> tried;  // signal → kills
  std::map<std::string, int> phases;
  std::vector<std::string> found;
  int cleanups = 0, kill_tmp_left = 0, total = 0, killed_leftovers = 0;
  for (int b = 0; b < kBatches; ++b) {
    if (total >= 30 && sys::Clock::now() - t_begin > kSoftBudget) break;
    const int sig = kSignals[b % 3];
    std::vector<Victim> batch;
    batch.reserve(kBatchSize);
    for (int i = 0; i < kBatchSize; ++i) {
      batch.push_back(start_run(victim_toml, base / ("out-" + std::to_string(b) + "-" + std::to_string(i))));
      batch.back().sig = sig;
      batch.back().delay = std::chrono::milliseconds(delay_ms(rng));
    }
    std::vector<Victim*> by_time;
    for (auto& v : batch) by_time.push_back(&v);
    std::sort(by_time.begin(), by_time.end(), [](auto* a, auto* b) { return a->started + a->delay < b->started + b->delay; });
    for (Victim* v : by_time) {
      std::this_thread::sleep_until(v->started + v->delay);
      stop_and_signal(*v);
    }
    std::set<std::string> ids;
    for (auto& v : batch) {
      v.end = finish(v.process, std::move(v.out), sys::Clock::now() + kUnwindLimit);
      ++tried[sig];
      ++total;
      ++phases[v.phase];
      if (!v.id.empty()) ids.insert(v.id);
      const std::string what = std::string("SIG") + sigabbrev_np(sig) + " at " + std::to_string(v.delay.count()) +
                               " ms (" + v.phase + ", run " + (v.id.empty() ? "?" : v.id) + ")";
      std::cout << "  " << what << " → status " << v.end.status << "\n";
      EXPECT_FALSE(v.end.timed_out) << what << ": still running " << kUnwindLimit.count() << " s later\n" << v.end.output;
      if (sig == SIGKILL)
        EXPECT_TRUE(v.end.status == 128 + SIGKILL || v.end.status <= 1) << what << ": status " << v.end.status;
      else  // unwound and reported (128+sig), or it had just finished; never a crash
        EXPECT_TRUE(v.end.status == 128 + sig || v.end.status <= 1) << what << ": status " << v.end.status << "\n"
                                                                     << v.end.output;
    }
    if (sig == SIGKILL) {
      // The count must see what SIGKILL leaves (so 0 afterwards means "removed"): at least the
      // lock file of every victim that had taken one.
      const auto before = leftovers(m, ids, false);
      std::error_code ec;
      for ([[maybe_unused]] const auto& e : fs::directory_iterator(m.tmp, ec)) ++kill_tmp_left;
      killed_leftovers += static_cast<int>(before.size());
      for (const auto& id : ids)
        EXPECT_TRUE(std::count(before.begin(), before.end(), "lock file " + id)) << "leftover count missed run " << id;
      const auto c = run_binary(DEADPEER_BINARY, {"cleanup"}, 60s);
      ++cleanups;
      EXPECT_EQ(c.status, 0) << c.output;
    }
    // Temp dirs too: a SIGKILLed run's ssh-option-check dirs are named after its pid, and
    // cleanup removes those of dead pids.
    for (const auto& l : leftovers(m, ids, true))
      found.push_back(std::string(sigabbrev_np(sig)) + " batch " + std::to_string(b) + ": " + l);
  }

  // The live run came through every cleanup: lock held, lab, cgroups with sshd and ssh, state.
  EXPECT_FALSE(live.process.try_wait()) << "the live run ended during the test";
  EXPECT_TRUE(run::RunLock::is_live(m.live_id));
  EXPECT_EQ(netns_of_run(m.live_id).size(), 3u);
  EXPECT_TRUE(has_procs(cgroup_of_run(m.live_id) + "/0-client")) << "live run's ssh was killed";
  EXPECT_TRUE(has_procs(cgroup_of_run(m.live_id) + "/0-server")) << "live run's sshd was killed";
  EXPECT_TRUE(fs::exists(m.state_root / m.live_id));
  // …and when it is interrupted in turn, it too leaves nothing.
  live.process.signal(SIGTERM);
  live.end = finish(live.process, std::move(live.out), sys::Clock::now() + kUnwindLimit);
  EXPECT_EQ(live.end.status, 128 + SIGTERM) << live.end.output;
  const std::string live_id = m.live_id;
  m.live_id.clear();
  m.live_pid = -1;
  for (const auto& l : leftovers(m, {live_id}, true)) found.push_back("live run after SIGTERM: " + l);

  // Canary: killing runs must not break the next one. A session killed while its login shell
  // read the user's startup files can leave their locks behind (pyenv's rehash lock makes every
  // later login wait 60 s), so a fresh run has to measure normally.
  const auto canary = run_binary(DEADPEER_BINARY, {"run", victim_toml, "--out", base / "out-canary"}, 60s);
  EXPECT_EQ(canary.status, 0) << "a run after the kills failed to measure — did a killed ssh session leave a lock "
                                 "in the login user's home (e.g. ~/.pyenv/shims/.pyenv-shim)? sshd should give "
                                 "sessions a private HOME (docs/robustness.md):\n"
                              << canary.output;
  for (const auto& l : leftovers(m, {}, true)) found.push_back("canary run: " + l);

  const double secs = sys::seconds_between(t_begin, sys::Clock::now());
  std::ostringstream summary;
  summary << "kill_test: kills tried " << total << " (SIGKILL " << tried[SIGKILL] << ", SIGINT " << tried[SIGINT]
          << ", SIGTERM " << tried[SIGTERM] << ") / leftovers found " << found.size() << "; seed " << seed
          << "; phases at kill:";
  for (const auto& [p, n] : phases) summary << " " << p << " " << n;
  summary << "; SIGKILL left " << killed_leftovers << " objects, all removed by cleanup; live run intact through "
          << cleanups << " cleanups; " << kill_tmp_left
          << " ssh-option-check temp dirs left by SIGKILL, removed by cleanup; " << secs << " s";
  std::cout << summary.str() << std::endl;
  RecordProperty("kills_tried", total);
  RecordProperty("leftovers_found", static_cast<int>(found.size()));
  EXPECT_GE(total, 30);
  EXPECT_TRUE(found.empty()) << [&] {
    std::string s;
    for (const auto& f : found) s += "\n  " + f;
    return s;
  }();
}

}  // namespace
}  // namespace deadpeer
