#include "cli/RecommendCommand.hpp"

#include <cmath>
#include <iostream>
#include <memory>

#include "cli/RecommendReport.hpp"
#include "cli/RecommendVerify.hpp"
#include "scenario/Duration.hpp"

namespace deadpeer::cli {
namespace {

using scenario::Implementation;

// "30s", "5m", "1m30s", "500ms", or a bare number of seconds ("30"), as `--detect-within 30` reads.
double seconds(const std::string& flag, const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 10)
    return std::stod(text);
  std::string why;
  const auto d = scenario::parse_duration(text, &why);
  if (!d) throw PredictError(flag + " '" + text + "': " + why + "; " + std::string(scenario::kDurationForms));
  return std::chrono::duration<double>(*d).count();
}

double positive_seconds(const std::string& flag, const std::string& text) {
  const double s = seconds(flag, text);
  if (s <= 0) throw PredictError(flag + " '" + text + "': must be more than 0");
  return s;
}

// "2%", "2" (percent either way), "0.5%"; 0 ≤ p < 100.
double loss_fraction(const std::string& text) {
  std::string t = text;
  if (!t.empty() && t.back() == '%') t.pop_back();
  size_t used = 0;
  double v = -1;
  try {
    v = std::stod(t, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (t.empty() || used != t.size() || !std::isfinite(v))
    throw PredictError("--loss '" + text + "': expected a percentage, e.g. 2% (or 2), 0.5%");
  if (v < 0 || v >= 100) throw PredictError("--loss '" + text + "': must be at least 0 % and below 100 %");
  return v / 100;
}

ResolvedVersion version(const std::string& flag, const std::string& text) {
  if (auto v = model::version_from_string(text)) return {*v, flag};
  throw PredictError(flag + " '" + text + "': no version number in it (e.g. 9.2p1, OpenSSH_9.8p1, 2022.83)");
}

}  // namespace

RecommendRequest recommend_request(const RecommendArgs& a, ResolvedVersion& client_version, ResolvedVersion& server_version,
                                   const VersionLookup& lookup) {
  RecommendRequest r;
  if (!a.detect_within) throw PredictError("--detect-within is required: the longest a side may take to notice, e.g. 30s");
  r.detect_within_s = positive_seconds("--detect-within", *a.detect_within);
  if (a.firewall_idle) r.firewall_idle_s = positive_seconds("--firewall-idle", *a.firewall_idle);
  if (a.loss) {
    r.loss = loss_fraction(*a.loss);
    r.loss_assumed = false;
  }
  if (a.rtt) {
    r.rtt_s = seconds("--rtt", *a.rtt);
    if (r.rtt_s < 0 || r.rtt_s > 10) throw PredictError("--rtt '" + *a.rtt + "': must be between 0 and 10 s");
  }
  if (a.side == "client") r.server = false;
  else if (a.side == "server") r.client = false;
  else if (a.side != "both") throw PredictError("--side '" + a.side + "': expected client, server or both");
  const auto impl = scenario::implementation_from_string(a.implementation);
  if (!impl) throw PredictError("--implementation '" + a.implementation + "': expected openssh or dropbear");
  r.impl = *impl;
  r.detect_frozen = a.detect_frozen;
  if (a.top < 1 || a.top > 50) throw PredictError("--top " + std::to_string(a.top) + ": expected 1 to 50");
  client_version = a.client_version ? version("--client-version", *a.client_version) : lookup(r.impl, true);
  server_version = a.server_version ? version("--server-version", *a.server_version) : lookup(r.impl, false);
  r.client_version = client_version.version;
  r.server_version = server_version.version;
  return r;
}

int run_recommend(const RecommendArgs& args, std::ostream& out, std::ostream& err, const VersionLookup& lookup) {
  RecommendContext ctx;
  try {
    ctx.request = recommend_request(args, ctx.client_version, ctx.server_version, lookup);
  } catch (const PredictError& e) {
    err << "deadpeer recommend: " << e.what() << "\n";
    return kBadInput;
  }
  const SearchResult result = search(ctx.request);
  const auto shown = shortlist(result.ranked, static_cast<size_t>(args.top));
  out << RecommendReport::render(ctx, result, shown);
  if (shown.empty()) return kFailed;
  if (!args.verify) return kOk;
  return run_verification(ctx.request, shown, args.out_dir, out, err);
}

Command add_recommend_command(CLI::App& app) {
  auto args = std::make_shared<RecommendArgs>();
  auto* cmd = app.add_subcommand("recommend", "search keepalive settings that notice a dead peer within a bound, cheapest first");
  cmd->footer(
      "Every candidate is judged by the timing model (as `deadpeer predict`) for the installed versions: the chosen "
      "side(s) must notice a blackhole within --detect-within (the worst case of the window), the session must "
      "survive a firewall with --firewall-idle, and --loss (0.1 % when not given) must not make a spurious disconnect "
      "likelier than 0.1 % per session-hour. Ranked by keepalive packets per hour of an idle session, then detection time.\n"
      "Example: deadpeer recommend --detect-within 30s --firewall-idle 300s --side both");
  auto opt = [&](const char* name, std::optional<std::string> RecommendArgs::*field, const char* help) {
    return cmd->add_option_function<std::string>(name, [args, field](const std::string& v) { (*args).*field = v; }, help);
  };
  opt("--detect-within", &RecommendArgs::detect_within, "the longest a side may take to notice a dead peer (30s, 2m)")
      ->required();
  opt("--firewall-idle", &RecommendArgs::firewall_idle, "idle timeout of a stateful firewall the session must survive (300s)");
  opt("--loss", &RecommendArgs::loss, "independent packet loss the session must live with (2%; default 0.1%, any path's)");
  cmd->add_option("--side", args->side, "the side(s) that must notice: client, server or both")->capture_default_str();
  cmd->add_option("--implementation", args->implementation, "openssh or dropbear, both sides")->capture_default_str();
  cmd->add_flag("--detect-frozen", args->detect_frozen, "a frozen peer must be noticed within the bound too");
  cmd->add_option("--top", args->top, "how many settings to print")->capture_default_str();
  opt("--rtt", &RecommendArgs::rtt, "round-trip time of the path, e.g. 50ms (default: the lab's 0.2 ms); mostly matters for --loss");
  opt("--client-version", &RecommendArgs::client_version, "client version, e.g. 9.8p1 (default: the installed one)");
  opt("--server-version", &RecommendArgs::server_version, "server version, e.g. 9.2p1 (default: the installed one)");
  cmd->add_flag("--verify", args->verify, "run the first candidates for real (root; scaled scenarios when longer than 60 s)");
  cmd->add_option("--out", args->out_dir, "directory for --verify's scenarios and results.json")->capture_default_str();
  return {cmd, [args] { return run_recommend(*args, std::cout, std::cerr, installed_version); }};
}

}  // namespace deadpeer::cli
