#include "run/SetupGate.hpp"

#include <chrono>

#include "sys/Interrupt.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::run {

SetupGate::Permit SetupGate::enter() {
  if (slots_ <= 0) return Permit();
  std::unique_lock lock(mutex_);
  // Ticket t may go in once fewer than `slots` of the tickets before it are still inside:
  // t < left + slots. Tickets make it first come, first served, which a bare condition
  // variable is not.
  const std::uint64_t ticket = next_ticket_++;
  while (ticket >= left_ + static_cast<std::uint64_t>(slots_)) {
    if (sys::Interrupt::requested()) {
      // Our ticket must not block the ones behind it: count it as given back. (That may let one
      // setup too many in, but an interrupted run is unwinding anyway.)
      ++left_;
      cv_.notify_all();
      throw sys::Error("interrupted while waiting for a setup slot");
    }
    // The timeout only bounds how late an interrupt is seen.
    cv_.wait_for(lock, std::chrono::milliseconds(100));
  }
  return Permit(this);
}

void SetupGate::leave() noexcept {
  {
    std::lock_guard lock(mutex_);
    ++left_;
  }
  cv_.notify_all();
}

void SetupGate::Permit::release() noexcept {
  if (gate_) gate_->leave();
  gate_ = nullptr;
}

}  // namespace deadpeer::run
