// Faults that silently lose packets: nothing answers, nothing resets (ICMP errors, where a
// fault sends them, are soft errors for an established connection and change only the cause).
#include <algorithm>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

const char* kNothingProbes =
    "no SSH keepalive, nothing of its own to send and no TCP keepalive: nothing ever probes the dead path";

Side other(Side s) { return s == Side::client ? Side::server : Side::client; }

SidePrediction blackholed(FaultContext& ctx, Side s, const std::string& why, bool keepalive_answered = false,
                          const std::string& soft_error = "") {
  Profile& p = ctx.side(s);
  Episode e = blackhole_episode(p, why);
  e.keepalive_answered = keepalive_answered;
  e.soft_error = soft_error;
  return decide(p, loss_candidates(p, e, ctx.rtt),
                keepalive_answered ? "forged ACKs answer its TCP keepalive probes and it has no SSH keepalive"
                                   : kNothingProbes);
}

// The frozen peer's kernel still ACKs data and answers keepalive probes: only an SSH-level
// keepalive (or Dropbear's idle timeout) can tell that nobody reads.
SidePrediction facing_frozen(FaultContext& ctx, Side s) {
  Profile& p = ctx.side(s);
  Episode e = blackhole_episode(p, "peer stopped at t0");
  e.data_acked = e.keepalive_answered = true;
  std::vector<Candidate> c;
  if (auto k = ssh_keepalive_candidate(p, e, ctx.rtt)) c.push_back(*k);
  if (auto k = idle_timeout_candidate(p, e)) c.push_back(*k);
  return decide(p, c, "its peer's kernel still ACKs data and answers TCP keepalive; it has no SSH keepalive");
}

// "2", "2%", "0.5 %" → 2, 2, 0.5.
double percent(const FaultContext& ctx, const std::string& key) {
  std::string v = ctx.param(key, "0");
  std::erase(v, '%');
  std::erase(v, ' ');
  try {
    return std::stod(v);
  } catch (const std::exception&) {
    throw std::invalid_argument(key + " '" + v + "' is not a percentage");
  }
}

// `impair` without total loss degrades the path but loses nothing for good: TCP retransmits what
// netem (or the relay) drops, and only a keepalive that cannot wait for one round trip fails.
SidePrediction degraded(FaultContext& ctx, Side s, double rtt, const std::string& what) {
  Profile& p = ctx.side(s);
  // Its probe is answered one RTT later; its check gives up span − first_probe after sending it.
  if (p.ka.probes && p.ka.disconnects && rtt >= p.ka.span_s - p.ka.first_probe_s) {
    SidePrediction out = blackholed(ctx, s, what);
    out.explanation += "; the impaired RTT of " + secs(rtt) + " s is longer than its keepalive waits for an answer";
    return out;
  }
  return never("impair-degraded",
               p.cfg.program() + ": " + what + ": the RTT grows to at most " + secs(rtt) +
                   " s and lost packets are retransmitted, so nothing it waits for is lost for good (the model does "
                   "not predict the odds that random loss exhausts a keepalive or tcp_retries2 by chance)");
}

}  // namespace

// One direction dropped. The deaf side hears nothing and is blackholed; the hearing side still
// receives what the deaf side sends (its probes keep the hearing side's own keepalive reset).
// How the hearing side learns that the deaf side exited:
// - TCP keepalive gave up: that timer sends a RST (tcp_send_active_reset), and it gets through;
// - the deaf side exited having sent nothing since the fault: its FIN gets through (eof);
// - it had sent data (SSH probes, keystrokes): none of it was ever ACKed, so after the first RTO
//   its cwnd is 1 and that data is still in flight: the FIN queued behind it is never sent
//   (measured: sshd learnt nothing in 5 s after ssh's exit); nor after retransmission gave up.
Prediction one_way(FaultContext& ctx, Side deaf_side, const std::string& lost, const std::string& soft_error) {
  const Side hearing_side = other(deaf_side);
  Profile& deaf = ctx.side(deaf_side);
  Profile& hear = ctx.side(hearing_side);
  const SidePrediction deaf_pred = blackholed(ctx, deaf_side, lost);

  const Episode de = blackhole_episode(deaf, lost);
  const auto deaf_sends = first_data_send(deaf, de);  // what the hearing side keeps receiving
  double deaf_gap = kNever;
  if (deaf.ka.probes) deaf_gap = deaf.ka.cycle_s;
  if (deaf.app_send_period_s) deaf_gap = std::min(deaf_gap, *deaf.app_send_period_s);

  Episode he = blackhole_episode(hear, lost);
  he.soft_error = soft_error;
  std::vector<Candidate> c;
  if (auto k = ssh_keepalive_candidate(hear, he, ctx.rtt)) {
    if (!deaf_sends) {
      c.push_back(*k);
    } else if (hear.ka.span_s <= deaf_gap) {
      // A silence longer than its span still happens between two of the deaf side's sends.
      k->window.hi_s = std::max(k->window.hi_s, deaf_sends->hi_s + hear.ka.span_s);
      k->explanation += " (the deaf side's packets every " + secs(deaf_gap) + " s do not come often enough)";
      c.push_back(*k);
    } else if (deaf_pred.window) {
      // The deaf side's packets keep it alive until the deaf side exits; its last one came at
      // most one of its gaps before that.
      const double early = hear.ka.whole_second ? 1.0 : 0.0;
      k->window = {std::max(0.0, deaf_pred.window->lo_s - deaf_gap - early + hear.ka.span_s),
                   deaf_pred.window->hi_s + hear.ka.span_s};
      k->explanation = hear.cfg.program() + ": " + hear.ka.formula + " = " + secs(hear.ka.span_s) + " s after the last of " +
                       deaf.cfg.program() + "'s packets (every " + secs(deaf_gap) + " s until it exits " +
                       to_string(*deaf_pred.window) + " after t0) → " + after_t0(k->window);
      c.push_back(*k);
    }
  }
  // Its own data (probes, and answers to what the deaf side sends) is never ACKed.
  auto data = first_data_send(hear, he);
  if (deaf_sends) data = data ? Window{std::min(data->lo_s, deaf_sends->lo_s), std::min(data->hi_s, deaf_sends->hi_s)}
                              : *deaf_sends;
  if (data)
    if (auto k = retransmit_candidate(hear, *data, ctx.rtt, soft_error)) c.push_back(*k);
  if (auto k = tcp_keepalive_candidate(hear, he, data)) c.push_back(*k);
  if (auto k = idle_timeout_candidate(hear, he)) c.push_back(*k);
  std::string never_why = kNothingProbes;
  if (deaf_pred.window) {
    const Cause dc = deaf_pred.cause;
    if (dc == Cause::tcp_keepalive)
      c.push_back({*deaf_pred.window, Cause::reset, "peer-keepalive-rst",
                   hear.cfg.program() + ": " + deaf.cfg.program() +
                       "'s kernel sends a RST when its TCP keepalive gives up, and that direction works → " +
                       after_t0(*deaf_pred.window)});
    else if (dc != Cause::tcp_retransmit && !deaf_sends)
      c.push_back({*deaf_pred.window, Cause::eof, "peer-exit-eof",
                   hear.cfg.program() + ": " + deaf.cfg.program() + " exits (" + deaf_pred.rule +
                       ") with nothing in flight, and its FIN gets through → " + after_t0(*deaf_pred.window)});
    else
      never_why = deaf.cfg.program() + " exits " + to_string(*deaf_pred.window) + " after t0 (" + deaf_pred.rule +
                  "), but its FIN waits behind its unacknowledged data (cwnd 1 after the first RTO) and never leaves; " +
                  kNothingProbes;
  }
  SidePrediction hear_pred = decide(hear, c, never_why);
  if (never_why != kNothingProbes && hear_pred.window) hear_pred.explanation += "; not told by its peer: " + never_why.substr(0, never_why.find("; "));
  return deaf_side == Side::client ? Prediction{deaf_pred, hear_pred} : Prediction{hear_pred, deaf_pred};
}

// `drop`, and `reject` with an ICMP error (soft_error: its text): the rejected direction(s)
// lose everything; the sender of a rejected packet gets the ICMP error.
Prediction drop_fault(FaultContext& ctx, Direction d, const std::string& why, const std::string& soft_error) {
  switch (d) {
    case Direction::both:
      return {blackholed(ctx, Side::client, why, false, soft_error), blackholed(ctx, Side::server, why, false, soft_error)};
    case Direction::to_server: return one_way(ctx, Side::server, why + " (client→server)", soft_error);
    case Direction::to_client: return one_way(ctx, Side::client, why + " (server→client)", soft_error);
  }
  throw std::invalid_argument("drop_fault: bad direction");
}

Prediction loss_fault(FaultContext& ctx) {
  const std::string kind = ctx.in.fault;
  if (kind == "blackhole")
    return {blackholed(ctx, Side::client, "blackhole at t0"), blackholed(ctx, Side::server, "blackhole at t0")};
  if (kind == "link-down") {
    // The router loses its route towards the target and answers the other side's packets with
    // ICMP net unreachable; the target's own link has no carrier and drops silently.
    const Side t = target_param(ctx);
    const std::string why = std::string("link-down towards the ") + (t == Side::server ? "server" : "client") + " at t0";
    SidePrediction tp = blackholed(ctx, t, why);
    SidePrediction op = blackholed(ctx, other(t), why, false, "Network is unreachable");
    return t == Side::client ? Prediction{tp, op} : Prediction{op, tp};
  }
  if (kind == "drop") return drop_fault(ctx, direction_param(ctx), "drop at t0", "");
  if (kind == "spoof-keepalive") {
    // The server is cut off; the middlebox answers the TCP keepalive probes of the ends
    // `direction` names (to-client: the client's, on the server's behalf). The other end's
    // probes go unanswered as in a blackhole (measured: sshd's socket died at time + probes·intvl).
    const std::string d = ctx.param("direction", "to-client");
    if (d != "to-client" && d != "to-server" && d != "both")
      throw std::invalid_argument("direction must be to-client, to-server or both, not '" + d + "'");
    const std::string why = "blackhole with forged answers to TCP keepalive probes (" + d + ")";
    return {blackholed(ctx, Side::client, why, d != "to-server"), blackholed(ctx, Side::server, why, d != "to-client")};
  }
  if (kind == "impair") {
    const double loss = percent(ctx, "loss");
    if (loss < 0 || loss > 100) throw std::invalid_argument("loss must be 0–100 %");
    const Direction d = direction_param(ctx);
    if (loss >= 100) return drop_fault(ctx, d, "impair with 100 % loss at t0", "");
    const double added = ctx.seconds("delay").value_or(0) + ctx.seconds("jitter").value_or(0);
    const double rtt = ctx.rtt + (d == Direction::both ? 2 : 1) * added;
    const std::string what = "impaired path (delay + jitter " + secs(added) + " s " +
                             (d == Direction::both ? std::string("each way") : ctx.param("direction", "")) + ", loss " +
                             secs(loss) + " %)";
    return {degraded(ctx, Side::client, rtt, what), degraded(ctx, Side::server, rtt, what)};
  }
  if (kind == "crash" || kind == "freeze") {
    const Side t = target_param(ctx);
    const Profile& tp = ctx.side(t);
    SidePrediction target =
        kind == "crash"
            ? never("crashed-side", tp.cfg.program() + ": its host crashed at t0; nothing is left on that side to notice")
            : never("frozen-side", tp.cfg.program() + ": stopped at t0; it cannot notice anything until it is continued");
    SidePrediction survivor =
        kind == "crash" ? blackholed(ctx, other(t), "peer host crashed at t0") : facing_frozen(ctx, other(t));
    return t == Side::client ? Prediction{target, survivor} : Prediction{survivor, target};
  }
  throw std::invalid_argument("loss_fault: not a loss fault: " + kind);
}

}  // namespace deadpeer::model
