// Bad input gets a clear error and nothing else: each broken scenario below, given to the real
// `deadpeer run`, must exit 2 with "<file>:<line>:<column>: error: <what> (<hint>)" and create
// nothing — no state directory, no temp files, no results, no namespace, no lock.
//
// As root (when the kernel allows it), each run gets a private mount namespace in which /run/netns and /run/deadpeer are
// this test's own empty directories, so "created nothing" is checked exactly (whatever other
// runs on the machine do meanwhile) and a run that wrongly went ahead could not touch the
// machine's real ones. It also gets a cgroup of its own: a run's cleanup sweeps the deadpeer-<id>
// cgroups under its own cgroup, and with an empty /run/deadpeer/locks it would take every live
// run of the machine for dead (this test once killed other tests' sessions that way).
// Without root the same checks run minus that isolation.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "proc/Cgroup.hpp"

extern char** environ;

namespace deadpeer {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path;
  // Under /run as root: a valid run refuses a state directory below world-writable /tmp.
  explicit Dir(const std::string& tag) {
    const fs::path base = ::geteuid() == 0 ? fs::path("/run") : fs::temp_directory_path();
    std::string t = (base / ("dp-" + tag + "-XXXXXX")).string();
    if (!::mkdtemp(t.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp");
    path = t;
  }
  ~Dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool empty_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && fs::is_empty(p, ec);
}

struct Result {
  int status = -1;
  std::string output;
  bool isolated = false;
};

// Whether a child may get a private mount namespace here (root with CAP_SYS_ADMIN; a
// container may refuse it even to root). Probed once with a throwaway child.
bool can_isolate() {
  static const bool ok = [] {
    if (::geteuid() != 0) return false;
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(::unshare(CLONE_NEWNS) == 0 ? 0 : 1);
    int st = 0;
    return pid > 0 && ::waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }();
  return ok;
}

// Runs deadpeer with `args` and DEADPEER_STATE_DIR/TMPDIR pointing into `work`; as root inside a
// private mount namespace where /run/netns and /run/deadpeer are `work`/netns and `work`/run,
// and in a cgroup of its own.
Result run_deadpeer(const std::vector<std::string>& args, const fs::path& work) {
  Result r;
  fs::create_directories(work / "tmp");
  fs::create_directories(work / "netns");
  fs::create_directories(work / "run");
  r.isolated = can_isolate();
  if (r.isolated)  // mount points must exist; both are what any run creates anyway
    for (const char* d : {"/run/netns", "/run/deadpeer"}) ::mkdir(d, 0755);

  std::vector<std::string> argv_s{DEADPEER_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s{"DEADPEER_STATE_DIR=" + (work / "state").string(), "TMPDIR=" + (work / "tmp").string()};
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("DEADPEER_STATE_DIR=", 0) != 0 && std::string(*e).rfind("TMPDIR=", 0) != 0)
      env_s.emplace_back(*e);
  std::vector<char*> argv, envp;
  for (auto& s : argv_s) argv.push_back(s.data());
  for (auto& s : env_s) envp.push_back(s.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  const std::string netns_src = work / "netns", run_src = work / "run";
  std::optional<proc::Cgroup> cgroup;  // removed (empty by then) when this returns
  if (r.isolated) {
    static int n = 0;
    const std::string parent = proc::Cgroup::own_root();
    if (parent.empty()) throw std::runtime_error("no cgroup to isolate the run in");
    cgroup.emplace(parent, "dp-badinput-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  }

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  const pid_t pid = ::fork();
  if (pid == 0) {  // async-signal-safe calls only until exec
    // Into its own cgroup first ("0" moves the writer).
    if (cgroup && ::write(cgroup->procs_fd(), "0", 1) != 1) ::_exit(121);
    if (r.isolated && (::unshare(CLONE_NEWNS) < 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0 ||
                       ::mount(netns_src.c_str(), "/run/netns", nullptr, MS_BIND, nullptr) < 0 ||
                       ::mount(run_src.c_str(), "/run/deadpeer", nullptr, MS_BIND, nullptr) < 0))
      ::_exit(120);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  char buf[4096];
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      r.output += "\n[killed: no exit within 60 s]";
      break;
    }
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    r.output.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

// After a refused run: nothing anywhere the run could have created something.
void expect_nothing_created(const fs::path& work, const Result& r) {
  EXPECT_FALSE(fs::exists(work / "state")) << "state directory created";
  EXPECT_FALSE(fs::exists(work / "out")) << "results directory created";
  EXPECT_TRUE(empty_dir(work / "tmp")) << "temp files left (ssh/sshd option checks)";
  if (r.isolated) {
    EXPECT_TRUE(empty_dir(work / "netns")) << "a namespace was created under /run/netns";
    EXPECT_TRUE(empty_dir(work / "run")) << "/run/deadpeer was written (lock or state)";
  }
}

struct BadScenario {
  const char* name;
  const char* toml;  // after a valid first line `name = "bad"`
  const char* where;     // "line:column"
  const char* message;   // part of the error
  const char* hint;      // part of the hint in parentheses
};

constexpr const char* kFault = "[[fault]]\nkind = \"blackhole\"\nat = \"1s\"\n";

const BadScenario kBad[] = {
    {"MalformedToml", "[client\nServerAliveInterval = 1\n", "2:8", "invalid TOML", "toml.io"},
    {"UnknownTopLevelKey", "horizn = \"3s\"\n", "2:1", "unknown key 'horizn'", "did you mean 'horizon'?"},
    {"UnknownSshOption", "[client]\nServerAliveInterva = 1\n", "3:1", "ssh rejects [client] ServerAliveInterva",
     "did you mean 'serveraliveinterval'?"},
    {"UnknownSshdOption", "[server]\nClientAliveIntervl = 1\n", "3:1", "sshd rejects [server] ClientAliveIntervl",
     "did you mean 'clientaliveinterval'?"},
    {"BadSshValue", "[client]\nServerAliveInterval = \"often\"\n", "3:1", "invalid time value", "man ssh_config"},
    {"WrongTypeRepeat", "repeat = \"three\"\n", "2:10", "is a string, not an integer", "without quotes"},
    {"WrongTypeHorizon", "horizon = true\n", "2:11", "'horizon'", "2s"},
    {"RepeatOutOfRange", "repeat = 0\n", "2:10", "'repeat' = 0 is out of range", "1..1000"},
    {"SysctlOutOfRange", "[kernel.client]\ntcp_keepalive_time = 0\n", "3:22", "out of range", "1..32767"},
    {"NegativeAt", "[[fault]]\nkind = \"blackhole\"\nat = \"-1s\"\n", "4:6", "negative duration", "500ms"},
    {"UnknownFaultKind", "[[fault]]\nkind = \"blackhol\"\nat = \"1s\"\n", "2:1", "unknown fault kind 'blackhol'",
     "did you mean 'blackhole'?"},
    {"DropDirectionSideways", "[[fault]]\nkind = \"drop\"\ndirection = \"sideways\"\nat = \"1s\"\n", "4:1",
     "direction = sideways is not valid", "to-server"},
    {"BlackholeUnknownParameter", "[[fault]]\nkind = \"blackhole\"\nat = \"1s\"\nstrength = 3\n", "5:1",
     "has no parameter 'strength'", "takes only"},
    {"DurationAndFlap",
     "[[fault]]\nkind = \"blackhole\"\nat = \"1s\"\nduration = \"2s\"\nflap = { up = \"1s\", down = \"1s\", count = 2 }\n",
     "2:1", "both duration and flap", "remove one"},
    {"FaultWithoutAt", "[[fault]]\nkind = \"blackhole\"\n", "2:1", "has no 'at'", "at = \"2s\""},
    {"TraceWithDbclient", "trace = true\n[implementation]\nclient = \"dropbear\"\n", "2:1",
     "trace = true needs the OpenSSH client", "implementation.client"},
    // toml++ 3.3.0 reaches __builtin_unreachable on this (found by tests/fuzz): it must stay an error.
    {"NonAsciiAfterValue", "repeat = 1\xc3\x97\n", "2:11", "invalid TOML", "toml.io"},
    {"NonAsciiKey", "\xc3\x97 = 1\n", "2:1", "invalid TOML", "toml.io"},
};

class BadInput : public ::testing::TestWithParam<BadScenario> {};

TEST_P(BadInput, ExitsTwoWithLocatedErrorAndHintAndCreatesNothing) {
  const BadScenario& c = GetParam();
  Dir work("badinput");
  const fs::path file = work.path / (std::string(c.name) + ".toml");
  std::string text = std::string("name = \"bad\"\n") + c.toml;
  if (text.find("[[fault]]") == std::string::npos) text += kFault;  // only the problem under test
  std::ofstream(file) << text;

  const Result r = run_deadpeer({"run", file.string(), "--out", (work.path / "out").string()}, work.path);
  EXPECT_EQ(r.status, 2) << r.output;
  const std::string located = file.string() + ":" + c.where + ": error: ";
  const auto at = r.output.find(located);
  ASSERT_NE(at, std::string::npos) << "no '" << located << "' in:\n" << r.output;
  const std::string line = r.output.substr(at, r.output.find('\n', at) - at);
  EXPECT_NE(line.find(c.message), std::string::npos) << line;
  const auto open = line.rfind(" (");
  ASSERT_TRUE(open != std::string::npos && line.back() == ')') << "no hint in: " << line;
  EXPECT_NE(line.find(c.hint, open), std::string::npos) << line;
  expect_nothing_created(work.path, r);
}

INSTANTIATE_TEST_SUITE_P(Scenario, BadInput, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BadInputFiles, EveryProblemOfEveryFileIsReportedAtOnce) {
  Dir work("badinput");
  const fs::path a = work.path / "a.toml", b = work.path / "b.toml";
  std::ofstream(a) << "name = \"a\"\nrepeat = 0\nhorizn = 1\n" << kFault;
  std::ofstream(b) << "name = \"b\"\n[[fault]]\nkind = \"blackhol\"\nat = \"1s\"\n";
  const Result r = run_deadpeer({"run", a.string(), b.string(), "--out", (work.path / "out").string()}, work.path);
  EXPECT_EQ(r.status, 2) << r.output;
  for (const std::string& loc : {a.string() + ":2:10:", a.string() + ":3:1:", b.string() + ":2:1:"})
    EXPECT_NE(r.output.find(loc), std::string::npos) << loc << " missing in:\n" << r.output;
  expect_nothing_created(work.path, r);
}

TEST(BadInputFiles, MissingFileOrDirectoryIsBadInput) {
  Dir work("badinput");
  for (const fs::path& p : {work.path / "nope.toml", work.path}) {
    const Result r = run_deadpeer({"run", p.string(), "--out", (work.path / "out").string()}, work.path);
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(p.string() + ": error: cannot "), std::string::npos) << r.output;
    expect_nothing_created(work.path, r);
  }
}

TEST(BadInputFiles, BadCommandLineIsBadInput) {
  Dir work("badinput");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"run", "--jobs", "many"}, {"run", "--no-such-flag"}, {"frobnicate"}, {}}) {
    const Result r = run_deadpeer(args, work.path);
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_FALSE(r.output.empty());
    expect_nothing_created(work.path, r);
  }
}

TEST(BadInputFiles, StateDirectoryBelowAWorldWritableOneIsRefusedUpFront) {
  if (!can_isolate()) GTEST_SKIP() << "needs root: without it the run stops at the root check (exit 3) first";
  Dir work("badinput");
  ::chmod(work.path.c_str(), 01777);  // like /tmp
  const fs::path file = work.path / "valid.toml";
  std::ofstream(file) << "name = \"valid\"\nhorizon = \"1s\"\n" << kFault;
  const Result r = run_deadpeer({"run", file.string(), "--out", (work.path / "out").string()}, work.path);
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("which is writable by others"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("DEADPEER_STATE_DIR"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(work.path / "state")) << r.output;
  EXPECT_TRUE(empty_dir(work.path / "netns")) << "a namespace was created";
}

// The control: the same checks do see what a run creates once its input is valid, so an empty
// result above means "nothing was created", not "nothing was looked at".
TEST(BadInputFiles, ControlValidInputIsAcceptedAndLeavesItsStateRoot) {
  if (!can_isolate())
    GTEST_SKIP() << "needs root and a private mount namespace: a valid run would otherwise stop at the root "
                    "check (exit 3) or build its lab in the machine's real /run";
  Dir work("badinput");
  const fs::path file = work.path / "valid.toml";
  std::ofstream(file) << "name = \"valid\"\nhorizon = \"1s\"\n" << kFault;
  const Result r = run_deadpeer({"run", file.string(), "--out", (work.path / "out").string()}, work.path);
  EXPECT_NE(r.status, 2) << r.output;
  EXPECT_TRUE(fs::exists(work.path / "state")) << r.output;
  EXPECT_TRUE(fs::exists(work.path / "out" / "results.json")) << r.output;
  EXPECT_FALSE(empty_dir(work.path / "run")) << "the run's lock directory should be in the private /run/deadpeer";
}

// Regression: an isolated run (its own /run/deadpeer, so it sees no lock of any other run)
// sweeps "dead" runs at its start. Its own cgroup must keep that sweep away from the live runs
// of the machine: here, a real run waiting on a 300 s fault with its session up.
TEST(BadInputFiles, AnIsolatedRunLeavesTheMachinesLiveRunsAlone) {
  if (!can_isolate()) GTEST_SKIP() << "needs root and a private mount namespace";
  const std::string cg = proc::Cgroup::own_root();
  if (cg.empty()) GTEST_SKIP() << "no writable cgroup v2";
  Dir live_dir("badinput-live");
  const fs::path live_toml = live_dir.path / "live.toml";
  std::ofstream(live_toml) << "name = \"live\"\nhorizon = \"2s\"\n[client]\nServerAliveInterval = 1\n"
                           << "[[fault]]\nkind = \"blackhole\"\nat = \"300s\"\n";
  const auto sessions_up = [&] {  // client cgroups of live deadpeer runs below ours, with ssh in them
    std::vector<fs::path> up;
    std::error_code ec;
    for (const auto& run : fs::directory_iterator(cg, ec))
      if (run.path().filename().string().rfind("deadpeer-", 0) == 0)
        for (const auto& c : fs::directory_iterator(run.path(), ec))
          if (c.path().filename().string().ends_with("-client")) {
            std::ifstream procs(c.path() / "cgroup.procs");
            std::string pid;
            if (procs >> pid) up.push_back(c.path());
          }
    return up;
  };
  const auto before = sessions_up();
  const std::string state = "DEADPEER_STATE_DIR=" + (live_dir.path / "state").string();
  const pid_t live = ::fork();
  if (live == 0) {
    ::putenv(const_cast<char*>(state.c_str()));
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1), ::dup2(null, 2);
    ::execl(DEADPEER_BINARY, DEADPEER_BINARY, "run", live_toml.c_str(), "--out", (live_dir.path / "out").c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  struct Stop {
    pid_t pid;
    ~Stop() {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
  } stop{live};
  std::vector<fs::path> mine;
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       mine.empty() && std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(std::chrono::milliseconds(50)))
    for (const auto& p : sessions_up())
      if (std::find(before.begin(), before.end(), p) == before.end()) mine.push_back(p);
  ASSERT_EQ(mine.size(), 1u) << "the live run never got its session up";

  Dir work("badinput");
  const fs::path file = work.path / "valid.toml";
  std::ofstream(file) << "name = \"valid\"\nhorizon = \"1s\"\n" << kFault;
  const Result r = run_deadpeer({"run", file.string(), "--out", (work.path / "out").string()}, work.path);
  EXPECT_NE(r.status, 2) << r.output;
  std::ifstream procs(mine.front() / "cgroup.procs");
  std::string pid;
  EXPECT_TRUE(procs >> pid) << "the isolated run's sweep killed the live run's ssh (" << mine.front() << ")";
  EXPECT_EQ(::waitpid(live, nullptr, WNOHANG), 0) << "the live run ended";
}

}  // namespace
}  // namespace deadpeer
