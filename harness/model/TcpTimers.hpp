#pragma once
// Linux TCP timers that can end an SSH session without SSH noticing first: keepalive
// (tcp_keepalive_timer) and retransmission give-up (tcp_retransmit_timer → tcp_write_timeout →
// retransmits_timed_out), computed in jiffies as the kernel does.
#include <vector>

#include "model/SideConfig.hpp"

namespace deadpeer::model {

inline constexpr long kHz = 250;  // Debian's CONFIG_HZ (facts.md); one jiffy = 4 ms

struct Retransmission {
  double rto0_s = 0;           // first RTO: srtt + rttvar (>= rto_min), rounded up to a jiffy
  double tlp_s = 0;            // tail loss probe after the first send: min(2·srtt + TCP_RTO_MIN, RTO)
  double model_timeout_s = 0;  // tcp_model_timeout(tcp_retries2, TCP_RTO_MIN): the give-up budget
  double giveup_s = 0;         // first unacknowledged send → ETIMEDOUT
  int rto_retransmits = 0;     // RTO retransmissions before the give-up
  // Offsets from the first send of every later transmission of that data (the TLP, then each
  // RTO retransmission), in order: a peer that comes back sees the first one after it returns.
  std::vector<double> transmissions_s;
};

// For data first sent at 0 and never acknowledged.
Retransmission retransmission(const KernelTcp& tcp, double rtt_s);

// tcp_model_timeout() with rto_base = TCP_RTO_MIN (200 ms) and the namespace's rto_max:
// retries2=15 → 924.6 s. Exposed for the explanations and the tests.
double tcp_model_timeout_s(long retries2, double rto_max_s);

// Keepalive: first probe tcp_keepalive_time after the last received segment, then one every
// tcp_keepalive_intvl; after tcp_keepalive_probes unanswered probes the next timer kills the
// socket (reset + ETIMEDOUT). Only while nothing is unacknowledged (packets_out == 0).
double keepalive_span_s(const KernelTcp& tcp);
// Offsets of the probes from the first one: 0, intvl, …, (probes-1)·intvl.
std::vector<double> keepalive_probe_offsets_s(const KernelTcp& tcp);

}  // namespace deadpeer::model
