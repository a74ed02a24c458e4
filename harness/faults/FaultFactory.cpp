#include "faults/FaultFactory.hpp"

#include <algorithm>

#include "faults/Blackhole.hpp"
#include "lab/Lab.hpp"
#include "scenario/DidYouMean.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

namespace {

lab::Lab& lab_of(FaultTargets* t) { return t->lab; }

}  // namespace

const std::vector<FaultKind>& FaultFactory::kinds() {
  static const std::vector<FaultKind> table = {
      {"blackhole", "the router drops everything it forwards, both ways",
       [](FaultParams&, FaultTargets* t) -> std::unique_ptr<Fault> {
         if (!t) return nullptr;
         return std::make_unique<Blackhole>(lab_of(t).router().ns(), "blackhole", Direction::both);
       }},
      {"drop", "the router drops everything it forwards in one direction (or both)",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const Direction d = read_direction(p);
         if (!t) return nullptr;
         return std::make_unique<Blackhole>(lab_of(t).router().ns(), "drop", d);
       }},
  };
  return table;
}

std::vector<std::string> FaultFactory::kind_names() {
  std::vector<std::string> out;
  for (const auto& k : kinds()) out.push_back(k.name);
  return out;
}

std::optional<Flap> read_flap(FaultParams& p) {
  if (!p.has("flap.up") && !p.has("flap.down") && !p.has("flap.count")) return std::nullopt;
  Flap f;
  f.up = p.duration("flap.up", 1s, 100ms, 1h);
  f.down = p.duration("flap.down", 1s, 100ms, 1h);
  f.count = p.integer("flap.count", 3, 1, 1000);
  return f;
}

std::vector<scenario::Diagnostic> FaultFactory::validate(const scenario::FaultSpec& spec) {
  const auto& table = kinds();
  auto it = std::find_if(table.begin(), table.end(), [&](const FaultKind& k) { return k.name == spec.kind; });
  if (it == table.end())
    return {{spec.loc, "unknown fault kind '" + spec.kind + "'", scenario::did_you_mean(spec.kind, kind_names())}};
  FaultParams p(spec);
  const auto flap = read_flap(p);
  it->make(p, nullptr);
  auto diags = p.finish();
  if (flap && spec.duration)
    diags.push_back({spec.loc, "fault '" + spec.kind + "' has both duration and flap",
                     "flap already says how long each outage lasts (down) — remove one of them"});
  return diags;
}

std::unique_ptr<Fault> FaultFactory::arm(const scenario::FaultSpec& spec, FaultTargets& targets) {
  const auto& table = kinds();
  auto it = std::find_if(table.begin(), table.end(), [&](const FaultKind& k) { return k.name == spec.kind; });
  if (it == table.end()) throw sys::Error("arm fault " + spec.kind + ": unknown kind");
  FaultParams p(spec);
  read_flap(p);
  auto fault = it->make(p, &targets);
  const auto diags = p.finish();
  if (!diags.empty()) throw sys::Error("arm fault " + spec.kind + ": " + diags.front().str());
  return fault;
}

}  // namespace deadpeer::faults
