#include "faults/Fault.hpp"

#include "sys/Log.hpp"

namespace deadpeer::faults {

void Fault::remove_quietly() noexcept {
  if (!active_) return;
  try {
    do_remove();
    active_ = false;
  } catch (const std::exception& e) {
    sys::log("faults").error("remove {} on teardown: {}", kind(), e.what());
  } catch (...) {
    sys::log("faults").error("remove {} on teardown: unknown error", kind());
  }
}

}  // namespace deadpeer::faults
