#include "run/Runner.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <mutex>
#include <thread>

#include "model/FromScenario.hpp"
#include "proc/Process.hpp"
#include "run/CaseRunner.hpp"
#include "run/Cleanup.hpp"
#include "run/RunSession.hpp"
#include "run/SetupGate.hpp"
#include "sys/Interrupt.hpp"
#include "sys/Log.hpp"

namespace deadpeer::run {
namespace {

SidePredicted to_predicted(const model::SidePrediction& p) {
  SidePredicted out;
  if (p.window) {
    out.lo_s = p.window->lo_s;
    out.hi_s = p.window->hi_s;
  }
  out.cause = p.cause;
  out.rule = p.rule;
  out.explanation = p.explanation;
  out.may_survive = p.may_survive;
  return out;
}

std::optional<bool> agreement(const model::SidePrediction& p, const SideOutcome& s, double horizon_s) {
  return model::agrees(p, s.detected ? s.detect_s : std::nullopt, s.cause, horizon_s);
}

// A traced run knows when the client last heard the server: the model's window for that one
// phase. Only when that receive came by t0 + 0.1 s — a session still hearing its peer later was
// not cut at t0 (transient faults, one-way loss), and the model's episode would not describe it.
void predict_from_phase(model::Inputs in, SideOutcome& client) {
  if (!client.last_rx_s || !client.last_rx_second_start_s || *client.last_rx_s > 0.1) return;
  in.client_last_rx = model::Inputs::ObservedReceive{*client.last_rx_s, *client.last_rx_second_start_s};
  if (const auto w = model::predict(in).client.window) {
    client.exact_lo_s = w->lo_s;
    client.exact_hi_s = w->hi_s;
  }
}

// How long a run of this case should take from its fault on, by the model: until both sides
// ended (a side predicted never lasts the horizon), plus the first fault's `at`.
double expected_length_s(const scenario::Scenario& s, const model::Prediction& p) {
  const double horizon = std::chrono::duration<double>(s.horizon).count();
  const auto end = [&](const model::SidePrediction& side) {
    return side.window ? std::min(side.window->hi_s, horizon) : horizon;
  };
  const auto first = std::min_element(s.faults.begin(), s.faults.end(),
                                      [](const auto& a, const auto& b) { return a.at < b.at; });
  const double at = first == s.faults.end() ? 0 : std::chrono::duration<double>(first->at).count();
  return at + std::max(end(p.client), end(p.server));
}

long online_cpus() { return std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)); }

std::string first_line_with(const std::string& text, const std::string& needle) {
  auto pos = text.find(needle);
  if (pos == std::string::npos) return "";
  auto end = text.find_first_of(",\n", pos);
  return text.substr(pos, end - pos);
}

}  // namespace

int Runner::default_jobs() {
  // Runs mostly wait on timers: a matrix should last about as long as its slowest run, so many
  // run at once. Their CPU work, the setup, is bounded by the setup gate instead; what is left
  // per waiting run is a few sleeping processes (docs/parallel.md).
  return static_cast<int>(std::min(16 * online_cpus(), 128L));
}

int Runner::default_setup_slots() {
  // A setup is about half CPU (ssh's key exchange) and half waiting (sshd's start, round
  // trips): four per CPU kept 2 cores busy best (`deadpeer bench` matrix row: 2 slots 1.43×,
  // 4 1.28×, 8 1.12×, unlimited 1.15× the single case, 2026-11-25).
  return static_cast<int>(4 * online_cpus());
}

Environment collect_environment() {
  Environment e;
  utsname u{};
  if (::uname(&u) == 0) e.kernel = std::string(u.sysname) + " " + u.release;
  try {
    e.ssh_version = first_line_with(proc::Process::run("/usr/bin/ssh", {"-V"}).out, "OpenSSH_");
    // sshd has no version flag: its usage message carries the version.
    e.sshd_version = first_line_with(proc::Process::run("/usr/sbin/sshd", {"-V"}).out, "OpenSSH_");
  } catch (const std::exception& ex) {
    sys::log("run").warn("reading ssh versions: {}", ex.what());
  }
  try {
    if (::access("/usr/sbin/dropbear", X_OK) == 0)
      e.dropbear_version = first_line_with(proc::Process::run("/usr/sbin/dropbear", {"-V"}).out, "Dropbear");
  } catch (const std::exception& ex) {
    sys::log("run").warn("reading the dropbear version: {}", ex.what());
  }
  e.cpus = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  e.deadpeer_version = "0.1.0";
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  e.started_at = buf;
  return e;
}

Results Runner::run(const std::vector<scenario::Case>& cases) {
  // Leftovers of runs that were SIGKILLed are removed first; live runs are left alone.
  Cleanup::sweep(false);
  Results results;
  results.environment = collect_environment();
  RunSession session;
  results.run_id = session.id();

  struct Item {
    size_t case_index;
    int repeat;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < cases.size(); ++i)
    for (int r = 0; r < cases[i].scenario.repeat; ++r) items.push_back({i, r});

  results.cases.resize(cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    auto& co = results.cases[i];
    co.id = cases[i].id;
    co.scenario = cases[i].scenario.name;
    co.file = cases[i].scenario.file.string();
    co.settings = cases[i].settings();
    co.runs.resize(static_cast<size_t>(cases[i].scenario.repeat));
  }

  // The model predicts with the versions that really run here.
  const auto ssh_v = model::version_from_string(results.environment.ssh_version).value_or(model::Version{9, 2});
  const auto sshd_v = model::version_from_string(results.environment.sshd_version).value_or(model::Version{9, 2});
  const auto dropbear_v =
      model::version_from_string(results.environment.dropbear_version).value_or(model::Version{2022, 83});
  std::vector<model::Inputs> inputs;
  std::vector<model::Prediction> predictions;
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& s = cases[i].scenario;
    const bool db_client = s.client_impl == scenario::Implementation::dropbear;
    const bool db_server = s.server_impl == scenario::Implementation::dropbear;
    inputs.push_back(model::inputs_from(s, db_client ? dropbear_v : ssh_v, db_server ? dropbear_v : sshd_v));
    predictions.push_back(model::predict(inputs.back()));
    results.cases[i].predicted_client = to_predicted(predictions.back().client);
    results.cases[i].predicted_server = to_predicted(predictions.back().server);
  }

  // Longest predicted runs first: the matrix lasts as long as its slowest run plus however late
  // that one started, so it gets the first setup slots (and short runs fill in behind it).
  std::vector<double> length(items.size());
  for (size_t k = 0; k < items.size(); ++k)
    length[k] = expected_length_s(cases[items[k].case_index].scenario, predictions[items[k].case_index]);
  std::vector<size_t> order(items.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return length[a] > length[b]; });
  SetupGate gate(options_.setup_slots == 0 ? default_setup_slots() : options_.setup_slots);

  std::atomic<size_t> next{0};
  std::mutex mutex;
  auto worker = [&] {
    for (size_t n; (n = next.fetch_add(1)) < items.size();) {
      if (sys::Interrupt::requested()) break;
      const size_t k = order[n];  // k names the lab, as before the ordering
      const Item& it = items[k];
      if (options_.on_run_started) options_.on_run_started(cases[it.case_index], it.repeat);
      CaseRunner runner(session, cases[it.case_index], &gate);
      RunOutcome outcome = runner.run_once(static_cast<int>(k), it.repeat);
      if (!outcome.error) {
        const double horizon_s = std::chrono::duration<double>(cases[it.case_index].scenario.horizon).count();
        outcome.client.agrees = agreement(predictions[it.case_index].client, outcome.client, horizon_s);
        outcome.server.agrees = agreement(predictions[it.case_index].server, outcome.server, horizon_s);
        predict_from_phase(inputs[it.case_index], outcome.client);
      }
      std::lock_guard lock(mutex);
      auto& slot = results.cases[it.case_index].runs[static_cast<size_t>(it.repeat)];
      slot = std::move(outcome);
      if (options_.on_run_done) options_.on_run_done(results.cases[it.case_index], slot);
    }
  };
  const int jobs = std::max(1, std::min<int>(options_.jobs > 0 ? options_.jobs : default_jobs(),
                                             static_cast<int>(items.size())));
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  results.interrupted = sys::Interrupt::requested();
  if (results.interrupted) {
    // Runs that never started are dropped rather than reported as measured nothing.
    for (auto& c : results.cases)
      std::erase_if(c.runs, [](const RunOutcome& r) { return !r.error && !r.client.detected && r.timeline.empty(); });
  }
  return results;
}

}  // namespace deadpeer::run
