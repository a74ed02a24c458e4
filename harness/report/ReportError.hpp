#pragma once
// A report could not be made. `kind` lets the CLI choose the exit code: the input was bad (2),
// something this machine lacks, such as the Chart.js package (3), or writing the file failed (1).
#include <stdexcept>
#include <string>

namespace deadpeer::report {

class ReportError : public std::runtime_error {
 public:
  enum class Kind { bad_input, missing_dependency, io };
  ReportError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace deadpeer::report
