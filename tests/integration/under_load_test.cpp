// Timing under CPU load: with every core saturated by busy loops of another process, ssh's
// ServerAlive exit must still land within ±20 ms of the model's phase-exact prediction.
//
// The scenario is traced (scenarios/more/traced-serveralive.toml): ssh logs each packet it
// receives, so the model knows the phase of the client's deadline and predicts one instant per
// run (docs/timing-model.md, "Traced runs"). What load can delay is everything after that
// instant: ssh's wake-up from poll, its exit, and the harness's observation of the exit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "LabTestSupport.hpp"
#include "run/Runner.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"
#include "sys/Clock.hpp"

namespace deadpeer {
namespace {

constexpr double kBound = 0.020;

// One busy-looping child per core, killed (by PID) and reaped when this goes out of scope.
class Burners {
 public:
  explicit Burners(long n) {
    for (long i = 0; i < n; ++i) {
      const pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error("fork burner");
      if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
        for (volatile unsigned long x = 0;; x = x + 1) {
        }
      }
      pids_.push_back(pid);
    }
  }
  ~Burners() {
    for (pid_t p : pids_) {
      if (::kill(p, SIGKILL) != 0) std::perror("kill burner");
      if (::waitpid(p, nullptr, 0) != p) std::perror("waitpid burner");
    }
  }
  // CPU seconds the burners have used so far (utime + stime from /proc/<pid>/stat).
  double cpu_s() const {
    double total = 0;
    for (pid_t p : pids_) {
      std::ifstream f("/proc/" + std::to_string(p) + "/stat");
      std::string s((std::istreambuf_iterator<char>(f)), {});
      auto rest = s.substr(s.rfind(')') + 2);
      std::istringstream in(rest);
      std::string field;
      unsigned long utime = 0, stime = 0;
      for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) utime = std::stoul(field);
        if (i == 15) stime = std::stoul(field);
      }
      total += double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
    }
    return total;
  }
  long count() const { return static_cast<long>(pids_.size()); }

 private:
  std::vector<pid_t> pids_;
};

struct Figures {
  std::vector<double> errors_ms;  // measured − exact instant
  int traced = 0, runs = 0;
};

Figures run_traced(const char* label) {
  auto cases = scenario::expand(scenario::parse_file(DEADPEER_SOURCE_DIR "/scenarios/more/traced-serveralive.toml"));
  const run::Results r = run::Runner({}).run(cases);
  Figures f;
  for (const auto& c : r.cases)
    for (const auto& run : c.runs) {
      ++f.runs;
      EXPECT_FALSE(run.error) << label << ": " << *run.error;
      const auto& s = run.client;
      EXPECT_TRUE(s.detected) << label << " run " << run.repeat;
      EXPECT_EQ(observe::to_string(s.cause), "serveralive") << label << ": " << s.evidence;
      EXPECT_TRUE(s.last_rx_s && s.exact_lo_s) << label << " run " << run.repeat << ": no traced receive";
      if (!s.detect_s || !s.exact_lo_s) continue;
      ++f.traced;
      // Signed distance to the predicted instant (its window is a point for ssh ≥ 9.2).
      f.errors_ms.push_back((*s.detect_s - *s.exact_lo_s) * 1000);
      EXPECT_NEAR(*s.detect_s, *s.exact_lo_s, kBound)
          << label << " run " << run.repeat << ": measured " << *s.detect_s << " s, model " << *s.exact_lo_s << " s";
    }
  std::sort(f.errors_ms.begin(), f.errors_ms.end());
  if (!f.errors_ms.empty())
    std::printf("%s: %d/%d traced runs, measured − model: min %+.2f ms, median %+.2f ms, max %+.2f ms\n", label,
                f.traced, f.runs, f.errors_ms.front(), f.errors_ms[f.errors_ms.size() / 2], f.errors_ms.back());
  return f;
}

TEST(UnderLoad, ServerAliveExitStaysWithin20msOfTheModelWithEveryCoreBusy) {
  DEADPEER_REQUIRE_LAB();
  const Figures idle = run_traced("idle machine");
  EXPECT_EQ(idle.traced, 10);

  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  Burners burners(cores);
  const auto t_start = sys::Clock::now();
  const double cpu_start = burners.cpu_s();
  const Figures loaded = run_traced("every core busy");
  const double wall = sys::seconds_between(t_start, sys::Clock::now());
  const double share = (burners.cpu_s() - cpu_start) / (wall * double(cores));
  std::printf("burners: %ld busy loops used %.0f %% of %ld cores over %.1f s\n", burners.count(), share * 100, cores,
              wall);
  EXPECT_EQ(loaded.traced, 10);
  // The load was real: the busy loops got most of the machine while the cases ran.
  EXPECT_GT(share, 0.6) << "the burners did not saturate the cores; the measurement says nothing about load";
}

}  // namespace
}  // namespace deadpeer
