#pragma once
// The search behind `deadpeer recommend`: which keepalive settings make the chosen side(s)
// notice a dead peer within a bound, keep the session through an idle-timeout firewall and do
// not end it on a lossy link — and which of those costs the fewest packets.
//
// Everything is the timing model's verdict (model::predict) on a grid of settings, plus two
// estimates the model does not make: keepalive traffic per hour and the risk of a spurious
// disconnect under loss (LossRisk.hpp). Pure: no lab, no privileges, so it is unit-tested
// (tests/unit/recommend_test.cpp).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/Model.hpp"

namespace deadpeer::cli {

// What one side is told to change.
struct SideSetting {
  enum class Kind {
    unchanged,      // the program's and the kernel's defaults (the side is not searched)
    ssh_keepalive,  // ServerAliveInterval/ClientAliveInterval (+ CountMax), Dropbear -K
    tcp_keepalive,  // TCPKeepAlive yes (the default) with shorter kernel keepalive sysctls
  };
  Kind kind = Kind::unchanged;
  long interval_s = 0, count_max = 0;                 // ssh_keepalive (count_max unused for Dropbear)
  long ka_time_s = 0, ka_intvl_s = 0, ka_probes = 0;  // tcp_keepalive
  friend bool operator==(const SideSetting&, const SideSetting&) = default;
};
std::string describe(const SideSetting& s, bool client, scenario::Implementation impl);  // "ServerAliveInterval 15 × CountMax 1"

// The loss every path has (0.1 %): what --loss means when it is not given.
inline constexpr double kBackgroundLoss = 0.001;

struct RecommendRequest {
  double detect_within_s = 30;
  std::optional<double> firewall_idle_s;  // the session must survive a firewall with this idle timeout
  // Independent loss per packet, 0..1. Never "none": a single unanswered TCP keepalive probe
  // (tcp_keepalive_probes 1) would end 1 session in 5 per hour at a healthy path's 0.1 %.
  std::optional<double> loss = kBackgroundLoss;
  bool loss_assumed = true;  // the background value, not the user's
  bool client = true, server = true;      // the sides that must notice
  scenario::Implementation impl = scenario::Implementation::openssh;  // both sides
  model::Version client_version{9, 2}, server_version{9, 2};
  double rtt_s = 0.0002;
  bool detect_frozen = false;  // also notice a frozen peer (only SSH keepalive can)
  // A spurious disconnect at most once per 1000 session-hours (about six weeks of one session).
  double max_spurious_per_hour = 1e-3;
};

// Keepalive traffic of an idle session, both directions.
struct Cost {
  double packets_per_hour = 0;
  std::string breakdown;  // "ssh's SSH keepalive every 15 s: 3 packets × 240/h"
};
Cost keepalive_cost(const model::Inputs& in);

// One side's risk of ending a healthy session within an hour at loss p.
struct SideRisk {
  double per_hour = 0;
  std::string why;  // the formula with its numbers
};
SideRisk spurious_risk(const model::Inputs& in, bool client, double loss);

struct Recommendation {
  SideSetting client, server;
  model::Inputs inputs;
  model::Prediction blackhole;
  std::optional<model::Prediction> firewall;    // with the requested idle timeout
  model::Prediction frozen_server, frozen_client;  // freeze target=server (client's view), target=client
  Cost cost;
  std::optional<SideRisk> client_risk, server_risk;  // with --loss
  double worst_s = 0;  // the largest upper bound of the required sides (blackhole)
  int changes = 0;     // lines to paste: fewer is better among equals
  // Each side's keepalive traffic as if the other sent none: among equals, the side that would
  // probe less often on its own (when the peer is not configured as recommended) is better.
  double solo_packets_per_hour = 0;
  std::string family() const;  // "ssh+tcp": what each side relies on
};

struct SearchResult {
  size_t evaluated = 0;  // combinations judged by the model
  std::vector<Recommendation> ranked;  // every one that meets the request, best first
  std::map<std::string, size_t> rejected;  // reason → how many
};

// The settings one side is searched over (empty for a side that is not searched).
std::vector<SideSetting> side_grid(const RecommendRequest& req, bool client);
model::Inputs inputs_for(const RecommendRequest& req, const SideSetting& client, const SideSetting& server);
// Judges one combination: nullopt + reason when it fails the request.
std::optional<Recommendation> judge(const RecommendRequest& req, const SideSetting& client, const SideSetting& server,
                                    std::string* reason);
// By packets per hour, then the worst detection time, then fewer lines to paste, then less
// traffic of each side on its own.
bool better(const Recommendation& a, const Recommendation& b);
SearchResult search(const RecommendRequest& req);
// The best of each family first (so sysctl-free settings are not crowded out by near-identical
// variants of the cheapest one), then the next best overall, up to n.
std::vector<Recommendation> shortlist(const std::vector<Recommendation>& ranked, size_t n);

}  // namespace deadpeer::cli
