#include "netlink/ConntrackTable.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netlink/netfilter/ct.h>
#include <netlink/netfilter/nfnl.h>
#include <netlink/netlink.h>

#include <new>

#include "netlink/NlError.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::netlink {
namespace {

std::string addr_str(const nl_addr* a) {
  if (!a) return "";
  char buf[64];
  return nl_addr2str(a, buf, sizeof buf);
}

}  // namespace

void ConntrackTable::Deleter::operator()(nl_sock* s) const { nl_socket_free(s); }

ConntrackTable::ConntrackTable(std::unique_ptr<nl_sock, Deleter> sock, std::string ns_name)
    : sock_(std::move(sock)), ns_name_(std::move(ns_name)) {}
ConntrackTable::ConntrackTable(ConntrackTable&&) noexcept = default;
ConntrackTable::~ConntrackTable() = default;

ConntrackTable ConntrackTable::open_in(const sys::Netns& ns) {
  std::unique_ptr<nl_sock, Deleter> sock;
  ns.run([&] {
    sock.reset(nl_socket_alloc());
    if (!sock) throw std::bad_alloc();
    check_nl(nfnl_connect(sock.get()), "nfnl_connect (ctnetlink) in netns " + ns.name());
    ::fcntl(nl_socket_get_fd(sock.get()), F_SETFD, FD_CLOEXEC);
  });
  return ConntrackTable(std::move(sock), ns.name());
}

std::vector<ConntrackEntry> ConntrackTable::entries() {
  nl_cache* raw = nullptr;
  check_nl(nfnl_ct_alloc_cache(sock_.get(), &raw), "dump conntrack table (netns " + ns_name_ + ")");
  std::unique_ptr<nl_cache, void (*)(nl_cache*)> cache(raw, nl_cache_free);
  std::vector<ConntrackEntry> out;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* ct = reinterpret_cast<nfnl_ct*>(o);
    ConntrackEntry e;
    e.src = addr_str(nfnl_ct_get_src(ct, 0));
    e.dst = addr_str(nfnl_ct_get_dst(ct, 0));
    e.proto = nfnl_ct_get_proto(ct);
    e.sport = nfnl_ct_get_src_port(ct, 0);
    e.dport = nfnl_ct_get_dst_port(ct, 0);
    e.timeout_s = nfnl_ct_get_timeout(ct);
    if (e.proto == IPPROTO_TCP) {
      char buf[32];
      e.tcp_state = nfnl_ct_tcp_state2str(nfnl_ct_get_tcp_state(ct), buf, sizeof buf);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ConntrackEntry> ConntrackTable::tcp_port(std::uint16_t port) {
  std::vector<ConntrackEntry> out;
  for (auto& e : entries())
    if (e.proto == IPPROTO_TCP && (e.sport == port || e.dport == port)) out.push_back(std::move(e));
  return out;
}

}  // namespace deadpeer::netlink
