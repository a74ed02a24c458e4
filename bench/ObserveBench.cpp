#include "bench/ObserveBench.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "bench/SchedStat.hpp"
#include "observe/Observer.hpp"
#include "sys/Clock.hpp"
#include "sys/SystemError.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::bench {
namespace {

using namespace std::chrono_literals;

struct Pipe {
  sys::UniqueFd read, write;
  Pipe() {
    int p[2];
    sys::check(::pipe2(p, O_CLOEXEC), "pipe for an observe sample");
    read = sys::UniqueFd(p[0]);
    write = sys::UniqueFd(p[1]);
  }
};

sys::TimePoint from_timespec(const timespec& ts) {
  return sys::TimePoint(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
}

// In the child, between fork and _exit: only async-signal-safe calls (the parent has threads).
// Writes "<seconds> <nanoseconds>\n" of `ts` to `fd` with one write(2).
void write_stamp_line(int fd, const timespec& ts) {
  char buf[64];
  char* end = buf + sizeof buf;
  char* p = end;
  *--p = '\n';
  long ns = ts.tv_nsec;
  for (int i = 0; i < 9; ++i, ns /= 10) *--p = static_cast<char>('0' + ns % 10);
  *--p = ' ';
  long s = ts.tv_sec;
  do *--p = static_cast<char>('0' + s % 10);
  while ((s /= 10) > 0);
  [[maybe_unused]] auto n = ::write(fd, p, static_cast<size_t>(end - p));
}

enum class What { exit, line };

// One child, one event: returns observed − recorded, in seconds.
double sample(observe::Observer& obs, What what, int i) {
  Pipe go, out;
  const std::string source = (what == What::exit ? "bench.exit." : "bench.line.") + std::to_string(i);
  const pid_t pid = ::fork();
  if (pid < 0) sys::throw_errno("fork an observe sample child");
  if (pid == 0) {
    // Wait until the parent watches us, so the event cannot happen before the watch exists.
    char c;
    if (::read(go.read.get(), &c, 1) != 1) ::_exit(1);
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    write_stamp_line(out.write.get(), ts);
    ::_exit(0);
  }
  out.write.reset();  // the child's copy is the only writer: EOF when it is gone
  sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) sys::throw_errno("pidfd_open of an observe sample child");
  if (what == What::exit)
    obs.watch_exit(pidfd.get(), source);
  else
    obs.watch_lines(std::move(out.read), source);
  if (::write(go.write.get(), "g", 1) != 1) sys::throw_errno("start an observe sample child");
  const auto kind = what == What::exit ? observe::Event::Kind::exit : observe::Event::Kind::line;
  std::optional<observe::Event> seen;
  obs.wait_until(
      [&](const std::vector<observe::Event>& evs) {
        for (const auto& e : evs)
          if (e.source == source && e.kind == kind) seen = e;
        return seen.has_value();
      },
      sys::Clock::now() + 5s);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!seen) throw sys::Error("observer saw no " + source + " within 5 s");
  std::string line = seen->text;
  if (what == What::exit) {
    // The stamp of an exiting child travels on its own pipe, which nobody watches.
    char buf[64];
    const ssize_t n = ::read(out.read.get(), buf, sizeof buf);
    if (n <= 0) throw sys::Error("reading the stamp of " + source);
    line.assign(buf, static_cast<size_t>(n));
  }
  long sec = 0, nsec = 0;
  if (std::sscanf(line.c_str(), "%ld %ld", &sec, &nsec) != 2)
    throw sys::Error("unreadable stamp from " + source + ": " + line);
  timespec ts{};
  ts.tv_sec = sec;
  ts.tv_nsec = nsec;
  return sys::seconds_between(from_timespec(ts), seen->t);
}

}  // namespace

RowResult ObserveBench::run(const BenchOptions& options) {
  RowResult row;
  row.id = kId;
  row.title = "observation error of an exit / a log line (observe::Observer)";
  row.goal = "p99 ≤ 1 ms for both";
  const int runs = options.count(300, 20);
  Measure exits{"exit: pidfd readiness − child's stamp", {}, Unit::seconds};
  Measure lines{"line: newline arrival − child's stamp", {}, Unit::seconds};
  // The observer's thread timestamps the event when it runs: if it waits for a CPU, the stamp
  // is late by that much. The wait of this process's threads tells load from slowness.
  const auto before = SchedStat::process();
  const auto t0 = sys::Clock::now();
  {
    // One observer per kind, as one case has one; it watches every sample in turn.
    observe::Observer obs;
    sample(obs, What::exit, -1);  // warm-up
    for (int i = 0; i < runs; ++i) exits.samples.add(sample(obs, What::exit, i));
  }
  {
    observe::Observer obs;
    sample(obs, What::line, -1);
    for (int i = 0; i < runs; ++i) lines.samples.add(sample(obs, What::line, i));
  }
  const double waited = static_cast<double>(SchedStat::process().runqueue_wait_ns - before.runqueue_wait_ns) * 1e-9;
  const double wall = sys::seconds_between(t0, sys::Clock::now());
  const double worst = std::max(exits.samples.percentile(99), lines.samples.percentile(99));
  row.notes.push_back("reference: the child's own CLOCK_MONOTONIC just before _exit / write (no separate baseline)");
  row.notes.push_back("the exit includes the kernel tearing the child down (a fork of this process, larger than ssh)");
  row.notes.push_back(fmt::format("this process's threads (the observers among them) waited {} for a CPU in {} of samples",
                                  format_seconds(waited), format_seconds(wall)));
  row.measures = {std::move(exits), std::move(lines)};
  row.verdict = worst <= 1e-3 ? Verdict::met : Verdict::missed;
  if (row.verdict == Verdict::missed) row.reason = "p99 " + format_seconds(worst) + " > 1 ms";
  return row;
}

}  // namespace deadpeer::bench
