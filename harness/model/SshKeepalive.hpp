#pragma once
// SSH-level keepalives: when a side probes, and when it gives up, measured from the last SSH
// packet it received. One description covers ssh (clientloop.c), sshd (serverloop.c, with the
// 9.2–9.4 double-interval bug) and Dropbear's -K (common-session.c).
#include <string>

#include "model/SideConfig.hpp"
#include "observe/Cause.hpp"

namespace deadpeer::model {

struct SshKeepalive {
  bool probes = false;       // sends keepalive@openssh.com at all (data that needs an ACK)
  bool disconnects = false;  // gives up and exits after span_s of silence
  double first_probe_s = 0;  // last received SSH packet → first probe
  double cycle_s = 0;        // probe → next probe while nothing is received
  double span_s = 0;         // last received SSH packet → exit
  // ssh >= 9.2 arms whole-second CLOCK_BOOTTIME deadlines: exit at floor(t_rx) + span, which can
  // be up to 1 s before t_rx + span. Everything else measures from the real receive time.
  bool whole_second = false;
  // Dropbear also counts whole seconds (monotonic_now()) but sleeps them from the real time of
  // its select() call, so it wakes at the fraction of whatever last woke its loop. Idle, that is
  // the receive itself (exit at t_rx + span); a side that also writes on its own (typing, a
  // stream) can wake at any fraction and restart its probe chain there: the exit then lies in
  // [floor(t_rx) + span, t_rx + span + late_s) (whole_second gives the early side), and its
  // probes leave at any wake-up within a second, not on it.
  double late_s = 0;
  // Dropbear with -K 1, not woken by its own writes: each wake-up comes a little after the one
  // before (select latency), so when the receive fell within that latency of a second boundary,
  // the second wake-up after it lands past floor(t_rx) + 3 and the whole-second test fires
  // there: t_rx + 2 + latency, up to this much before t_rx + span. Rare, but measured.
  double early_s = 0;
  observe::Cause cause = observe::Cause::none;
  std::string rule;     // "openssh-serveralive", "sshd-clientalive-double-interval", ...
  std::string formula;  // "ServerAliveInterval 1 s × (ServerAliveCountMax 3 + 1)"
};

SshKeepalive ssh_keepalive(const SideConfig& side);

// When this side gives up, given that the last SSH packet it received arrived in `last_rx` and
// that its packets are lost from `onset` on (both relative to t0). Uses the fact that a probe
// sent before the onset would have been answered: the last receive cannot be older than one
// first_probe_s (+ rtt) before the onset. nullopt if the side never disconnects.
// `second_start`: a traced run's start of the clock second the last receive fell in; with
// whole-second deadlines the exit is then that second + span_s, a point (plus late_s).
std::optional<Window> ssh_keepalive_exit(const SshKeepalive& ka, Window last_rx, Window onset, double rtt_s,
                                         std::optional<double> second_start = std::nullopt);

// When this side's first probe after the onset leaves (it will not be answered).
std::optional<Window> ssh_keepalive_first_probe(const SshKeepalive& ka, Window last_rx, Window onset);

}  // namespace deadpeer::model
