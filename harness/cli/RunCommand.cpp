#include "cli/RunCommand.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/CaseSelection.hpp"
#include "cli/ReportCommand.hpp"
#include "cli/Validation.hpp"
#include "report/ChartLibrary.hpp"
#include "report/Progress.hpp"
#include "report/ReportFiles.hpp"
#include "report/TextReport.hpp"
#include "run/Expectations.hpp"
#include "run/Runner.hpp"
#include "run/Shard.hpp"
#include "scenario/ScenarioError.hpp"
#include "sys/Interrupt.hpp"

namespace deadpeer::cli {
namespace {

struct RunArgs {
  std::vector<std::string> files;
  std::string out_dir = "out";
  int jobs = 0;
  int setup_slots = 0;
  std::vector<std::string> filters;
  std::string shard;
  bool list = false;
  std::string html, markdown, junit;
};

std::optional<std::filesystem::path> opt_path(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::filesystem::path>(s);
}

int run_verb(const RunArgs& a) {
  std::vector<std::filesystem::path> files(a.files.begin(), a.files.end());
  if (files.empty()) files = default_suite();
  if (files.empty()) {
    std::cerr << "deadpeer run: no scenario files given and no default suite found (set DEADPEER_SCENARIOS)\n";
    return kBadInput;
  }
  // Everything about the input is checked before anything exists: files, filters, shard.
  std::vector<scenario::Case> cases;
  try {
    cases = load_cases(files);
    cases = select_cases(std::move(cases), a.filters);
    if (!a.shard.empty()) cases = run::select_shard(cases, run::parse_shard(a.shard));
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  } catch (const std::invalid_argument& e) {
    std::cerr << "deadpeer run: " << e.what() << "\n";
    return kBadInput;
  }
  if (a.list) {
    std::cout << list_cases(cases) << cases.size() << " case(s)\n";
    return kOk;
  }
  if (cases.empty()) {
    std::cerr << "deadpeer run: no case left after --filter/--shard\n";
    return kBadInput;
  }
  if (::geteuid() != 0) {
    std::cerr << "deadpeer run: needs root to build namespaces and apply faults; `deadpeer doctor` tells what is missing\n";
    return kCannotRun;
  }
  if (!a.html.empty()) try {
      report::ChartLibrary::load();  // fail before running for an hour, not after
    } catch (const report::ReportError& e) {
      std::cerr << "deadpeer run: " << e.what() << "\n";
      return exit_code_of(e);
    }

  const int jobs = a.jobs > 0 ? a.jobs : run::Runner::default_jobs();
  report::Progress progress(cases, std::cerr, {report::Progress::stderr_is_terminal(), jobs});
  run::RunnerOptions options;
  options.jobs = jobs;
  options.on_run_done = [&](const run::CaseOutcome& c, const run::RunOutcome& r) { progress.run_done(c, r); };
  options.on_run_started = [&](const scenario::Case&, int) { progress.run_started(); };
  options.setup_slots = a.setup_slots;
  run::Runner runner(options);
  run::Results results;
  try {
    results = runner.run(cases);
  } catch (const std::exception& e) {
    std::cerr << "deadpeer run: " << e.what() << "\n";
    return kCannotRun;
  }
  progress.finish();

  const auto expect = run::expectations_of(cases);
  nlohmann::json doc = run::to_json(results);
  run::add_expectations_to_json(doc, results, expect);
  std::filesystem::create_directories(a.out_dir);
  const auto json_path = std::filesystem::path(a.out_dir) / "results.json";
  // replace: a log line with invalid UTF-8 must not lose the whole file.
  std::ofstream(json_path) << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  std::cout << report::TextReport::render(results) << "\nresults: " << json_path.string() << "\n";

  const auto verdicts = run::evaluate_all(results, expect);
  for (const auto& [id, list] : verdicts)
    for (const auto& v : list)
      if (v.state != run::Verdict::State::held) std::cout << "expect " << run::to_string(v.state) << ": " << v.message << "\n";
  try {
    report::write_reports(results, expect, {opt_path(a.html), opt_path(a.markdown), opt_path(a.junit)});
  } catch (const report::ReportError& e) {
    std::cerr << "deadpeer run: " << e.what() << "\n";
    if (!results.interrupted) return exit_code_of(e);
  }
  if (results.interrupted) return 128 + sys::Interrupt::signal_number();
  bool failed = run::count_violated(verdicts) > 0;
  for (const auto& c : results.cases)
    for (const auto& r : c.runs) failed |= r.error.has_value();
  return failed ? kFailed : kOk;
}

}  // namespace

Command add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "run scenario files (default: the shipped suite) and write results.json");
  cmd->add_option("files", args->files, "scenario files (TOML)");
  cmd->add_option("--out", args->out_dir, "directory for results.json")->capture_default_str();
  cmd->add_option("-j,--jobs", args->jobs, "runs at once (default: 16 per CPU, at most 128: runs mostly wait on timers)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--setup-slots", args->setup_slots,
                  "runs setting up (lab, sshd, key exchange) at once (default: 4 per CPU; see docs/parallel.md)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--filter", args->filters,
                  "only cases matching: key=value on a setting (client.ServerAliveInterval=5) or a regex on the "
                  "case id; repeat to narrow");
  cmd->add_option("--shard", args->shard, "run slice i of n (\"2/4\"): deterministic, for CI matrices (see docs/parallel.md)");
  cmd->add_flag("--list", args->list, "print the selected cases and exit without running");
  cmd->add_option("--html", args->html, "also write the HTML report to this file");
  cmd->add_option("--markdown", args->markdown, "also write the Markdown summary to this file (- for stdout)");
  cmd->add_option("--junit", args->junit, "also write JUnit XML to this file");
  return {cmd, [args] { return run_verb(*args); }};
}

}  // namespace deadpeer::cli
