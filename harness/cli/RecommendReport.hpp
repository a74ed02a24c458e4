#pragma once
// What `deadpeer recommend` prints: the request as understood, what the search judged, a table
// of the shortlisted settings and, for each, the lines to paste (ssh_config, sshd_config,
// sysctl, or Dropbear's flags) with the predicted detection and keepalive traffic.
#include <string>
#include <vector>

#include "cli/PredictInputs.hpp"
#include "cli/Recommender.hpp"

namespace deadpeer::cli {

struct RecommendContext {
  RecommendRequest request;
  ResolvedVersion client_version, server_version;
};

class RecommendReport {
 public:
  static std::string render(const RecommendContext& ctx, const SearchResult& result, const std::vector<Recommendation>& shown);
  // The ready-to-paste lines of one recommendation, indented by `indent`.
  static std::string paste(const Recommendation& r, scenario::Implementation impl, const std::string& indent);
  // "29.0002–30 s (tcp-keepalive)" or "never"
  static std::string notices(const model::SidePrediction& p);
};

}  // namespace deadpeer::cli
