#pragma once
// `deadpeer predict [SCENARIO] [--client K=V]... [--server K=V]... [--kernel-client K=V]...
//   [--kernel-server K=V]... [--fault KIND] [--fault-param K=V]... [--traffic PATTERN]
//   [--interval D] [--rtt D] [--implementation-client I] [--implementation-server I]
//   [--client-version V] [--server-version V]`
//
// Evaluates the timing model alone — no lab, no privileges — for any settings: unset ones take
// their real defaults (ssh/sshd's, and a fresh network namespace's TCP sysctls). Prints per
// side the window, cause, rule, explanation and how far measurements back the rule.
// Exit 0, or 2 on bad input (a malformed K=V, an unknown option close to a model one, a value
// the model cannot read, an option Dropbear cannot honour, an unknown fault).
#include <CLI/CLI.hpp>
#include <iosfwd>

#include "cli/Command.hpp"
#include "cli/PredictInputs.hpp"

namespace deadpeer::cli {

Command add_predict_command(CLI::App& app);

// The whole verb after argument parsing: testable with a fixed version lookup.
int run_predict(const PredictArgs& args, std::ostream& out, std::ostream& err, const VersionLookup& lookup);

}  // namespace deadpeer::cli
