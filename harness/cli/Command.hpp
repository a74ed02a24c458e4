#pragma once
// One CLI verb: each verb lives in its own file (cli/<Verb>Command.cpp) and registers itself on
// the root app with `Command add_<verb>_command(CLI::App&)`; main() runs the one that was chosen.
#include <CLI/CLI.hpp>
#include <functional>

namespace deadpeer::cli {

// Exit codes shared by every verb: 0 ok; 1 a run failed to measure or a gate failed;
// 2 bad input; 3 cannot run here (privileges, kernel); 128+N interrupted by signal N.
constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kBadInput = 2;
constexpr int kCannotRun = 3;

struct Command {
  CLI::App* app = nullptr;      // the subcommand, to test whether it was chosen
  std::function<int()> run;     // called after parsing; returns the exit code
};

}  // namespace deadpeer::cli
