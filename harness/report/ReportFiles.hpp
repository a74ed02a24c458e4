#pragma once
// Which report files to write, and the one function that writes them: used by
// `deadpeer report RESULTS.json --html F …` and by `deadpeer run --html F …` alike.
#include <filesystem>
#include <optional>

#include "run/Expectations.hpp"
#include "run/Results.hpp"

namespace deadpeer::report {

struct ReportFiles {
  std::optional<std::filesystem::path> html, markdown, junit;  // "-": standard output
  bool empty() const { return !html && !markdown && !junit; }
};

// Renders every requested format first (so a missing Chart.js fails before anything is
// written), then writes each to a temporary sibling and renames it into place, so a failure
// never leaves half a report behind. Throws ReportError naming the file.
void write_reports(const run::Results& results, const run::ExpectationsById& expect, const ReportFiles& files);

}  // namespace deadpeer::report
