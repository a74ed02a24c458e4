#include "cli/Recommender.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "cli/LossRisk.hpp"
#include "model/TcpTimers.hpp"
#include "model/Text.hpp"
#include "model/Traffic.hpp"

namespace deadpeer::cli {
namespace {

using Kind = SideSetting::Kind;
using scenario::Implementation;

// Packets of one keepalive exchange on an idle session: the probe, the answer (carrying the ACK
// of the probe) and the prober's ACK of the answer. A TCP keepalive probe and its ACK: 2.
constexpr double kSshExchangePackets = 3, kTcpProbePackets = 2;

// Values people write; intervals() and side_grid() add the ones the bound makes exact (the
// largest interval or keepalive time that still fits) and the ones just under a firewall timeout.
constexpr long kNice[] = {1,   2,   3,   4,   5,   6,   8,   10,  12,  15,   20,   25,   30,   40,   45,   50,
                          60,  75,  90,  120, 150, 180, 240, 300, 450, 600, 900, 1200, 1800, 2400, 3600, 7200};
constexpr long kIntvl[] = {1, 2, 3, 5, 10, 15, 30, 60, 75};
constexpr long kProbes[] = {1, 2, 3, 4, 5, 6, 9};
constexpr long kMaxCount = 10;
// Per bucket only the cheapest few of each side go on to be paired: the pair can only cost more
// than its dearer half. Buckets are (kind, count or probes, keeps the firewall open by itself,
// within the loss budget by itself), so the ones a constraint needs (a shorter cycle, a larger
// count) stay even when cheaper ones exist that only a well-chosen peer could rescue.
constexpr size_t kPerBucket = 5;

bool required(const RecommendRequest& r, bool client) { return client ? r.client : r.server; }

std::set<long> intervals(const RecommendRequest& req) {
  const long bound = static_cast<long>(std::floor(req.detect_within_s + 1e-9));
  std::set<long> v(std::begin(kNice), std::end(kNice));
  for (long n = 1; n <= kMaxCount + 1; ++n) {
    v.insert(bound / (n + 1));      // ssh: (N+1)·I
    v.insert(bound / (2 * (n + 1)));  // sshd 9.2–9.4: 2(N+1)·I
  }
  v.insert(bound / 3);  // Dropbear: 3·K
  if (req.firewall_idle_s) {
    const long t = static_cast<long>(std::ceil(*req.firewall_idle_s));
    v.insert(t - 1);
    v.insert((t - 1) / 2);
  }
  std::erase_if(v, [&](long i) { return i < 1 || i > bound; });
  return v;
}

// Keepalive probes a side's kernel sends per hour: after tcp_keepalive_time of silence, unless
// SSH keepalive exchanges (every `exchange_s`) come first; each answered probe restarts the wait.
// Receiving the peer's keepalive probe does not restart it (Linux drops the out-of-window probe
// before it updates its receive timestamps), so each side's kernel counts for itself.
double tcp_probes_per_hour(const model::Profile& p, double exchange_s, double rtt) {
  if (!p.cfg.so_keepalive || p.cfg.tcp.keepalive_probes <= 0) return 0;
  const double t = p.cfg.tcp.keepalive_time_s + rtt;
  if (std::isinf(exchange_s)) return 3600 / t;
  if (t >= exchange_s) return 0;
  return std::floor(exchange_s / t) * 3600 / exchange_s;
}

double exchange_period(const model::Profiles& ps, double rtt) {
  double e = model::kNever;
  for (const auto* p : {&ps.client, &ps.server})
    if (p->ka.probes) e = std::min(e, p->ka.cycle_s + rtt);
  return e;
}

std::string per_hour_text(double n) { return model::secs(std::round(n * 10) / 10) + "/h"; }

bool fits(const model::SidePrediction& p, double bound) { return p.window && p.window->hi_s <= bound + 1e-9; }

model::Prediction predict_with(model::Inputs in, const std::string& fault, std::map<std::string, std::string> params) {
  in.fault = fault;
  in.fault_params = std::move(params);
  return model::predict(in);
}

int changes(const SideSetting& s, Implementation impl) {
  switch (s.kind) {
    case Kind::unchanged: return 0;
    case Kind::ssh_keepalive: return impl == Implementation::dropbear ? 1 : 2;
    case Kind::tcp_keepalive: return 3;  // three sysctls; TCPKeepAlive yes is the default
  }
  return 0;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::unchanged: return "default";
    case Kind::ssh_keepalive: return "SSH";
    case Kind::tcp_keepalive: return "TCP";
  }
  return "?";
}

}  // namespace

std::string describe(const SideSetting& s, bool client, Implementation impl) {
  switch (s.kind) {
    case Kind::unchanged: return "unchanged";
    case Kind::ssh_keepalive:
      if (impl == Implementation::dropbear) return std::string(client ? "dbclient" : "dropbear") + " -K " + std::to_string(s.interval_s);
      return std::string(client ? "ServerAlive" : "ClientAlive") + "Interval " + std::to_string(s.interval_s) + " × CountMax " +
             std::to_string(s.count_max);
    case Kind::tcp_keepalive:
      return "TCP keepalive " + std::to_string(s.ka_time_s) + " s + " + std::to_string(s.ka_probes) + " × " +
             std::to_string(s.ka_intvl_s) + " s";
  }
  return "";
}

std::string Recommendation::family() const {
  return std::string(kind_name(client.kind)) + "/" + kind_name(server.kind);
}

Cost keepalive_cost(const model::Inputs& in) {
  const model::Profiles ps = model::profiles(in);
  const double rtt = std::max(0.0, in.rtt_s);
  const double e = exchange_period(ps, rtt);
  Cost c;
  std::vector<std::string> parts;
  if (!std::isinf(e)) {
    const auto& who = ps.client.ka.probes && ps.client.ka.cycle_s + rtt <= e ? ps.client : ps.server;
    c.packets_per_hour += kSshExchangePackets * 3600 / e;
    parts.push_back(who.cfg.program() + "'s SSH keepalive every " + model::secs(e) + " s: 3 packets × " +
                    per_hour_text(3600 / e));
  }
  for (const auto* p : {&ps.client, &ps.server}) {
    const double n = tcp_probes_per_hour(*p, e, rtt);
    if (n <= 0) continue;
    c.packets_per_hour += kTcpProbePackets * n;
    parts.push_back(p->cfg.program() + "'s TCP keepalive (" + model::secs(p->cfg.tcp.keepalive_time_s) + " s): 2 packets × " +
                    per_hour_text(n));
  }
  for (size_t i = 0; i < parts.size(); ++i) c.breakdown += (i ? "; " : "") + parts[i];
  if (parts.empty()) c.breakdown = "nothing: an idle session sends no keepalive at all";
  return c;
}

SideRisk spurious_risk(const model::Inputs& in, bool client, double loss) {
  const model::Profiles ps = model::profiles(in);
  const model::Profile& me = client ? ps.client : ps.server;
  const double rtt = std::max(0.0, in.rtt_s);
  SideRisk r;
  // Either mechanism may end it: a + b − ab, which keeps 1e-20 where 1 − (1 − a)(1 − b) gives 0.
  auto either = [](double a, double b) { return a + b - a * b; };
  double risk = 0;
  if (me.ka.disconnects) {
    if (!me.ka.probes) {
      risk = 1;
      r.why = me.cfg.program() + " exits without probing (CountMax 0): it ends healthy idle sessions";
    } else {
      const double budget = me.ka.span_s - me.ka.first_probe_s;
      const auto tx = model::retransmission(me.cfg.tcp, rtt).transmissions_s;
      const double chain = answer_late_probability(loss, budget, rtt, tx);
      const double chains = 3600 / (me.ka.cycle_s + rtt);
      const double hour = per_hour(chain, chains);
      risk = either(risk, hour);
      r.why = me.cfg.program() + ": an answer later than " + model::secs(budget) + " s despite TCP retransmission, " +
              percent(chain) + " per probe × " + per_hour_text(chains) + " → " + percent(hour) + " per hour";
    }
  }
  const double exchange = exchange_period(ps, rtt);
  const double probes = tcp_probes_per_hour(me, exchange, rtt);
  if (probes <= 0 && me.cfg.so_keepalive)
    r.why += (r.why.empty() ? "" : "; ") + me.cfg.program() + "'s kernel keepalive (" + model::secs(me.cfg.tcp.keepalive_time_s) +
             " s) never probes: SSH keepalive traffic every " + model::secs(exchange) + " s comes first";
  if (probes > 0) {
    const double chain = tcp_keepalive_chain_probability(loss, me.cfg.tcp.keepalive_probes);
    const double hour = per_hour(chain, probes);
    risk = either(risk, hour);
    r.why += (r.why.empty() ? "" : "; ") + me.cfg.program() + "'s kernel: " + std::to_string(me.cfg.tcp.keepalive_probes) +
             " lost probe/ACK pairs in a row, " + percent(chain) + " per probe chain × " + per_hour_text(probes) + " → " +
             percent(hour) + " per hour";
  }
  r.per_hour = risk;
  if (r.why.empty()) r.why = me.cfg.program() + ": nothing that could give up";
  return r;
}

std::vector<SideSetting> side_grid(const RecommendRequest& req, bool client) {
  if (!required(req, client)) return {SideSetting{}};
  std::vector<SideSetting> out;
  const bool dropbear = req.impl == Implementation::dropbear;
  for (const long i : intervals(req)) {
    if (dropbear) {
      out.push_back({Kind::ssh_keepalive, i, 3});  // Dropbear's limit is fixed at 3
      continue;
    }
    for (long n = 1; n <= kMaxCount; ++n) out.push_back({Kind::ssh_keepalive, i, n});
  }
  if (dropbear) return out;  // Dropbear never sets SO_KEEPALIVE: kernel keepalive cannot help it
  const long bound = static_cast<long>(std::floor(req.detect_within_s + 1e-9));
  for (const long intvl : kIntvl)
    for (const long probes : kProbes) {
      std::set<long> times(std::begin(kNice), std::end(kNice));
      times.insert(bound - probes * intvl);  // the longest idle time that still fits the bound
      if (req.firewall_idle_s) times.insert(static_cast<long>(std::ceil(*req.firewall_idle_s)) - 1);  // just under it
      for (const long t : times)
        if (t >= 1 && t <= 32767 && t + probes * intvl <= bound) out.push_back({Kind::tcp_keepalive, 0, 0, t, intvl, probes});
    }
  return out;
}

model::Inputs inputs_for(const RecommendRequest& req, const SideSetting& client, const SideSetting& server) {
  model::Inputs in;
  in.client_impl = in.server_impl = req.impl;
  in.client_version = req.client_version;
  in.server_version = req.server_version;
  in.rtt_s = req.rtt_s;
  const bool dropbear = req.impl == Implementation::dropbear;
  auto apply = [&](const SideSetting& s, std::map<std::string, std::string>& opts, std::map<std::string, long>& kernel,
                   const char* prefix) {
    switch (s.kind) {
      case Kind::unchanged: break;
      case Kind::ssh_keepalive:
        opts[std::string(prefix) + "AliveInterval"] = std::to_string(s.interval_s);
        if (!dropbear) opts[std::string(prefix) + "AliveCountMax"] = std::to_string(s.count_max);
        break;
      case Kind::tcp_keepalive:
        opts["TCPKeepAlive"] = "yes";
        kernel["tcp_keepalive_time"] = s.ka_time_s;
        kernel["tcp_keepalive_intvl"] = s.ka_intvl_s;
        kernel["tcp_keepalive_probes"] = s.ka_probes;
        break;
    }
  };
  apply(client, in.client, in.kernel_client, "Server");
  apply(server, in.server, in.kernel_server, "Client");
  return in;
}

std::optional<Recommendation> judge(const RecommendRequest& req, const SideSetting& client, const SideSetting& server,
                                    std::string* reason) {
  auto fail = [&](const std::string& why) -> std::optional<Recommendation> {
    if (reason) *reason = why;
    return std::nullopt;
  };
  Recommendation r;
  r.client = client;
  r.server = server;
  r.inputs = inputs_for(req, client, server);
  r.blackhole = predict_with(r.inputs, "blackhole", {});
  if (req.client && !fits(r.blackhole.client, req.detect_within_s)) return fail("client too slow under a blackhole");
  if (req.server && !fits(r.blackhole.server, req.detect_within_s)) return fail("server too slow under a blackhole");
  r.frozen_server = predict_with(r.inputs, "freeze", {{"target", "server"}});
  r.frozen_client = predict_with(r.inputs, "freeze", {{"target", "client"}});
  if (req.detect_frozen && req.client && !fits(r.frozen_server.client, req.detect_within_s))
    return fail("client too slow for a frozen server");
  if (req.detect_frozen && req.server && !fits(r.frozen_client.server, req.detect_within_s))
    return fail("server too slow for a frozen client");
  if (req.firewall_idle_s) {
    r.firewall = predict_with(r.inputs, "firewall", {{"idle_timeout", model::secs(*req.firewall_idle_s)}});
    if (r.firewall->client.window || r.firewall->server.window) return fail("the firewall forgets the idle session");
  }
  if (req.loss) {
    r.client_risk = spurious_risk(r.inputs, true, *req.loss);
    r.server_risk = spurious_risk(r.inputs, false, *req.loss);
    // Either side giving up ends the session: the budget is for the two together.
    const double a = r.client_risk->per_hour, b = r.server_risk->per_hour;
    if (a + b - a * b > req.max_spurious_per_hour)
      return fail("spurious disconnects under loss");
  }
  r.cost = keepalive_cost(r.inputs);
  for (const bool c : {true, false})
    if (required(req, c)) r.worst_s = std::max(r.worst_s, (c ? r.blackhole.client : r.blackhole.server).window->hi_s);
  r.changes = changes(client, req.impl) + changes(server, req.impl);
  r.solo_packets_per_hour = keepalive_cost(inputs_for(req, client, {})).packets_per_hour +
                            keepalive_cost(inputs_for(req, {}, server)).packets_per_hour;
  return r;
}

bool better(const Recommendation& a, const Recommendation& b) {
  // Packets per hour compared to a tenth, so rounding noise does not outrank detection time.
  const double ca = std::round(a.cost.packets_per_hour * 10), cb = std::round(b.cost.packets_per_hour * 10);
  if (ca != cb) return ca < cb;
  if (a.worst_s != b.worst_s) return a.worst_s < b.worst_s;
  if (a.changes != b.changes) return a.changes < b.changes;
  const double sa = std::round(a.solo_packets_per_hour * 10), sb = std::round(b.solo_packets_per_hour * 10);
  if (sa != sb) return sa < sb;
  auto key = [](const SideSetting& s) { return std::tuple(int(s.kind), s.interval_s, s.count_max, s.ka_time_s, s.ka_intvl_s, s.ka_probes); };
  return std::tuple(key(a.client), key(a.server)) < std::tuple(key(b.client), key(b.server));
}

namespace {

// The side's settings that can meet the bound alone, cheapest few per bucket.
std::vector<SideSetting> viable(const RecommendRequest& req, bool client, SearchResult& result) {
  std::vector<SideSetting> grid = side_grid(req, client);
  if (!required(req, client)) return grid;
  struct Scored {
    SideSetting s;
    double cost;
    double hi;
  };
  std::map<std::tuple<int, long, bool, bool>, std::vector<Scored>> buckets;
  for (const auto& s : grid) {
    const SideSetting none{};
    const model::Inputs in = client ? inputs_for(req, s, none) : inputs_for(req, none, s);
    const model::Prediction p = predict_with(in, "blackhole", {});
    ++result.evaluated;
    if (!fits(client ? p.client : p.server, req.detect_within_s)) {
      ++result.rejected[std::string(client ? "client" : "server") + " too slow under a blackhole"];
      continue;
    }
    const long n = s.kind == Kind::ssh_keepalive ? s.count_max : s.ka_probes;
    bool keeps_firewall = true, within_loss = true;
    if (req.firewall_idle_s) {
      const auto f = predict_with(in, "firewall", {{"idle_timeout", model::secs(*req.firewall_idle_s)}});
      keeps_firewall = !f.client.window && !f.server.window;
    }
    if (req.loss) within_loss = spurious_risk(in, client, *req.loss).per_hour <= req.max_spurious_per_hour;
    buckets[{int(s.kind), n, keeps_firewall, within_loss}].push_back({s, keepalive_cost(in).packets_per_hour, (client ? p.client : p.server).window->hi_s});
  }
  std::vector<SideSetting> out;
  for (auto& [_, list] : buckets) {
    std::sort(list.begin(), list.end(), [](const Scored& a, const Scored& b) {
      return a.cost != b.cost ? a.cost < b.cost : a.hi < b.hi;
    });
    for (size_t i = 0; i < list.size() && i < kPerBucket; ++i) out.push_back(list[i].s);
  }
  return out;
}

}  // namespace

SearchResult search(const RecommendRequest& req) {
  SearchResult result;
  const auto clients = viable(req, true, result);
  const auto servers = viable(req, false, result);
  for (const auto& c : clients)
    for (const auto& s : servers) {
      std::string why;
      ++result.evaluated;
      if (auto r = judge(req, c, s, &why)) result.ranked.push_back(std::move(*r));
      else ++result.rejected[why];
    }
  std::sort(result.ranked.begin(), result.ranked.end(), better);
  return result;
}

std::vector<Recommendation> shortlist(const std::vector<Recommendation>& ranked, size_t n) {
  std::vector<Recommendation> out;
  std::set<std::string> families;
  std::vector<bool> taken(ranked.size(), false);
  for (size_t i = 0; i < ranked.size() && out.size() < n; ++i)
    if (families.insert(ranked[i].family()).second) {
      out.push_back(ranked[i]);
      taken[i] = true;
    }
  for (size_t i = 0; i < ranked.size() && out.size() < n; ++i)
    if (!taken[i]) out.push_back(ranked[i]);
  std::sort(out.begin(), out.end(), better);
  return out;
}

}  // namespace deadpeer::cli
