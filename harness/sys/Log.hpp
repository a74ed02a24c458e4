#pragma once
// One spdlog logger per module ("lab", "proc", "faults"...). Creation and destruction of every
// kernel object is logged at debug with its namespace and name.
#include <spdlog/spdlog.h>

#include <string>

namespace deadpeer::sys {

spdlog::logger& log(const std::string& module);
// Sets the level of every module logger, present and future ("info", "debug", ...).
void set_log_level(spdlog::level::level_enum level);

}  // namespace deadpeer::sys
