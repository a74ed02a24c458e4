#pragma once
// `deadpeer recommend --verify`: the shortlisted settings, run for real.
//
// A scenario (TOML, the same format as scenarios/*.toml) is written per candidate and check:
// a blackhole (the requested sides must notice within the bound) and, when a firewall idle timeout was
// given, that firewall (the session must survive). A check whose run would last over a minute
// is not run as is: the scenario is generated with every time divided by a factor (counts kept)
// so that the bound or the timeout becomes 20 s, and the user is told how to run it. The others run through the
// real Runner (one lab per run), and each side's measurement is printed next to the model's
// window. The files and results.json stay in the output directory.
#include <filesystem>
#include <iosfwd>
#include <limits>
#include <string>
#include <vector>

#include "cli/Recommender.hpp"
#include "run/Results.hpp"

namespace deadpeer::cli {

// One generated scenario.
struct VerifyPlan {
  int rank = 0;              // 1-based, as printed
  std::string check;         // "blackhole" or "firewall"
  double scale = 1;          // times divided by this (1: the settings as recommended)
  std::string name;          // the scenario's name, also its file's stem
  std::string toml;
  bool run = false;          // short enough to run now
  double horizon_s = 0;
};

// Longest run `--verify` starts by itself.
inline constexpr double kVerifyMaxRunS = 60;
// A scaled scenario aims at this bound.
inline constexpr double kScaledBoundS = 20;

// A side's settings with every time divided by `scale`, rounded, at least 1 s and below `below`
// (a scaled firewall timeout); counts and probes are kept.
SideSetting scaled(const SideSetting& s, double scale, long below = std::numeric_limits<long>::max());

// The scenarios that check one recommendation (rank is 1-based).
std::vector<VerifyPlan> verify_plans(const RecommendRequest& req, const Recommendation& r, int rank);

// Writes every plan into `dir`, runs the runnable ones, prints measured next to predicted and
// the command for the scaled ones. Returns the exit code: 0 all measured as asked, 1 a run
// failed or a side missed its bound or the session did not survive the firewall, 3 no root.
int run_verification(const RecommendRequest& req, const std::vector<Recommendation>& shown,
                     const std::filesystem::path& dir, std::ostream& out, std::ostream& err);

}  // namespace deadpeer::cli
