#include "scenario/AxisTarget.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "scenario/DidYouMean.hpp"

namespace deadpeer::scenario {

namespace {

std::vector<std::string> split(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::optional<std::size_t> index_of(const std::string& s) {
  std::size_t i = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return i;
}

void error(Diagnostics& out, const SourceLoc& loc, std::string message, std::string hint = {}) {
  out.push_back(Diagnostic{loc, std::move(message), std::move(hint)});
}

const std::string kForms =
    "matrix keys: client.<Option>, server.<Option>, kernel.<client|server|router>.<sysctl>, fault.<param>, "
    "fault.<i>.<param>, traffic.pattern, traffic.interval, implementation.<client|server>, horizon";

}  // namespace

std::optional<AxisTarget> AxisTarget::parse(const std::string& key, const Scenario& base, const SourceLoc& loc,
                                            Diagnostics& out) {
  const std::vector<std::string> p = split(key);
  const std::string& head = p[0];
  const std::string what = "matrix key '" + key + "'";
  auto fail = [&](std::string message, std::string hint) -> std::optional<AxisTarget> {
    error(out, loc, what + ": " + message, hint.empty() ? kForms : hint);
    return std::nullopt;
  };

  if (head == "horizon" && p.size() == 1) return AxisTarget(Kind::horizon, "");
  if ((head == "client" || head == "server") && p.size() == 2) {
    if (!is_option_name(p[1])) return fail("'" + p[1] + "' is not an option name", "");
    return AxisTarget(head == "client" ? Kind::client : Kind::server, p[1]);
  }
  if (head == "kernel" && p.size() == 3) {
    auto side = kernel_side_from_string(p[1]);
    if (!side) return fail("no kernel side '" + p[1] + "'", did_you_mean(p[1], {"client", "server", "router"}));
    if (!check_sysctl_name(p[2], *side, loc, out)) return std::nullopt;
    AxisTarget t(Kind::kernel, p[2]);
    t.side_ = *side;
    return t;
  }
  if (head == "traffic" && p.size() == 2) {
    if (p[1] == "pattern") return AxisTarget(Kind::traffic_pattern, "");
    if (p[1] == "interval") return AxisTarget(Kind::traffic_interval, "");
    return fail("[traffic] has no key '" + p[1] + "'", did_you_mean(p[1], {"pattern", "interval"}));
  }
  if (head == "implementation" && p.size() == 2) {
    if (p[1] == "client") return AxisTarget(Kind::impl_client, "");
    if (p[1] == "server") return AxisTarget(Kind::impl_server, "");
    return fail("[implementation] has no key '" + p[1] + "'", did_you_mean(p[1], {"client", "server"}));
  }
  if (head == "fault" && (p.size() == 2 || p.size() == 3)) {
    if (base.faults.empty()) return fail("the scenario has no [[fault]] to vary", "add a [[fault]] table");
    AxisTarget t(Kind::fault, p.back());
    if (p.size() == 3) {
      t.fault_index_ = index_of(p[1]);
      if (!t.fault_index_ || *t.fault_index_ >= base.faults.size())
        return fail("no fault number '" + p[1] + "'", "faults are numbered from 0 in file order; this scenario has " +
                                                          std::to_string(base.faults.size()));
    }
    if (!is_identifier(t.name_)) return fail("'" + t.name_ + "' is not a fault parameter name", "");
    return t;
  }
  const std::vector<std::string> heads = {"client",  "server",         "kernel", "fault",
                                          "traffic", "implementation", "horizon"};
  if (std::find(heads.begin(), heads.end(), head) == heads.end()) {
    std::string hint = did_you_mean(head, heads);
    return fail("'" + head + "' is not something a matrix can vary", hint.substr(0, 4) == "did " ? hint : kForms);
  }
  return fail("wrong number of parts", "");
}

bool AxisTarget::apply(Scenario& s, const Value& value, const SourceLoc& loc, Diagnostics& out) const {
  switch (kind_) {
    case Kind::client:
    case Kind::server:
      set_or_add(kind_ == Kind::client ? s.client : s.server, Setting{name_, value, loc}, true);
      return true;
    case Kind::kernel: {
      const SysctlInfo* info = find_sysctl(name_, side_);
      auto setting = info ? check_sysctl_value(*info, value, loc, loc, out) : std::nullopt;
      if (!setting) return false;
      auto& list = side_ == KernelSide::client   ? s.kernel_client
                   : side_ == KernelSide::server ? s.kernel_server
                                                 : s.kernel_router;
      set_or_add(list, std::move(*setting), false);
      return true;
    }
    case Kind::traffic_pattern: {
      auto p = check_pattern(value, loc, out);
      if (p) s.traffic.pattern = *p;
      return p.has_value();
    }
    case Kind::traffic_interval: {
      auto d = check_duration(value, loc, "traffic.interval", DurationRule::positive, kMaxHorizon, out);
      if (d) s.traffic.interval = *d;
      return d.has_value();
    }
    case Kind::impl_client:
    case Kind::impl_server: {
      auto impl = check_implementation(
          value, loc, kind_ == Kind::impl_client ? "implementation.client" : "implementation.server", out);
      if (impl) (kind_ == Kind::impl_client ? s.client_impl : s.server_impl) = *impl;
      return impl.has_value();
    }
    case Kind::horizon: {
      auto d = check_duration(value, loc, "horizon", DurationRule::positive, kMaxHorizon, out);
      if (d) s.horizon = *d;
      return d.has_value();
    }
    case Kind::fault: return apply_fault(s, value, loc, out);
  }
  return false;
}

bool AxisTarget::apply_fault(Scenario& s, const Value& value, const SourceLoc& loc, Diagnostics& out) const {
  std::vector<std::size_t> targets;
  if (fault_index_) {
    if (*fault_index_ >= s.faults.size()) {
      error(out, loc, "no fault number " + std::to_string(*fault_index_) + " to vary", "");
      return false;
    }
    targets.push_back(*fault_index_);
  } else {
    for (std::size_t i = 0; i < s.faults.size(); ++i) {
      const FaultSpec& f = s.faults[i];
      const bool has = name_ == "at" || name_ == "kind" || (name_ == "duration" && f.duration) || f.params.count(name_);
      if (has) targets.push_back(i);
    }
    if (targets.empty())
      for (std::size_t i = 0; i < s.faults.size(); ++i) targets.push_back(i);
  }

  if (name_ == "kind") {
    const auto* kind = std::get_if<std::string>(&value);
    if (!kind || !is_identifier(*kind)) {
      error(out, loc, "'fault.kind' = " + describe(value) + " is not a fault kind",
            "write a name such as \"blackhole\"");
      return false;
    }
    for (auto i : targets) s.faults[i].kind = *kind;
  } else if (name_ == "at") {
    auto d = check_duration(value, loc, "fault.at", DurationRule::non_negative, kMaxHorizon, out);
    if (!d) return false;
    for (auto i : targets) s.faults[i].at = *d;
  } else if (name_ == "duration") {
    auto d = check_duration(value, loc, "fault.duration", DurationRule::positive, kMaxHorizon, out);
    if (!d) return false;
    for (auto i : targets) s.faults[i].duration = *d;
  } else {
    for (auto i : targets) s.faults[i].params[name_] = Setting{name_, value, loc};
  }
  return true;
}

}  // namespace deadpeer::scenario
