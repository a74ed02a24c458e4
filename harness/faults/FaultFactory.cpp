#include "faults/FaultFactory.hpp"

#include "faults/Blackhole.hpp"
#include "lab/Lab.hpp"
#include "scenario/DidYouMean.hpp"

#include <algorithm>
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

std::vector<std::string> FaultFactory::kinds() { return {"blackhole"}; }

std::vector<scenario::Diagnostic> FaultFactory::validate(const scenario::FaultSpec& spec) {
  std::vector<scenario::Diagnostic> out;
  const auto known = kinds();
  if (std::find(known.begin(), known.end(), spec.kind) == known.end()) {
    out.push_back({spec.loc, "unknown fault kind '" + spec.kind + "'", scenario::did_you_mean(spec.kind, known)});
    return out;
  }
  // blackhole takes no parameters beyond at/duration.
  for (const auto& [name, setting] : spec.params)
    out.push_back({setting.loc, "fault 'blackhole' has no parameter '" + name + "'", "blackhole takes only at and duration"});
  return out;
}

std::unique_ptr<Fault> FaultFactory::apply(const scenario::FaultSpec& spec, lab::Lab& lab) {
  if (spec.kind == "blackhole") return std::make_unique<Blackhole>(lab.router().ns());
  throw sys::Error("apply fault " + spec.kind + ": unknown kind");
}

}  // namespace deadpeer::faults
