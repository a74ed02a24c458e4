// Without privileges nothing half-happens: `deadpeer run` stops with exit 3 and says why and
// what to do, `deadpeer doctor` lists what is missing, and the integration tests skip with the
// reason instead of failing. Run as root, the test drops to nobody:nogroup with setpriv (no
// capabilities, no supplementary groups) for each child; run as a user, it uses itself as is.
//
//   this test (root) ── setpriv --reuid=nobody --regid=nogroup --clear-groups ──▶ deadpeer run / doctor
//                                                                           └──▶ this binary, probe test only
#include <gtest/gtest.h>
#include <unistd.h>

#include "LabTestSupport.hpp"
#include "RobustnessSupport.hpp"
#include "run/RunLock.hpp"

namespace deadpeer {
namespace {

using namespace std::chrono_literals;
using namespace deadpeer::testing;

constexpr const char* kSetpriv = "/usr/bin/setpriv";

// `exe args` as an unprivileged user: nobody when we are root, ourselves otherwise.
Finished run_unprivileged(const std::string& exe, std::vector<std::string> args) {
  if (::geteuid() != 0) return run_binary(exe, args, 60s);
  args.insert(args.begin(), {"--reuid=nobody", "--regid=nogroup", "--clear-groups", exe});
  return run_binary(kSetpriv, args, 60s);
}

// The reason these tests cannot drop privileges here, or "".
std::string cannot_drop_reason(const std::string& exe) {
  if (::geteuid() != 0) return "";
  if (::access(kSetpriv, X_OK) != 0) return "setpriv (util-linux) is missing";
  const auto probe = run_unprivileged(exe, {"--help"});
  if (probe.status != 0)
    return "nobody cannot run " + exe + " (status " + std::to_string(probe.status) +
           "): the build tree is not readable by others";
  return "";
}

#define REQUIRE_DROP(exe)                                                       \
  do {                                                                          \
    if (const auto why = cannot_drop_reason(exe); !why.empty()) GTEST_SKIP() << why; \
  } while (0)

TEST(Unprivileged, RunExitsThreeAndSaysWhatIsMissingAndCreatesNothing) {
  REQUIRE_DROP(DEADPEER_BINARY);
  PrivateDir base("unpriv-test", "/tmp", 0755);  // nobody reads the scenario from here
  const auto scenario = write_text(base / "ok.toml",
                                   "name = \"unprivileged\"\nhorizon = \"2s\"\n"
                                   "[client]\nServerAliveInterval = 1\n[[fault]]\nkind = \"blackhole\"\nat = \"1s\"\n");
  ScopedEnv state("DEADPEER_STATE_DIR", base / "state");
  const auto locks_before = lock_ids();
  const auto r = run_unprivileged(DEADPEER_BINARY, {"run", scenario, "--out", base / "out"});
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("needs root"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("deadpeer doctor"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(base / "state")) << "a state directory was created";
  EXPECT_FALSE(fs::exists(base / "out")) << "a results directory was created";
  for (const auto& id : lock_ids())
    EXPECT_TRUE(locks_before.count(id) || run::RunLock::is_live(id)) << "a dead run lock appeared: " << id;
}

TEST(Unprivileged, DoctorExitsThreeAndListsWhatIsMissing) {
  REQUIRE_DROP(DEADPEER_BINARY);
  const auto r = run_unprivileged(DEADPEER_BINARY, {"doctor"});
  EXPECT_EQ(r.status, 3) << r.output;
  for (const char* needle : {"MISSING root", "MISSING netns", "cannot run cases here"})
    EXPECT_NE(r.output.find(needle), std::string::npos) << needle << " missing in:\n" << r.output;
  // Unprobed optional features are not called missing (conntrack: only the firewall fault).
  EXPECT_NE(r.output.find("absent conntrack: not probed"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("MISSING conntrack"), std::string::npos) << r.output;
}

// Probe for the next test: a real lab when it can, a skip with the reason when it cannot.
TEST(Unprivileged, ProbeLabOrSkipWithReason) {
  DEADPEER_REQUIRE_LAB();
  run::RunLock lock;
  auto ns = sys::Netns::create(lock.lab_prefix(0) + "-c");
  EXPECT_TRUE(testing::netns_exists(ns.name()));
}

TEST(Unprivileged, IntegrationTestsSkipWithTheReasonWhenNotRoot) {
  const std::string self = fs::read_symlink("/proc/self/exe");
  REQUIRE_DROP(self);
  if (::geteuid() != 0) GTEST_SKIP() << "already unprivileged: the probe test above shows the skip directly";
  const auto r = run_unprivileged(self, {"--gtest_filter=Unprivileged.ProbeLabOrSkipWithReason"});
  EXPECT_EQ(r.status, 0) << r.output;  // a skip is not a failure
  EXPECT_NE(r.output.find("[  SKIPPED ] Unprivileged.ProbeLabOrSkipWithReason"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lab unavailable: needs root"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace deadpeer
