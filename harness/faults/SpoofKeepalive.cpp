#include "faults/SpoofKeepalive.hpp"

#include "lab/Lab.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

SpoofKeepalive::SpoofKeepalive(lab::Lab& lab, Direction answer, std::uint16_t server_port)
    : answer_(answer),
      cut_(lab.router().ns(), "spoof-keepalive", Direction::both),
      box_(lab, server_port, [this](const FrameView& f, const FlowTracker::Observation& obs,
                                    const FlowTracker& tracker, sys::TimePoint at) {
        return respond(f, obs, tracker, at);
      }) {}

SpoofKeepalive::~SpoofKeepalive() { remove_quietly(); }

std::optional<TcpSegment> SpoofKeepalive::respond(const FrameView& f, const FlowTracker::Observation& obs,
                                                  const FlowTracker& tracker, sys::TimePoint at) {
  if (!answering_ || !obs.keepalive_probe) return std::nullopt;
  ++probes_seen_;
  const bool answered = answer_ == Direction::both ||
                        (answer_ == Direction::to_client && obs.from == FlowSide::client) ||
                        (answer_ == Direction::to_server && obs.from == FlowSide::server);
  if (!answered) return std::nullopt;
  ++forged_acks_;
  auto ack = tracker.answer_probe(f, obs.from, at);
  sys::log("faults").debug("spoof-keepalive: probe {} answered as the {}", f.str(), to_string(other(obs.from)));
  return ack;
}

void SpoofKeepalive::do_apply() {
  // Probes are recognised by their sequence number (snd_nxt − 1), so the tracker must know the
  // prober's snd_nxt before the first probe. Learned before the cut, while the ends still talk.
  box_.synchronize(answer_ == Direction::to_server ? FlowSide::server : FlowSide::client, 2000ms);
  answering_ = true;
  try {
    cut_.apply();
  } catch (...) {
    answering_ = false;
    throw;
  }
}

void SpoofKeepalive::do_remove() {
  answering_ = false;
  cut_.remove();
}

std::map<std::string, long> SpoofKeepalive::armed_counters() {
  const auto cut = cut_.counters();
  const auto dropped = cut.find("dropped_packets");
  return {{"forged_acks", forged_acks_},
          {"probes_seen", probes_seen_},
          {"dropped_packets", dropped == cut.end() ? 0 : dropped->second}};
}

}  // namespace deadpeer::faults
