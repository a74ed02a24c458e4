// A stateful firewall in the router forgets idle connections: from t0 its conntrack entry
// expires idle_timeout after the last packet that refreshed it (the timer counts from t0 at the
// latest). Traffic more frequent than the timeout keeps it; otherwise the next packet after the
// expiry is dropped (a blackhole from then on) or answered with a RST (on_expiry=reset).
// ignore_keepalive=true: TCP keepalive probes and their ACKs pass but do not refresh the entry.
#include <algorithm>
#include <stdexcept>

#include "model/FaultRules.hpp"
#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;
using scenario::Pattern;

struct Refresh {
  double period = kNever;  // the most frequent traffic that refreshes the entry
  std::string what;
};

void consider(Refresh& r, double period, const std::string& what) {
  if (period < r.period) r = {period, what};
}

Refresh refreshing_traffic(const FaultContext& ctx, bool ignore_keepalive) {
  Refresh r;
  for (const Profile* p : {&ctx.p.client, &ctx.p.server}) {
    if (p->ka.probes) consider(r, p->ka.cycle_s + ctx.rtt, p->cfg.program() + "'s SSH keepalive");
    // A TCP keepalive probe goes out only after keepalive_time of silence, so this period
    // only matters when nothing more frequent flows.
    if (p->cfg.so_keepalive && !ignore_keepalive)
      consider(r, p->cfg.tcp.keepalive_time_s + ctx.rtt, p->cfg.program() + "'s TCP keepalive");
  }
  if (ctx.in.pattern == Pattern::interactive || ctx.in.pattern == Pattern::forward)
    consider(r, ctx.in.traffic_interval_s, "the client's writes");
  if (ctx.in.pattern == Pattern::stream) consider(r, 0.0, "the stream");
  return r;
}

// Last receptions: traffic continues as before until the entry expires at E >= T, so the last
// packet a side got is at most one of its steady-state gaps before T, and no later than T
// (a packet in (T, E] would only exist if it had refreshed the entry).
Episode expiry_episode(const Profile& p, Window expiry, double t) {
  Episode e;
  e.onset = expiry;
  e.last_rx = {t - p.rx_gap_s, t};
  e.last_rx_tcp = {t - p.tcp_rx_gap_s, t};
  e.why = "conntrack entry expired";
  return e;
}

}  // namespace

Prediction firewall_fault(FaultContext& ctx) {
  const auto timeout = ctx.seconds("idle_timeout");
  // nf_conntrack_tcp_timeout_established defaults to 5 days.
  const double t = timeout.value_or(432000.0);
  const std::string on_expiry = ctx.param("on_expiry", "drop");
  if (on_expiry != "drop" && on_expiry != "reset") throw std::invalid_argument("firewall: on_expiry must be drop or reset");
  const auto ignore = parse_flag(ctx.param("ignore_keepalive", "false"));
  if (!ignore) throw std::invalid_argument("firewall: ignore_keepalive must be true or false");

  const Refresh r = refreshing_traffic(ctx, *ignore);
  if (r.period < t) {
    auto kept = [&](Side s) {
      Profile& p = ctx.side(s);
      std::vector<Candidate> c;
      if (auto k = idle_timeout_candidate(p, blackhole_episode(p, "firewall"))) c.push_back(*k);
      return decide(p, c,
                    r.what + " every " + secs(r.period) + " s refreshes the conntrack entry before its idle timeout of " +
                        secs(t) + " s: the session survives");
    };
    SidePrediction c = kept(Side::client), s = kept(Side::server);
    if (!c.window) c.rule = "firewall-kept-alive";
    if (!s.window) s.rule = "firewall-kept-alive";
    return {c, s};
  }

  // The first refreshing packet after t0 (at most one period later) moves the expiry to its
  // own time + T, and the next one comes too late; with nothing refreshing it expires at T.
  const Window expiry{t, t + std::min(r.period, t)};
  const std::string why = "conntrack entry (idle timeout " + secs(t) + " s) expires " + to_string(expiry) +
                          " after t0" + (r.what.empty() ? "" : ", " + r.what + " every " + secs(r.period) + " s being too rare");
  auto side = [&](Side s) {
    Profile& p = ctx.side(s);
    Episode e = expiry_episode(p, expiry, t);
    e.why = why;
    std::vector<Candidate> c = loss_candidates(p, e, ctx.rtt);
    if (on_expiry == "reset") {
      // Every packet after the expiry is answered with a RST: the first one this side sends.
      if (const auto first = first_any_send(p, e)) {
        c.push_back({*first, Cause::reset, "firewall-reset",
                     p.cfg.program() + ": " + why + "; the first segment it sends after that (" + to_string(*first) +
                         ") is answered with a RST → " + after_t0(*first)});
      }
    }
    SidePrediction out = decide(p, c, "it never sends anything, so the expired entry never matters");
    if (out.window && out.rule != "firewall-reset") out.explanation = why + "; " + out.explanation;
    return out;
  };
  return {side(Side::client), side(Side::server)};
}

}  // namespace deadpeer::model
