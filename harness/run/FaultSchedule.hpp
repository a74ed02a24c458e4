#pragma once
// The faults of one run on a timeline. Each [[fault]] is applied `at` after steady state and,
// when it is transient, removed again: after `duration`, after its own natural duration (a
// reboot's `down`), or `count` times for `down` with `up` between (flap). Faults may overlap.
// t0 of the run is the instant the first fault took effect.
#include <memory>
#include <optional>
#include <vector>

#include "faults/Fault.hpp"
#include "run/Results.hpp"
#include "scenario/Scenario.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::observe {
class Observer;
}

namespace deadpeer::run {

class FaultSchedule {
 public:
  // `armed[i]` belongs to `specs[i]`.
  FaultSchedule(const std::vector<scenario::FaultSpec>& specs, std::vector<std::unique_ptr<faults::Fault>> armed,
                observe::Observer& observer);
  ~FaultSchedule();

  // Plans every step relative to `steady` (the session's steady state).
  void start(sys::TimePoint steady);
  // The next planned step, nullopt when all are done.
  std::optional<sys::TimePoint> next_step() const;
  // Performs every step that is due now. Throws what a fault throws.
  void run_due();
  // Removes every applied fault (end of the run), logging instead of throwing.
  void remove_all() noexcept;

  std::optional<sys::TimePoint> t0() const { return t0_; }
  // When the last transient fault was taken back (nullopt if a fault is still on, or never was).
  std::optional<sys::TimePoint> all_removed_at() const;
  // What each fault did, times relative to t0.
  std::vector<FaultRecord> records(sys::TimePoint t0);

 private:
  struct Step {
    sys::TimePoint at;
    std::size_t fault;
    bool apply;
  };
  const std::vector<scenario::FaultSpec>& specs_;
  std::vector<std::unique_ptr<faults::Fault>> faults_;
  observe::Observer& observer_;
  std::vector<Step> steps_;  // sorted by time, then remove before apply
  std::size_t next_ = 0;
  std::optional<sys::TimePoint> t0_;
  std::vector<std::vector<sys::TimePoint>> applied_, removed_;
};

}  // namespace deadpeer::run
