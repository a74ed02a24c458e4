#include "cli/MergeCommand.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "run/Merge.hpp"

namespace deadpeer::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string out;
};

// "-o all.json" names the file; anything else is a directory that gets results.json, like
// `run --out DIR`, so `deadpeer report DIR` reads a merge as it reads a run.
std::filesystem::path output_file(const std::string& out) {
  std::filesystem::path p(out);
  return p.extension() == ".json" ? p : p / "results.json";
}

int run_merge(const MergeArgs& args) {
  std::vector<run::MergeInput> inputs;
  run::Merged merged;
  try {
    for (const auto& path : args.inputs) inputs.push_back(run::read_merge_input(path));
    merged = run::merge_results(inputs);
  } catch (const run::MergeError& e) {
    std::cerr << "deadpeer merge: " << e.what() << "\n";
    return kBadInput;
  }
  for (const auto& w : merged.warnings) std::cerr << "deadpeer merge: warning: " << w << "\n";
  const auto path = output_file(args.out);
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  // Written beside and renamed, so a reader never sees half a file.
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << merged.results.dump(2) << "\n";
    if (!out.flush()) {
      std::cerr << "deadpeer merge: writing " << tmp << " failed\n";
      return kFailed;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::cerr << "deadpeer merge: renaming " << tmp << " to " << path.string() << ": " << ec.message() << "\n";
    return kFailed;
  }
  std::cout << "merged " << inputs.size() << " file(s): " << merged.cases << " cases, " << merged.runs << " runs → "
            << path.string() << "\n";
  return kOk;
}

}  // namespace

Command add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand("merge", "merge the results.json of several shards (run --shard i/n) into one");
  cmd->add_option("inputs", args->inputs, "results.json files, or directories holding one")->required();
  cmd->add_option("-o,--out", args->out, "output: a .json file, or a directory that gets results.json")->required();
  return Command{cmd, [args] { return run_merge(*args); }};
}

}  // namespace deadpeer::cli
