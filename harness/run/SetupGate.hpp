#pragma once
// Setting a case up (lab, sshd, ssh's key exchange) is CPU work; waiting for a side to notice is
// timers. With dozens of cases at once, unbounded setups share the CPUs so that every case's
// session comes up late (1.6 s instead of 0.2 s for 32 at once on 2 cores), and the CPU they
// fight over is also what the waiting runs need to wake up on time. The gate lets a few setups
// run at a time, first come first served, while any number of cases wait on their timers. The
// Runner queues the cases longest-predicted first, so the case that decides the matrix's wall
// time is set up before the short ones (docs/parallel.md).
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace deadpeer::run {

class SetupGate {
 public:
  // slots ≤ 0: no limit.
  explicit SetupGate(int slots) : slots_(slots) {}
  SetupGate(const SetupGate&) = delete;
  SetupGate& operator=(const SetupGate&) = delete;

  // One setup's slot, given back when the setup is done (release) or abandoned (destructor).
  class Permit {
   public:
    Permit() = default;
    explicit Permit(SetupGate* gate) : gate_(gate) {}
    Permit(Permit&& o) noexcept : gate_(o.gate_) { o.gate_ = nullptr; }
    Permit& operator=(Permit&&) = delete;
    ~Permit() { release(); }
    void release() noexcept;

   private:
    SetupGate* gate_ = nullptr;
  };

  // Waits for a slot, in the order of the calls. Throws sys::Error("interrupted") when SIGINT or
  // SIGTERM arrives while waiting.
  Permit enter();
  int slots() const { return slots_; }

 private:
  void leave() noexcept;
  const int slots_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::uint64_t next_ticket_ = 0;  // tickets handed out
  std::uint64_t left_ = 0;         // permits given back
};

}  // namespace deadpeer::run
