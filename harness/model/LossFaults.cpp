// Faults that silently lose packets: nothing answers, nothing resets.
#include <algorithm>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

const char* kNothingProbes =
    "no SSH keepalive, nothing of its own to send and no TCP keepalive: nothing ever probes the dead path";

SidePrediction blackholed(FaultContext& ctx, Side s, const std::string& why, bool keepalive_answered = false) {
  Profile& p = ctx.side(s);
  Episode e = blackhole_episode(p, why);
  e.keepalive_answered = keepalive_answered;
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

// One direction dropped. The deaf side hears nothing and is blackholed; the hearing side still
// receives what the deaf side sends (its probes keep the hearing side's own keepalive reset) and
// learns of its end from the deaf side's FIN, or from the RST its kernel sends when TCP
// keepalive gives up. When the deaf side dies of retransmission the kernel closes silently.
Prediction one_way(FaultContext& ctx, Side deaf_side) {
  const Side hearing_side = deaf_side == Side::client ? Side::server : Side::client;
  Profile& deaf = ctx.side(deaf_side);
  Profile& hear = ctx.side(hearing_side);
  const std::string lost = deaf_side == Side::server ? "client→server packets dropped from t0"
                                                     : "server→client packets dropped from t0";
  const SidePrediction deaf_pred = blackholed(ctx, deaf_side, lost);

  const Episode de = blackhole_episode(deaf, lost);
  const auto deaf_sends = first_data_send(deaf, de);  // what the hearing side keeps receiving
  double deaf_gap = kNever;
  if (deaf.ka.probes) deaf_gap = deaf.ka.cycle_s;
  if (deaf.app_send_period_s) deaf_gap = std::min(deaf_gap, *deaf.app_send_period_s);

  Episode he = blackhole_episode(hear, lost);
  std::vector<Candidate> c;
  if (auto k = ssh_keepalive_candidate(hear, he, ctx.rtt)) {
    if (!deaf_sends) {
      c.push_back(*k);
    } else if (hear.ka.span_s <= deaf_gap) {
      // A silence longer than its span still happens between two of the deaf side's sends.
      k->window.hi_s = std::max(k->window.hi_s, deaf_sends->hi_s + hear.ka.span_s);
      k->explanation += " (the deaf side's packets every " + secs(deaf_gap) + " s do not come often enough)";
      c.push_back(*k);
    }
  }
  // Its own data (probes, and answers to what the deaf side sends) is never ACKed.
  auto data = first_data_send(hear, he);
  if (deaf_sends) data = data ? Window{std::min(data->lo_s, deaf_sends->lo_s), std::min(data->hi_s, deaf_sends->hi_s)}
                              : *deaf_sends;
  if (data)
    if (auto k = retransmit_candidate(hear, *data, ctx.rtt)) c.push_back(*k);
  if (auto k = tcp_keepalive_candidate(hear, he, data)) c.push_back(*k);
  if (auto k = idle_timeout_candidate(hear, he)) c.push_back(*k);
  if (deaf_pred.window) {
    const Cause dc = deaf_pred.cause;
    if (dc == Cause::tcp_keepalive)
      c.push_back({*deaf_pred.window, Cause::reset, "peer-keepalive-rst",
                   hear.cfg.program() + ": " + deaf.cfg.program() +
                       "'s kernel sends a RST when its TCP keepalive gives up, and that direction works → " +
                       after_t0(*deaf_pred.window)});
    else if (dc != Cause::tcp_retransmit)
      c.push_back({*deaf_pred.window, Cause::eof, "peer-exit-eof",
                   hear.cfg.program() + ": " + deaf.cfg.program() + " exits (" + deaf_pred.rule +
                       ") and its FIN gets through → " + after_t0(*deaf_pred.window)});
  }
  SidePrediction hear_pred = decide(hear, c, kNothingProbes);
  return deaf_side == Side::client ? Prediction{deaf_pred, hear_pred} : Prediction{hear_pred, deaf_pred};
}

}  // namespace

Prediction loss_fault(FaultContext& ctx) {
  const std::string kind = ctx.in.fault;
  if (kind == "blackhole" || kind == "link-down")
    return {blackholed(ctx, Side::client, kind + " at t0"), blackholed(ctx, Side::server, kind + " at t0")};
  if (kind == "drop") {
    switch (direction_param(ctx)) {
      case Direction::both:
        return {blackholed(ctx, Side::client, "drop at t0"), blackholed(ctx, Side::server, "drop at t0")};
      case Direction::to_server: return one_way(ctx, Side::server);
      case Direction::to_client: return one_way(ctx, Side::client);
    }
  }
  if (kind == "spoof-keepalive")
    return {blackholed(ctx, Side::client, "blackhole with forged keepalive ACKs", true),
            blackholed(ctx, Side::server, "blackhole with forged keepalive ACKs", true)};
  if (kind == "crash" || kind == "freeze") {
    const Side t = target_param(ctx);
    const Side other = t == Side::client ? Side::server : Side::client;
    const Profile& tp = ctx.side(t);
    SidePrediction target =
        kind == "crash"
            ? never("crashed-side", tp.cfg.program() + ": its host crashed at t0; nothing is left on that side to notice")
            : never("frozen-side", tp.cfg.program() + ": stopped at t0; it cannot notice anything until it is continued");
    SidePrediction survivor = kind == "crash" ? blackholed(ctx, other, "peer host crashed at t0") : facing_frozen(ctx, other);
    return t == Side::client ? Prediction{target, survivor} : Prediction{survivor, target};
  }
  throw std::invalid_argument("loss_fault: not a loss fault: " + kind);
}

}  // namespace deadpeer::model
