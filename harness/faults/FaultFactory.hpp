#pragma once
// From a scenario's [[fault]] table to a Fault in the lab, and the validation of its
// parameters before any namespace exists. Each kind registers a reader (which checks its
// parameters through FaultParams) and a maker; both use the same reader, so validation and
// application cannot disagree.
#include <functional>
#include <memory>
#include <vector>

#include "faults/Fault.hpp"
#include "faults/FaultParams.hpp"
#include "faults/FaultTargets.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::faults {

struct FaultKind {
  std::string name;
  std::string summary;  // one line for `deadpeer faults` and error hints
  // Reads (and thereby checks) every parameter; a null result is fine during validation.
  std::function<std::unique_ptr<Fault>(FaultParams&, FaultTargets*)> make;
};

class FaultFactory {
 public:
  static const std::vector<FaultKind>& kinds();
  static std::vector<std::string> kind_names();
  // Problems with kind, at/duration/flap or parameters, each at its file:line:column.
  static std::vector<scenario::Diagnostic> validate(const scenario::FaultSpec& spec);
  // Arms the fault (see Fault.hpp); apply() makes it act. Throws sys::Error on bad parameters
  // (validation should have caught them) or on a kernel error.
  static std::unique_ptr<Fault> arm(const scenario::FaultSpec& spec, FaultTargets& targets);
};

// flap = { up, down, count }: the fault is applied `count` times for `down`, with `up` between.
struct Flap {
  scenario::Duration up{0};
  scenario::Duration down{0};
  long count = 0;
};
std::optional<Flap> read_flap(FaultParams& p);

}  // namespace deadpeer::faults
