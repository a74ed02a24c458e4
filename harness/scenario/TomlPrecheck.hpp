#pragma once
// A byte-level look at a scenario before toml++ parses it. toml++ 3.3.0 (Debian 12) reaches
// __builtin_unreachable — undefined behaviour — on a non-ASCII character in a bare key or value
// (found by tests/fuzz; docs/robustness.md). TOML allows non-ASCII only inside strings and
// comments, so such a document is invalid anyway: it is refused here, with its position,
// before toml++ sees it.
#include <optional>
#include <string_view>

namespace deadpeer::scenario {

struct TextPosition {
  int line = 0, column = 0;  // 1-based; the column counts characters (UTF-8 sequences), like toml++
};

// The first non-ASCII character outside strings and comments, if any.
std::optional<TextPosition> first_bare_non_ascii(std::string_view toml_text);

}  // namespace deadpeer::scenario
