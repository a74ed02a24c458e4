#include "faults/FaultParams.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "scenario/DidYouMean.hpp"
#include "scenario/Duration.hpp"

namespace deadpeer::faults {

using scenario::Duration;

const scenario::Setting* FaultParams::get(const std::string& name) {
  read_.insert(name);
  auto it = spec_.params.find(name);
  return it == spec_.params.end() ? nullptr : &it->second;
}

void FaultParams::error(const scenario::Setting& s, const std::string& message, const std::string& hint) {
  diags_.push_back({s.loc, "fault '" + spec_.kind + "': " + s.key + " " + message, hint});
}

std::string FaultParams::choice(const std::string& name, const std::vector<std::string>& choices, const std::string& dflt) {
  const auto* s = get(name);
  if (!s) return dflt;
  const auto* v = std::get_if<std::string>(&s->value);
  if (v && std::find(choices.begin(), choices.end(), *v) != choices.end()) return *v;
  error(*s, "= " + scenario::render(s->value) + " is not valid", scenario::did_you_mean(v ? *v : "", choices));
  return dflt;
}

Duration FaultParams::duration(const std::string& name, Duration dflt, Duration min, Duration max) {
  const auto* s = get(name);
  if (!s) return dflt;
  std::optional<Duration> d;
  std::string why = "not a duration";
  if (const auto* str = std::get_if<std::string>(&s->value)) {
    if (!str->empty() && str->front() == '-') why = "is negative";
    else d = scenario::parse_duration(*str, &why);
  } else if (const auto* i = std::get_if<std::int64_t>(&s->value)) {
    if (*i < 0) why = "is negative";
    else d = Duration{*i * 1000};
  } else if (const auto* f = std::get_if<double>(&s->value)) {
    if (*f < 0) why = "is negative";
    else d = Duration{static_cast<long>(std::llround(*f * 1000))};
  }
  if (!d) {
    error(*s, "= " + scenario::render(s->value) + ": " + why, std::string(scenario::kDurationForms));
    return dflt;
  }
  if (*d < min || *d > max) {
    error(*s, "= " + scenario::format_duration(*d) + " is out of range",
          "use a value from " + scenario::format_duration(min) + " to " + scenario::format_duration(max));
    return dflt;
  }
  return *d;
}

double FaultParams::percent(const std::string& name, double dflt) {
  const auto* s = get(name);
  if (!s) return dflt;
  std::optional<double> p;
  if (const auto* i = std::get_if<std::int64_t>(&s->value)) p = static_cast<double>(*i);
  else if (const auto* f = std::get_if<double>(&s->value)) p = *f;
  else if (const auto* str = std::get_if<std::string>(&s->value)) {
    char* end = nullptr;
    const double v = std::strtod(str->c_str(), &end);
    if (end != str->c_str() && (std::string(end) == "%" || *end == '\0')) p = v;
  }
  if (!p || !std::isfinite(*p) || *p < 0 || *p > 100) {
    error(*s, "= " + scenario::render(s->value) + " is not a percentage from 0 to 100", "write e.g. 2.5 or \"2.5%\"");
    return dflt;
  }
  return *p;
}

bool FaultParams::flag(const std::string& name, bool dflt) {
  const auto* s = get(name);
  if (!s) return dflt;
  if (const auto* b = std::get_if<bool>(&s->value)) return *b;
  error(*s, "= " + scenario::render(s->value) + " is not true or false", "write " + name + " = true");
  return dflt;
}

long FaultParams::integer(const std::string& name, long dflt, long min, long max) {
  const auto* s = get(name);
  if (!s) return dflt;
  const auto* i = std::get_if<std::int64_t>(&s->value);
  if (i && *i >= min && *i <= max) return static_cast<long>(*i);
  error(*s, "= " + scenario::render(s->value) + " is not an integer from " + std::to_string(min) + " to " +
                std::to_string(max), "");
  return dflt;
}

std::optional<double> FaultParams::rate(const std::string& name) {
  const auto* s = get(name);
  if (!s) return std::nullopt;
  std::optional<double> bps;
  if (const auto* i = std::get_if<std::int64_t>(&s->value)) bps = static_cast<double>(*i);
  else if (const auto* str = std::get_if<std::string>(&s->value)) {
    char* end = nullptr;
    const double v = std::strtod(str->c_str(), &end);
    const std::string unit = end ? end : "";
    const std::vector<std::pair<std::string, double>> units = {{"bit", 1}, {"kbit", 1e3}, {"mbit", 1e6}, {"gbit", 1e9}};
    if (end != str->c_str())
      for (const auto& [u, mult] : units)
        if (unit == u) bps = v * mult;
  }
  if (!bps || !std::isfinite(*bps) || *bps < 8000 || *bps > 100e9) {
    error(*s, "= " + scenario::render(s->value) + " is not a rate from 8kbit to 100gbit",
          "write e.g. \"10mbit\", \"512kbit\"");
    return std::nullopt;
  }
  return bps;
}

std::vector<scenario::Diagnostic> FaultParams::finish() {
  std::vector<std::string> known(read_.begin(), read_.end());
  for (const auto& [name, setting] : spec_.params)
    if (!read_.count(name))
      diags_.push_back({setting.loc, "fault '" + spec_.kind + "' has no parameter '" + name + "'",
                        known.empty() ? spec_.kind + " takes only at, duration and flap"
                                      : scenario::did_you_mean(name, known)});
  return diags_;
}

}  // namespace deadpeer::faults
