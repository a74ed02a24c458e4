#pragma once
// The ways one side can notice a dead peer once its packets (or the answers) are lost, each as
// a Candidate with a window; the earliest one decides. Faults differ only in the Episode they
// set up (when the loss starts, how old the last received packet is, what still answers).
#include <optional>
#include <string>
#include <vector>

#include "model/TcpTimers.hpp"
#include "model/Traffic.hpp"

namespace deadpeer::model {

struct Candidate {
  Window window;
  observe::Cause cause = observe::Cause::none;
  std::string rule;
  std::string explanation;
};

// One side's view of a loss, all times relative to t0.
struct Episode {
  Window onset;        // from here on this side's packets, or the answers to them, are lost
  Window last_rx;      // when it last received an SSH packet
  // Traced runs: the start of the clock second that receive fell in (whole-second deadlines).
  std::optional<double> last_rx_second_start;
  Window last_rx_tcp;  // when it last received any TCP segment
  bool data_acked = false;          // the peer's kernel still ACKs data (freeze): no give-up
  bool keepalive_answered = false;  // keepalive probes still answered (freeze, spoof-keepalive)
  // ICMP errors answer its data segments (reject with icmp, the far side of link-down): Linux
  // keeps them as a soft error, reported instead of ETIMEDOUT when retransmission gives up
  // ("No route to host": cause other), and may revert the RTO backoff (RFC 6069).
  std::string soft_error;
  std::string why;                  // "blackhole at t0", for explanations
};

// Loss of everything from t0: the last receive is at most one steady-state gap old.
Episode blackhole_episode(const Profile& p, const std::string& why);

// Each returns nullopt when the mechanism cannot end this side.
std::optional<Candidate> ssh_keepalive_candidate(const Profile& p, const Episode& e, double rtt);
std::optional<Candidate> retransmit_candidate(const Profile& p, Window first_send, double rtt,
                                             const std::string& soft_error = "");
std::optional<Candidate> tcp_keepalive_candidate(const Profile& p, const Episode& e, std::optional<Window> data_send);
std::optional<Candidate> idle_timeout_candidate(const Profile& p, const Episode& e);

// When this side first puts data (SSH probe or its own application write) on the wire after
// the onset, and when it first sends anything at all (data or a keepalive probe).
std::optional<Window> first_data_send(const Profile& p, const Episode& e);
std::optional<Window> first_keepalive_probe(const Profile& p, const Episode& e);
std::optional<Window> first_any_send(const Profile& p, const Episode& e);

// Everything that can end this side in a loss episode.
std::vector<Candidate> loss_candidates(const Profile& p, const Episode& e, double rtt);

// The first transmission at or after `t`, for a series first + offsets[i] with `first` anywhere
// in `first_window` (offset 0 is the first transmission itself). nullopt where the series ends
// before `t` for every first.
std::optional<Window> first_transmission_at_or_after(Window first_window, const std::vector<double>& offsets, double t);

// The earliest candidate (smallest upper bound, then lower bound) decides; the others are
// named in the explanation. An empty list means nothing ends this side.
SidePrediction decide(const Profile& p, std::vector<Candidate> candidates, const std::string& never_why);
SidePrediction never(const std::string& rule, const std::string& explanation);

}  // namespace deadpeer::model
