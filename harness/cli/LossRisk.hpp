#pragma once
// Spurious disconnects on a lossy path: how likely a keepalive setting is to end a *healthy*
// session when every packet is lost independently with probability p, in each direction.
// `deadpeer recommend --loss` rejects settings above a budget; docs/tcp-keepalive-question.md
// compares these numbers with runs behind `impair loss = …`.
//
// The two keepalives need two formulas, because only one of them is retransmitted:
//
// - SSH keepalive (ServerAlive, ClientAlive, Dropbear -K) is data on the TCP stream. A lost
//   probe or answer is sent again by TCP (tail loss probe, then RTOs doubling), so it is only
//   *late*. A side gives up when nothing came back for its budget B after its first unanswered
//   probe: B = span − first probe = N·I for ssh, 2N·I for sshd 9.2–9.4, 2K for Dropbear. The
//   later probes queue behind the first one on the stream, so the first answer decides:
//
//     P_late(B) = Σ_k p^k (1−p) · p^a(B − rtt − T_k)  +  p^a(B − rtt)
//
//   T_0 = 0, T_1, T_2 … are the times the kernel (re)transmits a segment (first send, TLP,
//   RTO, 2·RTO …), a(x) = #{j : T_j < x} the transmissions still early enough. The probe gets
//   through at its k-th transmission (first term) and then its answer must miss every one of
//   its own transmissions that could still arrive in time; the last term is the probe never
//   getting through in time. An estimate, not a bound: it leaves out the chances the later
//   probes add (pessimistic) and the delay a lost ACK can add to the next answer, when the
//   retransmitted old answer holds the window (optimistic). At 30 % loss in the lab it agrees
//   with the measured spurious exits within the noise of 13 runs (docs/tcp-keepalive-question.md).
//
// - TCP keepalive probes are never retransmitted: tcp_keepalive_probes consecutive lost
//   probe/ACK pairs end the connection, each pair lost with q = 1 − (1 − p)²:
//
//     P_chain = q^probes
//
// Per hour: 1 − (1 − P)^chains, where chains is how many probe chains start in an hour (a side
// probing every c seconds on an idle session starts 3600/c of them).
//
// Independent loss only. A burst (Wi-Fi roaming, a route flap) is an outage, not loss: a
// setting survives an outage shorter than the lower bound of its blackhole window.
#include <string>
#include <vector>

namespace deadpeer::cli {

// P_late(B) above. `retransmissions_s` are the offsets of the transmissions after the first
// send (model::Retransmission::transmissions_s: TLP, then each RTO); p in [0, 1].
double answer_late_probability(double p, double budget_s, double rtt_s, const std::vector<double>& retransmissions_s);

// q^probes with q = 1 − (1 − p)².
double tcp_keepalive_chain_probability(double p, long probes);

// 1 − (1 − per_chain)^chains, accurate for tiny probabilities.
double per_hour(double per_chain, double chains_per_hour);

// "0.02 %", "3.1e-07 %", "100 %": readable whatever the magnitude.
std::string percent(double probability);

}  // namespace deadpeer::cli
