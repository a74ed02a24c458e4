#pragma once
// Durations as users write them in scenarios: "500ms", "2s", "1.5s", "2m", "1h", "1m30s".
#include <optional>
#include <string>
#include <string_view>

#include "scenario/Scenario.hpp"

namespace deadpeer::scenario {

// The hint every duration error carries, so the user sees the accepted forms at once.
inline constexpr std::string_view kDurationForms =
    R"(valid forms: "500ms", "2s", "1.5s", "2m", "1h", "1m30s", or an integer number of seconds)";

// Parses the string form. Components run from the largest unit to the smallest, each unit at
// most once; a fraction is allowed as long as the total is a whole number of milliseconds.
// On failure returns nullopt and, when `why` is given, says what is wrong with the text.
std::optional<Duration> parse_duration(std::string_view text, std::string* why = nullptr);

// The inverse, in the shortest form parse_duration accepts: 90000ms → "1m30s", 1500ms → "1.5s".
std::string format_duration(Duration d);

}  // namespace deadpeer::scenario
