#pragma once
// `run --filter` and `run --list`: which expanded cases to run, and how to show them.
//
// A filter is either `key=value` — the case's flat setting (see Case::settings(), e.g.
// `client.ServerAliveInterval=5`, `fault.0.kind=reject`) rendered as in ssh_config equals
// value — or any other text, a regular expression searched in the case id
// ("blackhole/", "^firewall"). Several filters must all match.
#include <string>
#include <vector>

#include "scenario/Scenario.hpp"

namespace deadpeer::cli {

// Throws std::invalid_argument for a filter that is not a valid regular expression.
std::vector<scenario::Case> select_cases(std::vector<scenario::Case> cases, const std::vector<std::string>& filters);
// One line per case: its id and the values of its matrix axes.
std::string list_cases(const std::vector<scenario::Case>& cases);

}  // namespace deadpeer::cli
