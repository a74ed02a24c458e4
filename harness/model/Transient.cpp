// Transient faults: `duration` (one outage [0, D]) or `flap` (count outages of `down`, `up`
// apart). A side whose mechanism would end it during an outage survives when something gets
// through first once the path is back. What gets through is what was pending: data sent into
// the outage goes out again only at its retransmissions (TLP, then RTO backoff), TCP keepalive
// probes at their interval. So a side survives when the first such transmission of either
// side that falls into an open period comes before its own deadline; when the two windows
// overlap, the phase of the traffic decides (may_survive). A side that died during an outage
// leaves its peer something to find once the path is back: its retransmitted data draws a RST
// from its kernel (measured: sshd "Connection reset by peer" 0.7 s after a flap ended), or,
// with nothing pending, its retransmitted FIN.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

struct Outages {
  std::vector<Window> down;  // relative to t0, in order
  std::string text;
  // From the end of each outage to the start of the next; the last one never closes.
  std::vector<Window> open() const {
    std::vector<Window> out;
    for (size_t k = 0; k < down.size(); ++k)
      out.push_back({down[k].hi_s, k + 1 < down.size() ? down[k + 1].lo_s : kNever});
    return out;
  }
  double period() const { return down.size() > 1 ? down[1].lo_s - down[0].lo_s : 0; }
};

std::optional<Outages> outages(const FaultContext& ctx) {
  const auto d = ctx.seconds("duration");
  const auto up = ctx.seconds("flap.up"), dn = ctx.seconds("flap.down");
  const auto count = option(ctx.in.fault_params, "flap.count");
  Outages o;
  if (d) {
    o.down = {{0, *d}};
    o.text = "the fault is removed " + secs(*d) + " s after t0";
    return o;
  }
  if (!up && !dn && !count) return std::nullopt;
  long n = 3;  // FaultFactory's defaults: up 1 s, down 1 s, count 3
  if (count) {
    try {
      n = std::stol(*count);
    } catch (const std::exception&) {
      throw std::invalid_argument("flap.count '" + *count + "' is not a count");
    }
  }
  const double u = up.value_or(1.0), w = dn.value_or(1.0);
  for (long k = 0; k < std::max(1L, n); ++k) o.down.push_back({double(k) * (w + u), double(k) * (w + u) + w});
  o.text = std::to_string(o.down.size()) + " outage(s) of " + secs(w) + " s, " + secs(u) + " s apart";
  return o;
}

// The first transmission of the series `first + offsets[i]` (first anywhere in `first`) that is
// not before `not_before` and falls into one of `open`; hi = kNever when for some first none
// does. f(s) is piecewise linear with slope 1, so its extremes lie at the window's ends or at
// the jumps s = boundary − offset (evaluated on both sides of each jump).
std::optional<Window> first_in_open(Window first, const std::vector<double>& offsets, const std::vector<Window>& open,
                                    double not_before) {
  auto f = [&](double s) -> double {
    for (double o : offsets) {
      const double t = s + o;
      if (t < not_before - 1e-9) continue;
      for (const auto& w : open)
        if (t >= w.lo_s - 1e-9 && t < w.hi_s) return t;
    }
    return kNever;
  };
  std::vector<double> probes{first.lo_s, first.hi_s};
  std::vector<double> edges{not_before};
  for (const auto& w : open) {
    edges.push_back(w.lo_s);
    if (!std::isinf(w.hi_s)) edges.push_back(w.hi_s);
  }
  for (double e : edges)
    for (double o : offsets)
      for (double s : {e - o, e - o - 1e-6})
        if (s >= first.lo_s && s <= first.hi_s) probes.push_back(s);
  std::optional<Window> out;
  for (double s : probes) {
    const double v = f(s);
    if (!out) out = Window{v, v};
    else out = Window{std::min(out->lo_s, v), std::max(out->hi_s, v)};
  }
  if (out && std::isinf(out->lo_s)) return std::nullopt;
  return out;
}

// What a side still has to send into the outage: its data (with every retransmission), or
// else its TCP keepalive probes.
struct Pending {
  std::optional<Window> first;
  std::vector<double> offsets;
  bool data = false;
};

Pending pending(const FaultContext& ctx, const Profile& p) {
  const Episode e = blackhole_episode(p, "");
  Pending out;
  if ((out.first = first_data_send(p, e))) {
    out.offsets = {0.0};
    const auto r = retransmission(p.cfg.tcp, ctx.rtt);
    out.offsets.insert(out.offsets.end(), r.transmissions_s.begin(), r.transmissions_s.end());
    out.data = true;
  } else if ((out.first = first_keepalive_probe(p, e))) {
    out.offsets = keepalive_probe_offsets_s(p.cfg.tcp);
  }
  return out;
}

std::optional<Window> earliest(std::optional<Window> a, std::optional<Window> b) {
  if (!a) return b;
  if (!b) return a;
  return Window{std::min(a->lo_s, b->lo_s), std::min(a->hi_s, b->hi_s)};
}

// When something first gets through to side `s` once a loss ends: its own pending segment (then
// the answer, one RTT later) or its peer's.
std::optional<Window> rescue(FaultContext& ctx, Side s, const Outages& o) {
  const Profile& self = ctx.side(s);
  const Profile& peer = ctx.side(s == Side::client ? Side::server : Side::client);
  std::optional<Window> own, theirs;
  if (const Pending p = pending(ctx, self); p.first)
    if ((own = first_in_open(*p.first, p.offsets, o.open(), 0))) {
      own->lo_s += ctx.rtt;
      own->hi_s += ctx.rtt;
    }
  if (const Pending p = pending(ctx, peer); p.first && p.data) theirs = first_in_open(*p.first, p.offsets, o.open(), 0);
  return earliest(own, theirs);
}

bool ends_side(const SidePrediction& p) {
  return p.rule == "crashed-side" || p.rule == "frozen-side" || p.rule == "rebooted-side";
}

// The side's permanent prediction against its rescue window.
SidePrediction outlive(const SidePrediction& p, std::optional<Window> r, const Outages& o, const std::string& how) {
  if (!p.window || ends_side(p) || !r) return p;
  const Window w = *p.window;
  if (w.hi_s < r->lo_s) return p;  // it gives up before anything can get through
  if (w.lo_s > r->hi_s)
    return never("transient-survived", p.explanation + "; but " + o.text + " and " + how + " " + to_string(*r) +
                                           " after t0, before that: the session survives");
  SidePrediction out = p;
  out.may_survive = true;
  // Later outages repeat the race.
  out.window->hi_s = std::min(w.hi_s, std::isinf(r->hi_s) ? w.hi_s : r->hi_s) + o.period() * double(o.down.size() - 1);
  out.explanation += "; " + o.text + " and " + how + " " + to_string(*r) +
                     " after t0: depending on the phase it survives (may_survive) or ends as predicted";
  return out;
}

// What `s` finds once its peer has ended during an outage: the dead peer's retransmitted data
// draws a RST from its kernel (reset), or its retransmitted FIN arrives (eof); `s`'s own next
// segment is answered with a RST too.
// The first of a series in an open period once the peer has ended, wherever in `dead` it ended.
std::optional<Window> after_end(Window first, const std::vector<double>& offsets, const Outages& o, Window dead) {
  auto w = first_in_open(first, offsets, o.open(), dead.lo_s);
  const auto late = first_in_open(first, offsets, o.open(), dead.hi_s);
  if (w && late) w->hi_s = std::max(w->hi_s, late->hi_s);
  if (w && !late) w->hi_s = kNever;
  return w;
}

std::optional<Candidate> peer_gone(FaultContext& ctx, Side s, const SidePrediction& dead, const Outages& o) {
  if (!dead.window || ends_side(dead)) return std::nullopt;
  const Side d = s == Side::client ? Side::server : Side::client;
  const Profile& dp = ctx.side(d);
  const Pending dpend = pending(ctx, dp);
  std::optional<Window> w;
  Cause cause = Cause::reset;
  const bool kernel_closed = dead.cause == Cause::tcp_keepalive || dead.cause == Cause::tcp_retransmit;
  if (kernel_closed) {
    // The kernel gave up and destroyed the socket: its RST went into the outage; nothing of it
    // is retransmitted, so only `s`'s own next segment finds out.
  } else if (dpend.first && dpend.data) {
    w = after_end(*dpend.first, dpend.offsets, o, *dead.window);
  } else {
    std::vector<double> offs{0.0};
    const auto r = retransmission(dp.cfg.tcp, ctx.rtt);
    offs.insert(offs.end(), r.transmissions_s.begin(), r.transmissions_s.end());
    w = after_end(*dead.window, offs, o, *dead.window);
    cause = Cause::eof;
  }
  if (const Pending own = pending(ctx, ctx.side(s)); own.first) {
    const auto mine = after_end(*own.first, own.offsets, o, *dead.window);
    if (mine && (!w || mine->hi_s < w->hi_s)) {
      w = mine;
      cause = Cause::reset;
    }
  }
  if (!w || std::isinf(w->hi_s)) return std::nullopt;
  return Candidate{*w, cause, "peer-gone-" + std::string(cause == Cause::eof ? "eof" : "reset"),
                   ctx.side(s).cfg.program() + ": " + dp.cfg.program() + " ends " + to_string(*dead.window) +
                       " after t0 (" + dead.rule + "); once the path is back, " +
                       (cause == Cause::eof ? "its retransmitted FIN arrives" : "the next segment between them meets a RST from its kernel") +
                       " → " + after_t0(*w)};
}

void add_peer_gone(SidePrediction& self, std::optional<Candidate> c, bool peer_may_survive) {
  if (!c) return;
  if (self.window && self.window->hi_s <= c->window.hi_s) return;
  const bool may = peer_may_survive || (self.window && self.may_survive);
  self = SidePrediction{c->window, c->cause, c->rule, c->explanation};
  self.may_survive = may;
}

}  // namespace

Prediction transient(FaultContext& ctx, Prediction p) {
  const auto o = outages(ctx);
  if (!o) return p;
  const std::string kind = ctx.in.fault;
  if (kind == "spoof-rst" || kind == "spoof-data" || kind == "reboot" || kind == "crash") return p;  // one act at t0
  if (kind == "freeze") {
    // At the thaw the frozen side reads everything its kernel ACKed and answers it.
    const Window thaw{o->down.front().hi_s, o->down.front().hi_s + ctx.rtt};
    Prediction out{outlive(p.client, thaw, *o, "the frozen side answers when it is thawed"),
                   outlive(p.server, thaw, *o, "the frozen side answers when it is thawed")};
    for (Side s : {Side::client, Side::server}) {
      SidePrediction& self = s == Side::client ? out.client : out.server;
      const SidePrediction& peer = s == Side::client ? out.server : out.client;
      if (self.rule != "frozen-side" || !peer.window) continue;
      // Thawed, it reads the peer's FIN (the peer's kernel got its data ACKed: nothing held it).
      if (peer.window->lo_s < thaw.hi_s) {
        const bool may = peer.may_survive || peer.window->hi_s >= thaw.lo_s;
        self = {Window{std::max(thaw.lo_s, peer.window->lo_s), std::max(thaw.hi_s, peer.window->hi_s)}, Cause::eof,
                "thawed-eof", ctx.side(s).cfg.program() + ": thawed " + to_string(thaw) + " after t0, it reads " +
                                  ctx.side(s == Side::client ? Side::server : Side::client).cfg.program() +
                                  "'s FIN (its peer ended " + to_string(*peer.window) + " after t0)"};
        self.may_survive = may;
      }
    }
    return out;
  }
  if (kind == "firewall" || (kind == "reject" && ctx.param("icmp", "tcp-reset") == "tcp-reset")) {
    // A reset comes only from a send during an outage; an expired firewall entry is not worked
    // out past the firewall's removal: the prediction holds only if it ends the side in time.
    auto cut = [&](SidePrediction s) {
      if (!s.window || s.window->hi_s < o->down.front().hi_s) return s;
      if (o->down.size() == 1 && s.window->lo_s >= o->down.front().hi_s && s.cause == Cause::reset)
        return never("transient-survived", s.explanation + "; but " + o->text + ", before it sends: nothing resets it");
      s.may_survive = true;
      s.explanation += "; " + o->text + ": it may survive (the model does not follow the session past the removal)";
      return s;
    };
    return {cut(p.client), cut(p.server)};
  }
  // Losses: blackhole, drop, link-down, impair, spoof-keepalive, reject with ICMP.
  const std::string how = "the first segment to get through once the path is back arrives";
  Prediction out{outlive(p.client, rescue(ctx, Side::client, *o), *o, how),
                 outlive(p.server, rescue(ctx, Side::server, *o), *o, how)};
  const Prediction first = out;
  add_peer_gone(out.client, peer_gone(ctx, Side::client, first.server, *o), first.server.may_survive);
  add_peer_gone(out.server, peer_gone(ctx, Side::server, first.client, *o), first.client.may_survive);
  return out;
}

}  // namespace deadpeer::model
