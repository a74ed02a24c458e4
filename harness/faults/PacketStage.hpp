#pragma once
// One step of the user-space packet path (UserPath): it sees each packet the router received
// and decides its fate — drop it (emit nothing), pass it (emit it, possibly with a later release
// time), or duplicate it (emit it twice). Stages are chained: what one emits is handed to the
// next, and what the last one emits is queued until its release time.
//
// Stages only compute: they never sleep, read a clock or touch a socket. Time comes in with the
// packet (`arrived`, `send_at`), so the same code runs on the relay thread and in unit tests fed
// with synthetic frames and made-up instants.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "faults/Blackhole.hpp"
#include "faults/TcpFrame.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::faults {

// A packet in the relay. `way` is to_server (it arrived on rc) or to_client (on rs), never both.
struct Packet {
  std::vector<std::uint8_t> frame;  // the whole Ethernet frame as received
  Direction way = Direction::to_server;
  sys::TimePoint arrived{};
  sys::TimePoint send_at{};  // release time; starts at `arrived`, stages may only move it later
  std::uint64_t serial = 0;  // arrival order within its way; a duplicate keeps its original's
};

// True when a stage configured for `filter` (both / to-server / to-client) acts on `way`.
inline bool applies_to(Direction filter, Direction way) { return filter == Direction::both || filter == way; }

class Emit {
 public:
  virtual void operator()(Packet&& p) = 0;

 protected:
  ~Emit() = default;
};

class PacketStage {
 public:
  virtual ~PacketStage() = default;
  // Called on the relay thread for each packet while the path is applied.
  virtual void on_packet(Packet&& p, Emit& emit) = 0;
  // Stages that must learn a flow from its first packet (sequence numbers) return true: the
  // path then watches both links from arming on and calls observe() for every IPv4 frame the
  // router receives, applied or not — also for the frames that on_packet() later sees.
  virtual bool watches_from_arm() const { return false; }
  virtual void observe(const FrameView& f, Direction way) {}
  // Evidence, summed over the stage's life. Called from other threads: implementations read atomics.
  virtual std::map<std::string, long> counters() const = 0;
};

using Stages = std::vector<std::unique_ptr<PacketStage>>;

// Runs a packet through stages[0..n) and hands what comes out of the last one to `sink`.
class StageChain {
 public:
  StageChain(const Stages& stages, Emit& sink) : stages_(stages), sink_(sink) {}
  void run(Packet&& p) { run_from(0, std::move(p)); }

 private:
  struct Next final : Emit {
    StageChain& chain;
    std::size_t index;
    Next(StageChain& c, std::size_t i) : chain(c), index(i) {}
    void operator()(Packet&& p) override { chain.run_from(index, std::move(p)); }
  };
  void run_from(std::size_t i, Packet&& p) {
    if (i == stages_.size()) return sink_(std::move(p));
    Next next(*this, i + 1);
    stages_[i]->on_packet(std::move(p), next);
  }
  const Stages& stages_;
  Emit& sink_;
};

}  // namespace deadpeer::faults
