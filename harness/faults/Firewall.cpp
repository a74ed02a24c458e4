#include "faults/Firewall.hpp"

#include "faults/KeepaliveFilter.hpp"
#include "faults/NftCounters.hpp"
#include "faults/UserPath.hpp"
#include "lab/Lab.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {
namespace {

constexpr const char* kChain = "forward";

}  // namespace

Firewall::Firewall(lab::Lab& lab, const FirewallParams& params)
    : lab_(lab),
      params_(params),
      nft_(netlink::NftContext::open_in(lab.router().ns())),
      conntrack_(netlink::ConntrackTable::open_in(lab.router().ns())) {
  // The table comes first: its ct expression makes the kernel track this namespace, which is
  // also what creates the per-namespace conntrack sysctls written next.
  nft_.run("add table inet " + std::string(kTable) + "\nadd chain inet " + kTable + " " + kChain +
               " { type filter hook forward priority 0; policy accept; }\n",
           "arm firewall");
  track_only();
  const long timeout_s = std::max<long>(1, (params_.idle_timeout.count() + 999) / 1000);
  lab_.router().sysctl("net.netfilter.nf_conntrack_tcp_loose", "0");
  lab_.router().sysctl("net.netfilter.nf_conntrack_tcp_timeout_established", std::to_string(timeout_s));
  if (params_.ignore_keepalive) {
    // Armed now: the filter must learn each flow's sequence numbers from its first packets.
    Stages stages;
    stages.push_back(std::make_unique<KeepaliveFilter>());
    keepalive_path_ = std::make_unique<UserPath>(lab_, std::move(stages));
  }
}

Firewall::~Firewall() {
  remove_quietly();
  keepalive_path_.reset();
  try {
    nft_.run("delete table inet " + std::string(kTable), "disarm firewall");
  } catch (const std::exception& e) {
    sys::log("faults").error("{}", e.what());
  }
}

std::string Firewall::backend() const { return params_.ignore_keepalive ? "nftables+conntrack+userspace" : "nftables+conntrack"; }

void Firewall::track_only() {
  nft_.run("flush chain inet " + std::string(kTable) + " " + kChain + "\nadd rule inet " + kTable + " " + kChain +
               " ct state new,established,related counter accept comment \"tracking\"\n",
           "firewall: track only");
}

void Firewall::do_apply() {
  const std::string rule = "add rule inet " + std::string(kTable) + " " + kChain + " ";
  const std::string expired = params_.reset_on_expiry
                                  ? "meta l4proto tcp counter reject with tcp reset comment \"expired\"\n" + rule +
                                        "counter drop comment \"expired\"\n"
                                  : "counter drop comment \"expired\"\n";
  nft_.run("flush chain inet " + std::string(kTable) + " " + kChain + "\n" + rule +
               "ct state established,related accept\n" + rule +
               "ct state new tcp flags & (syn | ack | fin | rst) == syn accept\n" + rule +
               "ct state new meta l4proto != tcp accept\n" + rule + expired,
           std::string("apply firewall (idle timeout, on expiry ") + (params_.reset_on_expiry ? "reset" : "drop") + ")");
  if (keepalive_path_) keepalive_path_->apply();
}

void Firewall::do_remove() {
  if (keepalive_path_) keepalive_path_->remove();
  track_only();
}

std::map<std::string, long> Firewall::live_counters() {
  return {{"expired_packets", NftCounters::read(nft_, "inet", kTable, "expired").packets}};
}

std::map<std::string, long> Firewall::armed_counters() {
  std::map<std::string, long> out{{"conntrack_entries", static_cast<long>(conntrack_.tcp_port(22).size())}};
  if (keepalive_path_)
    for (const auto& [k, v] : keepalive_path_->counters()) out[k] = v;  // cumulative over cycles already
  return out;
}

}  // namespace deadpeer::faults
