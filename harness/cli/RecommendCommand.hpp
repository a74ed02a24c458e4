#pragma once
// `deadpeer recommend --detect-within D [--firewall-idle D] [--loss P] [--side client|server|both]
//   [--implementation openssh|dropbear] [--detect-frozen] [--top N] [--rtt D]
//   [--client-version V] [--server-version V] [--verify] [--out DIR]`
//
// Searches keepalive settings with the timing model (Recommender.hpp) and prints the cheapest
// that meet the request as lines to paste into ssh_config / sshd_config / sysctl.d, with the
// predicted detection and the keepalive packets per hour. --verify runs the first ones for
// real (RecommendVerify.hpp). Exit 0; 1 nothing meets the request, or a verification failed;
// 2 bad input; 3 --verify without root.
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/Command.hpp"
#include "cli/PredictInputs.hpp"
#include "cli/Recommender.hpp"

namespace deadpeer::cli {

// What the user typed.
struct RecommendArgs {
  std::optional<std::string> detect_within, firewall_idle, loss, rtt;
  std::string side = "both";
  std::string implementation = "openssh";
  std::optional<std::string> client_version, server_version;
  bool detect_frozen = false;
  bool verify = false;
  int top = 5;
  std::string out_dir = "out/recommend";
};

// The request the arguments mean; throws PredictError (exit 2) naming the flag and the problem.
RecommendRequest recommend_request(const RecommendArgs& args, ResolvedVersion& client_version,
                                   ResolvedVersion& server_version, const VersionLookup& lookup);

Command add_recommend_command(CLI::App& app);

// The whole verb after argument parsing: testable with a fixed version lookup.
int run_recommend(const RecommendArgs& args, std::ostream& out, std::ostream& err, const VersionLookup& lookup);

}  // namespace deadpeer::cli
