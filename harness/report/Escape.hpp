#pragma once
// Escaping of user strings for each report format. Everything a scenario or a daemon wrote
// (names, settings, log lines, error texts) passes through one of these before it reaches a
// report, so a log line such as `<script>` or `| **x** @team` stays text.
#include <string>
#include <string_view>

namespace deadpeer::report {

// Invalid UTF-8 sequences become U+FFFD: log lines are bytes, reports are UTF-8 documents (and
// nlohmann::json refuses to dump invalid UTF-8).
std::string valid_utf8(std::string_view s);

// & < > " ' as entities; for element text and attribute values alike.
std::string html_escape(std::string_view s);

// As html_escape, and the control characters XML 1.0 forbids (all below 0x20 but tab, LF, CR)
// become U+FFFD, so a stray byte in a log line never makes the JUnit file unreadable.
std::string xml_escape(std::string_view s);

// Text inside a GitHub-flavoured Markdown paragraph or table cell: inline markup characters are
// backslash-escaped, `|` cannot end the cell, line breaks become spaces, and `@`/`#` are written
// as entities so a log line never mentions a user or links an issue in a PR comment.
std::string markdown_escape(std::string_view s);

// JSON text to embed in an HTML <script> element: `<`, `>` and `&` become \u escapes (legal
// only inside JSON strings, which is the only place they can occur), so no `</script>` or `<!--`
// in the data can end the element.
std::string json_for_script(std::string_view json_text);

}  // namespace deadpeer::report
