#include "faults/Impair.hpp"

#include <random>

#include "faults/NetemQdisc.hpp"
#include "faults/UserPath.hpp"
#include "lab/Lab.hpp"
#include "scenario/Duration.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

ImpairSettings read_impair(FaultParams& p) {
  ImpairSettings s;
  ImpairConfig& c = s.config;
  const auto delay = p.duration("delay", 0ms, 0ms, 10s);
  const auto jitter = p.duration("jitter", 0ms, 0ms, 10s);
  c.delay = delay;
  c.jitter = jitter;
  c.loss = p.percent("loss", 0);
  c.duplicate = p.percent("duplicate", 0);
  c.reorder = p.percent("reorder", 0);
  c.rate_bps = p.rate("rate");
  c.direction = read_direction(p);
  c.limit = static_cast<std::size_t>(p.integer("limit", 1000, 1, 1000000));
  const auto backend = p.choice("backend", {"auto", "netem", "userspace"}, "auto");
  s.backend = backend == "netem"       ? ImpairBackend::netem
              : backend == "userspace" ? ImpairBackend::userspace
                                       : ImpairBackend::automatic;

  if (!p.has("delay") && !p.has("jitter") && !p.has("loss") && !p.has("duplicate") && !p.has("reorder") &&
      !p.has("rate"))
    p.error_at_fault("sets no impairment", "set at least one of delay, jitter, loss, duplicate, reorder, rate");
  if (jitter > delay)
    p.error_at_fault("jitter " + scenario::format_duration(jitter) + " is larger than delay " +
                         scenario::format_duration(delay),
                     "each packet waits delay ± jitter: keep jitter <= delay so none leaves before it arrived");
  if (c.reorder > 0 && delay == 0ms)
    p.error_at_fault("reorder needs a delay", "reorder sends that share at once while the rest waits `delay`");
  if (s.backend == ImpairBackend::netem && c.rate_bps)
    p.error_at_fault("rate cannot run on the netem backend (libnl 3.7 has no netem rate setter)",
                     "remove backend = \"netem\" (rate then runs in user space)");
  return s;
}

Impair::Impair(lab::Lab& lab, const ImpairSettings& s) : lab_(lab), config_(s.config) {
  const auto& router = lab.router().ns();
  bool use_netem = false;
  if (s.backend != ImpairBackend::userspace && !config_.rate_bps) {
    const std::string why_not = NetemQdisc::unavailable_reason(router);
    if (s.backend == ImpairBackend::netem && !why_not.empty())
      throw sys::Error("arm impair with backend = netem in " + router.name() + ": " + why_not);
    use_netem = why_not.empty();
    if (!use_netem) sys::log("faults").debug("impair in {}: user space, netem unavailable ({})", router.name(), why_not);
  }
  if (use_netem) {
    netem_ = std::make_unique<NetemQdisc>(router);
  } else {
    path_ = std::make_unique<UserPath>(lab, make_impair_stages(config_, std::random_device{}()), config_.limit);
  }
}

Impair::~Impair() { remove_quietly(); }

std::vector<std::string> Impair::netem_links() const {
  // netem acts on egress: what goes to the server leaves through rs, to the client through rc.
  std::vector<std::string> out;
  if (applies_to(config_.direction, Direction::to_server)) out.push_back(lab::Ifnames::router_to_server);
  if (applies_to(config_.direction, Direction::to_client)) out.push_back(lab::Ifnames::router_to_client);
  return out;
}

void Impair::do_apply() {
  if (path_) return path_->apply();
  const auto links = netem_links();
  for (std::size_t i = 0; i < links.size(); ++i) {
    try {
      netem_->add(links[i], config_);
    } catch (...) {
      for (std::size_t j = 0; j < i; ++j) {  // all or nothing
        try {
          netem_->remove(links[j]);
        } catch (const std::exception& e) {
          sys::log("faults").error("undo partial impair: {}", e.what());
        }
      }
      throw;
    }
  }
}

void Impair::do_remove() {
  if (path_) return path_->remove();
  std::string first_error;
  for (const auto& link : netem_links()) {
    try {
      netem_->remove(link);
    } catch (const std::exception& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  if (!first_error.empty()) throw sys::Error("remove impair: " + first_error);
}

std::map<std::string, long> Impair::live_counters() {
  if (!path_) return {};
  return {{"diverted_packets", path_->diverted_packets()}};
}

std::map<std::string, long> Impair::armed_counters() {
  if (!path_) return {};
  return path_->counters();
}

}  // namespace deadpeer::faults
