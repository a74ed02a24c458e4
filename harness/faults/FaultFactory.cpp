#include "faults/FaultFactory.hpp"

#include <algorithm>

#include "faults/Blackhole.hpp"
#include "faults/Crash.hpp"
#include "faults/Firewall.hpp"
#include "faults/Freeze.hpp"
#include "faults/Impair.hpp"
#include "faults/LinkDown.hpp"
#include "faults/Reboot.hpp"
#include "faults/Reject.hpp"
#include "faults/SpoofData.hpp"
#include "faults/SpoofKeepalive.hpp"
#include "faults/SpoofRst.hpp"
#include "lab/Lab.hpp"
#include "scenario/DidYouMean.hpp"
#include "sys/HostGuard.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

using namespace std::chrono_literals;

namespace {

lab::Lab& lab_of(FaultTargets* t) { return t->lab; }

}  // namespace

const std::vector<FaultKind>& FaultFactory::kinds() {
  static const std::vector<FaultKind> table = {
      {"blackhole", "the router drops everything it forwards, both ways",
       [](FaultParams&, FaultTargets* t) -> std::unique_ptr<Fault> {
         if (!t) return nullptr;
         return std::make_unique<Blackhole>(lab_of(t).router().ns(), "blackhole", Direction::both);
       }},
      {"drop", "the router drops everything it forwards in one direction (or both)",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const Direction d = read_direction(p);
         if (!t) return nullptr;
         return std::make_unique<Blackhole>(lab_of(t).router().ns(), "drop", d);
       }},
      {"spoof-keepalive", "the server is cut off while a middlebox answers TCP keepalive probes in its name",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const auto d = p.choice("direction", {"to-client", "to-server", "both"}, "to-client");
         if (!t) return nullptr;
         return std::make_unique<SpoofKeepalive>(
             lab_of(t), d == "to-server" ? Direction::to_server : d == "both" ? Direction::both : Direction::to_client);
       }},
      {"spoof-rst", "a middlebox injects an in-window RST towards one end",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const auto target = p.choice("target", {"server", "client"}, "server");
         const bool exact = p.flag("exact", true);
         if (!t) return nullptr;
         return std::make_unique<SpoofRst>(lab_of(t), target == "client" ? FlowSide::client : FlowSide::server, exact);
       }},
      {"spoof-data", "a middlebox injects junk bytes into the SSH stream towards one end",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const auto target = p.choice("target", {"server", "client"}, "server");
         const long bytes = p.integer("bytes", 128, 1, 1400);
         if (!t) return nullptr;
         return std::make_unique<SpoofData>(lab_of(t), target == "client" ? FlowSide::client : FlowSide::server,
                                            static_cast<std::size_t>(bytes));
       }},
      {"reject", "the router answers with a TCP RST (or an ICMP error) instead of forwarding",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const Direction d = read_direction(p);
         std::string icmp = p.choice("icmp", {"tcp-reset", "host-unreachable", "admin-prohibited", "net-unreachable",
                                              "port-unreachable"}, "tcp-reset");
         if (icmp == "tcp-reset") icmp.clear();
         if (!t) return nullptr;
         return std::make_unique<Reject>(lab_of(t).router().ns(), d, icmp);
       }},
      {"link-down", "the router's link towards one side goes down",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const std::string target = p.choice("target", {"server", "client"}, "server");
         if (!t) return nullptr;
         return std::make_unique<LinkDown>(lab_of(t), target);
       }},
      {"firewall", "a stateful firewall in the router forgets connections idle for idle_timeout",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         FirewallParams f;
         if (!p.has("idle_timeout"))
           p.error_at_fault("needs idle_timeout", "add idle_timeout = \"30s\": how long an idle flow is remembered");
         f.idle_timeout = p.duration("idle_timeout", 30s, 1s, std::chrono::hours(24 * 5));
         f.reset_on_expiry = p.choice("on_expiry", {"drop", "reset"}, "drop") == "reset";
         f.ignore_keepalive = p.flag("ignore_keepalive", false);
         if (!t) return nullptr;
         return std::make_unique<Firewall>(lab_of(t), f);
       }},
      {"freeze", "one side's processes are frozen; its kernel still answers",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const std::string target = p.choice("target", {"server", "client"}, "server");
         if (!t) return nullptr;
         return std::make_unique<Freeze>(target == "client" ? t->client_cgroup : t->server_cgroup, target);
       }},
      {"crash", "the server host dies: its link vanishes, its processes are killed",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         if (p.spec().duration || p.has("flap.up") || p.has("flap.down") || p.has("flap.count"))
           p.error_at_fault("cannot be undone (no duration or flap)", "use kind = \"reboot\" with down = \"…\"");
         if (!t) return nullptr;
         return std::make_unique<Crash>(lab_of(t), t->server_cgroup);
       }},
      {"reboot", "the server crashes and comes back after `down` with no connection state",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const auto down = p.duration("down", 5s, 100ms, std::chrono::hours(1));
         if (p.spec().duration) p.error_at_fault("takes `down`, not `duration`", "write down = \"5s\"");
         if (!t) return nullptr;
         return std::make_unique<Reboot>(lab_of(t), t->server_cgroup, down, t->restart_server);
       }},
      {"impair", "the router delays, loses, duplicates, reorders or rate-limits what it forwards (netem or user space)",
       [](FaultParams& p, FaultTargets* t) -> std::unique_ptr<Fault> {
         const ImpairSettings s = read_impair(p);
         if (!t) return nullptr;
         return std::make_unique<Impair>(lab_of(t), s);
       }},
  };
  return table;
}

std::vector<std::string> FaultFactory::kind_names() {
  std::vector<std::string> out;
  for (const auto& k : kinds()) out.push_back(k.name);
  return out;
}

std::optional<Flap> read_flap(FaultParams& p) {
  if (!p.has("flap.up") && !p.has("flap.down") && !p.has("flap.count")) return std::nullopt;
  Flap f;
  f.up = p.duration("flap.up", 1s, 100ms, 1h);
  f.down = p.duration("flap.down", 1s, 100ms, 1h);
  f.count = p.integer("flap.count", 3, 1, 1000);
  return f;
}

std::vector<scenario::Diagnostic> FaultFactory::validate(const scenario::FaultSpec& spec) {
  const auto& table = kinds();
  auto it = std::find_if(table.begin(), table.end(), [&](const FaultKind& k) { return k.name == spec.kind; });
  if (it == table.end())
    return {{spec.loc, "unknown fault kind '" + spec.kind + "'", scenario::did_you_mean(spec.kind, kind_names())}};
  FaultParams p(spec);
  const auto flap = read_flap(p);
  it->make(p, nullptr);
  auto diags = p.finish();
  if (flap && spec.duration)
    diags.push_back({spec.loc, "fault '" + spec.kind + "' has both duration and flap",
                     "flap already says how long each outage lasts (down) — remove one of them"});
  return diags;
}

std::unique_ptr<Fault> FaultFactory::arm(const scenario::FaultSpec& spec, FaultTargets& targets) {
  const auto& table = kinds();
  auto it = std::find_if(table.begin(), table.end(), [&](const FaultKind& k) { return k.name == spec.kind; });
  if (it == table.end()) throw sys::Error("arm fault " + spec.kind + ": unknown kind");
  // Faults act in the lab only: refuse a lab whose router or server is the host's namespace.
  sys::HostGuard::require_lab(&targets.lab.router().ns(), "arm fault " + spec.kind + " in the router");
  sys::HostGuard::require_lab(&targets.lab.server().ns(), "arm fault " + spec.kind + " for the server");
  FaultParams p(spec);
  read_flap(p);
  auto fault = it->make(p, &targets);
  const auto diags = p.finish();
  if (!diags.empty()) throw sys::Error("arm fault " + spec.kind + ": " + diags.front().str());
  return fault;
}

}  // namespace deadpeer::faults
