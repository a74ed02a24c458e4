// libFuzzer target: a scenario file through everything `deadpeer run` does with it before it
// asks the real ssh/sshd about options or needs root — toml++ and the scenario parser, fault
// kinds and parameters (FaultFactory::validate), options the harness reserves, [matrix]
// expansion, and the timing model's prediction for the cases. Any crash, sanitizer report or
// exception other than ScenarioError escaping is a bug: bad input must become a Diagnostic.
//
// Build and run: ci/fuzz.sh (CMake preset "fuzz", clang). docs/robustness.md has the details.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "faults/FaultFactory.hpp"
#include "model/FromScenario.hpp"
#include "model/Model.hpp"
#include "proc/ReservedOptions.hpp"
#include "scenario/Expand.hpp"
#include "scenario/ScenarioError.hpp"
#include "scenario/ScenarioParser.hpp"

namespace {

using namespace deadpeer;

// Every diagnostic must point into the file it is about and say something.
void check(const std::vector<scenario::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.message.empty() || d.loc.file != "fuzz.toml" || d.loc.line < 0 || d.loc.column < 0) std::abort();
    (void)d.str();
  }
}

// Cases expanded from one input are capped: a [matrix] may legally yield 10 000 of them, and
// predicting each would make the fuzzer slow without reaching new code.
constexpr std::size_t kPredictedCases = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;  // scenario files are small; huge inputs only slow the search
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  scenario::Scenario sc;
  try {
    sc = scenario::parse_string(text, "fuzz.toml");
  } catch (const scenario::ScenarioError& e) {
    check(e.diagnostics());
    if (e.diagnostics().empty()) std::abort();  // an error must say what is wrong
    return 0;
  }
  for (const auto& f : sc.faults) check(faults::FaultFactory::validate(f));
  check(proc::reserved_option_diagnostics(proc::OptionSide::client, sc.client));
  check(proc::reserved_option_diagnostics(proc::OptionSide::server, sc.server));
  std::vector<scenario::Case> cases;
  try {
    cases = scenario::expand(sc);
  } catch (const scenario::ScenarioError& e) {
    check(e.diagnostics());
    return 0;
  }
  for (std::size_t i = 0; i < cases.size() && i < kPredictedCases; ++i) {
    (void)cases[i].settings();
    for (const auto v : {model::Version{9, 2}, model::Version{9, 6}})
      (void)model::predict(model::inputs_from(cases[i].scenario, v, v));
  }
  return 0;
}
