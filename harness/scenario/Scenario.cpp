#include "scenario/Scenario.hpp"

#include <charconv>
#include <cmath>

namespace deadpeer::scenario {

std::string SourceLoc::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {
std::string render_double(double d) {
  // Shortest text that reads back as the same double: 2.0 → "2", 0.1 → "0.1".
  // Config parsers (ssh's included) do not take "inf"/"nan", but showing them is honest.
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}
}  // namespace

std::string render(const Value& v) {
  struct Visitor {
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return render_double(d); }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

std::string to_string(Pattern p) {
  switch (p) {
    case Pattern::idle: return "idle";
    case Pattern::interactive: return "interactive";
    case Pattern::stream: return "stream";
    case Pattern::forward: return "forward";
  }
  return "?";
}

std::optional<Pattern> pattern_from_string(const std::string& s) {
  for (Pattern p : {Pattern::idle, Pattern::interactive, Pattern::stream, Pattern::forward})
    if (to_string(p) == s) return p;
  return std::nullopt;
}

std::string to_string(Implementation i) {
  switch (i) {
    case Implementation::openssh: return "openssh";
    case Implementation::dropbear: return "dropbear";
  }
  return "?";
}

std::optional<Implementation> implementation_from_string(const std::string& s) {
  for (Implementation i : {Implementation::openssh, Implementation::dropbear})
    if (to_string(i) == s) return i;
  return std::nullopt;
}

std::map<std::string, Value> Case::settings() const {
  const Scenario& s = scenario;
  std::map<std::string, Value> out;
  auto put_all = [&](const std::string& prefix, const std::vector<Setting>& settings) {
    for (const auto& setting : settings) out[prefix + setting.key] = setting.value;
  };
  put_all("client.", s.client);
  put_all("server.", s.server);
  put_all("kernel.client.", s.kernel_client);
  put_all("kernel.server.", s.kernel_server);
  put_all("kernel.router.", s.kernel_router);
  out["traffic.pattern"] = to_string(s.traffic.pattern);
  // Durations flatten to integer milliseconds: numbers compare and plot, "1m30s" does not.
  out["traffic.interval_ms"] = std::int64_t{s.traffic.interval.count()};
  out["implementation.client"] = to_string(s.client_impl);
  out["implementation.server"] = to_string(s.server_impl);
  for (std::size_t i = 0; i < s.faults.size(); ++i) {
    const FaultSpec& f = s.faults[i];
    const std::string prefix = "fault." + std::to_string(i) + ".";
    out[prefix + "kind"] = f.kind;
    out[prefix + "at_ms"] = std::int64_t{f.at.count()};
    if (f.duration) out[prefix + "duration_ms"] = std::int64_t{f.duration->count()};
    for (const auto& [name, param] : f.params) out[prefix + name] = param.value;
  }
  out["horizon_ms"] = std::int64_t{s.horizon.count()};
  out["repeat"] = std::int64_t{s.repeat};
  if (s.trace) out["trace"] = true;
  return out;
}

}  // namespace deadpeer::scenario
