#include "cli/PredictReport.hpp"

#include <sstream>

#include "cli/HumanTime.hpp"
#include "cli/ModelValidation.hpp"
#include "model/SideConfig.hpp"

namespace deadpeer::cli {
namespace {

std::string onoff(long s, const char* unit = " s") { return s > 0 ? std::to_string(s) + unit : "0 (off)"; }

// The effective settings of one side, as the model reads them: what was given and the defaults.
std::string settings(const model::SideConfig& c) {
  std::string s;
  if (c.dropbear()) {
    s = "-K " + onoff(c.alive_interval_s) + " from " + c.interval_option() + ", -I " + onoff(c.idle_timeout_s) +
        " from IdleTimeout; gives up after 3 × -K; never sets SO_KEEPALIVE";
  } else {
    s = c.interval_option() + " " + onoff(c.alive_interval_s) + ", " + c.count_option() + " " +
        std::to_string(c.alive_count_max) + ", TCPKeepAlive " + (c.so_keepalive ? "yes" : "no");
  }
  const auto& k = c.tcp;
  s += "\n              kernel: tcp_keepalive_time " + human_duration(k.keepalive_time_s) + ", tcp_keepalive_intvl " +
       model::secs(k.keepalive_intvl_s) + " s, tcp_keepalive_probes " + std::to_string(k.keepalive_probes) +
       ", tcp_retries2 " + std::to_string(k.retries2) + ", rto_min " + model::secs(k.rto_min_s * 1000) + " ms";
  return s;
}

// Explanations chain the deciding rule and the others with "; ": one per line reads better.
// A "; " inside parentheses belongs to its sentence and stays.
std::string wrapped(const std::string& text, const std::string& indent) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (c == ';' && depth <= 0 && i + 1 < text.size() && text[i + 1] == ' ') {
      out += ";\n" + indent;
      ++i;
      continue;
    }
    out += c;
  }
  return out;
}

std::string version_text(const model::SideConfig& c, const ResolvedVersion& v) {
  return std::string(c.dropbear() ? "Dropbear " : "OpenSSH ") + std::to_string(v.version.major) + "." +
         std::to_string(v.version.minor) + ", " + v.origin;
}

void side(std::ostream& out, const char* name, const model::SideConfig& cfg, const ResolvedVersion& v,
          const model::SidePrediction& p) {
  const std::string indent = "              ";
  out << name << cfg.program() << " (" << version_text(cfg, v) << ")\n";
  out << "  settings    " << settings(cfg) << "\n";
  out << "  notices     " << (p.window ? human_window(*p.window) + " after the fault" : "never") << "\n";
  out << "  cause       " << to_string(p.cause) << "\n";
  out << "  rule        " << p.rule << "\n";
  out << "  why         " << wrapped(p.explanation, indent) << "\n";
  out << "  validation  " << wrapped(ModelValidation::verdict(p), indent) << "\n";
}

}  // namespace

std::string PredictReport::render(const PredictCase& c, const model::Prediction& p) {
  const model::Inputs& in = c.inputs;
  std::ostringstream out;
  if (!c.label.empty()) out << "case " << c.label << "\n";
  out << "fault " << in.fault;
  for (const auto& [k, v] : in.fault_params) out << " " << k << "=" << v;
  out << " at t0; traffic " << scenario::to_string(in.pattern);
  if (in.pattern == scenario::Pattern::interactive || in.pattern == scenario::Pattern::forward)
    out << " every " << human_duration(in.traffic_interval_s);
  out << "; rtt " << model::secs(in.rtt_s * 1000) << " ms\n\n";
  side(out, "client  ", model::client_config(in), c.client_version, p.client);
  out << "\n";
  side(out, "server  ", model::server_config(in), c.server_version, p.server);
  if (!c.unused.empty()) {
    out << "\nnot used by the model:";
    for (const auto& u : c.unused) out << "\n  " << u;
    out << "\n";
  }
  return out.str();
}

}  // namespace deadpeer::cli
