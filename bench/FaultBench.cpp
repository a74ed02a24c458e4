#include "bench/FaultBench.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "bench/SchedStat.hpp"
#include "bench/ShellOut.hpp"
#include "faults/Blackhole.hpp"
#include "faults/ForwardSwitch.hpp"
#include "lab/Lab.hpp"
#include "run/RunLock.hpp"
#include "sys/Clock.hpp"
#include "sys/TempDir.hpp"

namespace deadpeer::bench {
namespace {

constexpr const char* kNft = "/usr/sbin/nft";

// What Blackhole commits to apply and to remove `kind = "blackhole"`, as files for `nft -f`:
// the baseline does the same work on the same armed table, only through the CLI.
std::string apply_rules(const std::string& table) {
  return "add rule inet " + table + " " + faults::ForwardSwitch::kBaseChain + " jump " + faults::ForwardSwitch::kActChain +
         "\n";
}
std::string remove_rules(const std::string& table) {
  return "flush chain inet " + table + " " + faults::ForwardSwitch::kBaseChain + "\n";
}

}  // namespace

RowResult FaultBench::run(const BenchOptions& options) {
  RowResult row;
  row.id = kId;
  row.title = "apply + remove one fault (faults::Blackhole apply()/remove())";
  row.goal = "apply + remove p99 ≤ 0.5 ms";
  run::RunLock lock;
  lab::Lab lab(lock.lab_prefix(0));
  const int runs = options.count(300, 20);
  const int baseline_runs = options.count(30, 3);

  Measure both{"deadpeer apply()+remove() (libnftables)", {}, Unit::seconds};
  Measure apply{"  of which apply()", {}, Unit::seconds};
  Measure remove{"  of which remove() (flushes the forward chain)", {}, Unit::seconds};
  Measure unloaded{"  apply()+remove() minus run-queue wait", {}, Unit::seconds};
  int preempted = 0;
  {
    // Constructing arms the fault (its nftables context and table): once per case, not timed.
    faults::Blackhole fault(lab.router().ns(), "blackhole", faults::Direction::both);
    fault.apply();
    fault.remove();  // warm-up: first transaction loads nftables' caches
    for (int i = 0; i < runs; ++i) {
      const auto before = SchedStat::now();
      const auto t0 = sys::Clock::now();
      fault.apply();
      const auto t1 = sys::Clock::now();
      fault.remove();
      const auto t2 = sys::Clock::now();
      const double waited = static_cast<double>(SchedStat::now().runqueue_wait_ns - before.runqueue_wait_ns) * 1e-9;
      apply.samples.add(sys::seconds_between(t0, t1));
      remove.samples.add(sys::seconds_between(t1, t2));
      both.samples.add(sys::seconds_between(t0, t2));
      unloaded.samples.add(std::max(0.0, sys::seconds_between(t0, t2) - waited));
      if (waited > 0.1e-3) ++preempted;
    }
  }

  Measure base{"baseline: nft -f (apply file, remove file)", {}, Unit::seconds};
  const auto tmp = std::filesystem::temp_directory_path() / ("deadpeer-bench-" + lock.id());
  sys::TempDir dir(tmp.string());
  faults::Blackhole armed(lab.router().ns(), "blackhole", faults::Direction::both);
  const std::string on = dir.write("blackhole.nft", apply_rules(armed.table()));
  const std::string off = dir.write("unblackhole.nft", remove_rules(armed.table()));
  const auto& router = lab.router().ns();
  ShellOut::run({kNft, "-f", on}, &router);
  ShellOut::run({kNft, "-f", off}, &router);
  for (int i = 0; i < baseline_runs; ++i) {
    const auto t0 = sys::Clock::now();
    ShellOut::run({kNft, "-f", on}, &router);
    ShellOut::run({kNft, "-f", off}, &router);
    base.samples.add(sys::seconds_between(t0, sys::Clock::now()));
  }

  const double p99 = both.samples.percentile(99);
  const double p99_unloaded = unloaded.samples.percentile(99);
  row.ratio = fmt::format("{:.1f}× faster than the baseline (p50 / p50)", base.samples.median() / both.samples.median());
  row.notes.push_back("nft runs directly inside the router namespace (no `ip netns exec` on top)");
  row.notes.push_back(fmt::format("{} of {} samples waited > 0.1 ms for a CPU (other work on the machine)", preempted,
                                  runs));
  row.measures = {std::move(both), std::move(apply), std::move(remove), std::move(unloaded), std::move(base)};
  row.verdict = p99 <= 0.5e-3 ? Verdict::met : Verdict::missed;
  if (row.verdict == Verdict::missed)
    row.reason = "p99 " + format_seconds(p99) + " > 0.5 ms (without run-queue wait: " + format_seconds(p99_unloaded) + ")";
  return row;
}

}  // namespace deadpeer::bench
