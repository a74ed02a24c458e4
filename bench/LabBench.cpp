#include "bench/LabBench.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "bench/IpShellLab.hpp"
#include "bench/SchedStat.hpp"
#include "lab/Lab.hpp"
#include "run/RunLock.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::bench {

RowResult LabBench::run(const BenchOptions& options) {
  RowResult row;
  row.id = kId;
  row.title = "lab setup + teardown (3 netns, 2 veth, addresses, routes, sysctls)";
  row.goal = "p50 ≤ 10 ms and ≥ 8× faster than the baseline";
  // The lock makes these namespaces ours in the eyes of `deadpeer cleanup` (live: left alone;
  // after a SIGKILL: removed), exactly as for a run.
  run::RunLock lock;
  int n = 0;
  const int runs = options.count(60, 5);
  const int baseline_runs = options.count(15, 3);

  // One of each first: page faults, library initialisation and the first /run/netns mount are
  // paid once per process, not per lab.
  { lab::Lab warm(lock.lab_prefix(n++)); }
  { IpShellLab warm(fmt::format("dp{}-ip{}", lock.id(), n++)); warm.teardown(); }

  Measure ours{"deadpeer (lab::Lab, netlink)", {}, Unit::seconds};
  Samples setup_only, unloaded;
  for (int i = 0; i < runs; ++i) {
    const auto before = SchedStat::now();
    const auto t0 = sys::Clock::now();
    sys::TimePoint t1;
    {
      lab::Lab lab(lock.lab_prefix(n++));
      t1 = sys::Clock::now();
    }
    const auto t2 = sys::Clock::now();
    const double waited = static_cast<double>(SchedStat::now().runqueue_wait_ns - before.runqueue_wait_ns) * 1e-9;
    setup_only.add(sys::seconds_between(t0, t1));
    ours.samples.add(sys::seconds_between(t0, t2));
    unloaded.add(std::max(0.0, sys::seconds_between(t0, t2) - waited));
  }
  Measure base{"baseline: the same lab with `ip` shell-outs", {}, Unit::seconds};
  for (int i = 0; i < baseline_runs; ++i) {
    const auto t0 = sys::Clock::now();
    IpShellLab lab(fmt::format("dp{}-ip{}", lock.id(), n++));
    lab.teardown();
    base.samples.add(sys::seconds_between(t0, sys::Clock::now()));
  }

  const double p50 = ours.samples.median();
  const double ratio = base.samples.median() / p50;
  row.ratio = fmt::format("{:.1f}× faster than the baseline (p50 / p50)", ratio);
  row.notes.push_back(fmt::format("setup alone p50 {}, p95 {}", format_seconds(setup_only.median()),
                                  format_seconds(setup_only.percentile(95))));
  row.notes.push_back(fmt::format("minus this thread's run-queue wait (other work on the machine): p50 {}, p95 {}",
                                  format_seconds(unloaded.median()), format_seconds(unloaded.percentile(95))));
  row.notes.push_back(
      "teardown returns once the names are dropped; the kernel frees the devices asynchronously, and that work "
      "lands on the next setup, as it does between the runs of a matrix");
  row.measures.push_back(std::move(ours));
  row.measures.push_back(std::move(base));
  const bool fast = p50 <= 10e-3, faster = ratio >= 8;
  row.verdict = fast && faster ? Verdict::met : Verdict::missed;
  if (!fast) row.reason = "p50 " + format_seconds(p50) + " > 10 ms";
  if (!faster) row.reason += (row.reason.empty() ? "" : "; ") + fmt::format("only {:.1f}× faster", ratio);
  return row;
}

}  // namespace deadpeer::bench
