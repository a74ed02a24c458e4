// Faults that answer with a RST: a side learns of them on the next segment it sends, so the
// question is only when each side sends next.
#include <algorithm>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

// The first segment this side sends at or after `back` (relative to t0) meets a RST. Pending
// data goes out again only at its retransmissions (TLP, then RTO backoff), so after an outage
// the RST can come well after the peer is back; an idle side sends only keepalive probes.
std::optional<Candidate> reset_on_send(FaultContext& ctx, Side s, const Episode& e, double back,
                                       const std::string& rule, const std::string& who) {
  Profile& p = ctx.side(s);
  const auto data = first_data_send(p, e);
  std::optional<Window> w;
  std::string what;
  if (data) {
    std::vector<double> offs{0.0};
    const auto r = retransmission(p.cfg.tcp, ctx.rtt);
    offs.insert(offs.end(), r.transmissions_s.begin(), r.transmissions_s.end());
    w = first_transmission_at_or_after(*data, offs, back);
    what = "its first data leaves " + to_string(*data) + " after t0";
    if (back > 0) what += " and is retransmitted at +" + secs(r.tlp_s) + ", +" + secs(r.transmissions_s.size() > 1 ? r.transmissions_s[1] : r.tlp_s) + " s, … (backoff)";
  }
  const auto probe = first_keepalive_probe(p, e);
  if (probe && !e.keepalive_answered && (!data || probe->lo_s < data->hi_s)) {
    std::vector<double> offs = keepalive_probe_offsets_s(p.cfg.tcp);
    if (offs.empty()) offs.push_back(0.0);
    if (const auto kw = first_transmission_at_or_after(*probe, offs, back)) {
      w = w ? Window{std::min(w->lo_s, kw->lo_s), std::min(w->hi_s, kw->hi_s)} : *kw;
      what += std::string(what.empty() ? "" : "; ") + "its first TCP keepalive probe leaves " + to_string(*probe) + " after t0";
    }
  }
  if (!w) return std::nullopt;
  Candidate c{*w, Cause::reset, rule, ""};
  c.explanation = p.cfg.program() + ": " + what + "; the first segment it sends" +
                  (back > 0 ? " after " + secs(back) + " s" : std::string()) + " is answered with a RST by " + who +
                  " → " + after_t0(*w);
  return c;
}

SidePrediction reset_side(FaultContext& ctx, Side s, const std::string& why, double back, const std::string& rule,
                          const std::string& who) {
  Profile& p = ctx.side(s);
  const Episode e = blackhole_episode(p, why);
  std::vector<Candidate> c = loss_candidates(p, e, ctx.rtt);
  if (auto r = reset_on_send(ctx, s, e, back, rule, who)) c.push_back(*r);
  return decide(p, c, "it never sends anything, so it never meets the RST");
}

Side other(Side s) { return s == Side::client ? Side::server : Side::client; }

// Only the packets of `rejected` are answered with RSTs. It meets one on its own first send, or
// when it ACKs the first thing its peer sends. Its peer then hears a RST from the rejected side's
// kernel on its next segment: its first send if that comes later, else its retransmission.
Prediction reject_one_way(FaultContext& ctx, Side rejected) {
  const Side o = other(rejected);
  Profile& rp = ctx.side(rejected);
  Profile& op = ctx.side(o);
  const Episode re = blackhole_episode(rp, "reject at t0");
  const Episode oe = blackhole_episode(op, "reject at t0");
  const auto o_first = first_any_send(op, oe);

  std::vector<Candidate> rc = loss_candidates(rp, re, ctx.rtt);
  if (auto r = reset_on_send(ctx, rejected, re, 0, "reject-reset", "the router")) rc.push_back(*r);
  if (o_first)
    rc.push_back({*o_first, Cause::reset, "reject-reset",
                  rp.cfg.program() + ": its ACK of the first thing " + op.cfg.program() + " sends (" +
                      to_string(*o_first) + " after t0) is answered with a RST by the router → " + after_t0(*o_first)});
  const SidePrediction rpred = decide(rp, rc, "neither side ever sends anything, so nobody meets the RST");

  SidePrediction opred;
  if (!o_first || !rpred.window) {
    opred = reset_side(ctx, o, "reject at t0", 0, "peer-forgot-reset", rp.cfg.program() + "'s kernel");
  } else {
    // Whatever ended the rejected side, its kernel answers the next segment with a RST: the
    // first send if it comes later, else that segment's retransmission or the next probe.
    const bool data = first_data_send(op, oe).has_value();
    const double next = data ? retransmission(op.cfg.tcp, ctx.rtt).tlp_s : op.cfg.tcp.keepalive_intvl_s;
    const double lo = std::max(rpred.window->lo_s, o_first->lo_s);
    const Window w{lo, std::max(lo, o_first->hi_s + next)};
    opred = {w, Cause::reset, "peer-forgot-reset",
             op.cfg.program() + ": after " + rp.cfg.program() + " is gone, its next segment (first send " +
                 to_string(*o_first) + " after t0, or its " + (data ? "tail loss probe " : "next keepalive probe ") +
                 secs(next) + " s later) meets a RST from " + rp.cfg.program() + "'s kernel → " + after_t0(w)};
  }
  return rejected == Side::client ? Prediction{rpred, opred} : Prediction{opred, rpred};
}

// One forged packet at t0, exactly at the target's rcv_nxt: a RST resets it, junk data makes its
// SSH transport fail (chacha20-poly1305: "Bad packet length"; an AEAD/EtM MAC: "Corrupted MAC").
SidePrediction forged_at_t0(FaultContext& ctx, Side s, Cause cause, const std::string& rule, const std::string& what) {
  const Window w{0, ctx.rtt};
  return {w, cause, rule, ctx.side(s).cfg.program() + ": " + what + " → " + after_t0(w)};
}

// tcp-reset (the default) answers with a RST; the ICMP errors are soft errors for an established
// socket (tcp_v4_err keeps them in sk_err_soft): the session lives on as in a drop.
std::string icmp_soft_error(const FaultContext& ctx) {
  const std::string icmp = ctx.param("icmp", "tcp-reset");
  if (icmp == "tcp-reset") return "";
  if (icmp == "host-unreachable" || icmp == "admin-prohibited") return "No route to host";
  if (icmp == "net-unreachable") return "Network is unreachable";
  if (icmp == "port-unreachable") return "Connection refused";
  throw std::invalid_argument("icmp must be tcp-reset, host-unreachable, admin-prohibited, net-unreachable or "
                              "port-unreachable, not '" + icmp + "'");
}

}  // namespace

Prediction reset_fault(FaultContext& ctx) {
  const std::string kind = ctx.in.fault;
  if (kind == "reject") {
    const Direction d = direction_param(ctx);
    if (const std::string soft = icmp_soft_error(ctx); !soft.empty())
      return drop_fault(ctx, d, "reject with ICMP (" + soft + ") at t0", soft);
    switch (d) {
      case Direction::both:
        return {reset_side(ctx, Side::client, "reject at t0", 0, "reject-reset", "the router"),
                reset_side(ctx, Side::server, "reject at t0", 0, "reject-reset", "the router")};
      case Direction::to_server: return reject_one_way(ctx, Side::client);
      case Direction::to_client: return reject_one_way(ctx, Side::server);
    }
  }
  if (kind == "spoof-rst" || kind == "spoof-data") {
    // The target's socket is gone (RST) or its process exits (junk); the peer hears nothing more.
    // After a RST the target's kernel answers the peer's next segment with a RST of its own.
    // After junk data the target's FIN (and anything else it sends) acknowledges bytes the peer
    // never sent and is discarded: the peer is half-open, as behind a blackhole.
    const Side t = target_param(ctx);
    const Side o = other(t);
    const std::string tname = t == Side::server ? "server" : "client";
    SidePrediction target, peer;
    if (kind == "spoof-rst") {
      target = forged_at_t0(ctx, t, Cause::reset, "spoof-rst", "a forged RST exactly at its rcv_nxt arrives at t0");
      peer = reset_side(ctx, o, "RST forged to the " + tname, 0, "peer-forgot-reset", "the " + tname + "'s kernel");
    } else {
      target = forged_at_t0(ctx, t, Cause::mac_error, "spoof-data",
                            "forged bytes at its rcv_nxt fail its SSH transport's length or MAC check at once");
      Profile& p = ctx.side(o);
      peer = decide(p, loss_candidates(p, blackhole_episode(p, "half-open after data forged to the " + tname), ctx.rtt),
                    "half-open: the " + tname + "'s FIN acknowledges the forged bytes and is discarded, and it has no "
                    "keepalive of its own to find out");
      if (peer.window)
        peer.explanation += "; half-open after the data forged to the " + tname +
                            ": its FIN acknowledges bytes this side never sent and is discarded";
    }
    return t == Side::client ? Prediction{target, peer} : Prediction{peer, target};
  }
  if (kind == "reboot") {
    const Side t = target_param(ctx);
    const double down = ctx.seconds("down").value_or(5.0);  // FaultFactory's default
    const std::string host = t == Side::server ? "the server" : "the client";
    SidePrediction target = never("rebooted-side", ctx.side(t).cfg.program() + ": " + host +
                                                       " rebooted at t0; the old session is gone with it");
    SidePrediction survivor = reset_side(ctx, other(t), host + " down for " + secs(down) + " s from t0", down,
                                         "reboot-reset", host + "'s fresh kernel");
    return t == Side::client ? Prediction{target, survivor} : Prediction{survivor, target};
  }
  throw std::invalid_argument("reset_fault: not a reset fault: " + kind);
}

}  // namespace deadpeer::model
