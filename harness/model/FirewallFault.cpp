// A stateful firewall in the router forgets idle connections. Conntrack's idle timeout T is in
// force from arming, so the entry's timer runs from the flow's last packet; from t0 on the
// firewall enforces: the packets of a forgotten flow are dropped (a blackhole from then on) or
// answered with a RST (on_expiry=reset). Traffic more frequent than T keeps the entry.
// ignore_keepalive=true: from t0 a user-space filter drops TCP keepalive probes before conntrack
// sees them — they neither refresh the entry nor get answered (before t0 they did both).
#include <algorithm>
#include <cmath>
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

Refresh refreshing_traffic(const FaultContext& ctx, bool with_tcp_keepalive) {
  Refresh r;
  for (const Profile* p : {&ctx.p.client, &ctx.p.server}) {
    if (p->ka.probes) consider(r, p->ka.cycle_s + ctx.rtt, p->cfg.program() + "'s SSH keepalive");
    // A TCP keepalive probe goes out only after keepalive_time of silence, so this period
    // only matters when nothing more frequent flows.
    if (p->cfg.so_keepalive && with_tcp_keepalive)
      consider(r, p->cfg.tcp.keepalive_time_s + ctx.rtt, p->cfg.program() + "'s TCP keepalive");
  }
  if (ctx.in.pattern == Pattern::interactive || ctx.in.pattern == Pattern::forward)
    consider(r, ctx.in.traffic_interval_s, "the client's writes");
  if (ctx.in.pattern == Pattern::stream) consider(r, 0.0, "the stream");
  return r;
}

// The longest silence between TCP segments this side receives when its keepalive probes go
// unanswered: SSH packets and ACKs of its own writes only.
double data_gap(const Profile& p, double rtt) {
  double g = p.rx_gap_s;
  if (p.app_send_period_s) g = std::min(g, *p.app_send_period_s + rtt);
  return g;
}

// ignore_keepalive: its probes are dropped from t0, so TCP keepalive counts from the last data
// segment it received: one data gap before t0 while the flow lives (it fires only if its span
// is shorter than that gap), or before the expiry; with no data at all, from the last probe
// answered before t0. Only while it has nothing unacknowledged (data_send).
std::optional<Candidate> unanswered_keepalive(const Profile& p, std::optional<Window> expiry, double rtt,
                                              std::optional<Window> data_send) {
  if (!p.cfg.so_keepalive) return std::nullopt;
  const double g = data_gap(p, rtt);
  Episode e;
  e.onset = {0, 0};
  if (!std::isinf(g) && keepalive_span_s(p.cfg.tcp) < g) {
    e.last_rx_tcp = {-g, 0};
  } else if (!expiry) {
    return std::nullopt;  // data comes more often than keepalive gives up, and it never stops
  } else if (!std::isinf(g)) {
    e.last_rx_tcp = {expiry->lo_s - g, expiry->hi_s};
  } else {
    e.last_rx_tcp = {-(p.cfg.tcp.keepalive_time_s + rtt), 0};
  }
  auto c = tcp_keepalive_candidate(p, e, data_send);
  if (c) c->explanation += " (ignore_keepalive: its probes are dropped from t0)";
  return c;
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

  const Refresh before = refreshing_traffic(ctx, true);     // until t0 every packet refreshes
  const Refresh after = refreshing_traffic(ctx, !*ignore);  // from t0
  const Side sides[] = {Side::client, Side::server};

  if (after.period < t) {
    // Kept alive. With ignore_keepalive a side whose TCP keepalive gives up between two data
    // packets still dies, and its RST passes (the entry is alive).
    std::optional<Candidate> ka[2];
    if (*ignore)
      for (int i = 0; i < 2; ++i) ka[i] = unanswered_keepalive(ctx.side(sides[i]), std::nullopt, ctx.rtt, std::nullopt);
    Prediction out;
    for (int i = 0; i < 2; ++i) {
      Profile& p = ctx.side(sides[i]);
      std::vector<Candidate> c;
      if (auto k = idle_timeout_candidate(p, blackhole_episode(p, "firewall"))) c.push_back(*k);
      if (ka[i]) c.push_back(*ka[i]);
      if (ka[1 - i])
        c.push_back({ka[1 - i]->window, Cause::reset, "peer-keepalive-rst",
                     p.cfg.program() + ": its peer's TCP keepalive gives up and sends a RST, which passes → " +
                         after_t0(ka[1 - i]->window)});
      SidePrediction s = decide(p, c,
                                after.what + " every " + secs(after.period) +
                                    " s refreshes the conntrack entry before its idle timeout of " + secs(t) +
                                    " s: the session survives");
      if (!s.window) s.rule = "firewall-kept-alive";
      (i == 0 ? out.client : out.server) = s;
    }
    return out;
  }

  // The entry was last refreshed φ before t0, φ at most one period of what refreshed it (and,
  // when nothing did, at most `at`: the session's last packet came at steady state), so it
  // expires at T − φ — at t0 at the earliest, when it was already gone. Only a second, rarer
  // source of traffic (a TCP keepalive the filter now drops, before which an SSH packet slipped
  // in) can refresh it after t0, up to min(p, T) later.
  const double phi = std::min(before.period, ctx.in.fault_at_s.value_or(kNever));
  const double late = after.period > before.period ? std::min(after.period, t) : 0.0;
  const Window expiry{std::max(0.0, t - phi), t + late};
  const std::string refresh = after.what.empty() ? std::string(", nothing refreshing it")
                                                 : ", " + after.what + " every " + secs(after.period) + " s being too rare";
  const std::string why = "conntrack entry (idle timeout " + secs(t) + " s) expires " + to_string(expiry) + " after t0" + refresh;
  auto side = [&](Side s) {
    Profile& p = ctx.side(s);
    Episode e;
    e.onset = expiry;
    // With a single source of refreshing traffic, nothing at all passed between t0 and the
    // expiry (it would have refreshed the entry): the last packet came before t0. Otherwise
    // traffic may continue until the expiry, the last packet at most one gap before it.
    const double last = late > 0 ? expiry.hi_s : 0.0;
    e.last_rx = {std::min(last, expiry.lo_s) - p.rx_gap_s, last};
    e.last_rx_tcp = {std::min(last, expiry.lo_s) - p.tcp_rx_gap_s, last};
    e.keepalive_answered = *ignore;  // then its own rule below
    e.why = why;
    std::vector<Candidate> c = loss_candidates(p, e, ctx.rtt);
    if (*ignore)
      if (auto k = unanswered_keepalive(p, expiry, ctx.rtt, first_data_send(p, e))) c.push_back(*k);
    if (on_expiry == "reset") {
      // Every packet after the expiry is answered with a RST: the first one this side sends.
      // With ignore_keepalive its probes are dropped before the firewall sees them: data only.
      Episode sends = e;
      sends.keepalive_answered = false;
      if (const auto first = *ignore ? first_data_send(p, e) : first_any_send(p, sends)) {
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
