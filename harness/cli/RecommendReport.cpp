#include "cli/RecommendReport.hpp"

#include <cstdio>
#include <sstream>

#include "cli/HumanTime.hpp"
#include "cli/LossRisk.hpp"
#include "model/SideConfig.hpp"
#include "model/Text.hpp"

namespace deadpeer::cli {
namespace {

using Kind = SideSetting::Kind;
using scenario::Implementation;

std::string pad(std::string s, size_t width) {
  // Column widths count characters, not bytes ("–" and "×" are 2–3 bytes in UTF-8).
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars < width) s.append(width - chars, ' ');
  return s;
}

std::string packets(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string version_text(bool dropbear, const ResolvedVersion& v) {
  return std::string(dropbear ? "Dropbear " : "OpenSSH ") + std::to_string(v.version.major) + "." +
         std::to_string(v.version.minor) + " (" + v.origin + ")";
}

std::string sysctl_block(const SideSetting& s, const char* host, const std::string& indent) {
  return indent + host + " host, /etc/sysctl.d/90-ssh-keepalive.conf (then `sysctl --system`; applies to every socket\n" +
         indent + "with SO_KEEPALIVE on that host, in the namespace it is set in):\n" + indent +
         "    net.ipv4.tcp_keepalive_time = " + std::to_string(s.ka_time_s) + "\n" + indent +
         "    net.ipv4.tcp_keepalive_intvl = " + std::to_string(s.ka_intvl_s) + "\n" + indent +
         "    net.ipv4.tcp_keepalive_probes = " + std::to_string(s.ka_probes) + "\n";
}

std::string client_lines(const SideSetting& s, Implementation impl, const std::string& indent) {
  if (s.kind == Kind::unchanged) return indent + "ssh: unchanged (its defaults and the kernel's)\n";
  if (impl == Implementation::dropbear)
    return indent + "dbclient command line:\n" + indent + "    dbclient -K " + std::to_string(s.interval_s) + " user@host\n";
  std::string out;
  if (s.kind == Kind::tcp_keepalive) out += sysctl_block(s, "client", indent);
  out += indent + "~/.ssh/config (or /etc/ssh/ssh_config):\n" + indent + "    Host *\n";
  if (s.kind == Kind::ssh_keepalive)
    out += indent + "        ServerAliveInterval " + std::to_string(s.interval_s) + "\n" + indent +
           "        ServerAliveCountMax " + std::to_string(s.count_max) + "\n";
  else out += indent + "        TCPKeepAlive yes\n";
  return out;
}

std::string server_lines(const SideSetting& s, Implementation impl, const std::string& indent) {
  if (s.kind == Kind::unchanged) return indent + "sshd: unchanged (its defaults and the kernel's)\n";
  if (impl == Implementation::dropbear)
    return indent + "dropbear command line (Debian: DROPBEAR_EXTRA_ARGS in /etc/default/dropbear):\n" + indent +
           "    dropbear -K " + std::to_string(s.interval_s) + "\n";
  std::string out;
  if (s.kind == Kind::tcp_keepalive) out += sysctl_block(s, "server", indent);
  out += indent + "/etc/ssh/sshd_config (then reload sshd):\n";
  if (s.kind == Kind::ssh_keepalive)
    out += indent + "    ClientAliveInterval " + std::to_string(s.interval_s) + "\n" + indent + "    ClientAliveCountMax " +
           std::to_string(s.count_max) + "\n";
  else out += indent + "    TCPKeepAlive yes\n";
  return out;
}

// Table cells: the window when it is short, "≤ 2 h 11 min 15 s" once it is long.
std::string window_only(const model::SidePrediction& p) {
  if (!p.window) return "never";
  if (p.window->hi_s >= 120) return "≤ " + human_duration(p.window->hi_s);
  return model::to_string(*p.window);
}

std::string request_text(const RecommendContext& ctx) {
  const RecommendRequest& q = ctx.request;
  const bool db = q.impl == Implementation::dropbear;
  const std::string c = db ? "dbclient" : "ssh", s = db ? "dropbear" : "sshd";
  std::string who = q.client && q.server ? c + " and " + s : q.client ? c : s;
  std::string out = "deadpeer recommend: " + who + " notice" + (q.client && q.server ? "" : "s") +
                    " a dead peer (blackhole) within " + human_duration(q.detect_within_s);
  if (q.firewall_idle_s)
    out += ",\n  the session survives a firewall that forgets flows idle for " + human_duration(*q.firewall_idle_s) +
           " (keepalive traffic must come more often; TCP keepalive counts)";
  if (q.loss)
    out += ",\n  at " + percent(*q.loss) + " independent loss" + (q.loss_assumed ? " (any path's; --loss to change)" : "") +
           " a spurious disconnect no likelier than " + percent(q.max_spurious_per_hour) + " per session-hour";
  if (q.detect_frozen) out += ",\n  and a frozen peer is noticed within the bound too";
  out += "\nmodel: " + c + " " + version_text(db, ctx.client_version) + ", " + s + " " + version_text(db, ctx.server_version) +
         "; an idle session; rtt " + model::secs(q.rtt_s * 1000) + " ms\n";
  return out;
}

}  // namespace

std::string RecommendReport::notices(const model::SidePrediction& p) {
  return p.window ? model::to_string(*p.window) + " (" + p.rule + ")" : std::string("never");
}

std::string RecommendReport::paste(const Recommendation& r, Implementation impl, const std::string& indent) {
  return client_lines(r.client, impl, indent) + server_lines(r.server, impl, indent);
}

std::string RecommendReport::render(const RecommendContext& ctx, const SearchResult& result,
                                    const std::vector<Recommendation>& shown) {
  const RecommendRequest& q = ctx.request;
  const Implementation impl = q.impl;
  const bool db = impl == Implementation::dropbear;
  const std::string cname = db ? "dbclient" : "ssh", sname = db ? "dropbear" : "sshd";
  std::ostringstream out;
  out << request_text(ctx);
  out << "judged " << result.evaluated << " settings with the timing model; " << result.ranked.size()
      << " combinations meet every constraint";
  if (!result.rejected.empty()) {
    out << "\nrejected:";
    for (const auto& [why, n] : result.rejected) out << " " << n << " (" << why << ");";
  }
  out << "\n";
  if (shown.empty()) {
    out << "\nno setting meets all of this: relax the bound (" << cname << " needs at least 2 s, one probe and one wait),"
        << " the firewall's idle timeout must exceed the keepalive cycle (≥ 1 s), or accept more risk under loss\n";
    return out.str();
  }
  out << "\nshortlist (the cheapest of each kind, then the next cheapest; packets per hour of an idle session, both ways):\n\n";
  out << pad("#", 3) << pad(cname + " (client)", 38) << pad(sname + " (server)", 38) << pad("packets/h", 11)
      << pad(cname + " notices", 18) << pad(sname + " notices", 18) << "frozen peer noticed by " << cname << " / " << sname
      << "\n";
  for (size_t i = 0; i < shown.size(); ++i) {
    const auto& r = shown[i];
    out << pad(std::to_string(i + 1), 3) << pad(describe(r.client, true, impl), 38) << pad(describe(r.server, false, impl), 38)
        << pad(packets(r.cost.packets_per_hour), 11) << pad(window_only(r.blackhole.client), 18)
        << pad(window_only(r.blackhole.server), 18) << window_only(r.frozen_server.client) << " / "
        << window_only(r.frozen_client.server) << "\n";
  }
  for (size_t i = 0; i < shown.size(); ++i) {
    const auto& r = shown[i];
    out << "\n#" << i + 1 << "  " << packets(r.cost.packets_per_hour) << " packets/hour per idle session: " << r.cost.breakdown
        << "\n";
    out << "    blackhole: " << cname << " notices " << notices(r.blackhole.client) << ", " << sname << " "
        << notices(r.blackhole.server) << "\n";
    if (r.firewall) {
      // The model's sentence starts with the side it was written for ("ssh: "): both sides share it.
      std::string why = r.firewall->client.explanation;
      if (const auto colon = why.find(": "); colon != std::string::npos && colon < 10) why = why.substr(colon + 2);
      out << "    firewall " << human_duration(*q.firewall_idle_s) << ": " << why << "\n";
    }
    out << "    frozen peer: " << cname << " notices a frozen " << sname << " " << notices(r.frozen_server.client) << ", "
        << sname << " a frozen " << cname << " " << notices(r.frozen_client.server) << "\n";
    if (r.client_risk && r.server_risk)
      out << "    loss " << percent(*q.loss) << ": a spurious disconnect in "
          << percent(r.client_risk->per_hour + r.server_risk->per_hour - r.client_risk->per_hour * r.server_risk->per_hour)
          << " of session-hours ("
          << r.client_risk->why << "; " << r.server_risk->why << ")\n";
    out << "    paste:\n" << paste(r, impl, "      ");
  }
  out << "\nnotes: windows are the model's (docs/timing-model.md) for these versions; `deadpeer predict` explains any of "
         "them, `--verify` measures them.\n";
  if (!db)
    out << "TCP keepalive relies on host-wide sysctls and answers from the peer's kernel: it never notices a frozen "
           "process, nor a middlebox that answers keepalives (docs/tcp-keepalive-question.md).\n";
  return out.str();
}

}  // namespace deadpeer::cli
