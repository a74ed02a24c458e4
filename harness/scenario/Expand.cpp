#include "scenario/Expand.hpp"

#include "scenario/AxisTarget.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::scenario {

std::vector<Case> expand(const Scenario& scenario) {
  Diagnostics diagnostics;
  std::vector<AxisTarget> targets;
  std::size_t total = 1;
  for (const MatrixAxis& axis : scenario.matrix) {
    if (axis.values.empty()) {
      diagnostics.push_back({axis.loc, "matrix key '" + axis.key + "' has no values", "give at least one value"});
      continue;
    }
    if (auto t = AxisTarget::parse(axis.key, scenario, axis.loc, diagnostics)) targets.push_back(*t);
    total *= axis.values.size();
    if (total > kMaxCases) {
      diagnostics.push_back({axis.loc, "[matrix] yields more than " + std::to_string(kMaxCases) + " cases",
                             "use fewer axes or fewer values"});
      break;
    }
  }
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));

  Scenario base = scenario;
  base.matrix.clear();
  std::vector<Case> cases;
  cases.reserve(total);
  std::vector<std::size_t> digit(scenario.matrix.size(), 0);  // the odometer
  for (std::size_t n = 0; n < total; ++n) {
    Case c{scenario.name + "/" + std::to_string(n), base, {}};
    for (std::size_t a = 0; a < targets.size(); ++a) {
      const MatrixAxis& axis = scenario.matrix[a];
      const Value& value = axis.values[digit[a]];
      const SourceLoc& loc = digit[a] < axis.value_locs.size() ? axis.value_locs[digit[a]] : axis.loc;
      targets[a].apply(c.scenario, value, loc, diagnostics);
      c.axes[axis.key] = value;
    }
    if (!diagnostics.empty()) {
      sort_by_location(diagnostics);
      throw ScenarioError(std::move(diagnostics));
    }
    cases.push_back(std::move(c));
    for (std::size_t a = digit.size(); a-- > 0;) {
      if (++digit[a] < scenario.matrix[a].values.size()) break;
      digit[a] = 0;
    }
  }
  return cases;
}

}  // namespace deadpeer::scenario
