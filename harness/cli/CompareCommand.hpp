#pragma once
// `deadpeer compare OLD.json NEW.json [--markdown F]`: per case (matched by id) and side, the
// old and new median detection time, the change and its significance over the repeats
// (report/Comparison.hpp); cases found in one file only are listed. Exit 0, or 2 when a file is
// missing or not a results file (1 when --markdown cannot be written).
#include <CLI/CLI.hpp>

#include "cli/Command.hpp"

namespace deadpeer::cli {

Command add_compare_command(CLI::App& app);

}  // namespace deadpeer::cli
