#pragma once
// `firewall`: a stateful firewall in the router that forgets idle connections — the NAT box or
// cloud firewall that silently drops a session idle for longer than `idle_timeout`.
//
// Real kernel conntrack does the work, in the router namespace only:
//   arm   (before the session exists, so conntrack sees its handshake): a tracking-only chain,
//         nf_conntrack_tcp_loose = 0 (a mid-stream packet cannot re-create a forgotten flow) and
//         nf_conntrack_tcp_timeout_established = idle_timeout, both per-namespace sysctls.
//   apply (t0): one transaction makes the chain enforce: tracked flows and new SYNs pass;
//         anything else — the packets of a flow whose entry expired — is dropped
//         (`on_expiry = "drop"`, default) or answered with a RST (`on_expiry = "reset"`).
//   remove: back to tracking only.
// `ignore_keepalive = true` additionally drops TCP keepalive probes in a user-space stage
// before they reach conntrack, so they neither pass nor refresh the entry (see UserPath).
#include <memory>

#include "faults/Fault.hpp"
#include "netlink/ConntrackTable.hpp"
#include "netlink/NftContext.hpp"

namespace deadpeer::lab {
class Lab;
}

namespace deadpeer::faults {

class UserPath;

struct FirewallParams {
  std::chrono::milliseconds idle_timeout{0};
  bool reset_on_expiry = false;
  bool ignore_keepalive = false;
};

class Firewall : public Fault {
 public:
  static constexpr const char* kTable = "dp_firewall";
  Firewall(lab::Lab& lab, const FirewallParams& params);
  ~Firewall() override;

  std::string kind() const override { return "firewall"; }
  std::string backend() const override;

 protected:
  void do_apply() override;
  void do_remove() override;
  // "expired_packets" (dropped or reset), "conntrack_entries" (the SSH flow's entries now)
  std::map<std::string, long> live_counters() override;
  std::map<std::string, long> armed_counters() override;

 private:
  void track_only();

  lab::Lab& lab_;
  FirewallParams params_;
  netlink::NftContext nft_;
  netlink::ConntrackTable conntrack_;
  // ignore_keepalive: the user-space path with a KeepaliveFilter, diverting both links while
  // the firewall enforces. Relayed packets re-enter the router through its taps, so conntrack
  // and this chain still see every packet that passes the filter.
  std::unique_ptr<UserPath> keepalive_path_;
};

}  // namespace deadpeer::faults
