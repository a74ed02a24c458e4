#include "scenario/TomlPrecheck.hpp"

namespace deadpeer::scenario {

std::optional<TextPosition> first_bare_non_ascii(std::string_view s) {
  enum class In { bare, comment, basic, literal, ml_basic, ml_literal } in = In::bare;
  int line = 1, column = 0;
  const auto starts = [&](std::size_t i, std::string_view what) { return s.substr(i, what.size()) == what; };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      ++line;
      column = 0;
      // A comment, and a single-line string left open (toml++ reports that), end with the line.
      if (in == In::comment || in == In::basic || in == In::literal) in = In::bare;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++column;  // continuation bytes belong to the previous character
    switch (in) {
      case In::bare:
        if (c >= 0x80) return TextPosition{line, column};
        if (c == '#') {
          in = In::comment;
        } else if (starts(i, "\"\"\"")) {
          in = In::ml_basic;
          i += 2, column += 2;
        } else if (starts(i, "'''")) {
          in = In::ml_literal;
          i += 2, column += 2;
        } else if (c == '"') {
          in = In::basic;
        } else if (c == '\'') {
          in = In::literal;
        }
        break;
      case In::comment:
        break;
      case In::basic:
      case In::ml_basic:
        if (c == '\\' && i + 1 < s.size() && s[i + 1] != '\n') {
          ++i, ++column;  // an escaped character (\" or \\) cannot end the string
        } else if (in == In::basic && c == '"') {
          in = In::bare;
        } else if (in == In::ml_basic && starts(i, "\"\"\"")) {
          in = In::bare;
          i += 2, column += 2;
        }
        break;
      case In::literal:
        if (c == '\'') in = In::bare;
        break;
      case In::ml_literal:
        if (starts(i, "'''")) {
          in = In::bare;
          i += 2, column += 2;
        }
        break;
    }
  }
  return std::nullopt;
}

}  // namespace deadpeer::scenario
