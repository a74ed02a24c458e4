#include "cli/Validation.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "faults/FaultFactory.hpp"
#include "proc/DropbearOptions.hpp"
#include "proc/OptionChecker.hpp"
#include "proc/ReservedOptions.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioError.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::cli {
namespace {

std::string key_of(const std::vector<scenario::Setting>& options) {
  std::string k;
  for (const auto& o : options) k += o.key + "=" + scenario::render(o.value) + "\n";
  return k;
}

}  // namespace

std::vector<std::filesystem::path> default_suite() {
  const char* env = std::getenv("DEADPEER_SCENARIOS");
  std::filesystem::path dir = env && *env ? env : std::string(DEADPEER_SOURCE_DIR) + "/scenarios";
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<scenario::Case> load_cases(const std::vector<std::filesystem::path>& files) {
  std::vector<scenario::Diagnostic> problems;
  std::vector<scenario::Case> cases;
  for (const auto& file : files) {
    scenario::Scenario sc;
    try {
      sc = scenario::parse_file(file);
    } catch (const scenario::ScenarioError& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
      continue;
    }
    auto add = [&](std::vector<scenario::Diagnostic> d) { problems.insert(problems.end(), d.begin(), d.end()); };
    if (sc.faults.empty())
      problems.push_back({sc.loc, "scenario '" + sc.name + "' has no [[fault]]", "add a [[fault]] table, e.g. kind = \"blackhole\""});
    for (const auto& f : sc.faults) add(faults::FaultFactory::validate(f));
    try {
      auto expanded = scenario::expand(sc);
      // Each side's options are judged by the implementation that will run them: OpenSSH's
      // by the real binaries (once per distinct option set: matrix cases share most of them),
      // Dropbear's by their mapping to its flags.
      std::set<std::string> seen_client, seen_server, seen_db_client, seen_db_server;
      for (const auto& c : expanded) {
        const auto& s = c.scenario;
        if (s.client_impl == scenario::Implementation::dropbear) {
          if (seen_db_client.insert(key_of(s.client)).second)
            add(proc::DropbearOptions::check(proc::OptionSide::client, s.client));
        } else if (seen_client.insert(key_of(s.client)).second) {
          add(proc::reserved_option_diagnostics(proc::OptionSide::client, s.client));
          add(proc::check_client_options(s.client));
        }
        if (s.server_impl == scenario::Implementation::dropbear) {
          if (seen_db_server.insert(key_of(s.server)).second)
            add(proc::DropbearOptions::check(proc::OptionSide::server, s.server));
        } else if (seen_server.insert(key_of(s.server)).second) {
          add(proc::reserved_option_diagnostics(proc::OptionSide::server, s.server));
          add(proc::check_server_options(s.server));
        }
        if (s.client_impl == scenario::Implementation::dropbear && s.trace)
          problems.push_back({s.trace_loc, "case " + c.id + ": trace = true needs the OpenSSH client (its DEBUG3 log)",
                              "use implementation.client = \"openssh\" or drop trace"});
        if (s.client_impl == scenario::Implementation::dropbear && s.traffic.pattern == scenario::Pattern::forward)
          problems.push_back({s.traffic.loc, "case " + c.id + ": traffic pattern 'forward' needs the OpenSSH client",
                              "use implementation.client = \"openssh\" or another pattern"});
      }
      cases.insert(cases.end(), expanded.begin(), expanded.end());
    } catch (const scenario::ScenarioError& e) {
      add(e.diagnostics());
    }
  }
  if (!problems.empty()) {
    // The same bad option repeated across matrix cases is reported once.
    scenario::sort_by_location(problems);
    problems.erase(std::unique(problems.begin(), problems.end(),
                               [](const auto& a, const auto& b) { return a.str() == b.str(); }),
                   problems.end());
    throw scenario::ScenarioError(std::move(problems));
  }
  return cases;
}

}  // namespace deadpeer::cli
