#include "bench/IpShellLab.hpp"

#include "bench/ShellOut.hpp"
#include "lab/Lab.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::bench {
namespace {

constexpr const char* kIp = "/usr/bin/ip";
constexpr const char* kSysctl = "/usr/sbin/sysctl";

}  // namespace

void IpShellLab::ip(const std::vector<std::string>& args) {
  std::vector<std::string> argv{kIp};
  argv.insert(argv.end(), args.begin(), args.end());
  ShellOut::run(argv);
}

IpShellLab::IpShellLab(const std::string& p) {
  using A = lab::Addresses;
  using I = lab::Ifnames;
  const std::string c = p + "-c", s = p + "-s", r = p + "-r";
  try {
    for (const auto& ns : {c, s, r}) {
      ip({"netns", "add", ns});
      created_.push_back(ns);
      ip({"-n", ns, "link", "set", "lo", "up"});
      std::vector<std::string> sysctl{"netns", "exec", ns, kSysctl, "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                                      "net.ipv6.conf.default.disable_ipv6=1"};
      if (ns == r) sysctl.push_back("net.ipv4.ip_forward=1");
      ip(sysctl);
    }
    ip({"-n", r, "link", "add", I::router_to_client, "type", "veth", "peer", "name", I::client, "netns", c});
    ip({"-n", r, "link", "add", I::router_to_server, "type", "veth", "peer", "name", I::server, "netns", s});
    ip({"-n", r, "addr", "add", std::string(A::router_client_side) + "/24", "dev", I::router_to_client});
    ip({"-n", r, "addr", "add", std::string(A::router_server_side) + "/24", "dev", I::router_to_server});
    ip({"-n", r, "link", "set", I::router_to_client, "up"});
    ip({"-n", r, "link", "set", I::router_to_server, "up"});
    ip({"-n", c, "addr", "add", std::string(A::client) + "/24", "dev", I::client});
    ip({"-n", c, "link", "set", I::client, "up"});
    ip({"-n", c, "route", "add", "default", "via", A::router_client_side, "dev", I::client});
    ip({"-n", s, "addr", "add", std::string(A::server) + "/24", "dev", I::server});
    ip({"-n", s, "link", "set", I::server, "up"});
    ip({"-n", s, "route", "add", "default", "via", A::router_server_side, "dev", I::server});
  } catch (...) {
    remove_quietly();
    throw;
  }
}

void IpShellLab::teardown() {
  while (!created_.empty()) {
    ip({"netns", "del", created_.back()});
    created_.pop_back();
  }
}

void IpShellLab::remove_quietly() noexcept {
  for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
    try {
      sys::Netns::remove_name(*it);
    } catch (const std::exception& e) {
      sys::log("bench").error("removing baseline netns {}: {}", *it, e.what());
    }
  }
  created_.clear();
}

IpShellLab::~IpShellLab() { remove_quietly(); }

}  // namespace deadpeer::bench
