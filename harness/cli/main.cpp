// deadpeer: how fast does SSH notice a dead peer? Verbs: doctor, run, cleanup.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/Validation.hpp"
#include "lab/Capabilities.hpp"
#include "proc/Cgroup.hpp"
#include "report/TextReport.hpp"
#include "run/Cleanup.hpp"
#include "run/Runner.hpp"
#include "scenario/ScenarioError.hpp"
#include "sys/Interrupt.hpp"
#include "sys/Log.hpp"

namespace {

using namespace deadpeer;

// Exit codes: 0 ok; 1 a run failed to measure; 2 bad input; 3 cannot run here; 130 interrupted.
constexpr int kBadInput = 2;
constexpr int kCannotRun = 3;

int doctor() {
  auto checks = lab::Capabilities::probe();
  const bool root = ::geteuid() == 0;
  checks.insert(checks.begin(), {"root", root, true, root ? "running as root" : "deadpeer needs root (namespaces, nftables, cgroups)"});
  const std::string cg = proc::Cgroup::own_root();
  checks.push_back({"cgroup2", !cg.empty(), true,
                    cg.empty() ? "no writable cgroup v2 hierarchy: cases cannot contain their processes "
                                 "(mount cgroup2 or run the container with --cgroupns=private --privileged)"
                               : "cases are contained in cgroups under " + cg});
  for (const auto& [name, path] : {std::pair{"sshd", "/usr/sbin/sshd"}, std::pair{"ssh", "/usr/bin/ssh"},
                                   std::pair{"ssh-keygen", "/usr/bin/ssh-keygen"}}) {
    const bool ok = ::access(path, X_OK) == 0;
    checks.push_back({name, ok, true, ok ? path : std::string(path) + " missing: apt-get install openssh-server openssh-client"});
  }
  const bool dropbear = ::access("/usr/sbin/dropbear", X_OK) == 0;
  checks.push_back({"dropbear", dropbear, false, dropbear ? "/usr/sbin/dropbear" : "not installed: apt-get install dropbear-bin"});
  for (const auto& c : checks)
    std::cout << (c.ok ? "  ok    " : (c.required ? "  MISSING " : "  absent ")) << c.name << ": " << c.detail << "\n";
  const bool can = lab::Capabilities::can_run(checks);
  std::cout << (can ? "deadpeer can run cases here.\n" : "deadpeer cannot run cases here: see MISSING above.\n");
  return can ? 0 : kCannotRun;
}

int cleanup() {
  auto report = run::Cleanup::sweep(false);
  for (const auto& c : report.cgroups) std::cout << "removed cgroup " << c << "\n";
  for (const auto& n : report.namespaces) std::cout << "removed netns " << n << "\n";
  for (const auto& d : report.dirs) std::cout << "removed state dir " << d << "\n";
  for (const auto& e : report.errors) std::cerr << "error: " << e << "\n";
  if (report.total() == 0 && report.errors.empty()) std::cout << "nothing to clean up\n";
  return report.errors.empty() ? 0 : 1;
}

int run_verb(const std::vector<std::string>& files_arg, const std::string& out_dir, int jobs) {
  std::vector<std::filesystem::path> files(files_arg.begin(), files_arg.end());
  if (files.empty()) files = cli::default_suite();
  if (files.empty()) {
    std::cerr << "deadpeer run: no scenario files given and no default suite found (set DEADPEER_SCENARIOS)\n";
    return kBadInput;
  }
  std::vector<scenario::Case> cases;
  try {
    cases = cli::load_cases(files);
  } catch (const scenario::ScenarioError& e) {
    std::cerr << e.what() << "\n";
    return kBadInput;
  }
  if (::geteuid() != 0) {
    std::cerr << "deadpeer run: needs root to build namespaces and apply faults; `deadpeer doctor` tells what is missing\n";
    return kCannotRun;
  }
  run::Runner runner({jobs, [](const run::CaseOutcome& c, const run::RunOutcome& r) {
                        std::cerr << report::TextReport::run_line(c, r) << std::endl;
                      }});
  run::Results results;
  try {
    results = runner.run(cases);
  } catch (const std::exception& e) {
    std::cerr << "deadpeer run: " << e.what() << "\n";
    return kCannotRun;
  }
  std::filesystem::create_directories(out_dir);
  const auto json_path = std::filesystem::path(out_dir) / "results.json";
  std::ofstream(json_path) << run::to_json(results).dump(2) << "\n";
  std::cout << report::TextReport::render(results) << "\nresults: " << json_path.string() << "\n";
  if (results.interrupted) return 128 + sys::Interrupt::signal_number();
  for (const auto& c : results.cases)
    for (const auto& r : c.runs)
      if (r.error) return 1;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sys::Interrupt::install();
  CLI::App app{"deadpeer — measures how fast SSH notices a dead peer, with real sshd/ssh in network namespaces"};
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->check(
      CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  auto* doctor_cmd = app.add_subcommand("doctor", "probe privileges and kernel features; exit 0 when a case can run");
  auto* cleanup_cmd = app.add_subcommand("cleanup", "remove namespaces, processes and files left by killed runs");
  auto* run_cmd = app.add_subcommand("run", "run scenario files (default: the shipped suite) and write results.json");
  std::vector<std::string> files;
  std::string out_dir = "out";
  int jobs = 0;
  run_cmd->add_option("files", files, "scenario files (TOML)");
  run_cmd->add_option("--out", out_dir, "directory for results.json")->capture_default_str();
  run_cmd->add_option("-j,--jobs", jobs, "runs at once (default: 2 per CPU)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kBadInput;
  }
  sys::set_log_level(spdlog::level::from_str(log_level));
  try {
    if (*doctor_cmd) return doctor();
    if (*cleanup_cmd) return cleanup();
    if (*run_cmd) return run_verb(files, out_dir, jobs);
  } catch (const std::exception& e) {
    std::cerr << "deadpeer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
