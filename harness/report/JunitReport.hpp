#pragma once
// JUnit XML (the dialect GitHub/GitLab test reporters and Jenkins read): one <testsuite> per
// scenario, one <testcase> per case and one per expectation of that case.
//
// What fails (docs/reports.md):
//   - a run that could not measure → <error> on the case's testcase (the harness, not SSH, failed);
//   - a violated [expect] → <failure> on that expectation's testcase;
//   - an expectation with no measured run to judge → <skipped>.
// What does not: a measurement outside the model's window is a property of the case
// (client.model="2/3 inside") and a line in <system-out>, because the model is a prediction,
// not a contract; a scenario that wants it enforced says `[expect] agrees_with_model = true`.
#include <string>

#include "report/Summary.hpp"

namespace deadpeer::report {

class JunitReport {
 public:
  static std::string render(const Summary& summary);
};

}  // namespace deadpeer::report
