#include "bench/DelayBench.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "bench/SchedStat.hpp"
#include "bench/UdpProbe.hpp"
#include "faults/FaultFactory.hpp"
#include "lab/Lab.hpp"
#include "proc/Cgroup.hpp"
#include "run/RunSession.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto kDelay = 10ms;
constexpr int kPort = 47000;

scenario::FaultSpec delay_spec(const std::string& kind) {
  scenario::FaultSpec spec;
  spec.kind = kind;
  spec.loc = {"<bench delay>", 0, 0};
  spec.params["delay"] = scenario::Setting{"delay", std::string("10ms"), spec.loc};
  // This row is about the user-space path: on a kernel with sch_netem, `auto` would pick netem.
  if (kind == "impair") spec.params["backend"] = scenario::Setting{"backend", std::string("userspace"), spec.loc};
  return spec;
}

void add_extra(Measure& m, const Samples& one_way) {
  for (double v : one_way.values()) m.samples.add(v - std::chrono::duration<double>(kDelay).count());
}

}  // namespace

std::optional<std::string> DelayBench::delay_kind() {
  const auto names = faults::FaultFactory::kind_names();
  for (const char* k : {"impair", "delay"})
    if (std::find(names.begin(), names.end(), k) != names.end()) return k;
  return std::nullopt;
}

RowResult DelayBench::run(const BenchOptions& options) {
  RowResult row;
  row.id = kId;
  row.title = "user-space delay path: one-way latency − configured 10 ms";
  row.goal = "mean ≤ +0.5 ms and p99 ≤ +2 ms at ≤ 10 kpps";
  const auto kind = delay_kind();
  if (!kind) {
    row.verdict = Verdict::unavailable;
    row.reason =
        "not available: no fault kind \"impair\" (or \"delay\") is registered in faults::FaultFactory "
        "(the user-space delay path, faults/Impair.hpp, is not in this build)";
    return row;
  }
  const auto spec = delay_spec(*kind);
  if (auto diags = faults::FaultFactory::validate(spec); !diags.empty()) {
    row.verdict = Verdict::unavailable;
    row.reason = fmt::format("not available: kind \"{}\" with delay = \"10ms\": {}", *kind, diags.front().str());
    return row;
  }

  run::RunSession session;  // the lock, and a cgroup parent for the fault's targets
  lab::Lab lab(session.lab_prefix(0));
  proc::Cgroup server_cg(session.cgroup().path(), "0-server");
  proc::Cgroup client_cg(session.cgroup().path(), "0-client");
  faults::FaultTargets targets{lab, server_cg, client_cg, {}};
  UdpProbe probe(lab.client().ns(), lab.server().ns(), lab::Addresses::server, kPort);
  const auto length = std::chrono::milliseconds(options.quick ? 500 : 2000);

  probe.wait_until_open(5s);  // neighbours resolved: the first datagrams must not wait for ARP
  const auto kernel = probe.measure(1000, length, 100ms);
  Measure base{"baseline: kernel forwarding, no fault (one-way)", kernel.one_way_s, Unit::seconds};

  auto fault = faults::FaultFactory::arm(spec, targets);
  fault->apply();
  const auto slow = probe.measure(1000, length, kDelay + 200ms);
  const auto before = SchedStat::process();
  const auto t0 = sys::Clock::now();
  const auto fast = probe.measure(10000, length, kDelay + 200ms);
  const double wall = sys::seconds_between(t0, sys::Clock::now());
  const double waited = static_cast<double>(SchedStat::process().runqueue_wait_ns - before.runqueue_wait_ns) * 1e-9;
  fault->remove();

  Measure at1{fmt::format("{} ({}), 1 kpps: one-way − 10 ms", *kind, fault->backend()), {}, Unit::seconds};
  Measure at10{fmt::format("{} ({}), 10 kpps: one-way − 10 ms", *kind, fault->backend()), {}, Unit::seconds};
  add_extra(at1, slow.one_way_s);
  add_extra(at10, fast.one_way_s);
  row.notes.push_back(fmt::format("received {}/{} at 1 kpps, {}/{} at 10 kpps", slow.received, slow.sent,
                                  fast.received, fast.sent));
  // The relay is a thread of this process: when it waits for a CPU, packets wait with it.
  row.notes.push_back(fmt::format("at 10 kpps, threads of this process (the relay among them) waited {} for a CPU "
                                  "in {} of measurement",
                                  format_seconds(waited), format_seconds(wall)));
  bool ok = true;
  for (const auto* m : {&at1, &at10}) {
    const double mean = m->samples.mean(), p99 = m->samples.percentile(99);
    if (m->samples.empty() || mean > 0.5e-3 || p99 > 2e-3) {
      ok = false;
      row.reason += fmt::format("{}{}: mean {}, p99 {}", row.reason.empty() ? "" : "; ", m->label,
                                format_seconds(mean), format_seconds(p99));
    }
  }
  row.measures = {std::move(at1), std::move(at10), std::move(base)};
  row.verdict = ok ? Verdict::met : Verdict::missed;
  return row;
}

}  // namespace deadpeer::bench
