#pragma once
// The conntrack table of one namespace, read over ctnetlink with libnl-nf: how the `firewall`
// fault proves that a flow's state exists, and that it is gone after the idle timeout.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct nl_sock;

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::netlink {

struct ConntrackEntry {
  std::string src, dst;  // original direction
  std::uint16_t sport = 0, dport = 0;
  std::uint8_t proto = 0;
  std::uint32_t timeout_s = 0;  // seconds left
  std::string tcp_state;        // "ESTABLISHED", … (empty for non-TCP)
};

class ConntrackTable {
 public:
  static ConntrackTable open_in(const sys::Netns& ns);
  ConntrackTable(ConntrackTable&&) noexcept;
  ~ConntrackTable();

  // Every entry now (a dump: one request, one answer).
  std::vector<ConntrackEntry> entries();
  // Entries of TCP flows to or from `port`.
  std::vector<ConntrackEntry> tcp_port(std::uint16_t port);

 private:
  struct Deleter {
    void operator()(nl_sock* s) const;
  };
  ConntrackTable(std::unique_ptr<nl_sock, Deleter> sock, std::string ns_name);
  std::unique_ptr<nl_sock, Deleter> sock_;
  std::string ns_name_;
};

}  // namespace deadpeer::netlink
