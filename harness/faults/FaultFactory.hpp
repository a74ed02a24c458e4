#pragma once
// From a scenario's [[fault]] table to a Fault in the lab, and the validation of its
// parameters before any namespace exists.
#include <memory>
#include <vector>

#include "faults/Fault.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class FaultFactory {
 public:
  static std::vector<std::string> kinds();
  // Problems with kind or parameters, each at its file:line:column.
  static std::vector<scenario::Diagnostic> validate(const scenario::FaultSpec& spec);
  // Applies the fault now.
  static std::unique_ptr<Fault> apply(const scenario::FaultSpec& spec, lab::Lab& lab);
};

}  // namespace deadpeer::faults
