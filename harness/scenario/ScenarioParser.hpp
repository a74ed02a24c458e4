#pragma once
// Reads a scenario file (TOML, format in docs/scenario-format.md) into a validated Scenario.
// Everything the file says is checked here except ssh/sshd option names and values (the real
// binaries judge those, see proc/OptionChecker.hpp) and fault parameters (each fault kind's factory).
#include <filesystem>
#include <string>
#include <string_view>

#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::scenario {

// Throws ScenarioError listing every problem found (with file:line:column), also when the
// file cannot be read.
Scenario parse_file(const std::filesystem::path& path);

// `file_name` is used in SourceLocs and messages only.
Scenario parse_string(std::string_view toml, std::string file_name);

}  // namespace deadpeer::scenario
