#pragma once
// `deadpeer run [FILE…]`: validate, select (--filter, --shard), run in parallel with progress,
// write results.json and the reports asked for, and exit non-zero when a run could not measure
// or an [expect] gate was violated.
#include "cli/Command.hpp"

namespace deadpeer::cli {

Command add_run_command(CLI::App& app);

}  // namespace deadpeer::cli
