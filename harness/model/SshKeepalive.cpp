#include "model/SshKeepalive.hpp"

#include <algorithm>

#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

// ssh: server_alive_check() runs when the deadline server_alive_time passes; it increments
// the unanswered count and exits once it exceeds ServerAliveCountMax, else sends a probe and
// re-arms the deadline I later. Any received packet resets the count
// (ssh_packet_read_poll_seqnr) and re-arms the deadline (client_process_net_input). So the
// N+1-th check after the last receive exits: (N+1)·I. With N=0 the first check exits without
// probing. Since 9.2 (ptimeout API) the deadline is monotime() (whole seconds) + I and poll
// wakes exactly on it; before, poll slept whole seconds from "now" and kept the fraction.
SshKeepalive openssh_client(const SideConfig& c) {
  SshKeepalive k;
  const double i = double(c.alive_interval_s);
  const long n = c.alive_count_max;
  k.cause = Cause::serveralive;
  k.probes = n > 0;
  k.disconnects = true;
  k.first_probe_s = k.cycle_s = i;
  k.span_s = double(n + 1) * i;
  k.whole_second = c.version >= Version{9, 2};
  k.rule = n > 0 ? "openssh-serveralive" : "openssh-serveralive-countmax0";
  k.formula = "ServerAliveInterval " + secs(i) + " s × (ServerAliveCountMax " + std::to_string(n) + " + 1)";
  if (k.whole_second) k.formula += ", whole-second deadline";
  if (n == 0) k.formula += ": exits at the first check without probing, even on a healthy idle link";
  return k;
}

// sshd: wait_until_can_do_something() polls with a relative timeout of I and probes only when
// the poll timed out (ret == 0) and `now > last_client_time + I` (whole seconds). Data from the
// client sets last_client_time = now. In 9.2–9.4 the first timeout after a receive finds
// now == last + I, fails the strict `>`, and only the second one probes: a probe every 2·I and
// an exit after 2(N+1)·I. 9.5 changed it to `>=` (commit 9d7193a8); 9.1 and older probed on
// every timeout. client_alive_check() exits when the count exceeds ClientAliveCountMax, but only
// if that is > 0: with 0 it probes forever and never disconnects.
SshKeepalive openssh_server(const SideConfig& c) {
  SshKeepalive k;
  const double i = double(c.alive_interval_s);
  const long n = c.alive_count_max;
  const bool doubled = c.version >= Version{9, 2} && c.version < Version{9, 5};
  const double step = doubled ? 2 * i : i;
  k.cause = Cause::clientalive;
  k.probes = true;
  k.disconnects = n > 0;
  k.first_probe_s = k.cycle_s = step;
  k.span_s = double(n + 1) * step;
  k.rule = n == 0 ? "sshd-clientalive-countmax0" : doubled ? "sshd-clientalive-double-interval" : "sshd-clientalive";
  const std::string v = "sshd " + std::to_string(c.version.major) + "." + std::to_string(c.version.minor);
  k.formula = doubled ? "2 × ClientAliveInterval " + secs(i) + " s × (ClientAliveCountMax " + std::to_string(n) +
                            " + 1) (" + v + " probes every second timeout: strict `>` on whole seconds)"
                      : "ClientAliveInterval " + secs(i) + " s × (ClientAliveCountMax " + std::to_string(n) + " + 1)";
  if (n == 0) k.formula = "ClientAliveCountMax 0: " + v + " probes every " + secs(step) + " s but never disconnects";
  return k;
}

// Dropbear (both ends): checktimeouts() sends a keepalive when nothing was sent, or nothing
// received, for K seconds, and exits "Keepalive timeout" once nothing was received for
// K × DEFAULT_KEEPALIVE_LIMIT (3) — 3·K, not (3+1)·K: the exit test runs at the third wake-up
// after the last receive, not after a fourth probe. Times are whole seconds of CLOCK_MONOTONIC
// (monotonic_now()), but select() sleeps the whole-second difference from the real time of the
// call, so the wake-ups keep the receive's fraction: exit at t_rx + 3·K. (Wake-ups of its own
// writes move that fraction: see late_s, set in Traffic.cpp.) Each wake-up also adds its own
// latency, and with K = 1 two of them can carry a receive made just before a second boundary
// across the next one: the test `now - last_recv >= 3` then holds at the second wake-up, a
// whole second early (early_s). The soak met it once: dropbear -K 1 ended a session 1.505 s
// after a blackhole, against the then-predicted 1.9998–3 s.
SshKeepalive dropbear(const SideConfig& c) {
  SshKeepalive k;
  const double kk = double(c.alive_interval_s);
  k.cause = c.side == Side::client ? Cause::serveralive : Cause::clientalive;
  k.probes = k.disconnects = true;
  k.first_probe_s = k.cycle_s = kk;
  k.span_s = 3 * kk;
  // With K ≥ 2 the second wake-up is ≥ 2 s short of the exit boundary: no latency crosses that.
  k.early_s = kk <= 1 ? 1.0 : 0.0;
  k.rule = "dropbear-keepalive";
  k.formula = c.program() + " -K " + secs(kk) + " s × 3 (DEFAULT_KEEPALIVE_LIMIT)";
  return k;
}

}  // namespace

SshKeepalive ssh_keepalive(const SideConfig& c) {
  if (c.alive_interval_s <= 0) {
    SshKeepalive off;
    off.rule = "ssh-keepalive-off";
    off.formula = c.interval_option() + " 0 (off)";
    return off;
  }
  if (c.dropbear()) return dropbear(c);
  return c.side == Side::client ? openssh_client(c) : openssh_server(c);
}

std::optional<Window> ssh_keepalive_exit(const SshKeepalive& ka, Window last_rx, Window onset, double rtt,
                                         std::optional<double> second_start) {
  if (!ka.disconnects) return std::nullopt;
  if (ka.whole_second && second_start) {
    // The deadline was armed at floor(t_rx) + interval and moves by whole intervals.
    Window r{*second_start + ka.span_s, *second_start + ka.span_s + ka.late_s};
    r.lo_s = std::max(r.lo_s, std::max(0.0, onset.lo_s));
    r.hi_s = std::max(r.hi_s, r.lo_s);
    return r;
  }
  // floor(t) > t - 1: a whole-second deadline can come up to 1 s early.
  double lo = last_rx.lo_s - (ka.whole_second ? 1.0 : 0.0);
  // Had the first probe left before the onset, its answer would have arrived: the receive that
  // armed it cannot be older than first_probe + rtt before the onset. ssh probes exactly at its
  // whole-second deadline; Dropbear woken by its own writes (late_s) at some wake-up within the
  // second after it, which loosens the bound by that second.
  if (ka.probes) lo = std::max(lo, onset.lo_s - ka.first_probe_s - rtt - (ka.late_s > 0 ? 1.0 : 0.0));
  // A side woken by its own writes (whole_second) already has its early second in `lo`.
  Window r{lo + ka.span_s - (ka.whole_second ? 0.0 : ka.early_s), last_rx.hi_s + ka.span_s + ka.late_s};
  // A side whose own check fires before the fault would not be there to measure: it is still
  // alive at t0 (and at the onset), so it exits after it.
  r.lo_s = std::max(r.lo_s, std::max(0.0, onset.lo_s));
  r.hi_s = std::max(r.hi_s, r.lo_s);
  return r;
}

std::optional<Window> ssh_keepalive_first_probe(const SshKeepalive& ka, Window last_rx, Window onset) {
  if (!ka.probes) return std::nullopt;
  const double lo = std::max(onset.lo_s, last_rx.lo_s - (ka.whole_second ? 1.0 : 0.0) + ka.first_probe_s);
  const double hi = std::max(lo, last_rx.hi_s + ka.first_probe_s);
  return Window{lo, hi};
}

}  // namespace deadpeer::model
