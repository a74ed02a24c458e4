#include "model/TcpTimers.hpp"

#include <algorithm>
#include <cmath>

namespace deadpeer::model {

namespace {

using jiffies = long long;

constexpr jiffies kRtoMinConst = kHz / 5;  // TCP_RTO_MIN: the model timeout always uses it

// usecs_to_jiffies() rounds up.
jiffies to_jiffies(double s) { return jiffies(std::ceil(s * double(kHz) - 1e-9)); }
double to_secs(jiffies j) { return double(j) / double(kHz); }

int ilog2(jiffies v) {
  int r = -1;
  while (v > 0) {
    v >>= 1;
    ++r;
  }
  return r;
}

}  // namespace

double tcp_model_timeout_s(long retries2, double rto_max_s) {
  const jiffies base = kRtoMinConst;
  const jiffies rto_max = to_jiffies(rto_max_s);
  const long thresh = ilog2(rto_max / base);
  const long b = std::max(0L, retries2);
  jiffies t = 0;
  if (b <= thresh)
    t = ((jiffies(2) << b) - 1) * base;
  else
    t = ((jiffies(2) << thresh) - 1) * base + jiffies(b - thresh) * rto_max;
  // jiffies_to_msecs(): exact at HZ=250.
  return to_secs(t);
}

Retransmission retransmission(const KernelTcp& tcp, double rtt_s) {
  Retransmission r;
  const jiffies rto_max = to_jiffies(tcp.rto_max_s);
  // tcp_rtt_estimator/__tcp_set_rto: rto = srtt + rttvar, rttvar never below rto_min; with a
  // steady RTT the variance term decays to exactly rto_min.
  const jiffies rto0 = std::min(to_jiffies(rtt_s + tcp.rto_min_s), rto_max);
  // tcp_schedule_loss_probe: one packet out → 2·srtt + TCP_RTO_MIN, capped by the pending RTO.
  // tcp_send_loss_probe then re-arms the RTO timer from the probe ("restart timer from now").
  const jiffies pto = std::min(to_jiffies(2 * rtt_s) + to_jiffies(tcp.rto_min_s), rto0);
  const double budget_s = tcp_model_timeout_s(tcp.retries2, tcp.rto_max_s);
  // Compare in milliseconds like tcp_time_stamp_ts; budget is a whole number of ms.
  const long long budget_ms = std::llround(budget_s * 1000.0);

  r.rto0_s = to_secs(rto0);
  r.tlp_s = to_secs(pto);
  r.model_timeout_s = budget_s;
  r.transmissions_s.push_back(r.tlp_s);

  jiffies now = pto, rto = rto0, first_retransmit = -1;
  for (int firing = 1; firing < 100000; ++firing) {
    now += rto;  // the retransmit timer fires
    if (first_retransmit >= 0) {
      // retransmits_timed_out(): elapsed since retrans_stamp (the first RTO retransmission)
      const long long elapsed_ms = (now - first_retransmit) * 1000 / kHz;
      if (elapsed_ms >= budget_ms) {
        r.giveup_s = to_secs(now);
        return r;
      }
    } else {
      first_retransmit = now;  // tcp_retransmit_skb: "save stamp of the first retransmit"
    }
    r.transmissions_s.push_back(to_secs(now));
    ++r.rto_retransmits;
    rto = std::min(rto * 2, rto_max);  // exponential backoff, clamped at rto_max
  }
  r.giveup_s = to_secs(now);
  return r;
}

double keepalive_span_s(const KernelTcp& tcp) {
  return tcp.keepalive_time_s + double(std::max(0L, tcp.keepalive_probes)) * tcp.keepalive_intvl_s;
}

std::vector<double> keepalive_probe_offsets_s(const KernelTcp& tcp) {
  std::vector<double> out;
  for (long k = 0; k < std::max(0L, tcp.keepalive_probes); ++k) out.push_back(double(k) * tcp.keepalive_intvl_s);
  return out;
}

}  // namespace deadpeer::model
