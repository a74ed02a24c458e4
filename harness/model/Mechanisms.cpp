#include "model/Mechanisms.hpp"

#include <algorithm>
#include <cmath>

#include "model/Text.hpp"

namespace deadpeer::model {

namespace {

using observe::Cause;

// "in [-1.0002, 0] s": relative times, negative before t0.
std::string in_range(const Window& w) { return "in [" + secs(w.lo_s) + ", " + secs(w.hi_s) + "] s"; }

std::string last_rx_text(const Window& w, const std::string& source) {
  if (std::isinf(w.lo_s)) return "the last packet it received";
  std::string s = "the last packet it received (" + in_range(w);
  if (!source.empty()) s += "; " + source;
  return s + ")";
}

std::string notes(const Profile& p) {
  std::string s;
  for (const auto& n : p.cfg.notes) s += "; " + n;
  return s;
}

}  // namespace

Episode blackhole_episode(const Profile& p, const std::string& why) {
  Episode e;
  e.onset = {0, 0};
  e.last_rx = {-std::min(p.rx_gap_s, p.age_s), 0};
  e.last_rx_tcp = {-std::min(p.tcp_rx_gap_s, p.age_s), 0};
  if (p.observed_rx) {  // a traced run saw it: one phase instead of a range
    e.last_rx = {p.observed_rx->t_s, p.observed_rx->t_s};
    e.last_rx_second_start = p.observed_rx->second_start_s;
    e.last_rx_tcp.hi_s = std::max(e.last_rx_tcp.hi_s, p.observed_rx->t_s);
    e.last_rx_tcp.lo_s = std::max(e.last_rx_tcp.lo_s, p.observed_rx->t_s);
  }
  e.why = why;
  return e;
}

std::optional<Candidate> ssh_keepalive_candidate(const Profile& p, const Episode& e, double rtt) {
  const auto w = ssh_keepalive_exit(p.ka, e.last_rx, e.onset, rtt, e.last_rx_second_start);
  if (!w) return std::nullopt;
  Candidate c{*w, p.ka.cause, p.ka.rule, ""};
  c.explanation = p.cfg.program() + ": " + p.ka.formula + " = " + secs(p.ka.span_s) + " s after " +
                  last_rx_text(e.last_rx, std::isinf(e.last_rx.lo_s) ? "" : p.rx_source) + " → " + after_t0(*w);
  return c;
}

std::optional<Candidate> retransmit_candidate(const Profile& p, Window first_send, double rtt,
                                             const std::string& soft_error) {
  const Retransmission r = retransmission(p.cfg.tcp, rtt);
  Candidate c{{first_send.lo_s + r.giveup_s, first_send.hi_s + r.giveup_s}, Cause::tcp_retransmit, "tcp-retransmit", ""};
  c.explanation = p.cfg.program() + ": its first unacknowledged data leaves " + secs(first_send.lo_s) + "–" +
                  secs(first_send.hi_s) + " s after t0; Linux gives up " + secs(r.giveup_s) + " s later (TLP " +
                  secs(r.tlp_s) + " s, then " + std::to_string(r.rto_retransmits) + " RTO retransmissions from " +
                  secs(r.rto0_s) + " s doubling to " + secs(p.cfg.tcp.rto_max_s) + " s until tcp_retries2 " +
                  std::to_string(p.cfg.tcp.retries2) + "'s budget of " + secs(r.model_timeout_s) + " s is spent)";
  if (p.app_send_period_s && *p.app_send_period_s == 0) {
    // A bulk sender's srtt includes the queueing of its own stream, not the idle lab RTT: the
    // RTO (srtt + max(mdev, rto_min)) is larger, and a few ms more can move the give-up a whole
    // step earlier (tcp_retries2 3: 6.528 s at RTO 0.204 s, ~3.5 s from RTO 0.216 s; measured
    // 3.61, 3.65 and 6.49 s). Cover srtt up to kStreamSrttMaxS.
    constexpr double kStreamSrttMaxS = 0.050;
    for (double x = rtt; x <= kStreamSrttMaxS + 1e-9; x += 0.001) {
      const double g = retransmission(p.cfg.tcp, x).giveup_s;
      c.window.lo_s = std::min(c.window.lo_s, first_send.lo_s + g);
      c.window.hi_s = std::max(c.window.hi_s, first_send.hi_s + g);
    }
    c.explanation += "; a stream's srtt (up to " + secs(kStreamSrttMaxS) + " s of queueing assumed) widens it";
  }
  if (!soft_error.empty() && r.transmissions_s.size() > 1) {
    // tcp_v4_err: an ICMP unreachable for an established socket is a soft error, reported by
    // tcp_write_err instead of ETIMEDOUT. Host/net unreachable also undo one backoff step each
    // (tcp_ld_RTO_revert), so the timer may fire at any point after the budget is spent, not
    // only at the doubling schedule's step: from the first RTO retransmission + budget on.
    c.window.lo_s = first_send.lo_s + r.transmissions_s[1] + r.model_timeout_s;
    c.cause = Cause::other;
    c.explanation += ", reported as the ICMP soft error (" + soft_error + ", cause other); ICMP unreachables may " +
                     "undo the backoff, so it may come as early as the first RTO retransmission + the budget";
  }
  c.explanation += " → " + after_t0(c.window);
  return c;
}

std::optional<Window> first_keepalive_probe(const Profile& p, const Episode& e) {
  if (!p.cfg.so_keepalive) return std::nullopt;
  const double t = p.cfg.tcp.keepalive_time_s;
  const double lo = std::max(e.onset.lo_s, e.last_rx_tcp.lo_s + t);
  return Window{lo, std::max(lo, e.last_rx_tcp.hi_s + t)};
}

std::optional<Candidate> tcp_keepalive_candidate(const Profile& p, const Episode& e, std::optional<Window> data_send) {
  if (!p.cfg.so_keepalive || e.keepalive_answered) return std::nullopt;
  const auto probe = first_keepalive_probe(p, e);
  const double rest = keepalive_span_s(p.cfg.tcp) - p.cfg.tcp.keepalive_time_s;
  const Window w{probe->lo_s + rest, probe->hi_s + rest};
  // Keepalive acts only while nothing is unacknowledged: data sent before it kills the socket
  // hands the decision to retransmission.
  if (data_send && w.lo_s >= data_send->hi_s) return std::nullopt;
  Candidate c{w, Cause::tcp_keepalive, "tcp-keepalive", ""};
  const auto& k = p.cfg.tcp;
  c.explanation = p.cfg.program() + ": SO_KEEPALIVE with nothing unacknowledged, tcp_keepalive_time " +
                  secs(k.keepalive_time_s) + " + tcp_keepalive_probes " + std::to_string(k.keepalive_probes) +
                  " × tcp_keepalive_intvl " + secs(k.keepalive_intvl_s) + " = " + secs(keepalive_span_s(k)) +
                  " s after the last segment it received (" + in_range(e.last_rx_tcp) + ") → " + after_t0(w);
  if (data_send) c.explanation += " (only if it fires before its first data leaves, " + after_t0(*data_send) + ")";
  return c;
}

std::optional<Candidate> idle_timeout_candidate(const Profile& p, const Episode& e) {
  if (!p.cfg.dropbear() || p.cfg.idle_timeout_s <= 0 || p.app_send_period_s) return std::nullopt;
  // checktimeouts(): now - last_packet_time_idle >= -I, whole seconds; keepalives do not count.
  const double i = double(p.cfg.idle_timeout_s);
  const double lo = std::max(std::max(0.0, e.onset.lo_s), e.onset.lo_s - p.idle_gap_s - 1.0 + i);
  const Window w{lo, std::max(lo, e.onset.hi_s + i)};
  Candidate c{w, Cause::other, "dropbear-idle-timeout", ""};
  c.explanation = p.cfg.program() + ": -I " + secs(i) + " s after the last non-keepalive packet" +
                  (std::isinf(p.idle_gap_s) ? " (none after login: it would close even without a fault)"
                                            : " (" + p.idle_source + ")") +
                  " → " + after_t0(w);
  return c;
}

std::optional<Window> first_data_send(const Profile& p, const Episode& e) {
  std::optional<Window> best;
  auto take = [&](Window w) {
    if (!best) best = w;
    else best = Window{std::min(best->lo_s, w.lo_s), std::min(best->hi_s, w.hi_s)};
  };
  if (const auto probe = ssh_keepalive_first_probe(p.ka, e.last_rx, e.onset)) take(*probe);
  if (p.app_send_period_s) take({e.onset.lo_s, e.onset.hi_s + *p.app_send_period_s});
  return best;
}

std::optional<Window> first_any_send(const Profile& p, const Episode& e) {
  auto data = first_data_send(p, e);
  auto probe = first_keepalive_probe(p, e);
  if (!data) return probe;
  if (!probe) return data;
  return Window{std::min(data->lo_s, probe->lo_s), std::min(data->hi_s, probe->hi_s)};
}

std::vector<Candidate> loss_candidates(const Profile& p, const Episode& e, double rtt) {
  std::vector<Candidate> out;
  if (auto c = ssh_keepalive_candidate(p, e, rtt)) out.push_back(*c);
  const auto data = first_data_send(p, e);
  if (data && !e.data_acked)
    if (auto c = retransmit_candidate(p, *data, rtt, e.soft_error)) out.push_back(*c);
  if (auto c = tcp_keepalive_candidate(p, e, data)) out.push_back(*c);
  if (auto c = idle_timeout_candidate(p, e)) out.push_back(*c);
  return out;
}

std::optional<Window> first_transmission_at_or_after(Window first, const std::vector<double>& offsets, double t) {
  // f(s) = s + (the first offset o with s + o >= t) is piecewise linear in s: its extremes lie at
  // the ends of `first` or at the jumps s = t - o.
  auto f = [&](double s) -> std::optional<double> {
    for (double o : offsets)
      if (s + o >= t - 1e-9) return s + o;
    return std::nullopt;
  };
  std::optional<Window> out;
  auto add = [&](double v) {
    if (!out) out = Window{v, v};
    else out = Window{std::min(out->lo_s, v), std::max(out->hi_s, v)};
  };
  for (double s : {first.lo_s, first.hi_s})
    if (auto v = f(s)) add(*v);
  for (size_t k = 0; k < offsets.size(); ++k) {
    const double s = t - offsets[k];
    if (s < first.lo_s || s > first.hi_s) continue;
    add(t);  // just at the jump: lands on t
    // just before it (if that is still in range): misses t and waits for the next one
    if (s > first.lo_s && k + 1 < offsets.size()) add(s + offsets[k + 1]);
  }
  return out;
}

SidePrediction never(const std::string& rule, const std::string& explanation) {
  return SidePrediction{std::nullopt, Cause::none, rule, explanation};
}

SidePrediction decide(const Profile& p, std::vector<Candidate> cands, const std::string& never_why) {
  if (cands.empty()) return never("never", p.cfg.program() + ": " + never_why + notes(p));
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.window.hi_s != b.window.hi_s) return a.window.hi_s < b.window.hi_s;
    return a.window.lo_s < b.window.lo_s;
  });
  const Candidate& win = cands.front();
  SidePrediction out{win.window, win.cause, win.rule, win.explanation};
  for (size_t i = 1; i < cands.size(); ++i) {
    const auto& c = cands[i];
    const bool race = c.window.lo_s < win.window.hi_s;
    out.explanation += std::string(race ? "; may race with " : "; before ") + c.rule + " (" + to_string(c.window) + ")";
  }
  out.explanation += notes(p);
  return out;
}

}  // namespace deadpeer::model
