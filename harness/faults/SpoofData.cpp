#include "faults/SpoofData.hpp"

#include <random>

#include "lab/Lab.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

SpoofData::SpoofData(lab::Lab& lab, FlowSide target, std::size_t bytes, std::uint16_t server_port)
    : target_(target),
      box_(lab, server_port, [this](const FrameView& f, const FlowTracker::Observation& obs, const FlowTracker&,
                                    sys::TimePoint) { return watch(f, obs); }) {
  std::random_device rd;
  std::independent_bits_engine<std::mt19937, 8, unsigned> gen(rd());
  junk_.resize(bytes);
  for (auto& b : junk_) b = static_cast<std::uint8_t>(gen());
}

SpoofData::~SpoofData() { remove_quietly(); }

std::optional<TcpSegment> SpoofData::watch(const FrameView& f, const FlowTracker::Observation& obs) {
  if (forged_ && obs.from == other(target_) && f.payload_len > 0 && seq_after(forged_end_.load(), f.seq))
    ++overlapped_;
  return std::nullopt;
}

void SpoofData::do_apply() {
  box_.synchronize(target_, 2000ms);
  TcpSegment seg =
      box_.with_tracker([&](const FlowTracker& t) { return t.forge_from(other(target_), sys::Clock::now()); });
  seg.flags = tcpflag::ack | tcpflag::psh;
  seg.payload = junk_;
  forged_end_ = seg.seq + static_cast<std::uint32_t>(junk_.size());
  forged_ = true;
  sys::log("faults").debug("spoof-data: sending {} junk bytes to the {} at seq {}", junk_.size(), to_string(target_),
                           seg.seq);
  ++forged_segments_;
  // t0 is the instant before the packet leaves: the target reacts within microseconds.
  mark_effect(sys::Clock::now());
  box_.send(seg);
}

std::map<std::string, long> SpoofData::armed_counters() {
  return {{"forged_segments", forged_segments_}, {"overlapped_segments", overlapped_}};
}

}  // namespace deadpeer::faults
