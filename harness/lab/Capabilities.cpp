#include "lab/Capabilities.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "lab/Sysctl.hpp"
#include "netlink/NftContext.hpp"
#include "netlink/RouteSocket.hpp"
#include "sys/Netns.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::lab {

std::string Capabilities::probe_netns_name() { return "dpprobe-" + std::to_string(::getpid()); }

std::vector<Check> Capabilities::probe() {
  std::vector<Check> out;
  std::unique_ptr<sys::Netns> ns;
  try {
    ns = std::make_unique<sys::Netns>(sys::Netns::create(probe_netns_name()));
    out.push_back({"netns", true, true, "network namespaces can be created (unshare + bind mount)"});
  } catch (const std::exception& e) {
    out.push_back({"netns", false, true,
                   std::string(e.what()) + " — run as root (CAP_SYS_ADMIN and CAP_NET_ADMIN), e.g. a privileged container"});
    // Required as when probed: veth and nftables; conntrack (firewall fault) and netem (the
    // user-space path stands in) are optional.
    for (const char* n : {"veth", "nftables", "conntrack", "netem"})
      out.push_back({n, false, std::string(n) == "veth" || std::string(n) == "nftables", "not probed: no namespace"});
  }
  if (ns) {
    std::unique_ptr<netlink::RouteSocket> rt;
    try {
      rt = std::make_unique<netlink::RouteSocket>(netlink::RouteSocket::open_in(*ns));
      rt->veth_add("p0", "p1", *ns);
      rt->link_set_up("p0");
      out.push_back({"veth", true, true, "veth pairs with the peer created directly in a namespace"});
    } catch (const std::exception& e) {
      out.push_back({"veth", false, true, std::string(e.what()) + " — the kernel needs CONFIG_VETH"});
    }
    try {
      auto nft = netlink::NftContext::open_in(*ns);
      nft.run("add table inet dpprobe\nadd chain inet dpprobe c { type filter hook forward priority 0; }\n"
              "add rule inet dpprobe c counter drop",
              "probe nftables");
      out.push_back({"nftables", true, true, "libnftables transactions (inet family, forward hook, counters)"});
      try {
        nft.run("add rule inet dpprobe c ct state established,related accept", "probe conntrack");
        Sysctl::read(*ns, "net.netfilter.nf_conntrack_tcp_loose");
        out.push_back({"conntrack", true, false, "ct state matching with per-namespace conntrack sysctls"});
      } catch (const std::exception& e) {
        out.push_back({"conntrack", false, false, std::string(e.what()) + " — needed by the firewall fault"});
      }
    } catch (const std::exception& e) {
      out.push_back({"nftables", false, true, std::string(e.what()) + " — the kernel needs CONFIG_NF_TABLES_INET"});
      out.push_back({"conntrack", false, false, "not probed: nftables unavailable"});
    }
    if (rt) {
      int err = rt->qdisc_try_add_root("p0", "netem");
      out.push_back({"netem", err == 0, false,
                     err == 0 ? "tc netem available: delay/loss faults use the kernel qdisc"
                              : "sch_netem missing (" + std::string(err < 0 ? "kernel refused the qdisc" : "") +
                                    "): delay/loss faults use the user-space path"});
    }
  }
  sys::UniqueFd tun(::open("/dev/net/tun", O_RDWR | O_CLOEXEC));
  out.push_back({"tun", static_cast<bool>(tun), false,
                 tun ? "/dev/net/tun opens" : "/dev/net/tun cannot be opened (user-space path uses AF_PACKET)"});
  return out;
}

bool Capabilities::has(const std::vector<Check>& checks, const std::string& name) {
  return std::any_of(checks.begin(), checks.end(), [&](const Check& c) { return c.name == name && c.ok; });
}

bool Capabilities::can_run(const std::vector<Check>& checks) {
  return std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.ok || !c.required; });
}

}  // namespace deadpeer::lab
