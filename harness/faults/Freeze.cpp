#include "faults/Freeze.hpp"

#include "proc/Cgroup.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

void Freeze::do_apply() {
  cgroup_.freeze(true);
  sys::log("faults").debug("froze the {} ({})", target_, cgroup_.path());
}

void Freeze::do_remove() { cgroup_.freeze(false); }

}  // namespace deadpeer::faults
