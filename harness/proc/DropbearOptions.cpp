#include "proc/DropbearOptions.hpp"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "scenario/DidYouMean.hpp"
#include "scenario/Duration.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {
namespace {

using scenario::Diagnostic;
using scenario::Setting;

bool is(const std::string& key, const char* name) { return ::strcasecmp(key.c_str(), name) == 0; }

const char* interval_key(OptionSide side) {
  return side == OptionSide::client ? "ServerAliveInterval" : "ClientAliveInterval";
}
const char* count_key(OptionSide side) {
  return side == OptionSide::client ? "ServerAliveCountMax" : "ClientAliveCountMax";
}
const char* program(OptionSide side) { return side == OptionSide::client ? "dbclient" : "dropbear"; }

// Whole seconds, as ssh's convtime and Dropbear's m_str_to_uint would both take them:
// an integer, "90", or a duration such as "1m30s" that is a whole number of seconds.
std::optional<long> seconds(const scenario::Value& v, std::string& why) {
  auto fail = [&](const char* reason) -> std::optional<long> {
    why = reason;
    return std::nullopt;
  };
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (*i < 0) return fail("must not be negative");
    return static_cast<long>(*i);
  }
  if (const auto* d = std::get_if<double>(&v)) {
    if (*d < 0 || *d != static_cast<double>(static_cast<long>(*d))) return fail("must be whole seconds");
    return static_cast<long>(*d);
  }
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (!s->empty() && std::all_of(s->begin(), s->end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::stol(*s);
    const auto d = scenario::parse_duration(*s, &why);
    if (!d) return std::nullopt;
    if (d->count() % 1000 != 0) return fail("must be whole seconds (Dropbear's -K and -I take seconds)");
    return static_cast<long>(d->count() / 1000);
  }
  return fail("must be a number of seconds");
}

std::optional<bool> flag(const scenario::Value& v) {
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  const std::string s = scenario::render(v);
  if (is(s, "yes") || is(s, "true")) return true;
  if (is(s, "no") || is(s, "false")) return false;
  return std::nullopt;
}

// Judges one option; fills `out` when it is accepted, returns the diagnostic otherwise.
std::optional<Diagnostic> judge(OptionSide side, const Setting& s, DropbearFlags& out) {
  const std::string shown = "'" + s.key + " = " + scenario::render(s.value) + "'";
  std::string why;
  if (is(s.key, interval_key(side)) || is(s.key, "IdleTimeout")) {
    const auto v = seconds(s.value, why);
    if (!v) return Diagnostic{s.loc, "option " + shown + " for " + program(side) + ": " + why, std::string(scenario::kDurationForms)};
    (is(s.key, "IdleTimeout") ? out.idle_timeout_s : out.keepalive_s) = *v;
    return std::nullopt;
  }
  if (is(s.key, count_key(side))) {
    std::string ignored;
    if (seconds(s.value, ignored) == DropbearOptions::kKeepaliveLimit) return std::nullopt;
    return Diagnostic{s.loc,
                      "option " + shown + " has no Dropbear equivalent: " + program(side) +
                          " always gives up after 3 unanswered keepalive intervals (DEFAULT_KEEPALIVE_LIMIT)",
                      "remove it, or write " + std::string(count_key(side)) + " = 3"};
  }
  if (is(s.key, "TCPKeepAlive")) {
    if (flag(s.value) == false) return std::nullopt;
    return Diagnostic{s.loc, "option " + shown + " has no Dropbear equivalent: Dropbear never sets SO_KEEPALIVE",
                      "remove it, or write TCPKeepAlive = false"};
  }
  return Diagnostic{s.loc, "option '" + s.key + "' has no Dropbear equivalent (" + program(side) + " is configured by -K and -I only)",
                    scenario::did_you_mean(s.key, DropbearOptions::accepted(side))};
}

}  // namespace

std::vector<std::string> DropbearFlags::arguments() const {
  return {"-K", std::to_string(keepalive_s), "-I", std::to_string(idle_timeout_s)};
}

std::vector<std::string> DropbearOptions::accepted(OptionSide side) {
  return {interval_key(side), count_key(side), "IdleTimeout", "TCPKeepAlive"};
}

std::vector<Diagnostic> DropbearOptions::check(OptionSide side, const std::vector<Setting>& options) {
  std::vector<Diagnostic> out;
  DropbearFlags ignored;
  for (const auto& s : options)
    if (auto d = judge(side, s, ignored)) out.push_back(std::move(*d));
  return out;
}

DropbearFlags DropbearOptions::flags(OptionSide side, const std::vector<Setting>& options) {
  DropbearFlags out;
  std::vector<std::string> seen;
  for (const auto& s : options) {
    // The first value of a key wins, as in ssh_config and sshd_config.
    const bool dup = std::any_of(seen.begin(), seen.end(), [&](const std::string& k) { return is(k, s.key.c_str()); });
    DropbearFlags one = out;
    if (auto d = judge(side, s, one)) throw sys::Error(std::string(program(side)) + " options: " + d->str());
    if (!dup) out = one;
    seen.push_back(s.key);
  }
  return out;
}

}  // namespace deadpeer::proc
