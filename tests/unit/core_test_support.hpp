#pragma once
// Helpers shared by the core unit tests: environment overrides and line lookups in rendered text.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#ifndef DEADPEER_SOURCE_DIR
#error "core_test needs DEADPEER_SOURCE_DIR (set in tests/unit/core.cmake)"
#endif

namespace deadpeer::testing {

inline const std::string kFixtures = std::string(DEADPEER_SOURCE_DIR) + "/fixtures";

// Sets an environment variable for one test and puts the old value back.
class EnvGuard {
 public:
  EnvGuard(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~EnvGuard() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Index of the first line equal to `line` (trimmed of leading blanks), or -1.
inline long index_of(const std::vector<std::string>& lines, const std::string& line) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto first = lines[i].find_first_not_of(" \t");
    if (first != std::string::npos && lines[i].substr(first) == line) return static_cast<long>(i);
  }
  return -1;
}

}  // namespace deadpeer::testing
