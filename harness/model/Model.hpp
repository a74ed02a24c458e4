#pragma once
// The timing model: from settings, traffic pattern, fault and implementation versions to
// WHEN each side (ssh client, ssh server) notices that its peer is gone and WHY.
//
// Pure functions: no Linux, no privileges, no clocks. Every time is in seconds after t0 (the
// instant the fault took effect). The rules and their sources are in docs/timing-model.md.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "observe/Cause.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::model {

// OpenSSH 9.2p1 → {9,2}; Dropbear 2022.83 → {2022,83}.
struct Version {
  int major = 0, minor = 0;
  friend auto operator<=>(const Version&, const Version&) = default;
};
// "9.2p1", "OpenSSH_9.2p1 Debian-2", "2022.83", "Dropbear v2022.83" → Version; nullopt if no "N.N".
std::optional<Version> version_from_string(std::string_view text);

struct Inputs {
  // Options exactly as the user gave them: keys are case-insensitive, values are rendered
  // strings ("1", "yes", "1m30s"). OpenSSH names for both implementations; for Dropbear
  // ClientAliveInterval/ServerAliveInterval mean -K, IdleTimeout means -I (see docs).
  std::map<std::string, std::string> client, server;  // ssh_config / sshd_config
  // Per-namespace sysctls under net.ipv4 (tcp_keepalive_time/intvl/probes, tcp_retries2,
  // tcp_rto_min_us, tcp_rto_max_ms); unset keys take the Linux defaults of a new netns.
  std::map<std::string, long> kernel_client, kernel_server;
  scenario::Pattern pattern = scenario::Pattern::idle;
  double traffic_interval_s = 2.0;  // interactive/forward: one small write this often
  // blackhole, drop, reject, link-down, firewall, impair, spoof-keepalive, spoof-rst, spoof-data,
  // freeze, crash, reboot (harness/faults/FaultFactory.cpp)
  std::string fault = "blackhole";
  // direction (both|to-server|to-client), target (server|client), icmp (reject), down (reboot),
  // idle_timeout, on_expiry (drop|reset), ignore_keepalive (firewall), delay, jitter, loss
  // (impair); transient faults: duration, or flap.up / flap.down / flap.count
  std::map<std::string, std::string> fault_params;
  // The fault's `at`: how long after the session's steady state (its last packet when idle)
  // t0 comes. Only bounds how stale a firewall's conntrack entry can be; nullopt = unknown.
  std::optional<double> fault_at_s;
  scenario::Implementation client_impl = scenario::Implementation::openssh;
  scenario::Implementation server_impl = scenario::Implementation::openssh;
  Version client_version{9, 2}, server_version{9, 2};
  double rtt_s = 0.0002;  // lab round-trip time; enters the RTO and the probe/answer spacing
  // What a traced run (scenario `trace = true`) saw in the OpenSSH client's own log: when it
  // last received an SSH packet before t0. The model then predicts from this one phase instead
  // of the whole range the traffic pattern allows; for ServerAlive the window shrinks to a
  // point, since ssh arms its deadline in whole seconds of its clock (docs/timing-model.md).
  struct ObservedReceive {
    double t_s = 0;             // relative to t0 (≤ 0)
    double second_start_s = 0;  // start of the CLOCK_BOOTTIME second t_s fell in, relative to t0
  };
  std::optional<ObservedReceive> client_last_rx;
};

// Detection time after t0, inclusive.
struct Window {
  double lo_s = 0, hi_s = 0;
  friend bool operator==(const Window&, const Window&) = default;
};
std::string to_string(const Window& w);  // "3.000–4.000 s"

struct SidePrediction {
  std::optional<Window> window;  // nullopt: nothing ends this side (cause none)
  observe::Cause cause = observe::Cause::none;
  std::string rule;         // stable name of the rule that decided, e.g. "openssh-serveralive"
  std::string explanation;  // the rule with the numbers filled in
  // A transient fault may end before `window` is reached, depending on the phase of the
  // traffic: then both "detected in window" and "survived" are right.
  bool may_survive = false;
};

struct Prediction {
  SidePrediction client, server;
};

Prediction predict(const Inputs& in);

// How far a measurement may stray from a predicted bound, packetdrill-style:
// max(10 ms, 12.5 % of the bound). 12.5 % is the worst lateness of the kernel timer wheel at
// HZ=250 (a timer lands in a level whose granularity is up to 8/63 of its delay); 10 ms covers
// two jiffies plus wake-up, pidfd and log-line latency for short windows.
inline constexpr double kToleranceAbsS = 0.010;
inline constexpr double kTolerancePct = 0.125;
double tolerance_s(double expected_s);

// Does a measurement agree with a prediction? The cause must match and the time must lie in
// [lo - tolerance_s(lo), hi + tolerance_s(hi)]. A "never" prediction agrees with no detection
// (measured_s nullopt, or cause none). With horizon_s, a predicted window that starts after
// the horizon also agrees with no detection, and one that straddles it agrees with either.
// A prediction that may_survive agrees with no detection too.
bool agrees(const SidePrediction& predicted, std::optional<double> measured_s, observe::Cause measured_cause,
            std::optional<double> horizon_s = std::nullopt);

}  // namespace deadpeer::model
