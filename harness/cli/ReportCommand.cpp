#include "cli/ReportCommand.hpp"

#include <iostream>
#include <memory>

#include "report/ReportFiles.hpp"
#include "report/ResultsFile.hpp"
#include "report/Summary.hpp"
#include "report/TextReport.hpp"

namespace deadpeer::cli {
namespace {

struct ReportArgs {
  std::string results;
  std::string html, markdown, junit;
  bool check = false;
};

std::optional<std::filesystem::path> path_or_none(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::filesystem::path>(s);
}

int run_report(const ReportArgs& args) {
  report::LoadedResults loaded;
  try {
    loaded = report::ResultsFile::load(args.results);
  } catch (const report::ReportError& e) {
    std::cerr << "deadpeer report: " << e.what() << "\n";
    return exit_code_of(e);
  }
  const report::ReportFiles files{path_or_none(args.html), path_or_none(args.markdown), path_or_none(args.junit)};
  const auto summary = report::Summary::of(loaded.results, loaded.expect);
  if (files.empty()) {
    std::cout << report::TextReport::render(loaded.results);
    for (const auto& c : summary.cases)
      for (const auto& v : c.verdicts) std::cout << "expect " << run::to_string(v.state) << ": " << v.message << "\n";
  }
  try {
    report::write_reports(loaded.results, loaded.expect, files);
  } catch (const report::ReportError& e) {
    std::cerr << "deadpeer report: " << e.what() << "\n";
    return exit_code_of(e);
  }
  if (args.check && (summary.errors || summary.violated)) {
    std::cerr << "deadpeer report: " << summary.errors << " run(s) failed to measure, " << summary.violated
              << " expectation(s) violated\n";
    return kFailed;
  }
  return kOk;
}

}  // namespace

int exit_code_of(const report::ReportError& e) {
  switch (e.kind()) {
    case report::ReportError::Kind::bad_input: return kBadInput;
    case report::ReportError::Kind::missing_dependency: return kCannotRun;
    case report::ReportError::Kind::io: return kFailed;
  }
  return kFailed;
}

Command add_report_command(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "render reports (HTML, Markdown, JUnit) from a results.json");
  cmd->add_option("results", args->results, "results.json written by deadpeer run")->required();
  cmd->add_option("--html", args->html, "write a self-contained HTML report (charts, timelines) to this file");
  cmd->add_option("--markdown", args->markdown, "write a Markdown summary (for $GITHUB_STEP_SUMMARY); - for stdout");
  cmd->add_option("--junit", args->junit, "write JUnit XML (one test per case and per expectation)");
  cmd->add_flag("--check", args->check, "exit 1 when a run failed to measure or an expectation was violated");
  return {cmd, [args] { return run_report(*args); }};
}

}  // namespace deadpeer::cli
