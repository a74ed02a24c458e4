#pragma once
// `deadpeer merge a.json b.json … -o all.json`: one results file from the shards of a run
// (`deadpeer run --shard i/n`); see run/Merge.hpp for what is refused (exit 2) and why.
#include "cli/Command.hpp"

namespace deadpeer::cli {

Command add_merge_command(CLI::App& app);

}  // namespace deadpeer::cli
