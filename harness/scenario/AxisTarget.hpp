#pragma once
// What a [matrix] key points at, and how one of its values is written into a scenario.
// The parser applies every value to a scratch copy to validate it; expand() applies them for real.
#include <cstddef>
#include <optional>
#include <string>

#include "scenario/FieldRules.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::scenario {

class AxisTarget {
 public:
  // Reads a key such as "client.ServerAliveInterval", "kernel.router.nf_conntrack_tcp_timeout_established",
  // "fault.at" or "fault.1.loss". `base` is needed to know which faults exist.
  // Returns nullopt after appending a Diagnostic at `loc` when the key names nothing variable.
  static std::optional<AxisTarget> parse(const std::string& key, const Scenario& base, const SourceLoc& loc,
                                         Diagnostics& out);

  // Writes `value` where the key points. A "fault.<param>" key without an index changes every
  // fault that already sets the param, or every fault when none does (the fault factory then
  // decides whether the kind accepts it). Returns false after a Diagnostic at `loc`.
  bool apply(Scenario& s, const Value& value, const SourceLoc& loc, Diagnostics& out) const;

 private:
  enum class Kind {
    client,
    server,
    kernel,
    fault,
    traffic_pattern,
    traffic_interval,
    impl_client,
    impl_server,
    horizon
  };
  AxisTarget(Kind kind, std::string name) : kind_(kind), name_(std::move(name)) {}

  bool apply_fault(Scenario& s, const Value& value, const SourceLoc& loc, Diagnostics& out) const;

  Kind kind_;
  std::string name_;  // option, sysctl or fault param name
  KernelSide side_ = KernelSide::client;
  std::optional<std::size_t> fault_index_;
};

}  // namespace deadpeer::scenario
