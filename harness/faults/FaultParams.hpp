#pragma once
// Typed access to one [[fault]]'s parameters, shared by validation and application.
//
// Validation (before any namespace exists) and application read the parameters through the
// same object, so they can never disagree about a name, a default or a range. Each getter
// records a Diagnostic at the parameter's file:line:column when the value is wrong and returns
// the default instead; `finish()` adds one for every parameter nobody asked for (a typo).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::faults {

class FaultParams {
 public:
  explicit FaultParams(const scenario::FaultSpec& spec) : spec_(spec) {}

  bool has(const std::string& name) const { return spec_.params.count(name) != 0; }
  // One of `choices` (as a string), e.g. direction = "to-server".
  std::string choice(const std::string& name, const std::vector<std::string>& choices, const std::string& dflt);
  // A duration ("50ms", "1.5s", or a number of seconds) within [min, max].
  scenario::Duration duration(const std::string& name, scenario::Duration dflt, scenario::Duration min,
                              scenario::Duration max);
  // A percentage in [0, 100]: 2, 2.5 or "2.5%".
  double percent(const std::string& name, double dflt);
  bool flag(const std::string& name, bool dflt);
  long integer(const std::string& name, long dflt, long min, long max);
  // A bit rate: "10mbit", "512kbit", "1gbit", "800bit" or a number of bits per second → bit/s.
  std::optional<double> rate(const std::string& name);

  // A problem with the fault as a whole (a missing knob, a contradiction), at its [[fault]].
  void error_at_fault(const std::string& message, const std::string& hint) {
    diags_.push_back({spec_.loc, "fault '" + spec_.kind + "': " + message, hint});
  }

  // Diagnostics so far plus one per parameter no getter read. `kind` names the fault in hints.
  std::vector<scenario::Diagnostic> finish();
  const std::vector<scenario::Diagnostic>& diagnostics() const { return diags_; }
  const scenario::FaultSpec& spec() const { return spec_; }

 private:
  const scenario::Setting* get(const std::string& name);
  void error(const scenario::Setting& s, const std::string& message, const std::string& hint);

  const scenario::FaultSpec& spec_;
  std::set<std::string> read_;
  std::vector<scenario::Diagnostic> diags_;
};

}  // namespace deadpeer::faults
