#include "run/FaultSchedule.hpp"

#include <algorithm>

#include "faults/FaultFactory.hpp"
#include "faults/FaultParams.hpp"
#include "scenario/Duration.hpp"
#include "observe/Observer.hpp"
#include "sys/Log.hpp"

namespace deadpeer::run {

FaultSchedule::FaultSchedule(const std::vector<scenario::FaultSpec>& specs,
                             std::vector<std::unique_ptr<faults::Fault>> armed, observe::Observer& observer)
    : specs_(specs), faults_(std::move(armed)), observer_(observer), applied_(faults_.size()), removed_(faults_.size()) {}

FaultSchedule::~FaultSchedule() { remove_all(); }

void FaultSchedule::start(sys::TimePoint steady) {
  steps_.clear();
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const auto& spec = specs_[i];
    const sys::TimePoint at = steady + spec.at;
    faults::FaultParams params(spec);
    if (auto flap = faults::read_flap(params)) {
      for (long k = 0; k < flap->count; ++k) {
        const sys::TimePoint down_at = at + k * (flap->down + flap->up);
        steps_.push_back({down_at, i, true});
        steps_.push_back({down_at + flap->down, i, false});
      }
      continue;
    }
    steps_.push_back({at, i, true});
    if (auto d = spec.duration ? std::optional(*spec.duration) : faults_[i]->natural_duration())
      steps_.push_back({at + *d, i, false});
  }
  // A removal and an application due at the same instant: remove first, so flaps never overlap.
  std::stable_sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
    return a.at != b.at ? a.at < b.at : (!a.apply && b.apply);
  });
  next_ = 0;
}

std::optional<sys::TimePoint> FaultSchedule::next_step() const {
  if (next_ >= steps_.size()) return std::nullopt;
  return steps_[next_].at;
}

void FaultSchedule::run_due() {
  while (next_ < steps_.size() && steps_[next_].at <= sys::Clock::now()) {
    const Step& s = steps_[next_++];
    auto& f = *faults_[s.fault];
    const std::string what = f.kind() + " #" + std::to_string(s.fault);
    if (s.apply) {
      if (f.active()) continue;
      const auto t = f.apply();
      if (!t0_) t0_ = t;
      applied_[s.fault].push_back(t);
      observer_.mark("fault", what + " applied", t);
    } else {
      if (!f.active()) continue;
      const auto t = f.remove();
      removed_[s.fault].push_back(t);
      observer_.mark("fault", what + " removed", t);
    }
  }
}

void FaultSchedule::remove_all() noexcept {
  for (auto it = faults_.rbegin(); it != faults_.rend(); ++it) {
    auto& f = **it;
    if (!f.active()) continue;
    try {
      removed_[static_cast<std::size_t>(faults_.rend() - it - 1)].push_back(f.remove());
    } catch (const std::exception& e) {
      sys::log("faults").error("remove {}: {}", f.kind(), e.what());
    }
  }
}

std::optional<sys::TimePoint> FaultSchedule::all_removed_at() const {
  std::optional<sys::TimePoint> last;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    if (applied_[i].empty()) continue;
    if (faults_[i]->active() || removed_[i].empty()) return std::nullopt;
    last = std::max(last.value_or(removed_[i].back()), removed_[i].back());
  }
  return last;
}

std::vector<FaultRecord> FaultSchedule::records(sys::TimePoint t0) {
  std::vector<FaultRecord> out;
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    FaultRecord r;
    r.kind = faults_[i]->kind();
    r.backend = faults_[i]->backend();
    for (const auto& [k, v] : specs_[i].params) r.params[k] = v.value;
    r.params["at"] = scenario::format_duration(specs_[i].at);
    if (specs_[i].duration) r.params["duration"] = scenario::format_duration(*specs_[i].duration);
    for (auto t : applied_[i]) r.applied_s.push_back(sys::seconds_between(t0, t));
    for (auto t : removed_[i]) r.removed_s.push_back(sys::seconds_between(t0, t));
    try {
      r.counters = faults_[i]->counters();
    } catch (const std::exception& e) {
      sys::log("faults").warn("counters of {}: {}", r.kind, e.what());
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace deadpeer::run
