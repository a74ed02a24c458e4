#pragma once
// Errors in what the user wrote. They carry every problem found in a file at once, each with
// the place it came from, because fixing a scenario one error per run is tedious.
// The CLI maps ScenarioError to exit code 2.
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/Scenario.hpp"

namespace deadpeer::scenario {

struct Diagnostic {
  SourceLoc loc;
  std::string message;  // what is wrong, naming the key and the value
  std::string hint;     // how to fix it ("did you mean 'horizon'?"); may be empty

  // "file:line:col: error: message (hint)", the form editors and CI logs understand.
  std::string str() const;
};

// Orders by file, then line, then column: toml++ hands tables back sorted by key, so checks
// run in key order; sorting restores the order the user reads the file in.
void sort_by_location(std::vector<Diagnostic>& diagnostics);

class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace deadpeer::scenario
