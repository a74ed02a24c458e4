#pragma once
// `impair`: the router degrades what it forwards — delay (± jitter), loss, duplication,
// reordering and a rate limit, with netem's meaning for each knob (docs/faults-userspace.md).
//
//   delay     0…10 s, added to each packet in each direction the fault covers (direction =
//             "both" adds it both ways: the RTT grows by 2 × delay)
//   jitter    ≤ delay: each packet's delay is uniform in delay ± jitter (may reorder, as netem)
//   loss, duplicate   percent of packets, independently
//   reorder   percent sent at once while the rest waits `delay` (needs delay)
//   rate      "10mbit": each way serialised at that rate, at most `limit` packets queued
//   limit     packets queued per way (netem's limit, default 1000)
//   direction both | to-server | to-client
//   backend   auto (default) | netem | userspace
//
// Backend, chosen when armed and reported in every result: a root netem qdisc on the router's
// egress towards the side (to-server = rs, to-client = rc) when the kernel has sch_netem and no
// rate is asked; otherwise the user-space path (UserPath with ImpairStages). `delay = "0ms"`
// is a valid setting: it runs the path with nothing to do, which measures its own cost.
#include <memory>

#include "faults/Fault.hpp"
#include "faults/FaultParams.hpp"
#include "faults/ImpairStages.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class NetemQdisc;
class UserPath;

enum class ImpairBackend { automatic, netem, userspace };

struct ImpairSettings {
  ImpairConfig config;
  ImpairBackend backend = ImpairBackend::automatic;
};
// Reads (and checks) every parameter of an impair fault.
ImpairSettings read_impair(FaultParams& p);

class Impair : public Fault {
 public:
  Impair(lab::Lab& lab, const ImpairSettings& s);
  ~Impair() override;

  std::string kind() const override { return "impair"; }
  std::string backend() const override { return path_ ? "userspace" : "netem"; }

 protected:
  void do_apply() override;
  void do_remove() override;
  std::map<std::string, long> live_counters() override;   // "diverted_packets" (userspace)
  std::map<std::string, long> armed_counters() override;  // the user-space path's (see UserPath)

 private:
  std::vector<std::string> netem_links() const;

  lab::Lab& lab_;
  ImpairConfig config_;
  std::unique_ptr<NetemQdisc> netem_;
  std::unique_ptr<UserPath> path_;
};

}  // namespace deadpeer::faults
