#pragma once
// Suggestions for misspelt names: "horizn" → "did you mean 'horizon'?".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadpeer::scenario {

// Optimal-string-alignment (restricted Damerau-Levenshtein) distance, compared case-insensitively
// because ssh keywords and most typos differ only in case ("serveraliveinterval").
int edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` within distance 2 (or equal ignoring case); ties go to the
// earlier candidate so the answer is stable.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// "did you mean 'x'?" when something is close, else "expected one of: a, b, c" (when the list
// is short enough to read), else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace deadpeer::scenario
