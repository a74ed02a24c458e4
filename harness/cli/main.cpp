// deadpeer: how fast does SSH notice a dead peer? Verbs: doctor, cleanup, run, predict, report,
// compare, merge, bench.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/BenchCommand.hpp"
#include "cli/CompareCommand.hpp"
#include "cli/MergeCommand.hpp"
#include "cli/PredictCommand.hpp"
#include "cli/RecommendCommand.hpp"
#include "cli/ReportCommand.hpp"
#include "cli/RunCommand.hpp"
#include "lab/Capabilities.hpp"
#include "proc/Cgroup.hpp"
#include "run/Cleanup.hpp"
#include "sys/Interrupt.hpp"
#include "sys/Log.hpp"

namespace {

using namespace deadpeer;

using cli::kBadInput;
using cli::kCannotRun;

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
  // Dropbear is optional: only scenarios with implementation.* = "dropbear" need it.
  for (const auto& [name, path] : {std::pair{"dropbear", "/usr/sbin/dropbear"}, std::pair{"dbclient", "/usr/bin/dbclient"},
                                   std::pair{"dropbearconvert", "/usr/bin/dropbearconvert"}}) {
    const bool ok = ::access(path, X_OK) == 0;
    checks.push_back({name, ok, false, ok ? path : std::string(path) + " not installed: apt-get install dropbear-bin"});
  }
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
  // Every other verb lives in its own file (cli/<Verb>Command.cpp).
  const std::vector<cli::Command> verbs = {cli::add_run_command(app),    cli::add_predict_command(app),
                                           cli::add_report_command(app), cli::add_compare_command(app),
                                           cli::add_merge_command(app),  cli::add_bench_command(app),
                                           cli::add_recommend_command(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kBadInput;
  }
  sys::set_log_level(spdlog::level::from_str(log_level));
  try {
    if (*doctor_cmd) return doctor();
    if (*cleanup_cmd) return cleanup();
    for (const auto& v : verbs)
      if (*v.app) return v.run();
  } catch (const std::exception& e) {
    std::cerr << "deadpeer: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
