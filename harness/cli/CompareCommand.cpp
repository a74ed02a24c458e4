#include "cli/CompareCommand.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/ReportCommand.hpp"
#include "report/Comparison.hpp"
#include "report/ResultsFile.hpp"

namespace deadpeer::cli {
namespace {

struct CompareArgs {
  std::string old_file, new_file, markdown;
};

int run_compare(const CompareArgs& args) {
  report::LoadedResults old_results, new_results;
  try {
    old_results = report::ResultsFile::load(args.old_file);
    new_results = report::ResultsFile::load(args.new_file);
  } catch (const report::ReportError& e) {
    std::cerr << "deadpeer compare: " << e.what() << "\n";
    return exit_code_of(e);
  }
  const auto comparison = report::Comparison::of(old_results.results, new_results.results);
  std::cout << comparison.text(args.old_file, args.new_file);
  if (args.markdown.empty()) return kOk;
  const std::string md = comparison.markdown(args.old_file, args.new_file);
  if (args.markdown == "-") {
    std::cout << "\n" << md;
    return kOk;
  }
  std::ofstream out(args.markdown, std::ios::trunc);
  out << md;
  out.flush();
  if (!out) {
    std::cerr << "deadpeer compare: cannot write the Markdown comparison to " << args.markdown << "\n";
    return kFailed;
  }
  return kOk;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "compare two results.json files case by case, with significance");
  cmd->add_option("old", args->old_file, "the earlier results.json")->required();
  cmd->add_option("new", args->new_file, "the later results.json")->required();
  cmd->add_option("--markdown", args->markdown, "also write the comparison as Markdown to this file (- for stdout)");
  return {cmd, [args] { return run_compare(*args); }};
}

}  // namespace deadpeer::cli
