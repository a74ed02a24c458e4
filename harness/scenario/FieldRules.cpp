#include "scenario/FieldRules.hpp"

#include <algorithm>
#include <cctype>

#include "scenario/DidYouMean.hpp"
#include "scenario/Duration.hpp"

namespace deadpeer::scenario {

namespace {

void error(Diagnostics& out, const SourceLoc& loc, std::string message, std::string hint = {}) {
  out.push_back(Diagnostic{loc, std::move(message), std::move(hint)});
}

bool equal_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string describe(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return render(v);
}

std::string kind_of(const Value& v) {
  switch (v.index()) {
    case 0: return "a boolean";
    case 1: return "an integer";
    case 2: return "a float";
    default: return "a string";
  }
}

bool is_scenario_name(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool is_option_name(std::string_view s) {
  return !s.empty() && is_alpha(s.front()) && std::all_of(s.begin(), s.end(), is_alnum);
}

bool is_identifier(std::string_view s) {
  return !s.empty() && (is_alpha(s.front()) || s.front() == '_') &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

std::optional<Duration> check_duration(const Value& v, const SourceLoc& loc, std::string_view what, DurationRule rule,
                                       std::optional<Duration> max, Diagnostics& out) {
  const std::string subject = "'" + std::string(what) + "' = " + describe(v);
  std::optional<Duration> d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    // An integer is seconds; bound it first so the multiplication cannot overflow.
    if (*i < 0) {
      error(out, loc, subject + " is negative", std::string(kDurationForms));
      return std::nullopt;
    }
    if (*i > 1'000'000'000) {
      error(out, loc, subject + " is too large", std::string(kDurationForms));
      return std::nullopt;
    }
    d = std::chrono::seconds(*i);
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    std::string why;
    d = parse_duration(*s, &why);
    if (!d) {
      error(out, loc, subject + " is not a duration: " + why, std::string(kDurationForms));
      return std::nullopt;
    }
  } else {
    error(out, loc, subject + " is " + kind_of(v) + ", not a duration", std::string(kDurationForms));
    return std::nullopt;
  }
  if (rule == DurationRule::positive && d->count() == 0) {
    error(out, loc, subject + " must be greater than zero", std::string(kDurationForms));
    return std::nullopt;
  }
  if (max && *d > *max) {
    error(out, loc, subject + " is longer than the maximum of " + format_duration(*max));
    return std::nullopt;
  }
  return d;
}

std::optional<std::int64_t> check_int(const Value& v, const SourceLoc& loc, std::string_view what, std::int64_t min,
                                      std::int64_t max, Diagnostics& out) {
  const auto* i = std::get_if<std::int64_t>(&v);
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (!i) {
    error(out, loc, "'" + std::string(what) + "' = " + describe(v) + " is " + kind_of(v) + ", not an integer",
          "write an integer in " + range + ", without quotes");
    return std::nullopt;
  }
  if (*i < min || *i > max) {
    error(out, loc, "'" + std::string(what) + "' = " + std::to_string(*i) + " is out of range",
          "valid range: " + range);
    return std::nullopt;
  }
  return *i;
}

std::optional<Pattern> check_pattern(const Value& v, const SourceLoc& loc, Diagnostics& out) {
  const std::vector<std::string> names = {"idle", "interactive", "stream", "forward"};
  const auto* s = std::get_if<std::string>(&v);
  std::optional<Pattern> p = s ? pattern_from_string(*s) : std::nullopt;
  if (!p) error(out, loc, "'pattern' = " + describe(v) + " is not a traffic pattern", did_you_mean(s ? *s : "", names));
  return p;
}

std::optional<Implementation> check_implementation(const Value& v, const SourceLoc& loc, std::string_view what,
                                                   Diagnostics& out) {
  const std::vector<std::string> names = {"openssh", "dropbear"};
  const auto* s = std::get_if<std::string>(&v);
  std::optional<Implementation> impl = s ? implementation_from_string(*s) : std::nullopt;
  if (!impl)
    error(out, loc, "'" + std::string(what) + "' = " + describe(v) + " is not an ssh implementation",
          did_you_mean(s ? *s : "", names));
  return impl;
}

const SysctlInfo* check_sysctl_name(std::string_view name, KernelSide side, const SourceLoc& loc, Diagnostics& out) {
  if (const SysctlInfo* info = find_sysctl(name, side)) return info;
  const std::string where = "[kernel." + to_string(side) + "]";
  std::string hint;
  for (std::string_view prefix : {"net.ipv4.", "net.netfilter."}) {
    if (name.substr(0, prefix.size()) == prefix) {
      std::string bare(name.substr(prefix.size()));
      hint = "write sysctl names without the '" + std::string(prefix) + "' prefix";
      if (find_sysctl(bare, side)) hint += ": '" + bare + "'";
    }
  }
  if (hint.empty() && side != KernelSide::router && find_sysctl(name, KernelSide::router))
    hint = "conntrack lives on the router: move it to [kernel.router]";
  if (hint.empty()) hint = did_you_mean(name, sysctl_names(side));
  error(out, loc, "unknown sysctl '" + std::string(name) + "' in " + where, hint);
  return nullptr;
}

std::optional<Setting> check_sysctl_value(const SysctlInfo& info, const Value& v, const SourceLoc& key_loc,
                                          const SourceLoc& value_loc, Diagnostics& out) {
  const auto* i = std::get_if<std::int64_t>(&v);
  const std::string range = std::to_string(info.min) + ".." + std::to_string(info.max);
  const std::string unit = info.unit.empty() ? "" : " " + std::string(info.unit);
  const std::string name(info.name);
  if (!i) {
    error(out, value_loc, "sysctl '" + name + "' = " + describe(v) + " is " + kind_of(v) + ", not an integer",
          "write a bare integer" + (unit.empty() ? "" : " of" + unit) + ", e.g. " + name + " = " +
              std::to_string(std::max<std::int64_t>(info.min, 1)));
    return std::nullopt;
  }
  if (*i < info.min || *i > info.max) {
    error(out, value_loc, "sysctl '" + name + "' = " + std::to_string(*i) + " is out of range",
          "valid range: " + range + unit);
    return std::nullopt;
  }
  return Setting{name, v, key_loc};
}

void set_or_add(std::vector<Setting>& list, Setting setting, bool options_ignore_case) {
  auto it = std::find_if(list.begin(), list.end(), [&](const Setting& s) {
    return options_ignore_case ? equal_ignore_case(s.key, setting.key) : s.key == setting.key;
  });
  if (it == list.end())
    list.push_back(std::move(setting));
  else
    *it = std::move(setting);
}

}  // namespace deadpeer::scenario
