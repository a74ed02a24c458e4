#pragma once
// What a network namespace looks like to someone who must not find it changed: its links
// (name, type, flags, mtu, address), addresses, routes of every table, routing rules, qdiscs,
// the nftables ruleset, and the sysctls deadpeer writes in lab namespaces. Each item is one
// line of text, so two snapshots compare as sets and a difference reads as a diff.
//
// take() reads the namespace of the calling thread: called from the test's main thread it is
// the host's; called inside Netns::run it is a lab's (the self-check uses that).
// HostEvents listens to the same kinds of objects while something runs, to catch a change that
// was undone before the second snapshot.
#include <linux/if_link.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <netlink/route/tc.h>
#include <nftables/libnftables.h>
#include <sys/socket.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "scenario/Sysctl.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::testing {

using Snapshot = std::set<std::string>;

namespace snapshot_detail {

inline std::string str(nl_addr* a) {
  if (!a) return "-";
  char buf[128];
  return nl_addr2str(a, buf, sizeof buf);
}

template <class Fn>
void each(nl_cache* cache, Fn fn) {
  for (nl_object* o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) fn(o);
}

struct Caches {
  nl_sock* sock = nl_socket_alloc();
  std::vector<nl_cache*> held;
  ~Caches() {
    for (auto* c : held) nl_cache_free(c);
    nl_socket_free(sock);
  }
  // Takes ownership of what an rtnl_*_alloc_cache call filled in. Two steps, never
  // keep(alloc(&c), c): argument evaluation order is unspecified and c may be read first.
  nl_cache* keep(int err, nl_cache* c) {
    if (err < 0) throw std::runtime_error(std::string("libnl cache: ") + nl_geterror(err));
    held.push_back(c);
    return c;
  }
};

// Counters and timers change on their own; they are not configuration.
inline void strip_volatile(nlohmann::json& j) {
  if (j.is_object()) {
    for (const char* k : {"packets", "bytes", "expires"}) j.erase(k);
    for (auto& [k, v] : j.items()) strip_volatile(v);
  } else if (j.is_array()) {
    for (auto& v : j) strip_volatile(v);
  }
}

inline std::string read_sysctl(const std::string& dotted) {
  std::string path = "/proc/sys/" + dotted;
  std::replace(path.begin() + 10, path.end(), '.', '/');
  std::ifstream in(path);
  std::string v;
  if (!in || !std::getline(in, v)) return "<absent>";
  return v;
}

}  // namespace snapshot_detail

// The sysctls the harness may write in a lab namespace, read here in the calling thread's one.
inline std::vector<std::string> guarded_sysctls(const std::vector<std::string>& link_names) {
  std::vector<std::string> names;
  for (const auto& n : scenario::sysctl_names(scenario::KernelSide::router)) names.push_back(scenario::sysctl_full_name(n));
  for (const char* n : {"net.ipv4.ip_forward", "net.ipv6.conf.all.disable_ipv6", "net.ipv6.conf.default.disable_ipv6",
                        "net.ipv6.conf.all.forwarding"})
    names.push_back(n);
  for (const std::string dev : {"all", "default"}) {
    names.push_back("net.ipv4.conf." + dev + ".rp_filter");
    names.push_back("net.ipv4.conf." + dev + ".forwarding");
  }
  for (const auto& l : link_names)
    if (l.find('.') == std::string::npos) {  // a dot in a name would be a path separator here
      names.push_back("net.ipv4.conf." + l + ".rp_filter");
      names.push_back("net.ipv6.conf." + l + ".disable_ipv6");
    }
  return names;
}

inline Snapshot take_snapshot() {
  using namespace snapshot_detail;
  Snapshot s;
  Caches nl;
  if (int err = nl_connect(nl.sock, NETLINK_ROUTE); err < 0)
    throw std::runtime_error(std::string("nl_connect: ") + nl_geterror(err));
  nl_cache* links = nullptr;
  const int links_err = rtnl_link_alloc_cache(nl.sock, AF_UNSPEC, &links);
  nl.keep(links_err, links);
  std::vector<std::string> link_names;
  each(links, [&](nl_object* o) {
    auto* l = reinterpret_cast<rtnl_link*>(o);
    const char* type = rtnl_link_get_type(l);
    link_names.push_back(rtnl_link_get_name(l));
    s.insert("link " + link_names.back() + " index=" + std::to_string(rtnl_link_get_ifindex(l)) +
             " type=" + (type ? type : "-") + " flags=" + std::to_string(rtnl_link_get_flags(l)) +
             " mtu=" + std::to_string(rtnl_link_get_mtu(l)) + " master=" + std::to_string(rtnl_link_get_master(l)) +
             " lladdr=" + str(rtnl_link_get_addr(l)));
  });
  nl_cache* addrs = nullptr;
  const int addrs_err = rtnl_addr_alloc_cache(nl.sock, &addrs);
  nl.keep(addrs_err, addrs);
  each(addrs, [&](nl_object* o) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    const char* label = rtnl_addr_get_label(a);
    s.insert("addr index=" + std::to_string(rtnl_addr_get_ifindex(a)) + " " + str(rtnl_addr_get_local(a)) +
             " scope=" + std::to_string(rtnl_addr_get_scope(a)) + " label=" + (label ? label : "-"));
  });
  nl_cache* routes = nullptr;
  const int routes_err = rtnl_route_alloc_cache(nl.sock, AF_UNSPEC, 0, &routes);
  nl.keep(routes_err, routes);
  each(routes, [&](nl_object* o) {
    auto* r = reinterpret_cast<rtnl_route*>(o);
    std::string line = "route table=" + std::to_string(rtnl_route_get_table(r)) + " family=" +
                       std::to_string(rtnl_route_get_family(r)) + " dst=" + str(rtnl_route_get_dst(r)) +
                       " type=" + std::to_string(rtnl_route_get_type(r)) + " proto=" +
                       std::to_string(rtnl_route_get_protocol(r)) + " prio=" + std::to_string(rtnl_route_get_priority(r)) +
                       " src=" + str(rtnl_route_get_pref_src(r));
    for (int i = 0; i < rtnl_route_get_nnexthops(r); ++i) {
      rtnl_nexthop* nh = rtnl_route_nexthop_n(r, i);
      line += " via=" + str(rtnl_route_nh_get_gateway(nh)) + " dev=" + std::to_string(rtnl_route_nh_get_ifindex(nh));
    }
    s.insert(line);
  });
  nl_cache* rules = nullptr;
  const int rules_err = rtnl_rule_alloc_cache(nl.sock, AF_UNSPEC, &rules);
  nl.keep(rules_err, rules);
  each(rules, [&](nl_object* o) {
    auto* r = reinterpret_cast<rtnl_rule*>(o);
    s.insert("rule family=" + std::to_string(rtnl_rule_get_family(r)) + " prio=" + std::to_string(rtnl_rule_get_prio(r)) +
             " table=" + std::to_string(rtnl_rule_get_table(r)) + " action=" + std::to_string(rtnl_rule_get_action(r)));
  });
  nl_cache* qdiscs = nullptr;
  const int qdiscs_err = rtnl_qdisc_alloc_cache(nl.sock, &qdiscs);
  nl.keep(qdiscs_err, qdiscs);
  each(qdiscs, [&](nl_object* o) {
    auto* tc = TC_CAST(o);
    const char* kind = rtnl_tc_get_kind(tc);
    s.insert("qdisc index=" + std::to_string(rtnl_tc_get_ifindex(tc)) + " kind=" + (kind ? kind : "-") +
             " handle=" + std::to_string(rtnl_tc_get_handle(tc)) + " parent=" + std::to_string(rtnl_tc_get_parent(tc)));
  });

  std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> nft(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
  if (!nft) throw std::runtime_error("nft_ctx_new failed");
  nft_ctx_output_set_flags(nft.get(), NFT_CTX_OUTPUT_JSON);
  nft_ctx_buffer_output(nft.get());
  nft_ctx_buffer_error(nft.get());
  if (nft_run_cmd_from_buffer(nft.get(), "list ruleset") != 0)
    throw std::runtime_error(std::string("nft list ruleset: ") + nft_ctx_get_error_buffer(nft.get()));
  auto ruleset = nlohmann::json::parse(nft_ctx_get_output_buffer(nft.get()));
  strip_volatile(ruleset);
  for (const auto& item : ruleset.value("nftables", nlohmann::json::array()))
    if (!item.contains("metainfo")) s.insert("nft " + item.dump());

  for (const auto& name : guarded_sysctls(link_names)) s.insert("sysctl " + name + " = " + read_sysctl(name));
  return s;
}

// Lines only in `a`, prefixed "-", and lines only in `b`, prefixed "+".
inline std::vector<std::string> snapshot_diff(const Snapshot& a, const Snapshot& b) {
  std::vector<std::string> out;
  for (const auto& l : a)
    if (!b.count(l)) out.push_back("- " + l);
  for (const auto& l : b)
    if (!a.count(l)) out.push_back("+ " + l);
  return out;
}

// Change notifications of the calling thread's namespace: links, addresses, routes, rules,
// qdiscs, forwarding settings (netconf) and nftables. Subscribed in the constructor.
class HostEvents {
 public:
  HostEvents() : route_(open(NETLINK_ROUTE)), nft_(open(NETLINK_NETFILTER)) {
    for (int g : {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE,
                  RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE, RTNLGRP_TC, RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF})
      join(route_, g);
    join(nft_, NFNLGRP_NFTABLES);
  }

  // What arrived since construction, one line per message ("rtnetlink type 16 (RTM_NEWLINK)").
  std::vector<std::string> drain() {
    std::vector<std::string> out;
    read(route_, "rtnetlink", out);
    read(nft_, "nftables", out);
    return out;
  }

 private:
  static sys::UniqueFd open(int protocol) {
    sys::UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol));
    if (!fd) throw std::system_error(errno, std::generic_category(), "netlink socket");
    int size = 4 << 20;  // many events must not be lost as ENOBUFS: each is evidence
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0)
      throw std::system_error(errno, std::generic_category(), "bind netlink socket");
    return fd;
  }
  static void join(const sys::UniqueFd& fd, int group) {
    if (::setsockopt(fd.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
      throw std::system_error(errno, std::generic_category(), "join netlink group " + std::to_string(group));
  }
  // "RTM_NEWLINK eth0", "RTM_NEWROUTE", "nftables subsystem 10 message 0"…
  static std::string describe(const nlmsghdr* h) {
    static const std::map<int, const char*> names = {
        {RTM_NEWLINK, "RTM_NEWLINK"},   {RTM_DELLINK, "RTM_DELLINK"},       {RTM_NEWADDR, "RTM_NEWADDR"},
        {RTM_DELADDR, "RTM_DELADDR"},   {RTM_NEWROUTE, "RTM_NEWROUTE"},     {RTM_DELROUTE, "RTM_DELROUTE"},
        {RTM_NEWRULE, "RTM_NEWRULE"},   {RTM_DELRULE, "RTM_DELRULE"},       {RTM_NEWQDISC, "RTM_NEWQDISC"},
        {RTM_DELQDISC, "RTM_DELQDISC"}, {RTM_NEWNETCONF, "RTM_NEWNETCONF"}, {RTM_DELNETCONF, "RTM_DELNETCONF"}};
    if (h->nlmsg_type >= NLMSG_MIN_TYPE && h->nlmsg_type < RTM_MAX && names.count(h->nlmsg_type)) {
      std::string text = names.at(h->nlmsg_type);
      if (h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK) {
        const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
        int len = static_cast<int>(IFLA_PAYLOAD(h));
        for (auto* a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
          if (a->rta_type == IFLA_IFNAME) text += std::string(" ") + static_cast<const char*>(RTA_DATA(a));
      }
      return text;
    }
    return "message type " + std::to_string(h->nlmsg_type >> 8) + "/" + std::to_string(h->nlmsg_type & 0xff);
  }
  static void read(const sys::UniqueFd& fd, const std::string& family, std::vector<std::string>& out) {
    alignas(nlmsghdr) char buf[65536];
    for (;;) {
      ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
      if (n < 0 && errno == ENOBUFS) {
        out.push_back(family + ": events were lost (ENOBUFS): too many to count");
        continue;
      }
      if (n <= 0) return;
      int len = static_cast<int>(n);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
        out.push_back(family + " " + describe(h));
    }
  }
  sys::UniqueFd route_, nft_;
};

}  // namespace deadpeer::testing
