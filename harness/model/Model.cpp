#include "model/Model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

SidePrediction unknown(const std::string& why) {
  return SidePrediction{std::nullopt, observe::Cause::other, "unknown-fault", why};
}

}  // namespace

std::string FaultContext::param(const std::string& key, const std::string& dflt) const {
  const auto v = option(in.fault_params, key);
  return v ? lower(*v) : dflt;
}

std::optional<double> FaultContext::seconds(const std::string& key) const {
  const auto v = option(in.fault_params, key);
  if (!v) return std::nullopt;
  const std::string s = lower(*v);
  size_t used = 0;
  double x = 0;
  try {
    x = std::stod(s, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("fault parameter " + key + " '" + *v + "' is not a duration");
  }
  const std::string unit = s.substr(used);
  if (unit.empty() || unit == "s") return x;
  if (unit == "ms") return x / 1000.0;
  if (unit == "m" || unit == "min") return x * 60.0;
  if (unit == "h") return x * 3600.0;
  throw std::invalid_argument("fault parameter " + key + " '" + *v + "' has an unknown unit");
}

Direction direction_param(const FaultContext& ctx) {
  const std::string d = ctx.param("direction", "both");
  if (d == "both") return Direction::both;
  if (d == "to-server" || d == "to_server") return Direction::to_server;
  if (d == "to-client" || d == "to_client") return Direction::to_client;
  throw std::invalid_argument("direction must be both, to-server or to-client, not '" + d + "'");
}

Side target_param(const FaultContext& ctx) {
  const std::string t = ctx.param("target", "server");
  if (t == "server") return Side::server;
  if (t == "client") return Side::client;
  throw std::invalid_argument("target must be server or client, not '" + t + "'");
}

Prediction predict(const Inputs& in) {
  Inputs norm = in;
  norm.fault = lower(in.fault);
  FaultContext ctx{norm, profiles(norm), std::max(0.0, norm.rtt_s)};
  const std::string& f = norm.fault;
  try {
    if (f == "blackhole" || f == "drop" || f == "link-down" || f == "crash" || f == "freeze" || f == "spoof-keepalive" ||
        f == "impair")
      return transient(ctx, loss_fault(ctx));
    if (f == "reject" || f == "spoof-rst" || f == "spoof-data" || f == "reboot") return transient(ctx, reset_fault(ctx));
    if (f == "firewall") return transient(ctx, firewall_fault(ctx));
  } catch (const std::invalid_argument& e) {
    return {unknown("fault '" + f + "': " + e.what()), unknown("fault '" + f + "': " + e.what())};
  }
  return {unknown("no rule for fault '" + f + "'"), unknown("no rule for fault '" + f + "'")};
}

double tolerance_s(double expected_s) {
  return std::max(kToleranceAbsS, kTolerancePct * std::fabs(expected_s));
}

bool agrees(const SidePrediction& p, std::optional<double> measured_s, observe::Cause measured_cause,
            std::optional<double> horizon_s) {
  const bool nothing = !measured_s || measured_cause == observe::Cause::none;
  if (!p.window) {
    // "never" agrees with silence; a prediction without timing (unknown fault) only by cause.
    if (p.cause == observe::Cause::none) return nothing;
    return measured_cause == p.cause;
  }
  const double lo = p.window->lo_s - tolerance_s(p.window->lo_s);
  const double hi = p.window->hi_s + tolerance_s(p.window->hi_s);
  if (nothing) return p.may_survive || (horizon_s && *horizon_s < hi);  // or the run stopped before the window closed
  if (measured_cause != p.cause) return false;
  return *measured_s >= lo && *measured_s <= hi;
}

std::optional<Version> version_from_string(std::string_view text) {
  // The first "digits.digits" in the text: "OpenSSH_9.2p1" → 9.2, "Dropbear v2022.83" → 2022.83.
  // An SSH banner's protocol version is not the implementation's.
  if (text.substr(0, 8) == "SSH-2.0-") text.remove_prefix(8);
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i;
    long major = 0, minor = 0;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) major = major * 10 + (text[j++] - '0');
    if (j + 1 >= text.size() || text[j] != '.' || !std::isdigit(static_cast<unsigned char>(text[j + 1]))) continue;
    ++j;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) minor = minor * 10 + (text[j++] - '0');
    return Version{int(major), int(minor)};
  }
  return std::nullopt;
}

}  // namespace deadpeer::model
