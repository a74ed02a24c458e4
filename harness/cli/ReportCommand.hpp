#pragma once
// `deadpeer report RESULTS.json [--html F] [--markdown F] [--junit F] [--check]`: renders the
// reports of a results.json written earlier (docs/reports.md). Without a format flag it prints
// the text table. Exit 0; 1 a report could not be written, or with --check a run failed to
// measure or an expectation was violated; 2 RESULTS.json is missing or not a results file;
// 3 the HTML report needs Chart.js (Debian package libjs-chart.js) and it is not installed.
#include <CLI/CLI.hpp>

#include "cli/Command.hpp"
#include "report/ReportError.hpp"

namespace deadpeer::cli {

Command add_report_command(CLI::App& app);

// The exit code for a report that could not be made, shared with `run --html …`.
int exit_code_of(const report::ReportError& e);

}  // namespace deadpeer::cli
