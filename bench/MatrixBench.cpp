#include "bench/MatrixBench.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "bench/RssSampler.hpp"
#include "run/Runner.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioParser.hpp"
#include "sys/Clock.hpp"
#include "sys/Interrupt.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::bench {
namespace {

struct Timed {
  double wall_s = 0;
  long rss_growth = 0;  // peak during the run minus before it
  int errors = 0;
  std::string first_error;
  Samples setup_s;  // per run: lab + sshd + session up (RunOutcome::setup_ms)
  double cpu_s = 0;  // user + system of this process and its reaped children (ssh, sshd and theirs)
  int judged = 0, agreed = 0;  // side-runs with a model verdict, and those inside its window
  Samples exact_error_s;       // |ssh's exit − the model's instant for its traced phase|
};

double cpu_seconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    ::getrusage(who, &u);
    total += static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
             static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  }
  return total;
}

// setup_slots as in RunnerOptions: 0 = one setup per CPU at a time (the default), -1 = no limit.
Timed timed_run(const std::vector<scenario::Case>& cases, int jobs, int setup_slots) {
  Timed t;
  const long before = RssSampler::current_bytes();
  run::RunnerOptions options;
  options.jobs = jobs;
  options.setup_slots = setup_slots;
  run::Runner runner(options);
  const double cpu0 = cpu_seconds();
  const auto t0 = sys::Clock::now();
  run::Results results;
  {
    RssSampler rss;
    results = runner.run(cases);
    t.rss_growth = rss.peak_bytes() - before;
  }
  t.wall_s = sys::seconds_between(t0, sys::Clock::now());
  t.cpu_s = cpu_seconds() - cpu0;
  for (const auto& c : results.cases)
    for (const auto& r : c.runs) {
      if (r.error) {
        if (t.errors++ == 0) t.first_error = c.id + ": " + *r.error;
        continue;
      }
      t.setup_s.add(r.setup_ms * 1e-3);
      for (const auto* side : {&r.client, &r.server})
        if (side->agrees) ++t.judged, t.agreed += *side->agrees ? 1 : 0;
      if (const auto e = r.client.exact_error_s()) t.exact_error_s.add(std::abs(*e));
    }
  if (results.interrupted) throw sys::Error("interrupted");
  return t;
}

}  // namespace

std::string MatrixBench::scenario_text(int cases, bool traced) {
  // Detection: ssh ≈ 3 s after the fault (whole seconds, (N+1)·I), sshd 9.2 ≈ 2(N+1)·I = 6 s.
  std::string values;
  for (int i = 0; i < cases; ++i) values += (i ? ", " : "") + std::to_string(7200 + i);
  return fmt::format(R"(name = "bench-matrix"
repeat = 1
horizon = "12s"
trace = {}

[client]
ServerAliveInterval = 1
ServerAliveCountMax = 2

[server]
ClientAliveInterval = 1
ClientAliveCountMax = 2

[traffic]
pattern = "idle"

[[fault]]
kind = "blackhole"
at = "1s"

[matrix]
# Only varies what nobody reads here (keepalive starts after 2 h of idle), so all cases alike.
"kernel.client.tcp_keepalive_time" = [{}]
)",
                     traced, values);
}

std::vector<RowResult> MatrixBench::run(const BenchOptions& options) {
  RowResult matrix, memory;
  matrix.id = kMatrixId;
  matrix.title = fmt::format("matrix wall time: {} cases at once (real Runner, --jobs {})", kCases, kCases);
  matrix.goal = "≤ 1.2× the single case alone";
  memory.id = kMemoryId;
  memory.title = "harness memory per concurrent case (VmRSS growth while the cases run)";
  memory.goal = "≤ 15 MB per concurrent case (the worst round)";

  const auto cases = scenario::expand(scenario::parse_string(scenario_text(kCases, false), "<bench matrix>"));
  const std::vector<scenario::Case> one{cases.front()};
  // The same cases traced: ssh logs its receives, so each run says how far its exit was from
  // the model's instant for its phase — at once and alone. (DEBUG3 costs ssh some CPU, so the
  // wall-time ratio is taken untraced, as users run.)
  const auto traced = scenario::expand(scenario::parse_string(scenario_text(kCases, true), "<bench matrix>"));
  const std::vector<scenario::Case> traced_one{traced.front()};
  const int rounds = options.count(3, 1);
  Measure all{fmt::format("deadpeer: {} cases, --jobs {}", kCases, kCases), {}, Unit::seconds};
  Measure alone{"baseline: one of those cases alone", {}, Unit::seconds};
  Measure ungated{fmt::format("without the setup gate: {} setups at once", kCases), {}, Unit::seconds};
  Measure exact_all{fmt::format("traced: |ssh exit − model instant|, {} at once", kCases), {}, Unit::seconds};
  Measure exact_alone{"traced: |ssh exit − model instant|, alone", {}, Unit::seconds};
  Measure per_case{"RSS growth / cases running at once", {}, Unit::bytes};
  Measure growth{fmt::format("RSS growth during the {}-case run", kCases), {}, Unit::bytes};
  const long rss_start = RssSampler::current_bytes();
  Samples setup_all, setup_alone, cpu_all, cpu_alone;
  int errors = 0, judged = 0, agreed = 0;
  std::string first_error;
  for (int i = 0; i < rounds && !sys::Interrupt::requested(); ++i) {
    const Timed a = timed_run(cases, kCases, 0);
    const Timed b = timed_run(one, 1, 0);
    const Timed u = timed_run(cases, kCases, -1);
    ungated.samples.add(u.wall_s);
    judged += a.judged, agreed += a.agreed;
    const Timed ta = timed_run(traced, kCases, 0);
    const Timed tb = timed_run(traced_one, 1, 0);
    errors += ta.errors + tb.errors;
    for (double v : ta.exact_error_s.values()) exact_all.samples.add(v);
    for (double v : tb.exact_error_s.values()) exact_alone.samples.add(v);
    errors += u.errors;
    all.samples.add(a.wall_s);
    alone.samples.add(b.wall_s);
    growth.samples.add(static_cast<double>(a.rss_growth));
    per_case.samples.add(static_cast<double>(a.rss_growth) / kCases);
    errors += a.errors + b.errors;
    cpu_all.add(a.cpu_s);
    cpu_alone.add(b.cpu_s);
    for (double v : a.setup_s.values()) setup_all.add(v);
    for (double v : b.setup_s.values()) setup_alone.add(v);
    if (first_error.empty()) first_error = !a.first_error.empty() ? a.first_error : b.first_error;
  }

  const double ratio = all.samples.median() / alone.samples.median();
  matrix.ratio = fmt::format("{:.2f}× the single case (p50 / p50)", ratio);
  matrix.notes.push_back(
      "each case: blackhole at 1 s, ServerAlive and ClientAlive 1 s × 2 (ssh ≈ 3 s, sshd 9.2 ≈ 6 s), horizon 12 s");
  matrix.notes.push_back("the cases differ only in an unread sysctl, so one alone stands for the slowest alone");
  matrix.notes.push_back(fmt::format("setup per run (lab, sshd, session up): p50 {}, max {} with {} at once; p50 {} alone",
                                     format_seconds(setup_all.median()), format_seconds(setup_all.max()), kCases,
                                     format_seconds(setup_alone.median())));
  const long cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  matrix.notes.push_back(fmt::format(
      "CPU (harness + ssh/sshd, user + system): {} for the {} cases, {} for one alone; on {} idle CPU(s) the {} "
      "cases alone need ≥ {} of CPU time",
      format_seconds(cpu_all.median()), kCases, format_seconds(cpu_alone.median()), cpus, kCases,
      format_seconds(cpu_all.median() / static_cast<double>(cpus))));
  memory.notes.push_back(fmt::format("RSS before the first run {}; ssh/sshd are other processes and not counted",
                                     format_megabytes(static_cast<double>(rss_start))));
  matrix.notes.push_back(fmt::format(
      "setups wait for one of {} slots (run::Runner::default_setup_slots), longest predicted case first; all {} "
      "setups at once instead: {:.2f}× the single case",
      run::Runner::default_setup_slots(), kCases, ungated.samples.median() / alone.samples.median()));
  // Concurrency must not cost timing accuracy: every side of every run at once still agrees.
  matrix.notes.push_back(fmt::format("timing with {} at once: {} of {} side-runs inside the model's window", kCases,
                                     agreed, judged));
  matrix.measures = {std::move(all), std::move(alone), std::move(ungated), std::move(exact_all), std::move(exact_alone)};
  // The first round's growth is the honest one (later rounds reuse what the allocator kept).
  const double mb = per_case.samples.max();
  memory.measures = {std::move(per_case), std::move(growth)};
  if (errors > 0) {
    for (auto* row : {&matrix, &memory}) {
      row->verdict = Verdict::failed;
      row->reason = fmt::format("{} run(s) could not measure; first: {}", errors, first_error);
    }
    return {std::move(matrix), std::move(memory)};
  }
  matrix.verdict = ratio <= 1.2 && agreed == judged ? Verdict::met : Verdict::missed;
  if (ratio > 1.2)
    matrix.reason = fmt::format("{:.2f}× > 1.2×", ratio);
  else if (agreed != judged)
    matrix.reason = fmt::format("{} of {} side-runs left the model's window with {} at once", judged - agreed, judged,
                                kCases);
  memory.verdict = mb <= 15e6 ? Verdict::met : Verdict::missed;
  if (memory.verdict == Verdict::missed) memory.reason = format_megabytes(mb) + " > 15 MB";
  return {std::move(matrix), std::move(memory)};
}

}  // namespace deadpeer::bench
