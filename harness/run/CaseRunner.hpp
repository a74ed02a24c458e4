#pragma once
// One repetition of one case, start to finish:
//   lab → sysctls → sshd → ssh session up → wait `at` → fault (t0) → wait for both sides or the
//   horizon → classify → tear everything down (reverse order, also on exception or SIGINT).
#include "run/Results.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::run {

class RunSession;
class SetupGate;

class CaseRunner {
 public:
  // gate: where the setup (lab to session up) waits for a slot; nullptr: no limit.
  CaseRunner(const RunSession& session, const scenario::Case& c, SetupGate* gate = nullptr)
      : session_(session), case_(c), gate_(gate) {}
  // lab_index: unique within the session (names the namespaces). Never throws: a failure is
  // recorded in RunOutcome::error.
  RunOutcome run_once(int lab_index, int repeat);

 private:
  RunOutcome measure(int lab_index, int repeat);
  const RunSession& session_;
  const scenario::Case& case_;
  SetupGate* gate_;
};

}  // namespace deadpeer::run
