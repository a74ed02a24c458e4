#include "faults/SpoofRst.hpp"

#include <thread>

#include "lab/Lab.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

SpoofRst::SpoofRst(lab::Lab& lab, FlowSide target, bool exact, std::uint16_t server_port)
    : target_(target),
      exact_(exact),
      box_(lab, server_port, [this](const FrameView& f, const FlowTracker::Observation& obs, const FlowTracker&,
                                    sys::TimePoint at) { return after_rst(f, obs, at); }) {}

SpoofRst::~SpoofRst() { remove_quietly(); }

std::optional<TcpSegment> SpoofRst::after_rst(const FrameView& f, const FlowTracker::Observation& obs,
                                              sys::TimePoint at) {
  // A challenge ACK leaves the target at once; 200 ms covers a loaded machine, and nothing else
  // moves on an idle connection in that time.
  const auto sent = sent_at_.load();
  if (sent != 0 && obs.from == target_ && f.flags == tcpflag::ack && f.payload_len == 0 &&
      at - sys::TimePoint(sys::TimePoint::duration(sent)) < 200ms)
    ++challenge_acks_;
  return std::nullopt;
}

void SpoofRst::do_apply() {
  const bool elicited = box_.synchronize(target_, 2000ms);
  if (elicited && !exact_) {
    // The challenge ACK we just drew spent the target's per-socket allowance
    // (tcp_invalid_ratelimit, 500 ms): wait, or the RST's challenge ACK would be suppressed.
    std::this_thread::sleep_for(600ms);
  }
  TcpSegment rst =
      box_.with_tracker([&](const FlowTracker& t) { return t.forge_from(other(target_), sys::Clock::now()); });
  rst.flags = tcpflag::rst | tcpflag::ack;
  rst.window = 0;  // like the kernel's own RSTs
  rst.ts_val.reset();  // a RST passes PAWS anyway; the kernel's own RSTs carry no timestamp
  rst.ts_ecr.reset();
  if (!exact_) rst.seq += 1;
  sys::log("faults").debug("spoof-rst: sending {} RST to the {} (seq {})", exact_ ? "exact" : "in-window",
                           to_string(target_), rst.seq);
  ++forged_rsts_;
  sent_at_ = sys::Clock::now().time_since_epoch().count();
  // t0 is the instant before the packet leaves: the target reacts within microseconds.
  mark_effect(sys::Clock::now());
  box_.send(rst);
}

std::map<std::string, long> SpoofRst::armed_counters() {
  return {{"forged_rsts", forged_rsts_}, {"challenge_acks", challenge_acks_}};
}

}  // namespace deadpeer::faults
