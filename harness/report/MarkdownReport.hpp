#pragma once
// A compact GitHub-flavoured Markdown summary, fit for $GITHUB_STEP_SUMMARY or a PR comment:
// a headline verdict, then per fault kind one table of cases × (client, server) with median,
// p95, cause and the model's window, flags for disagreements, violated expectations and runs
// that failed, then the messages behind those flags. Every user string is escaped.
#include <string>

#include "report/Summary.hpp"

namespace deadpeer::report {

class MarkdownReport {
 public:
  static std::string render(const Summary& summary);
};

}  // namespace deadpeer::report
