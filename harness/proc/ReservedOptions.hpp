#pragma once
// ssh/sshd keywords the harness owns: a scenario that sets one would break the lab (listen on
// another address, read another key) or blind the observer (LogLevel QUIET), so it is an error.
#include <string>
#include <vector>

#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::proc {

enum class OptionSide { client, server };

bool is_reserved(OptionSide side, const std::string& keyword);
std::vector<scenario::Diagnostic> reserved_option_diagnostics(OptionSide side,
                                                              const std::vector<scenario::Setting>& settings);

}  // namespace deadpeer::proc
