#pragma once
// The kernel backend of `impair`: a root netem qdisc on a router link, through libnl-route.
//
// Honest limits: this kernel (and many CI kernels) has no sch_netem, so this file is not
// exercised by the tests here — only its probe is (which reports "missing" here). It is kept to
// the minimum: add one qdisc with the knobs libnl 3.7 can set (delay, jitter, loss, duplicate,
// reorder, limit), delete it. libnl 3.7 has no netem rate setter, so `rate` always runs in user
// space. Two links (direction = both) are two netlink requests, microseconds apart.
#include <memory>
#include <string>

#include "faults/ImpairStages.hpp"

struct nl_sock;

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

class NetemQdisc {
 public:
  // "" when the kernel accepts a netem qdisc (one is added on lo of `ns` and deleted again);
  // otherwise why not, in libnl's words.
  static std::string unavailable_reason(const sys::Netns& ns);

  // Opens a route socket in `ns`; nothing is added yet.
  explicit NetemQdisc(const sys::Netns& ns);
  ~NetemQdisc();

  // Replaces the root qdisc of `ifname` with netem set from `c` (rate ignored: see above).
  void add(const std::string& ifname, const ImpairConfig& c);
  // Deletes the root qdisc of `ifname` (the device's default comes back).
  void remove(const std::string& ifname);

 private:
  struct Deleter {
    void operator()(nl_sock* s) const;
  };
  std::unique_ptr<nl_sock, Deleter> sock_;
  std::string ns_name_;
};

}  // namespace deadpeer::faults
