#pragma once
// Everything that can be wrong with the user's input, found before any namespace exists:
// the file's syntax and values (parser), fault kinds and parameters (fault factory), options
// the harness owns, and ssh/sshd options as judged by the real binaries.
#include <filesystem>
#include <vector>

#include "scenario/Scenario.hpp"

namespace deadpeer::cli {

// Parses, validates and expands every file; throws scenario::ScenarioError listing all
// problems of all files.
std::vector<scenario::Case> load_cases(const std::vector<std::filesystem::path>& files);
// The shipped default suite: scenarios/*.toml ($DEADPEER_SCENARIOS or the source tree).
std::vector<std::filesystem::path> default_suite();

}  // namespace deadpeer::cli
